"""Figures and explorer widgets: what a slide needs, verbatim names, no global side effects."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import io  # noqa: E402
import math  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402

import matplotlib as mpl  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from kpi_helpers import accounts, plots, widgets  # noqa: E402

from conftest import ROOT  # noqa: E402

HOSTILE = ["<script>alert(1)</script>", "Ærlig & Sønn $5", "<img onerror=x>", "$5 & $10 Deli"]
NAMES = ["Acme AS", *HOSTILE, "Bølgen Bryggeri", "Fjord & Fjell", "Nordlys Tech", "Tind AS", "Havbris",
         "Skog & Mark", "Lille Kafé"]


# ---------------------------------------------------------------------------------------------
# fixtures
# ---------------------------------------------------------------------------------------------

@pytest.fixture(autouse=True)
def _close_figures(monkeypatch):
    """No test may call plt.show(); every figure is closed afterwards."""
    def no_show(*args, **kwargs):
        raise AssertionError("plt.show() must never be called by kpi_helpers")

    monkeypatch.setattr(plt, "show", no_show)
    yield
    plt.close("all")
    assert plt.get_fignums() == []


@pytest.fixture()
def revenue() -> pd.Series:
    values = [1.2e6, 8e5, 3.5e5, 2e5, 1.6e5, 1.5e5, 9e4, 5e4, 3e4, 2e4, 1e4, 5e3]
    return pd.Series(values, index=pd.Index(NAMES, name="customer"), name="revenue")


@pytest.fixture()
def monthly() -> pd.DataFrame:
    periods = [f"{y}-{m:02d}" for y in (2024, 2025) for m in range(1, 13)]
    growth = np.r_[np.nan, np.linspace(-0.02, 0.06, 23)]
    growth[5] = np.inf
    growth[6] = np.nan
    return pd.DataFrame({
        "period": periods,
        "partial": [True] + [False] * 22 + [True],
        "revenue": np.linspace(1e5, 3e5, 24),
        "mom_growth": growth,
    })


@pytest.fixture()
def features(revenue) -> pd.DataFrame:
    n = len(revenue)
    return pd.DataFrame({
        "revenue": revenue,
        "revenue_share": revenue / revenue.sum(),
        "revenue_growth": np.linspace(-0.1, 0.4, n)[::-1] * np.r_[0.2, 1.0, np.ones(n - 2) * 0.5],
        "strategic_value": [2, 5, 3, 1, 4, 2, 3, 1, 5, 2, 3, 1],
        "growth_potential": [2, 5, 3, 2, 4, 1, 3, 1, 5, 2, 3, 1],
        "engagement": [5, 4, 3, 2, 1, 2, 3, 4, 2, 1, 3, 2],
    }, index=revenue.index)


@pytest.fixture()
def matrix(revenue) -> pd.DataFrame:
    periods = pd.Index([f"2025-{m:02d}" for m in range(1, 13)], name="period")
    shape = np.linspace(0.5, 1.5, 12)[:, None]
    return pd.DataFrame(shape * revenue.to_numpy()[None, :] / 12, index=periods, columns=list(revenue.index))


def _text(ax: Axes) -> str:
    return " | ".join([ax.get_title(), ax.get_xlabel(), ax.get_ylabel()])


def _assert_labelled(ax: Axes) -> None:
    assert isinstance(ax, Axes)
    assert ax.get_title().strip(), "title missing"
    assert ax.get_xlabel().strip() or ax.get_ylabel().strip(), "axis labels missing"


def _tick_texts(axis) -> list[str]:
    return [t.get_text() for t in axis.get_ticklabels()]


def _verbatim(texts) -> None:
    for t in texts:
        assert t.get_parse_math() is False, t.get_text()
        assert t.get_usetex() is False, t.get_text()


def _legend_texts(ax: Axes) -> list[str]:
    leg = ax.get_legend()
    if leg is None:
        legs = [lg for lg in ax.figure.legends]
        return [t.get_text() for lg in legs for t in lg.get_texts()]
    return [t.get_text() for t in leg.get_texts()]


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def _target_lines(ax: Axes):
    return [ln for ln in ax.get_lines() if ln.get_label().startswith("target")]


# ---------------------------------------------------------------------------------------------
# style and global state
# ---------------------------------------------------------------------------------------------

def test_importing_plots_and_widgets_changes_no_rcparams_and_displays_nothing():
    code = (
        "import matplotlib as mpl\n"
        "before = {k: v for k, v in mpl.rcParams.items() if k != 'backend'}\n"
        "import kpi_helpers.plots, kpi_helpers.widgets\n"
        "after = {k: v for k, v in mpl.rcParams.items() if k != 'backend'}\n"
        "changed = sorted(k for k in before if before[k] != after[k])\n"
        "assert not changed, changed\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         env={"MPLBACKEND": "Agg", "PATH": "/usr/bin:/bin"}, timeout=120)
    assert res.returncode == 0, res.stderr
    assert res.stdout == ""


def test_plot_functions_restore_rcparams(revenue, monthly):
    before = dict(mpl.rcParams)
    plots.bar_by_category(revenue)
    plots.line_with_target(monthly, "period", "revenue")
    assert dict(mpl.rcParams) == before


def test_use_style_is_explicit():
    with mpl.rc_context():
        plots.use_style()
        assert tuple(mpl.rcParams["figure.figsize"]) == plots.FIGSIZE
        assert mpl.rcParams["figure.dpi"] == 100
        assert mpl.rcParams["axes.grid"] is True
        assert to_hex(mpl.rcParams["axes.prop_cycle"].by_key()["color"][0]) == plots.PALETTE[0]


def test_figures_use_project_style_without_use_style(revenue):
    ax = plots.bar_by_category(revenue)
    fig = ax.figure
    assert tuple(fig.get_size_inches()) == plots.FIGSIZE
    assert fig.get_layout_engine() is not None  # constrained layout: nothing clipped


def test_same_input_same_png(revenue, features):
    a = _png(plots.portfolio_chart(accounts.portfolio_matrix(features), highlight=["Acme AS"]).figure)
    b = _png(plots.portfolio_chart(accounts.portfolio_matrix(features), highlight=["Acme AS"]).figure)
    assert a == b


# ---------------------------------------------------------------------------------------------
# formatting
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("value, text", [
    (1_200_000, "NOK 1.2M"), (350_000, "NOK 350k"), (0, "NOK 0"), (950, "NOK 950"),
    (1_000_000, "NOK 1M"), (999_999, "NOK 1M"), (1_234_567, "NOK 1.23M"), (12_500, "NOK 12.5k"),
    (2.5e9, "NOK 2.5bn"), (-2_500, "NOK -2.5k"), (float("nan"), "n/a"), (float("inf"), "n/a"),
])
def test_currency_formatter(value, text):
    assert plots.currency_formatter("NOK")(value) == text


def test_currency_formatter_other_currency_and_tick_position():
    fmt = plots.currency_formatter(currency="EUR")
    assert fmt(1.2e6, 0) == "EUR 1.2M"


def test_percent_formatter():
    assert plots.percent_formatter(1)(0.034) == "3.4%"
    assert plots.percent_formatter()(0.25) == "25%"
    assert plots.percent_formatter(0)(-0.0001) == "0%"
    assert plots.percent_formatter(1)(float("nan")) == "n/a"


# ---------------------------------------------------------------------------------------------
# line with target
# ---------------------------------------------------------------------------------------------

def test_line_with_target_basics(monthly):
    ax = plots.line_with_target(monthly, "period", "mom_growth", target=0.03, unit="ratio", partial="partial",
                                title="Monthly revenue growth")
    _assert_labelled(ax)
    assert ax.get_title() == "Monthly revenue growth"
    assert "%" in ax.get_ylabel()
    (target,) = _target_lines(ax)
    assert target.get_label() == "target 3.0%"
    assert target.get_linestyle() == "--"
    assert target.get_ydata()[0] == pytest.approx(0.03)
    legend = _legend_texts(ax)
    assert "target 3.0%" in legend
    assert any("partial" in t for t in legend)
    # inf and NaN are not drawn: no finite y at those positions in any line
    for line in ax.get_lines():
        y = np.asarray(line.get_ydata(), dtype=float)
        assert not np.isinf(y).any()
    # month labels thinned to at most 12, the last period shown, readable (rotated)
    labels = [t for t in _tick_texts(ax.xaxis) if t]
    assert 2 <= len(labels) <= 12
    assert labels[-1] == "2025-12"
    assert ax.xaxis.get_ticklabels()[0].get_rotation() == 45


def test_line_with_target_partial_points_are_hollow(monthly):
    ax = plots.line_with_target(monthly, "period", "revenue", unit="currency", partial="partial")
    hollow = [ln for ln in ax.get_lines() if ln.get_markerfacecolor() in ("white", "w", (1.0, 1.0, 1.0, 1.0))]
    assert hollow and len(hollow[0].get_xdata()) == 2  # first and last month are partial
    assert ax.get_ylim()[0] == 0  # money axis starts at zero
    assert ax.yaxis.get_major_formatter()(1.2e6) == "NOK 1.2M"


def test_line_with_target_draws_into_given_ax_and_several_series(monthly):
    fig, (a1, a2) = plt.subplots(1, 2)
    out = plots.line_with_target(monthly.assign(b=monthly["revenue"] / 2), "period", ["revenue", "b"],
                                 highlight="b", ax=a2, title="two")
    assert out is a2
    assert len(fig.axes) == 2
    colours = {ln.get_label(): to_hex(ln.get_color()) for ln in a2.get_lines() if not ln.get_label().startswith("_")}
    assert colours["b"] == plots.HIGHLIGHT
    assert colours["revenue"] == plots.GREY


def test_line_with_target_all_nan_does_not_fail():
    frame = pd.DataFrame({"period": ["2025-01", "2025-02"], "x": [np.nan, np.inf]})
    ax = plots.line_with_target(frame, "period", "x", unit="ratio", target=0.1)
    _assert_labelled(ax)
    ax.figure.canvas.draw()


# ---------------------------------------------------------------------------------------------
# bars
# ---------------------------------------------------------------------------------------------

def _bar_colour(ax: Axes, name: str) -> str:
    labels = _tick_texts(ax.yaxis)
    i = labels.index(name)
    bars = sorted(ax.patches[: len(labels)], key=lambda p: p.get_y())
    return to_hex(bars[i].get_facecolor(), keep_alpha=False)


def test_bar_by_category_highlight_and_other(revenue):
    ax = plots.bar_by_category(revenue, highlight=["Ærlig & Sønn $5"], top=5, target=3e5)
    _assert_labelled(ax)
    labels = _tick_texts(ax.yaxis)
    assert labels[:5] == NAMES[:5]  # largest first, names verbatim
    assert labels[-1] == "Other"
    assert len(labels) == 6
    assert _bar_colour(ax, "Ærlig & Sønn $5") == plots.HIGHLIGHT
    assert _bar_colour(ax, "Acme AS") == plots.GREY
    assert _bar_colour(ax, "Other") == plots.LIGHT_GREY
    widths = {lab: p.get_width() for lab, p in zip(labels, sorted(ax.patches[:6], key=lambda p: p.get_y()))}
    assert widths["Other"] == pytest.approx(revenue.iloc[5:].sum())
    assert sum(widths.values()) == pytest.approx(revenue.sum())
    (target,) = _target_lines(ax)
    assert target.get_label() == "target NOK 300k"
    assert "top 5 of 12" in ax.get_ylabel()
    assert ax.xaxis.get_major_formatter()(350_000) == "NOK 350k"


def test_bar_by_category_key_account_beyond_top_is_shown(revenue):
    ax = plots.bar_by_category(revenue, highlight="Lille Kafé", top=3, unit="ratio", additive=False)
    labels = _tick_texts(ax.yaxis)
    assert "Lille Kafé" in labels and "Other" not in labels and len(labels) == 3
    assert _bar_colour(ax, "Lille Kafé") == plots.HIGHLIGHT


def test_bar_by_category_nan_bar_hidden_and_vertical_months(monthly):
    s = monthly.set_index("period")["mom_growth"]
    ax = plots.bar_by_category(s, unit="ratio", sort=False, horizontal=False, value_labels=False, target=0.03)
    hidden = [p for p in ax.patches if not p.get_visible()]
    assert len(hidden) == 3  # NaN, inf, NaN
    assert len([t for t in _tick_texts(ax.xaxis) if t]) <= 12
    frame = monthly.set_index("period")[["revenue", "partial"]]
    ax2 = plots.bar_by_category(frame, partial="partial", sort=False, horizontal=False)
    hatched = [p for p in ax2.patches if p.get_hatch()]
    assert len(hatched) == 2
    assert any("partial" in t for t in _legend_texts(ax2))


def test_bar_by_category_grouped(revenue):
    frame = pd.DataFrame({"ctr": [0.04, 0.01, 0.02], "cvr": [0.06, 0.02, np.nan]},
                         index=pd.Index(["Search", "<b>Social</b>", "Video"], name="channel"))
    ax = plots.bar_by_category(frame, unit="ratio", highlight="<b>Social</b>")
    _assert_labelled(ax)
    assert _legend_texts(ax)[:2] == ["CTR", "CVR"]
    label = [t for t in ax.yaxis.get_ticklabels() if t.get_text() == "<b>Social</b>"][0]
    assert to_hex(label.get_color()) == plots.HIGHLIGHT


def test_share_bar_threshold_line(revenue):
    ax = plots.share_bar(revenue, threshold=0.10, highlight="Acme AS", top=4)
    _assert_labelled(ax)
    lines = [ln for ln in ax.get_lines() if "major" in ln.get_label()]
    assert len(lines) == 1 and lines[0].get_xdata()[0] == pytest.approx(0.10)
    assert lines[0].get_linestyle() == ":"  # a threshold, not a target: dashed dark lines are targets only
    labels = _tick_texts(ax.yaxis)
    widths = [p.get_width() for p in sorted(ax.patches[: len(labels)], key=lambda p: p.get_y())]
    assert sum(widths) == pytest.approx(1.0)
    assert _bar_colour(ax, "Acme AS") == plots.HIGHLIGHT
    assert ax.xaxis.get_major_formatter()(0.25).endswith("%")


def test_share_bar_zero_total():
    ax = plots.share_bar(pd.Series([0.0, 0.0], index=["a", "b"]))
    ax.figure.canvas.draw()
    assert all(not p.get_visible() for p in ax.patches[:2])


# ---------------------------------------------------------------------------------------------
# stacked area, Pareto, scores, portfolio
# ---------------------------------------------------------------------------------------------

def test_stacked_area_top_and_other(matrix):
    ax = plots.stacked_area_by_account(matrix, highlight=["Ærlig & Sønn $5"], top=3,
                                       partial=[False] * 11 + [True])
    _assert_labelled(ax)
    legend = _legend_texts(ax)
    # top of the stack first in the legend; the key account at the bottom
    assert legend[:4] == ["Other", "<script>alert(1)</script>", "Acme AS", "Ærlig & Sønn $5"]
    assert any("partial" in t for t in legend)
    polys = ax.collections[:4]
    assert to_hex(polys[0].get_facecolor()[0], keep_alpha=False) == plots.HIGHLIGHT
    assert "NOK" in ax.get_ylabel()
    assert ax.yaxis.get_major_formatter()(1.2e6) == "NOK 1.2M"
    _verbatim(ax.get_legend().get_texts())


def test_stacked_area_nan_counts_as_zero(matrix):
    m = matrix.copy()
    m.iloc[0, 0] = np.nan
    ax = plots.stacked_area_by_account(m, top=2)
    ax.figure.canvas.draw()
    _assert_labelled(ax)


def test_pareto_chart(revenue):
    pareto = accounts.pareto_table(revenue)
    ax = plots.pareto_chart(pareto, a=0.8, b=0.95, highlight=["Acme AS"], top=8)
    _assert_labelled(ax)
    fig = ax.figure
    assert len(fig.axes) == 2
    twin = [a for a in fig.axes if a is not ax][0]
    assert twin.get_ylabel()
    assert twin.yaxis.get_major_formatter()(0.8) == "80%"
    levels = sorted(ln.get_ydata()[0] for ln in twin.get_lines() if "class" in ln.get_label())
    assert levels == [0.8, 0.95]
    bars = ax.patches
    assert len(bars) == 8
    assert to_hex(bars[0].get_facecolor(), keep_alpha=False) == plots.HIGHLIGHT
    assert to_hex(bars[1].get_facecolor(), keep_alpha=False) != plots.HIGHLIGHT
    assert _tick_texts(ax.xaxis)[:5] == list(revenue.index[:5])
    assert "top 8 of 12" in ax.get_xlabel()
    assert "key account" in _legend_texts(ax)


def test_score_contributions(features):
    scores = accounts.score_accounts(features)
    ax = plots.score_contributions(scores, top=5, highlight=[scores.index[1]])
    _assert_labelled(ax)
    labels = _tick_texts(ax.yaxis)
    assert labels == [str(x) for x in scores.index[:5]]
    n_criteria = len([c for c in scores.columns if c.endswith("_contrib")])
    segments = [p for p in ax.patches if p.get_fill()]
    assert len(segments) == n_criteria * 5
    lab = ax.yaxis.get_ticklabels()[1]
    assert to_hex(lab.get_color()) == plots.HIGHLIGHT
    legend = _legend_texts(ax)
    assert "revenue share" in legend and "key account" in legend


def test_score_contributions_accepts_contribution_prefix_and_rejects_other_frames():
    s = pd.DataFrame({"contribution_revenue_share": [0.5, 0.2], "contribution_engagement": [0.1, 0.3]},
                     index=["<b>x</b>", "y"])
    ax = plots.score_contributions(s)
    assert _tick_texts(ax.yaxis) == ["<b>x</b>", "y"]
    with pytest.raises(ValueError, match="contribution"):
        plots.score_contributions(pd.DataFrame({"score": [1.0]}))


def test_portfolio_chart(features, revenue):
    portfolio = accounts.portfolio_matrix(features)
    ax = plots.portfolio_chart(portfolio, highlight=["Ærlig & Sønn $5"], size=revenue, label_top=4)
    _assert_labelled(ax)
    texts = [t.get_text() for t in ax.texts]
    for q in ("key account", "develop", "maintain", "efficiency"):
        assert q in texts
    assert "Ærlig & Sønn $5" in texts
    hl_points = [c for c in ax.collections if len(c.get_offsets()) and
                 to_hex(c.get_facecolor()[0], keep_alpha=False) == plots.HIGHLIGHT]
    assert len(hl_points) == 1 and len(hl_points[0].get_offsets()) == 1
    _verbatim(ax.texts)
    ax.figure.canvas.draw()


# ---------------------------------------------------------------------------------------------
# comparisons, heatmap, histogram, ratio of sums
# ---------------------------------------------------------------------------------------------

def test_compare_account_vs_all():
    values = pd.DataFrame({"all": [3.2e6, 0.03, 0.8, 45.0], "<Kunde & Co>": [1.2e6, 0.05, np.nan, 30.0]},
                          index=["revenue", "mom_growth", "csat", "avg_completion_days"])
    fig = plots.compare_account_vs_all(values, units={"revenue": "currency", "mom_growth": "ratio",
                                                      "csat": "ratio", "avg_completion_days": "days"},
                                       targets={"csat": 0.85})
    assert isinstance(fig, Figure)
    assert fig.get_suptitle() == "<Kunde & Co> vs all customers"
    visible = [a for a in fig.axes if a.get_visible()]
    assert len(visible) == 4
    for a in visible:
        _assert_labelled(a)
        assert _tick_texts(a.xaxis) == ["all", "<Kunde & Co>"]
        _verbatim(a.xaxis.get_ticklabels())
        assert to_hex(a.patches[1].get_facecolor(), keep_alpha=False) == plots.HIGHLIGHT
        assert to_hex(a.patches[0].get_facecolor(), keep_alpha=False) == plots.GREY
    csat = [a for a in visible if a.get_title().startswith("CSAT")][0]
    assert csat.get_title() == "CSAT\n(target 85.0%)"
    assert [ln.get_label() for ln in _target_lines(csat)] == ["target 85.0%"]
    (legend,) = fig.legends
    assert [t.get_text() for t in legend.get_texts()] == ["all", "<Kunde & Co>", "target"]
    _verbatim(legend.get_texts())
    assert not csat.patches[1].get_visible()  # NaN not drawn
    fig.canvas.draw()


def test_heatmap():
    frame = pd.DataFrame([[1000.0, np.nan], [2500.0, 1.2e6]],
                         index=pd.Index(["Monday", "Ærlig & $ønn"], name="weekday"),
                         columns=pd.Index([18, 19], name="hour"))
    ax = plots.heatmap(frame, title="Revenue per evening", unit="currency")
    _assert_labelled(ax)
    assert ax.get_xlabel() == "hour" and ax.get_ylabel() == "weekday"
    cells = sorted(t.get_text() for t in ax.texts)
    assert cells == sorted(["1k", "2.5k", "1.2M"])
    assert _tick_texts(ax.yaxis) == ["Monday", "Ærlig & $ønn"]
    _verbatim(ax.yaxis.get_ticklabels())
    ax.figure.canvas.draw()


def test_histogram():
    ratings = pd.Series([1, 2, 2, 3, 4, 4, 4, 5, 5, np.nan, np.inf], name="rating")
    ax = plots.histogram(ratings, vline={"mean": 3.33, "target": 4.3}, unit="score")
    _assert_labelled(ax)
    assert [ln.get_label() for ln in ax.get_lines()] == ["mean 3.33", "target 4.30"]  # scores: two decimals
    assert len(ax.patches) == 5  # one bar per rating 1..5
    assert sum(p.get_height() for p in ax.patches) == 9
    empty = plots.histogram(pd.Series([], dtype=float), title="nothing", xlabel="x")
    assert "no data to show" in [t.get_text() for t in empty.texts]


def test_ratio_of_sums_vs_mean():
    per = pd.DataFrame({"clicks": [10, 200, 5000, 0], "impressions": [100, 10000, 400000, 0]},
                       index=pd.Index(["c1", "c2", "c3", "c4"], name="campaign"))
    ax = plots.ratio_of_sums_vs_mean(per, "clicks", "impressions", rate_name="ctr")
    _assert_labelled(ax)
    mean_bar, ratio_bar = ax.patches[:2]
    assert mean_bar.get_height() == pytest.approx(np.mean([0.1, 0.02, 0.0125]))
    assert ratio_bar.get_height() == pytest.approx(5210 / 410100)
    assert any("left out" in t.get_text() for t in ax.texts)
    assert "CTR" in ax.get_title()


# ---------------------------------------------------------------------------------------------
# names from data survive verbatim
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_names_verbatim_in_every_chart(name, revenue, features, matrix):
    rev = revenue.rename(index={revenue.index[0]: name}) if name not in revenue.index[:1] else revenue
    rev = rev[~rev.index.duplicated()]
    ax = plots.bar_by_category(rev, highlight=name)
    assert name in _tick_texts(ax.yaxis)
    _verbatim(ax.yaxis.get_ticklabels())
    ax2 = plots.pareto_chart(accounts.pareto_table(rev), highlight=name)
    assert name in _tick_texts(ax2.xaxis)
    _verbatim(ax2.xaxis.get_ticklabels())
    ax3 = plots.score_contributions(accounts.score_accounts(features), highlight=name)
    assert name in _tick_texts(ax3.yaxis)
    _verbatim(ax3.yaxis.get_ticklabels())
    ax4 = plots.stacked_area_by_account(matrix, highlight=name)
    assert name in _legend_texts(ax4)
    ax5 = plots.line_with_target(pd.DataFrame({"period": ["2025-01", "2025-02"], name: [1.0, 2.0]}),
                                 "period", [name, name], labels=[name, "all"], title=name, unit="count")
    assert ax5.get_title() == name
    _verbatim([ax5.title])
    assert name in _legend_texts(ax5)
    for a in (ax, ax2, ax3, ax4, ax5):
        a.figure.canvas.draw()  # no mathtext parse error
        for t in a.yaxis.get_ticklabels() + a.xaxis.get_ticklabels():
            if t.get_text() == name:
                assert t.get_parse_math() is False


def test_dollar_pair_is_not_mathtext():
    """'$5 & $10 Deli' would render as math without protection; drawn width must match plain text."""
    name = "$5 & $10 Deli"
    ax = plots.bar_by_category(pd.Series([1.0, 2.0], index=[name, "x"]))
    fig = ax.figure
    fig.canvas.draw()
    label = [t for t in ax.yaxis.get_ticklabels() if t.get_text() == name][0]
    plain = fig.text(0, 0, name, parse_math=False, fontsize=label.get_fontsize())
    r = fig.canvas.get_renderer()
    assert label.get_window_extent(r).width == pytest.approx(plain.get_window_extent(r).width)


# ---------------------------------------------------------------------------------------------
# widgets
# ---------------------------------------------------------------------------------------------

def test_key_account_explorer_sliders_and_refresh(features):
    box = widgets.key_account_explorer(features, top=5)
    import ipywidgets

    assert isinstance(box, ipywidgets.VBox)
    assert list(box.sliders) == list(accounts.DEFAULT_WEIGHTS)
    for name, s in box.sliders.items():
        assert (s.min, s.max, s.step) == (0.0, 1.0, 0.05)
        assert s.value == pytest.approx(accounts.DEFAULT_WEIGHTS[name])
        assert s.description
    first = box.key_label.value
    assert box.best_scored == box.scores.index[0]
    # the key accounts are THE rule's: the same as accounts.key_accounts with these scores
    size = "revenue" if "revenue" in features.columns else "revenue_share"
    assert box.key_accounts == accounts.key_accounts(features[size], box.scores["score"]).index.tolist()
    assert first == f"Key accounts: {', '.join(box.key_accounts)} (best score: {box.best_scored})"
    ranking = list(box.scores.index)
    # only engagement counts: the best-engaged account (with revenue) becomes the best-scored
    for name, s in box.sliders.items():
        s.value = 1.0 if name == "engagement" else 0.0
    best = features.loc[features[size] > 0, "engagement"].idxmax()
    assert box.best_scored == best and best in box.key_accounts
    assert box.key_label.value != first
    assert list(box.scores.index) != ranking
    assert box.png.startswith(b"\x89PNG")
    kinds = [set(o["data"]) for o in box.output.outputs]
    assert {"image/png", "text/plain"} in kinds and any("text/html" in k for k in kinds)
    assert plt.get_fignums() == []  # charts are rendered off-screen, nothing left open


def test_key_account_explorer_escapes_names_and_handles_zero_weights(features):
    f = features.rename(index={"Acme AS": "<script>alert(1)</script>&"})
    f = f[~f.index.duplicated()]
    box = widgets.key_account_explorer(f, weights={"revenue_share": 1.0}, top=12)
    assert box.key_label.value.startswith("Key accounts: <script>alert(1)</script>&")  # a Label shows text, not HTML
    assert "<script>alert(1)" not in box.table_html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&amp;" in box.table_html
    box.sliders["revenue_share"].value = 0.0
    assert "n/a" in box.key_label.value
    assert box.scores is None
    box.sliders["revenue_share"].value = 0.5
    assert box.key_label.value.startswith("Key accounts: <script>alert(1)</script>&")


def test_target_explorer(monthly):
    box = widgets.target_explorer(monthly, "period", "mom_growth", "ratio", 0.03, -0.05, 0.1, 0.005)
    assert box.slider.value == pytest.approx(0.03)
    finite = monthly.loc[~monthly["partial"], "mom_growth"].replace(np.inf, np.nan).dropna()
    assert box.counted == len(finite)
    assert box.met == int((finite >= 0.03).sum())
    assert "partial months not counted" in box.summary.value or not monthly["partial"].any()
    before = box.met
    box.slider.value = -0.05
    assert box.met == box.counted and box.met > before
    assert box.summary.value.startswith(f"{box.met} of {box.counted}")
    assert "-5.0%" in box.summary.value
    box.slider.value = 0.1
    assert box.met == 0
    lower = widgets.target_explorer(monthly, "period", "mom_growth", direction="lower", initial_target=0.1)
    assert lower.met == lower.counted
    assert plt.get_fignums() == []


def test_explorer_rejects_bad_arguments(monthly):
    with pytest.raises(ValueError):
        widgets.target_explorer(monthly, "period", "mom_growth", min=1.0, max=0.0)
    with pytest.raises(ValueError):
        widgets.target_explorer(monthly, "period", "mom_growth", direction="sideways")


# ---------------------------------------------------------------------------------------------
# the real case frames
# ---------------------------------------------------------------------------------------------

def test_real_startup_frames_plot():
    from kpi_helpers import cases, data

    r = cases.analyse("startup", data.load_case("startup", ROOT / "data" / "startup"))
    f, key = r.frames, r.key_accounts
    axes = [
        plots.line_with_target(f["monthly"], "period", "mom_growth", target=0.03, unit="ratio", partial="partial"),
        plots.line_with_target(f["monthly"], "period", "revenue", unit="currency", partial="partial"),
        plots.stacked_area_by_account(f["revenue_by_month"], highlight=key,
                                      partial=f["monthly"]["partial"].to_numpy()),
        plots.pareto_chart(f["pareto"], highlight=key),
        plots.share_bar(f["revenue"], highlight=key),
        plots.score_contributions(f["scores"], highlight=key[:1]),
        plots.portfolio_chart(f["portfolio"], highlight=key, size=f["revenue"]),
        plots.bar_by_category(f["revenue"], highlight=key, top=10),
    ]
    for ax in axes:
        _assert_labelled(ax)
        ax.figure.canvas.draw()
    box = widgets.key_account_explorer(f["features"])
    assert box.key_label.value.startswith("Key accounts: ") and box.key_accounts == key


# ---------------------------------------------------------------------------------------------
# empty and undefined inputs: a labelled empty chart, never an exception or a warning
# ---------------------------------------------------------------------------------------------

_EMPTY_REVENUE = pd.Series([], dtype=float, name="revenue")


@pytest.mark.parametrize("draw", [
    lambda: plots.bar_by_category(_EMPTY_REVENUE),
    lambda: plots.share_bar(_EMPTY_REVENUE),
    lambda: plots.pareto_chart(pd.DataFrame(columns=["customer", "revenue", "cum_share", "abc_class"])),
    lambda: plots.stacked_area_by_account(pd.DataFrame(index=pd.Index([], name="period"))),
    lambda: plots.line_with_target(pd.DataFrame({"period": [], "v": []}), "period", "v", target=1.0),
    lambda: plots.heatmap(pd.DataFrame([[np.nan, np.inf]], columns=["a", "b"])),
    lambda: plots.histogram(pd.Series([np.nan, np.inf])),
    lambda: plots.portfolio_chart(pd.DataFrame(columns=["attractiveness", "strength", "quadrant"])),
    lambda: plots.score_contributions(pd.DataFrame(columns=["revenue_share_contrib", "score"])),
    lambda: plots.compare_account_vs_all(pd.DataFrame(columns=["all", "x"])),
    lambda: plots.ratio_of_sums_vs_mean(pd.DataFrame({"n": [1.0], "d": [0.0]}), "n", "d"),
], ids=["bar", "share", "pareto", "area", "line", "heatmap", "histogram", "portfolio", "scores", "compare",
        "ratio_of_sums"])
def test_empty_or_undefined_input_draws_a_labelled_chart(draw):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = draw()
        fig = out if isinstance(out, Figure) else out.figure
        fig.canvas.draw()
    axes = [out] if isinstance(out, Axes) else [a for a in fig.axes if a.get_visible()]
    assert any(a.get_title() for a in axes) or fig.get_suptitle()


# ---------------------------------------------------------------------------------------------
# issue 11, item 6: one visual language across the notebooks
# ---------------------------------------------------------------------------------------------

def test_several_key_accounts_share_one_colour_family():
    """HIGHLIGHT_MORE is shades of HIGHLIGHT: no second strong hue for a second key account."""
    import colorsys

    hue = colorsys.rgb_to_hls(*mpl.colors.to_rgb(plots.HIGHLIGHT))[0]
    assert plots.HIGHLIGHT_MORE[0] == plots.HIGHLIGHT
    for c in plots.HIGHLIGHT_MORE:
        assert abs(colorsys.rgb_to_hls(*mpl.colors.to_rgb(c))[0] - hue) < 0.03, c
    assert len(set(plots.HIGHLIGHT_MORE)) == len(plots.HIGHLIGHT_MORE)


def test_paired_bars_labels_tell_close_values_apart():
    t = pd.DataFrame({"Key": [0.0016, 0.031], "all clients": [0.0021, 0.0312]}, index=["search", "social"])
    ax = plots.paired_bars(t)
    texts = [x.get_text() for x in ax.texts]
    assert "0.16%" in texts and "0.21%" in texts and "3.10%" in texts and "3.12%" in texts
    ax2 = plots.paired_bars(t, decimals=1)
    assert {x.get_text() for x in ax2.texts} == {"0.2%", "3.1%"}


def test_bar_by_category_highlight_label():
    s = pd.Series([3.0, 2.0, 1.0], index=["Spring sale", "Brand", "Other client"])
    ax = plots.bar_by_category(s, highlight=["Spring sale", "Brand"], highlight_label="the key client's campaigns")
    assert _legend_texts(ax)[0] == "the key client's campaigns"
    assert "key accounts" in _legend_texts(plots.bar_by_category(s, highlight=["Spring sale", "Brand"]))


def test_compare_account_vs_all_key_accounts_in_the_key_colour_others_grey():
    v = pd.DataFrame({"all clients": [0.02, 3.0], "Key": [0.01, 4.0], "Second": [0.03, 2.0],
                      "all other clients": [0.025, 2.5]}, index=["ctr", "roas"])
    fig = plots.compare_account_vs_all(v, units={"ctr": "ratio", "roas": "number"}, highlight=["Key", "Second"])
    colors = [to_hex(p.get_facecolor()) for p in fig.axes[0].patches]
    assert colors[1] == plots.HIGHLIGHT and colors[2] in plots.HIGHLIGHT_MORE
    grey = {to_hex(plots.GREY), "#6e6e6e", to_hex(plots.LIGHT_GREY)}
    assert colors[0] in grey and colors[3] in grey
    assert "#0173b2" not in colors  # no blue bar among accounts and references
    fig2 = plots.compare_account_vs_all(v[["all clients", "Key"]], highlight=())
    assert plots.HIGHLIGHT not in [to_hex(p.get_facecolor()) for p in fig2.axes[0].patches]


def test_mean_with_interval_grey_others_minimum_and_words():
    f = pd.DataFrame({"rate": [0.8, 0.5, 1.0, 0.7], "low": [0.6, 0.2, np.nan, 0.5], "high": [0.9, 0.8, np.nan, 0.85],
                      "count": [20, 12, 1, 2]}, index=["all clients", "Key", "Small", "Tiny"])
    ax = plots.mean_with_interval(f, mean="rate", count="count", highlight=["Key"], minimum=3, unit="ratio",
                                  limits=(0.0, 1.0), count_word="finished projects", mean_label="share on time")
    legend = _legend_texts(ax)
    assert legend[:2] == ["key account", "share on time"]
    assert "too few (fewer than 3 finished projects)" in legend
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert "Small\n(n = 1 finished project)" in ticks and "Tiny\n(n = 2 finished projects)" in ticks
    dots = [ln for ln in ax.get_lines() if ln.get_marker() == "o" and len(ln.get_xdata()) == 1]
    faces = {float(ln.get_xdata()[0]): to_hex(ln.get_markerfacecolor()) for ln in dots}
    assert faces[0.5] == plots.HIGHLIGHT and faces[0.8] == to_hex(plots.GREY)
    assert faces[1.0] == "#ffffff" and faces[0.7] == "#ffffff"  # below the minimum: hollow
    labels = [t.get_text() for t in ax.texts]
    assert sum("(too few)" in t for t in labels) == 2
    plain = plots.mean_with_interval(f, mean="rate", count="count", unit="ratio", limits=(0.0, 1.0))
    assert "mean" in _legend_texts(plain)


def test_rate_with_counts_marks_months_below_the_minimum():
    m = pd.DataFrame({"period": ["2025-01", "2025-02", "2025-03"], "csat": [0.9, 1.0, 0.7],
                      "responses": [10, 2, 8], "partial": [False, False, True]})
    fig = plots.rate_with_counts(m, "period", "csat", "responses", target=0.85, partial="partial", minimum=5,
                                 count_label="answers")
    top, bottom = fig.axes[0], fig.axes[1]
    assert "insufficient data (fewer than 5 answers)" in _legend_texts(top)
    assert "target 85.0%" in _legend_texts(top)
    faces = [to_hex(b.get_facecolor()) for b in bottom.containers[0]]
    assert faces[1] == to_hex(plots.LIGHT_GREY) and faces[0] != faces[1]
    assert any(ln.get_linestyle() == ":" and ln.get_ydata()[0] == 5 for ln in bottom.get_lines())
    fig2 = plots.rate_with_counts(m, "period", "csat", "responses", minimum=1)
    assert not any("insufficient" in t for t in _legend_texts(fig2.axes[0]))


def test_stacked_area_key_accounts_one_family_and_legend_title():
    mat = pd.DataFrame({"A": [5.0, 6.0], "B": [3.0, 3.0], "C": [1.0, 2.0], "D": [1.0, 1.0]},
                       index=pd.Index(["2025-01", "2025-02"], name="period"))
    ax = plots.stacked_area_by_account(mat, highlight=["A", "B"], top=3, legend_title="client")
    assert ax.get_legend().get_title().get_text() == "client"
    colors = [to_hex(p.get_facecolor()[:3]) for p in ax.collections[:2]]
    assert colors == [plots.HIGHLIGHT_MORE[0], plots.HIGHLIGHT_MORE[1]]


def test_segment_trends_vs_all_highlight_all():
    m = pd.DataFrame({"period": ["2025-01", "2025-02"], "ctr": [0.02, 0.03]})
    fig = plots.segment_trends_vs_all(m, None, None, ["ctr"], all_label="bank client", highlight_all=True)
    assert to_hex(fig.axes[0].get_lines()[0].get_color()) == plots.HIGHLIGHT
    fig2 = plots.segment_trends_vs_all(m, None, None, ["ctr"])
    assert to_hex(fig2.axes[0].get_lines()[0].get_color()) != plots.HIGHLIGHT


def test_pareto_chart_title_from_the_data_and_abc_legend(revenue):
    from kpi_helpers import display

    pareto = accounts.pareto_table(revenue)
    ax = plots.pareto_chart(pareto)
    title = ax.get_title().replace("\n", " ")  # long titles are wrapped to the figure's width
    assert title == display.abc_title(*accounts.abc_a_summary(pareto))
    n_a = accounts.abc_a_summary(pareto)[0]
    assert title.endswith("of revenue (ABC class A)") and title.startswith(f"{n_a} of 12 customers")
    legend = _legend_texts(ax)
    assert "ABC class A" in legend and "class A" not in legend
    assert plots.pareto_chart(pareto, title="Mine").get_title() == "Mine"


def test_smart_checker_uses_the_written_down_words():
    from kpi_helpers import scorecard

    w = widgets.smart_checker(scorecard.kpi_from_catalogue("csat", target=0.85, period="monthly"))
    assert "parts written down" in w.summary.value and "criteria met" not in w.summary.value



def test_long_titles_are_wrapped_to_the_figure():
    """Figures are saved at their own size: a title wider than the figure would be cut off."""
    long = "On-time rate by client with 95% intervals: 6 of 11 clients have fewer than 3 finished projects"
    ax = plots.bar_by_category(pd.Series([1.0, 2.0], index=["a", "b"]), title=long)
    assert "\n" in ax.get_title() and ax.get_title().replace("\n", " ") == long
    assert plots.bar_by_category(pd.Series([1.0], index=["a"]), title="Short").get_title() == "Short"
    fig = plots.segment_trends_vs_all(pd.DataFrame({"period": ["2025-01"], "ctr": [0.02]}), None, None, ["ctr"],
                                      title=long + " and more words to make it longer still")
    assert "\n" in fig.get_suptitle()
    assert plots.theme_rc()["savefig.bbox"] == "standard"


def test_reference_lines_are_not_drawn_as_targets(revenue):
    """Dashed dark lines mean "target"; thresholds, means and minimums are lighter and dotted."""
    ax = plots.histogram(pd.Series([1.0, 2.0, 3.0, 4.0]), vline={"mean": 2.5, "target": 3.0})
    lines = {str(ln.get_label()): ln for ln in ax.get_lines()}
    target = next(ln for lab, ln in lines.items() if lab.startswith("target"))
    assert to_hex(target.get_color()) == plots.TARGET_COLOR and target.get_linestyle() == "--"
    mean = next(ln for lab, ln in lines.items() if lab.startswith("mean"))
    assert to_hex(mean.get_color()) not in (plots.TARGET_COLOR, plots.HIGHLIGHT) and mean.get_linestyle() != "--"
    ax2 = plots.share_bar(revenue, threshold=0.1)
    thr = [ln for ln in ax2.get_lines() if "major customer" in str(ln.get_label())][0]
    assert thr.get_linestyle() != "--"


def test_line_axis_cut_above_zero_is_marked(monthly):
    frame = pd.DataFrame({"period": ["2025-01", "2025-02", "2025-03"], "csat": [0.62, 0.81, 0.93]})
    ax = plots.line_with_target(frame, "period", "csat", unit="ratio", target=0.85)
    assert ax.get_ylim()[0] > 0 and any(ln.get_gid() == "cut-axis" for ln in ax.get_lines())
    ax2 = plots.line_with_target(frame.assign(rev=[1e5, 2e5, 3e5]), "period", "rev", unit="currency")
    assert ax2.get_ylim()[0] == 0 and not any(ln.get_gid() == "cut-axis" for ln in ax2.get_lines())


def test_bar_by_category_counts_under_the_names():
    rates = pd.Series([2.1, 1.4], index=pd.Index(["Friday", "Sunday"], name="weekday"))
    ax = plots.bar_by_category(rates, unit="number", sort=False, horizontal=False,
                               counts=pd.Series({"Friday": 52, "Sunday": 1}), count_word="open days")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Friday\nn = 52", "Sunday\nn = 1"]
    assert ax.get_xlabel() == "weekday (n = open days)"
    ax2 = plots.bar_by_category(rates, unit="number", counts=[52, 1], count_word="open days")
    assert [t.get_text() for t in ax2.get_yticklabels()] == ["Friday\n(n = 52 open days)", "Sunday\n(n = 1 open day)"]


def test_value_labels_never_under_the_target_line():
    s = pd.Series([1.93, 1.2, 0.5], index=["a", "b", "c"])
    ax = plots.bar_by_category(s, unit="number", sort=False, horizontal=False, target=2.0)
    inside = [t for t in ax.texts if t.get_color() == "white"]
    assert [t.get_text() for t in inside] == ["1.93"]  # inside its bar, below the target line
    assert all(t.get_color() != "white" for t in ax.texts if t.get_text() in ("1.20", "0.50"))


def _outside_inches(fig) -> float:
    fig.canvas.draw()
    bb = fig.get_tightbbox(fig.canvas.get_renderer())
    return max(-bb.x0, -bb.y0, bb.x1 - fig.get_figwidth(), bb.y1 - fig.get_figheight())


def test_figures_fit_inside_their_own_size(revenue):
    """Saved at their own size (no "tight" box that grows): titles, legends and labels stay inside."""
    long = "On-time rate by client with 95% intervals: 6 of 11 clients have fewer than 3 finished projects"
    f = pd.DataFrame({"rate": [0.8, 0.5], "low": [0.6, 0.2], "high": [0.9, 0.8], "count": [20, 2]},
                     index=["whole firm", "Bakke & Sønner Entreprenør AS (too few)"])
    figs = [
        plots.mean_with_interval(f, mean="rate", count="count", highlight=["whole firm"], minimum=3, unit="ratio",
                                 limits=(0.0, 1.0), count_word="finished projects", title=long).figure,
        plots.pareto_chart(accounts.pareto_table(revenue), highlight=["Acme AS"]).figure,
        plots.segment_trends_vs_all(pd.DataFrame({"period": ["2025-01", "2025-02"], "ctr": [0.02, 0.03]}), None, None,
                                    ["ctr"], title=long + ", months at or above target: CTR 1 of 2"),
    ]
    for fig in figs:
        assert _outside_inches(fig) < 0.02


# ------------------------------------------------------------------------------------------------
# the notebooks' PNGs (plots.figure_png)
# ------------------------------------------------------------------------------------------------
def _png_image(data: bytes):
    import io

    from PIL import Image

    return Image.open(io.BytesIO(data))


def test_figure_png_is_one_indexed_colour_picture_of_the_figure():
    import matplotlib.pyplot as plt

    def chart():
        fig, ax = plt.subplots(figsize=(4, 2), layout="constrained")
        ax.bar(["a", "b"], [1, 2], color=[plots.HIGHLIGHT, plots.GREY])
        ax.set_title("Andel av inntekten")
        return fig

    first, second = chart(), chart()
    try:
        png = plots.figure_png(first)
        assert png == plots.figure_png(second), "the same figure gives the same bytes"
        image = _png_image(png)
        assert image.mode == "P" and image.size == (400, 200), "indexed colour, at the figure's own size"
        colours = {rgb for _, rgb in image.convert("RGB").getcolors(maxcolors=1 << 16)}
        highlight = tuple(int(plots.HIGHLIGHT.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))
        assert highlight in colours, "flat colours are kept exactly"
    finally:
        plt.close(first)
        plt.close(second)


def test_figure_png_keeps_full_colour_for_a_colour_scale_and_nothing_for_an_empty_figure():
    import matplotlib.pyplot as plt
    import numpy as np

    fig, ax = plt.subplots(figsize=(3, 2))
    mesh = ax.pcolormesh(np.arange(12.0).reshape(3, 4), cmap="Blues")
    fig.colorbar(mesh)
    empty = plt.figure()
    try:
        assert _png_image(plots.figure_png(fig)).mode == "RGB", "a gradient is not cut to 256 colours"
        assert plots.figure_png(empty) is None
    finally:
        plt.close(fig)
        plt.close(empty)
