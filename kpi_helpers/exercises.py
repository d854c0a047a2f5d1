"""Self-checks for the notebook exercises.

An exercise asks the student for a number (a share, a rate, a count). The check compares the answer
with the value computed from the data the notebook runs on, so it keeps working when a consultant
points the notebook at other data. Answers may be given as a fraction (0.42) or as a percent (42) for
ratios; both are accepted and the message says which form was understood.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from . import display

__all__ = ["CheckResult", "check_answer"]


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


def _fmt(value: float, unit: str) -> str:
    """The answer as text (:func:`kpi_helpers.display.format_value`; money without a currency code)."""
    return display.format_value(value, unit, currency="")


def check_answer(answer: Any, expected: float, *, unit: str = "number", rel_tol: float = 0.01,
                 abs_tol: float = 1e-9, hint: str = "") -> CheckResult:
    """Compare a student's ``answer`` with ``expected``.

    Parameters
    ----------
    answer : number or None
        The student's answer; ``None`` means "not answered yet".
    expected : float
        The value computed from the data.
    unit : {"ratio", "currency", "count", "number"}
        For ``"ratio"`` an answer above 1.5 is read as a percent (42 -> 0.42) when the expected value
        is at most 1.5.
    rel_tol, abs_tol : float
        Tolerances (1 % relative by default: rounding the answer is fine).
    hint : str
        Shown when the answer is wrong.

    Examples
    --------
    >>> check_answer(42, 0.4213, unit="ratio").ok
    True
    >>> check_answer(None, 0.5).ok is None
    True
    """
    if answer is None:
        return CheckResult(None, "No answer yet: set `answer = ...` in the cell above and run it again.")
    try:
        value = float(answer)
    except (TypeError, ValueError):
        return CheckResult(False, f"Your answer {answer!r} is not a number.")
    if expected is None or (isinstance(expected, float) and math.isnan(expected)):
        return CheckResult(None, "This value is undefined (n/a) for these data, so there is nothing to check.")
    read_as = ""
    if unit == "ratio" and abs(value) > 1.5 and abs(expected) <= 1.5:
        value, read_as = value / 100.0, " (read as a percent)"
    if math.isclose(value, expected, rel_tol=rel_tol, abs_tol=abs_tol):
        return CheckResult(True, f"Correct: {_fmt(value, unit)}{read_as}.")
    direction = "too high" if value > expected else "too low"
    msg = f"Not yet: {_fmt(value, unit)}{read_as} is {direction}."
    if hint:
        msg += f" Hint: {hint}"
    return CheckResult(False, msg)
