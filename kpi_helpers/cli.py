"""``kpi-cases``: run the case notebooks headless, or compute their KPI table, on anyone's data.

Commands::

    kpi-cases list [CASE]
    kpi-cases kpis CASE|all [--data DIR] [--out FILE|DIR] [data options] [-p NAME=VALUE ...]
                   [--engine pandas|duckdb|spark] [--spark-master URL] [--connect URL --table [TABLE=]NAME]
    kpi-cases run  CASE|all [--data DIR] [--out DIR] [--timeout S] [--pdf] [data options] [-p NAME=VALUE ...]
    kpi-cases template CASE DIR [--force]

data options (:mod:`kpi_helpers.cli_options`): ``--map TABLE.SOURCE=TARGET`` (repeatable), ``--sep``,
``--decimal``, ``--dayfirst`` / ``--monthfirst``, ``--encoding``, ``--sheet``, ``--currency``,
``--drop-duplicates``, ``--merge-similar-names``, ``--drop-total-rows``, ``--strict``.

Exit status: 0 done; 2 usage error; 3 data error (one message on stderr, no traceback);
1 anything else (a short message; the traceback with ``--debug``).

``kpis`` computes the table on an engine (:func:`kpi_helpers.engines.kpi_table`: DuckDB by default,
Spark with ``--engine spark``, a database with ``--connect``) or, with ``--engine pandas``, with
:func:`kpi_helpers.cases.analyse`, the function the notebooks call; both give the same table, byte for
byte (tests/test_engines.py). ``run`` executes ``notebooks/<NN_case>.ipynb`` with papermill
and writes ``OUT/<case>.ipynb``, ``OUT/<case>.html`` (a self-contained client report, built by
:mod:`kpi_helpers.report`), with ``--pdf`` also ``OUT/<case>.pdf``, and, through the notebook's
``kpi_table_path`` parameter, ``OUT/<case>_kpis.csv``: the files of one run are replaced together or
not at all (:func:`kpi_helpers.report.output_set`).

Only the standard library is imported at module level: ``kpi-cases --help`` stays fast, and pandas,
papermill and nbconvert are imported inside the commands that need them.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Sequence

from . import cli_engines, cli_options
from .cli_notebook import (QuietPapermill, first_heading, notebook_defaults, parameters_cell,
                           strip_papermill_metadata)
from .cli_options import UsageError
from .cli_params import RESERVED_PARAMETERS, coerce_value, parse_param_items
from .i18n import LANGUAGES

__all__ = ["main", "build_parser", "parse_param_items", "coerce_value", "write_kpi_csv",
           "project_root", "EXIT_OK", "EXIT_ERROR", "EXIT_USAGE", "EXIT_DATA"]

PROG = "kpi-cases"
EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_DATA = 0, 1, 2, 3

#: The data options every notebook has declared from the start (the others are noted only when used).
_FIRST_OPTIONS = frozenset({"sep", "decimal", "dayfirst", "encoding"})
DEFAULT_TIMEOUT = 600  # seconds per notebook cell


# ------------------------------------------------------------------------------------------------
# errors
# ------------------------------------------------------------------------------------------------
class CaseFailure(Exception):
    """One case failed: ``code`` is the exit status (1 or 3), ``detail`` the message after the kind."""

    def __init__(self, code: int, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail

    @property
    def kind(self) -> str:
        return "data error" if self.code == EXIT_DATA else "error"

    @property
    def message(self) -> str:
        return f"{self.kind}: {self.detail}"


def _is_data_error(exc: BaseException) -> bool:
    """A problem in the consultant's data (exit status 3): the package's one DataError (stdlib-only import)."""
    from .data.errors import DataError

    return isinstance(exc, DataError)


# ------------------------------------------------------------------------------------------------
# small helpers
# ------------------------------------------------------------------------------------------------
def project_root() -> Path:
    """The folder holding ``notebooks/`` and ``data/``.

    Found from the package location (an editable install or a checkout), else from the current
    folder or one of its parents; the package's parent folder when neither has them.
    """
    pkg_root = Path(__file__).resolve().parent.parent
    cwd = Path.cwd()
    candidates = [pkg_root, cwd, *cwd.parents]
    for marker in ("notebooks", "data"):
        for c in candidates:
            if (c / marker).is_dir():
                return c
    return pkg_root


def _show(path: Path) -> str:
    """A path as the user wants to read it: relative to the current folder when inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1024 ** 2:
        return f"{n / 1024:.1f} kB"
    return f"{n / 1024 ** 2:.1f} MB"


def _inside(path: Path, folder: Path) -> bool:
    """True when ``path`` is ``folder`` or lies inside it (both resolved)."""
    p, f = Path(path).resolve(), Path(folder).resolve()
    return p == f or f in p.parents


def atomic_write(path: Path, data: bytes) -> Path:
    """Write ``data`` through a temporary file in the same folder, then ``os.replace`` (see ``_io``)."""
    from ._io import write_bytes_atomic

    return write_bytes_atomic(path, data)


def write_kpi_csv(table: Any, path: Path) -> Path:
    """Write a KPI table as CSV (UTF-8, ``,`` separator, ``.`` decimal, NaN empty, rows as given), atomically.

    Goes through :func:`kpi_helpers.scorecard.save_kpi_table`, the function the notebooks save with, so
    ``kpis`` and ``run`` write byte-identical files for the same data and parameters.
    """
    from . import scorecard

    return Path(scorecard.save_kpi_table(table, path))


@contextmanager
def _kernel_environment() -> Iterator[None]:
    """Environment for notebook kernels, restored afterwards.

    ``MPLBACKEND=Agg`` would keep figures out of the outputs, and Python 3.11's debugger warning about
    frozen modules would clutter the terminal.
    """
    saved = {k: os.environ.get(k) for k in ("MPLBACKEND", "PYDEVD_DISABLE_FILE_VALIDATION")}
    os.environ.pop("MPLBACKEND", None)
    os.environ["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _err(msg: str) -> None:
    print(f"{PROG}: {msg}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------------------------
# -p NAME=VALUE
# ------------------------------------------------------------------------------------------------
# ------------------------------------------------------------------------------------------------
# argument handling shared by kpis and run
# ------------------------------------------------------------------------------------------------
def _case_names(arg: str, cases_mod: Any) -> list[str]:
    names = list(cases_mod.CASES)
    if arg == "all":
        return names
    if arg not in cases_mod.CASES:
        raise UsageError(f"unknown case {arg!r}; known: {', '.join(names)} or all")
    return [arg]


def _data_dirs(arg: str | None, names: list[str], root: Path, is_all: bool) -> tuple[dict[str, Path], Path | None]:
    """Data folder per case, and the folder that holds them all (``all``) or None."""
    if arg is None:
        base = root / "data"
        return {c: base / c for c in names}, (base if is_all else None)
    base = Path(arg).expanduser()
    if is_all:
        return {c: base / c for c in names}, base
    return {names[0]: base}, None


def _check_out_not_in_data(out: Path, dirs: Mapping[str, Path], base: Path | None) -> None:
    for folder in [*dirs.values(), *([base] if base is not None else [])]:
        if _inside(out, folder):
            where = "is" if Path(out).resolve() == Path(folder).resolve() else "is inside"
            raise UsageError(f"--out {out} {where} the data folder {folder}; write the output elsewhere "
                             "(e.g. --out reports)")


def _print_notes(case: str, lines: Iterable[str]) -> None:
    for line in lines:
        print(f"{case}: note: {line}", file=sys.stderr)


def _finish(failures: list[tuple[str, CaseFailure]], n_cases: int) -> int:
    """Print failures and return the exit status: 3 if all are data errors, else 1 (0 if none)."""
    if not failures:
        return EXIT_OK
    for case, f in failures:
        _err(f"{case}: {f.message}" if n_cases > 1 else f.message)
    if n_cases > 1:
        _err(f"{len(failures)} of {n_cases} cases failed: {', '.join(c for c, _ in failures)}")
    return EXIT_DATA if all(f.code == EXIT_DATA for _, f in failures) else EXIT_ERROR


# ------------------------------------------------------------------------------------------------
# list
# ------------------------------------------------------------------------------------------------
def cmd_list(args: argparse.Namespace) -> int:
    from . import cases, data

    names = _case_names(args.case, cases) if args.case else list(cases.CASES)
    nb_dir = project_root() / "notebooks"
    out: list[str] = []
    for name in names:
        case = cases.CASES[name]
        nb = nb_dir / case.notebook
        out.append(f"{name}: {case.title}")
        if case.description:
            out.append(f"  {case.description}")
        out.append(f"  notebook:   {case.notebook}{'' if nb.is_file() else '  (not found in ' + _show(nb_dir) + ')'}")
        out.append(f"  languages:  {', '.join(_languages(nb_dir, case.notebook))}  (run --lang)")
        out.append("  tables:")
        specs = data.TABLES.get(name, {})
        width = max((len(t) for t in specs), default=0)
        for tname, spec in specs.items():
            req = "required" if spec.required else "optional"
            line = f"    {tname + '.csv':<{width + 4}}  {req}  columns: {', '.join(spec.required_columns)}"
            if spec.optional_columns:
                line += f"; optional: {', '.join(spec.optional_columns)}"
            out.append(line)
        out.append("  parameters (-p NAME=VALUE):")
        params = cases.known_parameters(name)
        pw = max((len(p) for p in params), default=0)
        for pname, default in params.items():
            out.append(f"    {pname:<{pw}} = {default!r}")
        out.append("")
    out.append("Run one:  kpi-cases kpis CASE --data DIR     kpi-cases run CASE --data DIR --out reports")
    out.append("Start a folder for your own data:  kpi-cases template CASE DIR")
    print("\n".join(out))
    return EXIT_OK


def _languages(nb_dir: Path, notebook: str) -> list[str]:
    """The editions of a notebook this project has: English, then each ``notebooks/<lang>/`` copy."""
    from .i18n import LANGUAGE_NAMES, LANGUAGES

    return [f"{code} ({LANGUAGE_NAMES[code]})" for code in LANGUAGES if _notebook_path(nb_dir, notebook, code).is_file()]


def _notebook_path(nb_dir: Path, notebook: str, lang: str) -> Path:
    """A case notebook in a language: ``notebooks/<file>`` (English) or ``notebooks/<lang>/<file>``."""
    return nb_dir / notebook if lang == "en" else nb_dir / lang / notebook


# ------------------------------------------------------------------------------------------------
# template
# ------------------------------------------------------------------------------------------------
_KIND_WORDS = {
    "id": "text (an identifier, kept verbatim; leading zeros kept)",
    "text": "text",
    "date": "date (2024-01-31, 20240131 or 31.01.2024)",
    "time": "time of day (HH:MM)",
    "number": "number (1234.50; 1234,50 with --decimal ,)",
    "integer": "whole number",
}


def _template_readme(case: Any, specs: Mapping[str, Any], params: Mapping[str, Any], folder: Path) -> str:
    name = case.name
    shown = _show(folder)
    lines = [
        f"# Data for the `{name}` case: {case.title}",
        "",
        case.description,
        "",
        "Fill in one file per table below: the header row is written already, add one row per record.",
        "Optional tables can be deleted, optional columns left out; extra columns are ignored.",
        "Files may also be Excel (`.xlsx`) or Parquet with the same name.",
        "",
        "Run the case on this folder:",
        "",
        "```",
        f"kpi-cases kpis {name} --data {shown} --out reports/{name}_kpis.csv   # the KPI table only (fast)",
        f"kpi-cases run {name} --data {shown} --out reports                    # notebook + HTML report",
        "```",
        "",
        "Your own column names: map them onto the ones below, e.g. "
        f"`--map {next(iter(specs))}.Dato={next(iter(specs.values())).column_names[0]}` (repeatable).",
        "Files written with `;` and decimal commas are recognised; else use `--sep ';' --decimal ,`.",
        "Dates: ISO (2024-01-31), `YYYYMMDD` and `dd.mm.yyyy` are read as they are; `--dayfirst` reads "
        "`03/04/2024` as day first, `--monthfirst` as month first (slash dates with no number above 12 need "
        "one of them). Text: UTF-8 or Windows-1252 (`--encoding cp1252`). The data check asks before it "
        "guesses and warns about duplicate rows, similar names, total rows and mixed currencies: see "
        "`kpi-cases kpis --help`.",
        "",
    ]
    for tname, spec in specs.items():
        lines.append(f"## `{tname}.csv` ({'required' if spec.required else 'optional'} table)")
        lines.append("")
        if spec.description:
            lines.append(spec.description[:1].upper() + spec.description[1:] + ".")
            lines.append("")
        lines.append("| column | type | required | description |")
        lines.append("|---|---|---|---|")
        for col in spec.columns:
            kind = _KIND_WORDS.get(col.kind, col.kind)
            extra = []
            rng = col.constraint()
            if rng:
                extra.append(rng)
            if col.unique:
                extra.append("unique")
            if col.nullable:
                extra.append("may be empty")
            desc = col.description + (f" ({'; '.join(extra)})" if extra else "")
            lines.append(f"| {col.name} | {kind} | {'required' if col.required else 'optional'} | {desc} |")
        lines.append("")
    lines.append("## Parameters (`-p NAME=VALUE`)")
    lines.append("")
    for pname, default in params.items():
        lines.append(f"- `{pname}` = `{default!r}`")
    lines.append("")
    lines.append("Set one target or weight with a dotted name, e.g. `-p targets.csat=0.9`.")
    lines.append("")
    return "\n".join(lines)


def cmd_template(args: argparse.Namespace) -> int:
    from . import cases, data

    if args.case == "all":
        raise UsageError("template takes one case, not all")
    (name,) = _case_names(args.case, cases)
    folder = Path(args.dir).expanduser()
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} exists and is not a folder")
    specs = data.TABLES[name]
    existed = {t: (folder / f"{t}.csv").exists() for t in specs}
    written = data.write_template(name, folder, overwrite=args.force)
    readme = folder / "README.md"
    if readme.exists() and not args.force:
        kept = [readme]
    else:
        atomic_write(readme, _template_readme(cases.CASES[name], specs, cases.known_parameters(name),
                                              folder).encode("utf-8"))
        written.append(readme)
        kept = []
    kept = [folder / f"{t}.csv" for t, e in existed.items() if e and not args.force] + kept
    for p in written:
        print(_show(p))
    if kept:
        _err(f"kept existing {', '.join(p.name for p in kept)} in {_show(folder)} (--force overwrites)")
    return EXIT_OK


# ------------------------------------------------------------------------------------------------
# kpis
# ------------------------------------------------------------------------------------------------
def cmd_kpis(args: argparse.Namespace) -> int:
    from . import cases, data, scorecard

    is_all = args.case == "all"
    names = _case_names(args.case, cases)
    maps = cli_options.column_maps(args.map, names, data)
    dialect = cli_options.dialect(args, data)
    checks = cli_options.checks(args, data)
    params: dict[str, dict[str, Any]] = {}
    unknown_everywhere: set[str] | None = None
    for c in names:
        vals, unknown = parse_param_items(
            args.params or [], cases.known_parameters(c), context=f" for case {c}",
            dict_keys={"targets": list(scorecard.KPI_CATALOGUE)}, strict=not is_all)
        params[c] = vals
        unknown_everywhere = unknown if unknown_everywhere is None else unknown_everywhere & unknown
    if unknown_everywhere:
        known = sorted({p for c in names for p in cases.known_parameters(c)})
        raise UsageError(f"unknown parameter(s) {', '.join(sorted(unknown_everywhere))}; known: {', '.join(known)}")
    dirs, base = _data_dirs(args.data, names, project_root(), is_all)
    out_file: Path | None = None
    out_dir = Path(args.out).expanduser() if args.out else Path("reports")
    if args.out and out_dir.suffix.lower() == ".csv" and not out_dir.is_dir():
        if is_all:
            raise UsageError("--out FILE takes one case; give a folder for all")
        out_file, out_dir = out_dir, out_dir.parent
    _check_out_not_in_data(out_file or out_dir, dirs, base)

    engine, tables = cli_engines.engine_options(args, names, data)
    data_dirs: dict[str, Path | None] = dict(dirs)
    if args.connect and args.data is None:
        data_dirs = {c: None for c in names}  # every table from the database (customers only with --data)

    failures: list[tuple[str, CaseFailure]] = []
    backend: dict[str, Any] = {}
    try:
        for c in names:
            try:
                if engine == "pandas" or (args.engine is None and c in cli_engines.PANDAS_ONLY):
                    cd = data.load_case(c, dirs[c], maps[c], dialect, checks=checks)
                    _print_notes(c, cd.warnings)
                    if getattr(cd, "currency", None) and "currency" in cases.known_parameters(c):
                        params[c] = {"currency": cd.currency, **params[c]}
                    result = cases.analyse(c, cd, **params[c])
                else:
                    result = cli_engines.engine_kpis(c, engine, args, backend, tables, data_dirs[c], maps[c],
                                                     dialect, params[c], checks)
                _print_notes(c, result.notes)
                path = write_kpi_csv(result.kpis, out_file or out_dir / f"{c}_kpis.csv")
                print(_show(path), flush=True)
            except Exception as e:  # noqa: BLE001 - reported per case
                if not is_all:
                    raise
                failures.append((c, _case_failure(e, args)))
    finally:
        if backend:
            from . import engines

            engines.close(backend["con"])
    return _finish(failures, len(names))


def _case_failure(e: BaseException, args: argparse.Namespace) -> CaseFailure:
    if _is_data_error(e):
        return CaseFailure(EXIT_DATA, str(e))
    if getattr(args, "debug", False):
        import traceback

        traceback.print_exception(e)
    return CaseFailure(EXIT_ERROR, f"{type(e).__name__}: {e}")


# ------------------------------------------------------------------------------------------------
# run
# ------------------------------------------------------------------------------------------------
def cmd_run(args: argparse.Namespace) -> int:
    from . import cases, data, scorecard

    is_all = args.case == "all"
    names = _case_names(args.case, cases)
    root = project_root()
    nb_dir = root / "notebooks"
    lang = getattr(args, "lang", "en")
    notebooks = {c: _notebook_path(nb_dir, cases.CASES[c].notebook, lang) for c in names}
    missing = [str(p) for p in notebooks.values() if not p.is_file()]
    if missing:
        raise CaseFailure(EXIT_ERROR, f"notebook not found: {', '.join(missing)}")
    maps = cli_options.column_maps(args.map, names, data)
    dialect = cli_options.dialect(args, data)
    checks = cli_options.checks(args, data)
    if args.timeout is not None and args.timeout < 0:
        raise UsageError("--timeout must be >= 0 seconds (0 = no limit)")
    dirs, base = _data_dirs(args.data, names, root, is_all)
    out_dir = Path(args.out).expanduser() if args.out else Path("reports")
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"--out {out_dir} is a file; run writes a folder of reports")
    if getattr(args, "pdf", False):
        from .report import DEFAULT_CHROMIUM, find_chromium

        if find_chromium() is None:
            raise CaseFailure(EXIT_USAGE, f"--pdf needs Chromium ({DEFAULT_CHROMIUM} or $CHROMIUM), which is not "
                                          "installed: `apt-get install chromium` or `make test-browser` installs it")
    _check_out_not_in_data(out_dir, dirs, base)

    import papermill as pm  # 1 s: only here

    params: dict[str, dict[str, Any]] = {}
    unknown_everywhere: set[str] | None = None
    known_anywhere: set[str] = set()
    for c in names:
        defaults = notebook_defaults(c, notebooks[c], pm, cases)
        known_anywhere |= set(defaults) - set(RESERVED_PARAMETERS)
        if not defaults:
            raise CaseFailure(EXIT_ERROR, f"{notebooks[c]} has no cell tagged 'parameters': the values of "
                                          "--data, --map and -p would be overwritten by the notebook's own")
        # a data option the notebook does not declare matters only when it is used
        used = {k for k, v in cli_options.notebook_parameters(dialect, checks).items() if v}
        undeclared = [k for k in RESERVED_PARAMETERS if k not in defaults
                      and (k not in cli_options.NOTEBOOK_PARAMETERS or k in _FIRST_OPTIONS or k in used)
                      and (k != "lang" or lang != "en")]
        if undeclared:
            _print_notes(c, [f"{notebooks[c].name} does not declare {', '.join(undeclared)} in its parameters "
                             "cell: the command line's value(s) for them go unused"])
        vals, unknown = parse_param_items(
            args.params or [], {k: v for k, v in defaults.items() if k not in RESERVED_PARAMETERS},
            context=f" for notebook {notebooks[c].name}",
            dict_keys={"targets": list(scorecard.KPI_CATALOGUE)}, strict=not is_all)
        params[c] = vals
        unknown_everywhere = unknown if unknown_everywhere is None else unknown_everywhere & unknown
    if unknown_everywhere:
        raise UsageError(f"unknown parameter(s) {', '.join(sorted(unknown_everywhere))} in every notebook; "
                         f"known: {', '.join(sorted(known_anywhere))}")

    out_dir.mkdir(parents=True, exist_ok=True)
    failures: list[tuple[str, CaseFailure]] = []
    done: list[str] = []
    for c in names:
        try:
            _run_one(c, notebooks[c], dirs[c], out_dir, maps[c], dialect, params[c], args, pm, cases)
            done.append(c)
        except Exception as e:  # noqa: BLE001
            failure = e if isinstance(e, CaseFailure) else _case_failure(e, args)
            if not is_all:
                raise failure from None
            failures.append((c, failure))
    if is_all and done:
        print(f"reports in {_show(out_dir)}/: " + ", ".join(f"{c}.html" for c in done), flush=True)
    return _finish(failures, len(names))


def _run_one(case: str, notebook: Path, data_dir: Path, out_dir: Path, column_map: dict, dialect: Any,
             user_params: dict[str, Any], args: argparse.Namespace, pm: Any, cases_mod: Any) -> None:
    """Check the data, execute one case notebook and write its set of outputs together (or none of them)."""
    import tempfile

    import nbformat

    from . import data, i18n, report

    lang = getattr(args, "lang", "en")
    # the data check first: its warnings on stderr, a data error before any file is touched
    checks = cli_options.checks(args, data)
    with i18n.using(lang):
        cd = data.load_case(case, data_dir, column_map, dialect, checks=checks)
    _print_notes(case, cd.warnings)
    options = cli_options.notebook_parameters(dialect, checks)
    cell = parameters_cell(notebook) or {}
    declared = set(cell)
    currency = user_params.get("currency", cd.currency or cell.get("currency", (False, None, None))[1])

    kpi_path = (out_dir / f"{case}_kpis.csv").resolve()
    parameters = {
        "data_dir": str(Path(data_dir).resolve()),
        "column_map": column_map,
        **options,
        "interactive": False,
        "kpi_table_path": str(kpi_path),
        **user_params,
    }
    if "lang" in declared:
        parameters["lang"] = lang
    print(f"{case}: executing {notebook.name} ...", flush=True)
    t0 = time.perf_counter()
    outputs = [out_dir / f"{case}.ipynb", out_dir / f"{case}.html", kpi_path, out_dir / f"{case}.pdf"]
    failed_path = out_dir / f"{case}.failed.ipynb"
    # the previous run's files step aside while this one runs: back on failure, gone on success
    with report.output_set(outputs):
        fd, tmp_name = tempfile.mkstemp(dir=out_dir, prefix=f".{case}.", suffix=".tmp.ipynb")
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            with _kernel_environment(), QuietPapermill(declared):
                nb = pm.execute_notebook(
                    str(notebook), str(tmp), parameters=parameters, kernel_name="python3", language="python",
                    cwd=str(notebook.parent), progress_bar=sys.stderr.isatty(), log_output=False,
                    execution_timeout=args.timeout or None, report_mode=False,
                    # one write at the end: papermill's default writes the whole notebook before and after
                    # every cell (Markdown too), a third of a run's time, for watching long runs live
                    request_save_on_cell_execute=False,
                    extra_arguments=["--IPKernelApp.log_level=ERROR"])
        except pm.PapermillExecutionError as e:
            if e.ename == "DataError":
                raise CaseFailure(EXIT_DATA, str(e.evalue)) from None
            kept = ""
            if tmp.exists() and tmp.stat().st_size:
                os.replace(tmp, failed_path)
                kept = f"; the executed notebook is {_show(failed_path)}"
            raise CaseFailure(EXIT_ERROR, f"{notebook.name} failed in cell [{e.exec_count}]: "
                                          f"{e.ename}: {e.evalue}{kept}") from None
        finally:
            if tmp.exists():
                tmp.unlink()
        if not kpi_path.exists():
            raise CaseFailure(EXIT_ERROR, f"{notebook.name} ran but did not write {_show(kpi_path)} "
                                          "(does it save the KPI table to kpi_table_path?)")
        strip_papermill_metadata(nb, output_path=(out_dir / f"{case}.ipynb").resolve())
        title = first_heading(nb) or cases_mod.CASES[case].title
        threshold = user_params.get("major_threshold", cell.get("major_threshold", (False, None, None))[1])
        summary = report.summary_html(kpi_path, currency=str(currency or "NOK"),
                                      major_threshold=threshold if isinstance(threshold, (int, float)) else None,
                                      data_checks=cd.warnings, lang=lang)
        page = report.notebook_to_html(nb, title, summary=summary, paths=report.folder_names([data_dir, out_dir]),
                                       lang=lang)
        html_tmp = out_dir / f".{case}.tmp.html"
        try:
            atomic_write(html_tmp, page.encode("utf-8"))
            if getattr(args, "pdf", False):
                report.write_pdf(html_tmp, out_dir / f"{case}.pdf")
            atomic_write(out_dir / f"{case}.ipynb", nbformat.writes(nb).encode("utf-8") + b"\n")
            os.replace(html_tmp, out_dir / f"{case}.html")
        finally:
            html_tmp.unlink(missing_ok=True)
    if failed_path.exists():
        failed_path.unlink()
    html_path = out_dir / f"{case}.html"
    secs = time.perf_counter() - t0
    print(f"{case}: wrote {_show(html_path)} ({_size(html_path.stat().st_size)}) in {secs:.1f} s", flush=True)
    if getattr(args, "pdf", False):
        pdf_path = out_dir / f"{case}.pdf"
        print(f"{case}: wrote {_show(pdf_path)} ({_size(pdf_path.stat().st_size)})", flush=True)


# ------------------------------------------------------------------------------------------------
# parser and main
# ------------------------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    """The argument parser (no heavy imports: case names are checked after parsing)."""
    debug = argparse.ArgumentParser(add_help=False)
    debug.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                       help="show the traceback of unexpected errors")

    data_opts = argparse.ArgumentParser(add_help=False)
    g = data_opts.add_argument_group("data options")
    g.add_argument("--data", metavar="DIR",
                   help="folder with the case's files (default: data/<case>/ of the project; "
                        "with all: DIR/<case>/)")
    g.add_argument("--map", action="append", metavar="TABLE.SOURCE=TARGET",
                   help="read column SOURCE of TABLE as canonical column TARGET, e.g. invoices.Dato=date "
                        "(repeatable; TABLE * = every table)")
    cli_options.add_data_options(g)
    g.add_argument("-p", "--param", dest="params", action="append", metavar="NAME=VALUE",
                   help="a parameter, typed by its default: -p max_key_accounts=3, "
                        "-p targets.csat=0.9, -p 'targets={\"csat\": 0.9}' (repeatable)")

    parser = argparse.ArgumentParser(
        prog=PROG, formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Key accounts vs KPIs: run the case notebooks headless, or compute their KPI table, "
                    "on the shipped data or your own.",
        epilog="exit status: 0 done, 1 unexpected error, 2 usage error, 3 data error\n"
               "examples:\n"
               "  kpi-cases list\n"
               "  kpi-cases kpis startup --out startup_kpis.csv\n"
               "  kpi-cases kpis your_data --data ~/client --sep ';' --decimal , \\\n"
               "      --map transactions.Dato=date --map transactions.Kunde=customer "
               "--map transactions.Beløp=amount\n"
               "  kpi-cases run all --out reports\n"
               "  kpi-cases run your_data --data ~/client --monthfirst --currency NOK --drop-duplicates --strict\n"
               "  kpi-cases template your_data ~/client")
    parser.add_argument("--debug", action="store_true", default=False,
                        help="show the traceback of unexpected errors")
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")

    p = sub.add_parser("list", parents=[debug], help="the cases, their tables and parameters",
                       description="List the cases: notebook, tables (required and optional columns) and "
                                   "parameters with their defaults.")
    p.add_argument("case", nargs="?", metavar="CASE", help="only this case")
    p.set_defaults(func=cmd_list, parser=p)

    case_help = "a case (see kpi-cases list) or all"
    p = sub.add_parser("kpis", parents=[data_opts, debug], help="the KPI table alone (fast, no notebook)",
                       description="Compute a case's KPI table with the functions the notebook calls and write "
                                   "it as CSV (UTF-8, ',' separator, '.' decimal, empty = undefined).")
    p.add_argument("case", metavar="CASE|all", help=case_help)
    p.add_argument("--out", metavar="FILE|DIR",
                   help="a .csv file (one case) or a folder for <case>_kpis.csv (default: reports/)")
    cli_engines.add_engine_options(p.add_argument_group("engine options"))
    p.set_defaults(func=cmd_kpis, parser=p)

    p = sub.add_parser("run", parents=[data_opts, debug], help="execute the case notebook into a report",
                       description="Execute the case notebook with papermill and write OUT/<case>.ipynb, "
                                   "OUT/<case>.html (a report without code) and OUT/<case>_kpis.csv.")
    p.add_argument("case", metavar="CASE|all", help=case_help)
    p.add_argument("--out", metavar="DIR", help="output folder (default: reports/)")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help=f"time limit per notebook cell (default: {DEFAULT_TIMEOUT}; 0 = none)")
    p.add_argument("--pdf", action="store_true",
                   help="also write OUT/<case>.pdf (A4) through Debian's Chromium (/usr/bin/chromium)")
    p.add_argument("--lang", choices=LANGUAGES, default="en",
                   help="the edition: en (English, notebooks/) or nb (Bokmål, notebooks/nb/): the report's text, "
                        "numbers and dates; the KPI table is the same file in every language (default: en)")
    p.set_defaults(func=cmd_run, parser=p)

    p = sub.add_parser("template", parents=[debug], help="header-only CSVs and a README for your data",
                       description="Write a header-only CSV for every table of a case (required and optional "
                                   "columns) and a README.md explaining each column.")
    p.add_argument("case", metavar="CASE", help="a case (see kpi-cases list)")
    p.add_argument("dir", metavar="DIR", help="folder to write into (created when missing)")
    p.add_argument("--force", action="store_true", help="overwrite existing files")
    p.set_defaults(func=cmd_template, parser=p)
    return parser


def _version() -> str:
    from . import __version__

    return __version__


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``kpi-cases`` with ``argv`` (default: ``sys.argv[1:]``) and return the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # --help, --version, or an argparse usage error (2)
        return e.code if isinstance(e.code, int) else (EXIT_OK if e.code is None else EXIT_USAGE)
    if not getattr(args, "command", None):
        parser.print_usage(sys.stderr)
        _err("error: a command is required (list, kpis, run, template)")
        return EXIT_USAGE
    try:
        return int(args.func(args))
    except UsageError as e:
        args.parser.print_usage(sys.stderr)
        print(f"{args.parser.prog}: error: {e}", file=sys.stderr, flush=True)
        return EXIT_USAGE
    except CaseFailure as e:
        _err(e.message)
        return e.code
    except KeyboardInterrupt:
        _err("interrupted")
        return 130
    except BrokenPipeError:
        # `kpi-cases list | head`: the reader went away; nothing more to say
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        except OSError:
            pass
        return EXIT_OK
    except Exception as e:  # noqa: BLE001 - the contract: a short message, exit 1
        if _is_data_error(e):
            _err(f"data error: {e}")
            return EXIT_DATA
        _err(f"error: {type(e).__name__}: {e}")
        if args.debug:
            import traceback

            traceback.print_exc()
        else:
            _err("run with --debug for the traceback")
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
