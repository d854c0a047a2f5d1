"""Text and exercise helpers for the concepts notebook (``00_concepts``).

The concepts notebook teaches the difference between a key account (*nøkkelkunde*) and a KPI
(*nøkkelprestasjonsindikator*). Every sentence it prints about the data is built here, from the
data, so that it stays true when the data change:

* :func:`check_key_account_or_kpi`: the "key account or KPI?" concept check over every example of
  the article "Nøkkelkunde vs. nøkkelprestasjon indikator (KPI): Hva er forskjellen?"
  (:data:`CONCEPT_ITEMS`), item by item with :func:`kpi_helpers.exercises.check_choice`;
* :func:`kpi_definitions`: THE definition of a KPI (formula, unit, when undefined), read from the
  docstring of its function in :mod:`kpi_helpers.kpis`, so that a notebook shows one definition
  wherever it names the KPI;
* :func:`smart_limits`: what :func:`kpi_helpers.scorecard.smart_check` can and cannot judge;
* :func:`target_months`, :func:`target_pattern_text`, :func:`trend_title`: which months met a
  target (the status rule of :func:`kpi_helpers.scorecard.status`), as sentences and a title;
* :func:`revenue_change_text`: what the data do and do not say about one month's revenue;
* :func:`account_vs_company_text`: a key account's KPIs against the whole company's.

Numbers are shown through :mod:`kpi_helpers.display`; nothing here draws, and no function changes
its arguments.
"""
from __future__ import annotations

import inspect
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from . import display, kpis, scorecard
from .exercises import CheckResult, check_choice
from .i18n import tr, trn

__all__ = [
    "CONCEPT_ITEMS",
    "CONCEPT_OPTIONS",
    "account_vs_company_text",
    "after_month_text",
    "bank_client_overview",
    "check_above_below",
    "check_key_account_or_kpi",
    "kpi_definition",
    "kpi_definitions",
    "line_summary_markdown",
    "revenue_change_text",
    "smart_limits",
    "target_months",
    "target_pattern_markdown",
    "target_pattern_text",
    "trend_title",
    "worst_month",
    "worst_month_text",
]

# ---------------------------------------------------------------------------------------------
# the concept check: key account or KPI?
# ---------------------------------------------------------------------------------------------
#: The choices of the concept check.
CONCEPT_OPTIONS: tuple[str, ...] = ("key account", "KPI", "neither")

#: Every example of the article, in its order: item -> (the right choice, why).
CONCEPT_ITEMS: dict[str, tuple[str, str]] = {
    "the startup's customer A": (
        "key account",
        "Customer A is one specific customer that brings most of the startup's revenue."),
    "the startup's customer B (smaller than A, but strategic and growing)": (
        "key account",
        "A specific customer too. The article stresses that a key account is not decided by revenue "
        "alone: strategic value, growth potential and engagement count as well."),
    "the startup's monthly revenue growth": (
        "KPI",
        "A measurable value with a formula, (R_t - R_t-1) / R_t-1, that shows how the whole business "
        "is doing."),
    "the consultancy's multinational client": (
        "key account",
        "One large client that brings a big part of the firm's revenue: a relationship to look after."),
    "client satisfaction rate (kundetilfredshet)": (
        "KPI",
        "A share of survey answers: a number measured for all clients (or per client), not a client."),
    "project completion time (prosjektgjennomføringstid)": (
        "KPI",
        "Days from start to end of the finished projects, averaged: it measures delivery, not a customer."),
    "revenue per consultant (inntekt per konsulent)": (
        "KPI",
        "Revenue divided by headcount: a productivity measure of the whole firm."),
    "the agency's high-profile client with several campaigns": (
        "key account",
        "One client, specially important, whose campaigns the agency manages: a key account."),
    "conversion rate (konverteringsrate)": (
        "KPI",
        "Conversions / clicks: a measurable rate of the campaigns."),
    "click-through rate (klikkfrekvens)": (
        "KPI",
        "Clicks / impressions: it measures how engaging the ads are, over any set of campaigns."),
    "return on ad spend (avkastning på annonsekostnader)": (
        "KPI",
        "Conversion value / ad spend: it measures the profitability of the marketing."),
    "the restaurant's VIP guest": (
        "key account",
        "One guest who comes often and gets special treatment: the chef's key account."),
    "average customer rating": (
        "KPI",
        "The mean of the guests' ratings: a number about all guests."),
    "revenue per table (inntekt per bord)": (
        "KPI",
        "Revenue / (tables x open days): how well the tables earn, whoever sits at them."),
    "table turnover (omsetningshastighet)": (
        "KPI",
        "Parties seated / (tables x open days): how often a table is used."),
    "the software company's bank client": (
        "key account",
        "A large bank client that brings a big share of revenue and has its own account manager."),
    "the bank client's account manager (kontoadministrator)": (
        "neither",
        "A person, not a customer and not a number: the one who looks after the key account."),
    "the bank client's revenue growth": (
        "KPI",
        "Still a KPI: the same formula, tracked for one key account. KPIs can be tracked per key account."),
    "the manufacturer's share of units without defects": (
        "KPI",
        "1 - defective units / units started: a quality measure of the whole production."),
    "the manufacturer's average time per unit": (
        "KPI",
        "Production time / good units produced: a productivity measure that says nothing about a customer."),
}


def check_key_account_or_kpi(answers: Any, *, variable: str = "answer_1",
                             items: Mapping[str, tuple[str, str]] | None = None) -> CheckResult:
    """Check the student's choices item by item; each answered item's feedback explains why.

    Parameters
    ----------
    answers : dict item -> "key account" / "KPI" / "neither" (None: not answered yet), or None
        The keys are those of :data:`CONCEPT_ITEMS`; case and spaces of the choices do not matter.
    variable : str
        The name of the dict the student fills in, named in the feedback.
    items : mapping, optional
        Other items (default :data:`CONCEPT_ITEMS`).

    Returns
    -------
    CheckResult
        ``ok`` True when every item is right, False when one is wrong (or an item is not one of the
        expected keys), None while none is answered or some are still open. The message has one
        line per answered item (:func:`kpi_helpers.exercises.check_choice`, with the reason).

    Examples
    --------
    >>> check_key_account_or_kpi(None).ok is None
    True
    >>> r = check_key_account_or_kpi({"the startup's customer A": "key account"})
    >>> r.ok is None, r.message.splitlines()[0]
    (True, '1 of 20 answered, 1 right so far.')
    >>> model = {k: v[0] for k, v in CONCEPT_ITEMS.items()}
    >>> check_key_account_or_kpi(model).ok
    True
    >>> check_key_account_or_kpi({**model, "click-through rate (klikkfrekvens)": "key account"}).ok
    False
    """
    items = CONCEPT_ITEMS if items is None else items
    no_answers = tr("No answers yet: fill in `{variable}` in the cell above and run it again.", variable=variable)
    if answers is None:
        return CheckResult(None, no_answers)
    if not isinstance(answers, Mapping):
        return CheckResult(False, tr("`{variable}` should be a dict item -> choice, got {type}.",
                                     variable=variable, type=type(answers).__name__))
    # an item may be keyed in English or in the language now (the notebook writes tr("..."): None)
    shown_items = {item: tr(item) for item in items}
    keys = set(shown_items) | set(shown_items.values())
    unknown = [k for k in answers if k not in keys]
    options = tuple(tr(o) for o in CONCEPT_OPTIONS)
    english = {o.casefold(): tr(o) for o in CONCEPT_OPTIONS}  # English choices are understood too
    lines: list[str] = []
    right = wrong = 0
    for item, (expected, why) in items.items():
        shown = shown_items[item]
        given = answers.get(shown, answers.get(item))
        if given is None:
            continue
        if isinstance(given, str) and given.strip().casefold() in english:
            given = english[given.strip().casefold()]
        result = check_choice(given, tr(expected), options=options, why=tr(why),
                              variable=f"{variable}[{shown!r}]")
        right += result.ok is True
        wrong += result.ok is False
        icon = "✅" if result.ok else "❌"
        lines.append(f"- {icon} *{shown}*: {result.message}")
    for k in unknown:
        lines.append(tr("- ❌ *{item}* is not one of the items: keep the keys as they are given.", item=k))
    answered = right + wrong
    head = tr("{answered} of {total} answered, {right} right so far.", answered=answered, total=len(items),
              right=right)
    if answered == len(items) and not wrong and not unknown:
        head = tr("All {total} right.", total=len(items))
        ok: bool | None = True
    elif wrong or unknown:
        ok = False
    else:
        ok = None
    if not answered and not unknown:
        return CheckResult(None, no_answers)
    return CheckResult(ok, "\n".join([head, ""] + lines))


# ---------------------------------------------------------------------------------------------
# one definition per KPI: the docstrings of kpi_helpers.kpis
# ---------------------------------------------------------------------------------------------
_FIELDS = (("formula", "Formula:"), ("unit", "Unit:"), ("undefined", "Undefined"))


def kpi_definition(kpi_id: str) -> dict[str, str]:
    """THE definition of a KPI: formula, unit and when it is undefined, from its function's docstring.

    Every KPI function of :mod:`kpi_helpers.kpis` states its formula, unit and undefined rule in
    its docstring; this reads them (continuation lines joined), so a notebook never writes a second,
    diverging definition.

    Examples
    --------
    >>> kpi_definition("defect_free_share")["formula"][:36]
    '1 - defective units / units started,'
    >>> kpi_definition("nps")["unit"]
    'index, -100..100 (not a fraction).'
    """
    fn = getattr(kpis, kpi_id, None)
    if fn is None or not callable(fn) or not fn.__doc__:
        raise KeyError(f"kpi_helpers.kpis has no documented function {kpi_id!r}")
    doc = inspect.cleandoc(fn.__doc__)
    paragraph = doc.split("\n\n")[1] if "\n\n" in doc else doc
    out: dict[str, str] = {}
    lines = paragraph.splitlines()
    for key, start in _FIELDS:
        text = ""
        for i, line in enumerate(lines):
            if line.startswith(start):
                text = line[len(start):].lstrip()
                if key == "undefined":
                    text = re.sub(r"^\(NaN\):\s*|^:\s*", "", text)
                for cont in lines[i + 1:]:
                    if any(cont.startswith(s) for _, s in _FIELDS):
                        break
                    text += " " + cont.strip()
                break
        out[key] = text.strip()
    return out


def kpi_definitions(ids: Mapping[str, str] | Sequence[str]) -> pd.DataFrame:
    """KPIs with their one definition: ``[kind,] id, name, formula, unit, undefined when``.

    ``name`` comes from the KPI catalogue (:data:`kpi_helpers.scorecard.KPI_CATALOGUE`), the rest
    from :func:`kpi_definition`.

    Examples
    --------
    >>> kpi_definitions({"csat": "customer"})[["kind", "id", "formula"]].iloc[0].tolist()
    ['customer', 'csat', 'satisfied responses (4 or 5 on a 1-5 scale) / all responses.']
    """
    kinds = dict(ids) if isinstance(ids, Mapping) else None
    rows = []
    for kpi_id in (list(kinds) if kinds is not None else list(ids)):
        d = kpi_definition(kpi_id)
        k = scorecard.KPI_CATALOGUE.get(kpi_id)
        row = {tr("kind"): kinds[kpi_id]} if kinds is not None else {}
        # the docstring's words are messages too (locale/nb/00_concepts.po): one definition, two languages
        row.update({"id": kpi_id,
                    tr("name"): display.kpi_name(kpi_id) if k is not None else tr(kpi_id.replace("_", " ")),
                    tr("formula"): tr(d["formula"]), tr("unit"): tr(d["unit"].rstrip(".")),
                    tr("undefined when"): tr(d["undefined"].rstrip("."))})
        rows.append(row)
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------------
# SMART: what a computer can check
# ---------------------------------------------------------------------------------------------
_SMART_LIMITS = (
    ("Specific", "an id, a name and a formula or description are written down",
     "whether it measures what the business really cares about"),
    ("Measurable", "a formula and a known unit are written down",
     "whether the data to compute it exist and are reliable"),
    ("Achievable", "a target is written down and is a possible value for its unit "
     "(not negative for a count, a fraction for a ratio)",
     "whether the target can be reached: that needs the KPI's history, the resources and the people "
     "who must reach it"),
    ("Relevant", "a description of the goal, or an owner, is written down",
     "whether that goal is the right one for the business"),
    ("Time-bound", "a period or deadline is written down",
     "whether the period fits how fast the KPI can change"),
)


def smart_limits() -> pd.DataFrame:
    """What :func:`kpi_helpers.scorecard.smart_check` checks per letter, and what only people can judge.

    In the language now (:func:`kpi_helpers.i18n.tr`): criteria, cells and column headers.

    Examples
    --------
    >>> smart_limits().columns.tolist()
    ['criterion', 'smart_check sees', 'only people can judge']
    >>> smart_limits()["criterion"].tolist() == scorecard.smart_check("csat")["criterion"].tolist()
    True
    """
    return pd.DataFrame([[tr(text) for text in row] for row in _SMART_LIMITS],
                        columns=[tr("criterion"), tr("smart_check sees"), tr("only people can judge")]).astype("str")


# ---------------------------------------------------------------------------------------------
# months against a target
# ---------------------------------------------------------------------------------------------
def target_months(monthly: pd.DataFrame, kpi: str, target: float, direction: str = "higher") -> pd.DataFrame:
    """Each month's status against a target, by THE status rule (:func:`kpi_helpers.scorecard.status`).

    Returns
    -------
    DataFrame
        ``period, value, status`` (``on_track``, ``off_track`` or ``not_measurable``).

    Examples
    --------
    >>> m = pd.DataFrame({"period": ["2025-01", "2025-02", "2025-03"], "csat": [0.8, 0.9, float("nan")]})
    >>> target_months(m, "csat", 0.85)["status"].tolist()
    ['off_track', 'on_track', 'not_measurable']
    """
    values = monthly[kpi].astype(float)
    return pd.DataFrame({
        "period": monthly["period"].astype("str").to_numpy(),
        "value": values.to_numpy(),
        "status": [scorecard.status(v, target, direction) for v in values],
    })


def _runs(periods: Sequence[str], flags: Sequence[Any]) -> list[tuple[str, str, Any, int]]:
    """Consecutive runs of equal flags: (first period, last period, flag, length)."""
    runs: list[tuple[str, str, Any, int]] = []
    for p, f in zip(periods, flags):
        if runs and runs[-1][2] == f:
            first, _, _, n = runs[-1]
            runs[-1] = (first, p, f, n + 1)
        else:
            runs.append((p, p, f, 1))
    return runs


def _span(first: str, last: str) -> str:
    return first if first == last else tr("{first} to {last}", first=first, last=last)


def target_pattern_text(monthly: pd.DataFrame, kpi: str, target: float, *, label: str, unit: str,
                        direction: str = "higher", currency: str = "NOK") -> str:
    """One sentence: in which months a KPI met its target, computed from the data.

    Names how many months met it, the runs of months on and off track, the worst month and how the
    series ends. A month exactly at its target is on track; months without a value are named apart.

    Examples
    --------
    >>> m = pd.DataFrame({"period": ["2025-01", "2025-02", "2025-03", "2025-04"],
    ...                   "sla": [0.8, 0.6, 0.95, 0.92]})
    >>> target_pattern_text(m, "sla", 0.9, label="SLA rate", unit="ratio")
    'SLA rate met its target of 90.0% in 2 of 4 months: below it 2025-01 to 2025-02, at or above it 2025-03 to 2025-04. Worst month 2025-02 (60.0%); last month 2025-04 (92.0%), on target.'
    """
    t = target_months(monthly, kpi, target, direction)
    fmt = lambda v: display.format_value(v, unit, currency=currency)  # noqa: E731
    measured = t[t["status"] != "not_measurable"]
    if measured.empty:
        return tr("{label} has no measurable month, so it cannot be read against its target.", label=label)
    met = int((measured["status"] == "on_track").sum())
    words = {"on_track": tr("at or above it {span}") if direction == "higher" else tr("at or below it {span}"),
             "off_track": tr("below it {span}") if direction == "higher" else tr("above it {span}")}
    parts = [words[f].format(span=_span(a, b)) for a, b, f, _ in _runs(measured["period"].tolist(),
                                                                      measured["status"].tolist())]
    if met == len(measured):
        text = tr("{label} met its target of {target} in every month ({span}).", label=label, target=fmt(target),
                  span=_span(measured['period'].iloc[0], measured['period'].iloc[-1]))
    elif met == 0:
        text = trn("{label} missed its target of {target} in its only month.",
                   "{label} missed its target of {target} in every one of its {n} months.", len(measured),
                   label=label, target=fmt(target))
    else:
        text = tr("{label} met its target of {target} in {met} of {n} months: {parts}.", label=label,
                  target=fmt(target), met=met, n=len(measured), parts=", ".join(parts))
    worst = measured.loc[measured["value"].idxmin() if direction == "higher" else measured["value"].idxmax()]
    last = measured.iloc[-1]
    ending = tr("on target") if last["status"] == "on_track" else tr("off target")
    text += " " + tr("Worst month {worst} ({worst_value}); last month {last} ({last_value}), {ending}.",
                     worst=worst["period"], worst_value=fmt(worst["value"]), last=last["period"],
                     last_value=fmt(last["value"]), ending=ending)
    missing = t.loc[t["status"] == "not_measurable", "period"].tolist()
    if missing:
        text += " " + tr("Not measurable in {months}.", months=", ".join(missing))
    return text


def trend_title(monthly: pd.DataFrame, targets: Mapping[str, float], labels: Mapping[str, str], *,
                directions: Mapping[str, str] | None = None, who: str | None = None) -> str:
    """A figure title that states what the data show: months at or above target, per KPI.

    Examples
    --------
    >>> m = pd.DataFrame({"period": ["2025-01", "2025-02"], "csat": [0.8, 0.9], "nps": [10.0, 40.0]})
    >>> trend_title(m, {"csat": 0.85, "nps": 30}, {"csat": "CSAT", "nps": "NPS"})
    'The bank client, 2025-01 to 2025-02\\nmonths at or above target: CSAT 1 of 2, NPS 1 of 2'
    """
    directions = directions or {}
    parts = []
    for kpi, label in labels.items():
        if kpi not in monthly.columns or targets.get(kpi) is None:
            continue
        t = target_months(monthly, kpi, float(targets[kpi]), directions.get(kpi, "higher"))
        measured = t[t["status"] != "not_measurable"]
        parts.append(tr("{label} {met} of {n}", label=label, met=int((measured['status'] == 'on_track').sum()),
                        n=len(measured)))
    span = (_span(str(monthly["period"].iloc[0]), str(monthly["period"].iloc[-1])) if len(monthly)
            else tr("no months"))
    head = tr("{who}, {span}", who=tr("The bank client") if who is None else who, span=span)
    return tr("{head}\nmonths at or above target: {parts}", head=head, parts=", ".join(parts)) if parts else head


# ---------------------------------------------------------------------------------------------
# what one month's revenue change does and does not show
# ---------------------------------------------------------------------------------------------
def revenue_change_text(monthly: pd.DataFrame, period: str, *, currency: str = "NOK",
                        load: str = "support_tickets", load_label: str | None = None) -> str:
    """What the data say about the revenue of one month (e.g. the month of an incident).

    States the month's revenue and its change on the month before, how its ``load`` (support
    tickets) ranks, and which other months' revenue fell more. Says plainly that the data hold no
    contract terms, so a cause such as a service credit cannot be read from them.

    Examples
    --------
    >>> m = pd.DataFrame({"period": ["2025-01", "2025-02", "2025-03"], "revenue": [100.0, 90.0, 88.0],
    ...                   "support_tickets": [10, 11, 30]})
    >>> m["mom_growth"] = m["revenue"].pct_change()
    >>> print(revenue_change_text(m, "2025-03", currency=""))  # doctest: +NORMALIZE_WHITESPACE
    Revenue in 2025-03: 88.00, -2.2% on the month before; 30 support tickets, the most of any month.
    Other months' revenue fell more: 2025-02 (-10.0%, 11 support tickets). These data hold no contract
    terms or service credits, so they do not show that the month's problems cost revenue.
    """
    m = monthly.reset_index(drop=True)
    rows = m.index[m["period"].astype(str) == str(period)]
    if not len(rows):
        raise KeyError(f"no month {period!r}; the months are {m['period'].tolist()}")
    i = int(rows[0])
    load_label = tr("support tickets") if load_label is None else load_label
    fmt_r = lambda v: display.format_value(v, "ratio")  # noqa: E731
    num = lambda v: display.format_value(v, "number", decimals=0)  # noqa: E731
    growth = float(m.at[i, "mom_growth"])
    rev = display.format_value(float(m.at[i, "revenue"]), "currency", currency=currency)
    change = (tr("no month before to compare with") if math.isnan(growth)
              else tr("{change} on the month before", change=fmt_r(growth)))
    text = tr("Revenue in {period}: {revenue}, {change}", period=period, revenue=rev, change=change)
    if load in m.columns:
        n = m.at[i, load]
        rank = (tr("the most of any month") if n == m[load].max()
                else tr("against a median of {median}", median=display.format_value(m[load].median(), "number")))
        text += tr("; {n} {load}, {rank}.", n=num(n), load=load_label, rank=rank)
    else:
        text += "."
    if not math.isnan(growth):
        worse = m[(m["mom_growth"] < growth) & (m.index != i)]
        if len(worse):
            items = [(tr("{period} ({change}, {n} {load})", period=p, change=fmt_r(g), n=num(n), load=load_label)
                      if load in m.columns else f"{p} ({fmt_r(g)})")
                     for p, g, n in zip(worse["period"], worse["mom_growth"],
                                        worse[load] if load in m.columns else [0] * len(worse))]
            text += " " + tr("Other months' revenue fell more: {months}.", months="; ".join(items))
    text += " " + tr("These data hold no contract terms or service credits, so they do not show that the "
                     "month's problems cost revenue.")
    return text


def _and(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + display.language().text("and") + items[-1]


def account_vs_company_text(versus: pd.DataFrame, *, labels: Mapping[str, str], units: Mapping[str, str],
                            directions: Mapping[str, str] | None = None) -> str:
    """One sentence: where the key account is better and where worse than the whole company.

    ``versus`` is :func:`kpi_helpers.cases.concepts.account_vs_company`: index KPI ids, columns
    ``[company, account]``; ``labels`` and ``units`` by KPI id.

    Examples
    --------
    >>> v = pd.DataFrame({"whole company": [0.8, 0.88], "Bank client": [0.82, 0.85]}, index=["csat", "sla_rate"])
    >>> account_vs_company_text(v, labels={"csat": "CSAT", "sla_rate": "SLA rate"},
    ...                         units={"csat": "ratio", "sla_rate": "ratio"})
    'Bank client is better than the whole company on CSAT (82.0% vs 80.0%) and worse on SLA rate (85.0% vs 88.0%).'
    """
    directions = directions or {}
    company, account = versus.columns[0], versus.columns[1]
    better: list[str] = []
    worse: list[str] = []
    same: list[str] = []
    for kpi, row in versus.iterrows():
        a, c = float(row[account]), float(row[company])
        unit = units.get(kpi, "number")
        item = tr("{kpi} ({account} vs {company})", kpi=labels.get(kpi, kpi),
                  account=display.format_value(a, unit), company=display.format_value(c, unit))
        sign = 1 if directions.get(kpi, "higher") == "higher" else -1
        (better if sign * (a - c) > 0 else worse if sign * (a - c) < 0 else same).append(item)
    parts = []
    if better:
        parts.append(tr("better than the whole company on {kpis}", kpis=_and(better)))
    if worse:
        parts.append(tr("worse on {kpis}", kpis=_and(worse)) if better
                     else tr("worse than the whole company on {kpis}", kpis=_and(worse)))
    if same:
        parts.append(tr("equal on {kpis}", kpis=_and(same)))
    name = str(account)[:1].upper() + str(account)[1:]
    if not parts:
        return tr("{name}: nothing to compare.", name=name)
    return tr("{name} is {parts}.", name=name, parts=display.language().text("and").join(parts))


# ---------------------------------------------------------------------------------------------
# the bank client's story, as sentences built from its data
# ---------------------------------------------------------------------------------------------
def target_pattern_markdown(monthly: pd.DataFrame, targets: Mapping[str, float],
                            kpi_labels: Mapping[str, tuple[str, str]], *,
                            directions: Mapping[str, str] | None = None, currency: str = "NOK") -> str:
    """:func:`target_pattern_text` for every KPI with a target, as a Markdown list.

    ``kpi_labels``: KPI id -> (label, unit), e.g. :data:`kpi_helpers.cases.concepts.BANK_KPIS`.

    Examples
    --------
    >>> m = pd.DataFrame({"period": ["2025-01", "2025-02"], "csat": [0.8, 0.9]})
    >>> print(target_pattern_markdown(m, {"csat": 0.85, "nps": 30}, {"csat": ("CSAT", "ratio"),
    ...                                                            "nps": ("NPS", "index")}))
    - CSAT met its target of 85.0% in 1 of 2 months: below it 2025-01, at or above it 2025-02. Worst month 2025-01 (80.0%); last month 2025-02 (90.0%), on target.
    """
    directions = directions or {}
    lines = [f"- {target_pattern_text(monthly, kpi, float(targets[kpi]), label=label, unit=unit, direction=directions.get(kpi, 'higher'), currency=currency)}"
             for kpi, (label, unit) in kpi_labels.items()
             if kpi in monthly.columns and targets.get(kpi) is not None]
    return "\n".join(lines) if lines else tr("No KPI has a target, so no month can be read against one.")


def worst_month(monthly: pd.DataFrame, kpi: str = "sla_rate") -> str:
    """The period with the lowest value of ``kpi`` (the first one on a tie).

    Examples
    --------
    >>> worst_month(pd.DataFrame({"period": ["2025-01", "2025-02"], "sla_rate": [0.9, 0.6]}))
    '2025-02'
    """
    return str(monthly.loc[monthly[kpi].astype(float).idxmin(), "period"])


def worst_month_text(bank: pd.DataFrame, monthly: pd.DataFrame, period: str) -> str:
    """What happened in one month of the bank client, from its counts.

    Examples
    --------
    >>> bank = pd.DataFrame({"month": ["2025-01", "2025-02"], "revenue": [100.0, 90.0],
    ...     "support_tickets": [10, 30], "tickets_resolved_in_sla": [9, 15], "csat_responses": [4, 5],
    ...     "csat_satisfied": [3, 2], "nps_promoters": [5, 2], "nps_detractors": [1, 2],
    ...     "nps_responses": [10, 4]})
    >>> from kpi_helpers.cases.concepts import bank_client_monthly
    >>> print(worst_month_text(bank, bank_client_monthly(bank), "2025-02"))  # doctest: +NORMALIZE_WHITESPACE
    In 2025-02 the client opened 30 support tickets (the most of any month; median 20); 50.0% of them
    were resolved within the SLA. CSAT was 40.0% (2 of 5 answers satisfied) and NPS 0.0 (2 promoters,
    2 detractors of 4 answers).
    """
    b = bank.set_index(bank["month"].astype(str))
    m = monthly.set_index("period")
    if period not in b.index:
        raise KeyError(f"no month {period!r}")
    row, k = b.loc[period], m.loc[period]
    tickets = b["support_tickets"]
    rank = tr("the most of any month") if row["support_tickets"] == tickets.max() else tr("not the most of the year")
    r = lambda v: display.format_value(v, "ratio")  # noqa: E731
    n = lambda v: display.format_value(v, "number", decimals=0)  # noqa: E731
    return tr("In {period} the client opened {tickets} support tickets ({rank}; median {median}); {sla} of them "
              "were resolved within the SLA. CSAT was {csat} ({satisfied} of {csat_answers} answers satisfied) "
              "and NPS {nps} ({promoters} promoters, {detractors} detractors of {nps_answers} answers).",
              period=period, tickets=n(row["support_tickets"]), rank=rank,
              median=display.format_value(tickets.median(), "number"), sla=r(k["sla_rate"]), csat=r(k["csat"]),
              satisfied=n(row["csat_satisfied"]), csat_answers=n(row["csat_responses"]),
              nps=display.format_value(k["nps"], "index"), promoters=n(row["nps_promoters"]),
              detractors=n(row["nps_detractors"]), nps_answers=n(row["nps_responses"]))


def after_month_text(monthly: pd.DataFrame, targets: Mapping[str, float], kpi_labels: Mapping[str, tuple[str, str]],
                     after: str, *, directions: Mapping[str, str] | None = None) -> str:
    """Did it recover? Per KPI with a target: months on target after ``after``, and since when every month.

    Examples
    --------
    >>> m = pd.DataFrame({"period": ["2025-01", "2025-02", "2025-03", "2025-04"], "csat": [0.5, 0.8, 0.9, 0.9]})
    >>> after_month_text(m, {"csat": 0.85}, {"csat": ("CSAT", "ratio")}, "2025-01")
    'After 2025-01: CSAT at or above its target in 2 of 3 months, and in every month from 2025-03 on.'
    """
    directions = directions or {}
    later = monthly[monthly["period"].astype(str) > after]
    if later.empty:
        return tr("There are no months after {after} to tell whether it recovered.", after=after)
    parts = []
    for kpi, (label, _unit) in kpi_labels.items():
        if kpi not in monthly.columns or targets.get(kpi) is None:
            continue
        t = target_months(later, kpi, float(targets[kpi]), directions.get(kpi, "higher"))
        t = t[t["status"] != "not_measurable"]
        met = int((t["status"] == "on_track").sum())
        text = (tr("{label} at or above its target in all {met} months", label=label, met=met) if met == len(t)
                else tr("{label} at or above its target in {met} of {n} months", label=label, met=met, n=len(t)))
        runs = _runs(t["period"].tolist(), t["status"].tolist())
        if runs and runs[-1][2] == "on_track" and met < len(t):
            text += tr(", and in every month from {month} on", month=runs[-1][0])
        elif runs and runs[-1][2] != "on_track":
            text += tr(", off target in the last month ({month})", month=runs[-1][1])
        parts.append(text)
    if not parts:
        return tr("No KPI has a target, so the months cannot be read against one.")
    return tr("After {after}: {parts}.", after=after, parts="; ".join(parts))


def check_above_below(answer: Any, value: float, reference: float, *, unit: str, what: str,
                      reference_name: str, variable: str) -> CheckResult:
    """A decision: is ``value`` above or below ``reference``? The reason shows both numbers.

    Examples
    --------
    >>> check_above_below("above", 0.885, 0.88, unit="ratio", what="the SLA rate without the worst month",
    ...                   reference_name="the company's", variable="answer_3_decision").message
    "Correct: above. The SLA rate without the worst month is 88.5%, against the company's 88.0%."
    """
    fmt = lambda v: display.format_value(v, unit)  # noqa: E731
    options = (tr("above"), tr("below"))
    expected = options[0] if value > reference else options[1]
    if isinstance(answer, str) and answer.strip().casefold() in ("above", "below"):  # English is understood too
        answer = options[0] if answer.strip().casefold() == "above" else options[1]
    why = tr("{what} is {value}, against {reference_name} {reference}.", what=f"{what[0].upper()}{what[1:]}",
             value=fmt(value), reference_name=reference_name, reference=fmt(reference))
    return check_choice(answer, expected, options=options, why=why, variable=variable)


# ---------------------------------------------------------------------------------------------
# the manufacturer's line
# ---------------------------------------------------------------------------------------------
def line_summary_markdown(steps: pd.DataFrame, line: Mapping[str, float] | pd.Series) -> str:
    """The rolled throughput yield worked out with the line's numbers, and the other line KPIs.

    ``steps`` is :func:`kpi_helpers.cases.concepts.production_steps`, ``line``
    :func:`kpi_helpers.cases.concepts.production_summary`.

    Examples
    --------
    >>> from kpi_helpers.cases.concepts import production_steps, production_summary
    >>> prod = pd.DataFrame({"step": ["Cut", "Weld"], "units_in": [100, 80], "good_first_pass": [80, 60],
    ...                      "defective": [20, 20], "minutes": [200, 400]})
    >>> print(line_summary_markdown(production_steps(prod), production_summary(prod)))
    $$\\mathrm{RTY} = 0.8000 \\times 0.7500 = 0.6000$$
    <BLANKLINE>
    - units started: 100; good units out: 60; defective units found along the line: 40
    - defect-free share: 1 - 40 / 100 = 60.0%
    - average time per (good) unit: 600 minutes / 60 good units = 10.00 minutes
    <BLANKLINE>
    The RTY equals the defect-free share here: every defective unit left the line (scrapped), so the good units out are exactly the units right the first time.
    """
    product = r" \times ".join(f"{y:.4f}" for y in steps["first_pass_yield"])
    count = lambda v: display.format_value(v, "count")  # noqa: E731
    return (
        f"$$\\mathrm{{RTY}} = {product} = {line['rolled_throughput_yield']:.4f}$$\n\n"
        + tr("- units started: {started}; good units out: {good}; defective units found along the line: "
             "{defective}", started=count(line['units_started']), good=count(line['good_units_out']),
             defective=count(line['defective'])) + "\n"
        + tr("- defect-free share: 1 - {defective} / {started} = {share}", defective=count(line['defective']),
             started=count(line['units_started']), share=display.format_value(line['defect_free_share'], 'ratio'))
        + "\n"
        + tr("- average time per (good) unit: {minutes} minutes / {good} good units = {per_unit} minutes",
             minutes=count(line['total_minutes']), good=count(line['good_units_out']),
             per_unit=display.format_value(line['minutes_per_good_unit'], 'number', decimals=2))
        + "\n\n" + _rty_vs_defect_free(line))


def _rty_vs_defect_free(line: Mapping[str, float] | pd.Series) -> str:
    rty, share = float(line["rolled_throughput_yield"]), float(line["defect_free_share"])
    if math.isnan(rty) or math.isnan(share):
        return tr("The RTY or the defect-free share is undefined for these data, so they cannot be compared.")
    if math.isclose(rty, share, rel_tol=1e-9, abs_tol=1e-12):
        return tr("The RTY equals the defect-free share here: every defective unit left the line (scrapped), "
                  "so the good units out are exactly the units right the first time.")
    return tr("The RTY ({rty}) differs from the defect-free share ({share}) here: not every defective unit was "
              "scrapped, or units were counted defective more than once (optional section C).",
              rty=display.format_value(rty, 'ratio'), share=display.format_value(share, 'ratio'))


def bank_client_overview(bank: pd.DataFrame, monthly: pd.DataFrame) -> str:
    """One line on what the bank client's data hold: months, tickets and answers.

    Examples
    --------
    >>> bank = pd.DataFrame({"support_tickets": [10, 1200], "csat_responses": [4, 5], "nps_responses": [3, 2]})
    >>> bank_client_overview(bank, pd.DataFrame({"period": ["2025-01", "2025-02"]}))
    '2 months of the bank client, 2025-01 to 2025-02; 1,210 support tickets, 9 CSAT and 5 NPS answers.'
    """
    if monthly.empty:
        return tr("The bank client's table has no months.")
    count = lambda c: display.format_value(bank[c].sum(), "count")  # noqa: E731
    return trn("{n} month of the bank client, {span}; {tickets} support tickets, {csat} CSAT and {nps} NPS answers.",
               "{n} months of the bank client, {span}; {tickets} support tickets, {csat} CSAT and {nps} NPS "
               "answers.", len(monthly),
               span=_span(str(monthly['period'].iloc[0]), str(monthly['period'].iloc[-1])),
               tickets=count('support_tickets'), csat=count('csat_responses'), nps=count('nps_responses'))
