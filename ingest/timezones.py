"""Which IANA time zone turns an athlete's wall-clock times into UTC and back.

Order: the `--timezone` option, else the athlete's stored zone, else this machine's zone.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from ingest.errors import CrosstrainError


def machine_timezone() -> str:
    """This machine's IANA zone name (`$TZ`, the /etc/localtime link, /etc/timezone), else 'UTC'."""
    tz = os.environ.get("TZ", "").lstrip(":")
    if "/" in tz or tz == "UTC":
        return tz
    localtime = Path("/etc/localtime")
    if localtime.is_symlink():
        target = str(localtime.resolve())
        if "zoneinfo/" in target:
            return target.split("zoneinfo/", 1)[1]
    try:
        name = Path("/etc/timezone").read_text(encoding="utf-8").strip()
    except OSError:
        name = ""
    return name or "UTC"


def default_timezone(con: duckdb.DuckDBPyConnection) -> str:
    """This machine's zone if DuckDB (ICU) knows it, else 'UTC'."""
    name = machine_timezone()
    known = con.execute("select count(*) from pg_timezone_names() where name = ?", [name]).fetchone()[0]
    return name if known else "UTC"


def check_timezone(con: duckdb.DuckDBPyConnection, name: str) -> str:
    """`name` if DuckDB (ICU) knows the zone, else a CrosstrainError saying so."""
    known = con.execute("select count(*) from pg_timezone_names() where name = ?", [name]).fetchone()[0]
    if not known:
        raise CrosstrainError(f"unknown time zone '{name}': use an IANA name such as Europe/Berlin")
    return name
