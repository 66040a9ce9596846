"""Which IANA time zone turns an athlete's wall-clock times into UTC and back.

Order: the activity's own zone where its source gives one (Strava's API, a file's GPS start point);
then the `--timezone` option; then the zone stored on the athlete; then this machine's zone, which is
then stored on the athlete with source 'machine' (so later imports agree) and named in the summary.
"""

from __future__ import annotations

import contextlib

import duckdb
import tzlocal

from ingest.errors import CrosstrainError


def machine_timezone() -> str:
    """This machine's IANA zone name (`$TZ`, /etc/localtime, /etc/timezone: tzlocal), else 'UTC'."""
    # the zone may have changed since the last call ($TZ in tests); an unknown one raises tzlocal's
    # ZoneInfoNotFoundError, a LookupError
    with contextlib.suppress(LookupError, ValueError, OSError):
        tzlocal.reload_localzone()
    try:
        name = tzlocal.get_localzone_name()
    except (LookupError, ValueError, OSError):
        name = None
    return name or "UTC"


def known(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Whether DuckDB (ICU) knows the zone `name`."""
    return bool(con.execute("select count(*) from pg_timezone_names() where name = ?", [name]).fetchone()[0])


def default_timezone(con: duckdb.DuckDBPyConnection) -> str:
    """This machine's zone if DuckDB (ICU) knows it, else 'UTC'."""
    name = machine_timezone()
    return name if known(con, name) else "UTC"


def check_timezone(con: duckdb.DuckDBPyConnection, name: str) -> str:
    """`name` if DuckDB (ICU) knows the zone, else a CrosstrainError saying so."""
    if not known(con, name):
        raise CrosstrainError(f"unknown time zone '{name}': use an IANA name such as Europe/Berlin")
    return name
