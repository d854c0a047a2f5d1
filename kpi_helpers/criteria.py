"""The key-account score's vocabulary: its criteria, their default weights and the portfolio quadrants.

Plain Python (no numpy, no pandas), so the case registry (:mod:`kpi_helpers.cases`, read by
``kpi-cases list`` and ``--help``) can name the default weights without importing pandas. The
computing lives in :mod:`kpi_helpers.scoring`, which re-exports these names, as does
:mod:`kpi_helpers.accounts`.
"""
from __future__ import annotations

__all__ = ["DEFAULT_WEIGHTS", "SCORE_CRITERIA", "QUADRANTS"]

#: Default weights of the key-account score (they sum to 1).
DEFAULT_WEIGHTS: dict[str, float] = {
    "revenue_share": 0.35,
    "revenue_growth": 0.15,
    "strategic_value": 0.2,
    "growth_potential": 0.15,
    "engagement": 0.15,
}

#: Criteria given as 1-5 judgement scores (the customers table); they are normalised as
#: (x - 1) / 4 so that 1 -> 0 and 5 -> 1. Every other criterion is min-max normalised.
SCORE_CRITERIA = ("strategic_value", "growth_potential", "engagement")

#: Quadrants of :func:`portfolio_matrix`.
QUADRANTS = ("key account", "develop", "maintain", "efficiency")
