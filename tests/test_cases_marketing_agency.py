"""Helpers for the marketing-agency notebook: grouped ad KPIs, mean of rates vs ratio of sums,
client overview, key account vs all, and the monthly trend figure and explorer (worked by hand)."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import doctest  # noqa: E402
import math  # noqa: E402
import warnings  # noqa: E402

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from kpi_helpers import cases, data, plots, widgets  # noqa: E402

from conftest import ROOT  # noqa: E402
HELPERS = (cases.marketing_agency.ad_kpis_by, cases.marketing_agency.rate_weights, cases.marketing_agency.mean_of_rates_vs_ratio_of_sums, cases.marketing_agency.client_overview,
           cases.marketing_agency.account_vs_all, cases.marketing_agency.compare_by_segment, cases.marketing_agency.format_ad_frame)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _daily() -> pd.DataFrame:
    # client K: a tiny campaign with a huge CTR and a huge one with a small CTR; client O: one campaign
    return pd.DataFrame({
        "client": ["K", "K", "K", "O", "O"],
        "campaign": ["tiny", "huge", "huge", "o1", "o1"],
        "channel": ["Social", "Display", "Display", "Search", np.nan],
        "period": ["2025-01", "2025-01", "2025-02", "2025-01", "2025-02"],
        "impressions": [100, 50_000, 50_000, 10_000, 0],
        "clicks": [20, 100, 100, 300, 0],
        "conversions": [2, 0, 5, 30, 0],
        "spend": [50.0, 1_000.0, 1_000.0, 3_000.0, 0.0],
        "conversion_value": [400.0, 0.0, 2_000.0, 12_000.0, 0.0],
    })


def test_doctests_of_the_marketing_agency_helpers():
    for fn in HELPERS:
        finder = doctest.DocTestFinder()
        runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
        tests = finder.find(fn, fn.__name__, globs={"pd": pd, **vars(cases.marketing_agency)})
        assert tests and any(t.examples for t in tests), fn.__name__
        for test in tests:
            runner.run(test)
        assert runner.tries > 0, f"{fn.__name__}: no examples run"
        assert runner.failures == 0, fn.__name__


# ---------------------------------------------------------------------------------------------
# ad_kpis_by
# ---------------------------------------------------------------------------------------------

def test_ad_kpis_by_campaign_and_period_by_hand():
    t = cases.marketing_agency.ad_kpis_by(_daily(), ["campaign", "period"])
    assert list(t[["campaign", "period"]].itertuples(index=False, name=None)) == [
        ("huge", "2025-01"), ("huge", "2025-02"), ("o1", "2025-01"), ("o1", "2025-02"), ("tiny", "2025-01")]
    row = t.iloc[0]  # huge, January: no conversions
    assert row["ctr"] == pytest.approx(100 / 50_000)
    assert row["cpc"] == pytest.approx(10.0)
    assert math.isnan(row["cpa"]) and math.isnan(row["cvr"]) is False and row["cvr"] == 0.0
    assert row["roas"] == 0.0 and row["roi"] == -1.0
    o1_feb = t.iloc[3]  # no impressions, no clicks, no spend: every rate undefined
    for k in ("ctr", "cvr", "cpc", "cpa", "roas", "roi"):
        assert math.isnan(o1_feb[k]), k
    assert not np.isinf(t[["ctr", "cvr", "cpc", "cpa", "roas", "roi"]].to_numpy()).any()


def test_ad_kpis_by_keeps_rows_with_an_empty_key_and_adds_up():
    d = _daily()
    t = cases.marketing_agency.ad_kpis_by(d, ["channel"])
    assert t["channel"].isna().sum() == 1  # the row without a channel is its own group
    assert t["impressions"].sum() == d["impressions"].sum()
    assert t["spend"].sum() == d["spend"].sum()


def test_ad_kpis_by_without_conversion_value_has_no_roas():
    t = cases.marketing_agency.ad_kpis_by(_daily().drop(columns="conversion_value"), ["client"])
    assert "roas" not in t.columns and "roi" not in t.columns
    assert t["cpa"].tolist() == pytest.approx([2050 / 7, 3000 / 30])


def test_ad_kpis_by_does_not_change_its_input_and_emits_no_warning():
    d = _daily()
    before = d.copy()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cases.marketing_agency.ad_kpis_by(d, ["client", "campaign", "period"])
    pd.testing.assert_frame_equal(d, before)


# ---------------------------------------------------------------------------------------------
# rate_weights and mean_of_rates_vs_ratio_of_sums
# ---------------------------------------------------------------------------------------------

def _campaigns() -> pd.DataFrame:
    return cases.marketing_agency.ad_kpis_by(_daily(), ["campaign"]).set_index("campaign")


def test_rate_weights_by_hand():
    w = cases.marketing_agency.rate_weights(_campaigns(), "clicks", "impressions")
    # CTRs: tiny 20/100 = 0.2, o1 300/10,000 = 0.03, huge 200/100,000 = 0.002
    assert list(w.index) == ["tiny", "o1", "huge"]
    assert w["rate"].tolist() == pytest.approx([0.2, 0.03, 0.002])
    assert w["weight_in_mean"].tolist() == pytest.approx([1 / 3] * 3)
    total = 100 + 10_000 + 100_000
    assert w["weight_in_ratio"].tolist() == pytest.approx([100 / total, 10_000 / total, 100_000 / total])
    assert w["weight_in_ratio"].sum() == pytest.approx(1.0)


def test_rate_weights_undefined_rate_is_last_with_zero_weight_in_the_mean():
    g = pd.DataFrame({"clicks": [0, 5, 1], "impressions": [0, 100, 10]}, index=["none", "b", "a"])
    w = cases.marketing_agency.rate_weights(g, "clicks", "impressions")
    assert list(w.index) == ["a", "b", "none"]
    assert math.isnan(w.at["none", "rate"])
    assert w.at["none", "weight_in_mean"] == 0.0
    assert w["weight_in_mean"].tolist() == pytest.approx([0.5, 0.5, 0.0])


def test_rate_weights_ties_broken_by_name():
    g = pd.DataFrame({"clicks": [1, 1], "impressions": [10, 10]}, index=["b", "a"])
    assert list(cases.marketing_agency.rate_weights(g, "clicks", "impressions").index) == ["a", "b"]


def test_mean_of_rates_vs_ratio_of_sums_by_hand():
    r = cases.marketing_agency.mean_of_rates_vs_ratio_of_sums(_campaigns(), "clicks", "impressions")
    assert r["mean_of_rates"] == pytest.approx((0.2 + 0.03 + 0.002) / 3)
    assert r["ratio_of_sums"] == pytest.approx(520 / 110_100)
    assert r["weighted_mean_of_rates"] == pytest.approx(r["ratio_of_sums"])
    assert r["n_groups"] == 3 and r["n_rates"] == 3
    assert r["highest"] == "tiny" and r["highest_rate"] == pytest.approx(0.2)
    assert r["highest_weight"] == pytest.approx(100 / 110_100)
    assert r["largest"] == "huge" and r["largest_weight"] == pytest.approx(100_000 / 110_100)
    # the plain mean is pulled up by the tiny campaign: far above the KPI
    assert r["mean_of_rates"] > 10 * r["ratio_of_sums"]


def test_mean_of_rates_matches_the_plot_and_agrees_on_the_shipped_data():
    cd = data.load_case("marketing_agency", ROOT / "data" / "marketing_agency")
    res = cases.analyse("marketing_agency", cd)
    per = res.frames["by_campaign"].set_index("campaign")
    r = cases.marketing_agency.mean_of_rates_vs_ratio_of_sums(per, "clicks", "impressions")
    assert r["ratio_of_sums"] == pytest.approx(res.frames["totals"]["ctr"])
    assert r["mean_of_rates"] == pytest.approx(per["ctr"].mean())
    assert r["n_rates"] == len(per)
    ax = plots.ratio_of_sums_vs_mean(per, "clicks", "impressions", rate_name="CTR")
    heights = [p.get_height() for p in ax.patches[:2]]
    assert heights == pytest.approx([r["mean_of_rates"], r["ratio_of_sums"]])


def test_mean_of_rates_all_denominators_zero_is_nan_not_an_error():
    g = pd.DataFrame({"clicks": [0, 0], "impressions": [0, 0]}, index=["a", "b"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = cases.marketing_agency.mean_of_rates_vs_ratio_of_sums(g, "clicks", "impressions")
    assert math.isnan(r["mean_of_rates"]) and math.isnan(r["ratio_of_sums"])
    assert r["n_rates"] == 0 and r["highest"] is None and r["largest"] is None


# ---------------------------------------------------------------------------------------------
# client_overview, account_vs_all, compare_by_segment, format_ad_frame
# ---------------------------------------------------------------------------------------------

def _by_client() -> pd.DataFrame:
    bc = cases.marketing_agency.ad_kpis_by(_daily(), ["client"]).set_index("client")
    bc["spend_share"] = bc["spend"] / bc["spend"].sum()
    return bc.loc[["O", "K"]]  # O spends more: first


def test_client_overview_by_hand():
    o = cases.marketing_agency.client_overview(_daily(), _by_client())
    assert list(o.index) == ["O", "K"]
    assert o["campaigns"].tolist() == [1, 2]
    assert o["channels"].tolist() == [1, 2]  # the empty channel is not counted
    assert o["spend_share"].tolist() == pytest.approx([3000 / 5050, 2050 / 5050])
    assert o.at["K", "roas"] == pytest.approx(2400 / 2050)


def test_client_overview_without_channel_and_value():
    d = _daily().drop(columns=["channel", "conversion_value"])
    bc = _by_client().drop(columns=["conversion_value", "roas", "roi"])
    o = cases.marketing_agency.client_overview(d, bc)
    assert list(o.columns) == ["campaigns", "spend", "spend_share"]


def test_account_vs_all_by_hand():
    v = cases.marketing_agency.account_vs_all(_by_client(), ["K"])
    assert list(v.columns) == ["all clients", "K", "all other clients"]
    assert list(v.index) == ["ctr", "cvr", "cpc", "cpa", "roas", "roi"]
    assert v.at["ctr", "all clients"] == pytest.approx(520 / 110_100)
    assert v.at["ctr", "K"] == pytest.approx(220 / 100_100)
    assert v.at["ctr", "all other clients"] == pytest.approx(300 / 10_000)
    assert v.at["roas", "all clients"] == pytest.approx(14_400 / 5_050)
    assert v.at["cpa", "K"] == pytest.approx(2050 / 7)


def test_account_vs_all_only_client_has_no_others_column():
    bc = _by_client().loc[["K"]]
    v = cases.marketing_agency.account_vs_all(bc, ["K"], ["ctr", "roas"])
    assert list(v.columns) == ["all clients", "K"]
    assert v.loc["ctr"].tolist() == pytest.approx([220 / 100_100] * 2)


def test_account_vs_all_skips_missing_kpis_and_unknown_accounts():
    bc = _by_client().drop(columns=["conversion_value", "roas", "roi"])
    v = cases.marketing_agency.account_vs_all(bc, ["K", "nobody"], others_label=None)
    assert list(v.columns) == ["all clients", "K"]
    assert "roas" not in v.index


def test_compare_by_segment_by_hand():
    d = _daily()
    by_channel = cases.marketing_agency.ad_kpis_by(d, ["channel"]).dropna(subset=["channel"]).set_index("channel")
    per = cases.marketing_agency.ad_kpis_by(d, ["client", "channel"])
    c = cases.marketing_agency.compare_by_segment(by_channel, per, "K", "ctr")
    assert list(c.index) == ["Display", "Search", "Social"]
    assert list(c.columns) == ["K", "all clients"]
    assert c["K"].tolist()[0] == pytest.approx(0.002) and math.isnan(c.at["Search", "K"])
    assert c.at["Social", "K"] == pytest.approx(0.2)
    assert c.at["Search", "all clients"] == pytest.approx(0.03)


def test_format_ad_frame_says_n_a_never_inf():
    t = cases.marketing_agency.ad_kpis_by(_daily(), ["campaign", "period"])
    f = cases.marketing_agency.format_ad_frame(t)
    assert f.at[0, "cpa"] == "n/a"
    assert f.at[0, "spend"] == "NOK 1,000" and f.at[0, "impressions"] == "50,000"
    assert f.at[0, "ctr"] == "0.20%" and f.at[0, "cvr"] == "0.0%"
    assert f["campaign"].tolist() == t["campaign"].tolist()
    assert not f.isin(["inf", "nan", "NaN"]).any().any()
    assert t.at[0, "cpa"] != t.at[0, "cpa"]  # input unchanged (still NaN)


def test_notebook_helpers_on_the_shipped_data():
    cd = data.load_case("marketing_agency", ROOT / "data" / "marketing_agency")
    res = cases.analyse("marketing_agency", cd)
    f = res.frames
    key = res.key_accounts[0]
    o = cases.marketing_agency.client_overview(f["daily"], f["by_client"])
    assert o.index[0] == key and o.at[key, "campaigns"] == 6 and o.at[key, "channels"] == 4
    v = cases.marketing_agency.account_vs_all(f["by_client"], [key])
    assert v.at["ctr", "all clients"] == pytest.approx(f["totals"]["ctr"])
    assert v.at["roas", key] == pytest.approx(f["by_client"].at[key, "roas"])
    t = cases.marketing_agency.ad_kpis_by(f["daily"], ["campaign", "channel", "period"])
    assert t["clicks"].sum() == f["totals"]["clicks"]
    zero = t[t["conversions"] == 0]
    assert len(zero) > 0 and zero["cpa"].isna().all()


# ---------------------------------------------------------------------------------------------
# figure and explorer
# ---------------------------------------------------------------------------------------------

def _monthly() -> tuple[pd.DataFrame, pd.DataFrame]:
    d = _daily()
    m = cases.marketing_agency.ad_kpis_by(d, ["period"])
    m.insert(1, "partial", [False, True])
    cm = cases.marketing_agency.ad_kpis_by(d, ["client", "period"])
    return m, cm


def test_segment_trends_vs_all_panels_lines_and_target():
    m, cm = _monthly()
    fig = plots.segment_trends_vs_all(m, cm[cm["client"] == "K"], "K", ["ctr", "roas", "nope"],
                                      targets={"ctr": 0.02}, units={"ctr": "ratio", "roas": "ratio"})
    assert isinstance(fig, Figure)
    axes = [a for a in fig.axes if a.get_visible()]
    assert len(axes) == 2
    assert axes[0].get_title() == "CTR" and axes[1].get_title() == "ROAS"
    legend = [t.get_text() for t in axes[0].get_legend().get_texts()]
    assert legend[:2] == ["K", "all clients"] and "target 2.0%" in legend
    assert fig.get_suptitle() == "K vs all clients: KPIs by month"
    # the segment's line has the key-account colour and its values
    seg_line = [ln for ln in axes[0].get_lines() if ln.get_label() == "K"][0]
    assert matplotlib.colors.to_hex(seg_line.get_color()) == plots.HIGHLIGHT
    assert seg_line.get_ydata()[0] == pytest.approx(120 / 50_100)


def test_segment_trends_vs_all_whole_business_only_and_missing_months():
    m, cm = _monthly()
    fig = plots.segment_trends_vs_all(m, None, None, ["ctr"])
    assert fig.get_suptitle() == "all clients: KPIs by month"
    # a client without activity in a month: a gap (NaN), no error
    only_jan = cm[(cm["client"] == "O") & (cm["period"] == "2025-01")]
    fig2 = plots.segment_trends_vs_all(m, only_jan, "O", ["ctr"])
    line = [ln for ln in fig2.axes[0].get_lines() if ln.get_label() == "O"][0]
    assert math.isnan(line.get_ydata()[1]) or len(line.get_ydata()) == 2


def test_segment_trends_vs_all_into_an_offscreen_figure_leaves_pyplot_alone():
    m, cm = _monthly()
    before = plt.get_fignums()
    fig = Figure(figsize=(8, 6), layout="constrained")
    out = plots.segment_trends_vs_all(m, cm[cm["client"] == "K"], "K", ["ctr", "cvr"], fig=fig)
    assert out is fig and plt.get_fignums() == before


def test_segment_trend_explorer_dropdown_redraws():
    m, cm = _monthly()
    before = plt.get_fignums()
    ex = widgets.segment_trend_explorer(m, cm, "client", ["ctr", "cvr", "roas"], initial="K",
                                        targets={"ctr": 0.02})
    assert ex.dropdown.options == ("all clients", "K", "O")
    assert ex.selected == "K"
    png_k = ex.png
    assert png_k.startswith(b"\x89PNG")
    ex.dropdown.value = "O"
    assert ex.selected == "O" and ex.png != png_k
    ex.dropdown.value = "all clients"
    assert ex.png.startswith(b"\x89PNG")
    assert len(ex.output.outputs) == 1 and "image/png" in ex.output.outputs[0]["data"]
    assert plt.get_fignums() == before  # rendered off-screen


def test_segment_trend_explorer_unknown_initial_starts_with_all():
    m, cm = _monthly()
    ex = widgets.segment_trend_explorer(m, cm, initial="nobody", options=["K"])
    assert ex.dropdown.options == ("all clients", "K") and ex.selected == "all clients"


def test_paired_bars_colours_labels_nan_and_target():
    t = pd.DataFrame({"K": [0.05, np.nan], "all clients": [0.04, 0.01]},
                     index=pd.Index(["Search", "Social"], name="channel"))
    ax = plots.paired_bars(t, unit="ratio", target=0.02, title="CTR by channel")
    bars = ax.patches
    assert len(bars) == 4
    assert matplotlib.colors.to_hex(bars[0].get_facecolor()) == plots.HIGHLIGHT
    assert matplotlib.colors.to_hex(bars[2].get_facecolor()) == plots.GREY
    assert not bars[1].get_visible()  # NaN: no bar ...
    texts = [a.get_text() for a in ax.texts]
    assert "n/a" in texts and "5.0%" in texts  # ... but an "n/a" label
    assert [x.get_text() for x in ax.get_yticklabels()] == ["Search", "Social"]
    legend = [x.get_text() for x in ax.get_legend().get_texts()]
    assert legend == ["K", "all clients", "target 2.0%"]
    assert ax.get_title() == "CTR by channel"
