"""Bokmål (``lang="nb"``): the words of the Bokmål edition, and its number and date style from CLDR.

The words below are plain data (no import beyond the standard library). The number and date style
is read from the Unicode CLDR data for ``nb_NO`` that Babel ships, in :func:`build`, which imports
Babel: ``kpi_helpers.i18n.language("nb")`` calls it once, the first time Bokmål is asked for, so
English output never imports Babel.

What CLDR gives for ``nb_NO`` (Babel 2.19), and the choices made on top of it
==============================================================================
- thousands separator: U+00A0 NO-BREAK SPACE (CLDR's ``group`` symbol for nb is the ordinary
  no-break space, not the narrow one U+202F); decimal separator ``,``; grouping by three, from
  1 000 on ("1 234");
- minus sign: U+2212 MINUS SIGN, CLDR's ``minusSign`` for nb ("−25,0 %"). (Babel's own
  ``format_decimal`` writes the ASCII hyphen its patterns carry; we use the CLDR symbol.)
- percent: CLDR's pattern ``#,##0 %``: a no-break space before ``%`` ("82,3 %");
- money: the currency's CLDR symbol for nb (NOK -> ``kr``, EUR -> ``€``, USD -> ``USD``) *before*
  the amount with a no-break space, "kr 14 914 109", the form the Bokmål edition asks for (issue
  13) and the one of Norwegian prose and price lists; CLDR's standard pattern puts it after
  ("14 914 109,40 kr");
- short money (``compact=True``): CLDR's short forms, "kr 1,23 mill.", "kr 350k", "kr 2,3 mrd.";
- months: CLDR's ``yMMMM`` pattern (``MMMM y``) with its month names, "januar 2025"; dates: its
  short date pattern ``dd.MM.y``, "27.12.2025";
- undefined values: "i.a." (ikke aktuelt), as short as the English "n/a"; CLDR has no word for it.
  The status beside a value says why it is undefined ("ikke målbar", "for lite data").
- days: "dager" (CLDR's unit word for nb, "døgn", means a 24-hour day); multiples keep the "x"
  of marketing usage ("9,2x").

Digits are rounded by Python in every language (the English rules of :mod:`kpi_helpers.display`),
so a value is the same number in both editions; Babel gives the symbols and patterns around them.
"""
from __future__ import annotations

import re
from collections.abc import Mapping

from ._language import Language, Measure, Noun

#: The CLDR locale the style is read from.
LOCALE = "nb_NO"

NOT_AVAILABLE = "i.a."

STATUSES: Mapping[str, str] = {
    "on_track": "i rute",
    "off_track": "ikke i rute",
    "no_target": "uten mål",
    "not_measurable": "ikke målbar",
    "insufficient_data": "for lite data",
}

#: KPI id -> name, for every KPI of ``scorecard.KPI_CATALOGUE`` (tests/test_i18n.py checks it),
#: in the article's words: nøkkelprestasjonsindikator (KPI), kundetilfredshet,
#: prosjektgjennomføringstid, inntekt per konsulent, konverteringsrate, klikkfrekvens, avkastning på
#: annonsekostnader, gjennomsnittlig kundevurdering, inntekt per bord, omsetningshastighet.
KPI_NAMES: Mapping[str, str] = {
    "revenue": "Inntekt",
    "mom_growth": "Inntektsvekst fra måned til måned",
    "cmgr": "Sammensatt månedlig vekstrate (CMGR)",
    "active_customers": "Aktive kunder",
    "revenue_share": "Inntektsandel",
    "top_customer_share": "Største kundes andel",
    "top20_share": "Andel for de største 20 % av kundene",
    "hhi": "Herfindahl-Hirschman-indeks (HHI)",
    "abc_a_count": "Kunder i klasse A",
    "csat": "Kundetilfredshet (CSAT)",
    "avg_completion_days": "Gjennomsnittlig prosjektgjennomføringstid",
    "on_time_rate": "Andel levert i tide",
    "revenue_per_consultant": "Inntekt per konsulent",
    "utilization": "Utnyttelsesgrad",
    "ctr": "Klikkfrekvens (CTR)",
    "cvr": "Konverteringsrate (CVR)",
    "cpc": "Kostnad per klikk (CPC)",
    "cpa": "Kostnad per konvertering (CPA)",
    "roas": "Avkastning på annonsekostnader (ROAS)",
    "avg_rating": "Gjennomsnittlig kundevurdering",
    "avg_check": "Gjennomsnittlig regning",
    "revenue_per_table": "Inntekt per bord",
    "table_turnover": "Omsetningshastighet (bord)",
    "revpash": "Inntekt per tilgjengelig setetime (RevPASH)",
    "customer_churn": "Kundefrafall",
    "net_revenue_retention": "Netto inntektsbevaring (NRR)",
    "nps": "Net Promoter Score (NPS)",
    "realization": "Realiseringsgrad",
    "roi": "Avkastning på investering (ROI)",
    "seat_occupancy": "Setebelegg",
    "rating_count": "Antall vurderinger",
    "visits": "Besøk",
    "defect_rate": "Feilandel",
    "defect_free_share": "Andel uten feil",
    "first_pass_yield": "Andel feilfri første gang (FPY)",
    "avg_time_per_unit": "Gjennomsnittlig tid per enhet",
}

#: Short labels (axes, legends, column headers): every KPI of the catalogue and the case tables' columns.
LABELS: Mapping[str, str] = {
    # KPIs
    "revenue": "inntekt", "mom_growth": "månedlig vekst", "cmgr": "CMGR", "active_customers": "aktive kunder",
    "revenue_share": "inntektsandel", "top_customer_share": "største kundes andel",
    "top20_share": "topp 20 %-andel", "hhi": "HHI", "abc_a_count": "kunder i klasse A", "csat": "CSAT",
    "avg_completion_days": "gjennomsnittlig gjennomføringstid (dager)", "on_time_rate": "andel i tide",
    "revenue_per_consultant": "inntekt per konsulent", "utilization": "utnyttelsesgrad", "ctr": "CTR",
    "cvr": "CVR", "cpc": "CPC", "cpa": "CPA", "roas": "ROAS", "avg_rating": "gjennomsnittlig vurdering",
    "avg_check": "gjennomsnittlig regning", "revenue_per_table": "inntekt per bord",
    "table_turnover": "omsetningshastighet", "revpash": "RevPASH", "customer_churn": "kundefrafall",
    "net_revenue_retention": "NRR", "nps": "NPS", "realization": "realiseringsgrad", "roi": "ROI",
    "seat_occupancy": "setebelegg", "rating_count": "antall vurderinger", "visits": "besøk",
    "defect_rate": "feilandel", "defect_free_share": "andel uten feil", "first_pass_yield": "FPY",
    "avg_time_per_unit": "gjennomsnittlig tid per enhet",
    # columns of the case tables and of the KPI table
    "date": "dato", "month": "måned", "period": "periode", "customer": "kunde", "client": "klient",
    "account": "kunde", "guest": "gjest", "guest_id": "gjest", "amount": "beløp", "share": "andel",
    "cumulative_share": "kumulativ andel", "score": "score", "strategic_value": "strategisk verdi",
    "growth_potential": "vekstpotensial", "engagement": "engasjement", "recency": "sist sett",
    "project_id": "prosjekt", "project": "prosjekt", "consultant": "konsulent", "hours": "timer",
    "hourly_rate": "timepris", "campaign": "kampanje", "channel": "kanal", "impressions": "visninger",
    "clicks": "klikk", "conversions": "konverteringer", "spend": "kostnad",
    "conversion_value": "konverteringsverdi", "table": "bord", "seats": "seter", "covers": "kuverter",
    "bill": "regning", "rating": "vurdering", "kpi": "KPI", "name": "navn", "scope": "omfang",
    "value": "verdi", "unit": "enhet", "target": "mål", "status": "status", "partial": "delvis",
    "note": "merknad", "key_account": "nøkkelkunde", "largest": "størst", "major": "storkunde",
    "best_scored": "best score",
    # more columns of the case tables (score criteria, restaurant, consultancy, agency)
    "revenue_growth": "inntektsvekst", "observations": "observasjoner", "parties": "bordselskap",
    "open_days": "åpningsdager", "sla_rate": "andel løst innenfor SLA", "support_tickets": "supportsaker",
    "minutes": "minutter", "criterion": "kriterium", "reason": "begrunnelse", "step": "trinn", "kind": "type",
    "spend_share": "andel av kostnad", "campaigns": "kampanjer", "channels": "kanaler", "rate": "rate",
    "projects": "prosjekter", "ongoing_projects": "pågående prosjekter", "first_project": "første prosjekt",
    "active_months": "aktive måneder", "months": "måneder", "consultants": "konsulenter",
    "hours_share": "andel av timene", "start_date": "startdato", "planned_end": "planlagt slutt",
    "days_so_far": "dager så langt", "planned_days": "planlagte dager", "overdue": "forsinket",
    "days_overdue": "dager forsinket", "answers": "svar",
}

UNIT_WORDS: Mapping[str, str] = {"ratio": "%", "days": "dager", "count": "antall", "score": "score",
                                 "index": "indeks", "multiple": "x", "number": "tall"}

#: What cases call their accounts: nøkkelkunde is the key account; a case passes its noun id once.
NOUNS: Mapping[str, Noun] = {
    "account": Noun("kunde", "kunder", "den største kunden", "en storkunde"),
    "customer": Noun("kunde", "kunder", "den største kunden", "en storkunde"),
    "client": Noun("klient", "klienter", "den største klienten", "en stor klient"),
    "guest": Noun("gjest", "gjester", "den største gjesten", "en gjest med stor andel"),
}

MEASURES: Mapping[str, Measure] = {
    "revenue": Measure("inntekt", "inntekten"),
    "spend": Measure("forbruk", "forbruket"),
    "media spend": Measure("annonsekostnader", "annonsekostnadene"),
}

TEXTS: Mapping[str, str] = {
    "key_accounts.none": "Nøkkelkunderegelen valgte **ingen {one}**: ingen {one} har {measure} over null.",
    "key_accounts.picked": "Nøkkelkunderegelen valgte **{count}**: {listed}.",
    "key_accounts.count_one": "1 {one}",
    "key_accounts.count_many": "{n} {many}",
    "key_accounts.major": "{major}: {share} av {measure}, minst {threshold}",
    "key_accounts.best_scored": "den beste flerkriteriescoren, {score}",
    "and": " og ",
    "partial": "delvis",
    "exercise.no_answer": "Ikke svar ennå: sett `{variable} = ...` i cellen over og kjør den igjen.",
    "exercise.not_a_number_bool": "`{variable}` skal være et tall, ikke {answer}.",
    "exercise.not_a_number": "`{variable}` skal være et tall; {answer} er ikke et tall.",
    "exercise.undefined": "Denne verdien er ikke definert ({na}) for disse dataene, så det er ingenting å sjekke.",
    "exercise.correct": "Riktig: {value}{read_as}.",
    "exercise.read_as_percent": " (lest som prosent)",
    "exercise.not_yet": "Ikke ennå: `{variable}` = {value}{read_as} er {direction}.",
    "exercise.too_high": "for høyt",
    "exercise.too_low": "for lavt",
    "exercise.hint": " Tips: {hint}",
    "exercise.no_choice": "Ikke svar ennå: sett `{variable}` til en av {options}.",
    "exercise.not_an_option": "`{variable}` skal være en av {options}, ikke {answer}.",
    "exercise.right_choice": "Riktig: {expected}.",
    "exercise.wrong_choice": "Ikke helt: svaret er {expected}, ikke {given}.",
    "exercise.why": " {why}",
}


def _cldr_date_pattern(pattern: str) -> str:
    """A CLDR date pattern as a ``str.format`` template: ``dd.MM.y`` -> ``{day:02d}.{month:02d}.{year}``."""
    fields = {"y": "{year}", "yyyy": "{year:04d}", "M": "{month}", "MM": "{month:02d}", "MMMM": "{month_name}",
              "LLLL": "{month_name}", "d": "{day}", "dd": "{day:02d}"}
    out = []
    for token in re.finditer(r"'[^']*'|([A-Za-z])\1*|[^A-Za-z']+", pattern):
        text = token.group(0)
        if text.startswith("'"):
            out.append(text[1:-1].replace("{", "{{").replace("}", "}}") or "'")
        elif text[0].isalpha():
            if text not in fields:
                raise ValueError(f"CLDR date field {text!r} of {pattern!r} is not supported")
            out.append(fields[text])
        else:
            out.append(text.replace("{", "{{").replace("}", "}}"))
    return "".join(out)


def _affix(pattern: str) -> str:
    """The text of a CLDR number pattern around its digits: ``0\xa0mill'.'`` -> ``\xa0mill.``."""
    return re.sub(r"'([^']*)'|[#0,.]+", lambda m: m.group(1) or "", pattern.split(";")[0])


def build() -> Language:
    """The Bokmål :class:`Language`: the words above, numbers and dates from Babel's CLDR data."""
    from babel import Locale, numbers  # lazy: only Bokmål output needs Babel

    locale = Locale.parse(LOCALE)
    group = numbers.get_group_symbol(locale)
    decimal = numbers.get_decimal_symbol(locale)
    minus = numbers.get_minus_sign_symbol(locale)
    decimal_pattern = locale.decimal_formats[None]
    if tuple(decimal_pattern.grouping) != (3, 3) or numbers.format_decimal(1000, locale=locale) != f"1{group}000":
        raise RuntimeError(f"CLDR's {LOCALE} grouping changed: {decimal_pattern.pattern!r}")  # pragma: no cover
    percent_pattern = locale.percent_formats[None].pattern.split(";")[0]
    percent = re.sub(r"[#0,.]+", "{number}", percent_pattern)
    # the space CLDR puts between amount and symbol ("#,##0.00 ¤"), here between symbol and amount
    currency_space = re.sub(r"[#0,.]+|¤", "", locale.currency_formats["standard"].pattern.split(";")[0]) or " "
    short = locale.compact_decimal_formats["short"]["other"]
    compact = tuple((size, _affix(short[str(int(size))].pattern)) for size in (1e9, 1e6, 1e3))
    months = tuple(locale.months["format"]["wide"][m] for m in range(1, 13))

    def symbol(code: str) -> str:
        return numbers.get_currency_symbol(code, locale=locale) if code else code

    return Language(
        code="nb",
        thousands=group,
        decimal=decimal,
        minus=minus,
        not_available=NOT_AVAILABLE,
        percent=percent,
        currency="{currency}" + currency_space + "{number}",
        days="{number} dager",
        multiple="{number}x",
        versus="{value} mot {target}",
        compact=compact,
        statuses=STATUSES,
        labels=LABELS,
        kpi_names=KPI_NAMES,
        unit_words=UNIT_WORDS,
        currency_symbol=symbol,
        date=_cldr_date_pattern(locale.date_formats["short"].pattern),
        month=_cldr_date_pattern(locale.datetime_skeletons["yMMMM"].pattern),
        month_names=months,
        nouns=NOUNS,
        measures=MEASURES,
        open_vocabulary=False,
        texts=TEXTS,
    )
