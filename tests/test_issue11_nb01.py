"""Issue 11 for notebooks 01 (startup) and 05 (your_data): the text helpers and the share curve.

The texts must be true of the data they describe: "most" only above half, the key accounts named
with their reasons, the status tally adding up, and, for a wide customer base, the share curve
instead of bars and a text that speaks of segments (tested on a small synthetic wide log).
"""
from __future__ import annotations

import doctest

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from conftest import DATA  # noqa: E402

from kpi_helpers import cases, data, plots  # noqa: E402

startup = cases.startup
your_data = cases.your_data


@pytest.fixture(scope="module")
def startup_result():
    return cases.analyse("startup", data.load_case("startup", DATA / "startup"))


@pytest.fixture(scope="module")
def your_data_result():
    return cases.analyse("your_data", data.load_case("your_data", DATA / "your_data"))


def _wide_log(folder, n_customers=120, months=3, seed=7):
    """A small synthetic wide log: many customers, none above 3 % of revenue."""
    rng = np.random.default_rng(seed)
    rows = []
    for m in range(1, months + 1):
        for c in range(n_customers):
            rows.append({"date": f"2025-{m:02d}-{1 + c % 28:02d}", "customer": f"C{c:04d}",
                         "amount": round(float(rng.uniform(50, 150)), 2)})
    rows.append({"date": "2025-01-01", "customer": "C0000", "amount": 1.0})
    rows.append({"date": f"2025-{months:02d}-28", "customer": "C0001", "amount": 1.0})
    folder.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(rows).to_csv(folder / "transactions.csv", index=False)
    return folder


def test_doctests_of_the_issue11_helpers():
    for module in (startup, your_data):
        finder = doctest.DocTestFinder()
        runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
        names = ["share_by_year", "largest_share_text"] if module is startup else \
            ["status_tally", "concentration_title", "spread_text", "score_view"]
        for name in names:
            for test in finder.find(getattr(module, name), name, globs={"pd": pd, "np": np, **vars(module)}):
                runner.run(test)
        assert runner.tries >= len(names) and runner.failures == 0


def test_startup_a_is_not_said_to_bring_most_when_below_half(startup_result):
    a, b = startup.key_pair(startup_result)
    assert (a, b) == ("Aurora Shipping AS", "Bergen Biotech AS")
    table = startup.share_by_year(startup_result.frames["revenue_by_month"], a)
    share = table.at["all", "share"]
    text = startup.largest_share_text(startup_result.frames["revenue_by_month"], a)
    assert share < 0.5 and "less than half" in text and "48.0%" in text
    assert "*most* of it" not in text
    # 2024: more than half in every month; the text says so
    assert table.at["2024", "months_over_half"] == 12 and "2024: 60.1% (more than half in 12 of 12 months)" in text


def test_startup_most_only_above_half():
    m = pd.DataFrame({"A": [70.0, 60.0], "B": [30.0, 40.0]}, index=pd.Index(["2024-01", "2024-02"], name="period"))
    assert "*most* of it" in startup.largest_share_text(m, "A")


def test_startup_key_pair_text_names_both_and_tells_share_from_growth(startup_result):
    text = startup.key_pair_text(startup_result, threshold=0.1)
    assert "**customer A** is **Aurora Shipping AS**" in text and "**Customer B** is **Bergen Biotech AS**" in text
    assert "the best multi-criteria score" in text and "the largest customer" in text
    # the share and the growth rate that round alike are shown with two decimals, and named apart
    assert "11.41% a month (CMGR)" in text and "11.38% *share*" in text
    assert "the key account" not in text


def test_your_data_status_tally_adds_up(your_data_result):
    tally = your_data.status_tally(your_data_result.kpis)
    counts = tally.drop(columns=["target", "rows"])
    assert (counts.sum(axis=1) == tally["rows"]).all()
    k = your_data_result.kpis
    assert tally.at[("mom_growth", "all"), "rows"] == len(k[(k["kpi"] == "mom_growth") & (k["scope"] == "all")
                                                           & k["target"].notna()])
    assert tally.at[("mom_growth", "all"), "not_measurable"] == 1  # the first month has no previous month


def test_your_data_scores_missing_stay_missing(your_data_result):
    f, s = your_data_result.frames["features"], your_data_result.frames["scores"]
    largest_unscored = list(f.index[f["strategic_value"].isna()][:3])
    view = your_data.score_view(s, f, list(s.index[:3]) + largest_unscored)
    unscored = view[~view["scored"]]
    assert list(unscored.index) == largest_unscored and view["scored"].iloc[:3].all()
    assert unscored[["strategic_value", "growth_potential", "engagement"]].isna().all().all()


def test_your_data_account_overview_is_defined_on_the_shipped_data(your_data_result):
    ov = your_data.account_overview(your_data_result, recent_months=6)
    assert list(ov.index) == ["all"] + [f"account:{a}" for a in your_data_result.key_accounts]
    assert ov[["revenue", "revenue_share", "recent_growth"]].notna().all().all()


def test_concentration_title_is_computed(your_data_result):
    title = your_data.concentration_title(your_data_result.frames["pareto"])
    assert title.startswith("653 of 3,000 customers (21.8%) bring 80.0% of revenue")


def test_small_base_gets_bars_wide_base_gets_the_curve(startup_result, your_data_result):
    ax = plots.customer_concentration_chart(startup_result.frames["pareto"], highlight=["Aurora Shipping AS"])
    assert "customer (largest first)" in ax.get_xlabel()
    plt.close("all")
    ax = plots.customer_concentration_chart(your_data_result.frames["pareto"], title="t",
                                            highlight=your_data_result.key_accounts)
    assert ax.get_xlabel().startswith("share of customers") and ax.get_title() == "t"
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any(lab.startswith("top 20% of customers: 78.2% of revenue") for lab in labels), labels
    assert any(lab.startswith("80% of revenue: 21.8% of customers (653)") for lab in labels), labels
    assert "key accounts" in labels
    plt.close("all")
    with pytest.raises(ValueError):
        plots.customer_concentration_chart(startup_result.frames["pareto"], max_bars=0)


def test_share_curve_without_revenue_says_so():
    p = pd.DataFrame({"customer": ["x"], "revenue": [0.0], "share": [np.nan], "cum_share": [np.nan],
                      "cum_customer_share": [1.0], "abc_class": ["C"]})
    ax = plots.customer_share_curve(p)
    assert any("no customer" in t.get_text() for t in ax.texts)
    plt.close("all")


def test_wide_synthetic_log_speaks_of_segments(tmp_path):
    folder = _wide_log(tmp_path / "wide")
    result = cases.analyse("your_data", data.load_case("your_data", folder))
    c, p = result.frames["concentration"], result.frames["pareto"]
    assert c["top_customer_share"] < 0.10 and c["n_customers"] == 120
    text = your_data.spread_text(c, p, result.key_account_table, threshold=0.10)
    assert "**segments** (ABC class A" in text and "matters little" in text
    ax = plots.customer_concentration_chart(p, highlight=result.key_accounts)
    assert ax.get_xlabel().startswith("share of customers")
    plt.close("all")
    # the same customers but fewer than the bar threshold: bars, and no talk of segments
    few = your_data.spread_text(c, p, result.key_account_table, threshold=0.10, max_bars=200)
    assert "segments" not in few and "looked after by name" in few
    ax = plots.customer_concentration_chart(p, max_bars=200)
    assert "customer (largest first)" in ax.get_xlabel()
    plt.close("all")
    # a major customer: the text is about single customers
    major = your_data.spread_text(c, p, result.key_account_table, threshold=0.005)
    assert "key-account management is about them" in major


def test_bar_threshold_is_one_number():
    # notebook 05's Markdown says "more than 50 customers"; the text helper and the plot agree on it
    assert plots.MAX_PARETO_BARS == your_data.MAX_PARETO_BARS == 50


def test_growth_summary_shows_the_decimals_that_tell_value_and_target_apart(startup_result):
    text = startup.growth_summary(startup_result)
    assert "**2.998% vs 3.000%**, **off track**" in text and "3.0% vs 3.0%" not in text
    assert "**13 of 23** months met the MoM target of 3.0%." in text


def test_key_pair_text_with_the_sales_weights_says_a_is_best_scored():
    sales = {"revenue_share": 0.7, "revenue_growth": 0.1, "strategic_value": 0.1, "growth_potential": 0.05,
             "engagement": 0.05}
    r = cases.analyse("startup", data.load_case("startup", DATA / "startup"), weights=sales)
    text = startup.key_pair_text(r, threshold=0.1)
    assert "A also has the best score" in text and "B for where it is going" not in text


def test_scenario_and_summary_texts_of_the_startup(startup_result):
    a, _ = startup.key_pair(startup_result)
    s = startup.scenario_without(startup_result, a)
    scen = startup.scenario_text(s)
    assert "falls from NOK 23.8M to NOK 12.4M (-48.0%)" in scen and "**Growth** rises" in scen
    summary = startup.summary_text(startup_result, s)
    assert "its CMGR against the target is **2.998% vs 3.000%** (off track)" in summary
    assert "its *share* of revenue is 11.38%, while its revenue *grows* at 11.41% a month" in summary
    assert "the key account " not in summary
