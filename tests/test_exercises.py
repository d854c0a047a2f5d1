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
    assert check_answer(100, 120, unit="currency").message.startswith("Not yet: `answer` = 100 is too low")
    assert "`answer_3` = 100" in check_answer(100, 120, unit="currency", variable="answer_3").message


def test_ratio_accepts_fraction_and_percent_also_for_small_rates():
    # a CTR of 0.64 %: 0.0064 (fraction) and 0.64 (percent) are both right
    assert check_answer(0.0064, 0.0064, unit="ratio").ok is True
    assert check_answer(0.64, 0.0064, unit="ratio").ok is True
    # 0.46 % given for a 0.64 % CTR is wrong and judged as the percent it most likely is
    r = check_answer(0.46, 0.0064, unit="ratio")
    assert r.ok is False and "0.46% (read as a percent) is too low" in r.message
    # a share of 42 %: 0.42 and 42 both right, 4.2 wrong
    assert check_answer(0.42, 0.42, unit="ratio").ok and check_answer(42, 0.42, unit="ratio").ok
    assert check_answer(4.2, 0.42, unit="ratio").ok is False


def test_check_choice_explains_both_ways():
    from kpi_helpers.exercises import check_choice

    opts = ("key account", "KPI")
    assert check_choice(" KPI ", "KPI", options=opts, why="A rate.").message == "Correct: KPI. A rate."
    wrong = check_choice("key account", "KPI", options=opts, why="A rate.", variable="q3")
    assert wrong.ok is False and "A rate." in wrong.message
    assert check_choice("maybe", "KPI", options=opts, variable="q3").ok is False
    assert "`q3`" in check_choice(None, "KPI", options=opts, variable="q3").message


def test_non_number_and_undefined_expected():
    assert check_answer("abc", 1.0).ok is False
    assert check_answer(1.0, math.nan).ok is None


def test_markdown_repr_marks_outcome():
    assert check_answer(1.0, 1.0)._repr_markdown_().startswith("✅")
    assert check_answer(2.0, 1.0)._repr_markdown_().startswith("❌")
