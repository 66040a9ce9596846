"""A CSV file's header line: the names as written, as shown to users, and in English.

Only the header line is read here (with Python's csv module, which handles the quoted HTML names of
some Strava exports); the rows are read by DuckDB. Localized exports name their columns in the
account's language: a format's header map per language turns them into the English names the parse
queries look up (`Header.translated`).
"""

from __future__ import annotations

import csv
import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from ingest.errors import ImportFormatError


@dataclass(frozen=True)
class Header:
    """A file's header: `raw` as written, `shown` cleaned, `names` in English lower case."""

    raw: list[str]
    shown: list[str]
    names: list[str]
    language: str = "en"
    delimiter: str = ","  # `;` where Excel in a decimal-comma locale re-saved the file
    renamed: tuple[str, ...] = ()  # repeated names a re-save suffixed (`Distance.1`), read as the original

    def positions(self) -> dict[str, list[int]]:
        """Every name's column positions, in order: duplicated names (Strava's two Distances) keep both."""
        found: dict[str, list[int]] = {}
        for i, name in enumerate(self.names):
            found.setdefault(name, []).append(i)
        return found

    def translated(self, language: str, names: Mapping[str, str]) -> Header:
        """This header with its names looked up (case-insensitively) in `names`, a language's map."""
        lower = {k.lower(): v for k, v in names.items()}
        english = [lower.get(s.lower(), s).lower() for s in self.shown]
        return replace(self, names=english, language=language)

    def hits(self, names: Mapping[str, str]) -> int:
        """How many of this header's names `names` translates into other words: which language it is in
        (French `Distance` is English `Distance` and tells nothing)."""
        lower = {k.lower() for k, v in names.items() if k.lower() != v.lower()}
        return sum(s.lower() in lower for s in self.shown)


def cleaned(name: str) -> str:
    """A header name without HTML tags, entities, BOM or surrounding space, as the user sees it."""
    return " ".join(html.unescape(re.sub(r"<[^>]*>", "", name)).replace("\ufeff", "").split())


def read_header(path: Path) -> Header:
    """The first record of `path` as a Header (names not yet translated); ImportFormatError when empty.

    Bytes that are not UTF-8 become U+FFFD here; in the rows, DuckDB rejects them line by line.
    """
    try:
        with path.open(encoding="utf-8-sig", errors="replace", newline="") as fh:
            line = fh.readline()
            delimiter = ";" if _outside_quotes(line, ";") > _outside_quotes(line, ",") else ","
            fh.seek(0)
            first = next(csv.reader(fh, delimiter=delimiter), None)
    except csv.Error as exc:
        raise ImportFormatError(f"{path}: cannot read the header line: {exc}") from exc
    if not first or not any(f.strip() for f in first):
        raise ImportFormatError(f"{path}: empty file or empty header line: not a CSV export")
    shown, renamed = unsuffixed([cleaned(f) for f in first])
    shown = unmangled(shown)
    return Header(
        raw=first, shown=shown, names=[s.lower() for s in shown], delimiter=delimiter, renamed=renamed
    )


def unsuffixed(shown: list[str]) -> tuple[list[str], tuple[str, ...]]:
    """The names with the suffix that pandas (`Distance.1`) or R (`Distance.2`) gives a repeated column
    removed where the name without it came earlier, and the names so changed. Strava's export repeats
    "Distance", "Elapsed Time" and others in other units, read by position; a file re-saved by pandas
    read its first, display-unit Distance as metres: 22 rows of 10 km rowing refused as 10,029 km."""
    out: list[str] = []
    renamed = []
    for name in shown:
        m = re.fullmatch(r"(.+)\.([1-9][0-9]?)", name)
        if m and m.group(1).lower() in {o.lower() for o in out}:
            renamed.append(name)
            name = m.group(1)
        out.append(name)
    return out, tuple(renamed)


def unmangled(shown: list[str]) -> list[str]:
    """The names with R's mangling undone: R's read.csv turns every character that is not a letter,
    digit or dot into a dot (`Activity.Type`, `Avg..Swolf`, `Training.Stress.Score.`) and write.csv
    adds a first, unnamed column of row numbers (Lucasrv79/capstone_project: a Garmin Connect
    Activities.csv so re-saved was refused as an unknown format). Only a header with no space anywhere
    and a dot inside a name is read so: dots become spaces."""
    if any(" " in s for s in shown) or not any(re.search(r"\w\.+\w", s) for s in shown):
        return shown
    if not all(re.fullmatch(r"[\w.]*", s) for s in shown):
        return shown
    return [" ".join(s.replace(".", " ").split()) for s in shown]


def _outside_quotes(line: str, char: str) -> int:
    """How often `char` occurs in `line` outside double quotes."""
    return sum(part.count(char) for part in line.split('"')[::2])
