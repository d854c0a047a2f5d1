"""Interactive explorers (ipywidgets) for the notebooks: thin wrappers around ``accounts`` and ``plots``.

Nothing is displayed on import; a notebook shows an explorer only when its ``interactive``
parameter is True (the CLI and CI run with ``interactive=False`` and get static figures).

Each explorer is a ``VBox`` subclass that exposes its parts for tests and scripts:

* :func:`key_account_explorer` -> :class:`KeyAccountExplorer` with ``.sliders`` (criterion ->
  FloatSlider), ``.key_label``, ``.output``, ``.scores``, ``.best_scored``, ``.key_accounts`` (the
  accounts THE key-account rule picks with these weights), ``.table_html``, ``.png`` and ``.refresh()``;
* :func:`target_explorer` -> :class:`TargetExplorer` with ``.slider``, ``.summary``, ``.output``,
  ``.met``, ``.counted``, ``.png`` and ``.refresh()``.

Charts are rendered to PNG off-screen (no pyplot figure is left open) and placed in an ``Output``
widget, so they appear the same in JupyterLab, VS Code and classic Notebook.
"""
from __future__ import annotations

import base64
import html
import io
import math
from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from . import accounts, display, plots
from .i18n import tr

__all__ = ["KeyAccountExplorer", "TargetExplorer", "key_account_explorer", "target_explorer", "ranking_html"]


def _render_png(draw: Any, figsize: tuple[float, float] = plots.FIGSIZE) -> bytes:
    """Draw with ``draw(ax)`` on an off-screen Figure (not registered with pyplot) and return PNG bytes."""
    with plots.style_context():
        fig = Figure(figsize=figsize, dpi=100, layout="constrained")
        ax = fig.add_subplot()
        draw(ax)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=100)
    return buf.getvalue()


def _png_bundle(png: bytes, text: str) -> dict[str, Any]:
    return {"output_type": "display_data",
            "data": {"image/png": base64.b64encode(png).decode("ascii"), "text/plain": text},
            "metadata": {}}


def _html_bundle(markup: str, text: str) -> dict[str, Any]:
    return {"output_type": "display_data", "data": {"text/html": markup, "text/plain": text}, "metadata": {}}


def _prose(markup: str) -> str:
    """Markup for an ``ipywidgets.HTML`` that may wrap: the widget's own 28 px line height would
    spread a second line far from the first (seen in JupyterLab), so set a normal one."""
    return f'<div style="line-height:1.4;white-space:normal">{markup}</div>'


def _align(column: int) -> str:
    return "left" if column == 1 else "right"


def _score_cell(value: Any) -> str:
    """A score in the ranking table: always two decimals (``0.20``, ``1.00``), so the column lines up."""
    return display.format_value(value, "score")


def ranking_html(scores: pd.DataFrame, top: int = 8) -> str:
    """The ranking table as HTML (every name escaped): rank, account, score and the contributions.

    >>> s = pd.DataFrame({"revenue_share_contrib": [0.6], "score": [0.6], "rank": [1]},
    ...                  index=pd.Index(["<b>A & B</b>"], name="customer"))
    >>> "&lt;b&gt;A &amp; B&lt;/b&gt;" in ranking_html(s)
    True
    """
    contrib = [c for c in scores.columns if str(c).endswith("_contrib") or str(c).startswith("contribution_")]
    head = [tr("rank"), display.label("account"), display.label("score")] + [
        display.label(str(c).removesuffix("_contrib").removeprefix("contribution_")) for c in contrib]
    rows = []
    for i, (name, r) in enumerate(scores.head(top).iterrows()):
        rank = r["rank"] if "rank" in scores.columns else i + 1
        cells = [f"{int(rank)}", html.escape(str(name)), _score_cell(r.get("score", math.nan))]
        cells += [_score_cell(r[c]) for c in contrib]
        rows.append("<tr>" + "".join(
            f'<td style="text-align:{_align(j)}">{c}</td>' for j, c in enumerate(cells)) + "</tr>")
    # JupyterLab right-aligns every header: align each one with its column instead
    header = "<tr>" + "".join(f'<th style="text-align:{_align(j)}">{html.escape(h)}</th>'
                              for j, h in enumerate(head)) + "</tr>"
    return f'<table class="kpi-ranking"><thead>{header}</thead><tbody>{"".join(rows)}</tbody></table>'


class KeyAccountExplorer(widgets.VBox):
    """Weight sliders -> re-scored accounts: the chart, the ranking table and the key accounts.

    The key accounts are those of THE key-account rule (:func:`kpi_helpers.accounts.key_accounts`):
    the largest, every major account and the best-scored; the weights move only the best-scored one.
    """

    def __init__(self, features: pd.DataFrame, weights: Mapping[str, float], top: int = 8, *,
                 threshold: float = 0.10, max_accounts: int = 5) -> None:
        self.features = features
        self.top = int(top)
        self.threshold = float(threshold)
        self.max_accounts = int(max_accounts)
        self.sliders: dict[str, widgets.FloatSlider] = {}
        for name, w in weights.items():
            self.sliders[name] = widgets.FloatSlider(
                value=float(w), min=0.0, max=1.0, step=0.05, description=display.label(name),
                continuous_update=False, readout_format=".2f", style={"description_width": "150px"},
                layout=widgets.Layout(width="460px"))
        self.key_label = widgets.Label(value=tr("Key accounts: "))
        self.output = widgets.Output()
        self.scores: pd.DataFrame | None = None
        self.best_scored: Any = None
        self.key_accounts: list[Any] = []
        self.table_html = ""
        self.png = b""
        help_text = widgets.HTML(_prose(
            tr("<b>Weights of the key-account score</b> (normalised to sum to 1). Move a slider to see "
               "which account scores best, and so which accounts the key-account rule picks, and why.")))
        super().__init__([help_text, *self.sliders.values(), self.key_label, self.output])
        for s in self.sliders.values():
            s.observe(self._on_change, names="value")
        self.refresh()

    def weights(self) -> dict[str, float]:
        """The weights as the sliders show them now."""
        return {k: float(s.value) for k, s in self.sliders.items()}

    def _on_change(self, change: Any) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Re-score with the slider weights and redraw the chart, the table and the label."""
        w = self.weights()
        if sum(w.values()) <= 0:
            self.scores, self.best_scored, self.key_accounts = None, None, []
            self.key_label.value = tr("Key accounts: n/a (all weights are 0)")
            self.table_html = ""
            self.png = b""
            advice = tr("Give at least one criterion a weight above 0.")
            self.output.outputs = (_html_bundle(f"<p>{html.escape(advice)}</p>", advice),)
            return
        scores = accounts.score_accounts(self.features, w)
        self.scores = scores
        size = next((c for c in ("revenue", "revenue_share") if c in self.features.columns), None)
        picked = (accounts.key_accounts(self.features[size], scores["score"], threshold=self.threshold,
                                        max_accounts=self.max_accounts) if size is not None and len(scores)
                  else None)
        self.key_accounts = [] if picked is None else picked.index.tolist()
        best = [] if picked is None else picked.index[picked["best_scored"]].tolist()
        self.best_scored = best[0] if best else None
        if self.key_accounts:
            self.key_label.value = tr("Key accounts: {accounts} (best score: {best})",
                                      accounts=", ".join(map(str, self.key_accounts)), best=self.best_scored)
        else:
            self.key_label.value = tr("Key accounts: n/a (no account with revenue above zero)")
        hl = list(self.key_accounts)
        self.png = _render_png(lambda ax: plots.score_contributions(scores, top=self.top, highlight=hl, ax=ax))
        self.table_html = ranking_html(scores, self.top)
        text_table = scores.head(self.top)[["score"]].to_string() if "score" in scores.columns else ""
        self.output.outputs = (_png_bundle(self.png, tr("<key-account score chart>")),
                               _html_bundle(self.table_html, text_table))


def key_account_explorer(features: pd.DataFrame, weights: Mapping[str, float] = accounts.DEFAULT_WEIGHTS,
                         top: int = 8, *, threshold: float = 0.10, max_accounts: int = 5) -> KeyAccountExplorer:
    """Sliders for the weights of the key-account score; the chart and ranking follow them.

    Parameters
    ----------
    features : DataFrame
        ``accounts.account_features`` output (one row per customer).
    weights : mapping criterion -> weight
        One slider (0..1, step 0.05) per criterion, starting at these values.
    top : int
        Accounts shown in the chart and the table.
    threshold, max_accounts :
        The key-account rule's major-account share and cap (the case's ``major_threshold`` and
        ``max_key_accounts``).

    Returns
    -------
    KeyAccountExplorer
        An ``ipywidgets.VBox``; ``.sliders``, ``.key_label``, ``.scores``, ``.refresh()``.
    """
    return KeyAccountExplorer(features, weights, top, threshold=threshold, max_accounts=max_accounts)


class TargetExplorer(widgets.VBox):
    """A target slider over a KPI line: the chart and how many months meet the target."""

    def __init__(self, frame: pd.DataFrame, x: str, y: str, *, unit: str, initial_target: float,
                 lo: float, hi: float, step: float, direction: str = "higher", partial: str | None = None,
                 title: str | None = None, currency: str = "NOK") -> None:
        if direction not in ("higher", "lower"):
            raise ValueError(f"direction must be 'higher' or 'lower', got {direction!r}")
        self.frame, self.x, self.y, self.unit = frame, x, y, unit
        self.direction, self.partial, self.title, self.currency = direction, partial, title, currency
        self.slider = widgets.FloatSlider(
            value=float(initial_target), min=float(lo), max=float(hi), step=float(step),
            description=display.label("target"), continuous_update=False, readout=False,
            layout=widgets.Layout(width="460px"))
        self.target_text = widgets.Label()
        self.summary = widgets.Label()
        self.output = widgets.Output()
        self.met = 0
        self.counted = 0
        self.png = b""
        super().__init__([widgets.HBox([self.slider, self.target_text]), self.summary, self.output])
        self.slider.observe(self._on_change, names="value")
        self.refresh()

    def _on_change(self, change: Any) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Redraw the line against the slider's target and recount the months that meet it."""
        target = float(self.slider.value)
        values = plots.finite_values(self.frame[self.y]).to_numpy()
        use = np.isfinite(values)
        partial_left_out = False
        if self.partial is not None and self.partial in self.frame.columns:
            complete = ~self.frame[self.partial].fillna(False).astype(bool).to_numpy()
            partial_left_out = bool((use & ~complete).any())
            use &= complete
        meets = values[use] >= target if self.direction == "higher" else values[use] <= target
        self.met, self.counted = int(meets.sum()), int(use.sum())
        shown = display.format_value(target, self.unit, currency=self.currency)
        self.target_text.value = shown
        counts = {"met": self.met, "counted": self.counted, "target": shown}
        self.summary.value = (tr("{met} of {counted} periods meet the target {target} (partial months not counted)",
                                 **counts) if partial_left_out
                              else tr("{met} of {counted} periods meet the target {target}", **counts))
        self.png = _render_png(lambda ax: plots.line_with_target(
            self.frame, self.x, self.y, target=target, unit=self.unit, partial=self.partial, title=self.title,
            currency=self.currency, ax=ax))
        self.output.outputs = (_png_bundle(self.png, tr("<{kpi} against target {target}>", kpi=self.y, target=shown)),)


def target_explorer(frame: pd.DataFrame, x: str, y: str, unit: str = "ratio",
                    initial_target: float | None = None, min: float | None = None,  # noqa: A002
                    max: float | None = None, step: float | None = None, *,  # noqa: A002
                    direction: str = "higher", partial: str | None = "partial", title: str | None = None,
                    currency: str = "NOK") -> TargetExplorer:
    """A slider for a KPI's target: redraws :func:`plots.line_with_target` and counts the periods that meet it.

    Parameters
    ----------
    frame, x, y, unit
        As for :func:`plots.line_with_target` (e.g. ``frames["monthly"], "period", "mom_growth", "ratio"``).
    initial_target : float, optional
        Default: the median of the values.
    min, max, step : float, optional
        Slider range; default: the data range (with some room) in 100 steps.
    direction : {"higher", "lower"}
        Whether a value meets the target by being at least (higher is better) or at most it.
    partial : str, optional
        Column flagging partial months (drawn hollow, not counted); ignored when absent.

    Returns
    -------
    TargetExplorer
        An ``ipywidgets.VBox``; ``.slider``, ``.summary``, ``.met``, ``.counted``, ``.refresh()``.
    """
    values = plots.finite_values(frame[y]).to_numpy()
    finite = values[np.isfinite(values)]
    data_lo = float(finite.min()) if finite.size else 0.0
    data_hi = float(finite.max()) if finite.size else 1.0
    span = (data_hi - data_lo) or (abs(data_hi) or 1.0)
    lo = float(min) if min is not None else data_lo - 0.1 * span
    hi = float(max) if max is not None else data_hi + 0.1 * span
    if lo >= hi:
        raise ValueError(f"min ({lo}) must be below max ({hi})")
    st = float(step) if step is not None else (hi - lo) / 100
    start = float(initial_target) if initial_target is not None else (float(np.median(finite)) if finite.size
                                                                      else (lo + hi) / 2)
    start = float(np.clip(start, lo, hi))
    part = partial if partial is not None and partial in frame.columns else None
    return TargetExplorer(frame, x, y, unit=unit, initial_target=start, lo=lo, hi=hi, step=st, direction=direction,
                          partial=part, title=title, currency=currency)


# --- widgets for 04_restaurant ---

class RevpashExplorer(widgets.VBox):
    """A slider for ``open_hours_per_day``: monthly RevPASH redrawn against its target."""

    def __init__(self, monthly: pd.DataFrame, seats: float, hours: float, *, target: float | None = None,
                 lo: float = 2.0, hi: float = 12.0, step: float = 0.5, currency: str = "NOK") -> None:
        self.monthly, self.seats, self.target, self.currency = monthly, float(seats), target, currency
        self.slider = widgets.FloatSlider(
            value=float(np.clip(hours, lo, hi)), min=float(lo), max=float(hi), step=float(step),
            description=tr("open hours/day"), continuous_update=False, readout_format=".1f",
            style={"description_width": "120px"}, layout=widgets.Layout(width="460px"))
        self.summary = widgets.Label()
        self.output = widgets.Output()
        self.frame: pd.DataFrame | None = None
        self.revpash = math.nan
        self.png = b""
        help_text = widgets.HTML(_prose(
            tr("<b>RevPASH depends on an assumption</b>: how many hours a day the seats are for sale. "
               "Move the slider: the revenue stays the same, only the denominator changes.")))
        super().__init__([help_text, self.slider, self.summary, self.output])
        self.slider.observe(self._on_change, names="value")
        self.refresh()

    def _on_change(self, change: Any) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Recompute RevPASH for the slider's hours and redraw the monthly line."""
        from .kpis import revpash

        h = float(self.slider.value)
        m = self.monthly
        frame = m[["period", "partial"]].copy()
        frame["revpash"] = revpash(m["revenue"].astype(float), self.seats, h, m["open_days"].astype(float))
        self.frame = frame
        self.revpash = float(revpash(float(m["revenue"].sum()), self.seats, h, float(m["open_days"].sum())))
        whole = display.format_value(self.revpash, "currency", currency=self.currency)
        hours = display.format_value(h, "number", decimals=0 if h == int(h) else 1)
        if self.target is None:
            self.summary.value = tr("RevPASH over the whole period at {hours} open hours a day: {value}",
                                    hours=hours, value=whole)
        else:
            self.summary.value = tr("RevPASH over the whole period at {hours} open hours a day: {value} (target {target})",
                                    hours=hours, value=whole,
                                    target=display.format_value(self.target, 'currency', currency=self.currency))
        title = tr("RevPASH by month at {hours} open hours a day", hours=hours)
        # a fixed y axis (room for the fewest hours on the slider), so moving the slider moves the line
        at_min = revpash(m["revenue"].astype(float), self.seats, float(self.slider.min), m["open_days"].astype(float))
        top = max([v for v in [*np.asarray(at_min, dtype=float), self.target or 0.0] if np.isfinite(v)] or [1.0])

        def draw(ax: Any) -> None:
            plots.line_with_target(
                frame, "period", "revpash", target=self.target, unit="currency", partial="partial",
                title=title, ylabel=tr("RevPASH ({currency} per seat-hour)",
                                       currency=display.unit_label("currency", self.currency)),
                xlabel=display.label("month"), currency=self.currency, ax=ax)
            ax.set_ylim(0, top * 1.08)

        self.png = _render_png(draw)
        self.output.outputs = (_png_bundle(self.png, f"<{title}>"),)


def revpash_explorer(monthly: pd.DataFrame, seats: float, hours: float = 6.0, target: float | None = None,
                     currency: str = "NOK") -> RevpashExplorer:
    """Explore how the open-hours assumption moves RevPASH (revenue per available seat-hour).

    Parameters
    ----------
    monthly : DataFrame
        ``analyse("restaurant", ...).frames["monthly"]`` (``period``, ``partial``, ``revenue``,
        ``open_days``).
    seats : float
        Seats in the restaurant (``frames["capacity"]["seats"]``).
    hours : float
        Starting value of the slider (the notebook's ``open_hours_per_day``), 2-12 hours.
    target : float, optional
        The RevPASH target, drawn dashed.

    Returns
    -------
    RevpashExplorer
        An ``ipywidgets.VBox``; ``.slider``, ``.summary``, ``.frame``, ``.revpash``, ``.refresh()``.
    """
    return RevpashExplorer(monthly, seats, hours, target=target, currency=currency)


# --- widgets for 03_marketing_agency ---

class SegmentTrendExplorer(widgets.VBox):
    """A dropdown of segments (clients, channels): the monthly KPIs of the chosen one against all."""

    def __init__(self, monthly: pd.DataFrame, by_segment_month: pd.DataFrame, segment: str,
                 kpis: list[str], *, options: list[str], initial: str | None, x: str,
                 units: Mapping[str, str], targets: Mapping[str, float], titles: Mapping[str, str],
                 all_label: str, currency: str) -> None:
        self.monthly, self.by_segment_month, self.segment = monthly, by_segment_month, segment
        self.kpis, self.x, self.units, self.targets = list(kpis), x, dict(units), dict(targets)
        self.titles, self.all_label, self.currency = dict(titles), all_label, currency
        choices = [all_label] + [o for o in options if o != all_label]
        self.dropdown = widgets.Dropdown(options=choices, value=initial if initial in choices else choices[0],
                                         description=segment, style={"description_width": "80px"},
                                         layout=widgets.Layout(width="460px"))
        self.output = widgets.Output()
        self.png = b""
        super().__init__([self.dropdown, self.output])
        self.dropdown.observe(self._on_change, names="value")
        self.refresh()

    @property
    def selected(self) -> str:
        """The segment shown now (``all_label`` = the whole business only)."""
        return str(self.dropdown.value)

    def _on_change(self, change: Any) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Redraw the panels for the dropdown's segment."""
        name = None if self.selected == self.all_label else self.selected
        rows = None
        if name is not None:
            rows = self.by_segment_month[self.by_segment_month[self.segment] == name]
        n = max(len([k for k in self.kpis if k in self.monthly.columns]), 1)
        with plots.style_context():
            fig = Figure(figsize=(9.5, 2.9 * n + 0.4), dpi=100, layout="constrained")
            plots.segment_trends_vs_all(self.monthly, rows, name, self.kpis, x=self.x, units=self.units,
                                        targets=self.targets, titles=self.titles, all_label=self.all_label,
                                        currency=self.currency, fig=fig)
            buf = io.BytesIO()
            fig.savefig(buf, format="png", dpi=100)
        self.png = buf.getvalue()
        self.output.outputs = (_png_bundle(self.png, f"<monthly KPIs: {self.selected}>"),)


def segment_trend_explorer(monthly: pd.DataFrame, by_segment_month: pd.DataFrame, segment: str = "client",
                           kpis: list[str] | tuple[str, ...] = ("ctr", "cvr", "roas"), *,
                           options: list[str] | None = None, initial: str | None = None, x: str = "period",
                           units: Mapping[str, str] | None = None, targets: Mapping[str, float] | None = None,
                           titles: Mapping[str, str] | None = None, all_label: str | None = None,
                           currency: str = "NOK") -> SegmentTrendExplorer:
    """Pick a client (or channel) from a dropdown; its monthly KPIs are redrawn against all clients.

    Parameters
    ----------
    monthly : DataFrame
        The whole business per period (``frames["monthly"]``).
    by_segment_month : DataFrame
        Long frame with the ``segment`` column, ``x`` and the KPI columns
        (``frames["by_client_month"]``, or ``cases.marketing_agency.ad_kpis_by(daily, ["channel", "period"])``).
    segment : str
        The segment column (``client``, ``channel``).
    kpis : list of str
        KPI columns, one panel each (missing ones are skipped).
    options : list of str, optional
        Dropdown entries (default: the segments in order of appearance); ``all_label`` comes first.
    initial : str, optional
        The entry shown first (e.g. the key account).
    units, targets, titles : mapping KPI -> value, optional
        As for :func:`plots.segment_trends_vs_all`.

    Returns
    -------
    SegmentTrendExplorer
        An ``ipywidgets.VBox`` with ``.dropdown``, ``.output``, ``.selected``, ``.png``, ``.refresh()``.
    """
    all_label = tr("all clients") if all_label is None else all_label
    opts = list(options) if options is not None else list(dict.fromkeys(by_segment_month[segment].tolist()))
    return SegmentTrendExplorer(monthly, by_segment_month, segment, list(kpis), options=[str(o) for o in opts],
                                initial=initial, x=x, units=units or {}, targets=targets or {},
                                titles=titles or {}, all_label=all_label, currency=currency)


# --- widgets for 02_consultancy ---

class ClientComparisonExplorer(widgets.VBox):
    """A dropdown of clients: the chosen client's KPIs drawn next to the whole firm's."""

    def __init__(self, table: pd.DataFrame, *, reference: str, initial: str | None,
                 units: Mapping[str, str], targets: Mapping[str, float], names: Mapping[str, str],
                 currency: str, reference_label: str | None = None) -> None:
        if reference_label is None:
            reference_label = tr("whole firm")
        self.table, self.reference, self.reference_label = table, reference, reference_label
        self.units, self.targets, self.names, self.currency = dict(units), dict(targets), dict(names), currency
        options = [str(c) for c in table.index if c != reference]
        self.dropdown = widgets.Dropdown(options=options, value=initial if initial in options else
                                         (options[0] if options else None),
                                         description=display.label("client"), style={"description_width": "60px"},
                                         layout=widgets.Layout(width="460px"))
        self.summary = widgets.HTML()  # a Label would cut the long sentence off at the widget's edge
        self.output = widgets.Output()
        self.values: pd.DataFrame | None = None
        self.png = b""
        super().__init__([self.dropdown, self.summary, self.output])
        self.dropdown.observe(self._on_change, names="value")
        self.refresh()

    @property
    def selected(self) -> str | None:
        """The client shown now."""
        return None if self.dropdown.value is None else str(self.dropdown.value)

    def _on_change(self, change: Any) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Redraw the small multiples for the dropdown's client."""
        import matplotlib.pyplot as plt

        client = self.selected
        if client is None:
            self.summary.value = _prose(html.escape(tr("No clients to compare.")))
            self.output.outputs = ()
            return
        values = self.table.loc[[self.reference, client]].T
        values.columns = [self.reference_label, client]
        values = values.rename(index=lambda k: self.names.get(k, k))
        self.values = values
        units = {self.names.get(k, k): u for k, u in self.units.items()}
        targets = {self.names.get(k, k): t for k, t in self.targets.items()}

        def text(name: str, column: str) -> str:
            return display.format_value(values.at[name, column], units.get(name, "number"), currency=self.currency)

        parts = [f"{name}: {text(name, client)} ({self.reference_label} {text(name, self.reference_label)})"
                 for name in values.index]
        self.summary.value = _prose(html.escape(f"{client}: " + "; ".join(parts)))
        title = tr("{client} vs the {reference}", client=client, reference=self.reference_label)
        fig = plots.compare_account_vs_all(values, units=units, targets=targets, currency=self.currency,
                                           title=title)
        try:
            buf = io.BytesIO()
            fig.savefig(buf, format="png", dpi=100)
        finally:
            plt.close(fig)
        self.png = buf.getvalue()
        self.output.outputs = (_png_bundle(self.png, f"<{title}>"),)


def client_comparison_explorer(table: pd.DataFrame, *, reference: str = "all", initial: str | None = None,
                               units: Mapping[str, str] | None = None,
                               targets: Mapping[str, float] | None = None,
                               names: Mapping[str, str] | None = None,
                               currency: str = "NOK", reference_label: str | None = None
                               ) -> ClientComparisonExplorer:
    """Pick any client from a dropdown and see its KPIs next to the whole firm's (small multiples).

    Parameters
    ----------
    table : DataFrame
        One row per scope, the ``reference`` row (the whole firm) and one per client; one column per
        KPI (``cases.consultancy.clients_vs_firm(result)``).
    reference : str
        The row drawn grey in every panel (default ``"all"``).
    initial : str, optional
        The client shown first (e.g. the key account).
    units, targets : mapping KPI -> unit / target, optional
        As for :func:`plots.compare_account_vs_all` (keys are the column names of ``table``).
    names : mapping KPI -> readable name, optional
        Panel titles (default: the column names).
    reference_label : str, optional
        How the reference row is named in the chart and the summary line (default "whole firm", in
        the language now).

    Returns
    -------
    ClientComparisonExplorer
        An ``ipywidgets.VBox`` with ``.dropdown``, ``.summary``, ``.output``, ``.selected``, ``.values``,
        ``.png`` and ``.refresh()``.
    """
    return ClientComparisonExplorer(table, reference=reference, initial=initial, units=units or {},
                                    targets=targets or {}, names=names or {}, currency=currency,
                                    reference_label=reference_label)


# --- widgets for 00_concepts ---

__all__ += ["SmartChecker", "YieldExplorer", "smart_checker", "smart_html", "yield_explorer"]

def _parse_target(text: str) -> Any:
    """A target typed in a text box: ``""`` -> None; ``"0.85"``, ``"0,85"`` -> 0.85; ``"85%"`` -> 0.85.

    Text that is not a number is returned as it is, so ``smart_check`` can say why it is no target.
    """
    t = (text or "").strip().replace(" ", "")
    if not t:
        return None
    percent = t.endswith("%")
    number = t.rstrip("%").replace(",", ".")
    try:
        value = float(number)
    except ValueError:
        return text.strip()
    return value / 100.0 if percent else value


def smart_html(check: pd.DataFrame) -> str:
    """A ``smart_check`` result as a small HTML table (criterion, ✅/❌, reason; text escaped).

    The criteria and reasons come in the language now from ``smart_check``; the table has no other words.
    """
    rows = "".join(
        f"<tr><td style='padding:2px 8px;white-space:nowrap'><b>{html.escape(str(c))}</b></td>"
        f"<td style='padding:2px 8px'>{'✅' if ok else '❌'}</td>"
        f"<td style='padding:2px 8px;text-align:left'>{html.escape(str(r))}</td></tr>"
        for c, ok, r in zip(check["criterion"], check["ok"], check["reason"]))
    return _prose(f"<table>{rows}</table>")


class SmartChecker(widgets.VBox):
    """Text fields for a KPI definition; the SMART check below updates as you type."""

    _FIELDS = ("id", "name", "formula", "target", "period", "owner", "description")

    def __init__(self, kpi: Any = None, variant: str = "common") -> None:
        from . import scorecard

        start = kpi if kpi is not None else scorecard.KPI("", "", "", "ratio", "higher")
        layout = widgets.Layout(width="560px")
        style = {"description_width": "90px"}
        self.texts: dict[str, widgets.Text] = {}
        for f in self._FIELDS:
            value = getattr(start, f)
            value = "" if value is None else (f"{value:g}" if isinstance(value, float) else str(value))
            self.texts[f] = widgets.Text(value=value, description=tr(f), layout=layout, style=style,
                                         continuous_update=False)
        self.unit = widgets.Dropdown(options=list(scorecard.UNITS) + ["(none)"],
                                     value=start.unit if start.unit in scorecard.UNITS else "(none)",
                                     description=tr("unit"), style=style)
        self.direction = widgets.Dropdown(options=list(scorecard.DIRECTIONS),
                                          value=start.direction if start.direction in scorecard.DIRECTIONS
                                          else "higher", description=tr("direction"), style=style)
        self.variant = widgets.ToggleButtons(options=[(tr("SMART (common)"), "common"), ("Doran 1981", "doran")],
                                             value=variant, description=tr("variant"), style=style)
        self.summary = widgets.HTML()
        self.table = widgets.HTML()
        self.check = pd.DataFrame()
        super().__init__([*self.texts.values(), widgets.HBox([self.unit, self.direction]), self.variant,
                          self.summary, self.table])
        for w in [*self.texts.values(), self.unit, self.direction, self.variant]:
            w.observe(self._on_change, names="value")
        self.refresh()

    @property
    def kpi(self) -> Any:
        """The definition the fields describe now (a ``scorecard.KPI``)."""
        from . import scorecard

        t = {f: self.texts[f].value.strip() for f in self._FIELDS}
        return scorecard.KPI(
            id=t["id"], name=t["name"], formula=t["formula"],
            unit="" if self.unit.value == "(none)" else self.unit.value, direction=self.direction.value,
            target=_parse_target(t["target"]), period=t["period"] or None, owner=t["owner"] or None,
            description=t["description"])

    def _on_change(self, change: Any) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Re-run ``smart_check`` on the fields and redraw the result."""
        from . import scorecard

        self.check = scorecard.smart_check(self.kpi, variant=self.variant.value)
        met, n = int(self.check["ok"].sum()), len(self.check)
        icon = "✅" if met == n else "✏️"
        # the words of scorecard.smart_check and the exercise's self-check: a computer checks that each
        # part is written down; whether the target can be reached is for people to judge
        self.summary.value = tr("<b>{icon} {met} of {n} parts written down</b> (whether the goal is right and "
                                "reachable is for the people who own it to judge)", icon=icon, met=met, n=n)
        self.table.value = smart_html(self.check)


def smart_checker(kpi: Any = None, variant: str = "common") -> SmartChecker:
    """A SMART checker: edit a KPI definition in text fields and see which criteria it meets.

    Parameters
    ----------
    kpi : scorecard.KPI, optional
        The definition to start from (default: an empty one).
    variant : {"common", "doran"}
        Which reading of SMART is shown first (a toggle switches).

    Returns
    -------
    SmartChecker
        An ``ipywidgets.VBox``; ``.texts`` (field -> Text), ``.unit``, ``.direction``, ``.variant``,
        ``.kpi``, ``.check`` (the ``smart_check`` frame) and ``.refresh()``.
    """
    if variant not in ("common", "doran"):
        raise ValueError(f"variant must be 'common' or 'doran', got {variant!r}")
    return SmartChecker(kpi, variant)


class YieldExplorer(widgets.VBox):
    """Pick a production step and move its first-pass yield: the rolled throughput yield follows."""

    def __init__(self, steps: pd.DataFrame, step: str | None = None) -> None:
        from . import kpis

        self.steps = steps.reset_index(drop=True)
        names = self.steps["step"].astype(str).tolist()
        if not names:
            raise ValueError("no production steps to explore")
        self.baseline = float(kpis.rolled_throughput_yield(self.steps["first_pass_yield"]))
        self.dropdown = widgets.Dropdown(options=[(tr(n), n) for n in names], value=step if step in names else names[0],
                                         description=tr("step"), style={"description_width": "80px"})
        self.slider = widgets.FloatSlider(value=self._current(self.dropdown.value), min=0.5, max=1.0, step=0.005,
                                          description=tr("first-pass yield"), continuous_update=False,
                                          readout_format=".1%", style={"description_width": "110px"},
                                          layout=widgets.Layout(width="460px"))
        self.summary = widgets.HTML()
        self.output = widgets.Output()
        self.rty = self.baseline
        self.frame = pd.DataFrame()
        self.png = b""
        super().__init__([widgets.HBox([self.dropdown, self.slider]), self.summary, self.output])
        self.dropdown.observe(self._on_step, names="value")
        self.slider.observe(self._on_change, names="value")
        self.refresh()

    def _current(self, step: str) -> float:
        row = self.steps[self.steps["step"].astype(str) == step]
        v = float(row["first_pass_yield"].iloc[0])
        return v if math.isfinite(v) else 1.0

    def _on_step(self, change: Any) -> None:
        value = self._current(str(change["new"]))
        if math.isclose(float(self.slider.value), value):
            self.refresh()
        else:
            self.slider.value = value  # the slider's observer redraws

    def _on_change(self, change: Any) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Recompute the rolled throughput yield with the chosen step at the slider's yield."""
        from .cases import concepts

        step, y = str(self.dropdown.value), float(self.slider.value)
        changed = self.steps.copy()
        changed.loc[changed["step"].astype(str) == step, "first_pass_yield"] = y
        self.rty = concepts.rty_with(self.steps, step, y)
        cumulative = np.cumprod(changed["first_pass_yield"].astype(float).to_numpy())
        self.frame = pd.DataFrame({tr("first pass yield"): changed["first_pass_yield"].astype(float).to_numpy(),
                                   tr("share still good"): cumulative},
                                  index=pd.Index([tr(s) for s in changed["step"].astype(str)], name=tr("step"),
                                                 dtype=object))
        delta = (self.rty - self.baseline) * 100
        points = display.format_value(delta, "number", decimals=1)
        self.summary.value = tr("Rolled throughput yield: <b>{rty}</b> with {step} at {value} (now {baseline}; "
                                "{delta} percentage points)", rty=display.format_value(self.rty, 'ratio'),
                                step=html.escape(tr(step)), value=display.format_value(y, 'ratio'),
                                baseline=display.format_value(self.baseline, 'ratio'),
                                delta=points if delta < 0 else "+" + points)
        self.png = _render_png(lambda ax: plots.bar_by_category(
            self.frame, unit="ratio", sort=False, horizontal=False, value_label=tr("yield (%)"),
            category_label=tr("production step"),
            title=tr("What if {step} had a first-pass yield of {value}?", step=tr(step),
                     value=display.format_value(y, 'ratio')), ax=ax))
        self.output.outputs = (_png_bundle(self.png, f"<yields with {step} at {y:.3f}>"),)


def yield_explorer(steps: pd.DataFrame, step: str | None = None) -> YieldExplorer:
    """Explore how one step's first-pass yield moves the rolled throughput yield of the whole line.

    Parameters
    ----------
    steps : DataFrame
        :func:`kpi_helpers.cases.concepts.production_steps` (``step``, ``first_pass_yield``).
    step : str, optional
        The step selected first (default: the first step).

    Returns
    -------
    YieldExplorer
        An ``ipywidgets.VBox``; ``.dropdown``, ``.slider``, ``.summary``, ``.rty``, ``.frame``, ``.png``
        and ``.refresh()``.
    """
    return YieldExplorer(steps, step)

# the per-notebook helpers appended above are public too
__all__ += [
    'RevpashExplorer', 'revpash_explorer', 'SegmentTrendExplorer', 'segment_trend_explorer',
    'ClientComparisonExplorer', 'client_comparison_explorer',
]
