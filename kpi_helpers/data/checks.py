"""The data check: what is probably a mistake in a client's export but may be real, and what to do.

Decides, after the values are parsed, which rows and values get a warning (or, with an option, are
changed) and which readings are a :class:`DataError` because the numbers would differ:

===================== =========================================================== =====================
check                 when                                                        option
===================== =========================================================== =====================
Excel-guarded ids     a cell written ``="000101"``: read as ``000101`` (warning)   --
mojibake              text that reads right only after undoing a wrong decoding    ``--encoding``
                      (``BjÃ¸rk`` for ``Bjørk``): warning, with the fixed text
duplicate rows        rows equal in every column read (an export pasted twice)     ``--drop-duplicates``
similar names         customers or clients equal after case-folding and            ``--merge-similar-names``
                      collapsing spaces (``Aurora AS``, ``AURORA  AS``)
total rows            a customer called total / sum / totalt / sum alle, or an     ``--drop-total-rows``
                      amount equal to the sum of all the others
currencies            a ``currency`` (or ``valuta``) column with two or more       ``--currency CODE``
                      values: an ``ambiguous`` :class:`DataError`
``strict``            every warning of the case becomes a ``strict`` DataError     ``--strict``
===================== =========================================================== =====================

Every warning names the file, the column, rows or values, and the option that changes it. The
options are :class:`Checks` (standard-library dataclass; the readers' own choices are in
:class:`~kpi_helpers.data.dialect.Dialect`). Mojibake is undone exactly when the file's own encoding
explains it, else by ``ftfy`` (imported only then, and only for values with the marks of mojibake).
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

import numpy as np
import pandas as pd

from ..i18n import tr, trn
from ._messages import MAX_LISTED, printable, rows_text, short_value
from .errors import DataError
from .schemas import CURRENCY_COLUMN, TableSpec

__all__ = [
    "Checks",
    "ACCOUNT_COLUMNS",
    "TOTAL_COLUMNS",
    "SAME_ROWS_NORMAL",
    "unwrap_excel_guards",
    "mojibake_warnings",
    "check_case",
    "strict_error",
    "checks_markdown",
]


@dataclass(frozen=True)
class Checks:
    """What the data check may change; by default it changes nothing and warns.

    Parameters
    ----------
    drop_duplicates : drop rows that repeat an earlier row in every column read.
    merge_similar_names : count customers / clients whose names differ only in case or spaces as one,
        under their most frequent spelling.
    drop_total_rows : drop rows that look like a total (customer ``TOTAL``, ``Sum``, ``Totalt``,
        ``Sum alle``; or an amount equal to the sum of all the others).
    currency : keep only the rows in this currency when a table has a currency column (the rows left
        out are counted in a warning); with no currency column, the amounts are taken to be in it.
    strict : every warning of the case is a :class:`DataError` of kind ``strict`` (for scripts).
    """

    drop_duplicates: bool = False
    merge_similar_names: bool = False
    drop_total_rows: bool = False
    currency: str | None = None
    strict: bool = False

    def __post_init__(self) -> None:
        code = self.currency
        if code is not None:
            code = str(code).strip().upper() or None
        object.__setattr__(self, "currency", code)


#: Columns that name an account: names equal but for case and spaces are one account, probably.
ACCOUNT_COLUMNS: tuple[str, ...] = ("customer", "client")
#: table -> (the column that names the row's account, the column summed): where a total row would count twice.
TOTAL_COLUMNS: dict[str, tuple[str, str]] = {
    "invoices": ("customer", "amount"),
    "transactions": ("customer", "amount"),
    "campaign_stats": ("client", "spend"),
    "visits": ("guest_id", "bill"),
    "timesheets": ("consultant", "hours"),
}
_TOTAL_NAME = re.compile(r"(?:grand\s+)?(?:total|totalt|totals|sum|summe|sum\s+alle|i\s+alt|totalsum)\s*:?",
                         re.IGNORECASE)
_GUARD = r'=\s*"(.*)"'
# the marks UTF-8 leaves when read as Windows-1252 or Latin-1 ('Ã¸' for 'ø', 'â€™' for '’')
_MOJIBAKE_HINT = re.compile("[\u00c2\u00c3\u00c5\u00e2][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e"
                            "\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a"
                            "\u20ac\u2122]")


# --------------------------------------------------------------------------- raw cells

def _unguarded(text: str) -> str:
    """The text inside an Excel guard ``="000101"`` (``text`` is known to be one)."""
    m = re.fullmatch(_GUARD, text.strip())
    return m.group(1) if m is not None else text

def unwrap_excel_guards(raw: pd.DataFrame, columns: Mapping[str, str], rows: np.ndarray,
                        file: str) -> tuple[pd.DataFrame, list[str]]:
    """Cells written ``="000101"`` (Excel's way to keep leading zeros) become ``000101``, with a warning.

    ``columns`` maps canonical names to the raw columns to look at. Returns the new raw frame (the
    one given when nothing changed) and the warnings.
    """
    warnings: list[str] = []
    for canonical, col in columns.items():
        s = raw[col]
        if isinstance(s.dtype, pd.StringDtype):
            hit = s.str.fullmatch(_GUARD).fillna(False).to_numpy(dtype=bool)
            if not hit.any():
                continue
            new = s.where(~hit, s.str.replace("^" + _GUARD + "$", r"\1", regex=True))
        elif s.dtype == object:
            cells = s.to_numpy(dtype=object)
            hit = np.fromiter((isinstance(v, str) and v.lstrip().startswith("=") and
                               re.fullmatch(_GUARD, v.strip()) is not None for v in cells), dtype=bool, count=len(s))
            if not hit.any():
                continue
            new = pd.Series([_unguarded(v) if h else v for v, h in zip(cells, hit)],
                            index=s.index, dtype=object)
        else:
            continue
        idx = np.flatnonzero(hit)
        example = f"'{short_value(s.iloc[idx[0]])}' -> '{short_value(new.iloc[idx[0]])}'"
        warnings.append(trn(
            "{file}, column '{column}': {n} cell is written as =\"...\" (Excel's guard for leading zeros) and was "
            "read as the text inside ({rows}; {example}).",
            "{file}, column '{column}': {n} cells are written as =\"...\" (Excel's guard for leading zeros) and were "
            "read as the text inside ({rows}; {example}).", len(idx), file=file, column=canonical,
            rows=rows_text(rows[idx].tolist()), example=example))
        raw = raw.assign(**{col: new})
    return raw, warnings


def mojibake_warnings(frame: pd.DataFrame, spec: TableSpec, rows: np.ndarray, file: str,
                      encoding: str | None, distinct: Mapping[str, tuple[np.ndarray, pd.Index]] | None = None
                      ) -> list[str]:
    """A warning per id/text column whose values look like text decoded with the wrong encoding.

    ``distinct`` (column -> codes, distinct values), when the reader has it, spares finding the
    distinct values again.
    """
    out: list[str] = []
    for col in spec.columns:
        if col.kind not in ("id", "text") or col.name not in frame.columns:
            continue
        values = frame[col.name]
        uniq = distinct[col.name][1] if distinct and col.name in distinct else pd.unique(values.dropna())
        text = pd.Series(np.asarray(uniq, dtype=object), dtype="str")
        suspects = text[text.str.contains(_MOJIBAKE_HINT.pattern, regex=True).fillna(False).to_numpy(dtype=bool)].tolist()
        if not suspects:
            continue
        fixed: list[tuple[str, str]] = []
        for v in map(str, suspects):
            good = _undo_wrong_decoding(v, encoding)
            if good != v:
                fixed.append((v, good))
        if not fixed:
            continue
        bad = values.isin([v for v, _ in fixed]).to_numpy()
        shown = ", ".join(f"'{printable(v)}' -> '{printable(g)}'" for v, g in fixed[:3])
        utf8 = (encoding or "utf-8").replace("-", "").replace("_", "").lower() in ("utf8", "utf8sig")
        values = {"file": file, "column": col.name, "rows": rows_text(rows[bad].tolist()), "shown": shown,
                  "encoding": encoding or "utf-8"}
        out.append(trn(
            "{file}, column '{column}': {n} value looks like UTF-8 text read as another encoding ({rows}; {shown}); "
            "the file was read as {encoding}: the text was decoded wrongly before it was saved (UTF-8 twice): save it "
            "again as UTF-8 from the source.",
            "{file}, column '{column}': {n} values look like UTF-8 text read as another encoding ({rows}; {shown}); "
            "the file was read as {encoding}: the text was decoded wrongly before it was saved (UTF-8 twice): save it "
            "again as UTF-8 from the source.", len(fixed), **values) if utf8 else trn(
            "{file}, column '{column}': {n} value looks like UTF-8 text read as another encoding ({rows}; {shown}); "
            "the file was read as {encoding}: pass --encoding utf-8 (or leave --encoding out to detect it).",
            "{file}, column '{column}': {n} values look like UTF-8 text read as another encoding ({rows}; {shown}); "
            "the file was read as {encoding}: pass --encoding utf-8 (or leave --encoding out to detect it).",
            len(fixed), **values))
    return out


def _undo_wrong_decoding(text: str, encoding: str | None) -> str:
    """The text as it reads when its bytes are decoded as UTF-8 (``BjÃ¸rk`` -> ``Bjørk``), else unchanged.

    First the exact undo of the encoding the file was read with; then ``ftfy`` (imported here only,
    70 ms), which also knows text that went wrong before it was saved (UTF-8 decoded as Windows-1252
    and saved again as UTF-8).
    """
    for enc in filter(None, (encoding, "cp1252", "latin-1")):
        try:
            good = text.encode(enc).decode("utf-8")
        except (UnicodeError, LookupError):
            continue
        if good != text:
            return good
    import ftfy

    return ftfy.fix_encoding(text)


# --------------------------------------------------------------------------- a whole case
def _keep(res, mask: np.ndarray):
    """The :class:`TableResult` with only the rows where ``mask`` holds."""
    factorized = {k: (codes[mask], u) for k, (codes, u) in res.factorized.items()}
    currency = None if res.currency is None else res.currency[mask].reset_index(drop=True)
    return dataclasses.replace(res, frame=res.frame.loc[mask].reset_index(drop=True), rows=res.rows[mask],
                               factorized=factorized, currency=currency)


def _currencies(results: dict, checks: Checks, warnings: list[str]) -> str | None:
    found: dict[str, str] = {}
    for name, res in list(results.items()):
        if res.currency is None:
            continue
        codes = res.currency.str.strip().str.upper()
        counts = codes.value_counts(dropna=True)
        where = {"file": res.file, "column": res.currency.name or CURRENCY_COLUMN}
        if checks.currency is not None:
            keep = (codes == checks.currency).fillna(False).to_numpy(dtype=bool)
            if not keep.any():
                found_txt = ", ".join(_code_rows(c, int(n)) for c, n in counts.items())
                raise DataError(
                    tr("{file}, column '{column}': no row is in {currency} (currencies found: {found}); expected "
                       "--currency to name one of them.", currency=checks.currency, found=found_txt, **where),
                    kind="bad_value", file=res.file, column=CURRENCY_COLUMN,
                    path=res.path, expected=f"one of {', '.join(counts.index)}")
            if not keep.all():
                gone = ~keep
                warnings.append(trn(
                    "{file}, column '{column}': {n} row is not in {currency} and is left out ({rows}; --currency "
                    "{currency}).",
                    "{file}, column '{column}': {n} rows are not in {currency} and are left out ({rows}; --currency "
                    "{currency}).", int(gone.sum()), currency=checks.currency, rows=rows_text(res.rows[gone].tolist()),
                    **where))
                results[name] = _keep(res, keep)
            found[name] = checks.currency
            continue
        if len(counts) > 1:
            parts = []
            for code, n in counts.items():
                rws = res.rows[(codes == code).fillna(False).to_numpy(dtype=bool)].tolist()
                parts.append(_code_rows(code, int(n)) + ("" if code == counts.index[0] else f" ({rows_text(rws)})"))
            others = ((codes != counts.index[0]) & codes.notna()).to_numpy(dtype=bool)
            raise DataError(
                tr("{file}, column '{column}': the amounts are in {count} currencies ({parts}) and would be added up "
                   "as one; expected one currency: --currency {code} keeps the {code} rows (the others are left out, "
                   "with a warning).", count=len(counts), parts="; ".join(parts), code=counts.index[0], **where),
                kind="ambiguous", file=res.file, column=CURRENCY_COLUMN, rows=res.rows[others].tolist(), path=res.path,
                expected="one currency")
        if len(counts) == 1:
            found[name] = str(counts.index[0])
    codes_found = set(found.values())
    if len(codes_found) > 1:
        shown = ", ".join(f"{results[n].file}: {c}" for n, c in found.items())
        raise DataError(tr("the tables are in different currencies ({shown}); expected one currency for the case "
                           "(--currency CODE).", shown=shown), kind="ambiguous", column=CURRENCY_COLUMN, expected="one currency")
    return codes_found.pop() if codes_found else checks.currency


def _code_rows(code: str, n: int) -> str:
    """``NOK: 3 rows``: how many rows are in a currency."""
    return trn("{code}: {n} row", "{code}: {n} rows", n, code=code)


#: Tables where equal rows are normal: survey answers carry no respondent, so two equal answers are two answers.
SAME_ROWS_NORMAL: frozenset[str] = frozenset({"surveys"})


def _codes(res, column: str) -> tuple[np.ndarray, pd.Index]:
    """Integer codes and distinct values of a text column: the reader's when it had them (fast), else computed."""
    got = res.factorized.get(column)
    if got is not None:
        return got
    codes, uniques = pd.factorize(res.frame[column])
    return np.asarray(codes), pd.Index(uniques)


def _row_keys(res) -> pd.DataFrame:
    """The frame (and its currency) as numbers: equal rows have equal keys, and numbers hash fast."""
    keys: dict[str, np.ndarray] = {}
    for col in res.frame.columns:
        s = res.frame[col]
        if col in res.factorized or not (pd.api.types.is_numeric_dtype(s.dtype)
                                         or pd.api.types.is_datetime64_any_dtype(s.dtype)):
            keys[col] = _codes(res, col)[0]
        elif pd.api.types.is_datetime64_any_dtype(s.dtype):
            keys[col] = s.to_numpy(dtype="datetime64[us]").view("int64")
        else:
            keys[col] = s.to_numpy(dtype="float64")
    if res.currency is not None:
        keys["\0currency"] = pd.factorize(res.currency)[0]
    return pd.DataFrame(keys, copy=False)


def _duplicated(keys: pd.DataFrame) -> np.ndarray:
    """``keys.duplicated(keep="first")``, fast: one 64-bit hash per row finds the candidates (a
    collision only adds a candidate), and only those are compared column by column."""
    h = np.zeros(len(keys), dtype=np.uint64)
    for col in keys.columns:
        a = keys[col].to_numpy()
        if a.dtype.kind == "f":
            a = np.where(np.isnan(a), np.nan, a + 0.0)  # one NaN, and -0.0 == 0.0
            v = a.view(np.uint64)
        else:
            v = a.astype(np.int64).view(np.uint64)
        h = (h ^ v) * np.uint64(0x9E3779B97F4A7C15)
        h ^= h >> np.uint64(29)
    out = np.zeros(len(keys), dtype=bool)
    ordered = np.sort(h)
    repeated = ordered[1:][ordered[1:] == ordered[:-1]]
    if len(repeated):
        idx = np.flatnonzero(np.isin(h, repeated))
        out[idx] = keys.iloc[idx].duplicated(keep="first").to_numpy()
    return out


def _duplicates(results: dict, checks: Checks, warnings: list[str]) -> None:
    for name, res in list(results.items()):
        if name in SAME_ROWS_NORMAL:
            continue
        frame = _row_keys(res)
        dup = _duplicated(frame)
        if not dup.any():
            continue
        n = int(dup.sum())
        firsts = frame.loc[_duplicated(frame.iloc[::-1]).copy()[::-1] & ~dup]
        what = trn("{file}: {n} row repeats an earlier row in every column read ({rows}; first copies: {firsts}); "
                   "an export pasted twice?",
                   "{file}: {n} rows repeat an earlier row in every column read ({rows}; first copies: {firsts}); "
                   "an export pasted twice?", n, file=res.file, rows=rows_text(res.rows[dup].tolist()),
                   firsts=rows_text(res.rows[firsts.index.to_numpy()].tolist()))
        if checks.drop_duplicates:
            warnings.append(what + " " + trn("It was dropped (--drop-duplicates).",
                                             "They were dropped (--drop-duplicates).", n))
            results[name] = _keep(res, ~dup)
        else:
            warnings.append(what + " " + trn("It is counted as given; --drop-duplicates drops the copies.",
                                             "They are counted as given; --drop-duplicates drops the copies.", n))


def _total_rows(results: dict, checks: Checks, warnings: list[str]) -> None:
    for name, res in list(results.items()):
        if name not in TOTAL_COLUMNS:
            continue
        key, money = TOTAL_COLUMNS[name]
        frame = res.frame
        if money not in frame.columns:
            continue
        named = np.zeros(len(frame), dtype=bool)
        if key in frame.columns:
            codes, uniq = _codes(res, key)
            text = pd.Series(np.asarray(uniq, dtype=object), dtype="str").str.strip()
            is_total = text.str.fullmatch(_TOTAL_NAME.pattern, case=False).fillna(False).to_numpy(dtype=bool)
            if is_total.any():
                named = (codes >= 0) & is_total[np.maximum(codes, 0)]
        amounts = frame[money].to_numpy(dtype="float64")
        summed = np.zeros(len(frame), dtype=bool)
        if len(frame) >= 3:
            total = float(np.nansum(amounts))
            with np.errstate(invalid="ignore"):
                summed = (np.abs(2 * amounts - total) <= 0.005 + 1e-9 * abs(total)) & (amounts != 0)
        hit = named | summed
        if not hit.any():
            continue
        idx = np.flatnonzero(hit)
        shown = [f"{key} '{short_value(frame[key].iloc[i])}', {money} {short_value(amounts[i])}" if key in frame.columns
                 else f"{money} {short_value(amounts[i])}" for i in idx[:MAX_LISTED]]
        why = (tr("named like a total") if named.any() and not summed.any() else
               tr("{money} equal to the sum of all other rows", money=money) if not named.any() else
               tr("named like a total or {money} equal to the sum of all other rows", money=money))
        what = trn("{file}: {n} row looks like a total row ({why}: {rows}), which would count the {money}s twice",
                   "{file}: {n} rows look like a total row ({why}: {rows}), which would count the {money}s twice",
                   len(idx), file=res.file, why=why, rows=rows_text(res.rows[idx].tolist(), shown), money=money)
        if checks.drop_total_rows:
            warnings.append(what + trn("; it was dropped (--drop-total-rows).",
                                       "; they were dropped (--drop-total-rows).", len(idx)))
            results[name] = _keep(res, ~hit)
        else:
            warnings.append(what + trn("; it is counted as given: --drop-total-rows drops such rows.",
                                       "; they are counted as given: --drop-total-rows drops such rows.", len(idx)))


def _normal_names(uniq: pd.Index) -> tuple[pd.Series, pd.Series]:
    """The distinct names as text and their normal form (case-folded, inner spaces collapsed)."""
    names = pd.Series(np.asarray(uniq, dtype=object), dtype="str")
    return names, names.str.replace(r"\s+", " ", regex=True).str.strip().str.casefold()


def _similar_names(results: dict, specs: Mapping[str, TableSpec], checks: Checks, warnings: list[str]) -> None:
    # the spellings of one name across every table, with how often each occurs (on distinct values only)
    where: list[tuple[str, str]] = []
    parts = []
    for name, res in results.items():
        for col in ACCOUNT_COLUMNS:
            if col not in res.frame.columns:
                continue
            where.append((name, col))
            codes, uniq = _codes(res, col)
            tally = np.bincount(codes[codes >= 0], minlength=len(uniq))
            names, normal = _normal_names(uniq)
            parts.append(pd.DataFrame({"key": normal, "value": names, "n": tally})[tally > 0])
    if not parts:
        return
    spellings = pd.concat(parts, ignore_index=True).groupby(["key", "value"], sort=True)["n"].sum().reset_index()
    spellings = spellings[spellings["key"].duplicated(keep=False)]
    if spellings.empty:
        return
    # the most frequent spelling names the group (ties: the first in sort order)
    best = (spellings.sort_values(["key", "n", "value"], ascending=[True, False, True])
            .drop_duplicates("key").set_index("key")["value"].to_dict())
    for name, col in where:
        res = results[name]
        codes, uniq = _codes(res, col)
        names, normal = _normal_names(uniq)
        member = normal.isin(best).to_numpy()
        mask = (codes >= 0) & member[np.maximum(codes, 0)]
        if not mask.any():
            continue
        present = pd.DataFrame({"key": normal[member], "value": names[member]})
        groups = [sorted(g["value"]) for _, g in present.groupby("key", sort=True) if len(g) > 1]
        if not groups:
            continue
        shown = [" / ".join(f"'{printable(v)}'" for v in g) for g in groups]
        listed = "; ".join(shown[:MAX_LISTED])
        if len(shown) > MAX_LISTED:
            listed = tr("{rows} and {n} more", rows=listed, n=len(shown) - MAX_LISTED)
        in_groups = present.groupby("key")["value"].transform("size").gt(1)
        rows_mask = (codes >= 0) & np.isin(np.maximum(codes, 0), np.flatnonzero(member)[in_groups.to_numpy()])
        what = trn("{file}, column '{column}': {n} name is spelled in ways that differ only in case or spaces "
                   "({listed}; {rows})",
                   "{file}, column '{column}': {n} names are spelled in ways that differ only in case or spaces "
                   "({listed}; {rows})", len(shown), file=res.file, column=col, listed=listed,
                   rows=rows_text(res.rows[rows_mask].tolist()))
        if not checks.merge_similar_names:
            warnings.append(what + tr("; they are counted as separate accounts: --merge-similar-names counts each "
                                      "as one."))
            continue
        renamed = names.where(~pd.Series(member), normal.map(best)).to_numpy(dtype=object)
        merged = pd.Series(np.where(codes >= 0, renamed[np.maximum(codes, 0)], None), dtype="str")
        spec = specs[name].column(col)
        if spec.unique and merged.duplicated(keep=False).where(merged.notna(), False).any():
            raise DataError(
                tr("{file}, column '{column}': with --merge-similar-names the names {listed} become one, but the "
                   "column must name each {column} once; expected one row per {column}: merge those rows in the file.",
                   file=res.file, column=col, listed=listed),
                kind="bad_value", file=res.file, column=col, path=res.path, expected=f"each {col} once")
        warnings.append(what + tr("; each is counted as one account under its most frequent spelling "
                                  "(--merge-similar-names)."))
        frame = res.frame.assign(**{col: merged})
        factorized = {k: v for k, v in res.factorized.items() if k != col}
        results[name] = dataclasses.replace(res, frame=frame, factorized=factorized)


def check_case(results: dict, specs: Mapping[str, TableSpec], checks: Checks) -> tuple[list[str], str | None]:
    """Run the case-wide checks on the loaded tables (``results`` is changed in place).

    Order: currencies (rows in other currencies leave first), duplicate rows, total rows, similar names.
    Returns the warnings and the case's currency (from its currency column, else ``checks.currency``,
    else None).
    """
    warnings: list[str] = []
    currency = _currencies(results, checks, warnings)
    _duplicates(results, checks, warnings)
    _total_rows(results, checks, warnings)
    _similar_names(results, specs, checks, warnings)
    return warnings, currency


def strict_error(case: str, warnings: Iterable[str], files: Mapping[str, Path]) -> DataError:
    """The ``strict`` :class:`DataError` that lists every warning of a case."""
    warnings = list(warnings)
    first = next(iter(files.values()), None)
    return DataError(
        trn("{case}: {n} data check failed and --strict makes it an error: {warnings} Expected data without warnings, "
            "or the options the warnings name.",
            "{case}: {n} data checks failed and --strict makes them errors: {warnings} Expected data without warnings, "
            "or the options the warnings name.", len(warnings), case=case, warnings=" | ".join(warnings)),
        kind="strict", file=None if first is None else f"{first.parent.name}/{first.name}", path=first,
        expected="no warnings")


def checks_markdown(warnings: Iterable[str]) -> str:
    """The "Data checks" section of a notebook: the warnings as a Markdown list, or that none were found."""
    items = [str(w) for w in warnings]
    if not items:
        return tr("No problems found.")
    from ..display import markdown_text  # the one escaping rule (display is imported only here)

    return "\n".join("- " + markdown_text(w) for w in items)
