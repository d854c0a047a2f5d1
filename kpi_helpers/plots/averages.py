"""How averages read: a histogram with its reference lines, the ratio of sums against the mean of
per-group rates, and means with their intervals and counts.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, MaxNLocator

from .. import display
from ..i18n import tr, trn
from ._style import (GREY, HIGHLIGHT, PRIMARY, TARGET_COLOR, finite_values, style_context, _LABEL_BOX, _PLAIN,
                     _apply_unit_axis, _as_set, _chart_value, _is_highlighted, _label_text, _label_with_unit,
                     _legend_outside, _new_ax, _no_data, _sentence, _set_category_ticks, _target_label,
                     _tick_number, _titles, _key_label, _REFERENCE)

__all__ = ["histogram", "ratio_of_sums_vs_mean", "mean_with_interval"]


def histogram(
    series: pd.Series | Sequence[float],
    *,
    bins: int | Sequence[float] | str = 20,
    title: str | None = None,
    xlabel: str | None = None,
    ylabel: str | None = None,
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
        E.g. ``{"mean": 3.9, "target": 4.3}``; each drawn dashed and labelled ``mean 3.9``. The
        labels ``mean``, ``average``, ``median`` and ``target`` are shown in the language now
        (:func:`kpi_helpers.i18n.set_language`); a ``target`` line gets the target style.
    ylabel : str, optional
        Default: "number of observations" in the language now.

    Returns
    -------
    matplotlib.axes.Axes
    """
    s = finite_values(pd.Series(series) if not isinstance(series, pd.Series) else series).dropna()
    name = getattr(series, "name", None)
    with style_context():
        ax = _new_ax(ax)
        v = s.to_numpy(dtype=float)
        whole: Any = False
        if v.size:
            b: Any = bins
            whole = isinstance(bins, int) and np.all(v == np.round(v)) and (v.max() - v.min()) <= 20
            if whole:
                b = np.arange(v.min() - 0.5, v.max() + 1.5)
            ax.hist(v, bins=b, color=PRIMARY, edgecolor="white", zorder=3, label=tr("observations"))
        else:
            _no_data(ax)
        lines: list[tuple[str, float]] = []
        if isinstance(vline, Mapping):
            lines = [(str(k), float(val)) for k, val in vline.items()]
        elif vline is not None:
            lines = [(vline_label or "", float(vline))]
        styles = [":", "-."]
        handles, labels = [], []
        n_ref = 0
        for lab, val in lines:
            if not math.isfinite(val):
                continue
            text = _reference_label(lab, _chart_value(val, unit, currency))
            if lab.startswith("target") or lab == tr("target"):  # THE target style: dark and dashed
                h = ax.axvline(val, color=TARGET_COLOR, ls="--", lw=1.6, zorder=4, label=text)
            else:  # a mean, a median: a reference line, never in the key-account colour
                h = ax.axvline(val, color=_REFERENCE, ls=styles[n_ref % 2], lw=2.0, zorder=4, label=text)
                n_ref += 1
            handles.append(h)
            labels.append(text)
        _apply_unit_axis(ax.xaxis, unit, currency, v)
        if v.size and whole and unit in ("score", "number", "count", "days"):
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            ax.xaxis.set_major_formatter(FuncFormatter(lambda x, pos=None: _tick_number(x, 0)))
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(False, axis="x")
        xl = xlabel if xlabel is not None else _label_with_unit(name if name is not None else "value", unit, currency)
        _titles(ax, title if title is not None else tr("Distribution of {name}", name=display.label(name or "values")),
                xl, ylabel if ylabel is not None else tr("number of observations"))
        if handles:
            _legend_outside(ax, handles, labels)
    return ax


def _reference_label(label: str, value: str) -> str:
    """The legend entry of a reference line: ``mean 3.9``, ``target 120.0 days`` in the language now."""
    words = {"mean": tr("mean {value}", value=value), "average": tr("average {value}", value=value),
             "median": tr("median {value}", value=value), "target": tr("target {value}", value=value)}
    return words.get(label, f"{label} {value}").strip()


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
                    zorder=4, label=tr("one {group}'s {rate}", group=display.label(per_group.index.name) if per_group.index.name else tr("group"),
                                       rate=display.label(rate_name)))
        for p_, val in zip(pos, vals):
            ax.annotate(_chart_value(val, unit, currency, decimals=2 if unit == "ratio" else None),
                        (p_ + 0.32, val if np.isfinite(val) else 0.0),
                        xytext=(3, 0), textcoords="offset points", ha="left", va="center", fontsize=10,
                        fontweight="bold", color="0.15", **_PLAIN)
        n_groups = len(per_group)
        n_used = int(np.isfinite(rates).sum())
        labels = [tr("mean of {n} per-{group} rates\n(misleading)", n=n_used, group=display.label(per_group.index.name) if per_group.index.name else tr("group")),
                  tr("ratio of sums\n(the KPI)")]
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
            ax.text(0.0, -0.22, trn("{n} group with {name} = 0 left out of the mean",
                                    "{n} groups with {name} = 0 left out of the mean", n_groups - n_used,
                                    name=display.label(denominator)),
                    transform=ax.transAxes, fontsize=9, color="0.4", ha="left", va="top", **_PLAIN)
        _titles(ax, title if title is not None
                else _sentence(tr("{rate}: average of rates vs ratio of sums", rate=display.label(rate_name))), "",
                _label_with_unit(rate_name, unit, currency))
        h, lab = ax.get_legend_handles_labels()
        if h:
            _legend_outside(ax, h, lab)
    return ax


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
    count_word: str | None = None,
    minimum: int | None = None,
    mean_label: str | None = None,
    count_word_one: str | None = None,
    currency: str = "NOK",
    ax: Axes | None = None,
) -> Axes:
    """Means with their confidence intervals, one row per group, with the count beside each label.

    The dot is the mean; the whisker runs from ``low`` to ``high``. A group whose interval is NaN
    (fewer than two values) gets a dot and the note "too few to judge"; a group without values only
    its label. Highlighted groups (key accounts) are drawn in :data:`HIGHLIGHT`, the rest in
    :data:`GREY` (all in :data:`PRIMARY` when nothing is highlighted). Wide whiskers mean: few
    observations, do not read much into the mean.

    Parameters
    ----------
    frame : DataFrame
        Indexed by group (e.g. ``cases.restaurant.rating_comparison(...)``), with the columns named by
        ``mean``, ``low``, ``high`` and ``count``.
    limits : (float, float), optional
        The value axis range (the 1-5 rating scale by default).
    level : float
        The interval's confidence level, for the legend.
    value_label : str, optional
        The value axis label (default: the mean column with its unit).
    count_word : str, optional
        The plural noun of the counts ("answers", "finished projects"; default "ratings" in the
        language now); one observation reads "1 finished project" (:func:`kpi_helpers.display.count_text`).
    count_word_one : str, optional
        The singular of ``count_word`` where it is not ``count_word`` without its plural ending (Bokmål:
        "avsluttede prosjekter", "avsluttet prosjekt").
    minimum : int, optional
        The fewest observations a mean needs to be judged (the KPI's minimum). Groups with fewer
        are drawn hollow and light, labelled "too few" instead of being read like the others.
    mean_label : str, optional
        The legend entry of the dots ("mean" in the language now by default; "share of 4-5 answers" for a CSAT).

    Returns
    -------
    matplotlib.axes.Axes
    """
    hl = _as_set(highlight)
    if count_word is None:
        count_word, count_word_one = tr("ratings"), tr("rating")
    mean_label = mean_label if mean_label is not None else tr("mean")

    def counted(c: Any) -> str:
        return display.count_text(c, count_word, count_word_one)

    names = list(frame.index)
    m = finite_values(frame[mean]).to_numpy(dtype=float)
    lo = finite_values(frame[low]).to_numpy(dtype=float) if low in frame.columns else np.full(len(frame), np.nan)
    hi = finite_values(frame[high]).to_numpy(dtype=float) if high in frame.columns else np.full(len(frame), np.nan)
    counts = frame[count].to_numpy() if count is not None and count in frame.columns else None
    n = len(names)
    n_obs = pd.to_numeric(pd.Series(counts), errors="coerce").to_numpy(dtype=float) if counts is not None \
        else np.full(n, np.nan)
    few = np.array([minimum is not None and np.isfinite(c) and c < minimum for c in n_obs], dtype=bool)
    other = GREY if hl else PRIMARY
    with style_context():
        ax = _new_ax(ax, figsize=(9.0, max(2.2, 0.65 * n + 1.4)))
        pos = np.arange(n, dtype=float)
        for i in range(n):
            color = HIGHLIGHT if _is_highlighted(names[i], hl) else other
            alpha = 0.45 if few[i] else 1.0
            if np.isfinite(lo[i]) and np.isfinite(hi[i]):
                ax.plot([lo[i], hi[i]], [pos[i], pos[i]], color=color, lw=2.6, solid_capstyle="butt", zorder=3,
                        alpha=alpha)
                ax.plot([lo[i], lo[i]], [pos[i] - 0.15, pos[i] + 0.15], color=color, lw=1.6, zorder=3, alpha=alpha)
                ax.plot([hi[i], hi[i]], [pos[i] - 0.15, pos[i] + 0.15], color=color, lw=1.6, zorder=3, alpha=alpha)
            if np.isfinite(m[i]):
                if few[i]:
                    ax.plot([m[i]], [pos[i]], ls="none", marker="o", ms=9, mfc="white", mec=color, mew=1.8, zorder=4)
                else:
                    ax.plot([m[i]], [pos[i]], ls="none", marker="o", ms=9, color=color, mec="white", mew=1.2,
                            zorder=4)
                text = _chart_value(m[i], unit, currency)
                if few[i]:
                    text += "  " + tr("(too few)")
                elif not (np.isfinite(lo[i]) and np.isfinite(hi[i])):
                    text += "  " + tr("(too few to judge)")
                right = hi[i] if np.isfinite(hi[i]) else m[i]
                ax.annotate(text, (right, pos[i]), xytext=(8, 0), textcoords="offset points", ha="left",
                            va="center", fontsize=9, color="0.2", bbox=_LABEL_BOX, zorder=5, **_PLAIN)
        labels = []
        for i, name in enumerate(names):
            text = _label_text(name)
            if counts is not None:
                c = pd.to_numeric(pd.Series([counts[i]]), errors="coerce").iloc[0]
                text += "\n" + tr("(n = {count})", count=counted(c)) if pd.notna(c) else ""
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
            Line2D([], [], ls="none", marker="o", ms=8, color=other, label=mean_label),
            Line2D([], [], color=other, lw=2.6,
                   label=tr("{level} interval", level=display.format_value(level, "ratio", decimals=0))),
        ]
        if hl:
            handles.insert(0, Line2D([], [], ls="none", marker="o", ms=8, color=HIGHLIGHT,
                                     label=_key_label(len(hl))))
        if few.any():
            handles.append(Line2D([], [], ls="none", marker="o", ms=8, mfc="white", mec=other, mew=1.8,
                                  label=tr("too few (fewer than {count})", count=counted(minimum))))
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
        _titles(ax, title if title is not None
                else _sentence(tr("{name} with its {level} interval", name=display.label(mean), level=level_text)),
                value_label if value_label is not None else _label_with_unit(mean, unit, currency), None)
        _legend_outside(ax, handles, [h.get_label() for h in handles])
    return ax
