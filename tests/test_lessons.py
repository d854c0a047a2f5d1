"""kpi_helpers.lessons: the concepts notebook's concept check, definitions and data-built sentences."""
from __future__ import annotations

import ast
import json

import pandas as pd
import pytest
from conftest import DATA, NOTEBOOKS

from kpi_helpers import data, kpis, lessons, scorecard
from kpi_helpers.cases import concepts


def _model() -> dict[str, str]:
    return {k: v[0] for k, v in lessons.CONCEPT_ITEMS.items()}


# ------------------------------------------------------------------ concept check
def test_concept_items_cover_the_article():
    items = " ".join(lessons.CONCEPT_ITEMS).lower()
    for word in ("customer a", "customer b", "monthly revenue growth", "multinational", "satisfaction",
                 "completion time", "revenue per consultant", "high-profile", "conversion rate",
                 "click-through", "return on ad spend", "vip", "average customer rating",
                 "revenue per table", "table turnover", "bank client", "account manager",
                 "without defects", "time per unit"):
        assert word in items, word
    assert len(lessons.CONCEPT_ITEMS) >= 12
    assert {v[0] for v in lessons.CONCEPT_ITEMS.values()} <= set(lessons.CONCEPT_OPTIONS)
    assert all(v[1].endswith(".") for v in lessons.CONCEPT_ITEMS.values()), "every item explains why"


def test_concept_check_states():
    assert lessons.check_key_account_or_kpi(None).ok is None
    blank = dict.fromkeys(lessons.CONCEPT_ITEMS)
    r = lessons.check_key_account_or_kpi(blank, variable="answer_1")
    assert r.ok is None and "`answer_1`" in r.message
    assert lessons.check_key_account_or_kpi(_model()).ok is True
    one_wrong = {**blank, "the bank client's account manager (kontoadministrator)": "key account"}
    r = lessons.check_key_account_or_kpi(one_wrong)
    assert r.ok is False and "A person" in r.message and "1 of 20 answered, 0 right" in r.message
    r = lessons.check_key_account_or_kpi({"the restaurant's VIP guest": " Key Account "})
    assert r.ok is None and "1 right" in r.message
    assert lessons.check_key_account_or_kpi({"a typo": "KPI"}).ok is False
    assert lessons.check_key_account_or_kpi(["KPI"]).ok is False


def _cells():
    return json.loads((NOTEBOOKS / "00_concepts.ipynb").read_text(encoding="utf-8"))["cells"]


def test_notebook_concept_check_exercise_and_its_model_answers():
    """The exercise cell lists every item (unanswered), the solution cell answers each correctly."""
    cells = _cells()
    exercise = [c for c in cells if c["cell_type"] == "code" and "answer_2 = {" in "".join(c["source"])]
    solution = [c for c in exercise if "solution" in c.get("metadata", {}).get("tags", [])]
    student = [c for c in exercise if "solution" not in c.get("metadata", {}).get("tags", [])]
    assert len(student) == 1 and len(solution) == 1

    def answers(cell):
        tree = ast.parse("".join(cell["source"]))
        node = next(n for n in tree.body if isinstance(n, ast.Assign) and n.targets[0].id == "answer_2")
        # the keys (and choices) are written tr("..."): in English they are the text itself
        return eval(compile(ast.Expression(node.value), "answer_2", "eval"), {"tr": lambda text: text})  # noqa: S307

    assert answers(student[0]) == dict.fromkeys(lessons.CONCEPT_ITEMS)
    assert lessons.check_key_account_or_kpi(answers(solution[0])).ok is True


def test_every_check_in_the_notebook_names_its_variable():
    for c in _cells():
        src = "".join(c["source"])
        if c["cell_type"] == "code" and ("check_answer(" in src or "check_key_account_or_kpi(" in src):
            assert "variable=" in src, src


# ------------------------------------------------------------------ one definition
def test_definitions_come_from_the_kpi_docstrings_and_match_the_catalogue():
    for kpi_id in ("defect_free_share", "avg_time_per_unit", "defect_rate"):
        d = lessons.kpi_definition(kpi_id)
        catalogue = scorecard.KPI_CATALOGUE[kpi_id].formula
        assert d["formula"].startswith(catalogue), (kpi_id, d["formula"], catalogue)
    assert "units started" in lessons.kpi_definition("defect_free_share")["formula"]
    assert "good units" in lessons.kpi_definition("avg_time_per_unit")["formula"]
    assert "minutes" in lessons.kpi_definition("avg_time_per_unit")["unit"]
    f = lessons.kpi_definitions(["csat", "avg_time_per_unit"])
    assert f.columns.tolist() == ["id", "name", "formula", "unit", "undefined when"]
    with pytest.raises(KeyError):
        lessons.kpi_definition("nonsense")


def test_the_line_kpis_follow_the_one_definition():
    production = data.load_case("concepts", DATA / "concepts")["production"]
    line = concepts.production_summary(production)
    assert line["defect_free_share"] == pytest.approx(
        kpis.defect_free_share(production["defective"].sum(), production["units_in"].iloc[0]))
    assert line["minutes_per_good_unit"] == pytest.approx(
        production["minutes"].sum() / production["good_first_pass"].iloc[-1])


def test_smart_limits_and_the_achievable_wording():
    limits = lessons.smart_limits()
    assert "history" in limits.set_index("criterion").at["Achievable", "only people can judge"]
    reason = scorecard.smart_check(scorecard.kpi_from_catalogue("csat", target=0.85, period="monthly")) \
        .set_index("criterion").at["Achievable", "reason"]
    assert "written down" in reason and "cannot tell whether it can be reached" in reason
    assert "plausible" not in reason and "met" not in reason.split()


# ------------------------------------------------------------------ sentences from data
def _months(values, name="x"):
    return pd.DataFrame({"period": [f"2025-{i + 1:02d}" for i in range(len(values))], name: values})


def test_target_pattern_text_all_met_none_met_and_lower_is_better():
    assert "in every month (2025-01 to 2025-02)" in lessons.target_pattern_text(
        _months([0.9, 0.95]), "x", 0.9, label="X", unit="ratio")
    assert "missed its target of 90.0% in every one of its 2 months" in lessons.target_pattern_text(
        _months([0.5, 0.6]), "x", 0.9, label="X", unit="ratio")
    text = lessons.target_pattern_text(_months([5.0, 3.0, 2.0]), "x", 4.0, label="Days", unit="days",
                                       direction="lower")
    assert "above it 2025-01" in text and "at or below it 2025-02 to 2025-03" in text
    assert "Worst month 2025-01" in text
    assert "Not measurable in 2025-02" in lessons.target_pattern_text(
        _months([0.9, float("nan"), 0.95]), "x", 0.9, label="X", unit="ratio")
    assert "no measurable month" in lessons.target_pattern_text(
        _months([float("nan")]), "x", 0.9, label="X", unit="ratio")


def test_bank_client_sentences_are_true_of_the_shipped_data():
    bank = data.load_case("concepts", DATA / "concepts")["bank_client"]
    monthly = concepts.bank_client_monthly(bank)
    sla = lessons.target_pattern_text(monthly, "sla_rate", 0.9, label="SLA", unit="ratio")
    assert "5 of 12 months: below it 2025-01 to 2025-07, at or above it 2025-08 to 2025-12" in sla
    assert "Worst month 2025-04" in sla
    revenue = lessons.revenue_change_text(monthly, "2025-04")
    assert "the most of any month" in revenue and "2025-02 (-3.7%" in revenue
    assert "do not show" in revenue
    title = lessons.trend_title(monthly, {"sla_rate": 0.9}, {"sla_rate": "SLA"})
    assert title.endswith("SLA 5 of 12") and "\n" in title
    with pytest.raises(KeyError):
        lessons.revenue_change_text(monthly, "2030-01")


def test_account_vs_company_text():
    v = pd.DataFrame({"whole company": [0.8, 28.0, 0.88], "Bank client": [0.82, 35.8, 0.85]},
                     index=["csat", "nps", "sla_rate"])
    text = lessons.account_vs_company_text(v, labels={"csat": "CSAT", "nps": "NPS", "sla_rate": "SLA"},
                                           units={"csat": "ratio", "nps": "index", "sla_rate": "ratio"})
    assert text == ("Bank client is better than the whole company on CSAT (82.0% vs 80.0%) and NPS "
                    "(35.8 vs 28.0) and worse on SLA (85.0% vs 88.0%).")
    lower = lessons.account_vs_company_text(v.loc[["sla_rate"]], labels={}, units={},
                                            directions={"sla_rate": "lower"})
    assert lower.startswith("Bank client is better")


def test_line_summary_says_whether_rty_and_defect_free_share_agree():
    prod = pd.DataFrame({"step": ["Cut", "Weld"], "units_in": [100, 80], "good_first_pass": [80, 60],
                         "defective": [20, 20], "minutes": [200, 400]})
    text = lessons.line_summary_markdown(concepts.production_steps(prod), concepts.production_summary(prod))
    assert "equals the defect-free share" in text
    reworked = prod.assign(units_in=[100, 100])  # defective units repaired and passed on
    text = lessons.line_summary_markdown(concepts.production_steps(reworked),
                                         concepts.production_summary(reworked))
    assert "differs from the defect-free share" in text
