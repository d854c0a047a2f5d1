"""Keep one translation per message: move every msgid that two or more catalogues of a language
translate into ``common.po`` (``python tools/consolidate_po.py [--lang nb] [--prefer FILE ...]``).

The runtime refuses two different translations of one msgid (``kpi_helpers.i18n.messages``); this tool
is how they are merged after several people translated at once: the translation of the first file in
``--prefer`` order that has the msgid wins (then ``common.po``, then alphabetical order), the others are
listed so the choice can be reviewed, and the msgid leaves every other file.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]

#: The header every catalogue starts with (no dates or names: the files are reviewed as text).
HEADER = ('msgid ""\nmsgstr ""\n"Language: {lang}\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
          '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n')


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lang", default="nb")
    parser.add_argument("--prefer", nargs="*", default=[], help="file names whose translation wins, in order")
    args = parser.parse_args(argv)
    folder = ROOT / "kpi_helpers" / "i18n" / "locale" / args.lang
    locale = "nb_NO" if args.lang == "nb" else args.lang
    catalogs: dict[str, Catalog] = {}
    for path in sorted(folder.glob("*.po")):
        with path.open("rb") as f:
            catalogs[path.name] = read_po(f, locale=locale)
    order = [n for n in args.prefer if n in catalogs] + (["common.po"] if "common.po" in catalogs else [])
    order += [n for n in sorted(catalogs) if n not in order]
    where: dict[object, list[str]] = {}
    for name in order:
        for m in catalogs[name]:
            if m.id:
                where.setdefault(m.id, []).append(name)
    singular = {m for m in where if isinstance(m, str)} & {m[0] for m in where if isinstance(m, tuple)}
    if singular:  # Babel keys a plural by its singular: one file would overwrite the other
        raise SystemExit(f"both singular and plural messages: {sorted(singular)}; use trn(..., 1) for the singular")
    common = catalogs.setdefault("common.po", Catalog(locale=locale))
    moved = 0
    for msgid, names in where.items():
        if len(names) < 2:
            continue
        winner = catalogs[names[0]][msgid]
        strings = {str(catalogs[n][msgid].string) for n in names}
        if len(strings) > 1:
            print(f"{msgid!r}: kept {winner.string!r} ({names[0]}); dropped "
                  + "; ".join(f"{catalogs[n][msgid].string!r} ({n})" for n in names[1:]
                              if catalogs[n][msgid].string != winner.string))
        for n in names:
            if n != "common.po":
                catalogs[n].delete(msgid)
        if msgid in common and common[msgid].id != msgid:  # Babel keys a plural by its singular
            raise SystemExit(f"{msgid!r} is both a singular and a plural message: use trn(..., 1) for the singular")
        if msgid not in common:
            common.add(msgid, winner.string, locations=winner.locations, auto_comments=winner.auto_comments)
        else:
            common[msgid].string = winner.string
        moved += 1
    for name, catalog in catalogs.items():
        path = folder / name
        head = path.read_text(encoding="utf-8").split("msgid", 1)[0] if path.exists() else ""
        comment = "".join(ln + "\n" for ln in head.splitlines() if ln.startswith("# "))  # the file's own comment
        with path.open("wb") as f:
            write_po(f, catalog, width=110, omit_header=True, sort_output=False)
        path.write_text(comment + HEADER.format(lang=args.lang) + path.read_text(encoding="utf-8"), encoding="utf-8")
    print(f"{moved} message(s) now only in common.po")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
