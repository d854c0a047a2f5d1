import math

from kpi_helpers.exercises import check_answer


def test_no_answer_yet_is_neither_right_nor_wrong():
    r = check_answer(None, 0.3)
    assert r.ok is None and "No answer yet" in r.message


def test_ratio_answer_as_fraction_or_percent():
    assert check_answer(0.42, 0.4213, unit="ratio").ok is True
    r = check_answer(42.1, 0.4213, unit="ratio")
    assert r.ok is True and "percent" in r.message


def test_wrong_answer_says_direction_and_hint():
    r = check_answer(0.5, 0.4213, unit="ratio", hint="divide by the total")
    assert r.ok is False and "too high" in r.message and "divide by the total" in r.message
    assert check_answer(100, 120, unit="currency").message.startswith("Not yet: 100 is too low")


def test_non_number_and_undefined_expected():
    assert check_answer("abc", 1.0).ok is False
    assert check_answer(1.0, math.nan).ok is None


def test_markdown_repr_marks_outcome():
    assert check_answer(1.0, 1.0)._repr_markdown_().startswith("✅")
    assert check_answer(2.0, 1.0)._repr_markdown_().startswith("❌")
