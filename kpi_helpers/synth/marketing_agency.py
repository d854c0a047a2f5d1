"""The marketing agency's daily campaign statistics by client, campaign and channel; one high-profile client.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ._common import SEEDS, _frame, _sorted, _money

__all__ = ["MARKETING_KEY_CLIENT", "marketing_agency"]


MARKETING_KEY_CLIENT = "Fjordline Travel ASA"

# channel: (impressions per day at budget 1, CTR low, CTR high, CVR low, CVR high, price model)
_CHANNELS: dict[str, tuple[float, float, float, float, float]] = {
    #          ctr_lo  ctr_hi  cvr_lo  cvr_hi  cpc_or_cpm
    "Search": (0.030, 0.060, 0.040, 0.090, 9.0),   # cost per click (NOK)
    "Social": (0.008, 0.015, 0.012, 0.030, 65.0),  # cost per 1000 impressions (NOK)
    "Display": (0.001, 0.005, 0.005, 0.015, 28.0),
    "Video": (0.004, 0.009, 0.004, 0.012, 95.0),
}

# monthly demand patterns for the always-on campaigns (index 0 = January)
_MARKETING_SEASON: dict[str, list[float]] = {
    "travel": [1.30, 1.20, 1.10, 1.00, 1.00, 1.05, 0.95, 0.80, 0.80, 0.85, 0.90, 0.95],
    "retail": [0.95, 0.85, 0.90, 0.95, 1.00, 1.00, 0.85, 0.90, 1.00, 1.05, 1.30, 1.40],
    "bikes": [0.60, 0.70, 1.10, 1.50, 1.50, 1.30, 1.00, 0.90, 0.90, 0.80, 0.80, 0.90],
    "services": [1.05, 1.05, 1.05, 1.00, 1.00, 0.95, 0.70, 0.95, 1.10, 1.10, 1.05, 0.85],
}

# One entry per campaign. imp = impressions per day at full flight (split over the channels),
# aov = value of one conversion in NOK; optional overrides: ctr (a fixed CTR), cvr (multiplier),
# price (multiplier on CPC/CPM), season (a key of _MARKETING_SEASON for always-on campaigns).
_CAMPAIGNS: list[dict[str, Any]] = [
    {"client": MARKETING_KEY_CLIENT, "campaign": "FL Brand Search", "channels": ["Search"],
     "start": "2025-01-01", "end": "2025-12-31", "imp": 5200, "aov": 3900, "season": "travel",
     "price": 1.3},
    {"client": MARKETING_KEY_CLIENT, "campaign": "FL Northern Lights Winter",
     "channels": ["Social", "Video", "Display"], "start": "2025-01-01", "end": "2025-03-16",
     "imp": 60000, "aov": 4300},
    {"client": MARKETING_KEY_CLIENT, "campaign": "FL Summer Fjords",
     "channels": ["Search", "Social", "Display", "Video"], "start": "2025-02-17",
     "end": "2025-07-31", "imp": 70000, "aov": 4100},
    {"client": MARKETING_KEY_CLIENT, "campaign": "FL Awareness Display", "channels": ["Display"],
     "start": "2025-03-03", "end": "2025-09-28", "imp": 260000, "aov": 4800, "ctr": 0.0011},
    {"client": MARKETING_KEY_CLIENT, "campaign": "FL Loyalty Retargeting", "channels": ["Social"],
     "start": "2025-04-07", "end": "2025-10-26", "imp": 260, "aov": 1400, "ctr": 0.085,
     "price": 3.5, "cvr": 2.0},
    {"client": MARKETING_KEY_CLIENT, "campaign": "FL Christmas Cruises",
     "channels": ["Search", "Social", "Display"], "start": "2025-10-06", "end": "2025-12-21",
     "imp": 32000, "aov": 4300},
    {"client": "Nordhav Sjømat AS", "campaign": "Nordhav Brand Search",
     "channels": ["Search", "Display"], "start": "2025-01-01", "end": "2025-12-31", "imp": 5000,
     "aov": 780, "season": "retail"},
    {"client": "Nordhav Sjømat AS", "campaign": "Nordhav Summer Grill",
     "channels": ["Social", "Video"], "start": "2025-05-12", "end": "2025-08-17", "imp": 38000,
     "aov": 690},
    {"client": "Nordhav Sjømat AS", "campaign": "Nordhav Christmas Seafood",
     "channels": ["Search", "Social", "Display"], "start": "2025-11-10", "end": "2025-12-22",
     "imp": 45000, "aov": 1150},
    {"client": "Trondheim Sykkelsenter AS", "campaign": "TS Brand Search",
     "channels": ["Search", "Display"], "start": "2025-01-01", "end": "2025-12-31", "imp": 6000,
     "aov": 2400, "season": "bikes"},
    {"client": "Trondheim Sykkelsenter AS", "campaign": "TS Spring Bikes",
     "channels": ["Search", "Social", "Display", "Video"], "start": "2025-03-03",
     "end": "2025-06-15", "imp": 36000, "aov": 3600},
    {"client": "Trondheim Sykkelsenter AS", "campaign": "TS Winter Service", "channels": ["Search"],
     "start": "2025-10-13", "end": "2025-12-14", "imp": 2600, "aov": 1100},
    {"client": "Vestkyst Eiendom AS", "campaign": "Vestkyst New Homes",
     "channels": ["Social", "Display", "Search"], "start": "2025-02-03", "end": "2025-11-30",
     "imp": 30000, "aov": 2600},
    {"client": "Vestkyst Eiendom AS", "campaign": "Vestkyst Valuation Leads",
     "channels": ["Search", "Social"], "start": "2025-01-13", "end": "2025-12-14", "imp": 9000,
     "aov": 2100},
    {"client": "Lysaker Tannklinikk AS", "campaign": "Lysaker New Patients",
     "channels": ["Search", "Social", "Display"], "start": "2025-01-01", "end": "2025-12-31",
     "imp": 9000, "aov": 1900, "season": "services"},
    {"client": "Lysaker Tannklinikk AS", "campaign": "Lysaker Invisalign",
     "channels": ["Video", "Social"], "start": "2025-09-01", "end": "2025-11-30", "imp": 26000,
     "aov": 7500, "cvr": 0.7},
    {"client": "Polar Outdoor AS", "campaign": "Polar Always-on",
     "channels": ["Search", "Social", "Display"], "start": "2025-01-01", "end": "2025-12-31",
     "imp": 16000, "aov": 1350, "season": "retail"},
    {"client": "Polar Outdoor AS", "campaign": "Polar January Sale",
     "channels": ["Search", "Social"], "start": "2025-01-02", "end": "2025-01-31", "imp": 40000,
     "aov": 1100},
    {"client": "Polar Outdoor AS", "campaign": "Polar Autumn Collection",
     "channels": ["Search", "Social", "Video", "Display"], "start": "2025-08-11",
     "end": "2025-10-26", "imp": 55000, "aov": 1600},
    {"client": "Polar Outdoor AS", "campaign": "Polar Black Friday",
     "channels": ["Search", "Social", "Display"], "start": "2025-11-10", "end": "2025-11-30",
     "imp": 90000, "aov": 1450},
]

# channel share of a campaign's impressions
_CHANNEL_WEIGHT = {"Search": 0.12, "Social": 0.45, "Display": 1.0, "Video": 0.35}


def marketing_agency(seed: int = SEEDS["marketing_agency"]) -> dict[str, pd.DataFrame]:
    """A digital marketing agency's daily campaign statistics, 2025-01..2025-12.

    Story: six clients, twenty campaigns, one row per day, campaign and channel while a campaign
    runs. Fjordline Travel ASA is the high-profile client (six campaigns across all four channels,
    the largest spend). CTR depends on the channel (search 3-6 %, social 0.8-1.5 %, display
    0.1-0.5 %, video in between). "FL Loyalty Retargeting" has a very high CTR on a few hundred
    impressions a day and "FL Awareness Display" a very low CTR on half a million, so the average
    of per-campaign rates differs clearly from the ratio of sums.
    """
    rng = np.random.default_rng(seed)
    year_days = pd.date_range("2025-01-01", "2025-12-31", freq="D")
    frames: list[pd.DataFrame] = []
    for spec in _CAMPAIGNS:
        client, campaign = str(spec["client"]), str(spec["campaign"])
        channels = list(spec["channels"])
        imp_day, aov = float(spec["imp"]), float(spec["aov"])
        ctr_override = spec.get("ctr")
        cvr_mult = float(spec.get("cvr", 1.0))
        price_mult = float(spec.get("price", 1.0))
        days = pd.date_range(str(spec["start"]), str(spec["end"]), freq="D")
        n = len(days)
        pos = np.arange(n)
        if "season" in spec:  # always-on: monthly demand pattern, no flight shape
            ramp = np.ones(n)
            fatigue = np.array(_MARKETING_SEASON[str(spec["season"])])[days.month.to_numpy() - 1]
        else:  # flight: ramp up over the first week, a little fatigue towards the end
            ramp = np.minimum(1.0, 0.45 + pos / 10.0)
            fatigue = 1.0 - 0.15 * pos / max(n - 1, 1)
        for ch in channels:
            ctr_lo, ctr_hi, cvr_lo, cvr_hi, price = _CHANNELS[ch]
            wd = days.day_of_week.to_numpy()
            if ch == "Search":
                wk = np.where(wd < 5, 1.08, 0.80)
            elif ch == "Social":
                wk = np.where(wd < 5, 0.94, 1.15)
            else:
                wk = np.where(wd < 5, 1.0, 1.02)
            # a slow random walk for budget changes and auction pressure
            walk = np.exp(np.cumsum(rng.normal(0.0, 0.03, n)))
            walk = walk / walk.mean()
            level = imp_day * (1.0 if len(channels) == 1 else _CHANNEL_WEIGHT[ch])
            mean_imp = level * ramp * fatigue * wk * walk * rng.lognormal(0.0, 0.12, n)
            impressions = rng.poisson(np.maximum(mean_imp, 0.0)).astype("int64")
            base_ctr = (float(ctr_override) if ctr_override is not None
                        else rng.uniform(ctr_lo, ctr_hi))
            ctr = np.clip(base_ctr * rng.lognormal(0.0, 0.10, n) * (0.9 + 0.1 * ramp), 0, 0.5)
            clicks = rng.binomial(impressions, ctr).astype("int64")
            base_cvr = rng.uniform(cvr_lo, cvr_hi) * cvr_mult
            cvr = np.clip(base_cvr * rng.lognormal(0.0, 0.15, n), 0, 0.9)
            conversions = rng.binomial(clicks, cvr).astype("int64")
            if ch == "Search":
                cpc = price * price_mult * rng.uniform(0.7, 1.6) * rng.lognormal(0.0, 0.08, n)
                spend = clicks * cpc
            else:
                cpm = price * price_mult * rng.uniform(0.8, 1.25) * rng.lognormal(0.0, 0.06, n)
                spend = impressions / 1000.0 * cpm
            value = np.where(conversions > 0,
                             conversions * aov * rng.lognormal(0.0, 0.25, n), 0.0)
            frames.append(pd.DataFrame({
                "date": days, "client": client, "campaign": campaign, "channel": ch,
                "impressions": impressions, "clicks": clicks, "conversions": conversions,
                "spend": _money(spend), "conversion_value": _money(value),
            }))
    stats = pd.concat(frames, ignore_index=True)
    assert stats["date"].min() == year_days[0] and stats["date"].max() == year_days[-1]
    stats = _frame("marketing_agency", "campaign_stats", {
        "date": pd.DatetimeIndex(stats["date"]),
        "client": stats["client"].astype("str"),
        "campaign": stats["campaign"].astype("str"),
        "channel": stats["channel"].astype("str"),
        "impressions": stats["impressions"].astype("int64"),
        "clicks": stats["clicks"].astype("int64"),
        "conversions": stats["conversions"].astype("int64"),
        "spend": stats["spend"].astype(float),
        "conversion_value": stats["conversion_value"].astype(float),
    })
    stats = _sorted(stats, ["date", "client", "campaign", "channel"])
    return {"campaign_stats": stats}
