"""Reading a CSV file's rows with DuckDB's own reader, and finding rows' physical line numbers.

Rows are read as text (`c0..cN`, N from the header, so duplicated header names stay apart; fields
split at commas, or at semicolons where the header line says so) into the temp table `_raw`, whose
rowid is the row's order in the file. Rows DuckDB itself can't split (wrong field count, stray
quote, invalid UTF-8) are skipped and kept in `_read_rejects`.

DuckDB numbers a rejected row by record (a quoted description spanning three lines counts once), but
users need the line their editor shows. `record_lines` recovers it from the file's text in SQL: a
physical line starts a record when the quotes before it are balanced. A quote inside a word of an
unquoted field (`6" tall`) is text to DuckDB's reader, so it is not counted.

Garmin Connect sometimes writes rows wider than the header (../shared/formats/garmin_2026_total_time.csv:
33 names, but lines 2 and 3 have 37 fields), so its rows are read with `extra` columns to spare
(`null_padding`), and `_raw.width` counts each row's fields. DuckDB then no longer rejects a row
for its width: the format's parse must (`ingest.exports.formats.common.width_reject`). Padding needs the
serial reader (it can't tell quoted newlines from row ends in parallel), and `nullstr` is set to a
text no field holds so that an empty field reads as '' and only padding is NULL.
"""

from __future__ import annotations

import csv
import itertools
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from ingest.errors import ImportFormatError

READ_OPTIONS = (
    "auto_detect = false, header = false, skip = 1, quote = '\"', escape = '\"', "
    "ignore_errors = true, store_rejects = true, rejects_table = '_csv_rejects', "
    "rejects_scan = '_csv_scans', max_line_size = 10000000"
)

# Lines of the file that start a record: (line, record number as DuckDB counts it, blank).
RECORD_LINES_SQL = """
create or replace temp table _lines as
with split as (select string_split(content, chr(10)) as lines from read_text(?)),
numbered as (
    select unnest(lines) as text, generate_subscripts(lines, 1) as line from split
),
quotes as (
    select line, text,
           coalesce(sum(length(text) - length(replace(text, '"', ''))
                        - len(regexp_extract_all(text, '[^{d}"]"[^{d}"\r]'))) over (
               order by line rows between unbounded preceding and 1 preceding), 0) as quotes_before
    from numbered
)
select line, row_number() over (order by line) as record, trim(text, chr(13)) = '' as blank
from quotes where quotes_before % 2 = 0
"""


def read_raw(
    con: duckdb.DuckDBPyConnection, path: Path, columns: int, extra: int = 0, delimiter: str = ","
) -> None:
    """Read `path`'s rows into `_raw` (c0..c{columns-1} as text) and DuckDB's rejects into `_read_rejects`.

    With `extra`, rows up to `extra` fields wider than the header are read whole, with their field count
    in `width`. One more column is read: a row wider still (which the lenient retry below would cut
    short without a word) then shows as wider than `columns + extra`, and `width_reject` rejects it.
    """
    if delimiter not in (",", ";"):
        raise ValueError(f"unsupported delimiter {delimiter!r}")
    read = columns + extra + 1 if extra else columns
    spec = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(read)) + "}"
    padding = ", null_padding = true, parallel = false, nullstr = chr(1)" if extra else ""
    width = f", list_count([{', '.join(f'c{i}' for i in range(read))}]) as width" if extra else ""
    last_error: duckdb.Error | None = None
    con.execute("set preserve_insertion_order = true")  # rowid = the row's order in the file
    for strict in ("true", "false"):
        con.execute("drop table if exists _csv_rejects")
        con.execute("drop table if exists _csv_scans")
        try:
            con.execute(
                f"""create or replace temp table _raw as
                    select *{width}
                    from read_csv(?, {READ_OPTIONS}, delim = '{delimiter}', strict_mode = {strict}{padding},
                                  columns = {spec})""",
                [str(path)],
            )
            break
        except (duckdb.InvalidInputException, duckdb.ConversionException) as exc:
            last_error = exc
    else:
        first = str(last_error).splitlines()[0] if last_error else "unreadable"
        raise ImportFormatError(f"{path}: cannot read as CSV: {first}")
    con.execute(
        """create or replace temp table _read_rejects as
           select line, try_cast(substr(any_value(column_name), 2) as int) as column_idx,
                  any_value(error_type) as error_type,
                  any_value(error_message) as message
           from _csv_rejects group by line"""
    )
    con.execute("drop table if exists _csv_rejects")
    con.execute("drop table if exists _csv_scans")


def record_lines(con: duckdb.DuckDBPyConnection, path: Path, delimiter: str = ",") -> bool:
    """Map rows to physical lines: `_recmap` (rec -> line), `_lines`; False if the text can't be read."""
    try:
        con.execute(RECORD_LINES_SQL.replace("{d}", delimiter), [str(path)])
    except duckdb.Error:
        return False
    con.execute(
        """create or replace temp table _recmap as
           select row_number() over (order by record) - 1 as rec, line from _lines
           where record > 1 and not blank and record not in (select line from _read_rejects)"""
    )
    return True


# Rows quoted whole: a plain header line, then every row one quoted field holding the whole row with its
# quotes doubled (`"Strength Training,2024-12-22 15:00:19,false,""Strength"",...`). Two real Garmin
# Connect exports are written so (carbsi/garmin24 2024, spiderolga/myHealthReportGenerator 2025-26);
# DuckDB reads each such row as one field and every row was rejected ("fewer fields than the header").
QUOTED_WHOLE_SAMPLE = 20  # data rows looked at: all must be quoted whole (crosstrain's convention)


def rows_quoted_whole(path: Path) -> bool:
    """True when `path`'s header is plain and its first data rows are each one field holding a row."""
    try:
        with path.open(encoding="utf-8-sig", errors="replace", newline="") as fh:
            reader = csv.reader(fh)
            header = next(reader, None)
            sample = [r for r in itertools.islice(reader, QUOTED_WHOLE_SAMPLE) if r]
    except (OSError, csv.Error):
        return False
    if not header or len(header) < 2 or not sample:
        return False
    try:
        return all(len(r) == 1 and len(next(csv.reader([r[0]]), [])) >= 2 for r in sample)
    except csv.Error:  # a field holding a bare line break (`"\r1"`): not a row quoted whole
        return False


@contextmanager
def unwrapped(path: Path) -> Iterator[tuple[Path, bool]]:
    """`path`, or a temporary copy with its rows unwrapped when they are quoted whole (then True). The
    copy keeps every line where it was (a row's own line breaks stay inside it), so rejects name the
    lines of the user's file."""
    if not rows_quoted_whole(path):
        yield path, False
        return
    with tempfile.TemporaryDirectory(prefix="crosstrain-") as tmp:
        target = Path(tmp) / path.name
        with (
            path.open(encoding="utf-8-sig", errors="replace", newline="") as src,
            target.open("w", encoding="utf-8", newline="") as dst,
        ):
            reader = csv.reader(src)
            writer = csv.writer(dst, lineterminator="\n")
            writer.writerow(next(reader))
            for row in reader:
                if len(row) == 1:
                    dst.write(row[0] + "\n")
                else:
                    writer.writerow(row)
        yield target, True
