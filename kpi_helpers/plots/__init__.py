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
* key accounts are drawn in one strong colour (:data:`HIGHLIGHT`; several key accounts in its
  shades, :data:`HIGHLIGHT_MORE`), everything else in grey, in every figure of every notebook;
* target lines, and only they, are dashed and dark (:data:`TARGET_COLOR`) and labelled
  ``target 3.0%``; other reference lines (thresholds, a mean, a minimum count) are lighter and
  dotted; no value label sits under a reference line; bars start at zero, a line chart whose value
  axis does not gets a cut mark at its foot; rates per group show their counts; partial months are
  drawn lighter and hatched (bars) or hollow and dashed (lines), with a legend note;
* figures are saved at their own size (no "tight" box, which drew each figure twice): long titles
  are wrapped and legends sit inside the constrained layout, so nothing is cut off;
* NaN (and inf) values are simply not drawn; there is no random jitter, so a figure is the same
  on every run;
* text that comes from data (customer names with ``æøå``, ``&``, ``<``, ``>``, ``$``) is shown
  verbatim: mathtext and TeX interpretation are switched off on those labels.

Legends are placed outside the plotting area (to the right), so they never cover data.

Layout: the style and shared pieces in ``_style`` (private); the charts by family in :mod:`.trends`
(lines over months), :mod:`.categories` (bars, paired bars, heatmaps), :mod:`.accounts` (Pareto, shares,
scores, portfolio, an account against all), :mod:`.averages` (histogram, ratio of sums, means with
intervals) and :mod:`.concentration` (the customer base as a curve for large bases). Every public name is re-exported here, so ``plots.<name>`` is the way to call them.
"""
from __future__ import annotations

from ._style import (finite_values, PALETTE, PRIMARY, HIGHLIGHT, HIGHLIGHT_MORE, GREY, LIGHT_GREY,
                     TARGET_COLOR, FIGSIZE, UNITS, theme_rc, use_style, style_context, currency_formatter,
                     percent_formatter, figure_png)
from .trends import (line_with_target, stacked_area_by_account, segment_trends_vs_all, rate_with_counts,
                     client_timeline)
from .categories import bar_by_category, paired_bars, heatmap
from .accounts import pareto_chart, share_bar, score_contributions, portfolio_chart, compare_account_vs_all
from .averages import histogram, ratio_of_sums_vs_mean, mean_with_interval
from .concentration import MAX_PARETO_BARS, customer_share_curve, customer_concentration_chart

__all__ = [
    "finite_values",
    "PALETTE",
    "PRIMARY",
    "HIGHLIGHT",
    "HIGHLIGHT_MORE",
    "GREY",
    "LIGHT_GREY",
    "TARGET_COLOR",
    "FIGSIZE",
    "UNITS",
    "theme_rc",
    "use_style",
    "style_context",
    "currency_formatter",
    "percent_formatter",
    "figure_png",
    "line_with_target",
    "stacked_area_by_account",
    "segment_trends_vs_all",
    "rate_with_counts",
    "client_timeline",
    "bar_by_category",
    "paired_bars",
    "heatmap",
    "pareto_chart",
    "share_bar",
    "score_contributions",
    "portfolio_chart",
    "compare_account_vs_all",
    "histogram",
    "ratio_of_sums_vs_mean",
    "mean_with_interval",
    "MAX_PARETO_BARS",
    "customer_share_curve",
    "customer_concentration_chart",
]
