"""English (``lang="en"``): the words of the English edition. Standard library only."""
from __future__ import annotations

from ._language import Language, Measure, Noun

ENGLISH = Language(
    code="en",
    thousands=",",
    decimal=".",
    not_available="n/a",
    percent="{number}%",
    currency="{currency} {number}",
    days="{number} days",
    multiple="{number}x",
    versus="{value} vs {target}",
    compact=((1e9, "bn"), (1e6, "M"), (1e3, "k")),
    statuses={
        "on_track": "on track",
        "off_track": "off track",
        "no_target": "no target",
        "not_measurable": "not measurable",
        "insufficient_data": "insufficient data",
    },
    labels={
        "mom_growth": "month-over-month growth", "cmgr": "CMGR", "ctr": "CTR", "cvr": "CVR", "cpc": "CPC",
        "cpa": "CPA", "roas": "ROAS", "roi": "ROI", "csat": "CSAT", "nps": "NPS", "hhi": "HHI",
        "revpash": "RevPASH", "avg_check": "average check", "avg_rating": "average rating",
        "avg_completion_days": "average completion days", "on_time_rate": "on-time rate",
        "top20_share": "top-20% share", "abc_a_count": "class A customers",
    },
    kpi_names=None,
    unit_words={"ratio": "%", "days": "days", "count": "count", "score": "score", "index": "index",
                "multiple": "x", "number": "number"},
    nouns={
        "account": Noun("account", "accounts", "the largest account", "a major account"),
        "customer": Noun("customer", "customers", "the largest customer", "a major customer"),
        "client": Noun("client", "clients", "the largest client", "a major client"),
        "guest": Noun("guest", "guests", "the largest guest", "a major guest"),
    },
    measures={"revenue": Measure("revenue", "revenue"), "spend": Measure("spend", "spend"),
              "media spend": Measure("media spend", "media spend")},
    open_vocabulary=True,
    texts={
        # any other noun id (open vocabulary)
        "noun.many": "{one}s",
        "noun.largest": "the largest {one}",
        "noun.major": "a major {one}",
        # display.key_accounts_text
        "key_accounts.none": "The key-account rule picked **no {one}**: no {one} has {measure} above zero.",
        "key_accounts.picked": "The key-account rule picked **{count}**: {listed}.",
        "key_accounts.count_one": "1 {one}",
        "key_accounts.count_many": "{n} {many}",
        "key_accounts.major": "{major}: {share} of {measure}, at least {threshold}",
        "key_accounts.best_scored": "the best multi-criteria score, {score}",
        "and": " and ",
        # display.format_kpi_table
        "partial": "partial",
        # exercises
        "exercise.no_answer": "No answer yet: set `{variable} = ...` in the cell above and run it again.",
        "exercise.not_a_number_bool": "`{variable}` should be a number, not {answer}.",
        "exercise.not_a_number": "`{variable}` should be a number; {answer} is not one.",
        "exercise.undefined": "This value is undefined ({na}) for these data, so there is nothing to check.",
        "exercise.correct": "Correct: {value}{read_as}.",
        "exercise.read_as_percent": " (read as a percent)",
        "exercise.not_yet": "Not yet: `{variable}` = {value}{read_as} is {direction}.",
        "exercise.too_high": "too high",
        "exercise.too_low": "too low",
        "exercise.hint": " Hint: {hint}",
        "exercise.no_choice": "No answer yet: set `{variable}` to one of {options}.",
        "exercise.not_an_option": "`{variable}` should be one of {options}, not {answer}.",
        "exercise.right_choice": "Correct: {expected}.",
        "exercise.wrong_choice": "Not quite: it is a {expected}, not a {given}.",
        "exercise.why": " {why}",
    },
)


def build() -> Language:
    """The English :class:`Language` (no data to read: English is the package's own style)."""
    return ENGLISH
