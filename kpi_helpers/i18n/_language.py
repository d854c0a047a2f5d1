"""The shape of a language: :class:`Language` (number style, patterns, words), :class:`Noun`, :class:`Measure`.

Standard library only: ``kpi_helpers.i18n`` is imported by ``kpi_helpers.display`` and may be imported
by the command line's ``list`` without numpy, pandas or Babel.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType


@dataclass(frozen=True)
class Noun:
    """What a case calls one of its accounts, as the key-account sentence needs it.

    Whole phrases rather than grammar rules: Bokmål inflects the article and the adjective by
    gender ("den største kunden", "det største firmaet"), so each language writes its own phrases.
    """

    one: str      #: "client" / "klient"
    many: str     #: "clients" / "klienter"
    largest: str  #: "the largest client" / "den største klienten"
    major: str    #: "a major client" / "en stor klient"


@dataclass(frozen=True)
class Measure:
    """The quantity a key account's share is a share of: bare ("no client has revenue above zero")
    and after "of" ("60 % of revenue"; Bokmål uses the definite form: "60 % av inntekten")."""

    bare: str
    of: str


def _code(currency: str) -> str:
    return currency


@dataclass(frozen=True)
class Language:
    """How one language writes numbers, dates and the words shown around them.

    Patterns take ``{number}`` (and ``{currency}``, ``{value}``/``{target}``); ``thousands``,
    ``decimal`` and ``minus`` replace Python's ``,``, ``.`` and ``-`` (digits are always rounded by
    Python, the same way in every language, so one value is the same number in every edition).
    ``date`` and ``month`` take ``{year}``, ``{month}``, ``{day}`` and ``{month_name}``.
    """

    code: str
    thousands: str
    decimal: str
    not_available: str
    percent: str
    currency: str
    days: str
    multiple: str
    versus: str
    #: (threshold, suffix) for ``compact=True``, largest first.
    compact: tuple[tuple[float, str], ...]
    #: status id -> words (ids not listed are shown as they are).
    statuses: Mapping[str, str] = field(default_factory=dict)
    #: short labels of KPI and column ids (axes, legends); others: underscores become spaces.
    labels: Mapping[str, str] = field(default_factory=dict)
    #: KPI id -> readable name; ``None`` means the KPI catalogue's own (English) names.
    kpi_names: Mapping[str, str] | None = None
    #: the unit words of axis labels (``currency`` is the currency's symbol, see ``currency_symbol``).
    unit_words: Mapping[str, str] = field(default_factory=dict)
    #: the minus sign.
    minus: str = "-"
    #: currency code -> what is shown with the amount ("NOK" -> "NOK" in English, "kr" in Bokmål).
    currency_symbol: Callable[[str], str] = _code
    #: a date and a month (``{year}``, ``{month}``, ``{day}``, ``{month_name}``).
    date: str = "{year:04d}-{month:02d}-{day:02d}"
    month: str = "{year:04d}-{month:02d}"
    #: month names, January first ("januar", ...); empty when ``month`` does not use them.
    month_names: tuple[str, ...] = ()
    #: what cases call their accounts, by id ("account", "customer", "client", "guest").
    nouns: Mapping[str, Noun] = field(default_factory=dict)
    #: the quantities shares are of, by id ("revenue", "spend", "media spend").
    measures: Mapping[str, Measure] = field(default_factory=dict)
    #: True: a noun or measure id that is not in ``nouns``/``measures`` is a word of this language,
    #: used as it is (the texts ``noun.many``, ``noun.largest``, ``noun.major`` make its phrases);
    #: False: such an id is a ``ValueError`` naming the known ones.
    open_vocabulary: bool = False
    #: sentences and words by id (the key-account sentence, exercise feedback, ...): ``str.format`` templates.
    texts: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # read-only copies: a caller cannot change a language's words for everyone by mistake
        for name in ("statuses", "labels", "kpi_names", "unit_words", "nouns", "measures", "texts"):
            table = getattr(self, name)
            if table is not None:
                object.__setattr__(self, name, MappingProxyType(dict(table)))

    def text(self, key: str, **values: object) -> str:
        """The template ``key`` filled in: ``language("nb").text("and")`` -> ``" og "``."""
        return self.texts[key].format(**values)

    def noun(self, noun: str) -> Noun:
        """The :class:`Noun` for a noun id; ``ValueError`` naming the known ids when there is none."""
        if noun in self.nouns:
            return self.nouns[noun]
        if self.open_vocabulary:
            return Noun(noun, self.text("noun.many", one=noun), self.text("noun.largest", one=noun),
                        self.text("noun.major", one=noun))
        raise ValueError(f"noun must be one of {sorted(self.nouns)} for lang={self.code!r}, got {noun!r}")

    def measure(self, measure: str) -> Measure:
        """The :class:`Measure` for a measure id; ``ValueError`` naming the known ids when there is none."""
        if measure in self.measures:
            return self.measures[measure]
        if self.open_vocabulary:
            return Measure(measure, measure)
        raise ValueError(f"measure must be one of {sorted(self.measures)} for lang={self.code!r}, got {measure!r}")
