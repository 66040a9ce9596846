"""Telling which export a CSV file is from its header line, with the format registry.

The header is read by formats/header.py; each format in formats/registry.py says which
(English) names it needs and how its languages name them.
"""

from __future__ import annotations

from pathlib import Path

from ingest.errors import ImportFormatError
from ingest.exports.formats.header import Header, read_header
from ingest.exports.formats.registry import BY_NAME, FORMATS, NAMES, Format

__all__ = ["NAMES", "detect", "read_header"]


def detect(path: Path, header: Header, name: str = "auto") -> tuple[Format, Header]:
    """The format of `path` (the one named, or the first whose header fits) and its header in English.

    ImportFormatError naming what was expected when none fits, or what a named format lacks.
    """
    if name != "auto":
        fmt = BY_NAME[name]
        found = fmt.localized(header)
        if found is None:
            english = header.translated("en", fmt.headers["en"])
            missing = ", ".join(fmt.missing(english))
            raise ImportFormatError(f"{path}: not a {name} CSV: missing column(s) {missing}")
        return fmt, found
    for fmt in FORMATS:
        if (found := fmt.localized(header)) is not None:
            return fmt, found
    start = "".join(c if c.isprintable() else "?" for c in ",".join(header.raw[:6])[:60])
    expected = ", ".join(f.description for f in FORMATS[:-1]) + " or " + FORMATS[-1].description
    raise ImportFormatError(f"{path}: unknown CSV format (header starts '{start}'): expected {expected}")
