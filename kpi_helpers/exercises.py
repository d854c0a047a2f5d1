"""Self-checks for the notebook exercises.

An exercise asks the student for a number (a share, a rate, a count). The check compares the answer
with the value computed from the data the notebook runs on, so it keeps working when a consultant
points the notebook at other data. Answers may be given as a fraction (0.42) or as a percent (42) for
ratios; both are accepted and the message says which form was understood.

Feedback is in the notebook's language: ``lang="en"`` (default) or ``"nb"`` (Bokmål: "Riktig: …",
"Ikke ennå: … er for høyt"); the words are the language's texts ``exercise.*`` in
:mod:`kpi_helpers.i18n`, the numbers :func:`kpi_helpers.display.format_value` in that language.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from . import display

__all__ = ["CheckResult", "check_answer", "check_choice"]


@dataclass(frozen=True)
class CheckResult:
    """Outcome of a self-check: ``ok`` is None while no answer was given."""

    ok: bool | None
    message: str

    def _repr_markdown_(self) -> str:  # shown as Markdown in Jupyter
        icon = {True: "✅", False: "❌", None: "✏️"}[self.ok]
        return f"{icon} {self.message}"

    def __repr__(self) -> str:
        return self.message


def _fmt(value: float, unit: str, lang: str | None) -> str:
    """The answer as text (:func:`kpi_helpers.display.format_value`; money without a currency code)."""
    return display.format_value(value, unit, currency="", lang=lang)


def _readings(value: float, unit: str, lg: display.Language) -> list[tuple[float, str]]:
    """The ways an answer can be meant: a ratio may be a fraction (0.0064) or a percent (0.64)."""
    if unit == "ratio":
        return [(value, ""), (value / 100.0, lg.text("exercise.read_as_percent"))]
    return [(value, "")]


def check_answer(answer: Any, expected: float, *, unit: str = "number", rel_tol: float = 0.01,
                 abs_tol: float = 1e-9, hint: str = "", variable: str = "answer", lang: str | None = None) -> CheckResult:
    """Compare a student's ``answer`` with ``expected`` (one answer format for every exercise).

    Parameters
    ----------
    answer : number or None
        The student's answer; ``None`` means "not answered yet".
    expected : float
        The value computed from the data.
    unit : {"ratio", "currency", "count", "number", "score", "days", "multiple"}
        For ``"ratio"`` a fraction and a percent are both accepted: 0.0064 and 0.64 are the same
        CTR of 0.64 %, 0.42 and 42 the same share of 42 %; the message says which was understood.
    rel_tol, abs_tol : float
        Tolerances (1 % relative by default: rounding the answer is fine).
    hint : str
        Shown when the answer is wrong.
    variable : str
        The name of the variable the student sets (``answer_2``), named in the feedback.
    lang : str
        The language of the feedback, ``"en"`` or ``"nb"``; ``hint`` is shown as given.

    Examples
    --------
    >>> check_answer(42, 0.4213, unit="ratio").ok, check_answer(0.42, 0.4213, unit="ratio").ok
    (True, True)
    >>> check_answer(0.64, 0.0064, unit="ratio").message     # a small rate given in percent
    'Correct: 0.64% (read as a percent).'
    >>> check_answer(None, 0.5, variable="answer_2").message
    'No answer yet: set `answer_2 = ...` in the cell above and run it again.'
    >>> check_answer(0.9, 0.4213, unit="ratio", variable="answer_2", lang="nb").message.replace("\\xa0", " ")
    'Ikke ennå: `answer_2` = 90,0 % er for høyt.'
    """
    lg = display.language(lang)
    if answer is None:
        return CheckResult(None, lg.text("exercise.no_answer", variable=variable))
    if isinstance(answer, bool):
        return CheckResult(False, lg.text("exercise.not_a_number_bool", variable=variable, answer=repr(answer)))
    try:
        value = float(answer)
    except (TypeError, ValueError):
        return CheckResult(False, lg.text("exercise.not_a_number", variable=variable, answer=repr(answer)))
    if expected is None or (isinstance(expected, float) and math.isnan(expected)):
        return CheckResult(None, lg.text("exercise.undefined", na=lg.not_available))
    readings = _readings(value, unit, lg)
    for reading, read_as in readings:
        if math.isclose(reading, expected, rel_tol=rel_tol, abs_tol=abs_tol):
            return CheckResult(True, lg.text("exercise.correct", value=_fmt(reading, unit, lang), read_as=read_as))
    # wrong: judge the reading nearer the expected value (on a log scale for ratios)
    def distance(r: float) -> float:
        if r > 0 and expected > 0:
            return abs(math.log(r / expected))
        return abs(r - expected)
    reading, read_as = min(readings, key=lambda rv: distance(rv[0]))
    direction = lg.text("exercise.too_high" if reading > expected else "exercise.too_low")
    msg = lg.text("exercise.not_yet", variable=variable, value=_fmt(reading, unit, lang), read_as=read_as,
                  direction=direction)
    if hint:
        msg += lg.text("exercise.hint", hint=hint)
    return CheckResult(False, msg)


def check_choice(answer: Any, expected: str, *, options: tuple[str, ...], why: str = "",
                 variable: str = "answer", lang: str | None = None) -> CheckResult:
    """Check a choice among ``options`` (e.g. "key account" or "KPI"), explaining the right answer.

    The comparison ignores case and surrounding spaces. ``why`` explains the answer; it is shown
    both when the answer is right and when it is wrong, so that the student learns the reason.
    ``options``, ``expected`` and ``why`` are shown as given (the notebook writes them in its
    language); ``lang`` ("en" or "nb") gives the words around them.

    Examples
    --------
    >>> check_choice("kpi", "KPI", options=("key account", "KPI"), why="CTR is a measurable rate.").message
    'Correct: KPI. CTR is a measurable rate.'
    >>> check_choice("key account", "KPI", options=("key account", "KPI")).ok
    False
    >>> check_choice("KPI", "nøkkelkunde", options=("nøkkelkunde", "KPI"), lang="nb").message
    'Ikke helt: svaret er nøkkelkunde, ikke KPI.'
    """
    lg = display.language(lang)
    listed = ", ".join(map(repr, options))
    if answer is None:
        return CheckResult(None, lg.text("exercise.no_choice", variable=variable, options=listed))
    given = str(answer).strip().casefold()
    known = {o.casefold(): o for o in options}
    if given not in known:
        return CheckResult(False, lg.text("exercise.not_an_option", variable=variable, options=listed,
                                          answer=repr(answer)))
    reason = lg.text("exercise.why", why=why) if why else ""
    if known[given] == expected:
        return CheckResult(True, lg.text("exercise.right_choice", expected=expected) + reason)
    return CheckResult(False, lg.text("exercise.wrong_choice", expected=expected, given=known[given]) + reason)
