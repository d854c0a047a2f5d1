"""The customer base as a curve: share of customers against share of revenue (Lorenz-style).

For large customer bases the bars of a Pareto chart say nothing (the top 30 of 23,570 customers);
:func:`customer_concentration_chart` draws bars for small bases and this curve above
:data:`MAX_PARETO_BARS` customers.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from .. import accounts, display
from ..i18n import tr, trn
from .accounts import pareto_chart
from ._style import (GREY, HIGHLIGHT, TARGET_COLOR, percent_formatter, style_context, _as_set, _is_highlighted,
                     _key_label, _legend_outside, _new_ax, _no_data, _plain, _titles, _REFERENCE)

__all__ = ["MAX_PARETO_BARS", "customer_share_curve", "customer_concentration_chart"]

#: Above this many customers :func:`customer_concentration_chart` draws the curve, not bars (the
#: same threshold as the notebook text: :data:`kpi_helpers.accounts.LARGE_CUSTOMER_BASE`).
MAX_PARETO_BARS = accounts.LARGE_CUSTOMER_BASE


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
            _no_data(ax, tr("no customer with revenue above zero"))
            _titles(ax, title if title is not None else tr("Share of revenue by share of customers"), "", "")
            return ax
        rev = p["revenue"].astype(float).to_numpy()
        y = np.concatenate([[0.0], np.cumsum(rev) / rev.sum()])
        x = np.arange(n + 1, dtype=float) / n
        ax.plot([0, 1], [0, 1], color=GREY, ls=":", lw=1.2, zorder=2, label=tr("every customer buys the same"))
        line, = ax.plot(x, y, color="#6e6e6e", lw=2.2, zorder=3,
                        label=trn("the {count} customer, largest first", "the {count} customers, largest first", n,
                                  count=display.format_value(n, "count")))
        handles: list[Any] = [line]
        labels: list[str] = [str(line.get_label())]
        # the largest customer_mark of the customers (whole customers, rounded up, as top20_share)
        k = max(1, math.ceil(customer_mark * n - 1e-9))
        y_at = y[k]
        ax.plot([x[k], x[k]], [0, y_at], color=_REFERENCE, ls="-.", lw=1.2, zorder=4)
        ax.plot([0, x[k]], [y_at, y_at], color=_REFERENCE, ls="-.", lw=1.2, zorder=4)
        mark_a = Line2D([], [], color=_REFERENCE, ls="-.", lw=1.2)
        handles.append(mark_a)
        labels.append(tr("top {customers} of customers: {revenue} of revenue",
                         customers=display.format_value(x[k], "ratio",
                                                        decimals=0 if k / n * 100 == round(k / n * 100) else 1),
                         revenue=display.format_value(y_at, "ratio")))
        # the share of customers that brings revenue_mark of revenue
        j = int(np.argmax(y >= revenue_mark - 1e-9)) if (y >= revenue_mark - 1e-9).any() else n
        ax.plot([0, x[j]], [y[j], y[j]], color=_REFERENCE, ls=":", lw=1.6, zorder=4)
        ax.plot([x[j], x[j]], [0, y[j]], color=_REFERENCE, ls=":", lw=1.6, zorder=4)
        mark_b = Line2D([], [], color=_REFERENCE, ls=":", lw=1.6)
        handles.append(mark_b)
        labels.append(tr("{revenue} of revenue: {customers} of customers ({count})",
                         revenue=display.format_value(revenue_mark, "ratio", decimals=0),
                         customers=display.format_value(x[j], "ratio"), count=display.format_value(j, "count")))
        if hl:
            pos = [i for i, c in enumerate(p["customer"]) if _is_highlighted(c, hl)]
            if pos:
                dots = ax.scatter(x[np.array(pos) + 1], y[np.array(pos) + 1], s=46, color=HIGHLIGHT,
                                  edgecolor="white", zorder=6)
                handles.append(dots)
                labels.append(_key_label(len(pos)))
        handles.append(Line2D([], [], color=GREY, ls=":", lw=1.2))
        labels.append(tr("every customer buys the same"))
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1.02)
        ax.xaxis.set_major_formatter(percent_formatter(0))
        ax.yaxis.set_major_formatter(percent_formatter(0))
        _legend_outside(ax, handles, labels)
        _titles(ax, title if title is not None else tr("Share of revenue by share of customers"),
                tr("share of customers, largest first (%)"), tr("cumulative share of revenue (%)"))
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


