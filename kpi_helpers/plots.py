"""Figures a manager would put on a slide: seaborn/matplotlib, one function per chart type.

Rules every function here follows

* it returns the matplotlib ``Axes`` it drew on (``Figure`` for multi-panel charts), takes an
  optional ``ax=`` to draw into an existing layout, and never calls ``plt.show()``;
* it draws in the project style (seaborn "whitegrid", a colour-blind-safe palette, readable
  fonts, 9 x 4.5 inch figures at 100 dpi, constrained layout so nothing is clipped) inside a
  temporary ``rc_context``: importing this module or calling a plotting function never changes
  ``matplotlib.rcParams``. Call :func:`use_style` explicitly to get the same look for your own
  ad-hoc plots;
* titles and axis labels always say the unit; money is shown as ``NOK 1.2M`` / ``NOK 350k``
  (:func:`currency_formatter`), ratios as percentages (:func:`percent_formatter`); every number,
  unit and name on a figure is :mod:`kpi_helpers.display`'s text (money in its compact form);
* key accounts are drawn in one strong colour (:data:`HIGHLIGHT`), everything else in grey;
* target lines are dashed and labelled ``target 3.0%``; partial months are drawn lighter and
  hatched (bars) or hollow and dashed (lines), with a legend note;
* NaN (and inf) values are simply not drawn; there is no random jitter, so a figure is the same
  on every run;
* text that comes from data (customer names with ``æøå``, ``&``, ``<``, ``>``, ``$``) is shown
  verbatim: mathtext and TeX interpretation are switched off on those labels.

Legends are placed outside the plotting area (to the right), so they never cover data.
"""
from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from . import display

__all__ = [
    "finite_values",
    "PALETTE", "PRIMARY", "HIGHLIGHT", "GREY", "LIGHT_GREY", "TARGET_COLOR", "FIGSIZE", "UNITS",
    "theme_rc", "use_style", "style_context",
    "currency_formatter", "percent_formatter",
    "line_with_target", "bar_by_category", "stacked_area_by_account", "pareto_chart", "share_bar",
    "score_contributions", "portfolio_chart", "compare_account_vs_all", "heatmap", "histogram",
    "ratio_of_sums_vs_mean",
]

# ---------------------------------------------------------------------------------------------
# style
# ---------------------------------------------------------------------------------------------

#: seaborn's "colorblind" palette (Okabe-Ito-like), fixed here so figures never depend on state.
PALETTE: tuple[str, ...] = (
    "#0173b2", "#de8f05", "#029e73", "#d55e00", "#cc78bc",
    "#ca9161", "#fbafe4", "#949494", "#ece133", "#56b4e9",
)
#: Colour of the main series when nothing is highlighted.
PRIMARY = "#0173b2"
#: The key account's colour (vermillion: strong, and distinct from blue for colour-blind readers).
HIGHLIGHT = "#d55e00"
#: Second and further highlighted accounts.
HIGHLIGHT_MORE: tuple[str, ...] = ("#d55e00", "#0173b2", "#029e73", "#cc78bc", "#de8f05")
#: Everything that is not highlighted.
GREY = "#a6a6a6"
#: The "Other" bucket and partial periods.
LIGHT_GREY = "#d9d9d9"
#: Target lines.
TARGET_COLOR = "#222222"
#: Default figure size in inches (a slide-friendly 2:1).
FIGSIZE = (9.0, 4.5)
#: Units the plotting functions understand.
UNITS = ("currency", "ratio", "count", "days", "score", "index", "number")

_PERIOD_RE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")
_MAX_TICK_LABELS = 12


def theme_rc() -> dict[str, Any]:
    """The project's rcParams: seaborn "whitegrid" + colour-blind palette + readable sizes.

    Returns a new dict; nothing global is changed.
    """
    rc: dict[str, Any] = {}
    rc.update(sns.axes_style("whitegrid"))
    rc.update(sns.plotting_context("notebook"))
    rc.update({
        "axes.prop_cycle": mpl.cycler(color=list(PALETTE)),
        "font.sans-serif": ["DejaVu Sans", "Liberation Sans", "Arial", "sans-serif"],
        "font.size": 11,
        "axes.titlesize": 13,
        "axes.titleweight": "bold",
        "axes.labelsize": 11,
        "xtick.labelsize": 10,
        "ytick.labelsize": 10,
        "legend.fontsize": 10,
        "legend.title_fontsize": 10,
        "legend.frameon": False,
        "figure.titlesize": 14,
        "figure.titleweight": "bold",
        "figure.figsize": FIGSIZE,
        "figure.dpi": 100,
        "savefig.dpi": 100,
        "savefig.bbox": "tight",
        "axes.spines.top": False,
        "axes.spines.right": False,
        "text.usetex": False,
        "hatch.color": "#7f7f7f",
    })
    return rc


def use_style() -> None:
    """Set the project style globally (explicit opt-in; importing this module never does).

    The plotting functions use the style anyway; call this so that your own ad-hoc plots in a
    notebook (``df.plot()``, ``sns.lineplot``) look the same.
    """
    mpl.rcParams.update(theme_rc())


@contextlib.contextmanager
def style_context() -> Iterator[None]:
    """Context manager: the project style inside, rcParams restored afterwards."""
    with mpl.rc_context(theme_rc()):
        yield


# ---------------------------------------------------------------------------------------------
# formatting
# ---------------------------------------------------------------------------------------------

def currency_formatter(currency: str = "NOK") -> FuncFormatter:
    """A tick formatter showing money as ``NOK 1.2M`` / ``NOK 350k`` (``display.format_value``, compact).

    >>> currency_formatter()(1_200_000), currency_formatter("NOK")(350_000)
    ('NOK 1.2M', 'NOK 350k')
    """
    return FuncFormatter(lambda x, pos=None: display.format_value(x, "currency", currency=currency, compact=True))


def percent_formatter(decimals: int = 0) -> FuncFormatter:
    """A tick formatter showing a ratio (fraction) as a percentage: 0.034 -> ``3.4%`` (decimals=1).

    >>> percent_formatter(1)(0.034), percent_formatter()(0.25)
    ('3.4%', '25%')
    """
    return FuncFormatter(lambda x, pos=None: display.format_value(x, "ratio", decimals=decimals))


def _chart_value(value: Any, unit: str, currency: str, decimals: int | None = None) -> str:
    """A value on a figure: :func:`kpi_helpers.display.format_value`, money in its compact form."""
    return display.format_value(value, unit, currency=currency, decimals=decimals, compact=True)


def _tick_number(x: float, decimals: int | None = None) -> str:
    """A plain-number tick label ("" where there is no number)."""
    return display.format_value(x, "number", decimals=decimals) if math.isfinite(x) else ""


def _label_with_unit(name: Any, unit: str, currency: str) -> str:
    u = display.unit_label(unit, currency)
    return f"{display.label(name)} ({u})" if u and u != "number" else display.label(name)


class _PercentTickFormatter(mpl.ticker.Formatter):
    """Percent tick labels with as many decimals as the tick spacing needs (at least ``decimals``).

    Ticks 2.5 % apart are labelled ``52.5%``, never a rounded ``52%`` next to ``55%``.
    """

    def __init__(self, decimals: int = 0) -> None:
        self.decimals = decimals
        self._ticks: list[float] = []

    def set_locs(self, locs: Any) -> None:
        super().set_locs(locs)
        self._ticks = [float(v) for v in locs]

    def _needed(self) -> int:
        locs = [v * 100 for v in self._ticks if math.isfinite(v)]
        for d in range(self.decimals, 4):
            if all(abs(round(v, d) - v) < 1e-6 * max(1.0, abs(v)) for v in locs):
                return d
        return max(self.decimals, 3)

    def __call__(self, x: float, pos: Any = None) -> str:
        return percent_formatter(self._needed())(x, pos)


def _axis_formatter(unit: str, currency: str, values: Any = None) -> Any:
    if unit == "currency":
        return currency_formatter(currency)
    if unit == "ratio":
        return _PercentTickFormatter(_pct_decimals(values))
    if unit in ("count", "days", "index"):
        return FuncFormatter(lambda x, pos=None: _tick_number(x, 0))
    if unit in ("score", "number"):
        d = _num_decimals(values)
        return FuncFormatter(lambda x, pos=None: _tick_number(x, d))
    return None


def _finite_array(values: Any) -> np.ndarray:
    """The finite numbers among ``values`` (anything array-like, or None) as a flat float array."""
    if values is None:
        return np.array([], dtype=float)
    v = np.asarray(pd.to_numeric(pd.Series(np.ravel(np.asarray(values, dtype=object))), errors="coerce"),
                   dtype=float)
    return v[np.isfinite(v)]


def _num_decimals(values: Any) -> int:
    """Decimals for plain-number ticks: the same on every tick, enough for the data's spread."""
    v = _finite_array(values)
    if v.size == 0:
        return 1
    span = float(np.max(v) - np.min(v)) or float(np.max(np.abs(v)))
    return 2 if span < 0.5 else 1 if span < 5 else 0


def _pct_decimals(values: Any) -> int:
    """0 decimals for percentages that span a wide range, 1 for a narrow one (e.g. CTR 1-3 %)."""
    v = _finite_array(values)
    if v.size == 0:
        return 0
    span = max(float(np.max(np.abs(v))), float(np.max(v) - np.min(v)))
    return 1 if span < 0.1 else 0


def _apply_unit_axis(axis: Any, unit: str, currency: str, values: Any = None) -> None:
    fmt = _axis_formatter(unit, currency, values)
    if fmt is not None:
        axis.set_major_formatter(fmt)
    if unit == "count":
        axis.set_major_locator(MaxNLocator(integer=True))
    elif unit == "currency" and axis.axis_name == "x":
        # "NOK 350k" is wide: at most ~6 ticks side by side, so they never touch
        axis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]))


# ---------------------------------------------------------------------------------------------
# small shared pieces
# ---------------------------------------------------------------------------------------------

def _plain(texts: Iterable[Any]) -> None:
    """Show text verbatim: no mathtext (``$...$``) and no TeX on these Text objects."""
    for t in texts:
        t.set_parse_math(False)
        t.set_usetex(False)


_PLAIN = {"parse_math": False, "usetex": False}
#: A white backing for value labels, so a target line crossing them does not hide digits.
_LABEL_BOX = {"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.9}


def _new_ax(ax: Axes | None, figsize: tuple[float, float] = FIGSIZE) -> Axes:
    if ax is not None:
        return ax
    _, new = plt.subplots(figsize=figsize, layout="constrained")
    return new


def finite_values(values: Any) -> pd.Series:
    """Numbers as a float Series with inf/-inf (and anything non-numeric) turned into NaN."""
    s = pd.Series(values) if not isinstance(values, pd.Series) else values
    s = pd.to_numeric(s, errors="coerce").astype(float)
    return s.where(np.isfinite(s.to_numpy()))


def _as_set(highlight: Any) -> list[Any]:
    if highlight is None:
        return []
    if isinstance(highlight, (str, bytes)) or not isinstance(highlight, Iterable):
        return [highlight]
    return list(highlight)


def _is_highlighted(name: Any, highlight: Sequence[Any]) -> bool:
    return any(name == h or str(name) == str(h) for h in highlight)


def _label_text(value: Any) -> str:
    """A category label as text (timestamps as dates, periods as ``YYYY-MM``)."""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m") if value.day == 1 and value == value.normalize() else value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _set_category_ticks(axis: Any, positions: Sequence[float], labels: Sequence[str], *,
                        rotate: bool | None = None, thin: bool | None = None) -> None:
    """Category tick labels, shown verbatim; periods thinned to at most 12, long ones rotated."""
    positions, labels = list(positions), [str(x) for x in labels]
    n = len(labels)
    if thin is None:
        thin = n > _MAX_TICK_LABELS and all(_PERIOD_RE.match(x) for x in labels)
    if thin and n > _MAX_TICK_LABELS:
        step = math.ceil(n / _MAX_TICK_LABELS)
        keep = sorted(range(n - 1, -1, -step))  # always show the last period
        positions = [positions[i] for i in keep]
        labels = [labels[i] for i in keep]
    axis.set_ticks(positions, labels=labels)
    ticklabels = axis.get_ticklabels()
    _plain(ticklabels)
    if axis.axis_name == "x":
        if rotate is None:
            longest = max((len(x) for x in labels), default=0)
            rotate = len(labels) * max(longest, 4) > 70
        if rotate:
            for t in ticklabels:
                t.set_rotation(45)
                t.set_horizontalalignment("right")
                t.set_rotation_mode("anchor")


def _legend_outside(ax: Axes, handles: Sequence[Any] | None = None, labels: Sequence[str] | None = None,
                    **kw: Any) -> Any:
    """A legend to the right of the axes (never over the data); texts shown verbatim."""
    if handles is None:
        handles, labels = ax.get_legend_handles_labels()
    if not handles:
        return None
    leg = ax.legend(list(handles), [str(x) for x in labels], loc="upper left", bbox_to_anchor=(1.01, 1.0),
                    borderaxespad=0.0, **kw)
    _plain(leg.get_texts())
    if leg.get_title() is not None:
        _plain([leg.get_title()])
    return leg


def _sentence(text: str) -> str:
    """Default titles start with a capital letter ("mom growth by period" -> "Mom growth by period")."""
    return text[:1].upper() + text[1:] if text else text


def _titles(ax: Axes, title: str | None, xlabel: str | None, ylabel: str | None) -> None:
    if title is not None:
        ax.set_title(title, **_PLAIN)
    if xlabel is not None:
        ax.set_xlabel(xlabel, **_PLAIN)
    if ylabel is not None:
        ax.set_ylabel(ylabel, **_PLAIN)


def _target_label(target: float, unit: str, currency: str) -> str:
    return f"target {_chart_value(target, unit, currency)}"


def _short_value(value: float, unit: str, currency: str) -> str:
    """Value labels on bars: currency without the currency code (it is in the axis label)."""
    return _chart_value(value, unit, "" if unit == "currency" else currency)


def _partial_mask(partial: Any, frame: pd.DataFrame | None, index: pd.Index) -> np.ndarray:
    """A boolean array for ``partial`` given as a column name, a Series (aligned) or a sequence."""
    if partial is None:
        return np.zeros(len(index), dtype=bool)
    if isinstance(partial, str):
        if frame is None or partial not in frame.columns:
            raise KeyError(f"partial column {partial!r} not found")
        vals = frame[partial]
    elif isinstance(partial, pd.Series) and partial.index.equals(index):
        vals = partial
    elif isinstance(partial, pd.Series) and len(partial.index.intersection(index)) == len(index):
        vals = partial.reindex(index)
    else:
        vals = pd.Series(list(partial))
        if len(vals) != len(index):
            raise ValueError(f"partial has {len(vals)} values for {len(index)} periods")
    return np.asarray(pd.Series(vals).fillna(False).astype(bool), dtype=bool)


_PARTIAL_NOTE = "partial month (incomplete data)"


def _no_data(ax: Axes, message: str = "no data to show") -> None:
    ax.text(0.5, 0.5, message, transform=ax.transAxes, ha="center", va="center", color="0.4", **_PLAIN)


# ---------------------------------------------------------------------------------------------
# line with target
# ---------------------------------------------------------------------------------------------

def line_with_target(
    frame: pd.DataFrame,
    x: str,
    y: str | Sequence[str],
    *,
    target: float | None = None,
    unit: str = "currency",
    title: str | None = None,
    ylabel: str | None = None,
    xlabel: str | None = None,
    partial: str | Sequence[bool] | None = None,
    labels: Sequence[str] | None = None,
    highlight: Sequence[str] | str = (),
    currency: str = "NOK",
    ax: Axes | None = None,
) -> Axes:
    """A KPI over time (one or more lines) against a dashed, labelled target line.

    Parameters
    ----------
    frame : DataFrame
        One row per period (e.g. ``analyse(...).frames["monthly"]``).
    x : str
        The period column (``YYYY-MM`` strings or dates); drawn as evenly spaced categories,
        with at most 12 labels (the last period always labelled).
    y : str or list of str
        The KPI column(s). NaN / inf values are not drawn (the line breaks there).
    target : float, optional
        Drawn as a dashed line labelled ``target 3.0%`` (in the KPI's unit).
    unit : {"currency", "ratio", "count", "days", "score", "index", "number"}
        Tick and label formatting; ratios are fractions shown as percentages.
    partial : str or sequence of bool, optional
        Column (or mask) flagging partial months: drawn hollow and dashed, with a legend note.
    labels : list of str, optional
        Legend names of the ``y`` columns (default: the column names).
    highlight : str or list of str
        ``y`` columns to draw in the key-account colour (others grey); default: palette colours.

    Returns
    -------
    matplotlib.axes.Axes
    """
    ys = [y] if isinstance(y, str) else list(y)
    names = list(labels) if labels is not None else [display.label(c) for c in ys]
    hl = _as_set(highlight)
    with style_context():
        ax = _new_ax(ax)
        n = len(frame)
        pos = np.arange(n, dtype=float)
        mask = _partial_mask(partial, frame, frame.index)
        all_vals = []
        for i, (col, name) in enumerate(zip(ys, names)):
            v = finite_values(frame[col]).to_numpy()
            all_vals.append(v)
            if hl:
                color = HIGHLIGHT_MORE[[str(h) for h in hl].index(str(col)) % len(HIGHLIGHT_MORE)] \
                    if _is_highlighted(col, hl) else GREY
            else:
                color = PALETTE[i % len(PALETTE)]
            lw = 2.4 if (not hl or _is_highlighted(col, hl)) else 1.6
            complete = np.where(mask, np.nan, v)
            if mask.any():
                ax.plot(pos, v, color=color, lw=lw * 0.7, ls="--", alpha=0.6, zorder=2)
            ax.plot(pos, complete, color=color, lw=lw, marker="o", ms=4, label=name, zorder=3)
            if mask.any():
                ax.plot(pos[mask], v[mask], ls="none", marker="o", ms=6, mfc="white", mec=color, mew=1.5,
                        zorder=4)
        handles, leg_labels = ax.get_legend_handles_labels()
        if target is not None and math.isfinite(float(target)):
            line = ax.axhline(float(target), color=TARGET_COLOR, ls="--", lw=1.5, zorder=2,
                              label=_target_label(float(target), unit, currency))
            handles.append(line)
            leg_labels.append(line.get_label())
        if mask.any():
            handles.append(Line2D([], [], ls="--", color="0.4", marker="o", mfc="white", mec="0.4"))
            leg_labels.append(_PARTIAL_NOTE)
        vals = np.concatenate(all_vals) if all_vals else np.array([])
        _apply_unit_axis(ax.yaxis, unit, currency, vals)
        finite = vals[np.isfinite(vals)]
        if unit in ("currency", "count") and finite.size and finite.min() >= 0:
            ax.set_ylim(bottom=0)
        if finite.size and finite.min() < 0 < finite.max():
            ax.axhline(0.0, color="0.3", lw=0.9, zorder=1)
        if n:
            ax.set_xlim(-0.5, n - 0.5)
            _set_category_ticks(ax.xaxis, pos, [_label_text(v) for v in frame[x]])
        if not finite.size:
            _no_data(ax)
        default_y = _label_with_unit(ys[0] if len(ys) == 1 else "value", unit, currency)
        _titles(ax, title if title is not None
                else _sentence(display.label(ys[0] if len(ys) == 1 else "KPIs") + " by period"),
                xlabel if xlabel is not None else display.label(x), ylabel if ylabel is not None else default_y)
        if len(ys) > 1 or len(handles) > len(ys):
            _legend_outside(ax, handles, leg_labels)
    return ax


# ---------------------------------------------------------------------------------------------
# bars by category
# ---------------------------------------------------------------------------------------------

def _order_and_trim(s: pd.Series, *, sort: bool, top: int | None, highlight: Sequence[Any], additive: bool,
                    other_label: str) -> tuple[pd.Series, int, bool]:
    """Sort descending (ties by name), keep ``top`` (highlighted always kept), tail -> Other.

    Returns the trimmed series, the number of categories before trimming and whether an
    ``other_label`` bar was added.
    """
    n_total = len(s)
    if sort:
        vals = s.to_numpy(dtype=float)
        order = sorted(range(len(s)), key=lambda i: (
            bool(np.isnan(vals[i])), -(vals[i] if not np.isnan(vals[i]) else 0.0), str(s.index[i])))
        s = s.iloc[order]
    other_added = False
    if top is not None and top > 0 and len(s) > top:
        names = list(s.index)
        keep = names[:top]
        for nm in [nm for nm in names[top:] if _is_highlighted(nm, highlight)]:
            # the key account is always shown: it replaces the lowest non-highlighted bar
            for j in range(len(keep) - 1, -1, -1):
                if not _is_highlighted(keep[j], highlight):
                    keep.pop(j)
                    break
            keep.append(nm)
        keep_set = set(keep)
        flags = [nm in keep_set for nm in names]
        kept = s[flags]
        rest = s[[not f for f in flags]]
        if additive and len(rest):
            other = pd.Series([rest.sum(min_count=1)], index=pd.Index([other_label], dtype=object))
            kept = pd.concat([pd.Series(kept.to_numpy(), index=pd.Index(list(kept.index), dtype=object)), other])
            other_added = True
        s = kept
    return s, n_total, other_added


def bar_by_category(
    data: pd.Series | pd.DataFrame,
    *,
    highlight: Sequence[Any] | Any = (),
    unit: str = "currency",
    title: str | None = None,
    target: float | None = None,
    horizontal: bool = True,
    top: int | None = None,
    other_label: str = "Other",
    value_label: str | None = None,
    category_label: str | None = None,
    sort: bool = True,
    additive: bool | None = None,
    partial: str | Sequence[bool] | None = None,
    value_labels: bool = True,
    currency: str = "NOK",
    ax: Axes | None = None,
) -> Axes:
    """Bars per category (customer, channel, month...), the key account(s) in the strong colour.

    Parameters
    ----------
    data : Series or DataFrame
        Values indexed by category. A DataFrame with several value columns gives grouped bars
        (one colour per column; highlighted categories then get a bold, coloured label).
    highlight : name or list of names
        Categories drawn in :data:`HIGHLIGHT`; the others grey. Without highlight all bars are blue.
    unit : str
        ``currency``, ``ratio``, ``count``, ``days``, ``score``, ``index`` or ``number``.
    title : str, optional
        Default: "<value> by <category>".
    target : float, optional
        Dashed target line labelled ``target ...``.
    horizontal : bool
        Horizontal bars (long names readable), largest at the top.
    top : int, optional
        Show the ``top`` largest; the rest are summed into ``other_label`` when the unit adds up
        (``additive``, default True for currency and count), else left out. The category axis
        label says "top N of M". Highlighted categories are always shown.
    value_label, category_label : str, optional
        Axis labels (default: the value name with its unit; the index name).
    sort : bool
        Sort descending (ties by name); False keeps the given order (e.g. months).
    partial : column name or boolean sequence, optional
        Categories (months) with incomplete data: drawn lighter and hatched, with a legend note.
    value_labels : bool
        Write each value at the end of its bar (up to 25 bars).

    Returns
    -------
    matplotlib.axes.Axes
    """
    hl = _as_set(highlight)
    if additive is None:
        additive = unit in ("currency", "count")
    frame = data.to_frame() if isinstance(data, pd.Series) else data
    pm_all = _partial_mask(partial, frame, frame.index)
    if isinstance(partial, str):
        frame = frame.drop(columns=[partial])
    partial_of = {str(c): bool(f) for c, f in zip(frame.index, pm_all)}
    value_cols = list(frame.columns)
    grouped = len(value_cols) > 1
    values = frame.apply(finite_values)
    values.index = pd.Index(list(frame.index), dtype=object)
    ordered, n_total, other_added = _order_and_trim(
        values.iloc[:, 0] if len(value_cols) else pd.Series(dtype=float), sort=sort, top=top, highlight=hl,
        additive=additive and not grouped, other_label=other_label)
    cats = list(ordered.index)
    if grouped:
        df = values.loc[cats]
    else:
        df = pd.DataFrame({value_cols[0] if value_cols else "value": ordered.to_numpy(dtype=float)},
                          index=pd.Index(cats, dtype=object))
    is_other = [other_added and i == len(cats) - 1 for i in range(len(cats))]
    pmask = np.array([partial_of.get(str(c), False) and not o for c, o in zip(cats, is_other)], dtype=bool)
    with style_context():
        ax = _new_ax(ax)
        n = len(cats)
        pos = np.arange(n, dtype=float)
        k = max(len(df.columns), 1)
        width = 0.8 / k
        draw = ax.barh if horizontal else ax.bar
        handles: list[Any] = []
        labels: list[str] = []
        show_values = value_labels and n * k <= 25
        for j, col in enumerate(df.columns):
            vals = df[col].to_numpy(dtype=float)
            offs = pos + (j - (k - 1) / 2) * width
            if grouped:
                colors = [PALETTE[j % len(PALETTE)]] * n
            else:
                base = HIGHLIGHT if hl else PRIMARY
                colors = [LIGHT_GREY if o else (base if (not hl or _is_highlighted(c, hl)) else GREY)
                          for c, o in zip(cats, is_other)]
            heights = np.where(np.isfinite(vals), vals, 0.0)
            bars = draw(offs, heights, width * 0.9, color=colors, edgecolor="white", linewidth=0.8, zorder=3)
            for b, is_p, v in zip(bars, pmask, vals):
                if not np.isfinite(v):
                    b.set_visible(False)
                if is_p:
                    b.set_alpha(0.45)
                    b.set_hatch("///")
            if grouped:
                handles.append(Patch(color=PALETTE[j % len(PALETTE)]))
                labels.append(display.label(col))
            if show_values:
                for o, v in zip(offs, vals):
                    txt = _short_value(v, unit, currency)
                    at = v if np.isfinite(v) else 0.0
                    if horizontal:
                        ax.annotate(txt, (at, o), xytext=(4 if at >= 0 else -4, 0), textcoords="offset points",
                                    va="center", ha="left" if at >= 0 else "right", fontsize=9, color="0.25",
                                    bbox=_LABEL_BOX, zorder=5, **_PLAIN)
                    else:
                        ax.annotate(txt, (o, at), xytext=(0, 3 if at >= 0 else -3), textcoords="offset points",
                                    va="bottom" if at >= 0 else "top", ha="center", fontsize=9, color="0.25",
                                    bbox=_LABEL_BOX, zorder=5, **_PLAIN)
        val_axis = ax.xaxis if horizontal else ax.yaxis
        cat_axis = ax.yaxis if horizontal else ax.xaxis
        _apply_unit_axis(val_axis, unit, currency, df.to_numpy())
        if n:
            _set_category_ticks(cat_axis, pos, [_label_text(c) for c in cats])
        for t, c, o in zip(cat_axis.get_ticklabels(), cats, is_other):
            if hl and not o and _is_highlighted(c, hl):
                t.set_fontweight("bold")
                if grouped:
                    t.set_color(HIGHLIGHT)
        if horizontal:
            if n:
                ax.set_ylim(n - 0.5, -0.5)
            ax.grid(False, axis="y")
        else:
            if n:
                ax.set_xlim(-0.5, n - 0.5)
            ax.grid(False, axis="x")
        vals_all = df.to_numpy(dtype=float)
        finite = vals_all[np.isfinite(vals_all)]
        has_target = target is not None and math.isfinite(float(target))
        if finite.size:
            lo, hi = min(0.0, float(finite.min())), max(0.0, float(finite.max()))
            if has_target:
                lo, hi = min(lo, float(target)), max(hi, float(target))
            pad = (hi - lo) * (0.16 if show_values else 0.05) or 1.0
            (ax.set_xlim if horizontal else ax.set_ylim)(lo - (pad if lo < 0 else 0), hi + (pad if hi > 0 else 0))
            if lo < 0:  # a baseline, so negative bars read as negative
                (ax.axvline if horizontal else ax.axhline)(0.0, color="0.3", lw=0.9, zorder=2)
        if has_target:
            line_fn = ax.axvline if horizontal else ax.axhline
            line = line_fn(float(target), color=TARGET_COLOR, ls="--", lw=1.5, zorder=4,
                           label=_target_label(float(target), unit, currency))
            handles.append(line)
            labels.append(line.get_label())
        if pmask.any():
            handles.append(Patch(facecolor=GREY if (hl or grouped) else PRIMARY, alpha=0.45, hatch="///",
                                 edgecolor="white"))
            labels.append(_PARTIAL_NOTE)
        if hl and not grouped and any(_is_highlighted(c, hl) for c in cats):
            handles.insert(0, Patch(color=HIGHLIGHT))
            labels.insert(0, "key account" if len(hl) == 1 else "key accounts")
        if not finite.size:
            _no_data(ax)
        name = value_cols[0] if len(value_cols) == 1 else "value"
        vlabel = value_label if value_label is not None else _label_with_unit(name, unit, currency)
        clabel = category_label if category_label is not None else (
            display.label(frame.index.name) if frame.index.name is not None else "category")
        shown = n - (1 if other_added else 0)
        if shown < n_total:
            clabel = f"{clabel} (top {shown} of {n_total}" + (f"; the rest in {other_label})" if other_added else ")")
        _titles(ax, title if title is not None
                else _sentence(f"{display.label(name)} by {display.label(frame.index.name or 'category')}"),
                vlabel if horizontal else clabel, clabel if horizontal else vlabel)
        if handles:
            _legend_outside(ax, handles, labels)
    return ax


# ---------------------------------------------------------------------------------------------
# stacked area
# ---------------------------------------------------------------------------------------------

def _greys(n: int) -> list[str]:
    if n <= 0:
        return []
    levels = np.linspace(0.35, 0.72, n) if n > 1 else np.array([0.5])
    return [mpl.colors.to_hex((lv, lv, lv)) for lv in levels]


def stacked_area_by_account(
    matrix: pd.DataFrame,
    *,
    highlight: Sequence[Any] | Any = (),
    top: int = 5,
    currency: str = "NOK",
    title: str | None = None,
    other_label: str = "Other",
    partial: Sequence[bool] | pd.Series | None = None,
    ylabel: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Revenue per period stacked by account: the key accounts at the bottom, the tail as "Other".

    Parameters
    ----------
    matrix : DataFrame
        Period x account revenue (e.g. ``frames["revenue_by_month"]``). NaN counts as 0.
    highlight : name or list of names
        Key accounts: strong colours, drawn at the bottom of the stack, always shown.
    top : int
        How many accounts are shown by name (highlighted ones included); the rest are summed
        into ``other_label``.
    partial : boolean sequence or Series (aligned with the periods), optional
        Partial periods are shaded and hatched, with a legend note.

    Returns
    -------
    matplotlib.axes.Axes
    """
    hl = [h for h in _as_set(highlight) if any(_is_highlighted(c, [h]) for c in matrix.columns)]
    # vectorised for wide matrices (thousands of customers): per-column finite_values took seconds
    num = matrix.astype(float) if all(pd.api.types.is_numeric_dtype(t) for t in matrix.dtypes) \
        else matrix.apply(finite_values)
    m = num.where(np.isfinite(num.to_numpy())).fillna(0.0)
    totals = m.sum(axis=0)
    order = sorted(m.columns, key=lambda c: (-totals[c], str(c)))
    key_cols = [c for h in hl for c in order if _is_highlighted(c, [h])]
    key_cols = list(dict.fromkeys(key_cols))
    rest = [c for c in order if c not in key_cols]
    n_named = max(int(top) - len(key_cols), 0)
    named = rest[:n_named]
    tail = rest[n_named:]
    series = [m[c].to_numpy() for c in key_cols + named]
    names = [str(c) for c in key_cols + named]
    colors = [HIGHLIGHT_MORE[i % len(HIGHLIGHT_MORE)] for i in range(len(key_cols))]
    if key_cols:
        colors += _greys(len(named))
    else:
        colors += [PALETTE[i % len(PALETTE)] for i in range(len(named))]
    if tail:
        series.append(m[tail].sum(axis=1).to_numpy())
        names.append(other_label)
        colors.append(LIGHT_GREY)
    with style_context():
        ax = _new_ax(ax)
        n = len(m)
        pos = np.arange(n, dtype=float)
        if series and n:
            polys = ax.stackplot(pos, np.vstack(series), colors=colors, edgecolor="white", linewidth=0.6,
                                 zorder=2)
        else:
            polys = []
            _no_data(ax)
        handles: list[Any] = list(polys)[::-1]
        labels: list[str] = names[::-1]
        mask = _partial_mask(partial, None, m.index) if partial is not None else np.zeros(n, bool)
        for i in np.flatnonzero(mask):
            ax.axvspan(i - 0.5 if i > 0 else i, i + 0.5 if i < n - 1 else i, facecolor="white", alpha=0.55,
                       hatch="///", edgecolor="0.5", lw=0, zorder=3)
        if mask.any():
            handles.append(Patch(facecolor="white", hatch="///", edgecolor="0.5"))
            labels.append(_PARTIAL_NOTE)
        if n:
            ax.set_xlim(0, max(n - 1, 1))
            _set_category_ticks(ax.xaxis, pos, [_label_text(v) for v in m.index])
        ax.set_ylim(bottom=0)
        _apply_unit_axis(ax.yaxis, "currency", currency)
        _titles(ax, title if title is not None else "Revenue by account",
                display.label(m.index.name) if m.index.name is not None else "period",
                ylabel if ylabel is not None else f"revenue ({currency})")
        _legend_outside(ax, handles, labels, title="account")
    return ax


# ---------------------------------------------------------------------------------------------
# Pareto / shares / scores / portfolio
# ---------------------------------------------------------------------------------------------

_ABC_GREYS = {"A": "#6e6e6e", "B": "#a6a6a6", "C": "#d0d0d0"}


def pareto_chart(
    pareto: pd.DataFrame,
    *,
    a: float = 0.8,
    b: float = 0.95,
    highlight: Sequence[Any] | Any = (),
    top: int = 30,
    currency: str = "NOK",
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Pareto chart: revenue bars by customer (largest first) and the cumulative share on a twin axis.

    Bars are shaded by ABC class (A dark, B mid, C light grey), key accounts in the strong colour;
    dashed lines mark the A and B thresholds (``a``, ``b``) on the cumulative axis (0-100 %).

    Parameters
    ----------
    pareto : DataFrame
        Columns ``customer, revenue, cum_share, abc_class`` (``accounts.pareto_table``), sorted
        by revenue descending.
    top : int
        At most this many customers are drawn (the x label says "top N of M").

    Returns
    -------
    matplotlib.axes.Axes
        The bar axes; the cumulative-share axes is its twin (``ax.figure.axes``).
    """
    hl = _as_set(highlight)
    p = pareto.reset_index(drop=True)
    n_total = len(p)
    p = p.iloc[: max(int(top), 0)] if top else p
    with style_context():
        own_figure = ax is None
        ax = _new_ax(ax)
        n = len(p)
        pos = np.arange(n, dtype=float)
        rev = finite_values(p["revenue"]).to_numpy()
        cls = [str(c) for c in p["abc_class"]] if "abc_class" in p.columns else ["C"] * n
        colors = [HIGHLIGHT if _is_highlighted(c, hl) else _ABC_GREYS.get(k, GREY)
                  for c, k in zip(p["customer"], cls)]
        ax.bar(pos, np.where(np.isfinite(rev), rev, 0.0), 0.8, color=colors, edgecolor="white", lw=0.6,
               zorder=3)
        ax.set_ylim(bottom=0)
        _apply_unit_axis(ax.yaxis, "currency", currency)
        ax.grid(False, axis="x")
        twin = ax.twinx()
        twin.grid(False)
        for side in ("top",):
            twin.spines[side].set_visible(False)
        twin.spines["right"].set_visible(True)
        cum = finite_values(p["cum_share"]).to_numpy()
        line, = twin.plot(pos, cum, color=PRIMARY, lw=2, marker="o", ms=3.5, zorder=5, label="cumulative share")
        twin.set_ylim(0, 1.05)
        twin.yaxis.set_major_formatter(percent_formatter(0))
        twin.set_ylabel("cumulative share of revenue (%)", **_PLAIN)
        a_text, b_text = (display.format_value(x, "ratio", decimals=0) for x in (a, b))
        la = twin.axhline(a, color=TARGET_COLOR, ls="--", lw=1.2, label=f"class A up to {a_text}")
        lb = twin.axhline(b, color=TARGET_COLOR, ls=":", lw=1.4, label=f"class B up to {b_text}")
        if n:
            ax.set_xlim(-0.6, n - 0.4)
            _set_category_ticks(ax.xaxis, pos, [_label_text(c) for c in p["customer"]], rotate=True)
            if n > 20:
                for t in ax.get_xticklabels():
                    t.set_fontsize(8)
        else:
            _no_data(ax)
        handles: list[Any] = []
        labels: list[str] = []
        if hl:
            handles.append(Patch(color=HIGHLIGHT))
            labels.append("key account" if len(hl) == 1 else "key accounts")
        for k in ("A", "B", "C"):
            if k in cls:
                handles.append(Patch(color=_ABC_GREYS[k]))
                labels.append(f"class {k}")
        handles += [line, la, lb]
        labels += [line.get_label(), la.get_label(), lb.get_label()]
        xlabel = "customer (largest first)" + (f", top {n} of {n_total}" if n < n_total else "")
        _titles(ax, title if title is not None else "Pareto: few customers bring most of the revenue",
                xlabel, f"revenue ({currency})")
        if own_figure:
            # right of the twin axis's tick labels and label; constrained layout makes room
            leg = ax.figure.legend(handles, labels, loc="outside right upper")
            _plain(leg.get_texts())
        else:
            _legend_outside(twin, handles, labels)
            twin.get_legend().set_bbox_to_anchor((1.22, 1.0))
    return ax


def share_bar(
    revenue: pd.Series,
    *,
    threshold: float = 0.10,
    highlight: Sequence[Any] | Any = (),
    top: int = 10,
    title: str | None = None,
    other_label: str = "Other",
    ax: Axes | None = None,
) -> Axes:
    """Each customer's share of revenue, with the major-customer threshold as a dashed line.

    Shares are revenue / total (NaN when the total is 0); the tail beyond ``top`` is summed into
    ``other_label``. Key accounts in the strong colour.

    Returns
    -------
    matplotlib.axes.Axes
    """
    rev = finite_values(revenue)
    rev.index = revenue.index
    total = rev.sum(min_count=1)
    share = rev / total if (total is not None and math.isfinite(total) and total != 0) else rev * np.nan
    share.name = "share of revenue"
    share.index.name = revenue.index.name or "customer"
    with style_context():
        ax = bar_by_category(share, highlight=highlight, unit="ratio", top=top, other_label=other_label,
                             additive=True, ax=ax,
                             title=title if title is not None else "Share of revenue by customer",
                             value_label="share of revenue (%)")
        line = ax.axvline(threshold, color=TARGET_COLOR, ls="--", lw=1.5, zorder=4,
                          label=f"major customer: {display.format_value(threshold, 'ratio', decimals=0)} or more")
        lo, hi = ax.get_xlim()
        if threshold * 1.1 > hi:
            ax.set_xlim(lo, threshold * 1.15)
        leg = ax.get_legend()
        handles = list(leg.legend_handles) if leg is not None else []
        labels = [t.get_text() for t in leg.get_texts()] if leg is not None else []
        _legend_outside(ax, handles + [line], labels + [line.get_label()])
    return ax


def _contribution_columns(scores: pd.DataFrame) -> list[tuple[str, str]]:
    cols = []
    for c in scores.columns:
        c = str(c)
        if c.endswith("_contrib"):
            cols.append((c, c[: -len("_contrib")]))
        elif c.startswith("contribution_"):
            cols.append((c, c[len("contribution_"):]))
    return cols


def score_contributions(
    scores: pd.DataFrame,
    *,
    top: int = 8,
    highlight: Sequence[Any] | Any = (),
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Why an account is key: stacked horizontal bars of each criterion's weighted contribution.

    Parameters
    ----------
    scores : DataFrame
        ``accounts.score_accounts`` output, indexed by customer, with one ``<criterion>_contrib``
        (or ``contribution_<criterion>``) column per criterion; ``score`` optional (else the sum).
    top : int
        The ``top`` best scores are drawn, best at the top (highlighted accounts always).
    highlight : name or list of names
        Key accounts: their names are bold and in the strong colour, their bar outlined.

    Returns
    -------
    matplotlib.axes.Axes
    """
    hl = _as_set(highlight)
    cols = _contribution_columns(scores)
    if not cols:
        raise ValueError("scores has no contribution columns (<criterion>_contrib); use accounts.score_accounts")
    s = scores.copy()
    if "customer" in s.columns:
        s = s.set_index("customer")
    contrib = s[[c for c, _ in cols]].apply(finite_values).fillna(0.0)
    total = finite_values(s["score"]) if "score" in s.columns else contrib.sum(axis=1)
    total.index = s.index
    ranked, n_total, _ = _order_and_trim(pd.Series(total.to_numpy(), index=pd.Index(list(s.index), dtype=object)),
                                      sort=True, top=top, highlight=hl, additive=False, other_label="")
    names = list(ranked.index)
    contrib = contrib.loc[names]
    with style_context():
        ax = _new_ax(ax)
        n = len(names)
        pos = np.arange(n, dtype=float)
        left = np.zeros(n)
        handles, labels = [], []
        for j, (col, crit) in enumerate(cols):
            v = contrib[col].to_numpy(dtype=float)
            bars = ax.barh(pos, v, 0.7, left=left, color=PALETTE[j % len(PALETTE)], edgecolor="white",
                           lw=0.8, zorder=3)
            handles.append(bars[0] if len(bars) else Patch(color=PALETTE[j % len(PALETTE)]))
            labels.append(display.label(crit))
            left = left + v
        for i, nm in enumerate(names):
            if _is_highlighted(nm, hl):
                ax.barh(pos[i], left[i], 0.7, fill=False, edgecolor=HIGHLIGHT, lw=2.2, zorder=4)
            ax.annotate(display.format_value(ranked.iloc[i], "score"), (left[i], pos[i]), xytext=(4, 0),
                        textcoords="offset points", va="center", ha="left", fontsize=9, color="0.25",
                        bbox=_LABEL_BOX, zorder=5, **_PLAIN)
        _set_category_ticks(ax.yaxis, pos, [_label_text(c) for c in names])
        for t, nm in zip(ax.get_yticklabels(), names):
            if _is_highlighted(nm, hl):
                t.set_color(HIGHLIGHT)
                t.set_fontweight("bold")
        if n:
            ax.set_ylim(n - 0.5, -0.5)
            ax.set_xlim(0, max(float(np.nanmax(left)) * 1.15, 0.05))
        else:
            _no_data(ax)
        ax.grid(False, axis="y")
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, pos=None: _tick_number(x)))
        if hl:
            handles.append(Patch(fill=False, edgecolor=HIGHLIGHT, lw=2.2))
            labels.append("key account" if len(hl) == 1 else "key accounts")
        ylabel = "account" + (f" (top {n} of {n_total})" if n < n_total else "")
        _titles(ax, title if title is not None else "Key-account score: what each criterion contributes",
                "weighted score (0-1)", ylabel)
        _legend_outside(ax, handles, labels, title="criterion")
    return ax


# Quadrant names sit in bands above and below the 0..1 data range, so they never cover a point.
_Y_LIM = (-0.16, 1.16)
_X_LIM = (-0.05, 1.05)
_QUADRANT_POS = {
    "key account": (1.03, 1.10, "right", "center"),
    "develop": (-0.03, 1.10, "left", "center"),
    "maintain": (1.03, -0.10, "right", "center"),
    "efficiency": (-0.03, -0.10, "left", "center"),
}


def portfolio_chart(
    portfolio: pd.DataFrame,
    *,
    highlight: Sequence[Any] | Any = (),
    label_top: int = 8,
    threshold: float = 0.5,
    size: pd.Series | None = None,
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """The 2 x 2 account portfolio: strength of our position (x) vs attractiveness (y).

    Quadrants (``accounts.portfolio_matrix``): key account (high/high), develop (attractive, weak
    position), maintain (strong position, less attractive), efficiency (low/low). Key accounts in
    the strong colour, others grey; the ``label_top`` accounts with the highest attractiveness +
    strength (and every highlighted one) are named.

    Parameters
    ----------
    portfolio : DataFrame
        Indexed by customer (or a ``customer`` column) with ``attractiveness`` and ``strength`` (0..1).
    size : Series, optional
        E.g. revenue per customer: marker area proportional to it.

    Returns
    -------
    matplotlib.axes.Axes
    """
    hl = _as_set(highlight)
    p = portfolio.set_index("customer") if "customer" in portfolio.columns else portfolio
    x = finite_values(p["strength"]).to_numpy()
    y = finite_values(p["attractiveness"]).to_numpy()
    names = list(p.index)
    ok = np.isfinite(x) & np.isfinite(y)
    if size is not None:
        sz = finite_values(pd.Series(size).reindex(names)).to_numpy()
        smax = np.nanmax(sz) if np.isfinite(sz).any() else np.nan
        areas = np.where(np.isfinite(sz) & (sz > 0), 40 + 560 * sz / smax, 40) if np.isfinite(smax) and smax > 0 \
            else np.full(len(names), 70.0)
    else:
        areas = np.full(len(names), 70.0)
    with style_context():
        ax = _new_ax(ax, figsize=(9.0, 6.0))
        ax.add_patch(mpl.patches.Rectangle((threshold, threshold), _X_LIM[1] - threshold, _Y_LIM[1] - threshold,
                                           facecolor=HIGHLIGHT, alpha=0.06, lw=0, zorder=0))
        ax.axvline(threshold, color="0.55", lw=1.0, zorder=1)
        ax.axhline(threshold, color="0.55", lw=1.0, zorder=1)
        is_hl = np.array([_is_highlighted(nm, hl) for nm in names], dtype=bool)
        ax.scatter(x[ok & ~is_hl], y[ok & ~is_hl], s=areas[ok & ~is_hl], color=GREY, edgecolor="white",
                   lw=0.8, zorder=3, alpha=0.9)
        ax.scatter(x[ok & is_hl], y[ok & is_hl], s=areas[ok & is_hl], color=HIGHLIGHT, edgecolor="white",
                   lw=0.8, zorder=4)
        for q, (qx, qy, ha, va) in _QUADRANT_POS.items():
            ax.text(qx, qy, q, ha=ha, va=va, fontsize=11, fontweight="bold",
                    color=HIGHLIGHT if q == "key account" else "0.45", alpha=0.9, zorder=2, **_PLAIN)
        # which points get a name: the highlighted ones, then the best by attractiveness + strength
        total = np.where(ok, x + y, -np.inf)
        order = sorted(range(len(names)), key=lambda i: (not is_hl[i], -total[i], str(names[i])))
        chosen = [i for i in order if ok[i]][: max(int(label_top), int(is_hl.sum()))]
        fig = ax.figure
        # points per data unit (approximate: the axes box before layout), to size labels in data units
        box = ax.get_position()
        ppu_x = box.width * fig.get_figwidth() * 72 / (_X_LIM[1] - _X_LIM[0])
        ppu_y = box.height * fig.get_figheight() * 72 / (_Y_LIM[1] - _Y_LIM[0])
        radii = np.sqrt(areas) / 2  # marker radius in points
        # obstacles: every drawn point (a box around the marker) and every label already placed
        obstacles = [(x[j] - radii[j] / ppu_x, x[j] + radii[j] / ppu_x, y[j] - radii[j] / ppu_y,
                      y[j] + radii[j] / ppu_y, j) for j in range(len(names)) if ok[j]]
        label_h = 11 / ppu_y

        def free(x0: float, x1: float, y0: float, y1: float, own: int) -> bool:
            return all(x1 <= a0 or x0 >= a1 or y1 <= b0 or y0 >= b1 for a0, a1, b0, b1, j in obstacles
                       if j != own) and -0.05 <= y0 and y1 <= 1.05 and -0.05 <= x0 and x1 <= 1.05

        for i in sorted(chosen, key=lambda i: (-y[i], x[i], str(names[i]))):
            text = _label_text(names[i])
            width = (len(text) * 5.6 + 4) / ppu_x
            gap = (radii[i] + 3) / ppu_x
            sides = ["left", "right"] if x[i] > 0.7 else ["right", "left"]
            best = None
            for k in [0, -1, 1, -2, 2, -3, 3, -4, 4, -5, 5]:
                ty = y[i] + k * label_h * 1.1
                for side in sides:
                    x0 = x[i] + gap if side == "right" else x[i] - gap - width
                    if free(x0, x0 + width, ty - label_h / 2, ty + label_h / 2, i):
                        best = (side, ty, x0)
                        break
                if best:
                    break
            if best is None:  # nowhere free: beside the point, on its preferred side
                side = sides[0]
                best = (side, y[i], x[i] + gap if side == "right" else x[i] - gap - width)
            side, ty, x0 = best
            obstacles.append((x0, x0 + width, ty - label_h / 2, ty + label_h / 2, -1))
            dx = (radii[i] + 3) * (1 if side == "right" else -1)
            dy = (ty - y[i]) * ppu_y
            ax.annotate(text, (x[i], y[i]), xytext=(dx, dy), textcoords="offset points",
                        ha="left" if side == "right" else "right", va="center", fontsize=9,
                        color=HIGHLIGHT if is_hl[i] else "0.2", fontweight="bold" if is_hl[i] else "normal",
                        arrowprops={"arrowstyle": "-", "color": "0.6", "lw": 0.6, "shrinkA": 0,
                                    "shrinkB": radii[i]} if abs(dy) > 1e-6 else None, zorder=5, **_PLAIN)
        ax.set_xlim(*_X_LIM)
        ax.set_ylim(*_Y_LIM)
        ax.set_yticks(np.linspace(0, 1, 6))
        ax.set_xticks(np.linspace(0, 1, 6))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, pos=None: _tick_number(v)))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, pos=None: _tick_number(v)))
        handles = [Line2D([], [], ls="none", marker="o", color=GREY, ms=8, label="account")]
        if hl:
            handles.insert(0, Line2D([], [], ls="none", marker="o", color=HIGHLIGHT, ms=8,
                                     label="key account" if len(hl) == 1 else "key accounts"))
        if size is not None:
            handles.append(Line2D([], [], ls="none", label="marker size: revenue"))
        if not ok.any():
            _no_data(ax)
        _titles(ax, title if title is not None else "Account portfolio: where each customer stands",
                "strength of our position (0-1: revenue share, engagement)",
                "account attractiveness (0-1: growth potential, strategic value)")
        _legend_outside(ax, handles, [h.get_label() for h in handles])
    return ax


# ---------------------------------------------------------------------------------------------
# comparisons, heatmap, histogram, ratio of sums
# ---------------------------------------------------------------------------------------------

def compare_account_vs_all(
    values: pd.DataFrame,
    *,
    units: Mapping[str, str] | None = None,
    title: str | None = None,
    currency: str = "NOK",
    targets: Mapping[str, float] | None = None,
    ncols: int = 4,
) -> Figure:
    """Small multiples: each KPI for the whole business ("all") next to the key account(s).

    Parameters
    ----------
    values : DataFrame
        Index = KPI names, columns = ``["all", "<account>", ...]`` (the first column is the
        reference, drawn grey; the accounts in the strong colours). NaN values are not drawn
        (the bar is labelled ``n/a``).
    units : mapping KPI -> unit, optional
        ``currency``, ``ratio``, ... (default ``number``).
    targets : mapping KPI -> target, optional
        Dashed target line in the panels that have one (the value is in the panel title).
    ncols : int
        Panels per row.

    Returns
    -------
    matplotlib.figure.Figure
        One panel per KPI (each with a title and a unit label), a figure title and a legend
        naming the bars (below the panels).
    """
    import textwrap

    units = dict(units or {})
    targets = dict(targets or {})
    kpi_names = list(values.index)
    cols = list(values.columns)
    n = max(len(kpi_names), 1)
    nc = min(ncols, n)
    nr = math.ceil(n / nc)
    short_names = max((len(str(c)) for c in cols), default=0) <= 12
    with style_context():
        width = max(2.6 * nc, 6.0) + 1.2
        fig, axes = plt.subplots(nr, nc, figsize=(width, 3.2 * nr + 0.6), layout="constrained", squeeze=False)
        # about 8.5 characters of a 12 pt bold title per inch of panel (minus its axis labels)
        wrap = max(12, int(8.5 * (width / nc - 0.6)))
        colors = [GREY] + [HIGHLIGHT_MORE[i % len(HIGHLIGHT_MORE)] for i in range(len(cols) - 1)]
        any_target = False
        for k, kpi in enumerate(kpi_names):
            a = axes[k // nc][k % nc]
            unit = units.get(kpi, "number")
            v = finite_values(values.loc[kpi]).to_numpy(dtype=float)
            pos = np.arange(len(cols), dtype=float)
            bars = a.bar(pos, np.where(np.isfinite(v), v, 0.0), 0.7, color=colors, edgecolor="white", zorder=3)
            for bar, val, p_ in zip(bars, v, pos):
                if not np.isfinite(val):
                    bar.set_visible(False)
                a.annotate(_short_value(val, unit, currency), (p_, val if np.isfinite(val) else 0.0),
                           xytext=(0, 3), textcoords="offset points", ha="center",
                           va="bottom" if not np.isfinite(val) or val >= 0 else "top", fontsize=9,
                           color="0.25", bbox=_LABEL_BOX, zorder=5, **_PLAIN)
            t = targets.get(kpi)
            has_t = t is not None and math.isfinite(float(t))
            if has_t:
                any_target = True
                a.axhline(float(t), color=TARGET_COLOR, ls="--", lw=1.3, zorder=4,
                          label=_target_label(float(t), unit, currency))
            fin = v[np.isfinite(v)]
            hi = max([0.0, *fin.tolist(), *([float(t)] if has_t else [])])
            lo = min([0.0, *fin.tolist()])
            span = (hi - lo) or 1.0
            a.set_ylim(lo - (0.12 * span if lo < 0 else 0), hi + 0.18 * span)
            _apply_unit_axis(a.yaxis, unit, currency, v)
            a.set_xlim(-0.6, len(cols) - 0.4)
            if short_names:
                _set_category_ticks(a.xaxis, pos, [_label_text(c) for c in cols], rotate=False)
            else:  # long account names: the legend below names the bars
                a.set_xticks([])
            a.grid(False, axis="x")
            head = _sentence(display.label(kpi))
            if has_t:
                head = f"{head}\n({_target_label(float(t), unit, currency)})"
            head = "\n".join(textwrap.fill(line, wrap) for line in head.split("\n"))
            _titles(a, head, None, display.unit_label(unit, currency) if unit != "number" else "value")
            a.title.set_fontsize(12)
        for k in range(len(kpi_names), nr * nc):
            axes[k // nc][k % nc].set_visible(False)
        if not kpi_names:
            axes[0][0].set_visible(True)
            _no_data(axes[0][0])
            _titles(axes[0][0], "no KPIs", None, "value")
        handles: list[Any] = [Patch(color=c) for c in colors]
        labels = [str(c) for c in cols]
        if any_target:
            handles.append(Line2D([], [], color=TARGET_COLOR, ls="--", lw=1.3))
            labels.append("target")
        leg = fig.legend(handles, labels, loc="outside lower center", ncols=min(len(labels), 4))
        _plain(leg.get_texts())
        who = ", ".join(str(c) for c in cols[1:])
        fig.suptitle(title if title is not None else f"{who} vs all customers", **_PLAIN)
    return fig


def heatmap(
    frame: pd.DataFrame,
    *,
    title: str | None = None,
    unit: str = "currency",
    cmap: str = "Blues",
    currency: str = "NOK",
    xlabel: str | None = None,
    ylabel: str | None = None,
    annot: bool = True,
    ax: Axes | None = None,
) -> Axes:
    """An annotated heatmap (e.g. revenue per weekday x hour); empty (NaN) cells are left blank.

    Cells show short values (``12.5k``, ``3.4%``); the colour bar carries the unit.

    Returns
    -------
    matplotlib.axes.Axes
    """
    data = frame.apply(finite_values)
    data.index, data.columns = frame.index, frame.columns
    vals = data.to_numpy(dtype=float)
    labels = np.array([["" if not np.isfinite(v) else _short_value(v, unit, currency).replace(" days", "")
                        for v in row] for row in vals], dtype=object) if vals.size else None
    with style_context():
        ax = _new_ax(ax)
        if not np.isfinite(vals).any():
            ax.grid(False)
            _no_data(ax)
            _titles(ax, title if title is not None else _sentence(_label_with_unit("value", unit, currency)),
                    xlabel if xlabel is not None else (display.label(frame.columns.name) if frame.columns.name else "column"),
                    ylabel if ylabel is not None else (display.label(frame.index.name) if frame.index.name else "row"))
            return ax
        small = data.shape[0] * data.shape[1] > 120
        sns.heatmap(data.astype(float), ax=ax, cmap=cmap, annot=labels if annot and vals.size else False,
                    fmt="", linewidths=0.5, linecolor="white",
                    annot_kws={"fontsize": 7 if small else 9},
                    cbar_kws={"label": display.unit_label(unit, currency),
                              "format": _axis_formatter(unit, currency, vals)},
                    mask=~np.isfinite(vals) if vals.size else None)
        ax.grid(False)
        ax.set_yticks(ax.get_yticks(), labels=[_label_text(v) for v in data.index], rotation=0)
        ax.set_xticks(ax.get_xticks(), labels=[_label_text(v) for v in data.columns],
                      rotation=0 if max((len(_label_text(c)) for c in data.columns), default=0) * data.shape[1] < 70
                      else 45, ha="center")
        _plain(ax.get_xticklabels())
        _plain(ax.get_yticklabels())
        cbar_ax = ax.collections[0].colorbar.ax if ax.collections and ax.collections[0].colorbar else None
        if cbar_ax is not None:
            _plain([cbar_ax.yaxis.label])
        _titles(ax, title if title is not None else _sentence(_label_with_unit("value", unit, currency)),
                xlabel if xlabel is not None else (display.label(frame.columns.name) if frame.columns.name else "column"),
                ylabel if ylabel is not None else (display.label(frame.index.name) if frame.index.name else "row"))
    return ax


def histogram(
    series: pd.Series | Sequence[float],
    *,
    bins: int | Sequence[float] | str = 20,
    title: str | None = None,
    xlabel: str | None = None,
    ylabel: str = "number of observations",
    vline: float | Mapping[str, float] | None = None,
    vline_label: str | None = None,
    unit: str = "number",
    currency: str = "NOK",
    ax: Axes | None = None,
) -> Axes:
    """Distribution of one variable; optional dashed reference line(s) such as the mean or a target.

    Whole-number data with few distinct values (ratings 1-5) get one bar per value.

    Parameters
    ----------
    vline : float or mapping label -> value, optional
        E.g. ``{"mean": 3.9, "target": 4.3}``; each drawn dashed and labelled ``mean 3.9``.

    Returns
    -------
    matplotlib.axes.Axes
    """
    s = finite_values(pd.Series(series) if not isinstance(series, pd.Series) else series).dropna()
    name = getattr(series, "name", None)
    with style_context():
        ax = _new_ax(ax)
        v = s.to_numpy(dtype=float)
        whole = False
        if v.size:
            b: Any = bins
            whole = isinstance(bins, int) and np.all(v == np.round(v)) and (v.max() - v.min()) <= 20
            if whole:
                b = np.arange(v.min() - 0.5, v.max() + 1.5)
            ax.hist(v, bins=b, color=PRIMARY, edgecolor="white", zorder=3, label="observations")
        else:
            _no_data(ax)
        lines: list[tuple[str, float]] = []
        if isinstance(vline, Mapping):
            lines = [(str(k), float(val)) for k, val in vline.items()]
        elif vline is not None:
            lines = [(vline_label or "", float(vline))]
        styles = ["--", ":", "-."]
        handles, labels = [], []
        for i, (lab, val) in enumerate(lines):
            if not math.isfinite(val):
                continue
            text = f"{lab} {_chart_value(val, unit, currency)}".strip()
            h = ax.axvline(val, color=HIGHLIGHT if i == 0 else TARGET_COLOR, ls=styles[i % 3], lw=1.8, zorder=4,
                           label=text)
            handles.append(h)
            labels.append(text)
        _apply_unit_axis(ax.xaxis, unit, currency, v)
        if v.size and whole and unit in ("score", "number", "count", "days"):
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            ax.xaxis.set_major_formatter(FuncFormatter(lambda x, pos=None: _tick_number(x, 0)))
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(False, axis="x")
        xl = xlabel if xlabel is not None else _label_with_unit(name if name is not None else "value", unit, currency)
        _titles(ax, title if title is not None else f"Distribution of {display.label(name or 'values')}", xl, ylabel)
        if handles:
            _legend_outside(ax, handles, labels)
    return ax


def ratio_of_sums_vs_mean(
    per_group: pd.DataFrame,
    numerator: str,
    denominator: str,
    *,
    rate_name: str = "rate",
    unit: str = "ratio",
    title: str | None = None,
    currency: str = "NOK",
    ax: Axes | None = None,
) -> Axes:
    """Why group rates are ratios of sums: the mean of per-group rates vs the ratio of the sums.

    rate per group = numerator / denominator (undefined where the denominator is 0: left out of
    the mean). Ratio of sums = sum(numerator) / sum(denominator): the rate of the whole, which the
    KPI table reports. The per-group rates are drawn as dots on the first bar (no jitter).

    Returns
    -------
    matplotlib.axes.Axes
    """
    num = finite_values(per_group[numerator]).to_numpy(dtype=float)
    den = finite_values(per_group[denominator]).to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        rates = np.where(np.isfinite(den) & (den != 0), num / np.where(den == 0, 1.0, den), np.nan)
    rates = np.where(np.isfinite(rates), rates, np.nan)
    mean_rate = float(np.nanmean(rates)) if np.isfinite(rates).any() else math.nan
    ok = np.isfinite(num) & np.isfinite(den)
    sden = float(den[ok].sum())
    ratio = float(num[ok].sum()) / sden if sden != 0 else math.nan
    with style_context():
        ax = _new_ax(ax, figsize=(8.0, 4.5))
        pos = np.array([0.0, 1.0])
        vals = np.array([mean_rate, ratio])
        bars = ax.bar(pos, np.where(np.isfinite(vals), vals, 0.0), 0.6, color=[GREY, PRIMARY], edgecolor="white",
                      zorder=3)
        for bar, val in zip(bars, vals):
            if not np.isfinite(val):
                bar.set_visible(False)
        fin_rates = rates[np.isfinite(rates)]
        if fin_rates.size:
            ax.plot(np.zeros(fin_rates.size), fin_rates, ls="none", marker="o", ms=4, color="0.25", alpha=0.6,
                    zorder=4, label=f"one {per_group.index.name or 'group'}'s {display.label(rate_name)}")
        for p_, val in zip(pos, vals):
            ax.annotate(_chart_value(val, unit, currency, decimals=2 if unit == "ratio" else None),
                        (p_ + 0.32, val if np.isfinite(val) else 0.0),
                        xytext=(3, 0), textcoords="offset points", ha="left", va="center", fontsize=10,
                        fontweight="bold", color="0.15", **_PLAIN)
        n_groups = len(per_group)
        n_used = int(np.isfinite(rates).sum())
        labels = [f"mean of {n_used} per-{per_group.index.name or 'group'} rates\n(misleading)",
                  "ratio of sums\n(the KPI)"]
        ax.set_xlim(-0.6, 1.9)
        _set_category_ticks(ax.xaxis, pos, labels, rotate=False)
        everything = np.concatenate([vals[np.isfinite(vals)], fin_rates])
        if everything.size:
            lo = min(0.0, float(everything.min()))
            hi = max(0.0, float(everything.max()))
            ax.set_ylim(lo - 0.05 * (hi - lo), hi + 0.1 * ((hi - lo) or 1.0))
        _apply_unit_axis(ax.yaxis, unit, currency, everything)
        ax.grid(False, axis="x")
        if n_used < n_groups:
            ax.text(0.0, -0.22, f"{n_groups - n_used} group(s) with {display.label(denominator)} = 0 left out of the mean",
                    transform=ax.transAxes, fontsize=9, color="0.4", ha="left", va="top", **_PLAIN)
        _titles(ax, title if title is not None
                else _sentence(f"{display.label(rate_name)}: average of rates vs ratio of sums"), "",
                _label_with_unit(rate_name, unit, currency))
        h, lab = ax.get_legend_handles_labels()
        if h:
            _legend_outside(ax, h, lab)
    return ax


# --- plots for 04_restaurant ---

def mean_with_interval(
    frame: pd.DataFrame,
    *,
    mean: str = "avg_rating",
    low: str = "low",
    high: str = "high",
    count: str | None = "ratings",
    highlight: Sequence[Any] | Any = (),
    target: float | None = None,
    unit: str = "score",
    limits: tuple[float, float] | None = (1.0, 5.0),
    level: float = 0.95,
    title: str | None = None,
    value_label: str | None = None,
    count_word: str = "ratings",
    currency: str = "NOK",
    ax: Axes | None = None,
) -> Axes:
    """Means with their confidence intervals, one row per group, with the count beside each label.

    The dot is the mean; the whisker runs from ``low`` to ``high``. A group whose interval is NaN
    (fewer than two values) gets a dot and the note "too few to judge"; a group without values only
    its label. Highlighted groups (key accounts) are drawn in :data:`HIGHLIGHT`, the rest in
    :data:`PRIMARY`. Wide whiskers mean: few observations, do not read much into the mean.

    Parameters
    ----------
    frame : DataFrame
        Indexed by group (e.g. ``cases.restaurant.rating_comparison(...)``), with the columns named by
        ``mean``, ``low``, ``high`` and ``count``.
    limits : (float, float), optional
        The value axis range (the 1-5 rating scale by default).
    level : float
        The interval's confidence level, for the legend.

    Returns
    -------
    matplotlib.axes.Axes
    """
    hl = _as_set(highlight)
    names = list(frame.index)
    m = finite_values(frame[mean]).to_numpy(dtype=float)
    lo = finite_values(frame[low]).to_numpy(dtype=float) if low in frame.columns else np.full(len(frame), np.nan)
    hi = finite_values(frame[high]).to_numpy(dtype=float) if high in frame.columns else np.full(len(frame), np.nan)
    counts = frame[count].to_numpy() if count is not None and count in frame.columns else None
    n = len(names)
    with style_context():
        ax = _new_ax(ax, figsize=(9.0, max(2.2, 0.65 * n + 1.4)))
        pos = np.arange(n, dtype=float)
        for i in range(n):
            color = HIGHLIGHT if _is_highlighted(names[i], hl) else PRIMARY
            if np.isfinite(lo[i]) and np.isfinite(hi[i]):
                ax.plot([lo[i], hi[i]], [pos[i], pos[i]], color=color, lw=2.6, solid_capstyle="butt", zorder=3)
                ax.plot([lo[i], lo[i]], [pos[i] - 0.15, pos[i] + 0.15], color=color, lw=1.6, zorder=3)
                ax.plot([hi[i], hi[i]], [pos[i] - 0.15, pos[i] + 0.15], color=color, lw=1.6, zorder=3)
            if np.isfinite(m[i]):
                ax.plot([m[i]], [pos[i]], ls="none", marker="o", ms=9, color=color, mec="white", mew=1.2, zorder=4)
                text = _chart_value(m[i], unit, currency)
                if not (np.isfinite(lo[i]) and np.isfinite(hi[i])):
                    text += "  (too few to judge)"
                right = hi[i] if np.isfinite(hi[i]) else m[i]
                ax.annotate(text, (right, pos[i]), xytext=(8, 0), textcoords="offset points", ha="left",
                            va="center", fontsize=9, color="0.2", bbox=_LABEL_BOX, zorder=5, **_PLAIN)
        labels = []
        for i, name in enumerate(names):
            text = _label_text(name)
            if counts is not None:
                c = pd.to_numeric(pd.Series([counts[i]]), errors="coerce").iloc[0]
                text += f"\n(n = {display.format_value(c, 'count')} {count_word})" if pd.notna(c) else ""
            labels.append(text)
        if n:
            _set_category_ticks(ax.yaxis, pos, labels)
            for t, name in zip(ax.yaxis.get_ticklabels(), names):
                if hl and _is_highlighted(name, hl):
                    t.set_fontweight("bold")
                    t.set_color(HIGHLIGHT)
            ax.set_ylim(n - 0.5, -0.5)
        ax.grid(False, axis="y")
        handles: list[Any] = [
            Line2D([], [], ls="none", marker="o", ms=8, color=PRIMARY, label="mean"),
            Line2D([], [], color=PRIMARY, lw=2.6, label=f"{display.format_value(level, 'ratio', decimals=0)} interval"),
        ]
        if hl:
            handles.insert(0, Line2D([], [], ls="none", marker="o", ms=8, color=HIGHLIGHT,
                                     label="key account" if len(hl) == 1 else "key accounts"))
        if target is not None and math.isfinite(float(target)):
            handles.append(ax.axvline(float(target), color=TARGET_COLOR, ls="--", lw=1.4, zorder=2,
                                      label=_target_label(float(target), unit, currency)))
        if limits is not None:
            # room on the right for the value labels
            ax.set_xlim(limits[0] - 0.02 * (limits[1] - limits[0]), limits[1] + 0.22 * (limits[1] - limits[0]))
            ticks = [t for t in ax.get_xticks() if limits[0] - 1e-9 <= t <= limits[1] + 1e-9]
            ax.set_xticks(ticks)
        _apply_unit_axis(ax.xaxis, unit, currency, m)
        if not np.isfinite(m).any():
            _no_data(ax)
        level_text = display.format_value(level, "ratio", decimals=0)
        _titles(ax, title if title is not None else _sentence(f"{display.label(mean)} with its {level_text} interval"),
                value_label if value_label is not None else _label_with_unit(mean, unit, currency), None)
        _legend_outside(ax, handles, [h.get_label() for h in handles])
    return ax


# --- plots for 03_marketing_agency ---

def segment_trends_vs_all(
    monthly: pd.DataFrame,
    segment_monthly: pd.DataFrame | None,
    name: str | None,
    kpis: Sequence[str],
    *,
    x: str = "period",
    units: Mapping[str, str] | None = None,
    targets: Mapping[str, float] | None = None,
    titles: Mapping[str, str] | None = None,
    partial: str | None = "partial",
    all_label: str = "all clients",
    currency: str = "NOK",
    title: str | None = None,
    fig: Figure | None = None,
) -> Figure:
    """Monthly KPIs of one segment (a client, a channel) against the whole business, one panel per KPI.

    Each panel is :func:`line_with_target`: the segment in the key-account colour, the whole
    business ("all clients") in grey, the KPI's target dashed, partial months hollow.

    Parameters
    ----------
    monthly : DataFrame
        One row per period for the whole business (``frames["monthly"]``) with ``x``, the KPI
        columns and (optionally) the ``partial`` column.
    segment_monthly : DataFrame or None
        The segment's rows (``x`` and the KPI columns), e.g. one client's rows of
        ``frames["by_client_month"]``; periods it lacks are gaps. None: the whole business only.
    name : str or None
        The segment's name (legend); None draws the whole business only.
    kpis : list of str
        KPI columns to draw (those missing from ``monthly`` are skipped).
    units, targets, titles : mapping KPI -> value, optional
        Unit (default ``ratio``), target line and panel title of each KPI.
    fig : Figure, optional
        Draw into this (empty) figure, e.g. an off-screen ``Figure`` in a widget; default: a new
        pyplot figure.

    Returns
    -------
    matplotlib.figure.Figure
    """
    units = dict(units or {})
    targets = dict(targets or {})
    titles = dict(titles or {})
    shown = [k for k in kpis if k in monthly.columns]
    n = max(len(shown), 1)
    with style_context():
        if fig is None:
            fig = plt.figure(figsize=(9.5, 2.9 * n + 0.4), layout="constrained")
        axes = fig.subplots(n, 1, squeeze=False)[:, 0]
        seg = None
        if name is not None and segment_monthly is not None:
            seg = segment_monthly.drop_duplicates(subset=[x]).set_index(x)
        for i, (ax, kpi) in enumerate(zip(axes, shown)):
            frame = pd.DataFrame({x: monthly[x].to_numpy()})
            if partial is not None and partial in monthly.columns:
                frame["__partial"] = monthly[partial].to_numpy()
            cols: list[str] = []
            if seg is not None:
                frame["__segment"] = seg[kpi].reindex(monthly[x]).to_numpy() if kpi in seg.columns else np.nan
                cols.append("__segment")
            frame["__all"] = monthly[kpi].to_numpy()
            cols.append("__all")
            labels = ([str(name)] if seg is not None else []) + [all_label]
            t = targets.get(kpi)
            line_with_target(frame, x, cols, labels=labels, highlight=["__segment"] if seg is not None else (),
                             target=t, unit=units.get(kpi, "ratio"), currency=currency,
                             partial="__partial" if "__partial" in frame.columns else None,
                             title=titles.get(kpi, kpi.upper() if len(kpi) <= 4 else display.label(kpi)),
                             xlabel=display.label(x) if i == len(shown) - 1 else "",
                             ylabel=f"{kpi.upper() if len(kpi) <= 4 else display.label(kpi)} "
                                    f"({display.unit_label(units.get(kpi, 'ratio'), currency)})", ax=ax)
        if not shown:
            _no_data(axes[0])
        who = f"{name} vs {all_label}" if seg is not None else all_label
        fig.suptitle(title if title is not None else f"{who}: KPIs by month", **_PLAIN)
    return fig


def paired_bars(
    table: pd.DataFrame,
    *,
    unit: str = "ratio",
    target: float | None = None,
    title: str | None = None,
    value_label: str | None = None,
    category_label: str | None = None,
    currency: str = "NOK",
    ax: Axes | None = None,
) -> Axes:
    """Horizontal bars per category for one account next to a reference (e.g. all clients).

    The first column (the key account) is drawn in :data:`HIGHLIGHT`, the other column(s) in grey,
    each bar labelled with its value; NaN bars are left out and labelled "n/a"; a target is a
    dashed line. Categories keep the table's order (top to bottom).

    Parameters
    ----------
    table : DataFrame
        Index = categories (channels, months), columns = ``[account, reference, ...]``
        (e.g. ``cases.marketing_agency.compare_by_segment(...)``).

    Returns
    -------
    matplotlib.axes.Axes
    """
    cols = list(table.columns)
    cats = list(table.index)
    vals = table.apply(finite_values).to_numpy(dtype=float) if len(cols) else np.zeros((len(cats), 0))
    colors = [HIGHLIGHT] + ([GREY, LIGHT_GREY, "#7f7f7f"] * len(cols))[: max(len(cols) - 1, 0)]
    with style_context():
        ax = _new_ax(ax, figsize=(9.0, max(2.4, 0.75 * len(cats) * max(len(cols), 1) / 2 + 1.2)))
        n, k = len(cats), max(len(cols), 1)
        pos = np.arange(n, dtype=float)
        width = 0.8 / k
        handles: list[Any] = []
        for j, col in enumerate(cols):
            offs = pos + (j - (k - 1) / 2) * width
            v = vals[:, j]
            bars = ax.barh(offs, np.where(np.isfinite(v), v, 0.0), width * 0.9, color=colors[j], edgecolor="white",
                           zorder=3)
            for b, x in zip(bars, v):
                if not np.isfinite(x):
                    b.set_visible(False)
            for o, x in zip(offs, v):
                at = x if np.isfinite(x) else 0.0
                ax.annotate(_short_value(x, unit, currency), (at, o), xytext=(4 if at >= 0 else -4, 0),
                            textcoords="offset points", va="center", ha="left" if at >= 0 else "right", fontsize=9,
                            color="0.25", bbox=_LABEL_BOX, zorder=5, **_PLAIN)
            handles.append(Patch(color=colors[j], label=str(col)))
        finite = vals[np.isfinite(vals)]
        has_target = target is not None and math.isfinite(float(target))
        if finite.size or has_target:
            lo = min([0.0, *finite.tolist(), *([float(target)] if has_target else [])])
            hi = max([0.0, *finite.tolist(), *([float(target)] if has_target else [])])
            pad = (hi - lo) * 0.16 or 1.0
            ax.set_xlim(lo - (pad if lo < 0 else 0), hi + (pad if hi > 0 else 0))
        if has_target:
            handles.append(ax.axvline(float(target), color=TARGET_COLOR, ls="--", lw=1.5, zorder=4,
                                      label=_target_label(float(target), unit, currency)))
        _apply_unit_axis(ax.xaxis, unit, currency, finite)
        if n:
            _set_category_ticks(ax.yaxis, pos, [_label_text(c) for c in cats])
            ax.set_ylim(n - 0.5, -0.5)
        ax.grid(False, axis="y")
        if not finite.size:
            _no_data(ax)
        _titles(ax, title if title is not None else "", value_label if value_label is not None
                else display.unit_label(unit, currency),
                category_label if category_label is not None else (display.label(table.index.name) if table.index.name
                                                                   else ""))
        _legend_outside(ax, handles, [h.get_label() for h in handles])
    return ax


# --- plots for 02_consultancy ---

def rate_with_counts(
    frame: pd.DataFrame,
    x: str,
    y: str,
    count: str,
    *,
    target: float | None = None,
    unit: str = "ratio",
    title: str | None = None,
    ylabel: str | None = None,
    count_label: str | None = None,
    xlabel: str | None = None,
    partial: str | None = None,
    currency: str = "NOK",
) -> Figure:
    """A rate over time (top) with the number of observations behind each value (bottom).

    A CSAT of 100 % from one survey answer means little; drawing the count under the rate keeps
    the reader honest. Periods with a count of 0 have no rate (NaN) and show no point.

    Parameters
    ----------
    frame : DataFrame
        One row per period (e.g. ``frames["monthly"]``).
    x : str
        The period column.
    y : str
        The rate (a ratio by default), drawn by :func:`line_with_target` against ``target``.
    count : str
        The number of observations per period (responses, finished projects), drawn as bars.
    count_label : str, optional
        Y label of the bars (default: the count column's name).
    xlabel : str, optional
        Label of the shared period axis (default: the ``x`` column's name).
    partial : str, optional
        Column flagging partial months (hollow points, hatched bars).

    Returns
    -------
    matplotlib.figure.Figure
        Two panels sharing the period axis; the figure title is ``title``.
    """
    with style_context():
        fig, (top, bottom) = plt.subplots(
            2, 1, figsize=(FIGSIZE[0], FIGSIZE[1] * 1.35), sharex=True, layout="constrained",
            gridspec_kw={"height_ratios": [2.2, 1.0]})
        line_with_target(frame, x, y, target=target, unit=unit, title="", xlabel="",
                         ylabel=ylabel, partial=partial, currency=currency, ax=top)
        counts = frame.set_index(x)[[count] + ([partial] if partial and partial in frame.columns else [])]
        bar_by_category(counts, unit="count", sort=False, horizontal=False, title="",
                        partial=partial if partial and partial in frame.columns else None,
                        value_label=count_label if count_label is not None else display.label(count),
                        category_label=xlabel if xlabel is not None else display.label(x), currency=currency, ax=bottom)
        bottom.yaxis.set_major_locator(MaxNLocator(nbins=3, integer=True))
        top.tick_params(axis="x", labelbottom=False)
        leg = bottom.get_legend()
        if leg is not None and top.get_legend() is not None:
            leg.remove()
        fig.suptitle(title if title is not None else _sentence(f"{display.label(y)} and {display.label(count)} by period"),
                     **_PLAIN)
    return fig


def client_timeline(
    ages: pd.DataFrame,
    *,
    highlight: Sequence[Any] | Any = (),
    as_of: Any = None,
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Projects as horizontal bars from start to end: finished, ongoing (hatched) and the planned end.

    Parameters
    ----------
    ages : DataFrame
        :func:`kpi_helpers.cases.consultancy.project_ages` output (project_id, client, start_date, planned_end,
        actual_end, finished, overdue).
    highlight : client name(s)
        Projects of these clients in the key-account colour, the others grey.
    as_of : date, optional
        Where the ongoing bars end (default: the latest date in the frame); drawn as a dotted line.

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib.dates as mdates

    hl = _as_set(highlight)
    df = ages.sort_values(["start_date", "project_id"], kind="stable").reset_index(drop=True)
    end_default = pd.concat([df["actual_end"], df["planned_end"]]).max()
    as_of = pd.Timestamp(as_of) if as_of is not None else end_default
    n = len(df)
    with style_context():
        ax = _new_ax(ax, figsize=(FIGSIZE[0], max(3.0, 0.17 * n + 1.8)))
        for i, r in df.iterrows():
            color = HIGHLIGHT if (hl and _is_highlighted(r["client"], hl)) else (GREY if hl else PRIMARY)
            end = r["actual_end"] if r["finished"] else as_of
            start = mdates.date2num(r["start_date"])
            width = max(mdates.date2num(end) - start, 1.0)
            bar = ax.barh(i, width, left=start, height=0.7, color=color, edgecolor="white", zorder=3)
            if not r["finished"]:
                bar[0].set_hatch("///")
                bar[0].set_alpha(0.6)
            ax.plot([mdates.date2num(r["planned_end"])] * 2, [i - 0.4, i + 0.4], color=TARGET_COLOR, lw=1.6,
                    zorder=4)
        ax.axvline(mdates.date2num(as_of), color="0.3", ls=":", lw=1.2, zorder=2)
        ax.set_yticks(np.arange(n), labels=[str(p) for p in df["project_id"]])
        _plain(ax.get_yticklabels())
        for t, c in zip(ax.get_yticklabels(), df["client"]):
            if hl and _is_highlighted(c, hl):
                t.set_color(HIGHLIGHT)
                t.set_fontweight("bold")
        ax.set_ylim(n - 0.5, -0.5)
        ax.xaxis_date()
        ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=8))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
        ax.grid(False, axis="y")
        ax.tick_params(axis="y", labelsize=8)
        handles = [Patch(color=HIGHLIGHT if hl else PRIMARY),
                   Patch(facecolor=HIGHLIGHT if hl else PRIMARY, alpha=0.6, hatch="///", edgecolor="white"),
                   Line2D([], [], color=TARGET_COLOR, lw=1.6), Line2D([], [], color="0.3", ls=":", lw=1.2)]
        labels = ["finished" if not hl else f"finished ({', '.join(str(h) for h in hl)})",
                  "ongoing (so far)", "planned end", f"data end {as_of:%Y-%m-%d}"]
        if hl:
            handles.insert(1, Patch(color=GREY))
            labels.insert(1, "other clients")
        leg = ax.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, -0.06), ncol=3,
                        borderaxespad=0.0)
        _plain(leg.get_texts())
        _titles(ax, title if title is not None else "Projects from start to end", "", "project")
    return ax

# the per-notebook helpers appended above are public too
__all__ += [
    'mean_with_interval', 'segment_trends_vs_all', 'paired_bars', 'rate_with_counts',
    'client_timeline',
]


# --- added for issue 11 (05_your_data) ---
#: Above this many customers :func:`customer_concentration_chart` draws the curve, not bars.
MAX_PARETO_BARS = 50


def customer_share_curve(
    pareto: pd.DataFrame,
    *,
    highlight: Sequence[Any] | Any = (),
    customer_mark: float = 0.2,
    revenue_mark: float = 0.8,
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Lorenz-style concentration curve: share of customers (largest first) against share of revenue.

    x = cumulative share of customers, largest first (``cum_customer_share``), y = cumulative
    share of revenue (``cum_share``), both 0-100 %. Every customer is on the curve however many
    there are, so it reads the same for 30 customers and for 30,000 (a bar chart of the top 30 of
    23,570 shows a flat line near 5 % that says nothing). The dotted diagonal is a base where every
    customer buys the same; the further the curve bows above it, the more concentrated the base.
    Two marks in the target style: the revenue of the largest ``customer_mark`` of the customers
    (20 %), and the share of customers that brings ``revenue_mark`` of revenue (80 %). Key
    accounts (``highlight``) are dots in the key-account colour; the curve is grey.

    Parameters
    ----------
    pareto : DataFrame
        ``accounts.pareto_table`` output (``customer, revenue, cum_share, cum_customer_share``),
        largest first. Customers with revenue <= 0 are left out (they are not part of the customer
        base for concentration).

    Returns
    -------
    matplotlib.axes.Axes
    """
    hl = _as_set(highlight)
    p = pareto.reset_index(drop=True)
    p = p[pd.to_numeric(p["revenue"], errors="coerce").fillna(0.0) > 0].reset_index(drop=True)
    n = len(p)
    with style_context():
        ax = _new_ax(ax)
        if n == 0 or not np.isfinite(pd.to_numeric(p["cum_share"], errors="coerce")).any():
            _no_data(ax, "no customer with revenue above zero")
            _titles(ax, title if title is not None else "Share of revenue by share of customers", "", "")
            return ax
        rev = p["revenue"].astype(float).to_numpy()
        y = np.concatenate([[0.0], np.cumsum(rev) / rev.sum()])
        x = np.arange(n + 1, dtype=float) / n
        ax.plot([0, 1], [0, 1], color=GREY, ls=":", lw=1.2, zorder=2, label="every customer buys the same")
        line, = ax.plot(x, y, color="#6e6e6e", lw=2.2, zorder=3, label=f"the {n:,} customers, largest first")
        handles: list[Any] = [line]
        labels: list[str] = [line.get_label()]
        # the largest customer_mark of the customers (whole customers, rounded up, as top20_share)
        k = max(1, math.ceil(customer_mark * n - 1e-9))
        y_at = y[k]
        ax.plot([x[k], x[k]], [0, y_at], color=TARGET_COLOR, ls="--", lw=1.2, zorder=4)
        ax.plot([0, x[k]], [y_at, y_at], color=TARGET_COLOR, ls="--", lw=1.2, zorder=4)
        mark_a = Line2D([], [], color=TARGET_COLOR, ls="--", lw=1.2)
        handles.append(mark_a)
        labels.append(f"top {display.format_value(x[k], 'ratio', decimals=0 if k / n * 100 == round(k / n * 100) else 1)}"
                      f" of customers: {display.format_value(y_at, 'ratio')} of revenue")
        # the share of customers that brings revenue_mark of revenue
        j = int(np.argmax(y >= revenue_mark - 1e-9)) if (y >= revenue_mark - 1e-9).any() else n
        ax.plot([0, x[j]], [y[j], y[j]], color=TARGET_COLOR, ls=":", lw=1.4, zorder=4)
        ax.plot([x[j], x[j]], [0, y[j]], color=TARGET_COLOR, ls=":", lw=1.4, zorder=4)
        mark_b = Line2D([], [], color=TARGET_COLOR, ls=":", lw=1.4)
        handles.append(mark_b)
        labels.append(f"{display.format_value(revenue_mark, 'ratio', decimals=0)} of revenue: "
                      f"{display.format_value(x[j], 'ratio')} of customers ({j:,})")
        if hl:
            pos = [i for i, c in enumerate(p["customer"]) if _is_highlighted(c, hl)]
            if pos:
                dots = ax.scatter(x[np.array(pos) + 1], y[np.array(pos) + 1], s=46, color=HIGHLIGHT,
                                  edgecolor="white", zorder=6)
                handles.append(dots)
                labels.append("key account" if len(pos) == 1 else "key accounts")
        handles.append(Line2D([], [], color=GREY, ls=":", lw=1.2))
        labels.append("every customer buys the same")
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1.02)
        ax.xaxis.set_major_formatter(percent_formatter(0))
        ax.yaxis.set_major_formatter(percent_formatter(0))
        _legend_outside(ax, handles, labels)
        _titles(ax, title if title is not None else "Share of revenue by share of customers",
                "share of customers, largest first (%)", "cumulative share of revenue (%)")
    return ax


def customer_concentration_chart(
    pareto: pd.DataFrame,
    *,
    max_bars: int = MAX_PARETO_BARS,
    a: float = 0.8,
    b: float = 0.95,
    highlight: Sequence[Any] | Any = (),
    currency: str = "NOK",
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """The Pareto bars for a small customer base, the share curve for a large one.

    Up to ``max_bars`` customers with revenue > 0: :func:`pareto_chart` (every customer a bar,
    ABC classes, the cumulative line). More: :func:`customer_share_curve` (x = share of customers,
    y = share of revenue, marks at 20 % of customers and ``a`` of revenue), because the bars of
    the top few of thousands show only a cumulative line stuck near its start.

    Returns
    -------
    matplotlib.axes.Axes
        What the chosen function returns; ``ax.get_title()`` is ``title``.
    """
    if int(max_bars) != max_bars or max_bars < 1:
        raise ValueError(f"max_bars must be a whole number >= 1, got {max_bars!r}")
    n = int((pd.to_numeric(pareto["revenue"], errors="coerce").fillna(0.0) > 0).sum())
    if n > max_bars:
        return customer_share_curve(pareto, highlight=highlight, revenue_mark=a, title=title, ax=ax)
    return pareto_chart(pareto, a=a, b=b, highlight=highlight, currency=currency, top=max(int(max_bars), 1),
                        title=title, ax=ax)


__all__ += ["MAX_PARETO_BARS", "customer_share_curve", "customer_concentration_chart"]
