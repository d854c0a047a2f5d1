"""The marketing-agency case (notebook 03): an agency with a high-profile client and several campaigns.

What this module decides: how campaign rows become the ad KPIs (CTR, CVR, CPC, CPA, ROAS, ROI, always
ratios of sums over a group, never means of rates), which client is a key account (by share of the
media spend the agency manages), and the views its notebook reads, in the notebook's order: the
display form of an ad-KPI frame, the client overview, KPIs by any grouping, why a mean of rates
misleads, and a key client next to all clients, per segment.
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .. import accounts, kpis, scorecard
from ..display import format_frame, format_value, shown_names
from ..i18n import tr, trn
from ..periods import period_labels
from . import CaseResult
from ._common import account_scope, case_months, join_notes, kpi_row, kpi_table

if TYPE_CHECKING:
    from ..data import CaseData

__all__ = ["AD_SUMS", "AD_KPIS", "ad_rates", "run", "ad_tables", "ad_kpi_rows", "AD_UNITS", "AD_TWO_DECIMALS", "format_ad_frame",
           "display_headers",
           "client_overview", "ad_kpis_by", "rate_weights", "mean_of_rates_vs_ratio_of_sums", "account_vs_all",
           "compare_by_segment", "followed_key_account", "key_account_choice_text", "channel_comparison",
           "mix_adjusted_rate", "months_against_target_text", "mix_adjusted_text", "mean_of_rates_text",
           "largest_client_weight_text", "case_summary_text", "data_text", "months_on_target_text"]


AD_SUMS = ["impressions", "clicks", "conversions", "spend", "conversion_value"]


AD_KPIS = ["ctr", "cvr", "cpc", "cpa", "roas", "roi"]


def ad_rates(sums: pd.DataFrame) -> pd.DataFrame:
    """Add ctr, cvr, cpc, cpa, roas and roi to a frame of summed counts (ratios of sums)."""
    out = sums.copy()
    out["ctr"] = kpis.ctr(out["clicks"], out["impressions"])
    out["cvr"] = kpis.cvr(out["conversions"], out["clicks"])
    out["cpc"] = kpis.cpc(out["spend"], out["clicks"])
    out["cpa"] = kpis.cpa(out["spend"], out["conversions"])
    if "conversion_value" in out:
        out["roas"] = kpis.roas(out["conversion_value"], out["spend"])
        out["roi"] = kpis.roi(out["conversion_value"], out["spend"])
    return out


def ad_tables(monthly_sums: pd.DataFrame, client_sums: pd.DataFrame, client_month_sums: pd.DataFrame,
              total_sums: pd.Series, months: pd.DataFrame
              ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.Series]:
    """The agency's frames with rates from its sums (grouped by pandas or by an engine).

    ``monthly_sums`` is indexed by period (months without rows may be absent: they get zero sums),
    ``client_sums`` by client, ``client_month_sums`` by (client, period); ``total_sums`` holds the
    sums of all rows. Returns ``monthly`` (every calendar month of ``months``, with ``partial``),
    ``by_client`` (with spend_share, largest spend first, ties by name), ``by_client_month`` (long) and
    ``totals``, each with :func:`ad_rates`.
    """
    sums = [c for c in AD_SUMS if c in monthly_sums.columns]
    monthly = monthly_sums[sums].reindex(months["period"])
    monthly[sums] = monthly[sums].fillna(0)
    monthly = ad_rates(monthly[sums])
    monthly.insert(0, "partial", months.set_index("period")["partial"])
    monthly = monthly.reset_index()
    by_client = ad_rates(client_sums[sums])
    by_client["spend_share"] = accounts.revenue_share(by_client["spend"])
    by_client = by_client.loc[sorted(by_client.index, key=lambda c: (-by_client.at[c, "spend"], c))]
    by_client_month = ad_rates(client_month_sums[sums]).reset_index()
    totals = ad_rates(total_sums[sums].to_frame().T).iloc[0]
    return monthly, by_client, by_client_month, totals


def run(data: CaseData, p: dict[str, Any]) -> CaseResult:
    """The marketing-agency analysis with checked parameters (call :func:`kpi_helpers.cases.analyse`).

    Frames: ``monthly``, ``by_client`` (with spend_share, largest spend first), ``by_campaign``,
    ``by_channel``, ``by_client_month``, ``by_client_channel`` (None without channels), ``totals``
    and ``daily`` (the campaign rows with their period).
    """
    notes: list[str] = []
    st = data["campaign_stats"]
    months = case_months(data)
    has_value = data.has("campaign_stats", "conversion_value")
    has_channel = data.has("campaign_stats", "channel")
    if not has_value:
        notes.append(tr("No conversion_value column: ROAS and ROI are skipped."))
    if not has_channel:
        notes.append(tr("No channel column: the channel breakdown is skipped."))
    sums = [c for c in AD_SUMS if c in st.columns]
    df = st[[c for c in ["date", "client", "campaign", "channel"] if c in st.columns] + sums].copy()
    df["period"] = period_labels(df["date"])

    def agg(keys: list[str]) -> pd.DataFrame:
        # dropna=False: rows with an empty (optional) channel still count, so parts add up to totals
        return ad_rates(df.groupby(keys, observed=True, sort=True, dropna=False)[sums].sum())

    monthly, by_client, by_client_month, totals = ad_tables(
        agg(["period"]), agg(["client"]), agg(["client", "period"]), df[sums].sum(), months)
    by_campaign = agg(["client", "campaign"]).reset_index()
    by_channel = agg(["channel"]) if has_channel else None
    by_client_channel = agg(["client", "channel"]).reset_index() if has_channel else None
    key_table = accounts.key_accounts(by_client["spend"], threshold=p["major_threshold"],
                                      max_accounts=p["max_key_accounts"])
    key = key_table.index.tolist()

    rows = ad_kpi_rows(monthly, by_client, by_client_month, totals, key)
    table = kpi_table(rows, p["targets"])
    frames = {"monthly": monthly, "by_client": by_client, "by_campaign": by_campaign,
              "by_channel": by_channel, "by_client_month": by_client_month,
              "by_client_channel": by_client_channel, "totals": totals, "daily": df}
    return CaseResult("marketing_agency", frames, key, table, notes, p["currency"], key_table)


def ad_kpi_rows(monthly: pd.DataFrame, by_client: pd.DataFrame, by_client_month: pd.DataFrame,
                totals: pd.Series, key: list[str]) -> list[dict[str, Any]]:
    """The rows of the agency's KPI table from its sums with rates (the one place that lays them out).

    ``monthly`` (one row per calendar month: period, partial, sums and rates), ``by_client`` (indexed
    by client, with spend_share), ``by_client_month`` (client, period, sums and rates; months without
    activity absent), ``totals`` (the sums and rates of everything) and the key accounts in order.
    The pandas analysis (:func:`run`) and :mod:`kpi_helpers.engines` both call this.
    """
    kpi_ids = [k for k in AD_KPIS if k in monthly.columns]
    rows: list[dict[str, Any]] = [kpi_row(k, totals[k]) for k in kpi_ids]
    for _, m in monthly.iterrows():
        per, part = m["period"], bool(m["partial"])
        for k in kpi_ids:
            rows.append(kpi_row(k, m[k], period=per, partial=part, note="partial month" if part else ""))
    cm = by_client_month.set_index(["client", "period"])
    for acc in key:
        scope = account_scope(acc)
        rows.append(kpi_row("revenue_share", by_client.at[acc, "spend_share"], scope=scope,
                            note=join_notes("share of media spend managed",
                                            "" if by_client["spend"].sum() > 0 else "undefined: total spend is 0")))
        for k in kpi_ids:
            rows.append(kpi_row(k, by_client.at[acc, k], scope=scope))
        for _, m in monthly.iterrows():
            per = m["period"]
            for k in kpi_ids:
                val = cm.at[(acc, per), k] if (acc, per) in cm.index else math.nan
                rows.append(kpi_row(k, val, scope=scope, period=per, partial=bool(m["partial"]),
                                    note="" if (acc, per) in cm.index else "no activity this month"))
    return rows


#: Display unit of each column of an ad-KPI frame (sums, rates and shares).
AD_UNITS: dict[str, str] = {
    "impressions": "count", "clicks": "count", "conversions": "count", "spend": "currency",
    "conversion_value": "currency", "ctr": "ratio", "cvr": "ratio", "cpc": "currency", "cpa": "currency",
    "roas": "multiple", "roi": "ratio", "spend_share": "ratio", "campaigns": "count", "channels": "count",
    "rate": "ratio", "weight_in_mean": "ratio", "weight_in_ratio": "ratio",
}


#: Ratio columns shown with two decimals (a CTR of 0.46 % would read "0.5%" with one).
AD_TWO_DECIMALS = frozenset({"ctr", "rate", "weight_in_ratio"})


def _headers() -> dict[str, str]:
    """Column id -> its header in the language now (English: the id itself, as the tables always showed)."""
    return {
        "impressions": tr("impressions"), "clicks": tr("clicks"), "conversions": tr("conversions"),
        "spend": tr("spend"), "conversion_value": tr("conversion_value"), "ctr": tr("ctr"), "cvr": tr("cvr"),
        "cpc": tr("cpc"), "cpa": tr("cpa"), "roas": tr("roas"), "roi": tr("roi"), "spend_share": tr("spend_share"),
        "campaigns": tr("campaigns"), "channels": tr("channels"), "rate": tr("rate"),
        "weight_in_mean": tr("weight_in_mean"), "weight_in_ratio": tr("weight_in_ratio"), "mix": tr("mix"),
        "relative": tr("relative"), "client": tr("client"), "campaign": tr("campaign"), "channel": tr("channel"),
        "period": tr("period"), "kpi": tr("kpi"),
    }


def display_headers(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of a display table with the column and index names of the ad tables in the language now.

    English keeps the column ids ("spend_share", "ctr"); Bokmål shows "andel av kostnad", "CTR".
    Names it does not know (a client's name, "all clients") are kept. The input is not changed.

    >>> display_headers(pd.DataFrame({"spend_share": [0.5]}, index=pd.Index(["A"], name="client"))).columns.tolist()
    ['spend_share']
    """
    return shown_names(frame, _headers())


def format_ad_frame(frame: pd.DataFrame, currency: str = "NOK") -> pd.DataFrame:
    """A display copy of an ad-KPI frame (:func:`kpi_helpers.display.format_frame` with :data:`AD_UNITS`).

    Counts "1,234", money "NOK 1,234", rates "12.3%", ROAS as a multiple "9.2x", NaN "n/a"; the small
    rates of :data:`AD_TWO_DECIMALS` (CTR is often below 1 %) get two decimals; other columns (client,
    campaign, period...) are kept as they are. Values and headers are in the language now
    (:func:`display_headers`: English keeps the column ids). The input is not changed.

    Examples
    --------
    >>> format_ad_frame(pd.DataFrame({"campaign": ["a"], "cpa": [float("nan")], "ctr": [0.0123]})).iloc[0].tolist()
    ['a', 'n/a', '1.23%']
    """
    return display_headers(format_frame(frame, AD_UNITS, currency=currency, decimals=dict.fromkeys(AD_TWO_DECIMALS, 2)))


def client_overview(daily: pd.DataFrame, by_client: pd.DataFrame) -> pd.DataFrame:
    """Per client: number of campaigns (and channels), spend, share of managed spend, value, ROAS.

    Parameters
    ----------
    daily : DataFrame
        Campaign rows (``frames["daily"]``) with client, campaign and optionally channel.
    by_client : DataFrame
        ``frames["by_client"]`` (sums, rates and spend_share per client), whose order is kept
        (largest spend first).

    Returns
    -------
    DataFrame indexed by client: campaigns, channels (when the data have channels), spend,
    spend_share, conversion_value and roas (when the data have conversion values).

    Examples
    --------
    >>> d = pd.DataFrame({"client": ["A", "A", "B"], "campaign": ["a1", "a2", "b1"],
    ...                   "channel": ["Search", "Social", "Search"]})
    >>> bc = pd.DataFrame({"spend": [30.0, 10.0], "spend_share": [0.75, 0.25]}, index=["A", "B"])
    >>> client_overview(d, bc)[["campaigns", "channels"]].to_dict("list")
    {'campaigns': [2, 1], 'channels': [2, 1]}
    """
    g = daily.groupby("client", observed=True)
    out = pd.DataFrame({"campaigns": g["campaign"].nunique()})
    if "channel" in daily.columns:
        out["channels"] = g["channel"].nunique()
    out = out.reindex(by_client.index)
    for col in ("spend", "spend_share", "conversion_value", "roas"):
        if col in by_client.columns:
            out[col] = by_client[col]
    out.index.name = "client"
    return out


def ad_kpis_by(daily: pd.DataFrame, keys: list[str] | tuple[str, ...]) -> pd.DataFrame:
    """Summed counts and the ad KPIs (ratios of sums) of campaign rows grouped by ``keys``.

    Parameters
    ----------
    daily : DataFrame
        Campaign rows with the key columns and some of impressions, clicks, conversions, spend,
        conversion_value (e.g. ``analyse("marketing_agency", ...).frames["daily"]``).
    keys : list of str
        Grouping columns, e.g. ``["campaign", "period"]``. Rows with an empty key (a missing channel)
        form their own group, so the groups always add up to the total.

    Returns
    -------
    DataFrame
        One row per group (sorted by the keys): the keys, the sums and ctr, cvr, cpc, cpa (and roas,
        roi when conversion_value is present). A rate whose denominator is 0 is NaN (shown "n/a"),
        never inf.

    Examples
    --------
    >>> d = pd.DataFrame({"campaign": ["a", "a", "b"], "impressions": [100, 100, 50],
    ...                   "clicks": [5, 3, 0], "conversions": [1, 0, 0], "spend": [10.0, 6.0, 2.0]})
    >>> t = ad_kpis_by(d, ["campaign"])
    >>> t["ctr"].tolist(), t["cpa"].tolist()
    ([0.04, 0.0], [16.0, nan])
    """
    keys = list(keys)
    sums = [c for c in AD_SUMS if c in daily.columns]
    grouped = daily.groupby(keys, observed=True, sort=True, dropna=False)[sums].sum()
    return ad_rates(grouped).reset_index()


def rate_weights(per_group: pd.DataFrame, numerator: str, denominator: str) -> pd.DataFrame:
    """Each group's rate and the weight it gets in the mean of rates and in the ratio of sums.

    rate = numerator / denominator per group (NaN when the denominator is 0).
    weight_in_mean = 1 / (number of groups with a rate): every group counts the same, however small.
    weight_in_ratio = denominator / sum of denominators: the ratio of sums
    (sum numerator / sum denominator) equals sum(weight_in_ratio * rate), so a group counts in
    proportion to its size. (This identity holds when groups with a zero denominator have a zero
    numerator, as clicks without impressions cannot happen.)

    Parameters
    ----------
    per_group : DataFrame
        One row per group (index = group names), with the numerator and denominator columns.
    numerator, denominator : str
        Column names, e.g. ``"clicks", "impressions"`` for CTR.

    Returns
    -------
    DataFrame
        Index as ``per_group``; columns numerator, denominator, rate, weight_in_mean,
        weight_in_ratio; sorted by rate descending (undefined rates last), ties by name.

    Examples
    --------
    >>> g = pd.DataFrame({"clicks": [1, 10], "impressions": [10, 1000]}, index=["small", "big"])
    >>> w = rate_weights(g, "clicks", "impressions")
    >>> w["rate"].round(3).tolist(), w["weight_in_mean"].tolist(), w["weight_in_ratio"].round(3).tolist()
    ([0.1, 0.01], [0.5, 0.5], [0.01, 0.99])
    """
    out = pd.DataFrame({numerator: per_group[numerator].astype(float),
                        denominator: per_group[denominator].astype(float)}, index=per_group.index)
    out["rate"] = kpis.safe_ratio(out[numerator], out[denominator])
    n_rates = int(out["rate"].notna().sum())
    out["weight_in_mean"] = np.where(out["rate"].notna(), 1.0 / n_rates if n_rates else math.nan, 0.0)
    total = float(out[denominator].sum())
    out["weight_in_ratio"] = kpis.safe_ratio(out[denominator], total) if total else math.nan
    order = sorted(out.index, key=lambda g: (math.isnan(out.at[g, "rate"]),
                                             -out.at[g, "rate"] if not math.isnan(out.at[g, "rate"]) else 0.0,
                                             str(g)))
    return out.loc[order]


def mean_of_rates_vs_ratio_of_sums(per_group: pd.DataFrame, numerator: str, denominator: str
                                   ) -> dict[str, Any]:
    """The plain mean of per-group rates next to the ratio of sums (the KPI), and why they differ.

    Returns a dict:

    * ``mean_of_rates``: (1/n) * sum of the n defined per-group rates (groups with a zero
      denominator are left out); the misleading number;
    * ``ratio_of_sums``: sum numerator / sum denominator (NaN when the denominators sum to 0);
      the KPI the table reports;
    * ``weighted_mean_of_rates``: the rates weighted by their denominator's share, equal to
      ``ratio_of_sums`` (shown to prove the point);
    * ``n_groups``, ``n_rates``: groups, and groups with a defined rate;
    * ``highest``, ``highest_rate``, ``highest_weight``: the group with the highest rate, its rate
      and its share of the denominator (how little it weighs in the KPI);
    * ``largest``, ``largest_rate``, ``largest_weight``: likewise for the group with the largest
      denominator.

    Examples
    --------
    >>> g = pd.DataFrame({"clicks": [1, 10], "impressions": [10, 1000]}, index=["small", "big"])
    >>> r = mean_of_rates_vs_ratio_of_sums(g, "clicks", "impressions")
    >>> round(r["mean_of_rates"], 4), round(r["ratio_of_sums"], 4), r["highest"], r["largest"]
    (0.055, 0.0109, 'small', 'big')
    """
    w = rate_weights(per_group, numerator, denominator)
    defined = w[w["rate"].notna()]
    mean = float(defined["rate"].mean()) if len(defined) else math.nan
    ratio = float(kpis.safe_ratio(float(w[numerator].sum()), float(w[denominator].sum())))
    weighted = float((defined["rate"] * defined["weight_in_ratio"]).sum()) if len(defined) and \
        not math.isnan(ratio) else math.nan
    out: dict[str, Any] = {"mean_of_rates": mean, "ratio_of_sums": ratio, "weighted_mean_of_rates": weighted,
                           "n_groups": int(len(w)), "n_rates": int(len(defined)),
                           "highest": None, "highest_rate": math.nan, "highest_weight": math.nan,
                           "largest": None, "largest_rate": math.nan, "largest_weight": math.nan}
    if len(defined):
        hi = defined.index[0]
        big = sorted(defined.index, key=lambda g: (-defined.at[g, denominator], str(g)))[0]
        out.update(highest=hi, highest_rate=float(defined.at[hi, "rate"]),
                   highest_weight=float(defined.at[hi, "weight_in_ratio"]),
                   largest=big, largest_rate=float(defined.at[big, "rate"]),
                   largest_weight=float(defined.at[big, "weight_in_ratio"]))
    return out


def _all_clients(label: str | None) -> str:
    """``label``, or "all clients" in the language now."""
    return tr("all clients") if label is None else label


def account_vs_all(by_client: pd.DataFrame, accounts_: list[str], kpis_: list[str] | None = None, *,
                   all_label: str | None = None, others_label: str | None = "all other clients"
                   ) -> pd.DataFrame:
    """Ad KPIs of the whole agency next to the key account(s) (and the rest), ready to plot.

    Every column is a ratio of sums over its clients: "all clients" sums every client's counts,
    an account column is that client's own rates, and ``others_label`` sums every client that is
    not among ``accounts_`` (left out when there is none, or when ``others_label`` is None).
    ``all_label`` (default "all clients") and the default ``others_label`` are in the language now.

    Parameters
    ----------
    by_client : DataFrame
        ``frames["by_client"]``: summed counts per client (index = client).
    accounts_ : list of str
        Key accounts (names as in the index; unknown names are ignored).
    kpis_ : list of str, optional
        KPI ids to return (default: ctr, cvr, cpc, cpa, roas, roi as far as available).

    Returns
    -------
    DataFrame
        Index = KPI id, columns = ``[all_label, *accounts_, others_label]``: the input of
        :func:`kpi_helpers.plots.compare_account_vs_all`.

    Examples
    --------
    >>> bc = pd.DataFrame({"impressions": [1000, 1000], "clicks": [10, 30], "conversions": [1, 3],
    ...                    "spend": [100.0, 100.0]}, index=["Key", "Other"])
    >>> account_vs_all(bc, ["Key"], ["ctr"]).round(3).to_dict("list")
    {'all clients': [0.02], 'Key': [0.01], 'all other clients': [0.03]}
    """
    all_label = _all_clients(all_label)
    if others_label == "all other clients":
        others_label = tr("all other clients")
    sums = [c for c in AD_SUMS if c in by_client.columns]
    present = [a for a in accounts_ if a in by_client.index]
    cols = {all_label: by_client[sums].sum()}
    for a in present:
        cols[a] = by_client.loc[a, sums]
    rest = by_client.drop(index=present)
    if others_label is not None and len(rest):
        cols[others_label] = rest[sums].sum()
    frame = ad_rates(pd.DataFrame(cols).T.astype(float))
    wanted = [k for k in (kpis_ or AD_KPIS) if k in frame.columns]
    out = frame[wanted].T
    out.index.name = "kpi"
    out.columns = list(cols)
    return out


def compare_by_segment(by_segment: pd.DataFrame, by_client_segment: pd.DataFrame, client: str, kpi: str,
                       segment: str = "channel", all_label: str | None = None) -> pd.DataFrame:
    """One KPI per segment (channel, month...) for one client next to all clients.

    Parameters
    ----------
    by_segment : DataFrame
        The KPI per segment for all clients, indexed by segment (``frames["by_channel"]``).
    by_client_segment : DataFrame
        Long frame with ``client``, ``segment`` and KPI columns (``frames["by_client_channel"]``).
    client, kpi, segment : str

    Returns
    -------
    DataFrame
        Index = segments (those of ``by_segment``), columns ``[client, all_label]``; NaN where the
        client has no activity in a segment.

    Examples
    --------
    >>> allc = pd.DataFrame({"ctr": [0.04, 0.01]}, index=pd.Index(["Search", "Social"], name="channel"))
    >>> per = pd.DataFrame({"client": ["K"], "channel": ["Search"], "ctr": [0.05]})
    >>> compare_by_segment(allc, per, "K", "ctr").to_dict("list")
    {'K': [0.05, nan], 'all clients': [0.04, 0.01]}
    """
    all_label = _all_clients(all_label)
    mine = by_client_segment[by_client_segment["client"] == client].set_index(segment)[kpi]
    out = pd.DataFrame({client: mine.reindex(by_segment.index), all_label: by_segment[kpi]},
                       index=by_segment.index)
    out.index.name = by_segment.index.name or segment
    return out


# --- added for issue 11 (03_marketing_agency): texts and tables the notebook reads -------------

def followed_key_account(key_table: pd.DataFrame | None, by_client: pd.DataFrame) -> str:
    """The client the notebook follows as "the key account": the largest of the rule's picks.

    THE key-account rule (:func:`kpi_helpers.accounts.key_accounts`) may pick several clients; the
    notebook's per-client views follow one of them, the largest by media spend, which the rule
    always picks. Without any pick (no client with spend), the largest client.

    >>> t = pd.DataFrame({"largest": [False, True]}, index=["B", "A"])
    >>> followed_key_account(t, pd.DataFrame({"spend": [5.0, 1.0]}, index=["A", "B"]))
    'A'
    """
    if key_table is not None and len(key_table):
        largest = key_table.index[key_table["largest"].astype(bool)]
        return str(largest[0] if len(largest) else key_table.index[0])
    return str(by_client.index[0])


def key_account_choice_text(key_table: pd.DataFrame | None, by_client: pd.DataFrame, threshold: float,
                            followed: str) -> str:
    """Markdown: which clients THE rule picked, why, and which one the notebook calls "the key account".

    In the language now (:func:`kpi_helpers.i18n.set_language`).

    >>> bc = pd.DataFrame({"spend_share": [0.6, 0.3, 0.1]}, index=["A", "B", "C"])
    >>> t = pd.DataFrame({"share": [0.6], "score": [float("nan")], "largest": [True], "major": [True],
    ...                   "best_scored": [False]}, index=["A"])
    >>> key_account_choice_text(t, bc, 0.5, "A")[:80]
    'The rule picked one client, **A**: the largest client, with 60.0% of the managed'
    """
    share = lambda c: format_value(by_client.at[c, "spend_share"], "ratio")  # noqa: E731
    thr = format_value(threshold, "ratio")
    if key_table is None or not len(key_table):
        return tr("The rule picked no client (no client has any spend), so the notebook follows the largest "
                  "client, **{name}**, and the KPI table has no account rows.", name=followed)
    others = [c for c in by_client.index if c not in key_table.index]
    scored = key_table["score"].notna().any() if "score" in key_table else False
    no_score = [] if scored else [tr("Clients have no multi-criteria score in these data (no strategic scores), "
                                     "so the rule can only pick by share.")]
    if len(key_table) == 1:
        if bool(key_table.at[followed, "major"]):
            first = tr("The rule picked one client, **{name}**: the largest client, with {share} of the managed "
                       "media spend, a major client at or above the threshold of {threshold}.",
                       name=followed, share=share(followed), threshold=thr)
        else:
            first = tr("The rule picked one client, **{name}**: the largest client, with {share} of the managed "
                       "media spend.", name=followed, share=share(followed))
        nxt = [tr("No other client reaches {threshold} (the next, {next}, has {share}).", threshold=thr,
                  next=others[0], share=share(others[0]))] if others else []
        last = tr("So in this notebook *the key account* means {name}: the rule's only pick.", name=followed)
        return " ".join([first, *nxt, *no_score, last])
    names = ", ".join(f"**{c}** ({share(c)})" for c in key_table.index)
    return " ".join([tr("The rule picked {n} clients: {names}. The per-client views below follow the largest of "
                        "them, **{name}**, called *the followed key account*; the KPI table has rows for every pick.",
                        n=len(key_table), names=names, name=followed), *no_score])


def channel_comparison(by_channel: pd.DataFrame, by_client_channel: pd.DataFrame, client: str,
                       numerator: str = "clicks", denominator: str = "impressions",
                       all_label: str | None = None) -> pd.DataFrame:
    """One rate per channel for a client next to all clients: each channel is its own benchmark.

    Columns: ``mix`` (the client's ``denominator`` in the channel / its total: its channel mix),
    ``<client>`` (the client's rate in the channel), ``<all_label>`` (the agency's rate in the
    channel, all clients' sums) and ``relative`` (client rate / agency rate: 1.0 = as good as the
    agency does in that channel). All rates are ratios of sums; NaN where a denominator is 0.

    >>> allc = pd.DataFrame({"clicks": [40, 10], "impressions": [1000, 1000]},
    ...                     index=pd.Index(["Search", "Display"], name="channel"))
    >>> per = pd.DataFrame({"client": ["K", "K"], "channel": ["Search", "Display"],
    ...                     "clicks": [30, 2], "impressions": [500, 500]})
    >>> channel_comparison(allc, per, "K").round(3).to_dict("list")
    {'mix': [0.5, 0.5], 'K': [0.06, 0.004], 'all clients': [0.04, 0.01], 'relative': [1.5, 0.4]}
    """
    all_label = _all_clients(all_label)
    mine = by_client_channel[by_client_channel["client"] == client].set_index("channel")
    mine = mine.reindex(by_channel.index)
    den = mine[denominator].fillna(0).astype(float)
    out = pd.DataFrame({
        "mix": kpis.safe_ratio(den, float(den.sum())) if den.sum() else math.nan,
        client: kpis.safe_ratio(mine[numerator].astype(float), mine[denominator].astype(float)),
        all_label: kpis.safe_ratio(by_channel[numerator].astype(float), by_channel[denominator].astype(float)),
    }, index=by_channel.index)
    out["relative"] = kpis.safe_ratio(out[client], out[all_label])
    return out


def mix_adjusted_rate(comparison: pd.DataFrame, all_label: str | None = None) -> float:
    """The rate a client would have with its own channel mix but the agency's rate in every channel.

    sum over channels of mix_c x agency rate_c (a frame from :func:`channel_comparison`). Compared
    with the client's actual rate it separates the channel mix (awareness-heavy buying) from the
    quality of the campaigns.

    >>> c = pd.DataFrame({"mix": [0.5, 0.5], "all clients": [0.04, 0.01]})
    >>> round(mix_adjusted_rate(c), 4)
    0.025
    """
    all_label = _all_clients(all_label)
    ok = comparison["mix"].notna() & comparison[all_label].notna()
    if not ok.any():
        return math.nan
    return float((comparison.loc[ok, "mix"] * comparison.loc[ok, all_label]).sum())


def months_against_target_text(table: pd.DataFrame, kpi: str, scope: str, who: str, name: str) -> str:
    """Markdown: in how many months a KPI of one scope was on and off track, naming the off-track months.

    ``table`` is the KPI table (``result.kpis``); months with another status (no target, not
    measurable) are counted apart. In the language now, the months in prose form (Bokmål
    "januar 2025").

    >>> t = pd.DataFrame({"kpi": ["cvr"] * 3, "scope": ["all"] * 3, "period": ["2025-01", "2025-02", "all"],
    ...                   "status": ["off_track", "on_track", "on_track"], "target": [0.03] * 3})
    >>> months_against_target_text(t, "cvr", "all", "The agency", "CVR")
    'The agency: CVR below its target of 3.0% in **1 of 2 months** (2025-01).'
    """
    rows = table[(table["kpi"] == kpi) & (table["scope"] == scope) & (table["period"] != "all")]
    if rows.empty:
        return tr("{who}: no monthly {name} in the KPI table.", who=who, name=name)
    target = rows["target"].dropna()
    if target.empty:
        return tr("{who}: {name} has no target, so no month is on or off track.", who=who, name=name)
    off = rows.loc[rows["status"] == "off_track", "period"].tolist()
    other = int((~rows["status"].isin(["on_track", "off_track"])).sum())
    unit = AD_UNITS.get(kpi, "ratio")
    values = {"who": who, "name": name, "target": format_value(float(target.iloc[0]), unit), "off": len(off)}
    if kpi in ("cpa", "cpc"):  # lower is better: off track means above the target
        text = trn("{who}: {name} above its target of {target} in **{off} of {n} month**",
                   "{who}: {name} above its target of {target} in **{off} of {n} months**", len(rows), **values)
    else:
        text = trn("{who}: {name} below its target of {target} in **{off} of {n} month**",
                   "{who}: {name} below its target of {target} in **{off} of {n} months**", len(rows), **values)
    if off:
        text += " (" + ", ".join(format_value(p, "month") for p in off) + ")"
    if other:
        text += trn("; {n} month without a verdict (no activity or no target)",
                    "; {n} months without a verdict (no activity or no target)", other)
    return text + "."


def mix_adjusted_text(comparison: pd.DataFrame, actual: float, agency: float, client: str, name: str = "CTR",
                      all_label: str | None = None) -> str:
    """Markdown: the client's rate, the rate its channel mix alone would give, and the agency's rate.

    The mix-adjusted rate (:func:`mix_adjusted_rate`) keeps the client's channel mix but uses the
    agency's rate in every channel. When the client is below the agency, the share of the gap that the
    mix explains is (agency - adjusted) / (agency - actual). In the language now.

    >>> c = pd.DataFrame({"mix": [0.2, 0.8], "all clients": [0.04, 0.01]}, index=["Search", "Display"])
    >>> mix_adjusted_text(c, 0.015, 0.025, "K").split("; ")[0][-31:]
    'K would have a CTR of **1.60%**'
    """
    adjusted = mix_adjusted_rate(comparison, all_label)
    pct = lambda x: format_value(x, "ratio", decimals=2)  # noqa: E731
    top = comparison["mix"].idxmax() if comparison["mix"].notna().any() else None
    text = tr("With its own channel mix but the agency's {rate} in every channel, {client} would have a {rate} of "
              "**{adjusted}**; its actual {rate} is **{actual}** and the agency's **{agency}**.", rate=name,
              client=client, adjusted=pct(adjusted), actual=pct(actual), agency=pct(agency))
    if top is not None:
        text += " " + tr("{share} of its volume is in {channel}.",
                         share=format_value(comparison.at[top, "mix"], "ratio"), channel=top)
    if any(map(lambda v: not math.isfinite(v), (adjusted, actual, agency))) or actual >= agency:
        return text
    explained = (agency - adjusted) / (agency - actual)
    if explained >= 0.5:
        text += " " + tr("The channel mix explains {share} of the gap to the agency: most of it is *what* the "
                         "client buys, not how well its campaigns work.",
                         share=format_value(explained, "ratio", decimals=0))
    else:
        text += " " + tr("The channel mix explains only {share} of the gap to the agency: most of it is in the "
                         "campaigns themselves, channel by channel.",
                         share=format_value(max(explained, 0.0), "ratio", decimals=0))
    return text


def mean_of_rates_text(ros: dict[str, Any], rate: str = "CTR", group: str = "campaign",
                       denominator: str = "impressions") -> str:
    """Markdown: the plain mean of per-group rates against the ratio of sums, from
    :func:`mean_of_rates_vs_ratio_of_sums`, naming the groups that pull the two apart.

    ``group`` and ``denominator`` are column ids, shown through :func:`kpi_helpers.display.label` in
    the language now.

    >>> g = pd.DataFrame({"clicks": [1, 10], "impressions": [10, 1000]}, index=["small", "big"])
    >>> mean_of_rates_text(mean_of_rates_vs_ratio_of_sums(g, "clicks", "impressions"))[:62]
    'The plain mean of the 2 campaign CTRs is **5.50%**; the agency'
    """
    from ..display import label

    pct = lambda x, d=2: format_value(x, "ratio", decimals=d)  # noqa: E731
    n = ros["n_rates"]
    words = {"rate": rate, "group": label(group), "denominator": label(denominator), "n": n}
    text = tr("The plain mean of the {n} {group} {rate}s is **{mean}**; the agency's {rate} (the sums divided once) "
              "is **{ratio}**, and so is the weighted mean of the {group} {rate}s ({weighted}).",
              mean=pct(ros["mean_of_rates"]), ratio=pct(ros["ratio_of_sums"]),
              weighted=pct(ros["weighted_mean_of_rates"]), **words)
    if ros["highest"] is not None and n:
        text += " " + tr("The {group} with the highest {rate}, *{highest}* ({highest_rate}), has {highest_weight} of "
                         "the {denominator} but counts 1/{n} = {equal} in the plain mean; the largest {group}, "
                         "*{largest}* ({largest_rate}), has {largest_weight} of the {denominator}.",
                         highest=ros["highest"], highest_rate=pct(ros["highest_rate"]),
                         highest_weight=pct(ros["highest_weight"]), equal=pct(1 / n, 1), largest=ros["largest"],
                         largest_rate=pct(ros["largest_rate"]), largest_weight=pct(ros["largest_weight"], 1), **words)
    return text


def largest_client_weight_text(client: str, impression_share: float, agency: float, client_rate: float,
                               others: float, rate: str = "CTR") -> str:
    """Markdown: the agency's rate is the impression-weighted average of one client's and the others',
    so it lies closer to whichever has more than half of the impressions. In the language now.

    >>> largest_client_weight_text("K", 0.6, 0.012, 0.01, 0.015)[-84:]
    'by impressions, lies closer to K. A KPI over everything leans on the largest client.'
    """
    values = {"client": client, "share": format_value(impression_share, "ratio", decimals=0), "rate": rate,
              "agency": format_value(agency, "ratio", decimals=2),
              "client_rate": format_value(client_rate, "ratio", decimals=2),
              "others": format_value(others, "ratio", decimals=2)}
    if impression_share > 0.5:
        return tr("{client} bought {share} of all impressions, so the agency's {rate} ({agency}), an average of "
                  "{client}'s {rate} ({client_rate}) and the other clients' ({others}) weighted by impressions, lies "
                  "closer to {client}. A KPI over everything leans on the largest client.", **values)
    return tr("{client} bought {share} of all impressions, so the agency's {rate} ({agency}), an average of "
              "{client}'s {rate} ({client_rate}) and the other clients' ({others}) weighted by impressions, lies "
              "closer to the other clients. A KPI over everything leans on the largest client.", **values)


def case_summary_text(key: str, overview: pd.DataFrame, totals: pd.Series, versus: pd.DataFrame,
                      statuses: dict[str, str], ros: dict[str, Any], n_no_conversions: int,
                      currency: str = "NOK") -> str:
    """Markdown bullets closing the notebook: the key account, the agency's KPIs with their status,
    the same KPIs for the key account, the ratio-of-sums lesson and the undefined values.

    ``statuses`` maps KPI id to status text ("on track"); ``versus`` is :func:`account_vs_all`.
    In the language now.

    >>> ov = pd.DataFrame({"spend_share": [0.536], "campaigns": [6]}, index=["K"])
    >>> tot = pd.Series({"ctr": 0.0064, "roas": 9.17})
    >>> vs = pd.DataFrame({"K": [0.0046, 9.12]}, index=["ctr", "roas"])
    >>> ros = {"mean_of_rates": 0.0161, "ratio_of_sums": 0.0064}
    >>> case_summary_text("K", ov, tot, vs, {"ctr": "off track", "roas": "on track"}, ros, 0).splitlines()[1]
    "- **The agency's KPIs:** CTR 0.64% (off track), ROAS 9.2x (on track)."
    """
    from ..display import status_text

    def fmt(k: str, v: Any) -> str:
        return format_value(v, AD_UNITS.get(k, "ratio"), currency=currency,
                            decimals=2 if k in AD_TWO_DECIMALS else None)

    shown = [k for k in ("ctr", "cvr", "cpa", "roas") if k in totals.index]
    n_campaigns = int(overview.at[key, "campaigns"])
    lines = [
        trn("**Key account** (the key-account rule's pick): {key}, {share} of the managed spend and {n} campaign.",
            "**Key account** (the key-account rule's pick): {key}, {share} of the managed spend and {n} campaigns.",
            n_campaigns, key=key, share=format_value(overview.at[key, "spend_share"], "ratio")),
        tr("**The agency's KPIs:** {kpis}.",
           kpis=", ".join(f"{k.upper()} {fmt(k, totals[k])} ({statuses.get(k, status_text('no_target'))})"
                          for k in shown)),
        tr("**The same KPIs for {key}:** {kpis}.", key=key,
           kpis=", ".join(f"{k.upper()} {fmt(k, versus.at[k, key])}" for k in shown if k in versus.index)),
    ]
    mean, ratio = ros["mean_of_rates"], ros["ratio_of_sums"]
    if math.isfinite(mean) and math.isfinite(ratio) and ratio > 0:
        lines.append(tr("**Ratio of sums:** the mean of the campaign CTRs ({mean}) is {times} times the agency's CTR "
                        "({ratio}).", mean=format_value(mean, "ratio", decimals=2),
                        times=format_value(mean / ratio, "number", decimals=1),
                        ratio=format_value(ratio, "ratio", decimals=2)))
    if n_no_conversions:
        lines.append(trn("**Undefined values:** {n} row without conversions has CPA n/a, never infinity.",
                         "**Undefined values:** {n} rows without conversions have CPA n/a, never infinity.",
                         n_no_conversions))
    else:
        lines.append(tr("**Undefined values:** no row lacks conversions here; such a CPA would be n/a, never infinity."))
    return "\n".join(f"- {line}" for line in lines)


def data_text(months: pd.DataFrame, daily: pd.DataFrame, data_dir: str) -> str:
    """Markdown: the data in one sentence (months, partial months, rows, clients, campaigns, channels).

    In the language now (months in prose: "januar 2025" in Bokmål).

    >>> m = pd.DataFrame({"period": ["2025-01", "2025-02"], "partial": [False, True]})
    >>> d = pd.DataFrame({"client": ["A", "B"], "campaign": ["a", "b"], "channel": ["Search", "Search"]})
    >>> data_text(m, d, "data")
    '**The data:** `data`: 2 months, 2025-01 to 2025-02 (1 partial), 2 rows of daily statistics, 2 clients, 2 campaigns, 1 channel.'
    """
    n_partial = int(months["partial"].sum())
    first, last = format_value(months["period"].iloc[0], "month"), format_value(months["period"].iloc[-1], "month")
    span = (trn("{first} to {last} ({n} partial)", "{first} to {last} ({n} partial)", n_partial, first=first,
                last=last) if n_partial else tr("{first} to {last}", first=first, last=last))
    parts = [trn("{n} month", "{n} months", len(months)) + ", " + span,
             trn("{count} row of daily statistics", "{count} rows of daily statistics", len(daily),
                 count=format_value(len(daily), "count")),
             trn("{n} client", "{n} clients", int(daily["client"].nunique())),
             trn("{n} campaign", "{n} campaigns", int(daily["campaign"].nunique()))]
    if "channel" in daily.columns:
        parts.append(trn("{n} channel", "{n} channels", int(daily["channel"].nunique())))
    return tr("**The data:** `{folder}`: {parts}.", folder=data_dir, parts=", ".join(parts))


def months_on_target_text(table: pd.DataFrame, scope: str = "all") -> str:
    """Markdown: per KPI with a target, in how many months of ``scope`` it was on track. In the language now.

    >>> t = pd.DataFrame({"kpi": ["ctr", "ctr", "cpc"], "scope": ["all"] * 3, "period": ["2025-01", "2025-02", "2025-01"],
    ...                   "status": ["on_track", "off_track", "no_target"]})
    >>> months_on_target_text(t)
    '**Months on target:** CTR 1 of 2.'
    """
    rows = table[(table["scope"] == scope) & (table["period"] != "all") & (table["status"] != "no_target")]
    if rows.empty:
        return tr("**Months on target:** no KPI has a target.")
    counts = rows.groupby("kpi", sort=False)["status"].agg(
        lambda s: tr("{on} of {n}", on=int((s == "on_track").sum()), n=len(s)))
    return tr("**Months on target:** {kpis}.", kpis=", ".join(f"{k.upper()} {v}" for k, v in counts.items()))
