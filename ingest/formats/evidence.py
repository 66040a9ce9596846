"""What a file's own rows say about how to read them: decimal mark, day/month order, units.

Each function runs one aggregate query over the raw text table `_raw` (see ingest/exports/read.py) and
returns its decision with a one-line note for the import summary: what was decided and on what
evidence, or what was assumed and how to override it.
"""

from __future__ import annotations

import math

import duckdb

from ingest.exports.formats.common import UNIT_WORDS

# Speeds measured two ways agree within a few percent for a run (treadmill calibration: ~10%); miles
# make the distance/time speed 1.609x smaller than cadence x stride. The split is the geometric mean.
MILES_RATIO = 1609.344 / 1000
RATIO_SPLIT = math.sqrt(MILES_RATIO)


def decimal_comma(con: duckdb.DuckDBPyConnection, columns: int) -> bool:
    """Whether a file's numbers look like `9,33` (decimal comma) more often than `9.33`."""
    comma = " + ".join(
        f"coalesce(regexp_full_match(c{i}, '-?[0-9]+,[0-9]{{1,2}}'), false)::int" for i in range(columns)
    )
    dot = " + ".join(
        f"coalesce(regexp_full_match(c{i}, '-?[0-9]+\\.[0-9]{{1,2}}'), false)::int" for i in range(columns)
    )
    commas, dots = con.execute(
        f"select coalesce(sum({comma}), 0), coalesce(sum({dot}), 0) from (select * from _raw limit 2000)"
    ).fetchone()
    return commas > dots


def date_order(
    con: duckdb.DuckDBPyConnection, column: str | None, option: str | None, assume: str
) -> tuple[str | None, str]:
    """The day/month order of a date column written with numbers (`12/11/20 11:59`), from the whole column.

    A first number above 12 anywhere means day first, a second one month first. When no value tells,
    `assume` is used and the note says so. Dots (`09.12.2022`) are day first everywhere and not counted.
    """
    if column is None:
        return None, ""
    d = f"ct_txt({column})"
    n, first, second, first_line, second_line = con.execute(
        f"""select count(*), count(*) filter (where a > 12), count(*) filter (where b > 12),
                   min(rowid) filter (where a > 12) + 2, min(rowid) filter (where b > 12) + 2
            from (select rowid, try_cast(regexp_extract({d}, '^([0-9]{{1,2}})[/-]', 1) as int) as a,
                         try_cast(regexp_extract({d}, '^[0-9]{{1,2}}[/-]([0-9]{{1,2}})[/-]', 1) as int) as b
                  from _raw where regexp_matches({d}, '^[0-9]{{1,2}}[/-][0-9]{{1,2}}[/-][0-9]{{2,4}}'))"""
    ).fetchone()
    if not n:
        return None, ""
    words = {"dmy": "day/month/year", "mdy": "month/day/year"}
    if option:
        return option, f"dates: {words[option]} (--date-order {option})"
    if first and not second:
        return "dmy", f"dates: {words['dmy']} (a day above 12 comes first, e.g. line {first_line})"
    if second and not first:
        return "mdy", f"dates: {words['mdy']} (a day above 12 comes second, e.g. line {second_line})"
    if first and second:
        order = "dmy" if first >= second else "mdy"
        return order, (
            f"dates: {words[order]} for most rows; {min(first, second)} rows fit only the other order "
            f"and are rejected (pass --date-order to choose)"
        )
    other = "mdy" if assume == "dmy" else "dmy"
    return assume, (
        f"dates: {words[assume]} assumed (no day above 12 tells the order in {n} dates); "
        f"pass --date-order {other} if they are {words[other]}"
    )


def units_from_ratio(
    con: duckdb.DuckDBPyConnection, ratio_sql: str, what: str, option: str | None
) -> tuple[str, str]:
    """Metric or imperial from `ratio_sql` (one row per activity: a speed measured in metres over the
    speed its distance column gives as km), its median decides; `what` says in the note what was compared.
    """
    rows, median = con.execute(
        f"select count(r), median(r) from ({ratio_sql}) t(r) where r between 0.5 and 3"
    ).fetchone()
    found = None
    if rows:
        found = "imperial" if median > RATIO_SPLIT else "metric"
    if option:
        disagree = f"; the file's {what} suggest {UNIT_WORDS[found]}" if found and found != option else ""
        return option, f"units: {UNIT_WORDS[option]} (--units {option}{disagree})"
    if found is None:
        return "metric", (
            f"units: {UNIT_WORDS['metric']} assumed (no {what} to tell); "
            "pass --units imperial if the account uses miles"
        )
    shown = median / MILES_RATIO if found == "imperial" else median
    return found, f"units: {UNIT_WORDS[found]} (from {rows} {what}: speeds agree within {abs(shown - 1):.1%})"
