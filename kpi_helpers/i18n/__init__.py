"""Translations: the languages text is shown in, and their words (``kpi_helpers.i18n``).

- :data:`LANGUAGES`: the language codes, ``("en", "nb")`` (English; Norwegian Bokmål);
- :func:`language`: the :class:`Language` for a code (``ValueError`` naming the known codes);
- :class:`Language`, :class:`Noun`, :class:`Measure`: what a language is (see ``_language.py``);
- ``en.py``: the English words; ``nb.py``: the Bokmål words (status words, KPI names, labels,
  nouns, sentences, exercise feedback) and its number and date style from CLDR via Babel;
- the language text is shown in *now*: :func:`set_language` (a notebook calls it once, with its
  ``lang`` parameter), :func:`get_language`, :func:`using` (a ``with`` block); every function of the
  package that shows text and takes ``lang=None`` uses it;
- :func:`tr` / :func:`trn`: a message (an English ``str.format`` template) in the language now, from
  the gettext catalogues ``locale/<lang>/*.po`` (read with Babel; ``make translations-check`` and
  ``tests/test_translations.py`` check that every message in the code has a translation);
- :mod:`kpi_helpers.i18n.cells`: the translation catalogue of the notebooks' Markdown cells.

:mod:`kpi_helpers.display` formats every value and name through these; it has no branch per
language. This package imports only the standard library; Babel is imported the first time
``language("nb")`` is called, so English output and ``kpi-cases --help`` never load it.
"""
from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ._language import Language, Measure, Noun

__all__ = ["LANGUAGES", "LANGUAGE_NAMES", "Language", "Measure", "Noun", "get_language", "language", "messages", "set_language",
           "tr", "trn", "using"]

#: The language codes text can be shown in: English and Norwegian Bokmål.
LANGUAGES: tuple[str, ...] = ("en", "nb")
#: Each language's name in itself (``kpi-cases list``, the lessons site).
LANGUAGE_NAMES: Mapping[str, str] = {"en": "English", "nb": "Bokmål"}

#: Languages built so far, by code (Bokmål is built from CLDR data on first use).
_LOADED: dict[str, Language] = {}


#: The language text is shown in when a function is not given ``lang=``: see :func:`set_language`.
#: A module global, not a ``ContextVar``: IPython may run each notebook cell in a fresh context, and
#: the language a notebook sets in one cell must hold in the next.
_CURRENT = "en"


def _check(lang: Any) -> str:
    if not isinstance(lang, str) or lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {list(LANGUAGES)}, got {lang!r}")
    return lang


def set_language(lang: str) -> None:
    """Show text in ``lang`` from now on (``"en"`` or ``"nb"``).

    A notebook calls it once with its ``lang`` parameter, so the same code cells write English or
    Bokmål: status words, numbers, figure titles, table headers, feedback. ``ValueError`` names the
    known codes.
    """
    global _CURRENT
    _CURRENT = _check(lang)


def get_language() -> str:
    """The code of the language text is shown in now (``"en"`` unless :func:`set_language` said otherwise)."""
    return _CURRENT


@contextmanager
def using(lang: str) -> Iterator[str]:
    """Show text in ``lang`` inside a ``with`` block, then go back to the language before it."""
    global _CURRENT
    before = _CURRENT
    _CURRENT = _check(lang)
    try:
        yield _CURRENT
    finally:
        _CURRENT = before


def language(lang: str | None = None) -> Language:
    """The :class:`Language` for a code (``None``: the language now, see :func:`set_language`);
    ``ValueError`` listing :data:`LANGUAGES` for any other.

    >>> language("en").decimal, language("nb").decimal
    ('.', ',')
    """
    if lang is None:
        lang = _CURRENT
    found = _LOADED.get(lang) if isinstance(lang, str) else None
    if found is not None:
        return found
    _check(lang)
    built: Language = importlib.import_module(f"{__name__}.{lang}").build()  # en.py, nb.py, ...
    _LOADED[lang] = built
    return built


#: Where the gettext catalogues are: ``locale/<lang>/<area>.po`` (one file per notebook or module
#: family, so translators of different notebooks do not edit one file).
LOCALE_DIR = Path(__file__).with_name("locale")

#: Catalogues read so far: code -> {msgid: msgstr}; a plural msgid is the (singular, plural) pair.
_MESSAGES: dict[str, Mapping[Any, Any]] = {}


def messages(lang: str) -> Mapping[Any, Any]:
    """Every translated message of ``lang``: English msgid -> translation, read from ``locale/<lang>/*.po``.

    Empty for English (the msgids are English). Fuzzy and untranslated entries are left out (shown in
    English, as gettext does); two files translating one msgid differently are a ``ValueError``
    naming both, so one message has one translation.
    """
    _check(lang)
    if lang == "en":
        return {}
    if lang not in _MESSAGES:
        from babel.messages.pofile import read_po  # lazy: only translated output needs Babel

        found: dict[Any, Any] = {}
        where: dict[Any, str] = {}
        for path in sorted((LOCALE_DIR / lang).glob("*.po")):
            with path.open("rb") as f:
                catalog = read_po(f, locale=lang if lang != "nb" else "nb_NO")
            for message in catalog:
                if not message.id or message.fuzzy or not message.string or (
                        isinstance(message.string, tuple) and not all(message.string)):
                    continue
                if message.id in found and found[message.id] != message.string:
                    raise ValueError(f"{path.name} and {where[message.id]} translate {message.id!r} differently: "
                                     f"{message.string!r} vs {found[message.id]!r}")
                found[message.id] = message.string
                where[message.id] = path.name
        _MESSAGES[lang] = found
    return _MESSAGES[lang]


def tr(message: str, /, **values: Any) -> str:
    """``message`` (an English ``str.format`` template) in the language now, filled in with ``values``.

    >>> tr("Monthly revenue")
    'Monthly revenue'
    >>> with using("nb"):
    ...     tr("Monthly revenue")
    'Månedlig inntekt'

    A message without a translation is shown in English (``tests/test_translations.py`` finds every
    ``tr("...")`` in the package and the notebooks and fails on one without a Bokmål entry).
    """
    text = messages(_CURRENT).get(message, message) if _CURRENT != "en" else message
    return text.format(**values) if values else text


def trn(singular: str, plural: str, n: int, /, **values: Any) -> str:
    """The singular or plural message for ``n`` in the language now (``n`` is also a value: ``{n}``).

    >>> trn("{n} month", "{n} months", 1), trn("{n} month", "{n} months", 3)
    ('1 month', '3 months')

    Bokmål and English both use the singular for exactly one; a ``.po`` entry gives both forms.
    """
    forms = messages(_CURRENT).get((singular, plural)) if _CURRENT != "en" else None
    one, many = forms if forms else (singular, plural)
    return (one if n == 1 else many).format(n=n, **values)
