"""Helpers of the consultancy notebook (02_consultancy): hand-computed examples on tiny data."""
from __future__ import annotations

import ast
import json
import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from kpi_helpers import cases, data, plots, widgets  # noqa: E402

from conftest import NOTEBOOKS  # noqa: E402
from conftest import write_csv as _write  # noqa: E402

NOTEBOOK = NOTEBOOKS / "02_consultancy.ipynb"


@pytest.fixture
def tiny_dir(tmp_path):
    """Two clients, three projects (one still running and overdue), two months of timesheets."""
    d = tmp_path / "consultancy"
    # P1 30 days, on time; P2 36 days, 10 days late; P3 ongoing, planned 14 days
    _write(d, "projects.csv", """
        project_id,client,start_date,planned_end,actual_end,hourly_rate
        P1,A,2024-01-01,2024-01-31,2024-01-31,1000
        P2,A,2024-01-15,2024-02-10,2024-02-20,1000
        P3,B,2024-02-01,2024-02-15,,2000
    """)
    # A: 8 h + 4 h in January, 2 h in February (x 1000); B: 5 h in February (x 2000)
    _write(d, "timesheets.csv", """
        date,consultant,project_id,hours
        2024-01-01,x,P1,8
        2024-01-20,y,P2,4
        2024-02-05,x,P2,2
        2024-02-29,y,P3,5
    """)
    _write(d, "consultants.csv", """
        consultant,start_date,end_date,weekly_hours
        x,2023-01-01,,37.5
        y,2024-01-15,,37.5
    """)
    _write(d, "surveys.csv", """
        project_id,date,score
        P1,2024-02-01,5
        P2,2024-02-21,3
    """)
    return d


@pytest.fixture
def tiny(tiny_dir):
    cd = data.load_case("consultancy", tiny_dir)
    return cd, cases.analyse("consultancy", cd, targets={"csat": 0.85})


def test_client_revenue_by_month(tiny):
    _, r = tiny
    m = cases.consultancy.client_revenue_by_month(r)
    assert list(m.columns) == ["A", "B"]  # A 14,000 before B 10,000
    assert list(m.index) == ["2024-01", "2024-02"]
    assert m.loc["2024-01", "A"] == 12_000 and m.loc["2024-01", "B"] == 0
    assert m.loc["2024-02", "A"] == 2_000 and m.loc["2024-02", "B"] == 10_000
    # the months add up to the firm's monthly revenue
    assert m.sum(axis=1).tolist() == r.frames["monthly"]["revenue"].tolist()


def test_client_profile(tiny):
    _, r = tiny
    p = cases.consultancy.client_profile(r)
    assert list(p.index) == ["A", "B"]
    assert p.at["A", "revenue_share"] == pytest.approx(14_000 / 24_000)
    assert p.at["A", "hours_share"] == pytest.approx(14 / 19)
    assert p["projects"].tolist() == [2, 1]
    assert p["ongoing_projects"].tolist() == [0, 1]
    assert p.at["A", "first_project"] == pd.Timestamp("2024-01-01")
    assert p["active_months"].tolist() == [2, 1]
    assert p["months"].tolist() == [2, 2]
    assert p["consultants"].tolist() == [2, 1]


def test_project_ages_and_summary(tiny):
    cd, r = tiny
    as_of = cd.date_range[1]
    assert as_of == pd.Timestamp("2024-02-29")
    ages = cases.consultancy.project_ages(r.frames["projects"], as_of).set_index("project_id")
    assert ages["days"].tolist() == [30, 36, 28]
    assert ages["planned_days"].tolist() == [30, 26, 14]
    assert ages["overdue"].tolist() == [False, False, True]
    assert ages.at["P3", "days_overdue"] == 14
    assert ages["projected_days"].tolist() == [30, 36, 28]
    s = cases.consultancy.completion_time_summary(r.frames["projects"], as_of)
    assert (s["finished"], s["ongoing"], s["overdue"], s["late"]) == (2, 1, 1, 1)
    assert s["avg_completion_days"] == pytest.approx(33.0)
    assert s["on_time_rate"] == pytest.approx(0.5)
    assert s["avg_delay_late_days"] == pytest.approx(10.0)
    assert s["avg_ongoing_days_so_far"] == pytest.approx(28.0)
    assert s["avg_ongoing_planned_days"] == pytest.approx(14.0)
    assert s["ongoing_longer_than_avg"] == 0
    assert s["avg_days_projected"] == pytest.approx((30 + 36 + 28) / 3)
    assert s["on_time_rate_with_overdue"] == pytest.approx(1 / 3)
    # the summary agrees with the KPI table
    t = r.kpis.set_index(["kpi", "scope", "period"])["value"]
    assert t[("avg_completion_days", "all", "all")] == pytest.approx(s["avg_completion_days"])
    assert t[("on_time_rate", "all", "all")] == pytest.approx(s["on_time_rate"])


def test_projected_days_when_ongoing_is_not_late():
    p = pd.DataFrame({"project_id": ["a"], "start_date": pd.to_datetime(["2024-01-01"]),
                      "planned_end": pd.to_datetime(["2024-03-01"]), "actual_end": pd.to_datetime([None])})
    ages = cases.consultancy.project_ages(p, "2024-01-11")
    assert ages["days"].iloc[0] == 10 and ages["projected_days"].iloc[0] == 60 and not ages["overdue"].iloc[0]
    s = cases.consultancy.completion_time_summary(p, "2024-01-11")
    assert math.isnan(s["avg_completion_days"]) and math.isnan(s["on_time_rate"])
    assert math.isnan(s["on_time_rate_with_overdue"]) and s["ongoing_longer_than_avg"] == 0


def test_client_revenue_trend():
    periods = ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05"]
    work = pd.DataFrame({"period": periods * 2, "client": ["A"] * 5 + ["B"] * 5,
                         "revenue": [10.0, 10.0, 15.0, 15.0, 99.0, 10.0, 10.0, 5.0, 5.0, 99.0]})
    monthly = pd.DataFrame({"period": periods, "partial": [False] * 4 + [True]})
    result = cases.CaseResult("consultancy", {"work": work, "monthly": monthly}, [], pd.DataFrame(), [])
    t = cases.consultancy.client_revenue_trend(result, "A")
    # the partial month is left out; two blocks of two complete months
    assert t["window"] == 2
    assert (t["previous_months"], t["recent_months"]) == ("2024-01 to 2024-02", "2024-03 to 2024-04")
    assert (t["previous"], t["recent"]) == (20.0, 30.0)
    assert t["growth"] == pytest.approx(0.5)
    assert t["share_previous"] == pytest.approx(0.5) and t["share_recent"] == pytest.approx(0.75)
    short = cases.consultancy.client_revenue_trend(result, "A", window=3)
    assert math.isnan(short["growth"]) and short["recent_months"] == ""


def test_client_revenue_frame(tiny):
    _, r = tiny
    f = cases.consultancy.client_revenue_frame(r, "B")
    assert f["revenue"].tolist() == [0.0, 10_000.0]
    assert f["other_revenue"].tolist() == [12_000.0, 2_000.0]
    assert f["revenue_share"].tolist() == pytest.approx([0.0, 10_000 / 12_000])


def test_clients_vs_firm_and_account_comparison(tiny):
    _, r = tiny
    t = cases.consultancy.clients_vs_firm(r)
    assert list(t.index) == ["all", "A", "B"]
    assert list(t.columns) == ["csat", "on_time_rate", "avg_completion_days"]
    assert t.at["all", "csat"] == pytest.approx(0.5)  # one of two answers is 4-5
    assert t.at["A", "on_time_rate"] == pytest.approx(0.5)
    assert t.at["A", "avg_completion_days"] == pytest.approx(33.0)
    assert t.loc["B"].isna().all()  # no answers, nothing finished
    values, units, targets = cases.consultancy.account_comparison(r, "A", targets={"csat": 0.85})
    assert list(values.columns) == ["all", "A"]
    assert list(values.index) == ["Customer satisfaction (CSAT)", "On-time delivery rate",
                                  "Average project completion time"]
    assert units == {"Customer satisfaction (CSAT)": "ratio", "On-time delivery rate": "ratio",
                     "Average project completion time": "days"}
    assert targets == {"Customer satisfaction (CSAT)": 0.85}


def test_missing_optional_tables(tiny_dir):
    (tiny_dir / "surveys.csv").unlink()
    (tiny_dir / "consultants.csv").unlink()
    cd = data.load_case("consultancy", tiny_dir)
    r = cases.analyse("consultancy", cd)
    t = cases.consultancy.clients_vs_firm(r)
    assert "csat" not in t.columns  # undefined for everyone: left out
    assert cases.consultancy.client_profile(r)["consultants"].tolist() == [2, 1]


def test_rate_with_counts_and_timeline(tiny):
    cd, r = tiny
    monthly = r.frames["monthly"]
    fig = plots.rate_with_counts(monthly, "period", "csat", "responses", target=0.85, partial="partial",
                                 title="CSAT", count_label="answers", xlabel="month")
    top, bottom = fig.axes[:2]
    assert fig._suptitle.get_text() == "CSAT"
    assert bottom.get_ylabel() == "answers" and bottom.get_xlabel() == "month"
    assert any("target" in t.get_text() for t in top.get_legend().get_texts())
    plt.close(fig)
    ages = cases.consultancy.project_ages(r.frames["projects"], cd.date_range[1])
    ax = plots.client_timeline(ages, highlight="A", as_of=cd.date_range[1])
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["P1", "P2", "P3"]
    assert [t.get_fontweight() for t in ax.get_yticklabels()] == ["bold", "bold", "normal"]
    assert ax.patches[2].get_hatch() == "///"  # P3 still running
    plt.close(ax.figure)


def test_client_comparison_explorer(tiny):
    _, r = tiny
    table = cases.consultancy.clients_vs_firm(r)
    n_open = len(plt.get_fignums())
    ex = widgets.client_comparison_explorer(table, initial="A", units={"csat": "ratio", "on_time_rate": "ratio",
                                                                       "avg_completion_days": "days"},
                                            targets={"csat": 0.85}, names={"csat": "CSAT"})
    assert list(ex.dropdown.options) == ["A", "B"]
    assert ex.selected == "A" and ex.png.startswith(b"\x89PNG")
    assert "CSAT: 50.0% (whole firm 50.0%)" in ex.summary.value
    ex.dropdown.value = "B"
    assert ex.selected == "B" and list(ex.values.columns) == ["whole firm", "B"]
    assert "CSAT: n/a" in ex.summary.value
    assert len(plt.get_fignums()) == n_open  # no figure left open


def _parameters_cell() -> dict:
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", []))
    tree = ast.parse("".join(cell["source"]))
    return {n.targets[0].id: ast.literal_eval(n.value) for n in tree.body if isinstance(n, ast.Assign)}


def test_notebook_parameters_match_case_defaults():
    params = _parameters_cell()
    for name, value in cases.known_parameters("consultancy").items():
        assert params[name] == value, name
    assert params["data_dir"] == "../data/consultancy"
    assert params["interactive"] is False and params["kpi_table_path"] is None


# ------------------------------------------------------------------ narrative helpers (issue 11)
def test_followed_account_and_relationship_texts_follow_the_data(tiny):
    cd, r = tiny
    assert r.key_accounts == ["A", "B"]
    text = cases.consultancy.followed_account_text(r)
    assert "**A**, the largest of the 2 key accounts" in text and "B (41.7%)" in text
    assert "the key account " not in text
    rel = cases.consultancy.relationship_text(r, "A")
    # A billed in both months of data; its first project starts on the first data day
    assert "billed in 2 of the 2 months of data (2024-01 to 2024-02)" in rel
    assert "within the data" in rel and "before the data begin" not in rel


def test_relationship_text_says_when_a_client_is_older_than_the_data(tiny_dir):
    projects = (tiny_dir / "projects.csv").read_text(encoding="utf-8").replace("P1,A,2024-01-01", "P1,A,2023-10-02")
    (tiny_dir / "projects.csv").write_text(projects, encoding="utf-8")
    r = cases.analyse("consultancy", data.load_case("consultancy", tiny_dir))
    rel = cases.consultancy.relationship_text(r, "A")
    assert "October 2023, before the data begin" in rel and "of the 2 months of data (2024-01 to 2024-02)" in rel


def test_revenue_per_consultant_per_month_and_per_year(tiny):
    cd, r = tiny
    staff = cases.consultancy.headcount(r, cd["consultants"])
    # x employed all 60 days, y from 2024-01-15: 46 of 60 days
    assert staff == pytest.approx(1 + 46 / 60)
    s = cases.consultancy.revenue_per_consultant_summary(r)
    total = 14_000 + 10_000
    assert s["per_year"] == pytest.approx(total / staff * 365.25 / 60)
    assert s["monthly_mean"] == pytest.approx(r.frames["monthly"]["revenue_per_consultant"].mean())
    text = cases.consultancy.revenue_per_consultant_text(r, staff)
    assert "**Per month**" in text and "**Per year**" in text and "1.8 consultants" in text


def test_share_intervals_mark_small_groups_and_compare_with_the_other_clients(tiny):
    cd, r = tiny
    t = cases.consultancy.share_intervals(r, "csat", minimum=2)
    assert list(t.index) == ["whole firm", "A", "B (too few)"]
    assert t.loc["A", "count"] == 2 and t.loc["A", "rate"] == 0.5 and not t.loc["A", "too_few"]
    assert t.loc["B (too few)", "count"] == 0 and math.isnan(t.loc["B (too few)", "rate"])
    assert (t["low"].dropna() <= t["rate"].dropna()).all() and (t["rate"].dropna() <= t["high"].dropna()).all()
    cmp = cases.consultancy.client_vs_others(r, "A")
    assert cmp["client_interval"]["n"] == 2 and cmp["others_interval"]["n"] == 0
    assert "no difference to judge" in cases.consultancy.client_vs_others_text(cmp)
    on_time = cases.consultancy.client_vs_others(r, "A", "on_time_rate")
    assert on_time["client_interval"]["successes"] == 1 and on_time["client_interval"]["n"] == 2


def test_client_vs_others_text_on_the_shipped_data():
    r = cases.analyse("consultancy", data.load_case("consultancy", NOTEBOOKS.parent / "data" / "consultancy"))
    cmp = cases.consultancy.client_vs_others(r, r.key_accounts[0])
    assert (cmp["client_interval"]["successes"], cmp["client_interval"]["n"]) == (20, 31)
    assert (cmp["others_interval"]["successes"], cmp["others_interval"]["n"]) == (58, 83)
    text = cases.consultancy.client_vs_others_text(cmp)
    assert "cannot be told apart from noise" in text and "20 of 31" in text


def test_monthly_statuses_and_answers_needed(tiny):
    cd, r = tiny
    s = cases.consultancy.monthly_statuses(r)
    assert s.loc["csat"].sum() == 2 and s.loc["csat", "not_measurable"] == 1  # January: no answer
    assert s.loc["csat", "insufficient_data"] == 1  # February: 2 answers, fewer than 10
    text = cases.consultancy.monthly_statuses_text(r, min_responses=10, min_finished_projects=3)
    assert "1 of 2 months are *insufficient data*" in text
    need = cases.consultancy.answers_needed
    assert need(78, 114, 0.85) == 126 and (78 + 126) / (114 + 126) >= 0.85 > (78 + 125) / (114 + 125)
    assert need(9, 10, 0.85) == 0 and math.isnan(need(1, 2, 1.0)) and need(0, 0, 0.5) == 1


def test_notebook_sentences_come_from_helpers(tiny):
    cd, r = tiny
    c = cases.consultancy
    as_of = cd.date_range[1]
    timing = c.completion_time_summary(r.frames["projects"], as_of)
    assert c.data_text(r, "x").startswith("**Data:** 2 months, 2024-01 to 2024-02 (0 partial)")
    assert "**NOK 24k** from 19 billable hours" in c.revenue_text(r)
    risk = c.risk_text(r, "A", c.headcount(r, cd["consultants"]))
    assert "If the largest key account, A, left, revenue would fall by 58.3%" in risk
    assert "of 1.8 consultants** (average headcount)" in risk
    assert c.csat_text(r).startswith("CSAT over the whole period: **50.0%** from 2 answers (target 85.0%: ")
    assert c.completion_text(r, timing).startswith("2 projects finished in the data")
    assert "**1 project is still running** at 2024-02-29" in c.ongoing_text(timing, as_of)
    assert "1 is past the planned end" in c.ongoing_text(timing, as_of)
    assert c.utilization_text(r).startswith("Utilization over the whole period: **")
    summary = c.summary_text(r, threshold=0.1, timing=timing)
    assert summary.startswith("- The key-account rule picked **2 clients**")
    assert "per consultant per year (annualised over the whole period)" in summary
    assert "**Ongoing projects:** 1 (1 overdue)" in summary


def test_a_project_ending_after_the_data_is_still_running(tiny_dir):
    # P1 ends after the last data day (2024-02-29): as of the data it is still running, in the KPIs,
    # in project_ages / completion_time_summary and in the client profile alike
    projects = (tiny_dir / "projects.csv").read_text(encoding="utf-8").replace(
        "P1,A,2024-01-01,2024-01-31,2024-01-31", "P1,A,2024-01-01,2024-01-31,2024-03-15")
    (tiny_dir / "projects.csv").write_text(projects, encoding="utf-8")
    cd = data.load_case("consultancy", tiny_dir)
    r = cases.analyse("consultancy", cd)
    s = cases.consultancy.completion_time_summary(r.frames["projects"], cd.date_range[1])
    assert (s["finished"], s["ongoing"]) == (1, 2)
    obs = r.kpis.set_index(["kpi", "scope", "period"])["observations"]
    assert obs[("on_time_rate", "all", "all")] == s["finished"]
    assert cases.consultancy.client_profile(r).at["A", "ongoing_projects"] == 1
    ages = cases.consultancy.project_ages(r.frames["projects"], cd.date_range[1]).set_index("project_id")
    assert not ages.at["P1", "finished"] and ages.at["P1", "days"] == 59
