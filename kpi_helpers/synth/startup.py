"""The startup's invoices and customers: customers A and B and a tail of small ones over 24 months."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ._common import SEEDS, B2B_SEASON, _frame, _sorted, _money, _business_days

__all__ = ["STARTUP_A", "STARTUP_B", "startup"]


STARTUP_A = "Aurora Shipping AS"
STARTUP_B = "Bergen Biotech AS"

# Tail of small customers: (name, join month index or 0, last month index or 23).
_STARTUP_TAIL: list[tuple[str, int, int]] = [
    ("Nordlys Regnskap AS", 0, 23),
    ("Fjellheim Bygg AS", 0, 23),
    ("Skjærgården Design AS", 0, 23),
    ("Holm & Berg Advokater AS", 0, 23),
    ("Tromsø Fiskeeksport AS", 0, 23),
    ("Kvamme Elektro AS", 0, 7),  # churns after August 2024
    ("Solstrand Eiendom AS", 0, 23),
    ("Lindvik Transport AS", 0, 23),
    ("Grønn Energi Vest AS", 0, 23),
    ("Haugland Maskin AS", 0, 14),  # churns after March 2025
    ("Storfjord Hotell AS", 0, 23),
    ("Midtnorsk Revisjon AS", 0, 23),
    ("Elvebakken Tannlegesenter AS", 0, 23),
    ("Sandvik Marin AS", 0, 18),  # churns after July 2025
    ("Vestby Logistikk AS", 0, 23),
    ("Ringstad IT AS", 0, 23),
    ("Furuly Interiør AS", 0, 23),
    ("Torvet Apotek AS", 0, 23),
    ("Kleiva Sag AS", 0, 23),
    ("Ødegaard Arkitekter AS", 0, 23),
    ("Moen Rørlegger AS", 2, 23),  # joins March 2024
    ("Helgeland Hagesenter AS", 4, 23),  # joins May 2024
    ("Dalen Regnskapsbyrå AS", 6, 23),  # joins July 2024
    ("Karmøy Verksted AS", 8, 23),  # joins September 2024
    ("Lysaker Lys AS", 9, 23),  # joins October 2024
]


def _split_amount(rng: np.random.Generator, total: float, k: int) -> np.ndarray:
    """Split a monthly amount into k uneven invoice amounts that sum to it."""
    if k == 1:
        return np.array([total])
    w = rng.dirichlet(np.full(k, 2.5))
    return total * w


def _invoice_days(rng: np.random.Generator, bdays: pd.DatetimeIndex, k: int) -> list[pd.Timestamp]:
    idx = np.sort(rng.choice(len(bdays), size=k, replace=k > len(bdays)))
    return [bdays[i] for i in idx]


def startup(seed: int = SEEDS["startup"]) -> dict[str, pd.DataFrame]:
    """A software startup's invoices over 24 months (2024-01..2025-12) and customer scores.

    Story: Aurora Shipping AS (customer A) brings about half the revenue but is flat and slightly
    declining; Bergen Biotech AS (customer B) is small (about 11 %) but grows about 11 % a month
    and scores 5/5/5 on strategic value, growth potential and engagement (A: 3/2/3); a tail of
    25 small customers (three churn, five join during 2024) grows 4-7 % a month each, so the
    business grows about 3-4 % a month overall (July and Christmas dips). Customers join before
    2025, so B stays the fastest grower on "last 6 months vs the 6 before".
    A's monthly platform fee is invoiced automatically on the 1st of every month and B's usage
    invoice on the last day, so every month is covered from its first to its last day.
    """
    rng = np.random.default_rng(seed)
    months = pd.period_range("2024-01", "2025-12", freq="M")
    n = len(months)
    t = np.arange(n)
    season = B2B_SEASON[months.month.to_numpy() - 1]

    rows_date: list[pd.Timestamp] = []
    rows_cust: list[str] = []
    rows_amt: list[float] = []

    def add(day: pd.Timestamp, cust: str, amt: float) -> None:
        rows_date.append(day)
        rows_cust.append(cust)
        rows_amt.append(float(amt))

    # customer A: fixed platform fee on the 1st + consulting/usage invoices, slowly declining
    a_fee = 170_000.0
    a_var = 330_000.0 * 0.995**t * season * rng.lognormal(0.0, 0.06, n)
    # customer B: strong month-over-month growth, usage invoice at month end + project invoices
    b_total = 24_000.0 * 1.118**t * np.sqrt(season) * rng.lognormal(0.0, 0.06, n)
    # tail: base level, own growth, noisy and lumpy
    tail_params = []
    for name, join, last in _STARTUP_TAIL:
        base = float(rng.lognormal(np.log(7_200.0), 0.5))
        growth = float(rng.uniform(0.045, 0.07))
        tail_params.append((name, join, last, base, growth))

    for i, period in enumerate(months):
        first = period.start_time.normalize()
        last_day = period.end_time.normalize()
        bdays = _business_days(str(first.date()), str(last_day.date()))
        # A
        add(first, STARTUP_A, a_fee)
        k = int(rng.integers(2, 5))
        for day, amt in zip(_invoice_days(rng, bdays, k), _split_amount(rng, a_var[i], k)):
            add(day, STARTUP_A, round(amt, 0))
        # B: usage invoice on the last calendar day, 1-3 project invoices during the month
        usage_share = float(rng.uniform(0.35, 0.5))
        add(last_day, STARTUP_B, b_total[i] * usage_share)
        k = int(rng.integers(1, 3)) + (1 if i >= 12 else 0)
        for day, amt in zip(
            _invoice_days(rng, bdays, k), _split_amount(rng, b_total[i] * (1 - usage_share), k)
        ):
            add(day, STARTUP_B, round(amt, 0))
        # tail
        for name, join, last, base, growth in tail_params:
            if i < join or i > last:
                rng.random()  # keep one draw per customer-month: draws do not shift with joins
                continue
            if rng.random() < 0.05:  # no invoice this month (lumpy billing)
                continue
            ramp = min(1.0, 0.45 + 0.2 * (i - join)) if join > 0 else 1.0
            fade = 0.7 if i == last and last < n - 1 else 1.0
            total = base * (1 + growth) ** i * season[i] * ramp * fade * rng.lognormal(0.0, 0.15)
            k = 1 if rng.random() < 0.75 else 2
            for day, amt in zip(_invoice_days(rng, bdays, k), _split_amount(rng, total, k)):
                add(day, name, amt)

    invoices = _frame("startup", "invoices", {
        "date": pd.DatetimeIndex(rows_date),
        "customer": pd.array(rows_cust, dtype="str"),
        "amount": _money(rows_amt),
    })
    invoices = _sorted(invoices, ["date", "customer", "amount"])

    names = [STARTUP_A, STARTUP_B] + [p[0] for p in _STARTUP_TAIL]
    sv = [3, 5]
    gp = [2, 5]
    en = [3, 5]
    for _name, join, last, _base, growth in tail_params:
        churned = last < n - 1
        sv.append(int(rng.choice([1, 2, 2, 3, 3, 4])))
        g = 1 + int(growth > 0.06) + int(join > 0) + int(rng.random() < 0.4) - int(churned)
        gp.append(int(np.clip(g, 1, 4)))
        en.append(int(np.clip(rng.choice([1, 2, 3, 3, 4]) - int(churned), 1, 4)))
    customers = _frame("startup", "customers", {
        "customer": pd.array(names, dtype="str"),
        "strategic_value": np.array(sv, dtype="int64"),
        "growth_potential": np.array(gp, dtype="int64"),
        "engagement": np.array(en, dtype="int64"),
    })
    customers = _sorted(customers, ["customer"])
    return {"invoices": invoices, "customers": customers}
