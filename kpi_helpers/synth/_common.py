"""What every generator shares (private to :mod:`kpi_helpers.synth`): the seeds, the canonical columns
of every table, how columns are written (money, dates, hours), the Norwegian calendar and the small
helpers that build a frame in canonical column order.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = ["SEEDS", "COLUMNS", "MONEY_COLUMNS", "DATE_COLUMNS", "HOURS_COLUMNS", "NORWEGIAN_HOLIDAYS", "B2B_SEASON"]

#: Fixed seed per case (changing one changes only that case's files).
SEEDS: dict[str, int] = {
    "startup": 20240101,
    "consultancy": 20240102,
    "marketing_agency": 20250103,
    "restaurant": 20250704,
    "your_data": 20240105,
    "concepts": 20250106,
}

#: Canonical columns per (case, table), in the order of DESIGN.md.
COLUMNS: dict[tuple[str, str], list[str]] = {
    ("startup", "invoices"): ["date", "customer", "amount"],
    ("startup", "customers"): ["customer", "strategic_value", "growth_potential", "engagement"],
    ("consultancy", "projects"): [
        "project_id", "client", "start_date", "planned_end", "actual_end", "hourly_rate",
    ],
    ("consultancy", "timesheets"): ["date", "consultant", "project_id", "hours"],
    ("consultancy", "consultants"): ["consultant", "start_date", "end_date", "weekly_hours"],
    ("consultancy", "surveys"): ["project_id", "date", "score"],
    ("marketing_agency", "campaign_stats"): [
        "date", "client", "campaign", "channel", "impressions", "clicks", "conversions",
        "spend", "conversion_value",
    ],
    ("restaurant", "visits"): [
        "date", "seated_at", "left_at", "table", "guest_id", "covers", "bill", "rating",
    ],
    ("restaurant", "tables"): ["table", "seats"],
    ("your_data", "transactions"): ["date", "customer", "amount"],
    ("your_data", "customers"): ["customer", "strategic_value", "growth_potential", "engagement"],
    ("concepts", "production"): ["step", "units_in", "good_first_pass", "defective", "minutes"],
    ("concepts", "bank_client"): [
        "month", "revenue", "support_tickets", "tickets_resolved_in_sla", "csat_responses",
        "csat_satisfied", "nps_promoters", "nps_detractors", "nps_responses",
    ],
}

# Columns written as money (two decimals) and as ISO dates.
MONEY_COLUMNS = frozenset({"amount", "hourly_rate", "spend", "conversion_value", "bill", "revenue"})
DATE_COLUMNS = frozenset({"date", "start_date", "planned_end", "actual_end", "end_date"})
HOURS_COLUMNS = frozenset({"hours", "weekly_hours"})

# Norwegian public holidays in the data period (fixed list: no calendar library needed).
NORWEGIAN_HOLIDAYS = pd.DatetimeIndex(pd.to_datetime([
    "2024-01-01", "2024-03-28", "2024-03-29", "2024-04-01", "2024-05-01", "2024-05-09",
    "2024-05-17", "2024-05-20", "2024-12-25", "2024-12-26",
    "2025-01-01", "2025-04-17", "2025-04-18", "2025-04-21", "2025-05-01", "2025-05-17",
    "2025-05-29", "2025-06-09", "2025-12-25", "2025-12-26",
]))

# Monthly seasonality of a Norwegian B2B business (index 0 = January): the July holiday
# ("fellesferien") and Christmas dips, Easter in April, a strong autumn.
B2B_SEASON = np.array([0.90, 1.00, 1.03, 0.96, 1.00, 1.04, 0.72, 0.95, 1.06, 1.06, 1.07, 0.92])


def _frame(case: str, table: str, data: dict[str, object]) -> pd.DataFrame:
    """Build a frame with exactly the canonical columns of (case, table), in order."""
    cols = COLUMNS[(case, table)]
    missing = [c for c in cols if c not in data]
    extra = [c for c in data if c not in cols]
    if missing or extra:  # pragma: no cover - programming error
        raise ValueError(f"{case}/{table}: missing {missing}, extra {extra}")
    return pd.DataFrame({c: data[c] for c in cols})


def _sorted(df: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Stable sort by the given columns; a fresh 0..n-1 index."""
    return df.sort_values(by, kind="mergesort").reset_index(drop=True)


def _money(x: Any) -> np.ndarray:
    return np.round(np.asarray(x, dtype=float), 2)


def _business_days(start: str, end: str, holidays: bool = True) -> pd.DatetimeIndex:
    days = pd.bdate_range(start, end)
    if holidays:
        days = days[~days.isin(NORWEGIAN_HOLIDAYS)]
    return days


def _hhmm(minutes: int) -> str:
    """Minutes after midnight (may exceed 24 h) as 'HH:MM' on a 24-hour clock."""
    m = int(minutes) % (24 * 60)
    return f"{m // 60:02d}:{m % 60:02d}"
