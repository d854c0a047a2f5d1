"""Raw reading: the cells of a CSV / TXT / TSV, Excel or Parquet file, before any column is parsed.

Decides how bytes become a raw table: the encoding (UTF-8, UTF-16 with a byte-order mark, else
Windows-1252 with a warning), the separator (sniffed from the header unless given), leading blank and
``sep=`` lines, ragged rows and unclosed quotes (a :class:`DataError`), the Excel sheet (the one that
has the table's columns; two such sheets are ``ambiguous`` unless ``--sheet`` says which or ``all``;
read with python-calamine) and spreadsheet row numbers (header = row 1). Text cells stay text
(``dtype=str``), so ids keep their leading zeros; Excel and Parquet cells keep their native values.

It also holds the fast reader for the plain large text file (:func:`read_text_fast`, pyarrow), which
steps aside whenever it cannot be sure to read a file as the robust reader does.
"""
from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from ..i18n import tr
from .dialect import SEPARATORS, Dialect
from .errors import DataError
from .parsers import parse_text, slash_date_order, text_dates
from .schemas import TableSpec
from .validation import currency_source, resolve_columns
from ._messages import clean_name

__all__ = [
    "EXCEL_EXTENSIONS",
    "read_text_file",
    "read_excel_file",
    "read_parquet_file",
    "read_text_fast",
]

#: Endings read as Excel workbooks (the others: Parquet, else text).
EXCEL_EXTENSIONS = frozenset({".xlsx", ".xlsm"})


def _sniff_sep(header: str) -> str:
    counts = dict.fromkeys(SEPARATORS, 0)
    in_quote = False
    for ch in header:
        if ch == '"':
            in_quote = not in_quote
        elif not in_quote and ch in counts:
            counts[ch] += 1
    best = max(SEPARATORS, key=lambda c: counts[c])  # ties: first candidate
    return best if counts[best] > 0 else ","


def _sep_name(sep: str) -> str:
    """A separator as named in messages: ``tab``, else quoted (``','``)."""
    return tr("tab") if sep == "\t" else repr(sep)


def _empty_file(file: str, path: Path, expected_header: str) -> DataError:
    return DataError(
        tr("{file}: the file is empty; expected a header row ({header}) and data rows below it.", file=file,
           header=expected_header),
        kind="empty_file", file=file, path=path, expected=f"a header row: {expected_header}")


def _decode(data: bytes, encoding: str | None, file: str, path: Path) -> tuple[str, str, str | None]:
    """Return (text, encoding used, warning or None)."""
    if encoding:
        try:
            return data.decode(encoding).lstrip("\ufeff"), encoding, None
        except LookupError:
            raise DataError(tr("{file}: unknown encoding {encoding}; expected an encoding name such as utf-8 or "
                               "cp1252.", file=file, encoding=repr(encoding)),
                            kind="unreadable", file=file, path=path, expected="a known encoding") from None
        except UnicodeDecodeError as e:
            raise DataError(
                tr("{file}: the file is not valid {encoding} text (byte {byte}); expected {encoding} text, or leave "
                   "the encoding out to detect UTF-8 or Windows-1252.", file=file, encoding=encoding, byte=e.start),
                kind="unreadable", file=file, path=path, expected=f"{encoding} text") from None
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16"), "utf-16", None
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig"), "utf-8", None
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as e:
        raise DataError(
            tr("{file}: the file is neither UTF-8 nor Windows-1252 text (byte {byte}); expected a text file saved as "
               "UTF-8, or pass the encoding (--encoding).", file=file, byte=e.start),
            kind="unreadable", file=file, path=path, expected="UTF-8 or Windows-1252 text") from None
    return text, "cp1252", tr(
        "{file} is not UTF-8; it was read as Windows-1252 (cp1252). If letters such as æ ø å look wrong, pass the "
        "right encoding (--encoding).", file=file)


def read_text_file(path: Path, file: str, dialect: Dialect, spec: TableSpec
                    ) -> tuple[pd.DataFrame, np.ndarray, Dialect, list[str]]:
    warnings: list[str] = []
    try:
        data = path.read_bytes()
    except OSError as e:
        raise DataError(tr("{file}: cannot be read ({reason}).", file=file, reason=e.strerror), kind="unreadable",
                        file=file, path=path) from None
    text, enc, warn = _decode(data, dialect.encoding, file, path)
    if warn:
        warnings.append(warn)
    expected_header = ", ".join(spec.column_names)
    if "\x00" in text:  # valid UTF-8, but no text file has NUL: UTF-16 without BOM, or binary
        row = text[: text.index("\x00")].count("\n") + 1
        raise DataError(
            tr("{file}: row {row} contains NUL bytes, which no text table has (UTF-16 without a byte-order mark? then "
               "pass --encoding utf-16); expected a text file saved as UTF-8 or Windows-1252.", file=file, row=row),
            kind="unreadable", file=file, rows=[row], path=path, expected="a text file without NUL bytes")
    if not text.strip():
        raise _empty_file(file, path, expected_header)
    # leading blank lines and Excel's "sep=;" hint line are skipped (and counted for row numbers)
    lead = re.match(r"(?:[ \t]*(?:\r\n|\n|\r))*", text)
    assert lead is not None  # the pattern matches the empty string
    skipped = lead.group(0).count("\n") + lead.group(0).replace("\r\n", "").count("\r")
    pos = lead.end()
    sep = dialect.sep
    m = re.match(r'"?sep=([^\r\n])"?[ \t]*(?:\r\n|\n|\r|$)', text[pos:pos + 20])
    if m:
        sep = sep or m.group(1)
        skipped += 1
        pos += m.end()
    body = text[pos:]
    if not body.strip():
        raise _empty_file(file, path, expected_header)
    first_line = re.match(r"[^\r\n]*", body)
    assert first_line is not None  # the pattern matches the empty string
    header_line = first_line.group(0)
    if sep is None:
        sep = "\t" if path.suffix.lower() == ".tsv" else _sniff_sep(header_line)
    try:
        # header=None: the header is read as the first row, so a first data row with more fields than
        # the header is a ragged row (below) instead of silently becoming an index that shifts every
        # column, and duplicate header names come through as they are (pandas would rename them).
        raw = pd.read_csv(
            io.StringIO(body), sep=sep, header=None, dtype=str, keep_default_na=False, na_filter=False,
            skip_blank_lines=False, engine="c",
        )
    except pd.errors.EmptyDataError:
        raise _empty_file(file, path, expected_header) from None
    except pd.errors.ParserError as e:
        mm = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(e))
        if mm:
            row = int(mm.group(2)) + skipped
            values = {"file": file, "row": row, "found": mm.group(3), "fields": mm.group(1), "sep": _sep_name(sep)}
            raise DataError(
                tr("{file}: row {row} has {found} fields but the header has {fields} (separator {sep}); a decimal "
                   "comma in a comma-separated file, or a ',' at the end of the row? Quote such values, or save the "
                   "file with ';' as separator. Expected {fields} fields in every row.", **values) if sep == "," else
                tr("{file}: row {row} has {found} fields but the header has {fields} (separator {sep}); a separator "
                   "inside a value, or at the end of the row? Quote such values. Expected {fields} fields in every "
                   "row.", **values),
                kind="unreadable", file=file, rows=[row], path=path, expected=f"{mm.group(1)} fields per row") from None
        mm = re.search(r"EOF inside string starting at row (\d+)", str(e))
        if mm:
            row = int(mm.group(1)) + 1 + skipped
            raise DataError(
                tr("{file}: row {row} opens a quote (\") that is never closed, so the rest of the file would be one "
                   "value; expected every quoted value to end with a quote.", file=file, row=row),
                kind="unreadable", file=file, rows=[row], path=path, expected="closed quotes") from None
        raise DataError(tr("{file}: cannot be read as a table ({error}); expected a {sep}-separated text file with "
                           "a header row.", file=file, error=e, sep=_sep_name(sep)),
                        kind="unreadable", file=file, path=path, expected="a separated text file") from None
    raw = raw.fillna("")
    header = [str(h) for h in raw.iloc[0]] if len(raw) else []
    names = [h if h.strip() else f"Unnamed: {i}" for i, h in enumerate(header)]
    raw = raw.iloc[1:].reset_index(drop=True)
    raw.columns = _dedupe(names)
    raw.attrs["source_columns"] = names
    rows = np.arange(len(raw), dtype=np.int64) + 2 + skipped
    used = Dialect(sep=sep, decimal=dialect.decimal, dayfirst=dialect.dayfirst, encoding=enc)
    return raw, rows, used, warnings


def read_excel_file(path: Path, file: str, table: str, sheet: str | None = None,
                    wanted: list[set[str]] | None = None) -> tuple[pd.DataFrame, np.ndarray, list[str]]:
    """The cells of the workbook's sheet with the table, its spreadsheet row numbers and warnings.

    ``wanted`` holds, per required column, the header names (case-folded) that can be it: a sheet
    "has the table" when its header has one of each. ``sheet`` None takes the one sheet that has the
    table (the sheet named like the table when several have it, with a warning; two or more other
    ones are ``ambiguous``), else the sheet named like the table, else the first; a name takes that
    sheet; ``"all"`` stacks every sheet that has the table (rows keep their sheet's row numbers).
    """
    # python-calamine (Rust): 100,000 rows in 0.6 s where openpyxl's read-only mode took 11 s; imported
    # lazily, only Excel users pay for it (1 ms)
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(str(path))
    except Exception as e:  # CalamineError: not a workbook, a damaged zip, ...
        raise DataError(tr("{file}: cannot be read as an Excel workbook ({error}); expected an .xlsx file saved by "
                           "Excel.", file=file, error=f"{type(e).__name__}: {e}"),
                        kind="unreadable", file=file, path=path, expected="an .xlsx workbook") from None
    warnings: list[str] = []
    try:
        sheets = [wb.get_sheet_by_name(name) for name in wb.sheet_names]
        titles = [ws.name for ws in sheets]
        named = next((ws for ws in sheets if ws.name.strip().casefold() == table.casefold()), None)
        having = [ws for ws in sheets if wanted is not None and _sheet_has(ws, wanted)]
        if sheet is not None and sheet.strip().casefold() == "all":
            chosen = having or [named or sheets[0]]
        elif sheet is not None:
            pick = [ws for ws in sheets if ws.name.strip().casefold() == sheet.strip().casefold()]
            if not pick:
                raise DataError(tr("{file}: no sheet named '{sheet}' (sheets: {sheets}); expected --sheet to name one "
                                   "of them, or all.", file=file, sheet=sheet, sheets=", ".join(repr(t) for t in titles)),
                                kind="missing_file", file=file,
                                path=path, expected=", ".join(titles))
            chosen = pick[:1]
        elif len(having) > 1 and named in having:
            chosen = [named]
            others = ", ".join(f"'{ws.name}'" for ws in having if ws is not named)
            warnings.append(tr("{file}: sheets {others} also have the columns of {table}; only sheet '{sheet}' (named "
                               "like the table) is read: --sheet all reads them all as one table, --sheet NAME another "
                               "one.", file=file, others=others, table=table, sheet=named.name))
        elif len(having) > 1:
            shown = ", ".join(f"'{ws.name}'" for ws in having)
            raise DataError(
                tr("{file}: {n} sheets have the columns of {table} ({shown}); reading one of them would leave the "
                   "others out. Expected --sheet all (read them as one table) or --sheet NAME (e.g. --sheet "
                   "'{example}').", file=file, n=len(having), table=table, shown=shown, example=having[0].name),
                kind="ambiguous", file=file, path=path,
                expected="--sheet NAME or --sheet all")
        else:
            chosen = having or [named or sheets[0]]
        parts = [_sheet_cells(ws) for ws in chosen]
    finally:
        wb.close()
    for ws, (header, _, _) in zip(chosen, parts):
        if header is None and len(chosen) == 1:
            raise DataError(tr("{file}: sheet '{sheet}' is empty; expected a header row in the first row and data "
                               "below it.", file=file, sheet=ws.name), kind="empty_file", file=file, path=path, expected="a header row")
    frames: list[Any] = []
    all_rows: list[Any] = []
    source: list[str] = []
    for ws, (header, columns, rows) in zip(chosen, parts):
        if header is None:
            continue
        names = [("" if h is None else str(h)) for h in header]
        src = [n if n.strip() else f"Unnamed: {i}" for i, n in enumerate(names)]
        if frames and [clean_name(n) for n in src] != [clean_name(n) for n in source]:
            raise DataError(tr("{file}: sheet '{sheet}' has other columns than sheet '{first}' ({columns} vs "
                               "{first_columns}); expected the same header on every sheet read with --sheet all.",
                               file=file, sheet=ws.name, first=chosen[0].name, columns=", ".join(src),
                               first_columns=", ".join(source)), kind="unreadable", file=file, path=path,
                            expected="the same header on every sheet")
        source = source or src
        names = _dedupe(src)
        frames.append(pd.DataFrame({n: pd.Series(c, dtype=object) for n, c in zip(names, columns)},
                                   index=range(len(rows))))
        all_rows.extend(rows)
    raw = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    if len(chosen) > 1:
        warnings.append(tr("{file}: sheets {sheets} are read as one table (--sheet all); row numbers in messages are "
                           "those of each sheet.", file=file, sheets=", ".join(repr(ws.name) for ws in chosen)))
    raw.attrs["source_columns"] = source
    return raw, np.asarray(all_rows, dtype=np.int64), warnings


def _header_values(values: Sequence[Any]) -> list[Any]:
    header = list(values)
    while header and (header[-1] is None or not str(header[-1]).strip()):
        header.pop()
    return header


def _sheet_has(ws: Any, wanted: list[set[str]]) -> bool:
    """True when the first non-empty row of the sheet (within its first 20) names every wanted column."""
    for i, values in enumerate(ws.iter_rows()):
        if i >= 20:
            break
        if any(v is not None and str(v).strip() for v in values):
            names = {clean_name(v).casefold() for v in values if v is not None}
            return all(names & w for w in wanted)
    return False


def _sheet_cells(ws: Any) -> tuple[list[Any] | None, list[list[Any]], list[int]]:
    """The header, the columns of cells below it (empty cells None) and their spreadsheet row numbers."""
    header: list[Any] | None = None
    columns: list[list[Any]] = []
    rows: list[int] = []
    # from A1 (skip_empty_area=False), so that list positions are spreadsheet rows; empty cells are ''
    cells = ([None if v == "" else v for v in values] for values in ws.to_python(skip_empty_area=False))
    for r, values in enumerate(cells, start=1):
        if header is None:
            if any(v is not None and str(v).strip() for v in values):
                header = _header_values(values)
                columns = [[] for _ in header]
            continue
        vals = list(values[: len(header)]) + [None] * max(0, len(header) - len(values))
        for col, v in zip(columns, vals):
            col.append(v)
        rows.append(r)
    return header, columns, rows


def _dedupe(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for n in names:
        if n in seen:
            seen[n] += 1
            out.append(f"{n}.{seen[n]}")
        else:
            seen[n] = 0
            out.append(n)
    return out


def read_parquet_file(path: Path, file: str) -> tuple[pd.DataFrame, np.ndarray]:
    try:
        raw = pd.read_parquet(path)
    except ImportError:
        raise
    except Exception as e:
        raise DataError(tr("{file}: cannot be read as a Parquet file ({error}).", file=file,
                           error=f"{type(e).__name__}: {e}"),
                        kind="unreadable", file=file, path=path, expected="a Parquet file") from None
    raw = raw.reset_index(drop=True)
    raw.columns = _dedupe([str(c) for c in raw.columns])
    return raw, np.arange(len(raw), dtype=np.int64) + 2


# --------------------------------------------------------------------------- fast text reading
# A consultant's export of millions of rows is nearly always the plain case: UTF-8, one header
# line, ISO dates, numbers with a decimal point, no empty cells. That case is read with pyarrow's
# multi-threaded CSV reader and the checks are done on distinct values (dates and ids repeat), not on
# every row. Whenever the fast reader cannot be sure that the robust reader above would read the
# file the same way, it steps aside (returns None), and when it has read a file that turns out to
# have a problem, read_table reads it again with the robust reader, which words the message. Both
# readers give identical frames: tests/test_fast_paths.py reads every shipped file both ways.
_FAST_BLOCK = 1 << 23  # bytes per parallel parse block


def _scan_text(path: Path) -> tuple[bytes, bool] | None:
    """Read a file once in slices: its first 64 KiB and whether it has a quote character.

    None when the file cannot be read, has a NUL byte or is not UTF-8. Nothing is kept but the head,
    so a large file is never in memory twice.
    """
    import codecs

    dec = codecs.getincrementaldecoder("utf-8")()
    head, quoted, decoding = b"", False, False
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(1 << 24):
                if not head:
                    head = chunk[:65536]
                if b"\x00" in chunk:
                    return None
                quoted = quoted or b'"' in chunk
                decoding = decoding or not chunk.isascii()
                if decoding:  # from the first non-ASCII slice on (a character may span two slices)
                    dec.decode(chunk)
            dec.decode(b"", final=True)
    except (OSError, UnicodeDecodeError):
        return None
    return head, quoted


def _gather_chunks(parts: list[tuple[np.ndarray, np.ndarray]], n: int, dtype: Any) -> np.ndarray:
    """``concatenate([table[indices] for indices, table in parts])`` into one array, without the
    intermediate index and value arrays (each is millions of rows)."""
    out = np.empty(n, dtype=dtype)
    pos = 0
    for indices, table in parts:
        np.take(table, indices, out=out[pos:pos + len(indices)])
        pos += len(indices)
    return out


def read_text_fast(path: Path, file: str, dialect: Dialect, spec: TableSpec, column_map: Mapping[str, str],
                    star_map: Mapping[str, str]) -> tuple | None:
    """Read a text file the fast way, or return None when the robust reader must decide.

    Handled: UTF-8 (with or without BOM), the header on the first line, any separator, quoting,
    decimal point; id and text columns (checked once per distinct value), dates of any format the
    robust reader knows (parsed once per distinct value), numbers that pyarrow and the robust
    parser both read (finite, no thousands separators, no empty cells). Not handled (None): another
    encoding, a decimal comma, leading blank or ``sep=`` lines, blank lines, ragged rows, empty or
    repeated header names, time columns, NUL bytes.

    Returns ``(raw, rows, dialect used, warnings, preparsed, factorized)`` for :func:`check_table`:
    ``preparsed`` names the raw columns that already hold their final values (dates, cleaned ids),
    ``factorized`` maps canonical id columns to ``(codes, sorted distinct values)``.
    """
    if dialect.decimal == ",":
        return None
    if dialect.encoding is not None:
        import codecs

        try:
            if codecs.lookup(dialect.encoding).name not in ("utf-8", "utf-8-sig"):
                return None
        except LookupError:
            return None
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
        import pyarrow.csv as pacsv
    except ImportError:  # pragma: no cover - pyarrow is a dependency
        return None
    scanned = _scan_text(path)
    if scanned is None:
        return None
    head, quoted = scanned
    if head.startswith(b"\xef\xbb\xbf"):  # pyarrow skips a UTF-8 byte-order mark, as the robust reader does
        head = head[3:]
    if head.startswith(b"\xef\xbb\xbf"):
        return None
    if not head.strip() or head[:1] in (b" ", b"\t", b"\r", b"\n") or re.match(rb'"?sep=', head):
        return None
    nl = re.search(rb"\r\n|\n|\r", head)
    if nl is None:
        return None
    sep = dialect.sep or ("\t" if path.suffix.lower() == ".tsv" else _sniff_sep(head[:nl.start()].decode("utf-8")))
    if sep in ('"', "\r", "\n"):
        return None
    parse = pacsv.ParseOptions(delimiter=sep, quote_char='"', double_quote=True, escape_char=False,
                               newlines_in_values=quoted, ignore_empty_lines=False)
    try:
        names = pacsv.read_csv(pa.BufferReader(head[:nl.end()]), parse_options=parse,
                               read_options=pacsv.ReadOptions(use_threads=False)).column_names
    except (pa.ArrowException, ValueError):
        return None
    cleaned = [clean_name(n) for n in names]
    if not all(cleaned) or len(set(cleaned)) != len(cleaned):
        return None
    try:
        cols = resolve_columns(list(names), spec, column_map, star_map, file, path)
        if any(c not in cols for c in spec.required_columns):
            return None
        specs = {cols[c.name]: c for c in spec.columns if c.name in cols}
        # the frame handed on holds the used columns only: they must resolve the same way on their own
        if resolve_columns(list(specs), spec, column_map, star_map, file, path) != cols:
            return None
        if currency_source(list(names), column_map, star_map, file, path) is not None:
            return None  # the data check needs the currency column: the robust reader keeps it
    except DataError:
        return None
    if any(c.kind == "time" for c in specs.values()):
        return None
    # large_string: what pandas' "str" columns hold, so they are not converted again
    # numbers as text when the decimal mark is not given: '16.760' must be seen before it becomes 16.76
    as_text = dialect.decimal is None
    types_ = {name: (pa.dictionary(pa.int32(), pa.string()) if c.kind == "date" else
                     pa.large_string() if c.kind in ("id", "text") or as_text else pa.float64())
              for name, c in specs.items()}
    try:
        table = pacsv.read_csv(
            str(path),
            read_options=pacsv.ReadOptions(use_threads=True, block_size=_FAST_BLOCK),
            parse_options=parse,
            convert_options=pacsv.ConvertOptions(column_types=types_, include_columns=list(specs),
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False,
                                                 null_values=[], check_utf8=True))
    except (pa.ArrowException, ValueError, OSError):
        return None
    n = table.num_rows
    if n == 0:
        return None
    raw: dict[str, pd.Series] = {}
    preparsed: set[str] = set()
    factorized: dict[str, tuple[np.ndarray, pd.Index]] = {}
    for name, c in specs.items():
        col = table.column(name)
        table = table.drop_columns([name])  # each raw column is freed once converted
        if c.kind in ("number", "integer"):
            if as_text:
                # the robust reader decides when a number may have thousands or another mark
                if pc.any(pc.match_substring(col, ",")).as_py():
                    return None
                # '16.760' has its mark fourth from the end: only then is the (slower) pattern asked
                fourth = pc.equal(pc.utf8_slice_codeunits(pc.utf8_trim_whitespace(col), start=-4, stop=-3), ".")
                if pc.any(fourth).as_py() and \
                        pc.any(pc.match_substring_regex(col, r"^\s*[+-]?[0-9]{1,3}[.][0-9]{3}\s*$")).as_py():
                    return None
                try:
                    col = pc.cast(col, pa.float64())
                except (pa.ArrowException, ValueError):
                    return None
            arr = col.to_numpy()
            del col
            if not np.isfinite(arr).all():  # pyarrow reads nan and inf, the robust reader does not
                return None
            raw[name] = pd.Series(arr, dtype="float64", copy=False)
            if c.kind == "number":  # integers still go through the whole-number check
                preparsed.add(name)
            continue
        if c.kind == "date":
            col = col.unify_dictionaries()
            uniq = col.chunk(0).dictionary if col.num_chunks else pa.array([], pa.string())
            text = pd.Series(uniq.to_pandas(), dtype="str").str.strip()
            if dialect.date_order is None and slash_date_order(text)[0] is not None:
                return None  # slash dates: the robust reader decides their order (or asks)
            values, ok = text_dates(text, dialect.dayfirst)
            if not ok.all():
                return None
            parts = [(ch.indices.to_numpy(zero_copy_only=False), values) for ch in col.chunks]
            raw[name] = pd.Series(_gather_chunks(parts, n, "datetime64[us]"), dtype="datetime64[us]", copy=False)
            preparsed.add(name)
            continue
        # id / text: clean the distinct values as the robust reader cleans every cell
        enc = pc.dictionary_encode(col)  # the chunks share one dictionary: the distinct values
        uniq = enc.chunk(0).dictionary if enc.num_chunks else pa.array([], col.type)
        if pc.any(pc.starts_with(pc.utf8_ltrim_whitespace(uniq), '=')).as_py():
            return None  # ="000101": the robust reader unwraps it and says so
        clean, _ = parse_text(pd.Series(uniq.to_pandas(), dtype="str"))
        u_codes, u_sorted = pd.factorize(clean, sort=True)
        u_codes = u_codes.astype(np.int32)
        codes = _gather_chunks([(ch.indices.to_numpy(zero_copy_only=False), u_codes) for ch in enc.chunks],
                               n, np.int32)
        del enc
        if clean.isna().any() or not bool((clean == pd.Series(uniq.to_pandas(), dtype="str")).all()):
            # some distinct values change when cleaned (spaces around, empty): build the column from them
            values = pa.array(np.asarray(u_sorted, dtype=object), type=pa.large_string())
            raw[name] = pd.Series(pc.take(values, pa.array(codes, mask=codes < 0)), dtype="str")
        else:
            raw[name] = pd.Series(col, dtype="str")
        factorized[c.name] = (codes, pd.Index(u_sorted, dtype="str", name=c.name))
        preparsed.add(name)
    del table
    pa.default_memory_pool().release_unused()  # give the parse buffers back now, not at exit
    frame = pd.DataFrame(raw, copy=False)
    rows = np.arange(2, n + 2, dtype=np.int64)
    used = Dialect(sep=sep, decimal=dialect.decimal, dayfirst=dialect.dayfirst, encoding=dialect.encoding or "utf-8")
    return frame, rows, used, [], preparsed, factorized

