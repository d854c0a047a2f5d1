"""Values by category: bars (sorted, trimmed, key accounts highlighted), paired bars (an account against
the rest) and a heatmap of a value by two categories.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.patches import Patch

from .. import display
from ..i18n import tr
from ._style import (GREY, HIGHLIGHT, LIGHT_GREY, PALETTE, PRIMARY, TARGET_COLOR, finite_values, _partial_note,
                     style_context, _LABEL_BOX, _PLAIN, _apply_unit_axis, _as_set,
                     _axis_formatter, _is_highlighted, _label_text, _label_with_unit, _legend_outside,
                     _new_ax, _no_data, _distinct_decimals, _key_label, _order_and_trim, _partial_mask, _plain, _sentence,
                     _set_category_ticks, _short_value, _target_label, _titles)

__all__ = ["bar_by_category", "paired_bars", "heatmap"]


def bar_by_category(
    data: pd.Series | pd.DataFrame,
    *,
    highlight: Sequence[Any] | Any = (),
    unit: str = "currency",
    title: str | None = None,
    target: float | None = None,
    horizontal: bool = True,
    top: int | None = None,
    other_label: str | None = None,
    value_label: str | None = None,
    category_label: str | None = None,
    sort: bool = True,
    additive: bool | None = None,
    partial: str | Sequence[bool] | None = None,
    value_labels: bool = True,
    highlight_label: str | None = None,
    counts: pd.Series | Sequence[Any] | None = None,
    count_word: str | None = None,
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
        Show the ``top`` largest; the rest are summed into ``other_label`` (default "Other", in the
        language now, like every default text here) when the unit adds up
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
    highlight_label : str, optional
        The legend entry of the highlighted bars (default "key account(s)"; e.g. "the key client's
        campaigns" when the highlighted bars are one client's campaigns).
    counts, count_word : Series (by category) or sequence, and its plural noun, optional
        The number of observations behind each bar of a per-group rate (open days behind a weekday's
        table turnover): shown under the category's name, "(n = 52 open days)", so a rate over a
        handful of observations is read as such. Default noun: "observations".

    Returns
    -------
    matplotlib.axes.Axes
    """
    hl = _as_set(highlight)
    other_label = tr("Other") if other_label is None else other_label
    count_word = tr("observations") if count_word is None else count_word
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
                    if _label_meets_line(at, target, df.to_numpy(dtype=float), 0.14 if horizontal else 0.08):
                        # the target runs just past the bar's end, where the label would sit: the label
                        # goes inside the bar's end instead, so no reference line ever crosses it
                        inside: dict[str, Any] = {"xytext": (-4, 0), "ha": "right", "va": "center"} if horizontal \
                            else {"xytext": (0, -3), "ha": "center", "va": "top"}
                        ax.annotate(txt, (at, o) if horizontal else (o, at), textcoords="offset points",
                                    fontsize=9, color="white", fontweight="bold", zorder=5, **inside, **_PLAIN)
                        continue
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
            names = [_label_text(c) for c in cats]
            if counts is not None:
                by_cat = counts if isinstance(counts, pd.Series) else pd.Series(list(counts), index=list(frame.index))
                count_of = {str(k): v for k, v in by_cat.items()}
                def with_count(nm: str, c: Any) -> str:
                    if str(c) not in count_of or pd.isna(count_of[str(c)]):
                        return nm
                    if horizontal:
                        return f"{nm}\n(n = {display.count_text(count_of[str(c)], count_word)})"
                    return f"{nm}\nn = {display.format_value(count_of[str(c)], 'count')}"  # the noun: axis label
                names = [with_count(nm, c) for nm, c in zip(names, cats)]
            _set_category_ticks(cat_axis, pos, names, rotate=False if counts is not None and not horizontal else None)
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
        target_value = float(target) if target is not None else math.nan
        has_target = math.isfinite(target_value)
        if finite.size:
            lo, hi = min(0.0, float(finite.min())), max(0.0, float(finite.max()))
            if has_target:
                lo, hi = min(lo, target_value), max(hi, target_value)
            pad = (hi - lo) * (0.16 if show_values else 0.05) or 1.0
            (ax.set_xlim if horizontal else ax.set_ylim)(lo - (pad if lo < 0 else 0), hi + (pad if hi > 0 else 0))
            if lo < 0:  # a baseline, so negative bars read as negative
                (ax.axvline if horizontal else ax.axhline)(0.0, color="0.3", lw=0.9, zorder=2)
        if has_target:
            line_fn = ax.axvline if horizontal else ax.axhline
            line = line_fn(target_value, color=TARGET_COLOR, ls="--", lw=1.5, zorder=4,
                           label=_target_label(target_value, unit, currency))
            handles.append(line)
            labels.append(str(line.get_label()))
        if pmask.any():
            handles.append(Patch(facecolor=GREY if (hl or grouped) else PRIMARY, alpha=0.45, hatch="///",
                                 edgecolor="white"))
            labels.append(_partial_note())
        if hl and not grouped and any(_is_highlighted(c, hl) for c in cats):
            handles.insert(0, Patch(color=HIGHLIGHT))
            labels.insert(0, _key_label(len(hl), highlight_label))
        if not finite.size:
            _no_data(ax)
        name = value_cols[0] if len(value_cols) == 1 else "value"
        vlabel = value_label if value_label is not None else _label_with_unit(name, unit, currency)
        clabel = category_label if category_label is not None else (
            display.label(frame.index.name) if frame.index.name is not None else tr("category"))
        if counts is not None and not horizontal:
            clabel = f"{clabel} (n = {count_word})"
        shown = n - (1 if other_added else 0)
        if shown < n_total:
            clabel = (tr("{label} (top {shown} of {total}; the rest in {other})", label=clabel, shown=shown,
                         total=n_total, other=other_label) if other_added
                      else tr("{label} (top {shown} of {total})", label=clabel, shown=shown, total=n_total))
        _titles(ax, title if title is not None
                else _sentence(tr("{value} by {category}", value=display.label(name),
                                  category=display.label(frame.index.name) if frame.index.name else tr("category"))),
                vlabel if horizontal else clabel, clabel if horizontal else vlabel)
        if handles:
            _legend_outside(ax, handles, labels)
    return ax


def _label_meets_line(value: float, target: float | None, values: np.ndarray, room: float) -> bool:
    """Whether a line at ``target`` crosses the value label just past a bar ending at ``value``.

    ``room`` is the label's extent as a share of the value axis (labels above bars are short,
    labels right of horizontal bars longer).
    """
    if target is None or not math.isfinite(float(target)) or not (value > 0):
        return False
    fin = values[np.isfinite(values)]
    span = max([0.0, float(target), *fin.tolist()]) - min([0.0, *fin.tolist()]) or 1.0
    return value <= float(target) <= value + room * span


def paired_bars(
    table: pd.DataFrame,
    *,
    unit: str = "ratio",
    target: float | None = None,
    title: str | None = None,
    value_label: str | None = None,
    category_label: str | None = None,
    decimals: int | None = None,
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
    decimals : int, optional
        Decimals of the bar labels (for ratios: of the percent). Default: the unit's rule, with
        more decimals where two different values would read the same (0.16% and 0.21%, as in the
        tables, never both "0.2%"); money in its compact form.

    Returns
    -------
    matplotlib.axes.Axes
    """
    cols = list(table.columns)
    cats = list(table.index)
    vals = table.apply(finite_values).to_numpy(dtype=float) if len(cols) else np.zeros((len(cats), 0))
    colors = [HIGHLIGHT] + ([GREY, LIGHT_GREY, "#7f7f7f"] * len(cols))[: max(len(cols) - 1, 0)]
    label_decimals = decimals if decimals is not None else _distinct_decimals(vals, unit)
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
                ax.annotate(_short_value(x, unit, currency, label_decimals), (at, o), xytext=(4 if at >= 0 else -4, 0),
                            textcoords="offset points", va="center", ha="left" if at >= 0 else "right", fontsize=9,
                            color="0.25", bbox=_LABEL_BOX, zorder=5, **_PLAIN)
            handles.append(Patch(color=colors[j], label=str(col)))
        finite = vals[np.isfinite(vals)]
        t = float(target) if target is not None else math.nan
        has_target = math.isfinite(t)
        if finite.size or has_target:
            lo = min([0.0, *finite.tolist(), *([t] if has_target else [])])
            hi = max([0.0, *finite.tolist(), *([t] if has_target else [])])
            pad = (hi - lo) * 0.16 or 1.0
            ax.set_xlim(lo - (pad if lo < 0 else 0), hi + (pad if hi > 0 else 0))
        if has_target:
            handles.append(ax.axvline(t, color=TARGET_COLOR, ls="--", lw=1.5, zorder=4,
                                      label=_target_label(t, unit, currency)))
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
    days_word = display.language().days.format(number="")  # " days": the colour bar carries the unit
    labels = np.array([["" if not np.isfinite(v) else _short_value(v, unit, currency).replace(days_word, "")
                        for v in row] for row in vals], dtype=object) if vals.size else None
    title = title if title is not None else _sentence(_label_with_unit("value", unit, currency))
    if xlabel is None:
        xlabel = display.label(frame.columns.name) if frame.columns.name else tr("column")
    if ylabel is None:
        ylabel = display.label(frame.index.name) if frame.index.name else tr("row")
    with style_context():
        ax = _new_ax(ax)
        if not np.isfinite(vals).any():
            ax.grid(False)
            _no_data(ax)
            _titles(ax, title, xlabel, ylabel)
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
        _titles(ax, title, xlabel, ylabel)
    return ax
