"""Translations: the languages text is shown in, and their words (``kpi_helpers.i18n``).

- :data:`LANGUAGES`: the language codes, ``("en", "nb")`` (English; Norwegian Bokmål);
- :func:`language`: the :class:`Language` for a code (``ValueError`` naming the known codes);
- :class:`Language`, :class:`Noun`, :class:`Measure`: what a language is (see ``_language.py``);
- ``en.py``: the English words; ``nb.py``: the Bokmål words (status words, KPI names, labels,
  nouns, sentences, exercise feedback) and its number and date style from CLDR via Babel.

:mod:`kpi_helpers.display` formats every value and name through these; it has no branch per
language. This package imports only the standard library; Babel is imported the first time
``language("nb")`` is called, so English output and ``kpi-cases --help`` never load it.
"""
from __future__ import annotations

import importlib

from ._language import Language, Measure, Noun

__all__ = ["LANGUAGES", "Language", "Measure", "Noun", "language"]

#: The language codes text can be shown in: English and Norwegian Bokmål.
LANGUAGES: tuple[str, ...] = ("en", "nb")

#: Languages built so far, by code (Bokmål is built from CLDR data on first use).
_LOADED: dict[str, Language] = {}


def language(lang: str = "en") -> Language:
    """The :class:`Language` for a code; ``ValueError`` listing :data:`LANGUAGES` for any other.

    >>> language("en").decimal, language("nb").decimal
    ('.', ',')
    """
    found = _LOADED.get(lang) if isinstance(lang, str) else None
    if found is not None:
        return found
    if not isinstance(lang, str) or lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {list(LANGUAGES)}, got {lang!r}")
    built: Language = importlib.import_module(f"{__name__}.{lang}").build()  # en.py, nb.py, ...
    _LOADED[lang] = built
    return built
