"""The marketing agency's KPI table as Ibis expressions: ratios of sums by month, client and client-month.

One pass over ``campaign_stats`` groups it by (client, month code): impressions, clicks and
conversions as whole numbers, spend and conversion value as exact decimals, cached by the engine.
The month, client and total sums are sums of those cells (exact on every engine); the rates (CTR,
CVR, CPC, CPA, ROAS, ROI), the key accounts (share of the media spend managed) and the rows are the
pandas analysis' own functions (:func:`kpi_helpers.cases.marketing_agency.ad_tables`,
:func:`~kpi_helpers.cases.marketing_agency.ad_kpi_rows`) on those small sums.
"""
from __future__ import annotations

from typing import Any

from .. import accounts, periods
from .revenue import month_code

__all__ = ["agency_case"]


#: The columns whose NULLs are those of a grouping key (see :func:`.sources.check_aggregates`).
IMPLIED = {"date": "m", "client": "client"}

def agency_case(con: Any, st: Any, inp: Any, p: dict[str, Any]) -> dict[str, Any]:
    """The KPI rows and key accounts of the agency on an engine (see :func:`.revenue.revenue_case`)."""
    import pandas as pd

    from ..cases.marketing_agency import AD_SUMS, ad_kpi_rows, ad_tables
    from .backends import fetch
    from .sources import check_aggregates, verify

    has_value, has_channel = "conversion_value" in inp.columns, "channel" in inp.columns
    sums = [c for c in AD_SUMS if c != "conversion_value" or has_value]
    g = st.group_by(client=st.client, m=month_code(st.date)).aggregate(
        n=st.count(), **check_aggregates(st, inp, IMPLIED), **{c: st[c].sum() for c in sums}).cache()
    cached = g
    try:
        stats = verify(g, inp, ("client",), IMPLIED)
        g = cached.filter(cached.m.notnull() & cached.client.notnull())  # blank rows left out
        first, last = pd.Timestamp(stats["first"]), pd.Timestamp(stats["last"])
        months = periods.month_table(first, last)

        def sums_of(expr: Any, keys: list[str]) -> pd.DataFrame:
            out = fetch(expr)
            for c in sums:
                out[c] = out[c].astype("int64") if c in ("impressions", "clicks", "conversions") else out[c].astype(float)
            if "m" in out:
                out["period"] = [periods.code_label(int(c)) for c in out["m"]]
            if "client" in out:
                out["client"] = out["client"].astype("str")
            return out.set_index(keys)[sums] if keys else out[sums]

        def summed(keys: list[str]) -> Any:
            return g.group_by(keys).aggregate(**{c: _as_float(g[c].sum()) for c in sums})

        monthly_sums = sums_of(summed(["m"]), ["period"])
        client_sums = sums_of(summed(["client"]), ["client"])
        client_month = sums_of(g.select("client", "m", **{c: _as_float(g[c]) for c in sums}), ["client", "period"])
        total_sums = sums_of(g.aggregate(**{c: _as_float(g[c].sum()) for c in sums}), []).iloc[0]
        client_month = client_month.sort_index()
        monthly, by_client, by_client_month, totals = ad_tables(monthly_sums, client_sums, client_month, total_sums,
                                                                months)
        key_table = accounts.key_accounts(by_client["spend"], threshold=p["major_threshold"],
                                          max_accounts=p["max_key_accounts"])
        key = key_table.index.tolist()
        notes = []
        if not has_value:
            notes.append("No conversion_value column: ROAS and ROI are skipped.")
        if not has_channel:
            notes.append("No channel column: the channel breakdown is skipped.")
        rows = ad_kpi_rows(monthly, by_client, by_client_month, totals, key)
        return {"rows": rows, "key": key, "notes": notes, "date_range": (first, last), "key_table": key_table}
    finally:
        cached.release()  # the cached cells, now rather than at exit



def _as_float(value: Any) -> Any:
    """A decimal sum as float64 (the exact sum, rounded once); whole-number sums stay integers."""
    return value.cast("float64") if value.type().is_decimal() else value
