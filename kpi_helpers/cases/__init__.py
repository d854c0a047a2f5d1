"""The cases: one entry per case in a registry, and the one call that analyses any of them.

The notebooks and ``kpi-cases kpis`` both call :func:`analyse`, so the figures a student sees and the
table a consultant's script reads come from the same code and can never diverge.

``analyse(case, data, **params)`` returns a :class:`CaseResult` with

* ``frames``: the intermediate tables the notebook shows and plots (monthly figures, Pareto table,
  account scores, ...), each computed once;
* ``key_accounts``: the accounts the case tracks KPIs for (verbatim names);
* ``kpis``: the tidy KPI table of DESIGN.md (``kpi, scope, period, value, unit, target, status`` plus
  ``partial`` and ``note``);
* ``notes``: sections skipped because optional data were missing, in words a reader understands.

Each case has its own module, named like the case, holding its analysis and the helpers its
notebook reads, in the notebook's order: :mod:`.startup`, :mod:`.consultancy`,
:mod:`.marketing_agency`, :mod:`.restaurant` and :mod:`.your_data` (``cases.startup.scenario_without``).
:mod:`.concepts` holds the helpers of the concepts notebook; it is no case (not in :data:`CASES`).
They are imported when first used, and this module imports neither numpy nor pandas, so
``kpi-cases list`` and ``--help`` stay fast. No module of this package imports plotting, widget or
papermill code.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..criteria import DEFAULT_WEIGHTS

if TYPE_CHECKING:
    import pandas as pd

    from ..data import CaseData
    from . import concepts, consultancy, marketing_agency, restaurant, startup, your_data

#: The case modules, loaded on first use (PEP 562).
CASE_MODULES = ("startup", "consultancy", "marketing_agency", "restaurant", "your_data")
#: Modules beside the cases that are no case (the concepts notebook's helpers), loaded the same way.
HELPER_MODULES = ("concepts",)

__all__ = ["Case", "CaseResult", "CASES", "CASE_MODULES", "HELPER_MODULES", "analyse", "known_parameters",
           "checked_parameters", "monthly_revenue_kpis", "revenue_kpi_rows", *CASE_MODULES, *HELPER_MODULES]

#: Shared by the pandas analysis and :mod:`kpi_helpers.engines`: name -> the module defining it.
_SHARED = {"monthly_revenue_kpis": "_revenue", "revenue_kpi_rows": "_revenue"}


@dataclass(frozen=True)
class Case:
    """A case: its name, notebook, tables and the defaults of its analysis parameters.

    Its analysis is ``run(data, params)`` in the module of the same name (``cases.<name>``).
    """

    name: str
    title: str
    notebook: str
    tables: tuple[str, ...]
    defaults: dict[str, Any]
    description: str


@dataclass
class CaseResult:
    """What :func:`analyse` returns: frames for the notebook, key accounts and the KPI table."""

    case: str
    frames: dict[str, Any]
    key_accounts: list[str]
    kpis: pd.DataFrame
    notes: list[str]
    currency: str = "NOK"
    #: Why each key account was picked: :func:`kpi_helpers.accounts.key_accounts`'s table (revenue,
    #: share, score and the booleans largest / major / best_scored), one row per key account.
    key_account_table: pd.DataFrame | None = None


_COMMON = {"max_key_accounts": 5, "major_threshold": 0.10, "currency": "NOK"}

CASES: dict[str, Case] = {
    "startup": Case(
        "startup", "A startup with two big customers", "01_startup.ipynb", ("invoices", "customers"),
        {**_COMMON, "targets": {"mom_growth": 0.03, "cmgr": 0.03, "top_customer_share": 0.40,
                                "customer_churn": 0.05},
         "weights": dict(DEFAULT_WEIGHTS), "abc_a": 0.80, "abc_b": 0.95, "recent_months": 6,
         "include_partial_months": False},
        "Customers A and B and a tail: revenue concentration, key-account scoring and monthly growth."),
    "consultancy": Case(
        "consultancy", "A consultancy with a multinational client", "02_consultancy.ipynb",
        ("projects", "timesheets", "consultants", "surveys"),
        {**_COMMON, "targets": {"csat": 0.85, "on_time_rate": 0.80, "utilization": 0.75,
                                "avg_completion_days": 120.0},
         "min_responses": 10, "min_finished_projects": 3},
        "CSAT, project completion time, utilization and revenue per consultant; the key client's view."),
    "marketing_agency": Case(
        "marketing_agency", "A digital marketing agency with a high-profile client",
        "03_marketing_agency.ipynb", ("campaign_stats",),
        {**_COMMON, "major_threshold": 0.25,
         "targets": {"ctr": 0.02, "cvr": 0.03, "cpa": 400.0, "roas": 4.0}},
        "CTR, CVR, CPC, CPA and ROAS by month, client, campaign and channel; ratios of sums."),
    "restaurant": Case(
        "restaurant", "A restaurant with a VIP guest", "04_restaurant.ipynb", ("visits", "tables"),
        {**_COMMON, "n_vip": 3, "open_hours_per_day": 6.0, "min_ratings": 10,
         "targets": {"avg_rating": 4.3, "table_turnover": 2.0, "revpash": 250.0}},
        "The VIP regular found by visits and spend; rating, revenue per table, turnover and RevPASH."),
    "your_data": Case(
        "your_data", "Your own transaction log", "05_your_data.ipynb", ("transactions", "customers"),
        {**_COMMON, "targets": {"mom_growth": 0.02, "cmgr": 0.02, "top_customer_share": 0.30},
         "weights": dict(DEFAULT_WEIGHTS), "abc_a": 0.80, "abc_b": 0.95, "recent_months": 6,
         "include_partial_months": False},
        "Any transaction log: key accounts (shares, Pareto/ABC, concentration, scoring) and revenue KPIs."),
}


def known_parameters(case: str) -> dict[str, Any]:
    """The analysis parameters of a case with their defaults (a fresh copy)."""
    if case not in CASES:
        raise KeyError(f"unknown case {case!r}; known: {', '.join(CASES)}")
    return {k: (dict(v) if isinstance(v, dict) else v) for k, v in CASES[case].defaults.items()}


def analyse(case: str, data: CaseData, **params: Any) -> CaseResult:
    """Run a case's analysis on loaded data and return frames, key accounts and the KPI table.

    Parameters not given take the case defaults (:func:`known_parameters`); ``targets`` given are
    merged into the default targets (a target of ``None`` removes one), ``weights`` replace them.
    The case's module (``cases.<case>``) is imported here, on first use.
    """
    p = checked_parameters(case, params)
    return importlib.import_module(f"{__name__}.{case}").run(data, p)


def checked_parameters(case: str, params: dict[str, Any]) -> dict[str, Any]:
    """The case defaults with ``params`` laid over them, as :func:`analyse` (and the engines) use them.

    ``targets`` given are merged into the default targets (None removes one), ``weights`` replace
    them; an unknown name is a TypeError.
    """
    if case not in CASES:
        raise KeyError(f"unknown case {case!r}; known: {', '.join(CASES)}")
    from ._common import check_params

    p = check_params(case, CASES[case].defaults, params)
    p["targets"] = {k: v for k, v in p["targets"].items() if v is not None}
    return p


def __getattr__(name: str) -> Any:
    """``cases.startup``, the other case modules and ``cases.concepts``, imported when first looked up."""
    if name in CASE_MODULES or name in HELPER_MODULES:
        return importlib.import_module(f"{__name__}.{name}")
    if name in _SHARED:
        return getattr(importlib.import_module(f"{__name__}.{_SHARED[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
