"""The project style and the pieces every chart shares (private to :mod:`kpi_helpers.plots`).

The colours (a colour-blind-safe palette, one strong colour for key accounts, grey for the rest), the
theme as an ``rc`` dict and its context manager, the axis formatters (every number is
:mod:`kpi_helpers.display`'s text), and the small drawing helpers: new axes, titles with units, target
and partial-month labels, category ticks, legends outside the plot. The public names here are
re-exported by :mod:`kpi_helpers.plots`; the underscored ones serve the chart modules of this package only.
"""
from __future__ import annotations

import contextlib
import io
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from cycler import cycler
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter, MaxNLocator

from .. import display
from ..i18n import tr

__all__ = ["finite_values", "PALETTE", "PRIMARY", "HIGHLIGHT", "HIGHLIGHT_MORE", "GREY", "LIGHT_GREY",
           "TARGET_COLOR", "FIGSIZE", "UNITS", "theme_rc", "use_style", "style_context", "currency_formatter",
           "percent_formatter", "figure_png"]

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
#: Several key accounts side by side: one colour family (shades of :data:`HIGHLIGHT`, dark and light
#: alternating so neighbours in a stack stay apart), never a second strong hue that reads as "another kind".
HIGHLIGHT_MORE: tuple[str, ...] = ("#d55e00", "#8a3c00", "#f4a261", "#5e2900", "#f9cba6")
#: Everything that is not highlighted.
GREY = "#a6a6a6"
#: The "Other" bucket and partial periods.
LIGHT_GREY = "#d9d9d9"
#: Target lines (always dashed and labelled "target ...").
TARGET_COLOR = "#222222"
#: Reference lines that are not targets (thresholds, a mean, a minimum count): dotted or dash-dotted,
#: lighter than a target, so a dashed dark line always means "target".
_REFERENCE = "#595959"
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
        "axes.prop_cycle": cycler(color=list(PALETTE)),
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
        # every figure here has a constrained layout (legends and labels inside it): a "tight" box only
        # drew each figure a second time
        "savefig.bbox": "standard",
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

    In a Jupyter kernel with the inline backend it also makes the figures' PNGs with
    :func:`figure_png`: drawn once, at the figure's own size, as indexed-colour PNGs.
    """
    mpl.rcParams.update(theme_rc())  # type: ignore[arg-type]  # keys are rcParams names, checked by matplotlib
    _inline_png()


def figure_png(fig: Any) -> bytes | None:
    """A figure as the PNG a notebook shows: drawn once, at its own size, in at most 256 colours.

    matplotlib's ``savefig`` draws a figure with a layout engine twice (once with drawing disabled,
    to place the axes; every figure here has a constrained layout) and writes 32-bit RGBA. This
    draws it once (the layout with it) and stores the pixels as an indexed-colour PNG (Pillow's fast
    octree, no dithering): the same picture for flat-coloured charts, about a quarter of the bytes,
    so notebooks stay small and write fast. A figure with a colour scale (heatmap, colour bar) keeps
    24-bit colour, where 256 colours would band the gradient. Deterministic: the same figure gives
    the same bytes.
    ``None`` for an empty figure (nothing to show), as matplotlib-inline does.
    """
    from PIL import Image

    if not fig.axes and not fig.lines:
        return None
    canvas = fig.canvas
    canvas.draw()
    width, height = canvas.get_width_height(physical=True)
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1).convert("RGB")
    if not _has_colour_scale(fig):  # flat colours: 256 are plenty; a colour scale keeps every shade
        image = image.quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=6)
    return out.getvalue()


def _has_colour_scale(fig: Any) -> bool:
    """Whether a figure maps values to colours (a heatmap, a colour bar): its gradients need full colour."""
    from matplotlib.cm import ScalarMappable

    return any(isinstance(a, ScalarMappable) and a.get_array() is not None
               for ax in fig.axes for a in ax.get_children())


def _inline_png() -> None:
    """In a Jupyter kernel with the inline backend: figures shown as :func:`figure_png` makes them.

    Never imports IPython: outside a running IPython shell this does nothing. Registered after
    matplotlib-inline's own formatter (which ``import matplotlib.pyplot`` set up), so it wins; other
    formats (``%config InlineBackend.figure_formats = ["svg"]``) are left as they are.
    """
    import sys

    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    backend = str(mpl.get_backend())
    if shell is None or "inline" not in backend.lower():
        return
    import importlib

    from matplotlib.figure import Figure

    # pyplot loads its backend at the first figure, and matplotlib-inline registers its PNG formatter
    # when it is loaded: load it now, so that the registration below comes after and stays
    importlib.import_module(backend.removeprefix("module://") if backend.startswith("module://")
                            else "matplotlib_inline.backend_inline")
    shell.display_formatter.formatters["image/png"].for_type(Figure, figure_png)


@contextlib.contextmanager
def style_context() -> Iterator[None]:
    """Context manager: the project style inside, rcParams restored afterwards."""
    with mpl.rc_context(theme_rc()):  # type: ignore[arg-type]  # keys are rcParams names, checked by matplotlib
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
    return f"{display.label(name)} ({u})" if u and unit != "number" else display.label(name)


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


_PLAIN: dict[str, Any] = {"parse_math": False, "usetex": False}
#: A white backing for value labels, so a target line crossing them does not hide digits.
_LABEL_BOX: dict[str, Any] = {"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.9}


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


def _set_category_ticks(axis: Any, positions: Sequence[float] | np.ndarray, labels: Sequence[str], *,
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
    texts = [str(x) for x in (labels if labels is not None else [h.get_label() for h in handles])]
    leg = ax.legend(list(handles), texts, loc="upper left", bbox_to_anchor=(1.01, 1.0),
                    borderaxespad=0.0, **kw)
    _plain(leg.get_texts())
    if leg.get_title() is not None:
        _plain([leg.get_title()])
    return leg


def _sentence(text: str) -> str:
    """Default titles start with a capital letter ("mom growth by period" -> "Mom growth by period")."""
    return text[:1].upper() + text[1:] if text else text


#: Inches per character of a bold title, per point of font size (DejaVu Sans, a generous average).
_TITLE_INCH_PER_CHAR_PT = 0.62 / 72


def _wrap_title(text: str, width_in: float, fontsize: float) -> str:
    """``text`` wrapped (at spaces) so that each line fits ``width_in`` inches; short titles unchanged.

    Figures are saved at their own size (no "tight" box that grows to fit), so a title wider than
    its figure would be cut off.
    """
    import textwrap

    chars = max(int(width_in / (_TITLE_INCH_PER_CHAR_PT * fontsize)), 20)
    return "\n".join(textwrap.fill(line, chars, break_long_words=False) if len(line) > chars else line
                     for line in str(text).split("\n"))


def _suptitle(fig: Any, text: str) -> None:
    """A figure title wrapped to the figure's width."""
    size = float(mpl.rcParams["figure.titlesize"]) if not isinstance(mpl.rcParams["figure.titlesize"], str) else 14.0
    fig.suptitle(_wrap_title(text, fig.get_figwidth() * 0.94, size), **_PLAIN)


def _titles(ax: Axes, title: str | None, xlabel: str | None, ylabel: str | None) -> None:
    if title is not None:
        # the axes' share of the figure before the layout, less room for a legend on the right
        fig_width = float(ax.get_figure(root=True).get_figwidth())  # type: ignore[union-attr]  # root is a Figure
        width = fig_width * ax.get_position().width * 0.8
        size = mpl.rcParams["axes.titlesize"]
        ax.set_title(_wrap_title(title, width, float(size) if not isinstance(size, str) else 13.0), **_PLAIN)
    if xlabel is not None:
        ax.set_xlabel(xlabel, **_PLAIN)
    if ylabel is not None:
        ax.set_ylabel(ylabel, **_PLAIN)


def _target_label(target: float, unit: str, currency: str) -> str:
    return tr("target {value}", value=_chart_value(target, unit, currency))


def _key_label(n: int, label: str | None = None) -> str:
    """The legend entry of the highlighted items: ``label`` if given, else "key account(s)"."""
    if label is not None:
        return label
    return tr("key account") if n == 1 else tr("key accounts")


def _highlight_colors(n: int) -> list[str]:
    """Colours of ``n`` highlighted series: :data:`HIGHLIGHT` for one, its shades for several."""
    return [HIGHLIGHT_MORE[i % len(HIGHLIGHT_MORE)] for i in range(n)]


def _distinct_decimals(values: Any, unit: str) -> int | None:
    """Decimals for value labels (:func:`kpi_helpers.display.distinct_decimals`); None for money."""
    if unit == "currency":
        return None
    v = _finite_array(values)
    return display.distinct_decimals(v.tolist(), unit) if v.size else None


def _short_value(value: float, unit: str, currency: str, decimals: int | None = None) -> str:
    """Value labels on bars: currency without the currency code (it is in the axis label)."""
    return _chart_value(value, unit, "" if unit == "currency" else currency, decimals)


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


def _partial_note() -> str:
    """The legend entry of partial (incomplete) months, in the language now."""
    return tr("partial month (incomplete data)")


def _mark_cut_axis(ax: Axes) -> bool:
    """Mark a value (y) axis that does not start at zero: two short slanted strokes at its foot.

    Lines may zoom in on their range (a CSAT between 60 % and 95 %), bars never do; the strokes
    tell the reader that the distance to the bottom is not the distance to zero. Returns whether
    the axis was marked.
    """
    lo, hi = ax.get_ylim()
    if not (0 < lo < hi):
        return False
    for dy in (0.0, 0.028):
        ax.plot([-0.012, 0.012], [0.012 + dy, 0.032 + dy], transform=ax.transAxes, clip_on=False, color="0.25",
                lw=1.3, zorder=6, gid="cut-axis")
    return True


def _no_data(ax: Axes, message: str | None = None) -> None:
    ax.text(0.5, 0.5, tr("no data to show") if message is None else message, transform=ax.transAxes, ha="center", va="center", color="0.4", **_PLAIN)


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
