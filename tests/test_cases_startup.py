"""Helpers for the startup notebook: scenario_without and weight_sweep (worked by hand)."""
from __future__ import annotations

import doctest
import math
import textwrap

import numpy as np
import pandas as pd
import pytest

from kpi_helpers import accounts, cases, data


def _matrix() -> pd.DataFrame:
    # three months; A is the big flat customer, B grows, C is small
    return pd.DataFrame(
        {"A": [60.0, 60.0, 60.0], "B": [20.0, 30.0, 45.0], "C": [20.0, 10.0, 15.0]},
        index=pd.Index(["2024-01", "2024-02", "2024-03"], name="period"),
    )


def test_doctests_of_the_startup_helpers():
    for fn in (cases.startup.scenario_without, cases.startup.weight_sweep):
        finder = doctest.DocTestFinder()
        runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
        for test in finder.find(fn, fn.__name__, globs={"pd": pd, **vars(cases.startup)}):
            runner.run(test)
        assert runner.tries > 0, f"{fn.__name__}: no examples found"
        assert runner.failures == 0, fn.__name__


def test_scenario_monthly_by_hand():
    s = cases.startup.scenario_without(_matrix(), "A")
    m = s.monthly
    assert m["period"].tolist() == ["2024-01", "2024-02", "2024-03"]
    assert m["revenue"].tolist() == [100.0, 100.0, 120.0]
    assert m["account_revenue"].tolist() == [60.0, 60.0, 60.0]
    assert m["revenue_without"].tolist() == [40.0, 40.0, 60.0]
    assert m["account_share"].tolist() == pytest.approx([0.6, 0.6, 0.5])
    # growth with A: 0 then +20 %; without A: 0 then +50 %
    assert math.isnan(m["mom_growth"].iloc[0]) and math.isnan(m["mom_growth_without"].iloc[0])
    assert m["mom_growth"].iloc[1:].tolist() == pytest.approx([0.0, 0.2])
    assert m["mom_growth_without"].iloc[1:].tolist() == pytest.approx([0.0, 0.5])


def test_scenario_summary_by_hand():
    s = cases.startup.scenario_without(_matrix(), "A")
    sm = s.summary
    assert list(sm.index) == ["revenue", "cmgr", "active_customers", "top_customer_share", "top20_share",
                              "hhi", "abc_a_count"]
    assert list(sm.columns) == ["unit", "with", "without", "change"]
    # with A: totals A 180, B 95, C 45 (320); without: B 95, C 45 (140)
    assert sm.at["revenue", "with"] == 320.0 and sm.at["revenue", "without"] == 140.0
    assert sm.at["revenue", "change"] == -180.0
    assert sm.at["cmgr", "with"] == pytest.approx((120 / 100) ** 0.5 - 1)
    assert sm.at["cmgr", "without"] == pytest.approx((60 / 40) ** 0.5 - 1)
    assert sm.at["active_customers", "without"] == 2.0
    assert sm.at["top_customer_share", "with"] == pytest.approx(180 / 320)
    assert sm.at["top_customer_share", "without"] == pytest.approx(95 / 140)
    hhi_with = (100 * 180 / 320) ** 2 + (100 * 95 / 320) ** 2 + (100 * 45 / 320) ** 2
    hhi_without = (100 * 95 / 140) ** 2 + (100 * 45 / 140) ** 2
    assert sm.at["hhi", "with"] == pytest.approx(hhi_with)
    assert sm.at["hhi", "without"] == pytest.approx(hhi_without)
    assert sm.loc["hhi", "unit"] == "index"
    assert s.top_customer == ("A", "B")
    assert s.hhi_band == (accounts.hhi_band(hhi_with), accounts.hhi_band(hhi_without))
    assert s.account == "A"


def test_scenario_does_not_mutate_and_rejects_unknown_account():
    m = _matrix()
    before = m.copy()
    cases.startup.scenario_without(m, "B")
    pd.testing.assert_frame_equal(m, before)
    with pytest.raises(KeyError, match="Z"):
        cases.startup.scenario_without(m, "Z")
    with pytest.raises(TypeError):
        cases.startup.scenario_without({"A": 1}, "A")
    with pytest.raises(ValueError, match="periods"):
        cases.startup.scenario_without(m, "A", partial=[True, False])


def test_scenario_partial_months_left_out_of_growth():
    s = cases.startup.scenario_without(_matrix(), "A", partial=[False, False, True])
    assert math.isnan(s.monthly["mom_growth"].iloc[2])
    assert s.summary.at["cmgr", "with"] == pytest.approx(0.0)  # 100 -> 100 over complete months
    s2 = cases.startup.scenario_without(_matrix(), "A", partial=[False, False, True], include_partial_months=True)
    assert s2.monthly["mom_growth"].iloc[2] == pytest.approx(0.2)


def test_scenario_from_a_case_result_matches_the_kpi_table(tmp_path):
    d = tmp_path / "startup"
    d.mkdir()
    (d / "invoices.csv").write_text(textwrap.dedent("""\
        date,customer,amount
        2024-01-01,A,100
        2024-01-15,B,50
        2024-02-01,A,110
        2024-02-20,B,90
        2024-03-15,A,121
        2024-03-20,B,10
    """), encoding="utf-8")
    r = cases.analyse("startup", data.load_case("startup", d))
    s = cases.startup.scenario_without(r, "A")
    # 2024-03 is partial (data end on the 20th): left out of growth, as in the KPI table
    assert s.monthly["partial"].tolist() == [False, False, True]
    kpi = r.kpis.set_index(["kpi", "scope", "period"])["value"]
    assert s.summary.at["cmgr", "with"] == pytest.approx(kpi[("cmgr", "all", "all")])
    assert s.summary.at["hhi", "with"] == pytest.approx(kpi[("hhi", "all", "all")])
    assert s.summary.at["cmgr", "without"] == pytest.approx(90 / 50 - 1)
    assert s.summary.at["top_customer_share", "without"] == pytest.approx(1.0)
    assert s.hhi_band[1] == "highly concentrated"


def test_scenario_without_the_only_customer_is_undefined_not_an_error():
    m = pd.DataFrame({"A": [10.0, 20.0]}, index=pd.Index(["2024-01", "2024-02"], name="period"))
    s = cases.startup.scenario_without(m, "A")
    assert s.summary.at["revenue", "without"] == 0.0
    assert math.isnan(s.summary.at["hhi", "without"])
    assert math.isnan(s.summary.at["cmgr", "without"])
    assert s.top_customer == ("A", None)
    assert np.isnan(s.monthly["mom_growth_without"].to_numpy()).all()


def _features() -> pd.DataFrame:
    return pd.DataFrame(
        {"revenue": [700.0, 300.0], "revenue_share": [0.7, 0.3], "revenue_growth": [0.0, 0.5],
         "strategic_value": [3.0, 5.0], "growth_potential": [2.0, 5.0], "engagement": [3.0, 5.0]},
        index=pd.Index(["A", "B"], name="customer"))


def test_weight_sweep_by_hand():
    s = cases.startup.weight_sweep(_features(), dict(accounts.DEFAULT_WEIGHTS), steps=3)
    assert s["weight"].tolist() == [0.0, 0.5, 1.0]
    assert list(s.columns) == ["weight", "best_scored", "A", "B"]
    # weight 1: only revenue share counts (A 1, B 0); weight 0: B is best on every other criterion
    assert s["best_scored"].tolist()[0] == "B" and s["best_scored"].tolist()[-1] == "A"
    assert s.loc[2, "A"] == pytest.approx(1.0) and s.loc[2, "B"] == pytest.approx(0.0)
    # weight 0.5: others share 0.5 in proportions 0.15:0.2:0.15:0.15 (sum 0.65)
    a = 0.5 * 1 + 0.5 * (0.2 * 0.5 + 0.15 * 0.25 + 0.15 * 0.5) / 0.65
    b = 0.5 * (0.15 * 1 + 0.2 * 1 + 0.15 * 1 + 0.15 * 1) / 0.65
    assert s.loc[1, "A"] == pytest.approx(a)
    assert s.loc[1, "B"] == pytest.approx(b)


def test_weight_sweep_matches_score_accounts_at_the_given_weights():
    w = dict(accounts.DEFAULT_WEIGHTS)
    w["revenue_share"] = 0.35
    s = cases.startup.weight_sweep(_features(), w, steps=21)
    row = s[np.isclose(s["weight"], 0.35)].iloc[0]
    scored = accounts.score_accounts(_features(), w)
    assert row["A"] == pytest.approx(scored.at["A", "score"])
    assert row["B"] == pytest.approx(scored.at["B", "score"])


def test_weight_sweep_bad_input():
    with pytest.raises(ValueError, match="steps"):
        cases.startup.weight_sweep(_features(), dict(accounts.DEFAULT_WEIGHTS), steps=1)
    with pytest.raises(ValueError, match="not one of"):
        cases.startup.weight_sweep(_features(), {"engagement": 1.0}, criterion="revenue_share")
    with pytest.raises(ValueError, match="other criterion"):
        cases.startup.weight_sweep(_features(), {"revenue_share": 1.0})
    # other criteria at 0: they share the rest equally
    s = cases.startup.weight_sweep(_features(), {"revenue_share": 1.0, "engagement": 0.0}, steps=2)
    assert s["best_scored"].tolist() == ["B", "A"]


def test_weight_sweep_equals_score_accounts_at_every_step_with_missing_values():
    f = pd.DataFrame(
        {"revenue": [500.0, 300.0, 200.0, 100.0], "revenue_share": [0.45, 0.27, 0.18, 0.09],
         "revenue_growth": [0.1, np.nan, 0.8, -0.2], "strategic_value": [2.0, 5.0, np.nan, 3.0],
         "growth_potential": [1.0, 4.0, 5.0, np.nan], "engagement": [4.0, 2.0, 3.0, 3.0]},
        index=pd.Index(["Ø AS", "B", "C & co", "D"], name="customer"))
    w = {"revenue_share": 2.0, "revenue_growth": 1.0, "strategic_value": 1.0, "growth_potential": 0.5,
         "engagement": 0.5}
    sweep = cases.startup.weight_sweep(f, w, steps=11)
    rest = {k: v for k, v in w.items() if k != "revenue_share"}
    for _, row in sweep.iterrows():
        x = row["weight"]
        step = {"revenue_share": x, **{k: (1 - x) * v / sum(rest.values()) for k, v in rest.items()}}
        scored = accounts.score_accounts(f, step)
        assert row["best_scored"] == scored.index[0]
        for name in f.index:
            assert row[name] == pytest.approx(scored.at[name, "score"])


def test_percent_ticks_show_the_decimals_their_spacing_needs():
    """Startup/your_data charts: ticks 2.5 % apart must not be rounded to whole (wrong) percents."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from kpi_helpers import plots

    frame = pd.DataFrame({"period": [f"2024-{m:02d}" for m in range(1, 7)],
                          "churn": [0.45, 0.50, 0.63, 0.52, 0.47, 0.55]})
    ax = plots.line_with_target(frame, "period", "churn", unit="ratio")
    ax.figure.canvas.draw()
    labels = [t.get_text() for t in ax.get_yticklabels()]
    values = [float(x.rstrip("%")) for x in labels]
    assert len(set(labels)) == len(labels)
    assert values == pytest.approx([v * 100 for v in ax.get_yticks()])
    plt.close(ax.figure)
