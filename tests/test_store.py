"""The schema, its migrations, and the shared write path with its de-duplication."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from ingest.database import store, twins
from ingest.database.db import SCHEMA_VERSION, connect, migrate, migration_files, schema_version


def stage(con: duckdb.DuckDBPyConnection, rows: list[tuple]) -> None:
    """Stage rows of (athlete_id, source, source_id, start_at, sport_type, name, moving_s)."""
    con.execute(
        """create or replace temp table staged as
           select athlete_id, source, source_id, null::bigint as strava_id, start_at::timestamp as start_at,
                  start_at::timestamp as start_local, true as has_time, sport_type, name,
                  null::varchar as description, moving_s::double as moving_s, moving_s::double as elapsed_s,
                  null::double as distance_m, null::double as elevation_gain_m, null::double as avg_hr,
                  null::double as max_hr, null::double as rpe, null::double as relative_effort,
                  null::json as raw
           from (select unnest(?, recursive := true)) """,
        [
            [
                dict(
                    zip(
                        ["athlete_id", "source", "source_id", "start_at", "sport_type", "name", "moving_s"],
                        r,
                        strict=True,
                    )
                )
                for r in rows
            ]
        ],
    )


def test_fresh_database_is_migrated_to_current_version(db_path: Path) -> None:
    with connect(db_path) as con:
        assert schema_version(con) == SCHEMA_VERSION
        assert migrate(con) == SCHEMA_VERSION  # idempotent
        tables = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
    assert {"athletes", "activities", "imports", "import_rejects", "schema_version"} <= tables


def test_write_categorises_deduplicates_and_updates(db_path: Path) -> None:
    with connect(db_path) as con:
        a = store.ensure_athlete(con, "Ana")
        assert store.ensure_athlete(con, "Ana") == a
        stage(
            con,
            [
                (a, "generic", "x1", "2024-01-01 07:00:00", "Run", "easy", 1800),
                (a, "generic", "x1", "2024-01-01 07:00:00", "Run", "easy", 1800),  # repeated in the file
                (a, "generic", "x2", "2024-01-02 18:00:00", "Workout", "Glutes & squats", 2400),
                (a, "generic", "x3", "2024-01-03 18:00:00", "Kitesurf Foiling Deluxe", "?", 600),
            ],
        )
        counts = store.write_activities(con, "staged", None, {})
        assert (counts.new, counts.updated, counts.duplicate) == (3, 0, 1)
        cats = dict(con.execute("select source_id, category from activities").fetchall())
        assert cats == {"x1": "run", "x2": "strength", "x3": "other"}

        # same keys again, one value changed: one update, two unchanged
        stage(
            con,
            [
                (a, "generic", "x1", "2024-01-01 07:00:00", "Run", "easy", 1900),
                (a, "generic", "x2", "2024-01-02 18:00:00", "Workout", "Glutes & squats", 2400),
                (a, "generic", "x3", "2024-01-03 18:00:00", "Kitesurf Foiling Deluxe", "?", 600),
            ],
        )
        counts = store.write_activities(con, "staged", None, {})
        assert (counts.new, counts.updated, counts.duplicate) == (0, 1, 2)

        # the same run from another source 60 s later is a second recording: stored, linked to the
        # longer one; a run starting after it ended is not
        stage(
            con,
            [
                (a, "garmin", "g1", "2024-01-01 07:01:00", "Running", "Morning Run", 1890),
                (a, "garmin", "g2", "2024-01-01 07:40:00", "Running", "Second run", 600),
            ],
        )
        counts = store.write_activities(con, "staged", None, {})
        assert (counts.new, counts.updated, counts.duplicate, counts.twins) == (2, 0, 0, 1)
        assert counts.twins_note() == "; 1 double recording, counted once"
        links = dict(con.execute("select source_id, twin_of from activities").fetchall())
        x1 = con.execute("select activity_id from activities where source_id = 'x1'").fetchone()[0]
        assert links == {"x1": None, "x2": None, "x3": None, "g1": x1, "g2": None}


def test_settings_override_category(db_path: Path) -> None:
    with connect(db_path) as con:
        a = store.ensure_athlete(con, "Ben")
        stage(con, [(a, "generic", "k", "2024-01-01 07:00:00", "Kitesurf Foiling Deluxe", "", 600)])
        store.write_activities(con, "staged", None, {"categories": {"Kitesurf Foiling Deluxe": "cross"}})
        assert con.execute("select category from activities").fetchone()[0] == "cross"


def test_database_at_version_1_migrates_forward_keeping_data(db_path: Path) -> None:
    first_version_sql = dict(migration_files())[1]
    con = duckdb.connect(str(db_path))
    con.execute("create table schema_version (version integer not null, applied_at timestamp)")
    con.execute(first_version_sql)
    con.execute("insert into schema_version values (1, now())")
    con.execute("insert into athletes (name) values ('Old Timer')")
    con.close()
    with connect(db_path) as con:
        assert schema_version(con) == SCHEMA_VERSION
        assert con.execute("select name from athletes").fetchall() == [("Old Timer",)]


def test_keys_and_ids_stay_unique_without_an_index(db_path: Path) -> None:
    """Migration 002 dropped the key index: the write path alone keeps keys and ids unique."""
    with connect(db_path) as con:
        a = store.ensure_athlete(con, "Cy")
        rows = [
            (a, "generic", f"k{i}", f"2024-02-{1 + i % 28:02d} 07:00:00", "Run", "", 1800) for i in range(60)
        ]
        for _ in range(3):
            stage(con, rows + rows[:5])
            store.write_activities(con, "staged", None, {})
        duplicate_keys = con.execute(
            """select athlete_id, source, source_id from activities group by all having count(*) > 1"""
        ).fetchall()
        ids, distinct_ids = con.execute(
            "select count(*), count(distinct activity_id) from activities"
        ).fetchone()
    assert duplicate_keys == []
    assert ids == distinct_ids == 60


def test_an_athlete_with_activities_can_be_linked_to_strava_later(db_path: Path) -> None:
    with connect(db_path) as con:
        a = store.ensure_athlete(con, "Di")
        stage(con, [(a, "generic", "d1", "2024-01-01 07:00:00", "Run", "", 1800)])
        store.write_activities(con, "staged", None, {})
        assert store.ensure_athlete(con, "Di", strava_id=987, timezone="Europe/Oslo") == a
        assert con.execute("select strava_id, timezone from athletes").fetchone() == (987, "Europe/Oslo")


def test_a_deleted_recording_lets_its_twin_count_again(db_path: Path) -> None:
    with connect(db_path) as con:
        a = store.ensure_athlete(con, "Eve")
        stage(
            con,
            [
                (a, "strava", "1", "2024-01-01 07:00:00", "Run", "watch", 2700),
                (a, "strava", "2", "2024-01-01 07:00:40", "Run", "phone", 2640),
                (a, "strava", "3", "2024-01-01 23:58:00", "Run", "late", 1800),  # past midnight
                (a, "garmin", "g3", "2024-01-02 00:00:30", "Running", "late, watch", 1700),
            ],
        )
        counts = store.write_activities(con, "staged", None, {})
        assert (counts.new, counts.twins) == (4, 2)
        links = dict(con.execute("select source_id, twin_of is not null from activities").fetchall())
        assert links == {"1": False, "2": True, "3": False, "g3": True}
        # one source only: a pair across local midnight is still found
        b = store.ensure_athlete(con, "Gus")
        stage(
            con,
            [
                (b, "strava", "4", "2024-01-03 23:58:00", "Run", "phone", 1800),
                (b, "strava", "5", "2024-01-04 00:00:30", "Run", "watch", 1700),
                (b, "strava", "6", "2024-01-04 07:00:00", "Run", "next morning", 1700),
            ],
        )
        assert store.write_activities(con, "staged", None, {}).twins == 1
        con.execute("delete from activities where source_id in ('1', '3')")
        assert twins.relink_orphans(con) == 0
        still = con.execute("select source_id from activities where twin_of is not null").fetchall()
        assert still == [("5",)]  # Gus's pair: 4 is longer, so it counts


def test_rows_sharing_a_key_but_not_every_value_are_kept_apart_with_stable_keys(db_path: Path) -> None:
    with connect(db_path) as con:
        a = store.ensure_athlete(con, "Fay")
        rows = [
            (a, "generic", "h", "2024-01-01 00:00:00", "Run", "easy", 1800),
            (a, "generic", "h", "2024-01-01 00:00:00", "Run", "hard", 1800),
            (a, "generic", "h", "2024-01-01 00:00:00", "Run", "easy", 1800),
        ]
        for expected in ((2, 1), (0, 3)):
            stage(con, rows)
            counts = store.write_activities(con, "staged", None, {})
            assert (counts.new, counts.duplicate) == expected
        assert con.execute("select source_id, name from activities order by 1").fetchall() == [
            ("h", "easy"),
            ("h#2", "hard"),
        ]


def test_a_store_killed_while_it_is_made_leaves_nothing_half_made(tmp_path: Path) -> None:
    """DuckDB 2.0.1 can't replay a write-ahead log holding the schema's statements (now() is not loaded
    yet when it reads the log): a store killed while its tables were made could never be opened. It is
    made under a temporary name and put in place whole; killed while it is made, the store's path holds
    nothing, and the next command makes it."""
    db = tmp_path / "new.duckdb"
    making = "import sys\nfrom ingest.database.db import connect\nwith connect(sys.argv[1]):\n    pass\n"
    proc = subprocess.Popen([sys.executable, "-c", making, str(db)], cwd=Path(__file__).parents[1])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if list(tmp_path.glob(".new.duckdb.*.creating*")):
            proc.send_signal(signal.SIGKILL)
            break
        time.sleep(0.001)
    assert proc.wait(10) == -signal.SIGKILL, "killed while the store was made"
    assert not db.exists()
    with connect(db) as con:
        assert con.execute("select max(version) from schema_version").fetchone()[0] == SCHEMA_VERSION
