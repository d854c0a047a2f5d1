"""Lines over months: a KPI against its target, revenue stacked by account, segments against all, a rate
over its counts, and the projects of a client from start to end.

Partial months are drawn hollow and dashed (lines) or hatched (bars), with a legend note.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from .. import display
from ..i18n import tr
from .categories import bar_by_category
from ._style import (FIGSIZE, GREY, HIGHLIGHT, HIGHLIGHT_MORE, LIGHT_GREY, PALETTE, PRIMARY, TARGET_COLOR,
                     finite_values, style_context, _partial_note, _PLAIN, _apply_unit_axis, _as_set,
                     _is_highlighted, _label_text, _label_with_unit, _legend_outside, _new_ax, _no_data,
                     _partial_mask, _plain, _highlight_colors, _key_label, _sentence, _set_category_ticks,
                     _suptitle, _target_label, _titles, _mark_cut_axis, _REFERENCE)

__all__ = ["line_with_target", "stacked_area_by_account", "segment_trends_vs_all", "rate_with_counts",
           "client_timeline"]


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
            leg_labels.append(_partial_note())
        vals = np.concatenate(all_vals) if all_vals else np.array([])
        _apply_unit_axis(ax.yaxis, unit, currency, vals)
        finite = vals[np.isfinite(vals)]
        if unit in ("currency", "count") and finite.size and finite.min() >= 0:
            ax.set_ylim(bottom=0)
        if finite.size and finite.min() < 0 < finite.max():
            ax.axhline(0.0, color="0.3", lw=0.9, zorder=1)
        if finite.size:
            _mark_cut_axis(ax)
        if n:
            ax.set_xlim(-0.5, n - 0.5)
            _set_category_ticks(ax.xaxis, pos, [_label_text(v) for v in frame[x]])
        if not finite.size:
            _no_data(ax)
        default_y = _label_with_unit(ys[0] if len(ys) == 1 else "value", unit, currency)
        _titles(ax, title if title is not None
                else _sentence(tr("{what} by period", what=display.label(ys[0]) if len(ys) == 1 else tr("KPIs"))),
                xlabel if xlabel is not None else display.label(x), ylabel if ylabel is not None else default_y)
        if len(ys) > 1 or len(handles) > len(ys):
            _legend_outside(ax, handles, leg_labels)
    return ax


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
    other_label: str | None = None,
    partial: Sequence[bool] | pd.Series | None = None,
    ylabel: str | None = None,
    legend_title: str | None = "account",
    ax: Axes | None = None,
) -> Axes:
    """Revenue per period stacked by account: the key accounts at the bottom, the tail as "Other".

    Parameters
    ----------
    matrix : DataFrame
        Period x account revenue (e.g. ``frames["revenue_by_month"]``). NaN counts as 0.
    highlight : name or list of names
        Key accounts: the key-account colour (several: shades of it, one colour family), drawn at
        the bottom of the stack, always shown; the other named accounts in greys.
    top : int
        How many accounts are shown by name (highlighted ones included); the rest are summed
        into ``other_label`` (default "Other", in the language now).
    partial : boolean sequence or Series (aligned with the periods), optional
        Partial periods are shaded and hatched, with a legend note.
    legend_title : str or None
        The legend's title ("account" by default, in the language now; "client", "ABC class"; None for none).

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
    colors = _highlight_colors(len(key_cols))
    if key_cols:
        colors += _greys(len(named))
    else:
        colors += [PALETTE[i % len(PALETTE)] for i in range(len(named))]
    if tail:
        series.append(m[tail].sum(axis=1).to_numpy())
        names.append(other_label if other_label is not None else tr("Other"))
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
            ax.axvspan(float(i - 0.5 if i > 0 else i), float(i + 0.5 if i < n - 1 else i), facecolor="white", alpha=0.55,
                       hatch="///", edgecolor="0.5", lw=0, zorder=3)
        if mask.any():
            handles.append(Patch(facecolor="white", hatch="///", edgecolor="0.5"))
            labels.append(_partial_note())
        if n:
            ax.set_xlim(0, max(n - 1, 1))
            _set_category_ticks(ax.xaxis, pos, [_label_text(v) for v in m.index])
        ax.set_ylim(bottom=0)
        _apply_unit_axis(ax.yaxis, "currency", currency)
        _titles(ax, title if title is not None else tr("Revenue by account"),
                display.label(m.index.name if m.index.name is not None else "period"),
                ylabel if ylabel is not None else tr("revenue ({currency})", currency=display.unit_label("currency", currency)))
        _legend_outside(ax, handles, labels,
                        title=display.label(legend_title) if legend_title == "account" else legend_title)
    return ax


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
    all_label: str | None = None,
    currency: str = "NOK",
    title: str | None = None,
    highlight_all: bool = False,
    fig: Figure | None = None,
) -> Figure:
    """Monthly KPIs of one segment (a client, a channel) against the whole business, one panel per KPI.

    Each panel is :func:`line_with_target`: the segment in the key-account colour, the whole
    business (``all_label``, default "all clients" in the language now) in grey, the KPI's target dashed, partial months hollow.

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
    highlight_all : bool
        Draw the lone ``monthly`` series (no segment) in the key-account colour: for a key
        account's own monthly KPIs, passed as ``monthly`` with ``all_label`` its name.
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
    if all_label is None:
        all_label = tr("all clients")
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
            hl_cols = ["__segment"] if seg is not None else (["__all"] if highlight_all else [])
            line_with_target(frame, x, cols, labels=labels, highlight=hl_cols,
                             target=t, unit=units.get(kpi, "ratio"), currency=currency,
                             partial="__partial" if "__partial" in frame.columns else None,
                             title=titles.get(kpi, kpi.upper() if len(kpi) <= 4 else display.label(kpi)),
                             xlabel=display.label(x) if i == len(shown) - 1 else "",
                             ylabel=f"{kpi.upper() if len(kpi) <= 4 else display.label(kpi)} "
                                    f"({display.unit_label(units.get(kpi, 'ratio'), currency)})", ax=ax)
        if not shown:
            _no_data(axes[0])
        if title is None:
            title = (tr("{name} vs {all_label}: KPIs by month", name=name, all_label=all_label) if seg is not None
                     else tr("{all_label}: KPIs by month", all_label=all_label))
        _suptitle(fig, title)
    return fig


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
    minimum: int | None = None,
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
    minimum : int, optional
        The fewest observations a rate needs to be judged (the KPI's minimum: below it the KPI
        table says ``insufficient_data``). Months below it get a grey ring around their point and a
        light grey bar, the minimum is a dotted line over the bars, and the legend says
        "insufficient data (fewer than N ...)".

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
        word = count_label if count_label is not None else display.label(count)
        extra: list[tuple[Any, str]] = []
        if minimum is not None and len(frame):
            n_obs = finite_values(frame[count]).to_numpy(dtype=float)
            rate = finite_values(frame[y]).to_numpy(dtype=float)
            low = np.isfinite(n_obs) & (n_obs < minimum)
            pos = np.arange(len(frame), dtype=float)
            ring = low & np.isfinite(rate)
            if ring.any():
                top.plot(pos[ring], rate[ring], ls="none", marker="o", ms=11, mfc="none", mec=GREY, mew=2.0, zorder=5)
            if bottom.containers:
                for bar, is_low in zip(bottom.containers[0], low):
                    if is_low:
                        bar.set_facecolor(LIGHT_GREY)
            bottom.axhline(float(minimum), color=_REFERENCE, ls=":", lw=1.3, zorder=4)
            if low.any():
                extra.append((Line2D([], [], ls="none", marker="o", ms=11, mfc="none", mec=GREY, mew=2.0),
                              tr("insufficient data (fewer than {count})", count=display.count_text(minimum, word))))
        leg = bottom.get_legend()
        if leg is not None and top.get_legend() is not None:
            leg.remove()
        if extra:
            old = top.get_legend()
            handles = list(old.legend_handles) if old is not None else []
            texts = [t.get_text() for t in old.get_texts()] if old is not None else []
            _legend_outside(top, handles + [h for h, _ in extra], texts + [t for _, t in extra])
        _suptitle(fig, title if title is not None else _sentence(
            tr("{rate} and {count} by period", rate=display.label(y), count=display.label(count))))
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
        labels = [tr("finished") if not hl else tr("finished ({label})", label=_key_label(len(hl))),
                  tr("ongoing (so far)"), tr("planned end"), tr("data end {date}", date=display.format_value(as_of, "date"))]
        if hl:
            handles.insert(1, Patch(color=GREY))
            labels.insert(1, tr("other clients"))
        leg = ax.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, -0.06), ncol=3,
                        borderaxespad=0.0)
        _plain(leg.get_texts())
        _titles(ax, title if title is not None else tr("Projects from start to end"), "", tr("project"))
    return ax
