"""The key-account charts: Pareto curve with ABC classes, revenue shares, score contributions per
criterion, the 2 x 2 portfolio matrix, and one account's KPIs against all accounts.
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
from matplotlib.ticker import FuncFormatter

from .. import accounts, display
from ..i18n import tr, trn
from .categories import bar_by_category
from ._style import (GREY, HIGHLIGHT, HIGHLIGHT_MORE, LIGHT_GREY, PALETTE, PRIMARY, TARGET_COLOR, finite_values,
                     percent_formatter, style_context, _LABEL_BOX, _PLAIN, _apply_unit_axis, _as_set,
                     _is_highlighted, _label_text, _legend_outside, _new_ax, _no_data, _order_and_trim,
                     _plain, _sentence, _set_category_ticks, _short_value, _target_label, _tick_number,
                     _titles, _highlight_colors, _key_label, _suptitle, _REFERENCE)

__all__ = ["pareto_chart", "share_bar", "score_contributions", "portfolio_chart", "compare_account_vs_all"]


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
    title : str, optional
        Default: what the data say, in the notebooks' words
        (:func:`kpi_helpers.display.abc_title`: "8 of 27 customers (29.6%) bring 80.8% of revenue
        (ABC class A)"), never a fixed claim.

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
        line, = twin.plot(pos, cum, color=PRIMARY, lw=2, marker="o", ms=3.5, zorder=5, label=tr("cumulative share"))
        twin.set_ylim(0, 1.05)
        twin.yaxis.set_major_formatter(percent_formatter(0))
        twin.set_ylabel(tr("cumulative share of revenue (%)"), **_PLAIN)
        a_text, b_text = (display.format_value(x, "ratio", decimals=0) for x in (a, b))
        la = twin.axhline(a, color=_REFERENCE, ls=":", lw=1.6, label=tr("ABC class A up to {share}", share=a_text))
        lb = twin.axhline(b, color=_REFERENCE, ls="-.", lw=1.2, label=tr("ABC class B up to {share}", share=b_text))
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
            labels.append(_key_label(len(hl)))
        for k in ("A", "B", "C"):
            if k in cls:
                handles.append(Patch(color=_ABC_GREYS[k]))
                labels.append(tr("ABC class {abc_class}", abc_class=k))
        handles += [line, la, lb]
        labels += [str(line.get_label()), str(la.get_label()), str(lb.get_label())]
        xlabel = (tr("customer (largest first), top {n} of {total}", n=n, total=n_total) if n < n_total
                  else tr("customer (largest first)"))
        default_title = display.abc_title(*accounts.abc_a_summary(pareto)) \
            if {"revenue", "share", "abc_class"} <= set(pareto.columns) else tr("Pareto: revenue by customer")
        _titles(ax, title if title is not None else default_title,
                xlabel, tr("revenue ({currency})", currency=currency))
        if own_figure:
            # right of the twin axis's tick labels and label; constrained layout makes room
            leg = ax.figure.legend(handles, labels, loc="outside right upper")
            _plain(leg.get_texts())
        else:
            leg = _legend_outside(twin, handles, labels)
            if leg is not None:
                leg.set_bbox_to_anchor((1.22, 1.0))
    return ax


def share_bar(
    revenue: pd.Series,
    *,
    threshold: float = 0.10,
    highlight: Sequence[Any] | Any = (),
    top: int = 10,
    title: str | None = None,
    other_label: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Each customer's share of revenue, with the major-customer threshold as a dashed line.

    Shares are revenue / total (NaN when the total is 0); the tail beyond ``top`` is summed into
    ``other_label``. Key accounts in the strong colour.

    Returns
    -------
    matplotlib.axes.Axes
    """
    other_label = tr("Other") if other_label is None else other_label
    rev = finite_values(revenue)
    rev.index = revenue.index
    total = rev.sum(min_count=1)
    share = rev / total if (total is not None and math.isfinite(total) and total != 0) else rev * np.nan
    share.name = tr("share of revenue")
    share.index.name = revenue.index.name or tr("customer")
    with style_context():
        ax = bar_by_category(share, highlight=highlight, unit="ratio", top=top, other_label=other_label,
                             additive=True, ax=ax,
                             title=title if title is not None else tr("Share of revenue by customer"),
                             value_label=tr("share of revenue (%)"))
        line = ax.axvline(threshold, color=_REFERENCE, ls=":", lw=1.8, zorder=4,
                          label=tr("major customer: {share} or more", share=display.format_value(threshold, 'ratio', decimals=0)))
        lo, hi = ax.get_xlim()
        if threshold * 1.1 > hi:
            ax.set_xlim(lo, threshold * 1.15)
        leg = ax.get_legend()
        handles = list(leg.legend_handles) if leg is not None else []
        labels = [t.get_text() for t in leg.get_texts()] if leg is not None else []
        _legend_outside(ax, handles + [line], labels + [str(line.get_label())])
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
            labels.append(_key_label(len(hl)))
        ylabel = tr("account (top {n} of {total})", n=n, total=n_total) if n < n_total else tr("account")
        _titles(ax, title if title is not None else tr("Key-account score: what each criterion contributes"),
                tr("weighted score (0-1)"), ylabel)
        _legend_outside(ax, handles, labels, title=tr("criterion"))
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
            ax.text(qx, qy, tr(q), ha=ha, va=va, fontsize=11, fontweight="bold",
                    color=HIGHLIGHT if q == "key account" else "0.45", alpha=0.9, zorder=2, **_PLAIN)
        # which points get a name: the highlighted ones, then the best by attractiveness + strength
        total = np.where(ok, x + y, -np.inf)
        order = sorted(range(len(names)), key=lambda i: (not is_hl[i], -total[i], str(names[i])))
        chosen = [i for i in order if ok[i]][: max(int(label_top), int(is_hl.sum()))]
        fig = ax.get_figure(root=True)
        assert fig is not None  # an Axes always belongs to a figure
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
        handles = [Line2D([], [], ls="none", marker="o", color=GREY, ms=8, label=tr("account"))]
        if hl:
            handles.insert(0, Line2D([], [], ls="none", marker="o", color=HIGHLIGHT, ms=8,
                                     label=_key_label(len(hl))))
        if size is not None:
            handles.append(Line2D([], [], ls="none", label=tr("marker size: revenue")))
        if not ok.any():
            _no_data(ax)
        _titles(ax, title if title is not None else tr("Account portfolio: where each customer stands"),
                tr("strength of our position (0-1: revenue share, engagement)"),
                tr("account attractiveness (0-1: growth potential, strategic value)"))
        _legend_outside(ax, handles, [str(h.get_label()) for h in handles])
    return ax


def compare_account_vs_all(
    values: pd.DataFrame,
    *,
    units: Mapping[str, str] | None = None,
    title: str | None = None,
    currency: str = "NOK",
    targets: Mapping[str, float] | None = None,
    ncols: int = 4,
    highlight: Sequence[Any] | Any = None,
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
    highlight : name or list of names, optional
        The key-account columns, drawn in the key-account colour (several: shades of it); every
        other column (the reference, "all other clients") in greys. Default: every column but the
        first.

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
        hl = cols[1:] if highlight is None else _as_set(highlight)
        key_cols = [c for c in cols if _is_highlighted(c, hl)]
        shades = dict(zip(map(str, key_cols), _highlight_colors(len(key_cols))))
        greys = iter([GREY, "#6e6e6e", LIGHT_GREY] * len(cols))
        colors = [shades[str(c)] if str(c) in shades else next(greys) for c in cols]
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
            given = targets.get(kpi)
            t = float(given) if given is not None else math.nan
            has_t = math.isfinite(t)
            if has_t:
                any_target = True
                a.axhline(t, color=TARGET_COLOR, ls="--", lw=1.3, zorder=4,
                          label=_target_label(t, unit, currency))
            fin = v[np.isfinite(v)]
            hi = max([0.0, *fin.tolist(), *([t] if has_t else [])])
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
                head = f"{head}\n({_target_label(t, unit, currency)})"
            head = "\n".join(textwrap.fill(line, wrap) for line in head.split("\n"))
            _titles(a, head, None, display.unit_label(unit, currency) if unit != "number" else tr("value"))
            a.title.set_fontsize(12)
        for k in range(len(kpi_names), nr * nc):
            axes[k // nc][k % nc].set_visible(False)
        if not kpi_names:
            axes[0][0].set_visible(True)
            _no_data(axes[0][0])
            _titles(axes[0][0], tr("no KPIs"), None, tr("value"))
        handles: list[Any] = [Patch(color=c) for c in colors]
        labels = [str(c) for c in cols]
        if any_target:
            handles.append(Line2D([], [], color=TARGET_COLOR, ls="--", lw=1.3))
            labels.append(tr("target"))
        leg = fig.legend(handles, labels, loc="outside lower center", ncols=min(len(labels), 4))
        _plain(leg.get_texts())
        who = ", ".join(str(c) for c in cols[1:])
        _suptitle(fig, title if title is not None else tr("{who} vs all customers", who=who))
    return fig
