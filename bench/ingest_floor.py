"""Benchmark: what the 1M-row CSV's floor pays for (issue 22 item 3), by variants of its one insert.

bench/ingest.py's floor stores the bench file's rows in a new crosstrain database's `activities` by one
insert. Here the same rows go through variants of that statement and of the table (ids, key, NOT NULL,
transaction, the write alone, columns written, DuckDB's compression), each into a fresh database file,
in turns, round after round; medians of the CPU seconds of all DuckDB's threads (this process), with
the bare `create table as select * from read_csv(...)` as 1.00x. bench/README.md "The 1M-row CSV: why
its floor costs what it does" has the figures.

    .venv/bin/python bench/ingest_floor.py [--rows N] [--repeat N] [--only NAME ...]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench" / ".data"
sys.path.insert(0, str(ROOT))  # this checkout's packages, not bench/ingest.py, under `ingest`

from bench.ingest import generate, remove  # noqa: E402
from ingest.database.db import connect  # noqa: E402

# bench/ingest.py's FLOOR's columns, in the table's order, after activity_id.
COLUMNS = """a.athlete_id, 'generic' as source, {key} as source_id, null::bigint as strava_id,
    r.date::timestamp as start_at, r.date::timestamp as start_local, true as has_time, r.type as sport_type,
    case when r.type in ('Run', 'Trail Run') then 'run' else 'other' end as category, r.name,
    null::varchar as description, r.duration::double as moving_s, r.duration::double as elapsed_s,
    r.distance_km * 1000 as distance_m, null::double as elevation_gain_m, r.avg_hr::double as avg_hr,
    r.max_hr::double as max_hr, r.rpe::double as rpe, null::double as relative_effort, null::json as raw,
    null::integer as import_id, now() at time zone 'UTC' as updated_at, null::bigint as twin_of,
    false as excluded, null::varchar as start_timezone, null::varchar as excluded_reason"""
MD5 = "md5(concat_ws('|', r.date, r.type, r.duration, r.name))"
ROWS = "from read_csv('{csv}') r join athletes a on a.name = r.athlete"
ATHLETES = "insert into athletes (name) select distinct athlete from read_csv('{csv}')"

# Column groups written alone (the rows made first): what each part of the write costs.
GROUPS = {
    "source_id": "source_id",
    "source_id as uuid": "md5_number(source_id)::uuid as u",
    "name": "name",
    "10 numbers and times": "activity_id, athlete_id, start_at, start_local, moving_s, elapsed_s, "
    "distance_m, avg_hr, max_hr, rpe",
    "4 texts": "source, sport_type, category, name",
    "12 constant or empty": "has_time, excluded, updated_at, strava_id, description, elevation_gain_m, "
    "relative_effort, raw, import_id, twin_of, start_timezone, excluded_reason",
}
# DuckDB settings for the write of all 27 columns.
SETTINGS = {
    "uncompressed": "set force_compression = 'uncompressed'",
    "dictionary only": "set force_compression = 'dictionary'",
    "fsst only": "set force_compression = 'fsst'",
    "preserve_insertion_order false": "set preserve_insertion_order = false",
    "threads 1": "set threads = 1",
}


def timed(con: duckdb.DuckDBPyConnection, statements: list[str]) -> float:
    """CPU seconds of `statements` run in order."""
    c0 = time.process_time()
    for sql in statements:
        con.execute(sql)
    return time.process_time() - c0


def fresh(db: Path, crosstrain: bool = True) -> duckdb.DuckDBPyConnection:
    """A connection to a new database at `db`: crosstrain's schema, or empty."""
    remove(db)
    if crosstrain:
        with connect(db):
            pass
    return duckdb.connect(str(db))


def variants(csv: Path, db: Path) -> dict[str, Callable[[], float]]:
    """Name -> a function timing that variant into a fresh database."""
    rows = ROWS.format(csv=csv)
    athletes = ATHLETES.format(csv=csv)
    cols = COLUMNS.format(key=MD5)

    def run(statements: list[str], crosstrain: bool = True, before: tuple[str, ...] = ()) -> float:
        con = fresh(db, crosstrain)
        for sql in before:
            con.execute(sql)
        try:
            return timed(con, statements)
        finally:
            con.close()

    def floor(select: str, insert: str = "insert into activities", transaction: bool = True) -> float:
        seq = "create temp sequence s start 1"
        body = [seq, athletes, f"{insert} select {select} {rows}"]
        return run(["begin", *body, "commit"] if transaction else body)

    def written(what: str, before: tuple[str, ...] = ()) -> float:
        made = (
            "create temp sequence s start 1",
            athletes,
            f"create temp table st as select nextval('s') as activity_id, {cols} {rows}",
        )
        return run(["begin", what, "commit"], before=(*made, *before))

    found = {
        "bare read_csv into a table": lambda: run(
            [f"create table t as select * from read_csv('{csv}')"], False
        ),
        "bare, every column as text": lambda: run(
            [f"create table t as select * from read_csv('{csv}', all_varchar = true)"], False
        ),
        "floor": lambda: floor(f"nextval('s'), {cols}"),
        "floor's select alone, counted": lambda: run(
            [
                "create temp sequence s start 1",
                athletes,
                f"select count(*), sum(length(source_id)) from (select nextval('s'), {cols} {rows})",
            ]
        ),
        "floor's athletes alone": lambda: run(["begin", athletes, "commit"]),
        "floor without the md5 key": lambda: floor(f"nextval('s'), {COLUMNS.format(key='r.name')}"),
        "floor, ids by row_number()": lambda: floor(f"row_number() over (), {cols}"),
        "floor, a constant id": lambda: floor(f"1, {cols}"),
        "floor as create table as": lambda: floor(
            f"nextval('s') as activity_id, {cols}", "create table x as"
        ),
        "floor in autocommit": lambda: floor(f"nextval('s'), {cols}", transaction=False),
        "the write alone: insert": lambda: written("insert into activities select * from st"),
        "the write alone: create table as": lambda: written("create table x as select * from st"),
    }
    for name, group in GROUPS.items():
        found[f"write {name}"] = lambda group=group: written(f"create table x as select {group} from st")
    for name, setting in SETTINGS.items():
        found[f"write all, {name}"] = lambda setting=setting: written(
            "insert into activities select * from st", (setting,)
        )
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="rounds; medians count")
    parser.add_argument("--only", action="append", default=[], help="only the variants whose name holds this")
    args = parser.parse_args()
    DATA.mkdir(exist_ok=True)
    csv = DATA / f"generic_{args.rows}.csv"
    if not csv.exists():
        generate(csv, args.rows)
    found = variants(csv, DATA / "floor_variant.duckdb")
    chosen = {n: f for n, f in found.items() if n.startswith("bare read") or any(o in n for o in args.only)}
    chosen = chosen if args.only else found
    cpus: dict[str, list[float]] = {name: [] for name in chosen}
    for _ in range(args.repeat):  # in turns, round after round: the machine is shared
        for name, fn in chosen.items():
            cpus[name].append(fn())
    remove(DATA / "floor_variant.duckdb")
    bare = statistics.median(cpus["bare read_csv into a table"])
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}; {args.rows:,} rows")
    print(f"{'median of ' + str(args.repeat) + ' rounds':42} {'CPU':>7} {'x bare':>7}")
    for name, runs in cpus.items():
        cpu = statistics.median(runs)
        print(f"{name:42} {cpu:6.2f}s {cpu / bare:6.2f}x")


if __name__ == "__main__":
    main()
