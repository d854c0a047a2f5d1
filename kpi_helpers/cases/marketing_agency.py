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
from ..display import format_frame
from ..periods import period_labels
from . import CaseResult
from ._common import account_scope, case_months, join_notes, kpi_row, kpi_table

if TYPE_CHECKING:
    from ..data import CaseData

__all__ = ["AD_SUMS", "AD_KPIS", "ad_rates", "run", "ad_tables", "ad_kpi_rows", "AD_UNITS", "AD_TWO_DECIMALS", "format_ad_frame",
           "client_overview", "ad_kpis_by", "rate_weights", "mean_of_rates_vs_ratio_of_sums", "account_vs_all",
           "compare_by_segment"]


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
        notes.append("No conversion_value column: ROAS and ROI are skipped.")
    if not has_channel:
        notes.append("No channel column: the channel breakdown is skipped.")
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


def format_ad_frame(frame: pd.DataFrame, currency: str = "NOK") -> pd.DataFrame:
    """A display copy of an ad-KPI frame (:func:`kpi_helpers.display.format_frame` with :data:`AD_UNITS`).

    Counts "1,234", money "NOK 1,234", rates "12.3%", ROAS as a multiple "9.2x", NaN "n/a"; the small
    rates of :data:`AD_TWO_DECIMALS` (CTR is often below 1 %) get two decimals; other columns (client,
    campaign, period...) are kept as they are. The input is not changed.

    Examples
    --------
    >>> format_ad_frame(pd.DataFrame({"campaign": ["a"], "cpa": [float("nan")], "ctr": [0.0123]})).iloc[0].tolist()
    ['a', 'n/a', '1.23%']
    """
    return format_frame(frame, AD_UNITS, currency=currency, decimals=dict.fromkeys(AD_TWO_DECIMALS, 2))


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


def account_vs_all(by_client: pd.DataFrame, accounts_: list[str], kpis_: list[str] | None = None, *,
                   all_label: str = "all clients", others_label: str | None = "all other clients"
                   ) -> pd.DataFrame:
    """Ad KPIs of the whole agency next to the key account(s) (and the rest), ready to plot.

    Every column is a ratio of sums over its clients: "all clients" sums every client's counts,
    an account column is that client's own rates, and ``others_label`` sums every client that is
    not among ``accounts_`` (left out when there is none, or when ``others_label`` is None).

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
                       segment: str = "channel", all_label: str = "all clients") -> pd.DataFrame:
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
    mine = by_client_segment[by_client_segment["client"] == client].set_index(segment)[kpi]
    out = pd.DataFrame({client: mine.reindex(by_segment.index), all_label: by_segment[kpi]},
                       index=by_segment.index)
    out.index.name = by_segment.index.name or segment
    return out
