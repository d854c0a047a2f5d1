"""The side examples of the concepts notebook: a production line and one bank client month by month."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ._common import SEEDS, _frame, _money

__all__ = ["concepts"]


def concepts(seed: int = SEEDS["concepts"]) -> dict[str, pd.DataFrame]:
    """Side examples of the concepts notebook.

    ``production``: a small manufacturer's line with four steps. First-pass yields are exactly
    900/1000 = 0.9000, 800/900 = 0.8889, 750/800 = 0.9375 and 700/750 = 0.9333, so the rolled
    throughput yield is 700/1000 = 0.7000; defective units are scrapped and do not continue.

    ``bank_client``: 12 months (2025) of a software company's bank client: revenue, support
    tickets and how many were resolved within the SLA, CSAT and NPS responses. A production
    incident in April hurts SLA and satisfaction; after a dedicated account manager takes over in
    May the numbers recover and improve.
    """
    rng = np.random.default_rng(seed)
    production = _frame("concepts", "production", {
        "step": pd.array(["Cutting", "Welding", "Painting", "Assembly"], dtype="str"),
        "units_in": np.array([1000, 900, 800, 750], dtype="int64"),
        "good_first_pass": np.array([900, 800, 750, 700], dtype="int64"),
        "defective": np.array([100, 100, 50, 50], dtype="int64"),
        "minutes": np.array([2400, 4050, 2720, 3375], dtype="int64"),
    })

    months = [f"2025-{m:02d}" for m in range(1, 13)]
    t = np.arange(12)
    revenue = 1_180_000 * 1.012**t * rng.lognormal(0.0, 0.03, 12)
    revenue[3] *= 0.93  # service credit after the April incident
    tickets = np.round(52 + 4 * np.sin(t / 2.0) + rng.normal(0, 4, 12)).astype("int64")
    tickets[3] += 31  # the incident
    sla_rate = np.clip(0.86 + 0.008 * t + rng.normal(0, 0.015, 12), 0, 0.99)
    sla_rate[3] = 0.64
    sla_rate[4] = 0.81
    in_sla = np.round(tickets * sla_rate).astype("int64")
    csat_resp = np.round(tickets * rng.uniform(0.45, 0.6, 12)).astype("int64")
    csat_rate = np.clip(0.80 + 0.012 * t + rng.normal(0, 0.02, 12), 0, 0.97)
    csat_rate[3] = 0.58
    csat_rate[4] = 0.74
    csat_ok = np.round(csat_resp * csat_rate).astype("int64")
    nps_resp = rng.integers(14, 26, 12).astype("int64")
    prom_rate = np.clip(0.42 + 0.015 * t + rng.normal(0, 0.04, 12), 0, 0.8)
    det_rate = np.clip(0.18 - 0.008 * t + rng.normal(0, 0.03, 12), 0.02, 0.5)
    prom_rate[3] -= 0.15
    det_rate[3] += 0.17
    promoters = np.round(nps_resp * prom_rate).astype("int64")
    detractors = np.minimum(np.round(nps_resp * det_rate).astype("int64"), nps_resp - promoters)
    bank = _frame("concepts", "bank_client", {
        "month": pd.array(months, dtype="str"),
        "revenue": _money(np.round(revenue, 0)),
        "support_tickets": tickets,
        "tickets_resolved_in_sla": in_sla,
        "csat_responses": csat_resp,
        "csat_satisfied": csat_ok,
        "nps_promoters": promoters,
        "nps_detractors": detractors,
        "nps_responses": nps_resp,
    })
    return {"production": production, "bank_client": bank}
