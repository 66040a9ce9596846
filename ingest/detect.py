"""Reading a CSV file's header and telling which export it came from.

Only the header line is read here (with Python's csv module, which handles the quoted HTML names of
some Strava exports); the rows are read by DuckDB.
"""

from __future__ import annotations

import csv
import html
import re
from dataclasses import dataclass
from pathlib import Path

from ingest.errors import ImportFormatError
from ingest.formats import garmin, generic, strava

FORMATS = ("strava", "garmin", "generic")


@dataclass(frozen=True)
class Header:
    """A file's header: the names as written and normalised (lower case, HTML and German removed)."""

    raw: list[str]
    names: list[str]
    shown: list[str]

    def positions(self) -> dict[str, list[int]]:
        """Every name's column positions, in order: duplicated names (Strava's two Distances) keep both."""
        found: dict[str, list[int]] = {}
        for i, name in enumerate(self.names):
            found.setdefault(name, []).append(i)
        return found


def cleaned(name: str) -> str:
    """A header name without HTML tags, entities, BOM or surrounding space, as the user sees it."""
    return " ".join(html.unescape(re.sub(r"<[^>]*>", "", name)).replace("\ufeff", "").split())


def normalise(name: str) -> str:
    """A cleaned header name translated to English, in lower case: the key columns are found by."""
    name = cleaned(name)
    return strava.GERMAN_HEADERS.get(name, name).lower()


def read_header(path: Path) -> Header:
    """The first record of `path` as a Header; ImportFormatError when it is empty.

    Bytes that are not UTF-8 become U+FFFD here; in the rows, DuckDB rejects them line by line.
    """
    try:
        with path.open(encoding="utf-8-sig", errors="replace", newline="") as fh:
            first = next(csv.reader(fh), None)
    except csv.Error as exc:
        raise ImportFormatError(f"{path}: cannot read the header line: {exc}") from exc
    if not first or not any(f.strip() for f in first):
        raise ImportFormatError(f"{path}: empty file or empty header line: not a CSV export")
    return Header(raw=first, names=[normalise(f) for f in first], shown=[cleaned(f) for f in first])


def detect(path: Path, header: Header) -> str:
    """The format whose header `header` is; ImportFormatError naming what was expected when none fits."""
    for fmt, module in (("strava", strava), ("garmin", garmin), ("generic", generic)):
        if module.matches(header):
            return fmt
    start = "".join(c if c.isprintable() else "?" for c in ",".join(header.raw[:6])[:60])
    raise ImportFormatError(
        f"{path}: unknown CSV format (header starts '{start}'): expected a Strava activities.csv, a Garmin "
        "Activities.csv or a generic CSV with columns date,type,duration"
    )


def check(path: Path, header: Header, fmt: str) -> None:
    """ImportFormatError when `header` lacks a column format `fmt` needs (for an explicit --format)."""
    module = {"strava": strava, "garmin": garmin, "generic": generic}[fmt]
    if missing := module.missing(header):
        raise ImportFormatError(f"{path}: not a {fmt} CSV: missing column(s) {', '.join(missing)}")
