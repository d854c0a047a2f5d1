"""SMART KPI definitions, targets, status and the tidy KPI table.

A KPI is a measurable value that shows how well the *whole business* meets a goal (it can also
be tracked for one key account). This module holds

- :class:`KPI`: a frozen definition (what is measured, in which unit, which direction is good,
  the target, the period and the owner);
- :func:`smart_check`: checks a definition against the SMART criteria (or Doran's 1981
  original) and explains every miss in a sentence;
- :data:`KPI_CATALOGUE`: every KPI id the project uses, with formula, unit and direction;
- :func:`status`: on track or not, given a value, a target and a direction;
- :func:`kpi_table`: the tidy KPI table of ``DESIGN.md`` (``kpi, scope, period, value, unit,
  target, status, partial, note``);
- :func:`kpi_table_csv` / :func:`save_kpi_table`: the table as machine text (the CSV contract).

Text for people (values in their unit, status words, the KPI table as shown) is
:mod:`kpi_helpers.display`'s.

Everything here is pure: no function changes its arguments.

One module on purpose (about 800 lines, a fifth of them the catalogue's definitions): the SMART
check, the status rule and the KPI table all read :class:`KPI` and the catalogue defined here, so a
separate ``smart`` module would import this one and be re-exported by it, a cycle.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from .i18n import tr
from .periods import is_month_label

__all__ = [
    "DIRECTIONS",
    "KPI",
    "KPI_CATALOGUE",
    "KPI_TABLE_COLUMNS",
    "PER_MONTH_TARGET_KPIS",
    "STATUSES",
    "UNDEFINED_WHEN",
    "UNITS",
    "AT_TARGET_TOLERANCE",
    "CSV_SIGNIFICANT_DIGITS",
    "csv_number",
    "kpi_table_csv",
    "kpi_from_catalogue",
    "kpi_table",
    "save_kpi_table",
    "smart_check",
    "status",
]

#: Units a KPI value can have (ratios are fractions: 0.05, not 5).
UNITS = ("ratio", "currency", "days", "score", "count", "index")
#: Which way is good.
DIRECTIONS = ("higher", "lower")
#: Values of the ``status`` column.
STATUSES = ("on_track", "off_track", "no_target", "not_measurable", "insufficient_data")
"""Values of the ``status`` column (DESIGN.md), decided by :func:`status`:

- ``on_track`` / ``off_track``: from the value, the target and the KPI's direction; a value at its
  target (within :data:`AT_TARGET_TOLERANCE`) is on track;
- ``no_target``: the KPI has no target;
- ``not_measurable``: the value is undefined (NaN: no previous month, no answers, no finished
  project), whether or not there is a target; never ``off_track``;
- ``insufficient_data``: the value is a mean or rate over fewer observations than the KPI's
  minimum (ratings, survey answers, finished projects), where on/off track would be noise.
"""
#: Relative tolerance of "at target": |value - target| <= tolerance * max(1, |target|) is on track,
#: so a CMGR of 0.030000000000000002 against a target of 0.03 is on track, as it is on paper.
AT_TARGET_TOLERANCE = 1e-9
#: Columns of the KPI table, in order.
KPI_TABLE_COLUMNS = ["kpi", "scope", "period", "value", "unit", "target", "status", "partial", "observations",
                     "note"]
#: Significant digits of non-currency, non-count values in the KPI CSV (every engine writes the same).
CSV_SIGNIFICANT_DIGITS = 12

#: KPIs whose value is a total over the period (it grows with the period's length or is a part
#: of the business's total). A target given for the KPI as a whole (``{"revenue": 100_000}``)
#: or for a (kpi, scope) pair is read as a *monthly* target: it is not applied to the
#: whole-period row (``period == "all"``), where many months added up would always "beat" it.
#: A plain kpi-level target is not applied to key-account rows either: it is the business's
#: target, and one account is only part of the business. Give such rows an explicit
#: ``(kpi, scope, period)`` target when you want one.
PER_MONTH_TARGET_KPIS = frozenset(
    {"revenue", "revenue_per_consultant", "active_customers", "visits", "rating_count"}
)



@dataclass(frozen=True)
class KPI:
    """The definition of one KPI.

    Parameters
    ----------
    id : str
        Short id used in the KPI table (``"mom_growth"``).
    name : str
        Human name (``"Month-over-month revenue growth"``).
    formula : str
        How it is computed, in words or plain-text maths.
    unit : str
        One of ``UNITS``: ratio, currency, days, score, count, index.
    direction : str
        ``"higher"`` or ``"lower"``: which way is good.
    target : float or None
        The value to reach (for ratios a fraction: 0.03 = 3 %).
    period : str or None
        When: ``"monthly"``, ``"quarterly"``, ``"by 2026-12"`` ...
    owner : str or None
        Who answers for it (a role or a name).
    description : str
        Why it matters: the business goal it serves.

    Notes
    -----
    The class does not reject incomplete or odd definitions: that is what :func:`smart_check`
    is for, and it explains what is missing. Change a field with :func:`dataclasses.replace`
    or :func:`kpi_from_catalogue`.

    Examples
    --------
    >>> k = KPI("ctr", "Click-through rate", "clicks / impressions", "ratio", "higher",
    ...         target=0.02, period="monthly", owner="account manager",
    ...         description="Ads that people click bring the client's customers.")
    >>> k.target
    0.02
    """

    id: str
    name: str
    formula: str
    unit: str
    direction: str
    target: float | None = None
    period: str | None = None
    owner: str | None = None
    description: str = ""


# ---------------------------------------------------------------------------------------------
# the catalogue
# ---------------------------------------------------------------------------------------------
# (id, name, formula, unit, direction, description, undefined when)
_DEFINITIONS: list[tuple[str, str, str, str, str, str, str]] = [
    ("revenue", "Revenue", "sum of amounts (invoices, transactions, billed hours, bills) in the period",
     "currency", "higher", "Goal: grow the business. The money customers paid in the period.", ""),
    ("mom_growth", "Month-over-month revenue growth", "(R_t - R_t-1) / R_t-1", "ratio", "higher",
     "Goal: grow revenue steadily. How much this month's revenue grew on last month's.",
     "there is no previous month, or last month's revenue was 0"),
    ("cmgr", "Compound monthly growth rate", "(R_last / R_first)^(1/n) - 1 over complete months, "
     "n = month steps between them", "ratio", "higher",
     "Goal: grow revenue over time. The steady monthly growth that leads from the first to the last month.",
     "the first month's revenue is 0 or there are fewer than two complete months"),
    ("active_customers", "Active customers", "customers with revenue > 0 in the period", "count", "higher",
     "Goal: a broad customer base. How many customers bought in the period.", ""),
    ("revenue_share", "Revenue share", "account revenue / total revenue", "ratio", "higher",
     "Goal: grow the key account. The part of all revenue that one account brings "
     "(for the business as a whole, a high share is also a risk: see top_customer_share).",
     "total revenue is 0"),
    ("top_customer_share", "Top customer share", "largest customer's revenue / total revenue", "ratio", "lower",
     "Goal: not depend on one customer. The part of revenue that would be at risk if the largest customer left.",
     "total revenue is 0"),
    ("top20_share", "Top 20 % share", "revenue of the top ceil(20 % of customers) / total revenue", "ratio",
     "lower", "Goal: a spread customer base. The Pareto check: how much the top fifth of customers brings.",
     "there are no customers or total revenue is 0"),
    ("hhi", "Herfindahl-Hirschman index", "sum over customers of (share in %)^2, 0..10,000", "index", "lower",
     "Goal: limit dependence on few customers. One number for concentration "
     "(10,000 = a single customer, 10,000/N for N equal ones).",
     "total revenue is 0"),
    ("abc_a_count", "Class A customers", "customers, largest first, up to and including the one whose "
     "cumulative share first reaches 80 %", "count", "higher",
     "Goal: not depend on few customers. How many customers make 80 % of revenue.",
     "there are no customers"),
    ("csat", "Customer satisfaction (CSAT)", "responses scored 4 or 5 / all responses (1-5 scale)", "ratio",
     "higher", "Goal: satisfied clients come back and recommend us.", "there are no responses"),
    ("avg_completion_days", "Average project completion time", "mean of (actual_end - start_date) in days "
     "over projects finished in the period", "days", "lower",
     "Goal: deliver fast. How long finished projects took.", "no project finished in the period"),
    ("on_time_rate", "On-time delivery rate", "finished projects with actual_end <= planned_end / "
     "finished projects", "ratio", "higher", "Goal: keep our promises to clients.",
     "no project finished in the period"),
    ("revenue_per_consultant", "Revenue per consultant", "billable hours x hourly rate in the period / "
     "consultants employed in the period", "currency", "higher",
     "Goal: a productive team. What each consultant brings in.", "no consultant was employed in the period"),
    ("utilization", "Utilization", "billable hours / available hours (weekly_hours / 5 per weekday employed)",
     "ratio", "higher", "Goal: productive use of paid time. The share of available hours billed to clients.",
     "there are no available hours"),
    ("ctr", "Click-through rate (CTR)", "clicks / impressions", "ratio", "higher",
     "Goal: ads that interest people. The share of ad views that led to a click.", "impressions are 0"),
    ("cvr", "Conversion rate (CVR)", "conversions / clicks", "ratio", "higher",
     "Goal: clicks that turn into customers. The share of clicks that led to a conversion.", "clicks are 0"),
    ("cpc", "Cost per click (CPC)", "spend / clicks", "currency", "lower",
     "Goal: efficient media buying. What one click cost.", "clicks are 0"),
    ("cpa", "Cost per acquisition (CPA)", "spend / conversions", "currency", "lower",
     "Goal: win customers cheaply. What one conversion cost.", "conversions are 0"),
    ("roas", "Return on ad spend (ROAS)", "conversion_value / spend", "ratio", "higher",
     "Goal: profitable campaigns. Value earned per unit of money spent on ads (4.0 = 4 NOK per NOK).",
     "spend is 0"),
    ("avg_rating", "Average rating", "mean of the ratings given (count shown beside it)", "score", "higher",
     "Goal: guests who enjoy their visit.", "no ratings were given"),
    ("avg_check", "Average check", "revenue / covers", "currency", "higher",
     "Goal: more revenue per guest. What one guest spends on average.", "covers are 0"),
    ("revenue_per_table", "Revenue per table", "revenue / (tables x open days)", "currency", "higher",
     "Goal: make the most of the tables. Revenue per table per open day.", "there are no open days"),
    ("table_turnover", "Table turnover", "parties seated / (tables x open days)", "count", "higher",
     "Goal: use the tables well. Parties seated per table per open day.", "there are no open days"),
    ("revpash", "Revenue per available seat hour (RevPASH)", "revenue / (seats x open_hours_per_day x "
     "open days)", "currency", "higher",
     "Goal: earn from the capacity we pay for. Revenue per seat and opening hour.", "there are no open days"),
    # extra case KPIs
    ("customer_churn", "Customer churn rate", "customers lost in the period / customers at its start",
     "ratio", "lower", "Goal: keep the customers we have.", "there were no customers at the start"),
    ("net_revenue_retention", "Net revenue retention (NRR)", "revenue now from the base period's customers / "
     "their revenue in the base period", "ratio", "higher",
     "Goal: existing customers buy more over time (above 1.0 = the base grows by itself).",
     "the base period's revenue is 0"),
    ("nps", "Net Promoter Score (NPS)", "(promoters 9-10 - detractors 0-6) / responses x 100", "index",
     "higher", "Goal: customers who recommend us (-100..100).", "there are no responses"),
    ("realization", "Realization rate", "billed value / (hours x standard rate)", "ratio", "higher",
     "Goal: get paid for the work done.", "the standard value is 0"),
    ("roi", "Return on investment (ROI)", "(conversion_value - spend) / spend", "ratio", "higher",
     "Goal: campaigns that earn more than they cost (0 = break even).", "spend is 0"),
    ("seat_occupancy", "Seat occupancy", "seat-hours used / (seats x open_hours_per_day x open days)",
     "ratio", "higher", "Goal: full seats during opening hours.", "there are no open days or seats"),
    ("rating_count", "Number of ratings", "count of ratings given", "count", "higher",
     "Goal: enough feedback to trust the average rating.", ""),
    ("visits", "Visits", "number of visits in the period", "count", "higher",
     "Goal: guests who come back (for a VIP guest: how often they came).", ""),
    ("defect_rate", "Defect rate", "defective units / units started", "ratio", "lower",
     "Goal: quality. The share of units with a defect.", "no units were produced"),
    ("defect_free_share", "Defect-free share", "1 - defective units / units started", "ratio", "higher",
     "Goal: quality. The share of units without defects.", "no units were produced"),
    ("first_pass_yield", "First pass yield", "units good the first time / units entering the step", "ratio",
     "higher", "Goal: quality without rework.", "no units entered the step"),
    ("avg_time_per_unit", "Average time per unit", "total production time / good units produced", "days", "lower",
     "Goal: productivity. How long one good unit takes to make (the unit 'days' stands for the time "
     "unit of your data: minutes in data/concepts).", "no units were produced"),
]

#: Every KPI id the project uses: the glossary of DESIGN.md first (in its order), then the extra
#: case KPIs. Catalogue entries are *definitions*: target, period and owner are left empty, to be
#: set per case (see :func:`kpi_from_catalogue`).
KPI_CATALOGUE: dict[str, KPI] = {
    d[0]: KPI(id=d[0], name=d[1], formula=d[2], unit=d[3], direction=d[4], description=d[5])
    for d in _DEFINITIONS
}

#: When each KPI is undefined (its value is NaN, shown as "n/a"); "" = never.
UNDEFINED_WHEN: dict[str, str] = {d[0]: d[6] for d in _DEFINITIONS}


def kpi_from_catalogue(kpi_id: str, **changes: Any) -> KPI:
    """A catalogue KPI with some fields set (target, period, owner ...).

    Examples
    --------
    >>> k = kpi_from_catalogue("cpa", target=400.0, period="monthly", owner="account manager")
    >>> k.unit, k.direction, k.target
    ('currency', 'lower', 400.0)
    """
    if kpi_id not in KPI_CATALOGUE:
        raise ValueError(f"unknown KPI id {kpi_id!r}; known ids are {list(KPI_CATALOGUE)}")
    return replace(KPI_CATALOGUE[kpi_id], **changes)


# ---------------------------------------------------------------------------------------------
# SMART
# ---------------------------------------------------------------------------------------------
def _text(x: Any) -> str:
    return x.strip() if isinstance(x, str) else ""


def _number(x: Any) -> float | None:
    """float(x) for a real number, None for None/NaN/pd.NA/not-a-number."""
    if x is None or isinstance(x, bool):
        return None
    try:
        if pd.isna(x):
            return None
        return float(x)
    except (TypeError, ValueError):
        return None


def _is_missing(x: Any) -> bool:
    """True for None, NaN and pd.NA (not for other non-numbers)."""
    if x is None:
        return True
    try:
        return bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


def _flag(x: Any) -> bool:
    """A partial-month flag: missing -> False; text "true"/"1"/"yes" -> True."""
    if isinstance(x, str):
        return x.strip().lower() in ("true", "1", "yes")
    if _is_missing(x):
        return False
    return bool(x)


def _specific(k: KPI) -> tuple[bool, str]:
    misses = []
    if not _text(k.id):
        misses.append(tr("No id: give the KPI a short id so tables and targets can refer to it."))
    if not _text(k.name):
        misses.append(tr("No name: a reader cannot tell what the KPI is about."))
    if not _text(k.formula) and not _text(k.description):
        misses.append(tr("No formula or description: nobody can tell exactly what is measured."))
    if misses:
        return False, " ".join(misses)
    return True, tr("It has an id, a name and a text that says exactly what is measured.")


def _measurable(k: KPI) -> tuple[bool, str]:
    misses = []
    if not _text(k.formula):
        misses.append(tr("No formula: without a rule for computing it, two people will get two different numbers."))
    if k.unit not in UNITS:
        misses.append(
            tr("Unit {unit} is not one of {units}: without a known unit the number cannot be read or compared.",
               unit=repr(k.unit), units=", ".join(UNITS))
        )
    if misses:
        return False, " ".join(misses)
    return True, tr("It has a formula and the unit '{unit}', so anyone can compute the same number.", unit=k.unit)


def _achievable(k: KPI) -> tuple[bool, str]:
    if _is_missing(k.target):
        return False, tr("No target: without a number to reach you cannot tell success from failure.")
    t = _number(k.target)
    if t is None or not math.isfinite(t):
        return False, tr("The target {target} is not a finite number, so it can never be reached.", target=repr(k.target))
    if k.unit == "ratio" and not 0 <= t <= 10:
        if t > 10:
            return False, tr("A ratio target of {target:g} looks like a percentage: ratios are fractions "
                             "(0.8 means 80 %), so {target:g} means {percent:g} %.", target=t, percent=t * 100)
        return False, tr("A negative target ({target:g}) is not a sensible goal for a share or rate.", target=t)
    if k.unit in ("count", "days") and t < 0:
        if k.unit == "count":
            return False, tr("A negative target ({target:g}) is impossible for a count.", target=t)
        return False, tr("A negative target ({target:g}) is impossible for a number of days.", target=t)
    return True, tr(
        "A target is written down ({target:g}) and it is a possible value for the unit; this check cannot "
        "tell whether it can be reached: look at the KPI's history and agree on it with the people "
        "who must reach it.", target=t)


def _relevant(k: KPI) -> tuple[bool, str]:
    if _text(k.description) or _text(k.owner):
        return True, tr(
            "A description or an owner links it to a business goal; whether it is the right goal is "
            "for you to judge.")
    return False, tr(
        "No description and no owner: write which business goal this KPI serves (and who answers for "
        "it), or it becomes a number nobody acts on.")


def _time_bound(k: KPI) -> tuple[bool, str]:
    if _text(k.period):
        return True, tr("It has a period ('{period}'), so you know when to check it.", period=_text(k.period))
    return False, tr(
        "No period: say when it is measured or due (monthly, by 2026-12 ...), otherwise the target "
        "has no deadline and can always be 'later'.")


def _assignable(k: KPI) -> tuple[bool, str]:
    if _text(k.owner):
        return True, tr("It has an owner ('{owner}') who answers for it.", owner=_text(k.owner))
    return False, tr("No owner: Doran asks 'who will do it?'; a KPI nobody owns is nobody's job.")


def smart_check(kpi: KPI | str, variant: str = "common") -> pd.DataFrame:
    """Check a KPI definition against the SMART criteria and explain each miss.

    A computer can only check that each part is *written down*; whether the goal is the right
    one is a judgement for people. The rules:

    ============  ==================================================================
    criterion     ok when
    ============  ==================================================================
    Specific      id and name given, and a formula or description says what is measured
    Measurable    a formula is given and the unit is one of ``UNITS``
    Achievable    a target is given, finite; for a ratio between 0 and 10 (a ratio target
                  above 10 is almost always a percentage typed as a number); for a count
                  or days not negative. Only that a possible target is written down:
                  whether it can be reached needs the KPI's history and people's judgement
    Relevant      a description (the business goal it serves) or an owner is given
    Time-bound    a period is given (monthly, quarterly, by 2026-12 ...)
    ============  ==================================================================

    ``variant="doran"`` uses Doran's 1981 original instead: Specific, Measurable,
    **Assignable** (an owner is named), **Realistic** (as Achievable above) and
    **Time-related** (as Time-bound).

    Parameters
    ----------
    kpi : KPI or str
        A definition, or a catalogue id.
    variant : {"common", "doran"}
        Which reading of SMART.

    Returns
    -------
    pandas.DataFrame
        Columns ``criterion`` (str), ``ok`` (bool), ``reason`` (a sentence), one row per letter.

    Examples
    --------
    >>> k = KPI("mom_growth", "Monthly revenue growth", "(R_t - R_t-1) / R_t-1", "ratio", "higher")
    >>> smart_check(k)[["criterion", "ok"]]
        criterion     ok
    0    Specific   True
    1  Measurable   True
    2  Achievable  False
    3    Relevant  False
    4  Time-bound  False
    >>> smart_check(k)["reason"][2]
    'No target: without a number to reach you cannot tell success from failure.'
    """
    if isinstance(kpi, str):
        kpi = kpi_from_catalogue(kpi)
    if not isinstance(kpi, KPI):
        raise TypeError(f"smart_check needs a KPI (or a catalogue id), got {type(kpi).__name__}")
    if variant == "common":
        checks = [
            ("Specific", _specific),
            ("Measurable", _measurable),
            ("Achievable", _achievable),
            ("Relevant", _relevant),
            ("Time-bound", _time_bound),
        ]
    elif variant == "doran":
        checks = [
            ("Specific", _specific),
            ("Measurable", _measurable),
            ("Assignable", _assignable),
            ("Realistic", _achievable),
            ("Time-related", _time_bound),
        ]
    else:
        raise ValueError(f"variant must be 'common' or 'doran', got {variant!r}")
    results = [(name, *fn(kpi)) for name, fn in checks]
    return pd.DataFrame(
        {
            "criterion": pd.array([tr(r[0]) for r in results], dtype="str"),
            "ok": np.array([r[1] for r in results], dtype=bool),
            "reason": pd.array([r[2] for r in results], dtype="str"),
        }
    )


# ---------------------------------------------------------------------------------------------
# status
# ---------------------------------------------------------------------------------------------
def status(value: Any, target: Any, direction: str, *, observations: Any = None,
           min_observations: Any = None) -> str:
    """Is a KPI on track? The one rule behind the ``status`` column (see :data:`STATUSES`).

    In this order:

    1. an undefined value (None, NaN or inf) -> ``"not_measurable"``;
    2. no target (None or NaN) -> ``"no_target"``;
    3. fewer ``observations`` than ``min_observations`` (both given) -> ``"insufficient_data"``;
    4. ``direction="higher"``: on track when value >= target; ``"lower"``: when value <= target;
       a value at the target (within :data:`AT_TARGET_TOLERANCE`, relative) is on track.

    Parameters
    ----------
    value, target : float or None
    direction : {"higher", "lower"}
    observations : int, optional
        How many observations the value is a mean or rate of (ratings, answers, projects).
    min_observations : int, optional
        The KPI's minimum; below it a verdict would be noise.

    Returns
    -------
    str
        One of :data:`STATUSES`.

    Examples
    --------
    >>> status(0.025, 0.02, "higher"), status(420.0, 400.0, "lower"), status(1.0, None, "higher")
    ('on_track', 'off_track', 'no_target')
    >>> status(float("nan"), 0.02, "higher"), status(0.03, 0.03, "higher")
    ('not_measurable', 'on_track')
    >>> status(4.25, 4.5, "higher", observations=4, min_observations=10)
    'insufficient_data'
    """
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be 'higher' or 'lower', got {direction!r}")
    v = _number(value)
    if v is None or not math.isfinite(v):
        return "not_measurable"
    t = _number(target)
    if t is None or math.isnan(t):
        return "no_target"
    n, least = _number(observations), _number(min_observations)
    if n is not None and least is not None and not math.isnan(n) and not math.isnan(least) and n < least:
        return "insufficient_data"
    if abs(v - t) <= AT_TARGET_TOLERANCE * max(1.0, abs(t)):
        return "on_track"
    ok = v >= t if direction == "higher" else v <= t
    return "on_track" if ok else "off_track"


# ---------------------------------------------------------------------------------------------
# the KPI table
# ---------------------------------------------------------------------------------------------
def _empty_table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "kpi": pd.Series([], dtype="str"),
            "scope": pd.Series([], dtype="str"),
            "period": pd.Series([], dtype="str"),
            "value": pd.Series([], dtype=float),
            "unit": pd.Series([], dtype="str"),
            "target": pd.Series([], dtype=float),
            "status": pd.Series([], dtype="str"),
            "partial": pd.Series([], dtype=bool),
            "observations": pd.Series([], dtype="Int64"),
            "note": pd.Series([], dtype="str"),
        }
    )


def _scope_key(scope: Any) -> str:
    s = str(scope)
    return s if s == "all" or s.startswith("account:") else f"account:{s}"


def _split_targets(
    targets: Mapping[Any, Any] | None, catalogue: Mapping[str, KPI]
) -> tuple[dict[str, float], dict[tuple[str, str], float], dict[tuple[str, str, str], float]]:
    by_kpi: dict[str, float] = {}
    by_scope: dict[tuple[str, str], float] = {}
    by_row: dict[tuple[str, str, str], float] = {}
    if not targets:
        return by_kpi, by_scope, by_row
    if not isinstance(targets, Mapping):
        raise TypeError(
            "targets must be a dict: kpi -> number, (kpi, scope) -> number or (kpi, scope, period) -> number"
        )
    for key, raw in targets.items():
        if raw is None:
            continue
        value = _number(raw)
        if value is None or not math.isfinite(value):
            raise ValueError(f"target for {key!r} must be a finite number, got {raw!r}")
        kpi_id = key if isinstance(key, str) else (key[0] if isinstance(key, tuple) and key else None)
        if kpi_id not in catalogue:
            raise ValueError(f"target given for unknown KPI {key!r}; known ids are {list(catalogue)}")
        if isinstance(key, str):
            by_kpi[key] = value
        elif len(key) == 2:
            by_scope[(key[0], _scope_key(key[1]))] = value
        elif len(key) == 3:
            by_row[(key[0], _scope_key(key[1]), str(key[2]))] = value
        else:
            raise ValueError(f"target key {key!r} must be kpi, (kpi, scope) or (kpi, scope, period)")
    return by_kpi, by_scope, by_row


def _join_note(note: str, extra: str) -> str:
    return f"{note}; {extra}" if note else extra


def kpi_table(
    rows: Iterable[Mapping[str, Any]] | pd.DataFrame,
    targets: Mapping[Any, Any] | None = None,
    *,
    catalogue: Mapping[str, KPI] = KPI_CATALOGUE,
    min_observations: Mapping[str, int] | None = None,
) -> pd.DataFrame:
    """Build the tidy KPI table (``<case>_kpis.csv``).

    Parameters
    ----------
    rows : iterable of dicts, or DataFrame
        Each row has ``kpi`` (a catalogue id), ``scope`` (``"all"`` or ``"account:<name>"``),
        ``period`` (``"all"`` or ``"YYYY-MM"``) and ``value``; optional ``partial`` (bool,
        default False), ``observations`` (how many ratings, answers or projects a mean or rate
        is over; None where it does not apply), ``note`` (str, default "") and ``target``.
    targets : dict, optional
        Targets by key, the most specific one wins:

        - ``"kpi"`` -> number: the business's target for that KPI, for every scope and period;
        - ``("kpi", scope)`` -> number: for one scope (``"all"``, ``"account:Acme"`` or just
          ``"Acme"``), every period;
        - ``("kpi", scope, period)`` -> number: one row.

        For the total-type KPIs of :data:`PER_MONTH_TARGET_KPIS` (revenue, visits ...) the first
        two kinds are monthly targets: they are not applied to ``period == "all"`` rows, and the
        plain ``"kpi"`` kind is not applied to account rows (one account is only part of the
        business); such rows get ``no_target`` and a note saying why. A target of None is
        ignored. A ``target`` column in ``rows`` is used where ``targets`` gives none.
    catalogue : mapping, optional
        KPI definitions (unit, direction); pass an extended copy of :data:`KPI_CATALOGUE` to add
        your own KPIs.
    min_observations : dict, optional
        KPI id -> the least number of observations for an on/off-track verdict; a row with fewer
        gets ``insufficient_data`` (see :func:`status`) and a note saying how many it has.

    Returns
    -------
    pandas.DataFrame
        Columns exactly :data:`KPI_TABLE_COLUMNS` (``kpi, scope, period, value, unit, target,
        status, partial, observations, note``; ``observations`` is a nullable integer).
        ``value`` is float with ``inf`` replaced by NaN; when a value is NaN and the row has no
        note, the note says when the KPI is undefined. Sorted: scope ``"all"`` first, then the
        accounts in the order they first appear in ``rows``; within a scope KPIs in catalogue
        order; within a KPI period ``"all"`` first, then months ascending.

    Raises
    ------
    ValueError
        Missing columns, unknown KPI ids, malformed scope or period, duplicate
        (kpi, scope, period) rows, non-numeric values or targets.

    Examples
    --------
    >>> rows = [{"kpi": "ctr", "scope": "all", "period": "2024-02", "value": 0.018},
    ...         {"kpi": "ctr", "scope": "all", "period": "all", "value": 0.021},
    ...         {"kpi": "cpc", "scope": "all", "period": "all", "value": 4.2}]
    >>> kpi_table(rows, targets={"ctr": 0.02})[["kpi", "period", "value", "target", "status"]]
       kpi   period  value  target     status
    0  ctr      all  0.021    0.02   on_track
    1  ctr  2024-02  0.018    0.02  off_track
    2  cpc      all  4.200     NaN  no_target
    """
    frame = rows.copy() if isinstance(rows, pd.DataFrame) else pd.DataFrame(list(rows))
    if len(frame) == 0:
        return _empty_table()
    missing = [c for c in ("kpi", "scope", "period", "value") if c not in frame.columns]
    if missing:
        raise ValueError(f"KPI rows are missing {missing}; each row needs kpi, scope, period and value")
    kpi_col = [str(k) for k in frame["kpi"]]
    unknown = sorted({k for k in kpi_col if k not in catalogue})
    if unknown:
        raise ValueError(
            f"unknown KPI id(s) {unknown}; known ids are {list(catalogue)} "
            "(pass catalogue= to add your own)"
        )
    scope_col = [str(s) for s in frame["scope"]]
    bad_scope = sorted({s for s in scope_col if not (s == "all" or (s.startswith("account:") and len(s) > 8))})
    if bad_scope:
        raise ValueError(f"scope must be 'all' or 'account:<name>', got {bad_scope[:5]}")
    period_col = [str(p) for p in frame["period"]]
    bad_period = sorted({p for p in period_col if p != "all" and not is_month_label(p)})
    if bad_period:
        raise ValueError(f"period must be 'all' or 'YYYY-MM', got {bad_period[:5]}")
    try:
        values = pd.to_numeric(pd.Series(list(frame["value"]), dtype=object), errors="raise")
    except (TypeError, ValueError) as exc:
        raise ValueError(f"KPI values must be numbers (or NaN/None): {exc}") from None
    values = values.astype(float).to_numpy()
    values = np.where(np.isfinite(values), values, np.nan)

    keys = list(zip(kpi_col, scope_col, period_col))
    seen: set[tuple[str, str, str]] = set()
    dups = []
    for key in keys:
        if key in seen:
            dups.append(key)
        seen.add(key)
    if dups:
        raise ValueError(f"duplicate KPI rows (kpi, scope, period): {dups[:5]}")

    n = len(frame)
    if "partial" in frame.columns:
        partial = [_flag(p) for p in frame["partial"]]
    else:
        partial = [False] * n
    if "note" in frame.columns:
        notes = ["" if _is_missing(x) else str(x) for x in frame["note"]]
    else:
        notes = [""] * n
    row_targets = [_number(t) for t in frame["target"]] if "target" in frame.columns else [None] * n
    counts = [_number(c) for c in frame["observations"]] if "observations" in frame.columns else [None] * n
    least = dict(min_observations or {})
    unknown_min = sorted(set(least) - set(catalogue))
    if unknown_min:
        raise ValueError(f"min_observations given for unknown KPI(s) {unknown_min}")

    by_kpi, by_scope, by_row = _split_targets(targets, catalogue)
    target_out: list[float] = []
    status_out: list[str] = []
    for i, (k, s, p) in enumerate(keys):
        per_month = k in PER_MONTH_TARGET_KPIS
        t = by_row.get((k, s, p))
        if t is None and (k, s) in by_scope:
            if per_month and p == "all":
                notes[i] = _join_note(notes[i], "target is per month: not applied to the whole-period total")
            else:
                t = by_scope[(k, s)]
        if t is None and (k, s) not in by_scope and k in by_kpi:
            if per_month and s != "all":
                notes[i] = _join_note(notes[i], "the target is the whole business's: not applied to one account")
            elif per_month and p == "all":
                notes[i] = _join_note(notes[i], "target is per month: not applied to the whole-period total")
            else:
                t = by_kpi[k]
        if t is None:
            t = row_targets[i]
        if t is not None and not math.isfinite(t):
            t = None
        target_out.append(float("nan") if t is None else float(t))
        st = status(values[i], t, catalogue[k].direction, observations=counts[i], min_observations=least.get(k))
        status_out.append(st)
        if math.isnan(values[i]) and not notes[i]:
            when = UNDEFINED_WHEN.get(k, "")
            notes[i] = f"undefined: {when}" if when else "no value"
        if st == "insufficient_data":
            notes[i] = _join_note(notes[i], f"{counts[i]:.0f} observation{'' if counts[i] == 1 else 's'}, "
                                             f"fewer than the minimum of {least[k]}")

    out = pd.DataFrame(
        {
            "kpi": pd.array(kpi_col, dtype="str"),
            "scope": pd.array(scope_col, dtype="str"),
            "period": pd.array(period_col, dtype="str"),
            "value": values.astype(float),
            "unit": pd.array([catalogue[k].unit for k in kpi_col], dtype="str"),
            "target": np.array(target_out, dtype=float),
            "status": pd.array(status_out, dtype="str"),
            "partial": np.array(partial, dtype=bool),
            "observations": pd.array([None if c is None or math.isnan(c) else int(c) for c in counts],
                                     dtype="Int64"),
            "note": pd.array(notes, dtype="str"),
        }
    )
    kpi_pos = {k: i for i, k in enumerate(catalogue)}
    scope_pos: dict[str, int] = {"all": -1}
    for s in scope_col:
        scope_pos.setdefault(s, len(scope_pos))
    order = sorted(
        range(n),
        key=lambda i: (
            scope_pos[scope_col[i]],
            kpi_pos[kpi_col[i]],
            (0, "") if period_col[i] == "all" else (1, period_col[i]),
        ),
    )
    return out.iloc[order].reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# machine text
# ---------------------------------------------------------------------------------------------
def csv_number(value: Any, unit: str) -> str:
    """How the KPI CSV writes one number: for machines, the same bytes from every engine.

    Currency with two decimals (its cents), counts as integers, every other unit with at most
    :data:`CSV_SIGNIFICANT_DIGITS` significant digits; never an exponent; undefined -> empty.

    Examples
    --------
    >>> csv_number(10001071574.349998, "currency"), csv_number(12.0, "count"), csv_number(0.1 + 0.2, "ratio")
    ('10001071574.35', '12', '0.3')
    >>> csv_number(float("nan"), "ratio"), csv_number(1.5e-7, "ratio"), csv_number(2.5, "count")
    ('', '0.00000015', '2.5')
    """
    v = _number(value)
    if v is None or not math.isfinite(v):
        return ""
    if unit == "currency":
        text = f"{v:.2f}"
        return "0.00" if text == "-0.00" else text
    if unit == "count" and float(v).is_integer():
        return str(int(v))
    text = np.format_float_positional(v, precision=CSV_SIGNIFICANT_DIGITS, unique=True, fractional=False,
                                      trim="-")
    return "0" if text == "-0" else text


def kpi_table_csv(table: pd.DataFrame) -> str:
    """The KPI table as CSV text: UTF-8, ``,`` separator, ``.`` decimals, undefined values empty.

    Values and targets are written by :func:`csv_number` according to the row's unit. The
    notebook's saved table and ``kpi-cases kpis`` both go through this function, so the two
    files are byte-identical for the same data and parameters.
    """
    out = table.copy()
    for col in ("value", "target"):
        if col in out:
            out[col] = pd.array([csv_number(v, u) for v, u in zip(table[col], table["unit"])], dtype="str")
    return out.to_csv(index=False, lineterminator="\n", na_rep="")


def save_kpi_table(table: pd.DataFrame, path: Any) -> str:
    """Write the KPI table atomically (temporary file in the same folder, then rename); return the path.

    A reader never sees a half-written file, and an interrupted run leaves the previous file intact.
    """
    from pathlib import Path

    from ._io import write_text_atomic

    target = Path(path)
    write_text_atomic(target, kpi_table_csv(table))
    return str(target)
