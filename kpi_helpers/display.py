"""THE text form of a value: value + unit + language -> text, for tables, frames, figures and prose.

Every place that shows a number to a person (the KPI table in a notebook, a case's display
frames, figure labels and ticks, widget summaries, report sentences) goes through
:func:`format_value`, so one number prints the same everywhere. The KPI table *file* is not
display: :func:`kpi_helpers.scorecard.kpi_table_csv` writes machine text.

The English style (``lang="en"``)
=================================

==========  ===================================================  ==============================
unit        rule                                                 examples
==========  ===================================================  ==============================
ratio       a fraction shown as percent with one decimal; two    0.1234 -> "12.3%",
            decimals for a non-zero ratio below 1 % (so 0.16 %   0.0064 -> "0.64%",
            and 0.21 % never both read "0.2%")                   4.0 -> "400.0%", 0 -> "0.0%"
currency    the currency code, a space, thousands separated;     14914109.4 -> "NOK 14,914,109",
            two decimals for a non-zero amount below 100         3.456 -> "NOK 3.46"
days        one decimal and the word "days"                      12.25 -> "12.2 days"
score       two decimals (ratings and survey scores, 1-5)        4.267 -> "4.27"
count       whole numbers with thousands separators; two         1234 -> "1,234", 2.345 -> "2.35"
            decimals when the value is not whole (an average)
index       thousands separated; one decimal below 100           2600 -> "2,600", 23.46 -> "23.5"
multiple    a ratio read as "times", one decimal (ROAS)          9.17 -> "9.2x"
number      a plain number: none below 100 gets more than two    1234.5 -> "1,234", 0.5 -> "0.5"
            decimals, trailing zeros dropped; none from 100 on
date        ``YYYY-MM-DD``                                       "2025-12-27"
month       ``YYYY-MM``                                          "2025-12"
text        the value as it is                                   "Ærlig & Sønn"
==========  ===================================================  ==============================

Undefined values (None, NaN, ``pd.NA``, NaT, inf, anything that is not a number) are
``"n/a"``. A number that rounds to zero never shows a minus sign ("0.0%", not "-0.0%").
``decimals=`` overrides the rule's number of decimals (for ratios: decimals of the percent).
``compact=True`` is the short form of money for figures and running text: thousands (``k``),
millions (``M``) and billions (``bn``) with three significant digits ("NOK 1.2M", "NOK 350k");
other units are unchanged.

Languages
=========
A language is one :class:`~kpi_helpers.i18n.Language` (``kpi_helpers.i18n``): its number style
(thousands and decimal separators, minus sign), its patterns ("{number}%", "{currency} {number}",
"{number} days", dates, months, ...) and its words (status words, KPI names, short labels, nouns,
sentences, "n/a"). Every function here takes ``lang=`` and has no branch per language; codes are
:data:`LANGUAGES`, ``("en", "nb")``, any other is a ``ValueError`` naming them. The digits are rounded
the same way in every language (the rules above), so a value is the same number in both editions.

The Bokmål style (``lang="nb"``), from CLDR's ``nb_NO`` data through Babel (imported on first use;
``kpi_helpers/i18n/nb.py`` documents each choice); ``␣`` below is U+00A0 NO-BREAK SPACE, CLDR's
thousands separator for nb, also before ``%`` and after ``kr``; the minus is U+2212:

==========  ==============================================================
unit        examples
==========  ==============================================================
ratio       0.823 -> "82,3␣%", 0.0064 -> "0,64␣%", -0.25 -> "−25,0␣%"
currency    14914109.4 -> "kr␣14␣914␣109", 3.456 -> "kr␣3,46"; compact
            "kr␣1,23␣mill.", "kr␣350k", "kr␣2,3␣mrd."; EUR -> "€␣3,46"
days        12.25 -> "12,2 dager"
score       4.267 -> "4,27"
count       1234 -> "1␣234"
index       2600 -> "2␣600"
multiple    9.17 -> "9,2x"
number      1234.5 -> "1␣234", 0.5 -> "0,5"
date        "27.12.2025"
month       "januar 2025"
undefined   "i.a." (ikke aktuelt)
==========  ==============================================================

Names shown to people
=====================
- :func:`status_text`: the words for the KPI table's status ids (``on_track`` -> "on track");
- :func:`kpi_name`: a KPI's readable name (the KPI catalogue's ``name``, "Click-through rate (CTR)");
- :func:`label`: a short label for a column or KPI id on an axis or legend ("CTR", "average check";
  anything else: underscores become spaces);
- :func:`unit_label`: the unit in an axis label ("NOK", "%", "days").

Nothing here imports matplotlib, seaborn or ipywidgets, and no function changes its arguments.
"""
from __future__ import annotations

import math
import re
from contextlib import nullcontext
from collections.abc import Callable, Mapping, Sequence
from typing import Any, ContextManager

import numpy as np
import pandas as pd

from . import i18n, scorecard
from .i18n import LANGUAGES, Language

__all__ = [
    "DISPLAY_UNITS",
    "KPI_DISPLAY_UNITS",
    "LANGUAGES",
    "Language",
    "format_against_target",
    "format_frame",
    "format_kpi_table",
    "format_value",
    "distinct_decimals",
    "count_text",
    "abc_title",
    "hhi_band_text",
    "quadrant_text",
    "shown_names",
    "key_accounts_text",
    "markdown_text",
    "note_text",
    "scope_text",
    "kpi_name",
    "label",
    "language",
    "status_text",
    "unit_label",
]

#: Every unit :func:`format_value` knows: the KPI table's units (``scorecard.UNITS``) and the
#: display-only ones.
DISPLAY_UNITS = (*scorecard.UNITS, "multiple", "number", "date", "month", "text")

#: KPIs shown in another unit than the one the KPI table stores. ROAS is a ratio of sums in the
#: table (conversion value / spend, 9.17) but people read it as a multiple: "9.2x".
KPI_DISPLAY_UNITS: dict[str, str] = {"roas": "multiple"}


def language(lang: str | None = None) -> Language:
    """The :class:`Language` for a code (:func:`kpi_helpers.i18n.language`); ``ValueError`` for a
    code not in :data:`LANGUAGES`.

    >>> language("en").decimal
    '.'
    """
    return i18n.language(lang)


def _in(lang: str | None) -> ContextManager[Any]:
    """A ``with`` block in ``lang`` (the language now when None), for sentences built with :func:`i18n.tr`."""
    return nullcontext() if lang is None else i18n.using(lang)


# ---------------------------------------------------------------------------------------------
# names
# ---------------------------------------------------------------------------------------------
def status_text(status: Any, lang: str | None = None) -> str:
    """The words for a KPI table status id; any other status is shown as it is.

    >>> status_text("on_track"), status_text("not_measurable"), status_text("paused")
    ('on track', 'not measurable', 'paused')
    """
    words = language(lang).statuses
    return words.get(status, str(status)) if isinstance(status, str) else str(status)


def label(name: Any, lang: str | None = None) -> str:
    """A short label for a KPI or column id (axes, legends, default titles).

    >>> label("cmgr"), label("avg_check"), label("revenue_share")
    ('CMGR', 'average check', 'revenue share')
    """
    return language(lang).labels.get(str(name), str(name).replace("_", " "))


def kpi_name(kpi: str, lang: str | None = None, names: Mapping[str, str] | None = None) -> str:
    """A KPI's readable name: from ``names`` if given there, else the language's (for English
    the KPI catalogue's), else the id as it is.

    >>> kpi_name("ctr"), kpi_name("sla_rate"), kpi_name("sla_rate", names={"sla_rate": "SLA"})
    ('Click-through rate (CTR)', 'sla_rate', 'SLA')
    """
    if names is not None and kpi in names:
        return str(names[kpi])
    table = language(lang).kpi_names
    if table is None:
        known = scorecard.KPI_CATALOGUE.get(kpi)
        return known.name if known is not None else str(kpi)
    return str(table.get(kpi, kpi))


def unit_label(unit: str, currency: str = "NOK", lang: str | None = None) -> str:
    """The unit as shown in an axis label: ``NOK``, ``%``, ``days``, ...

    >>> unit_label("currency"), unit_label("ratio", "EUR"), unit_label("count"), unit_label("m2")
    ('NOK', '%', 'count', 'm2')
    """
    lg = language(lang)
    if unit == "currency":
        return lg.currency_symbol(currency)
    return lg.unit_words.get(unit, unit)


# ---------------------------------------------------------------------------------------------
# values
# ---------------------------------------------------------------------------------------------
def _number(value: Any) -> float | None:
    """A finite float, or None for None/NaN/NA/inf/bool/anything that is not a number."""
    if value is None or isinstance(value, (bool, np.bool_, str, bytes)):
        return None
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def _digits(x: float, decimals: int, lang: Language, *, trim: bool = False) -> str:
    """``x`` with ``decimals`` decimals and thousands separators in the language's style."""
    text = f"{x:,.{max(int(decimals), 0)}f}"
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    if text.startswith("-") and not any(c in "123456789" for c in text):
        text = text[1:]  # rounds to zero: no "-0.0"
    if (lang.thousands, lang.decimal, lang.minus) != (",", ".", "-"):
        text = text.translate({ord(","): "\x00", ord("."): lang.decimal, ord("-"): lang.minus})
        text = text.replace("\x00", lang.thousands)
    return text


def _compact(x: float, lang: Language) -> str:
    """Three significant digits with k / M / bn: 1,234,567 -> "1.23M", 999,999 -> "1M"."""
    a = abs(x)
    for size, suffix in lang.compact:
        # round first, so that 999,999 becomes "1M" and not "1e+03k"
        if a >= size * (1 - 0.5e-3):
            scaled = x / size
            decimals = max(2 - int(math.floor(math.log10(abs(scaled)))), 0)
            return _digits(scaled, decimals, lang, trim=True) + suffix
    return _digits(x, 0, lang) if a >= 1 or x == 0 else _digits(x, 2, lang, trim=True)


def _default_decimals(x: float, unit: str) -> int:
    if unit == "ratio":
        return 2 if 0 < abs(x) < 0.01 else 1
    if unit == "currency":
        return 2 if 0 < abs(x) < 100 else 0
    if unit == "days":
        return 1
    if unit == "score":
        return 2
    if unit == "count":
        return 0 if float(x).is_integer() else 2
    if unit == "index":
        return 1 if abs(x) < 100 else 0
    if unit == "multiple":
        return 1
    return 2 if abs(x) < 100 else 0  # number


def distinct_decimals(values: Sequence[float], unit: str) -> int:
    """Decimals that show every value in its unit's usual precision and tell different values apart.

    The unit's rule for the most precise value, plus up to two more where two different values would
    otherwise read the same (value labels next to each other on a figure, as in the tables).

    >>> distinct_decimals([0.0016, 0.0021], "ratio"), distinct_decimals([0.0312, 0.0314], "ratio")
    (2, 2)
    >>> format_value(0.0312, "ratio", decimals=distinct_decimals([0.0312, 0.0314], "ratio"))
    '3.12%'
    """
    xs = sorted({float(x) for x in values if x is not None and math.isfinite(float(x))})
    if not xs:
        return _default_decimals(0.0, unit)
    base = max(_default_decimals(x, unit) for x in xs)
    for d in range(base, base + 3):
        if len({format_value(x, unit, decimals=d) for x in xs}) == len(xs):
            return d
    return base + 2


def count_text(n: Any, plural: str, singular: str | None = None, lang: str | None = None) -> str:
    """A count with its noun in the right number: "1 finished project", "12 answers", "n/a answers".

    ``singular`` defaults to ``plural`` without its plural ending ("parties" -> "party"). In another
    language than English the words come from the plural message ``"{n} <singular>"`` /
    ``"{n} <plural>"`` of the ``.po`` files (as :func:`kpi_helpers.i18n.trn` writes them), so a caller
    passes English nouns and adds that entry ("{n} finished project" -> "{n} ferdig prosjekt");
    without one the English words are shown.

    >>> count_text(1, "finished projects"), count_text(3, "answers"), count_text(1, "parties")
    ('1 finished project', '3 answers', '1 party')
    """
    number = format_value(n, "count", lang=lang)
    if singular is None:
        singular = plural[:-3] + "y" if plural.endswith("ies") else plural[:-1] if plural.endswith("s") else plural
    x = _number(n)
    one = x is not None and abs(x) == 1
    code = i18n.get_language() if lang is None else lang
    forms = i18n.messages(code).get((f"{{n}} {singular}", f"{{n}} {plural}")) if code != "en" else None
    if forms:  # the plural message "{n} <singular>" / "{n} <plural>" of the .po files
        return str(forms[0] if one else forms[1]).format(n=number)
    return f"{number} {singular if one else plural}"


def hhi_band_text(band: Any, lang: str | None = None) -> str:
    """An HHI band of :func:`kpi_helpers.accounts.hhi_band` as shown: in the language now ("highly
    concentrated" -> "sterkt konsentrert"); "n/a" is the language's undefined value; other text as it is.

    >>> hhi_band_text("moderately concentrated"), hhi_band_text("highly concentrated", lang="nb")
    ('moderately concentrated', 'sterkt konsentrert')
    """
    with _in(lang):
        words = {"unconcentrated": i18n.tr("unconcentrated"),
                 "moderately concentrated": i18n.tr("moderately concentrated"),
                 "highly concentrated": i18n.tr("highly concentrated")}
        return words.get(band, language().not_available if band == "n/a" else str(band))


def quadrant_text(quadrant: Any, lang: str | None = None) -> str:
    """A quadrant of the portfolio matrix (:func:`kpi_helpers.accounts.portfolio_matrix`: "key account",
    "develop", "maintain", "efficiency") in the language now; other text as it is.

    >>> quadrant_text("maintain"), quadrant_text("key account", lang="nb")
    ('maintain', 'nøkkelkunde')
    """
    with _in(lang):
        words = {"key account": i18n.tr("key account"), "develop": i18n.tr("develop"),
                 "maintain": i18n.tr("maintain"), "efficiency": i18n.tr("efficiency")}
        return words.get(quadrant, str(quadrant))


def shown_names(frame: Any, names: Mapping[Any, Any] | Callable[[Any], Any], *,
                index_labels: bool = False) -> Any:
    """A display copy of a frame (or Series) whose column names and axis names, and with
    ``index_labels`` its row labels, are shown through ``names``: a mapping of ids to the words of the
    language now (names it lacks stay as they are) or a function of a name. The one renaming rule of
    the cases' display tables; the frame the code reads keeps its ids. The input is not changed.

    >>> f = pd.DataFrame({"visits": [1]}, index=pd.Index(["known"], name="type"))
    >>> shown_names(f, {"visits": "besøk", "type": "type gjest", "known": "kjent"}, index_labels=True).to_dict()
    {'besøk': {'kjent': 1}}
    """
    def name(x: Any) -> Any:
        if not isinstance(x, str):
            return x
        return names(x) if callable(names) else names.get(x, x)

    out = frame.rename(index=name) if index_labels else frame.copy()
    if isinstance(out, pd.DataFrame):
        out = out.rename(columns=name)
        out.columns.name = name(frame.columns.name)
    out.index.names = [name(n) for n in frame.index.names]
    return out


def abc_title(n_a: int, n: int, share: float, lang: str | None = None) -> str:
    """How concentrated revenue is, stated from the data (the Pareto figure's title).

    >>> abc_title(8, 27, 0.808)
    '8 of 27 customers (29.6%) bring 80.8% of revenue (ABC class A)'
    >>> abc_title(0, 0, float("nan"))
    'No customer with revenue above zero'
    """
    with _in(lang):
        if n == 0:
            return i18n.tr("No customer with revenue above zero")
        values = {"n_a": format_value(n_a, "count"), "n": format_value(n, "count"),
                  "part": format_value(n_a / n, "ratio"), "share": format_value(share, "ratio")}
        if n_a == 1 and n == 1:
            return i18n.tr("{n_a} of {n} customers ({part}) brings {share} of revenue (ABC class A)", **values)
        return i18n.tr("{n_a} of {n} customers ({part}) bring {share} of revenue (ABC class A)", **values)


def _time_text(value: Any, pattern: str, lang: Language) -> str:
    """A date as text in ``pattern`` (``Language.date`` or ``.month``); NaT, NaN, numbers and
    text that is not a date are ``not_available``."""
    na = lang.not_available
    if value is None or isinstance(value, (bool, int, float, np.number)):
        return na
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError):
        return na
    if pd.isna(ts):
        return na
    name = lang.month_names[ts.month - 1] if lang.month_names else ""
    return pattern.format(year=ts.year, month=ts.month, day=ts.day, month_name=name)


def format_value(value: Any, unit: str, *, currency: str = "NOK", lang: str | None = None,
                 decimals: int | None = None, compact: bool = False) -> str:
    """One value as text in its unit (see the module's table); ``"n/a"`` when undefined.

    Parameters
    ----------
    value : number, date or text
    unit : str
        One of :data:`DISPLAY_UNITS`; anything else is a ``ValueError``.
    currency : str
        The currency code shown with money ("NOK"); ``""`` shows the number alone.
    lang : str
        ``"en"`` or ``"nb"`` (:data:`LANGUAGES`; any other: ``ValueError``).
    decimals : int, optional
        Decimals instead of the unit's rule (for ratios: decimals of the percent).
    compact : bool
        The short form of money for figures and running text ("NOK 1.2M").

    Examples
    --------
    >>> format_value(0.1234, "ratio"), format_value(0.0064, "ratio"), format_value(None, "ratio")
    ('12.3%', '0.64%', 'n/a')
    >>> format_value(14_914_109.4, "currency"), format_value(3.456, "currency", currency="EUR")
    ('NOK 14,914,109', 'EUR 3.46')
    >>> format_value(9.17, "multiple"), format_value(12.25, "days"), format_value(float("inf"), "count")
    ('9.2x', '12.2 days', 'n/a')
    >>> format_value(1_234_567, "currency", compact=True), format_value(0.25, "ratio", decimals=0)
    ('NOK 1.23M', '25%')
    >>> [format_value(v, u, lang="nb").replace("\\xa0", " ") for v, u in [(14_914_109.4, "currency"),
    ...  (0.823, "ratio"), ("2025-01-31", "month"), (None, "ratio")]]
    ['kr 14 914 109', '82,3 %', 'januar 2025', 'i.a.']
    """
    if unit not in DISPLAY_UNITS:
        raise ValueError(f"unit must be one of {DISPLAY_UNITS}, got {unit!r}")
    lg = language(lang)
    na = lg.not_available
    if unit == "text":
        if value is None or (not isinstance(value, str) and pd.api.types.is_scalar(value) and pd.isna(value)):
            return na
        if isinstance(value, (float, np.floating)) and not math.isfinite(value):
            return na  # never "inf"
        return str(value)
    if unit in ("date", "month"):
        return _time_text(value, lg.date if unit == "date" else lg.month, lg)
    x = _number(value)
    if x is None:
        return na
    if compact and unit == "currency" and decimals is None:
        number = _compact(x, lg)
    else:
        d = _default_decimals(x, unit) if decimals is None else decimals
        number = _digits(x * 100 if unit == "ratio" else x, d, lg, trim=unit == "number" and decimals is None)
    if unit == "ratio":
        return lg.percent.format(number=number)
    if unit == "currency":
        return lg.currency.format(currency=lg.currency_symbol(currency), number=number).strip() if currency else number
    if unit == "days":
        return lg.days.format(number=number)
    if unit == "multiple":
        return lg.multiple.format(number=number)
    return number


def _texts_against_target(value: Any, target: Any, unit: str, status: Any, *, currency: str, lang: str | None,
                          decimals: int | None) -> tuple[str, str]:
    """Value and target as text; with more decimals when they would read the same but differ."""
    v_text = format_value(value, unit, currency=currency, lang=lang, decimals=decimals)
    t_text = format_value(target, unit, currency=currency, lang=lang, decimals=decimals)
    v, t = _number(value), _number(target)
    if (v is None or t is None or v == t or status not in ("on_track", "off_track")
            or unit not in (*scorecard.UNITS, "multiple", "number")):
        return v_text, t_text
    scale = 100 if unit == "ratio" else 1
    dv = _default_decimals(v, unit) if decimals is None else decimals
    dt = _default_decimals(t, unit) if decimals is None else decimals
    if round(v * scale, dv) != round(t * scale, dt):  # the numbers shown differ: nothing hidden
        return v_text, t_text
    start = max(dv, dt)
    for d in range(start + 1, start + 13):
        v_text = format_value(v, unit, currency=currency, lang=lang, decimals=d)
        t_text = format_value(t, unit, currency=currency, lang=lang, decimals=d)
        if v_text != t_text:
            break
    return v_text, t_text


def format_against_target(value: Any, target: Any, unit: str, status: Any = None, *, currency: str = "NOK",
                          lang: str | None = None, decimals: int | None = None) -> str:
    """A value against its target, "2.5% vs 3.0%"; the value alone when there is no target.

    When the two would print the same but are not equal and the status says on or off track,
    both get as many more decimals as it takes to see the difference: a CMGR of 2.996 % against a
    target of 3.0 % is off track, and reads "2.996% vs 3.000%", not "3.0% vs 3.0%".

    >>> format_against_target(0.02996, 0.03, "ratio", "off_track")
    '2.996% vs 3.000%'
    >>> format_against_target(0.025, 0.03, "ratio", "off_track"), format_against_target(4.2, None, "score")
    ('2.5% vs 3.0%', '4.20')
    """
    if _number(target) is None:
        return format_value(value, unit, currency=currency, lang=lang, decimals=decimals)
    v_text, t_text = _texts_against_target(value, target, unit, status, currency=currency, lang=lang,
                                           decimals=decimals)
    return language(lang).versus.format(value=v_text, target=t_text)


# ---------------------------------------------------------------------------------------------
# frames
# ---------------------------------------------------------------------------------------------
def format_frame(frame: pd.DataFrame, units: Mapping[Any, str], *, currency: str = "NOK", lang: str | None = None,
                 decimals: Mapping[Any, int] | None = None, others: str = "keep") -> pd.DataFrame:
    """A display copy of ``frame``: each column named in ``units`` as text in its unit.

    Parameters
    ----------
    frame : DataFrame
        Not changed.
    units : mapping column -> unit
        Units of :data:`DISPLAY_UNITS`. Columns that are not in ``frame`` are skipped (optional data).
    currency, lang : str
        As in :func:`format_value`.
    decimals : mapping column -> int, optional
        Decimals for some columns instead of their unit's rule (e.g. two for every CTR).
    others : ``"keep"`` or ``"drop"``
        Columns not in ``units``: kept as they are, in place (``"keep"``), or left out, the
        formatted columns then in the order of ``units`` (``"drop"``).

    Examples
    --------
    >>> f = pd.DataFrame({"client": ["A"], "share": [0.25], "spend": [1234.5]})
    >>> format_frame(f, {"share": "ratio", "spend": "currency", "clicks": "count"}).iloc[0].tolist()
    ['A', '25.0%', 'NOK 1,234']
    >>> format_frame(f, {"spend": "currency"}, others="drop").to_dict("list")
    {'spend': ['NOK 1,234']}
    """
    if others not in ("keep", "drop"):
        raise ValueError(f"others must be 'keep' or 'drop', got {others!r}")
    language(lang)
    for unit in units.values():
        if unit not in DISPLAY_UNITS:
            raise ValueError(f"unit must be one of {DISPLAY_UNITS}, got {unit!r}")
    places = dict(decimals or {})
    listed = [c for c in units if c in frame.columns]
    out = frame.copy() if others == "keep" else pd.DataFrame(index=frame.index.copy())
    for col in listed:
        out[col] = pd.Series([format_value(v, units[col], currency=currency, lang=lang, decimals=places.get(col))
                              for v in frame[col]], index=frame.index, dtype=object)
    return out


def format_kpi_table(table: pd.DataFrame, *, currency: str = "NOK", lang: str | None = None,
                     names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """A display copy of a KPI table (``scorecard.kpi_table``): values, targets and status as text.

    - a ``name`` column after ``kpi``: :func:`kpi_name` (``names`` adds or overrides names, e.g.
      a KPI that is not in the catalogue);
    - ``value`` and ``target`` in the KPI's unit (ROAS as a multiple, :data:`KPI_DISPLAY_UNITS`),
      with more decimals where value and target would read the same but are not
      (:func:`format_against_target`); no target is an empty cell;
    - ``status`` in words (:func:`status_text`); a KPI whose value is undefined reads
      "not measurable", never "off track" (the note says why);
    - ``partial`` as "partial" or empty; ``note`` empty rather than missing, in the language
      now (:func:`note_text`; the table and its CSV keep the English notes).

    The input is not changed; the index is reset.

    >>> t = scorecard.kpi_table([{"kpi": "cmgr", "scope": "all", "period": "all", "value": 0.02996}],
    ...                         targets={"cmgr": 0.03})
    >>> format_kpi_table(t)[["name", "value", "target", "status"]].iloc[0].tolist()
    ['Compound monthly growth rate', '2.996%', '3.000%', 'off track']
    """
    language(lang)
    out = table.copy()
    out.insert(1, "name", [kpi_name(k, lang, names) for k in table["kpi"]])
    statuses = list(table["status"]) if "status" in table else [None] * len(table)
    given = list(table["target"]) if "target" in table else [None] * len(table)
    values, targets = [], []
    for k, v, u, t, s in zip(table["kpi"], table["value"], table["unit"], given, statuses):
        unit = KPI_DISPLAY_UNITS.get(k, u)
        v_text, t_text = _texts_against_target(v, t, unit, s, currency=currency, lang=lang, decimals=None)
        values.append(v_text)
        targets.append(t_text if _number(t) is not None else "")
    out["value"] = pd.Series(values, index=out.index, dtype=object)
    if "target" in table:
        out["target"] = pd.Series(targets, index=out.index, dtype=object)
    if "status" in table:
        undefined = [_number(v) is None and s == "off_track" for v, s in zip(table["value"], statuses)]
        out["status"] = pd.Series([status_text("not_measurable" if u else s, lang)
                                   for s, u in zip(statuses, undefined)], index=out.index, dtype=object)
    if "partial" in table:
        out["partial"] = np.where(table["partial"].fillna(False).astype(bool), language(lang).text("partial"), "")
    if "note" in table:
        out["note"] = pd.Series([note_text(x, lang) for x in table["note"]], index=out.index, dtype=object)
    return out.reset_index(drop=True)


def scope_text(scope: Any, lang: str | None = None) -> str:
    """A scope of the KPI table as shown to people: ``all`` and ``account:<name>`` in the language now
    (the table and its CSV keep the ids; :func:`format_kpi_table` keeps them too, so code can still
    select ``scope == "all"``: map the shown column through this last).

    >>> scope_text("account:Nordic ASA"), scope_text("account:Nordic ASA", lang="nb"), scope_text("all", lang="nb")
    ('account:Nordic ASA', 'kunde: Nordic ASA', 'alle')
    """
    text = str(scope)
    with _in(lang):
        if text == "all":
            return i18n.tr("all")
        if text.startswith("account:"):
            return i18n.tr("account:{name}", name=text[len("account:"):])
        return text


def _note_parts() -> dict[str, str]:
    """The KPI table's notes (one part each: notes are joined with '; ') in the language now."""
    tr = i18n.tr
    return {
        # revenue logs (cases/_revenue.py)
        "partial month": tr("partial month"),
        "no data in this month": tr("no data in this month"),
        "partial month: left out of growth": tr("partial month: left out of growth"),
        "no previous month with revenue": tr("no previous month with revenue"),
        "fewer than two complete months": tr("fewer than two complete months"),
        "no customer with revenue > 0": tr("no customer with revenue > 0"),
        "no customer with revenue > 0 in this month": tr("no customer with revenue > 0 in this month"),
        # consultancy
        "no surveys table": tr("no surveys table"),
        "no project finished": tr("no project finished"),
        "per year (annualised)": tr("per year (annualised)"),
        "average headcount (FTE) as denominator": tr("average headcount (FTE) as denominator"),
        "no consultants table": tr("no consultants table"),
        "no survey responses": tr("no survey responses"),
        # restaurant
        "no ratings": tr("no ratings"),
        "no tables table (seats)": tr("no tables table (seats)"),
        "no open days": tr("no open days"),
        # marketing agency
        "share of media spend managed": tr("share of media spend managed"),
        "no activity this month": tr("no activity this month"),
        "total spend is 0": tr("total spend is 0"),
        # scorecard.kpi_table
        "target is per month: not applied to the whole-period total":
            tr("target is per month: not applied to the whole-period total"),
        "the target is the whole business's: not applied to one account":
            tr("the target is the whole business's: not applied to one account"),
        "no value": tr("no value"),
        # when a KPI is undefined (scorecard.UNDEFINED_WHEN), after "undefined: "
        "clicks are 0": tr("clicks are 0"),
        "conversions are 0": tr("conversions are 0"),
        "covers are 0": tr("covers are 0"),
        "impressions are 0": tr("impressions are 0"),
        "no consultant was employed in the period": tr("no consultant was employed in the period"),
        "no project finished in the period": tr("no project finished in the period"),
        "no ratings were given": tr("no ratings were given"),
        "no units entered the step": tr("no units entered the step"),
        "no units were produced": tr("no units were produced"),
        "spend is 0": tr("spend is 0"),
        "the base period's revenue is 0": tr("the base period's revenue is 0"),
        "the first month's revenue is 0 or there are fewer than two complete months":
            tr("the first month's revenue is 0 or there are fewer than two complete months"),
        "the standard value is 0": tr("the standard value is 0"),
        "there are no available hours": tr("there are no available hours"),
        "there are no customers": tr("there are no customers"),
        "there are no customers or total revenue is 0": tr("there are no customers or total revenue is 0"),
        "there are no open days": tr("there are no open days"),
        "there are no open days or seats": tr("there are no open days or seats"),
        "there are no responses": tr("there are no responses"),
        "there is no previous month, or last month's revenue was 0":
            tr("there is no previous month, or last month's revenue was 0"),
        "there were no customers at the start": tr("there were no customers at the start"),
        "total revenue is 0": tr("total revenue is 0"),
    }


_OBSERVATIONS = re.compile(r"(\d+) observations?, fewer than the minimum of (\d+)")
_ONGOING = re.compile(r"(\d+) ongoing projects? not counted")


def note_text(note: Any, lang: str | None = None) -> str:
    """A note of the KPI table as shown to people: in the language now (English as it is stored).

    The KPI table and its CSV keep the English notes (machine text, the same file in every
    language); :func:`format_kpi_table` shows them through this. Each part of a note (parts are
    joined with '; ') is translated; a part this function does not know is shown as it is.

    >>> note_text("partial month; no customer with revenue > 0 in this month", lang="nb")
    'delvis måned; ingen kunde med inntekt > 0 denne måneden'
    >>> note_text("undefined: there are no responses", lang="nb"), note_text("partial month")
    ('udefinert: det finnes ingen svar', 'partial month')
    """
    if note is None or (not isinstance(note, str) and pd.api.types.is_scalar(note) and pd.isna(note)):
        return ""
    text = str(note)
    with _in(lang):
        if not text or i18n.get_language() == "en":
            return text
        known = _note_parts()
        out = []
        for part in text.split("; "):
            observations, ongoing = _OBSERVATIONS.fullmatch(part), _ONGOING.fullmatch(part)
            if part in known:
                out.append(known[part])
            elif part.startswith("undefined: ") and part[len("undefined: "):] in known:
                out.append(i18n.tr("undefined: {when}", when=known[part[len("undefined: "):]]))
            elif observations:
                out.append(i18n.trn("{n} observation, fewer than the minimum of {minimum}",
                                    "{n} observations, fewer than the minimum of {minimum}",
                                    int(observations.group(1)), minimum=observations.group(2)))
            elif ongoing:
                out.append(i18n.trn("{n} ongoing project not counted", "{n} ongoing projects not counted",
                                    int(ongoing.group(1))))
            else:
                out.append(part)
        return "; ".join(out)


def markdown_text(text: Any) -> str:
    r"""Text from the data (a customer name, a warning) shown verbatim in Markdown.

    Markdown's special characters are escaped, so a name such as ``$5 *Deli*`` never turns into
    maths, bold or a link. The one rule for every sentence and list the notebooks build from data.

    >>> markdown_text("$5 & *Deli* [A]")
    '\\$5 & \\*Deli\\* \\[A\\]'
    """
    return re.sub(r"([\\`*_{}\[\]<>#|$~])", r"\\\1", str(text))


def key_accounts_text(table: pd.DataFrame | None, *, threshold: float, lang: str | None = None, noun: str = "account",
                      measure: str = "revenue") -> str:
    """One Markdown sentence: which accounts THE key-account rule picked, and why (the same words everywhere).

    ``noun`` and ``measure`` are ids of the language's noun and measure tables
    (:class:`kpi_helpers.i18n.Noun`: ``"account"``, ``"customer"``, ``"client"``, ``"guest"``;
    measures ``"revenue"``, ``"spend"``, ``"media spend"``), so a case names them once and gets them
    in every language: ``noun="client"`` is "client"/"clients" in English, "klient"/"klienter" in
    Bokmål. English takes any other word as it is ("supplier" -> "suppliers"); Bokmål raises
    ``ValueError`` naming its ids.

    ``table`` is :func:`kpi_helpers.accounts.key_accounts`'s result (``CaseResult.key_account_table``):
    one row per key account with its revenue share and the reasons ``largest``, ``major`` and
    ``best_scored``. Never says "the key account" when the rule picked several.

    >>> t = pd.DataFrame({"revenue": [60.0, 25.0], "share": [0.6, 0.25], "score": [0.4, 0.9],
    ...                   "largest": [True, False], "major": [True, True], "best_scored": [False, True]},
    ...                  index=pd.Index(["A", "B"], name="account"))
    >>> key_accounts_text(t, threshold=0.10)
    'The key-account rule picked **2 accounts**: **A** (the largest account; a major account: 60.0% of revenue, at least 10.0%) and **B** (a major account: 25.0% of revenue, at least 10.0%; the best multi-criteria score, 0.90).'
    >>> key_accounts_text(t.iloc[:1], threshold=0.10, lang="nb", noun="client").replace("\\xa0", " ")
    'Nøkkelkunderegelen valgte **1 klient**: **A** (den største klienten; en stor klient: 60,0 % av inntekten, minst 10,0 %).'
    """
    lg = language(lang)
    n, m = lg.noun(noun), lg.measure(measure)
    if table is None or len(table) == 0:
        return lg.text("key_accounts.none", one=n.one, measure=m.bare)
    parts = []
    for name, row in table.iterrows():
        why = []
        if row["largest"]:
            why.append(n.largest)
        if row["major"]:
            why.append(lg.text("key_accounts.major", major=n.major, measure=m.of,
                               share=format_value(row["share"], "ratio", lang=lang),
                               threshold=format_value(threshold, "ratio", lang=lang)))
        if row["best_scored"]:
            why.append(lg.text("key_accounts.best_scored", score=format_value(row["score"], "score", lang=lang)))
        parts.append(f"**{markdown_text(name)}** ({'; '.join(why)})")
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + lg.text("and") + parts[-1]
    count = (lg.text("key_accounts.count_one", one=n.one) if len(parts) == 1
             else lg.text("key_accounts.count_many", n=len(parts), many=n.many))
    return lg.text("key_accounts.picked", count=count, listed=listed)
