"""Helpers for the concepts notebook (``00_concepts``): the side examples of key account vs KPI.

They sit beside the cases (``from kpi_helpers.cases import concepts``) but are no case: ``concepts`` is
not in :data:`kpi_helpers.cases.CASES` and has no ``run``.

Two small data sets of ``data/concepts`` tell the two halves of the idea:

* ``bank_client``: one key account (a software company's bank client) month by month. Its
  health KPIs (revenue, tickets resolved within the SLA, CSAT, NPS) are what its dedicated
  account manager follows: :func:`bank_client_monthly`, :func:`bank_client_totals`,
  :func:`bank_client_kpi_table`, :func:`account_vs_company`;
* ``production``: a manufacturer's line of steps, with the quality and time KPIs of the whole
  business (defect-free share, first-pass yield, rolled throughput yield, time per unit):
  :func:`production_steps`, :func:`production_summary`, :func:`rty_with`,
  :func:`rty_sensitivity`.

And the SMART side: :func:`smart_table` (several definitions side by side),
:func:`smart_self_check` (the self-check of the "write your own KPI" exercise),
:func:`catalogue_frame` (catalogue KPIs as a table) and :func:`kpi_status_pivot` (a KPI table as
month x KPI text).

Every KPI is computed with :mod:`kpi_helpers.kpis` (ratios of sums; NaN, never inf, when a
denominator is 0). Nothing here draws, and no function changes its arguments.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .. import display, kpis, scorecard
from ..exercises import CheckResult
from ..i18n import tr

__all__ = [
    "ACCOUNT",
    "CATALOGUE",
    "SLA_KPI",
    "BANK_KPIS",
    "account_vs_company",
    "bank_kpis",
    "kpi_names",
    "smart_reasons",
    "translated",
    "bank_client_kpi_table",
    "bank_client_monthly",
    "bank_client_totals",
    "catalogue_frame",
    "format_kpi_table",
    "kpi_status_pivot",
    "production_steps",
    "production_summary",
    "rty_sensitivity",
    "rty_with",
    "smart_self_check",
    "smart_table",
    "with_labels",
]

#: The key account's name in the bank client's KPI table (scope ``account:Bank client``).
ACCOUNT = "Bank client"

#: Share of support tickets resolved within the agreed service level (not in the case catalogue).
SLA_KPI = scorecard.KPI(
    id="sla_rate",
    name="Tickets resolved within SLA",
    formula="tickets resolved within the SLA / support tickets opened",
    unit="ratio",
    direction="higher",
    description="Goal: keep the service promise in the client's contract.",
)

#: The case catalogue plus ``sla_rate``: what :func:`bank_client_kpi_table` builds its table from.
CATALOGUE: dict[str, scorecard.KPI] = {**scorecard.KPI_CATALOGUE, "sla_rate": SLA_KPI}
#: Readable names of :data:`CATALOGUE` for :mod:`kpi_helpers.display`.
_NAMES: dict[str, str] = {k: v.name for k, v in CATALOGUE.items()}

_BANK_COLUMNS = ("month", "revenue", "support_tickets", "tickets_resolved_in_sla", "csat_responses",
                 "csat_satisfied", "nps_promoters", "nps_detractors", "nps_responses")
_PRODUCTION_COLUMNS = ("step", "units_in", "good_first_pass", "defective", "minutes")

#: The bank client's KPIs as the notebook shows them: id -> (display label, unit).
BANK_KPIS: dict[str, tuple[str, str]] = {
    "revenue": ("Revenue", "currency"),
    "sla_rate": ("Tickets within SLA", "ratio"),
    "csat": ("CSAT", "ratio"),
    "nps": ("NPS", "index"),
}


def bank_kpis() -> dict[str, tuple[str, str]]:
    """:data:`BANK_KPIS` with its labels in the language now (:func:`kpi_helpers.i18n.tr`).

    >>> bank_kpis()["sla_rate"]
    ('Tickets within SLA', 'ratio')
    """
    return {k: (tr(label), unit) for k, (label, unit) in BANK_KPIS.items()}


def kpi_names() -> dict[str, str]:
    """The names of :data:`CATALOGUE`'s KPIs in the language now: the catalogue KPIs from
    :func:`kpi_helpers.display.kpi_name`, ``sla_rate`` from :func:`kpi_helpers.i18n.tr`.

    >>> kpi_names()["sla_rate"], kpi_names()["csat"]
    ('Tickets resolved within SLA', 'Customer satisfaction (CSAT)')
    """
    return {k: tr(v.name) if k not in scorecard.KPI_CATALOGUE else display.kpi_name(k) for k, v in CATALOGUE.items()}


def translated(frame: pd.DataFrame | pd.Series, *, headers: bool = True) -> pd.DataFrame | pd.Series:
    """A table to show, in the language now: column headers, the index's labels and name, and the
    values of a ``step``, ``unit`` or ``note`` column (production steps, unit ids, the KPI table's
    notes), each through :func:`kpi_helpers.i18n.tr` (the English text is unchanged;
    ``locale/nb/00_concepts.po`` has the Bokmål words).

    Only for display: the column ids the code uses are gone from the result in Bokmål.
    ``headers=False`` keeps the column ids (a table whose columns the exercises name) and translates
    only the steps.

    >>> translated(pd.DataFrame({"step": ["Welding"], "minutes": [1.0]})).columns.tolist()
    ['step', 'minutes']
    """
    out = frame.copy()
    if isinstance(out, pd.DataFrame):
        for column in ("step", "unit", "note"):  # display words kept in English in the data (ids, notes)
            if column in out.columns:
                out[column] = [tr(str(v)) if isinstance(v, str) and v else v for v in out[column]]
    return display.shown_names(out, tr, index_labels=True) if headers else out


def smart_reasons(kpi: Any, variant: str = "common") -> pd.DataFrame:
    """:func:`kpi_helpers.scorecard.smart_check` as shown in the notebook: its column headers in the
    language now (the criteria and reasons are already).

    >>> smart_reasons("csat").columns.tolist()
    ['criterion', 'ok', 'reason']
    """
    return scorecard.smart_check(kpi, variant=variant).rename(columns=lambda c: tr(str(c)))


def _require(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{what} must be a DataFrame, got {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what} is missing the column(s) {missing}")


# ---------------------------------------------------------------------------------------------
# the bank client: one key account's KPIs
# ---------------------------------------------------------------------------------------------
def bank_client_monthly(bank: pd.DataFrame) -> pd.DataFrame:
    """The bank client's health KPIs per month, from the counts in ``bank_client.csv``.

    Formulas (each month on its own):

    * ``revenue``: the month's revenue (currency); ``mom_growth`` = (R_t - R_t-1) / R_t-1;
    * ``sla_rate`` = tickets_resolved_in_sla / support_tickets (ratio);
    * ``csat`` = csat_satisfied / csat_responses (ratio; satisfied = 4 or 5 of 5);
    * ``nps`` = (nps_promoters - nps_detractors) / nps_responses x 100 (index, -100..100).

    A month without tickets or answers has NaN for that rate (never inf).

    Parameters
    ----------
    bank : DataFrame
        The ``bank_client`` table (``month``, ``revenue``, ``support_tickets``,
        ``tickets_resolved_in_sla``, ``csat_responses``, ``csat_satisfied``, ``nps_promoters``,
        ``nps_detractors``, ``nps_responses``); rows in any order.

    Returns
    -------
    DataFrame
        One row per month, sorted: ``period, revenue, mom_growth, support_tickets, sla_rate,
        csat_responses, csat, nps_responses, nps``.

    Examples
    --------
    >>> bank = pd.DataFrame({"month": ["2025-01", "2025-02"], "revenue": [100.0, 110.0],
    ...     "support_tickets": [10, 0], "tickets_resolved_in_sla": [9, 0], "csat_responses": [4, 5],
    ...     "csat_satisfied": [3, 5], "nps_promoters": [5, 2], "nps_detractors": [1, 2],
    ...     "nps_responses": [10, 4]})
    >>> bank_client_monthly(bank)[["period", "mom_growth", "sla_rate", "csat", "nps"]]
        period  mom_growth  sla_rate  csat   nps
    0  2025-01         NaN       0.9  0.75  40.0
    1  2025-02         0.1       NaN  1.00   0.0
    """
    _require(bank, _BANK_COLUMNS, "the bank_client table")
    b = bank.sort_values("month", kind="stable").reset_index(drop=True)
    revenue = b["revenue"].astype(float)
    return pd.DataFrame({
        "period": b["month"].astype("str"),
        "revenue": revenue,
        "mom_growth": kpis.mom_growth(revenue),
        "support_tickets": b["support_tickets"],
        "sla_rate": kpis.safe_ratio(b["tickets_resolved_in_sla"], b["support_tickets"]),
        "csat_responses": b["csat_responses"],
        "csat": kpis.csat(b["csat_satisfied"], b["csat_responses"]),
        "nps_responses": b["nps_responses"],
        "nps": kpis.nps(b["nps_promoters"], b["nps_detractors"], b["nps_responses"]),
    })


def bank_client_totals(bank: pd.DataFrame) -> pd.Series:
    """The bank client's KPIs over the whole period: ratios of the period's sums.

    ``revenue`` is the total; ``sla_rate``, ``csat`` and ``nps`` are computed from the summed
    counts (all tickets, all answers), *not* as the mean of the monthly values: a month with many
    answers weighs more than a quiet one. ``cmgr`` is the compound monthly revenue growth from the
    first to the last month.

    Returns
    -------
    Series
        Indexed ``revenue, cmgr, sla_rate, csat, nps`` (float; NaN where undefined).

    Examples
    --------
    >>> bank = pd.DataFrame({"month": ["2025-01", "2025-02"], "revenue": [100.0, 121.0],
    ...     "support_tickets": [10, 30], "tickets_resolved_in_sla": [9, 21], "csat_responses": [4, 6],
    ...     "csat_satisfied": [3, 5], "nps_promoters": [5, 2], "nps_detractors": [1, 2],
    ...     "nps_responses": [10, 10]})
    >>> bank_client_totals(bank).round(4).to_dict()
    {'revenue': 221.0, 'cmgr': 0.21, 'sla_rate': 0.75, 'csat': 0.8, 'nps': 20.0}
    """
    _require(bank, _BANK_COLUMNS, "the bank_client table")
    b = bank.sort_values("month", kind="stable")
    s = {c: float(b[c].sum()) for c in _BANK_COLUMNS[2:]}
    return pd.Series({
        "revenue": kpis.revenue(b["revenue"]),
        "cmgr": kpis.cmgr_from_series(b["revenue"].astype(float)) if len(b) else math.nan,
        "sla_rate": kpis.safe_ratio(s["tickets_resolved_in_sla"], s["support_tickets"]),
        "csat": kpis.csat(s["csat_satisfied"], s["csat_responses"]),
        "nps": kpis.nps(s["nps_promoters"], s["nps_detractors"], s["nps_responses"]),
    }, dtype=float)


def bank_client_kpi_table(bank: pd.DataFrame, targets: Mapping[str, float] | None = None, *,
                          account: str = ACCOUNT) -> pd.DataFrame:
    """The bank client's KPI table in the project's tidy format (scope ``account:<account>``).

    Rows: ``revenue`` (whole period and each month), ``mom_growth`` (each month), ``cmgr``
    (whole period), ``sla_rate``, ``csat`` and ``nps`` (whole period and each month), built with
    :func:`kpi_helpers.scorecard.kpi_table` and :data:`CATALOGUE`.

    Parameters
    ----------
    bank : DataFrame
        The ``bank_client`` table.
    targets : mapping KPI id -> number, optional
        The account's targets (``{"csat": 0.85, "nps": 30, "sla_rate": 0.9, "revenue": 1.2e6}``).
        A revenue target is a monthly one: it is not applied to the whole-period total.
    account : str
        The account's name in the ``scope`` column.

    Returns
    -------
    DataFrame
        Columns ``kpi, scope, period, value, unit, target, status, partial, note``.

    Examples
    --------
    >>> bank = pd.DataFrame({"month": ["2025-01"], "revenue": [100.0], "support_tickets": [10],
    ...     "tickets_resolved_in_sla": [9], "csat_responses": [4], "csat_satisfied": [3],
    ...     "nps_promoters": [5], "nps_detractors": [1], "nps_responses": [10]})
    >>> t = bank_client_kpi_table(bank, {"csat": 0.8})
    >>> t.loc[t["kpi"] == "csat", ["period", "value", "target", "status"]]
        period  value  target     status
    4      all   0.75     0.8  off_track
    5  2025-01   0.75     0.8  off_track
    """
    monthly = bank_client_monthly(bank)
    totals = bank_client_totals(bank)
    scope = f"account:{account}"
    rows: list[dict[str, Any]] = []
    for kpi in ("revenue", "mom_growth", "cmgr", "sla_rate", "csat", "nps"):
        if kpi in totals.index:
            rows.append({"kpi": kpi, "scope": scope, "period": "all", "value": totals[kpi]})
        if kpi in monthly.columns:
            rows.extend({"kpi": kpi, "scope": scope, "period": p, "value": v}
                        for p, v in zip(monthly["period"], monthly[kpi]))
    scoped = {(k, scope): float(v) for k, v in (targets or {}).items() if v is not None}
    return scorecard.kpi_table(rows, targets=scoped, catalogue=CATALOGUE)


def account_vs_company(account_values: Mapping[str, float] | pd.Series, company: Mapping[str, float], *,
                       account: str = ACCOUNT, company_label: str | None = None) -> pd.DataFrame:
    """The key account's KPIs next to the whole company's, for the KPIs both have.

    Parameters
    ----------
    account_values : Series or mapping KPI id -> value
        E.g. :func:`bank_client_totals`.
    company : mapping KPI id -> value
        The company-wide values of the same KPIs (e.g. from the company's dashboard).

    Returns
    -------
    DataFrame
        Index = the KPI ids found in both (in the order of ``company``), columns
        ``[company_label, account]``: the layout :func:`kpi_helpers.plots.compare_account_vs_all`
        draws.

    Examples
    --------
    >>> account_vs_company({"csat": 0.8, "nps": 20.0}, {"csat": 0.75, "sla_rate": 0.9})
          whole company  Bank client
    csat           0.75          0.8
    """
    company_label = tr("whole company") if company_label is None else company_label
    acc = dict(account_values)
    ids = [k for k in company if k in acc]
    return pd.DataFrame({company_label: [float(company[k]) for k in ids],
                         account: [float(acc[k]) for k in ids]}, index=pd.Index(ids, dtype="str"))


def with_labels(frame: pd.DataFrame, targets: Mapping[str, float] | None = None, *,
                axis: str = "columns") -> tuple[pd.DataFrame, dict[str, str], dict[str, float]]:
    """The bank client's KPI columns (or index) renamed to display labels, with units and targets to match.

    Plot functions title each panel after its column ("Tickets within SLA" rather than
    "sla_rate"); this gives them the renamed frame, the units by label and the targets by label,
    for the KPIs of :data:`BANK_KPIS` found on ``axis``, in that order. Other columns are kept.

    Returns
    -------
    (DataFrame, dict label -> unit, dict label -> target)

    Examples
    --------
    >>> f = pd.DataFrame({"period": ["2025-01"], "csat": [0.8], "nps": [20.0]})
    >>> shown, units, tg = with_labels(f, {"csat": 0.85})
    >>> list(shown.columns), units, tg
    (['period', 'CSAT', 'NPS'], {'CSAT': 'ratio', 'NPS': 'index'}, {'CSAT': 0.85})
    """
    if axis not in ("columns", "index"):
        raise ValueError(f"axis must be 'columns' or 'index', got {axis!r}")
    present = set(frame.columns if axis == "columns" else frame.index)
    labelled = bank_kpis()
    ids = [k for k in labelled if k in present]
    names = {k: labelled[k][0] for k in ids}
    shown = frame.rename(columns=names) if axis == "columns" else frame.rename(index=names)
    units = {names[k]: labelled[k][1] for k in ids}
    shown_targets = {names[k]: float(v) for k, v in (targets or {}).items() if k in names and v is not None}
    return shown, units, shown_targets


# ---------------------------------------------------------------------------------------------
# the manufacturer: KPIs of the whole line
# ---------------------------------------------------------------------------------------------
def production_steps(production: pd.DataFrame) -> pd.DataFrame:
    """Quality and time KPIs of each production step, in line order.

    Formulas per step:

    * ``first_pass_yield`` = good_first_pass / units_in (good at the first attempt);
    * ``defect_free_share`` = 1 - defective / units_in (:func:`kpi_helpers.kpis.defect_free_share`,
      whose units started are, for one step, the units entering it);
    * ``minutes_per_unit`` = minutes / units_in: the step's working time per unit that enters it
      (a step's processing time, not the KPI average time per unit of
      :func:`kpi_helpers.kpis.avg_time_per_unit`, which divides by the good units of the line);
    * ``cumulative_yield``: product of the first-pass yields up to and including this step, the
      share of the line's started units that are still good after it (the last one is the rolled
      throughput yield).

    A step with ``units_in == 0`` has NaN rates (and the cumulative yield is NaN from there on).

    Examples
    --------
    >>> prod = pd.DataFrame({"step": ["Cut", "Weld"], "units_in": [100, 80], "good_first_pass": [80, 60],
    ...                      "defective": [20, 20], "minutes": [200, 400]})
    >>> production_steps(prod)[["step", "first_pass_yield", "minutes_per_unit", "cumulative_yield"]]
       step  first_pass_yield  minutes_per_unit  cumulative_yield
    0   Cut              0.80               2.0               0.8
    1  Weld              0.75               5.0               0.6
    """
    _require(production, _PRODUCTION_COLUMNS, "the production table")
    p = production.reset_index(drop=True)
    fpy = kpis.first_pass_yield(p["good_first_pass"], p["units_in"])
    cumulative = [kpis.rolled_throughput_yield(fpy.iloc[: i + 1]) for i in range(len(p))]
    return pd.DataFrame({
        "step": p["step"].astype("str"),
        "units_in": p["units_in"],
        "good_first_pass": p["good_first_pass"],
        "defective": p["defective"],
        "minutes": p["minutes"].astype(float),
        "first_pass_yield": fpy,
        "defect_free_share": kpis.defect_free_share(p["defective"], p["units_in"]),
        "minutes_per_unit": kpis.safe_ratio(p["minutes"].astype(float), p["units_in"]),
        "cumulative_yield": pd.Series(cumulative, dtype=float),
    })


def production_summary(production: pd.DataFrame) -> pd.Series:
    """The KPIs of the whole line.

    * ``units_started``: units entering the first step; ``good_units_out``: units good at the
      first attempt in the last step;
    * ``defective``: defective units found at any step;
    * ``defect_free_share`` = 1 - defective / units_started (:func:`kpi_helpers.kpis.defect_free_share`);
    * ``rolled_throughput_yield``: the product of the steps' first-pass yields;
    * ``total_minutes``: working time of all steps;
    * ``minutes_per_good_unit`` = total_minutes / good_units_out: the average time per unit
      (:func:`kpi_helpers.kpis.avg_time_per_unit`: per good unit, including the time spent on
      units that were scrapped later);
    * ``minutes_per_unit_passed``: the sum of the steps' minutes per unit, the time a unit that
      passes every step takes.

    When defective units are scrapped (each step receives the previous step's good units),
    ``defect_free_share``, ``good_units_out / units_started`` and the rolled throughput yield are
    the same number; with rework they differ (see the notebook).

    Examples
    --------
    >>> prod = pd.DataFrame({"step": ["Cut", "Weld"], "units_in": [100, 80], "good_first_pass": [80, 60],
    ...                      "defective": [20, 20], "minutes": [200, 400]})
    >>> production_summary(prod).round(4).to_dict()  # doctest: +NORMALIZE_WHITESPACE
    {'units_started': 100.0, 'good_units_out': 60.0, 'defective': 40.0, 'defect_free_share': 0.6,
     'rolled_throughput_yield': 0.6, 'total_minutes': 600.0, 'minutes_per_good_unit': 10.0,
     'minutes_per_unit_passed': 7.0}
    """
    steps = production_steps(production)
    if steps.empty:
        started = good = math.nan
    else:
        started, good = float(steps["units_in"].iloc[0]), float(steps["good_first_pass"].iloc[-1])
    defective = float(steps["defective"].sum())
    total = float(steps["minutes"].sum())
    per_unit = steps["minutes_per_unit"]
    return pd.Series({
        "units_started": started,
        "good_units_out": good,
        "defective": defective,
        "defect_free_share": kpis.defect_free_share(defective, started),
        "rolled_throughput_yield": kpis.rolled_throughput_yield(steps["first_pass_yield"]),
        "total_minutes": total,
        "minutes_per_good_unit": kpis.avg_time_per_unit(total, good),
        "minutes_per_unit_passed": float(per_unit.sum()) if len(per_unit) and per_unit.notna().all() else math.nan,
    }, dtype=float)


def rty_with(steps: pd.DataFrame, step: str, new_yield: float) -> float:
    """The rolled throughput yield if one step's first-pass yield were ``new_yield``.

    Parameters
    ----------
    steps : DataFrame
        :func:`production_steps` (``step`` and ``first_pass_yield``).
    step : str
        The step to change (a KeyError names the steps when it is not there).
    new_yield : float
        Its first-pass yield, a fraction 0..1.

    Examples
    --------
    >>> steps = pd.DataFrame({"step": ["Cut", "Weld"], "first_pass_yield": [0.8, 0.75]})
    >>> rty_with(steps, "Weld", 1.0)
    0.8
    """
    names = steps["step"].astype(str).tolist()
    if step not in names:
        raise KeyError(f"no step {step!r}; the steps are {names}")
    yields = steps["first_pass_yield"].astype(float).to_numpy().copy()
    yields[names.index(step)] = float(new_yield)
    return kpis.rolled_throughput_yield(yields)


def rty_sensitivity(steps: pd.DataFrame) -> pd.DataFrame:
    """Which step to fix first: the rolled throughput yield if each step in turn were perfect.

    Returns
    -------
    DataFrame
        One row per step (line order): ``step, first_pass_yield, rty_if_perfect, gain``
        (gain = rty_if_perfect - the current rolled throughput yield, in fractions).

    Examples
    --------
    >>> steps = pd.DataFrame({"step": ["Cut", "Weld"], "first_pass_yield": [0.8, 0.75]})
    >>> rty_sensitivity(steps).round(2)
       step  first_pass_yield  rty_if_perfect  gain
    0   Cut              0.80            0.75  0.15
    1  Weld              0.75            0.80  0.20
    """
    now = kpis.rolled_throughput_yield(steps["first_pass_yield"])
    perfect = [rty_with(steps, s, 1.0) for s in steps["step"].astype(str)]
    return pd.DataFrame({
        "step": steps["step"].astype("str").to_numpy(),
        "first_pass_yield": steps["first_pass_yield"].astype(float).to_numpy(),
        "rty_if_perfect": np.array(perfect, dtype=float),
        "gain": np.array(perfect, dtype=float) - now,
    })


# ---------------------------------------------------------------------------------------------
# SMART
# ---------------------------------------------------------------------------------------------
def smart_table(definitions: Mapping[str, scorecard.KPI], variant: str = "common") -> pd.DataFrame:
    """Several KPI definitions checked side by side: one row per SMART letter, one column per KPI.

    Cells read ``"✅ written down"`` or ``"❌ missing"``: a computer can only see that each part of
    the definition is there (a target, not that the target can be reached);
    :func:`kpi_helpers.scorecard.smart_check` gives the reasons.

    Examples
    --------
    >>> good = scorecard.kpi_from_catalogue("csat", target=0.85, period="monthly", owner="account manager")
    >>> vague = scorecard.KPI("happy", "More happy customers", "", "", "higher")
    >>> smart_table({"CSAT": good, "vague": vague})  # doctest: +NORMALIZE_WHITESPACE
                          CSAT      vague
    criterion
    Specific       ✅ written down  ❌ missing
    Measurable     ✅ written down  ❌ missing
    Achievable     ✅ written down  ❌ missing
    Relevant       ✅ written down  ❌ missing
    Time-bound     ✅ written down  ❌ missing
    """
    columns: dict[str, list[str]] = {}
    criteria: list[str] = []
    for label, kpi in definitions.items():
        check = scorecard.smart_check(kpi, variant=variant)
        criteria = check["criterion"].tolist()
        columns[str(label)] = [tr("✅ written down") if ok else tr("❌ missing") for ok in check["ok"]]
    return pd.DataFrame(columns, index=pd.Index(criteria, name=tr("criterion"), dtype="str"))


def smart_self_check(kpi: Any, variant: str = "common") -> CheckResult:
    """The self-check of the "write your own KPI" exercise: are all five SMART criteria met?

    ``ok`` is True when every criterion of ``variant`` passes, False otherwise (the message names
    what is missing, with :func:`kpi_helpers.scorecard.smart_check`'s reasons), None when ``kpi``
    is None (nothing written yet). With the common variant a missing owner is mentioned as
    Doran's extra question, without failing the check.

    Examples
    --------
    >>> smart_self_check(None).ok is None
    True
    >>> k = scorecard.kpi_from_catalogue("csat", target=0.85, period="monthly", owner="account manager")
    >>> smart_self_check(k).ok
    True
    >>> smart_self_check(scorecard.kpi_from_catalogue("csat")).message.split(":")[0]
    'Not yet'
    """
    if kpi is None:
        return CheckResult(None, tr("No definition yet: fill in the KPI(...) in the cell above and run it again."))
    if not isinstance(kpi, scorecard.KPI):
        return CheckResult(False, tr("Expected a KPI(...) definition, got {type}.", type=type(kpi).__name__))
    check = scorecard.smart_check(kpi, variant=variant)
    misses = check[~check["ok"]]
    if len(misses):
        parts = [f"**{c}**: {r}" for c, r in zip(misses["criterion"], misses["reason"])]
        n = len(check) - len(misses)
        return CheckResult(False, tr("Not yet: {n} of {total} parts written down.", n=n, total=len(check))
                           + " " + " ".join(parts))
    extra = ""
    if variant == "common" and not (isinstance(kpi.owner, str) and kpi.owner.strip()):
        extra = " " + tr("Doran (1981) would also ask *who* answers for it: give it an owner.")
    return CheckResult(True, tr("All {n} SMART parts are written down for '{name}'. Whether the target can be "
                                "reached is for you and the people who must reach it to judge.",
                                n=len(check), name=kpi.name) + extra)


def catalogue_frame(ids: Mapping[str, str] | Sequence[str]) -> pd.DataFrame:
    """Catalogue KPIs as a table: ``kind`` (when given), ``id, name, formula, unit, direction``.

    Parameters
    ----------
    ids : list of KPI ids, or mapping id -> kind ("financial", "customer", "quality" ...)

    Examples
    --------
    >>> catalogue_frame({"revenue": "financial", "csat": "customer"})[["kind", "id", "unit"]]
            kind       id      unit
    0  financial  revenue  currency
    1   customer     csat     ratio
    """
    kinds = dict(ids) if isinstance(ids, Mapping) else None
    rows = []
    for kpi_id in (list(kinds) if kinds is not None else list(ids)):
        k = CATALOGUE[kpi_id]
        row = {"kind": kinds[kpi_id]} if kinds is not None else {}
        row.update({"id": k.id, "name": k.name, "formula": k.formula, "unit": k.unit, "direction": k.direction})
        rows.append(row)
    return pd.DataFrame(rows)


def kpi_status_pivot(table: pd.DataFrame, currency: str = "NOK") -> pd.DataFrame:
    """A KPI table as text, period x KPI: each value formatted in its unit, ``✗`` when off track.

    Rows: ``all`` first, then the months; columns: the KPIs in table order, named by
    :data:`CATALOGUE`. Empty cells are KPIs without a value for that period.

    Examples
    --------
    >>> t = scorecard.kpi_table([{"kpi": "csat", "scope": "all", "period": "all", "value": 0.8},
    ...                          {"kpi": "csat", "scope": "all", "period": "2025-01", "value": 0.7}],
    ...                         targets={"csat": 0.75})
    >>> kpi_status_pivot(t)  # doctest: +NORMALIZE_WHITESPACE
            Customer satisfaction (CSAT)
    period
    all                            80.0%
    2025-01                      70.0% ✗
    """
    kpi_order = list(dict.fromkeys(table["kpi"]))
    periods = sorted(set(table["period"]), key=lambda p: (p != "all", p))
    cells = {(k, p): "" for k in kpi_order for p in periods}
    for k, p, v, u, s in zip(table["kpi"], table["period"], table["value"], table["unit"], table["status"]):
        text = display.format_value(v, display.KPI_DISPLAY_UNITS.get(k, u), currency=currency)
        cells[(k, p)] = text + (" ✗" if s == "off_track" else "")
    shown = kpi_names()
    names = [display.kpi_name(k, names=shown) for k in kpi_order]
    out = pd.DataFrame({n: [cells[(k, p)] for p in periods] for n, k in zip(names, kpi_order)},
                       index=pd.Index(periods, name=tr("period"), dtype="str"))
    return out


def format_kpi_table(table: pd.DataFrame, currency: str = "NOK") -> pd.DataFrame:
    """:func:`kpi_helpers.display.format_kpi_table` with the names of :data:`CATALOGUE`.

    The display's formatter names KPIs from the case catalogue; this one also knows
    ``sla_rate`` ("Tickets resolved within SLA").

    Examples
    --------
    >>> t = scorecard.kpi_table([{"kpi": "sla_rate", "scope": "all", "period": "all", "value": 0.9}],
    ...                         catalogue=CATALOGUE)
    >>> format_kpi_table(t)[["name", "value"]].iloc[0].tolist()
    ['Tickets resolved within SLA', '90.0%']
    """
    shown = display.format_kpi_table(table, currency=currency, names=kpi_names())
    own = f"account:{ACCOUNT}"  # the example's account is named in the language now ("Bank client")
    shown["scope"] = [display.scope_text(f"account:{tr(ACCOUNT)}" if s == own else s) for s in shown["scope"]]
    return shown
