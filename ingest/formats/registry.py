"""The one table of CSV formats crosstrain reads.

Each entry says how its header is recognised (the English names it needs, after its language's header
map), how its rows are parsed (one SQL query), its header and type names per language, which column
holds its dates, and how its units are told from the rows. A new format or language is one entry (or
one map) here, not edits across the importer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import duckdb

from ingest.exports.formats import evidence, garmin, garmin_languages, generic, strava, strava_languages
from ingest.exports.formats.common import FileFacts, ParseQuery, col
from ingest.exports.formats.header import Header

UnitsEvidence = Callable[[duckdb.DuckDBPyConnection, Header, FileFacts, "str | None"], tuple[str, str]]


@dataclass(frozen=True)
class Format:
    """One CSV format: detection, parse, languages and the evidence its rows give."""

    name: str
    description: str  # as named in "unknown format" errors
    missing: Callable[[Header], list[str]]  # English names the header lacks (none: it is this format)
    parse_query: Callable[[Header, FileFacts], ParseQuery]
    headers: Mapping[str, Mapping[str, str]]  # language -> localized header -> English header
    types: Mapping[str, Mapping[str, str]]  # language -> localized type -> English type
    date_columns: tuple[str, ...] = ()  # English names of the column whose day/month order is checked
    units: UnitsEvidence | None = None  # decides metric or imperial and says why in one line
    extra_fields: int = 0  # fields a row may have beyond the header (Garmin's wider rows)
    strava_ids: bool = False  # its ids are Strava activity ids

    def localized(self, header: Header) -> Header | None:
        """`header` with its names in English if it is this format in one of its languages, else None.

        The language whose map translates most of the header's names is tried first; on a tie, English.
        """
        ranked = sorted(self.headers.items(), key=lambda kv: (-header.hits(kv[1]), kv[0] != "en"))
        for language, names in ranked:
            translated = header.translated(language, names)
            if not self.missing(translated):
                return translated
        return None

    def facts(
        self,
        con: duckdb.DuckDBPyConnection,
        header: Header,
        *,
        units: str | None,
        date_order: str | None,
        athlete_given: bool,
    ) -> FileFacts:
        """What the rows in `_raw` (and the user's overrides) say about reading this file."""
        facts = FileFacts(
            language=header.language,
            # English names and type keys apply in every language (an fi header over `road_biking`)
            types={**self.types.get("en", {}), **self.types.get(header.language, {})},
            athlete_given=athlete_given,
        )
        facts.decimal_comma = evidence.decimal_comma(con, len(header.names))
        if self.date_columns:
            p = header.positions()
            column = next((c for n in self.date_columns if (c := col(p, n))), None)
            assume = "dmy" if facts.decimal_comma or header.language != "en" else "mdy"
            facts.date_order, note = evidence.date_order(con, column, date_order, assume)
            if note:
                facts.notes.append(note)
        if self.units:
            facts.units, note = self.units(con, header, facts, units)
            facts.notes.append(note)
        if header.language != "en":
            facts.notes.insert(0, f"language: {header.language} (header and type names)")
        if header.renamed:
            shown = ", ".join(header.renamed[:4]) + (" ..." if len(header.renamed) > 4 else "")
            facts.notes.insert(
                0, f"columns: {shown} read as the repeated columns they were before the file was re-saved"
            )
        if header.delimiter != ",":
            facts.notes.insert(0, "columns: separated by semicolons (a file re-saved by Excel)")
        return facts


FORMATS: tuple[Format, ...] = (
    Format(
        name="strava",
        description="a Strava activities.csv",
        missing=strava.missing,
        parse_query=strava.parse_query,
        headers=strava_languages.HEADERS,
        types=strava_languages.TYPES,
        date_columns=("activity date", "date"),
        units=strava.units,
        strava_ids=True,
    ),
    Format(
        name="garmin",
        description="a Garmin Activities.csv",
        missing=garmin.missing,
        parse_query=garmin.parse_query,
        headers=garmin_languages.HEADERS,
        types=garmin_languages.TYPES,
        date_columns=("date",),
        units=garmin.units,
        extra_fields=garmin.EXTRA_FIELDS,
    ),
    Format(
        name="generic",
        description="a generic CSV with columns date,type,duration",
        missing=generic.missing,
        parse_query=generic.parse_query,
        headers={"en": {}},
        types={"en": {}},
        units=generic.units,
    ),
)
BY_NAME = {f.name: f for f in FORMATS}
NAMES = tuple(BY_NAME)
