"""The coach overview kept per athlete (queries/overview_cache.py): after each kind of write, the next
overview equals one computed from scratch, and only the athletes the write changed were computed again."""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from activity_files import T0, fit_activity
from activity_rows import write
from conftest import FIXTURES

import queries
from ingest.admin import athletes as athletes_admin
from ingest.admin.recategorise import recategorise
from ingest.database.corrections import set_activities
from ingest.database.db import connect
from queries.overview_cache import OverviewCache
from queries.session_values import refresh

D = date(2026, 11, 22)
START = D - timedelta(weeks=8) + timedelta(days=1)


def sessions(days: int, *extra: dict) -> list[dict]:
    """A run every other day and a Pilates class every fourth, the last `days` days to D; plus `extra`."""
    rows = []
    for back in range(days):
        day = datetime.combine(D - timedelta(days=back), datetime.min.time()).replace(hour=7)
        if back % 2 == 0:
            rows.append({"start_local": day, "sport_type": "Run", "minutes": 40 + back % 7, "km": 8.0})
        if back % 4 == 1:
            rows.append({"start_local": day, "sport_type": "Pilates", "minutes": 50})
    return rows + list(extra)


def overview(cache: OverviewCache, db: Path, settings: dict | None = None, as_of: date = D) -> dict:
    """The cached overview, checked against one computed from scratch on the same data."""
    with connect(db, read_only=True) as con:
        got, weekly = cache.overview(con, as_of, START, settings or {})
        want, want_weekly = queries.overview(con, as_of, START, settings or {})
    assert got == want
    assert weekly.equals(want_weekly)
    return {row["athlete"]: row for row in got["athletes"]}


def test_each_write_recomputes_only_the_athletes_it_changed(db_path):
    write(db_path, "Ana", sessions(60))
    write(db_path, "Ben", sessions(30, {"start_local": "2026-11-20T18:00", "sport_type": "Workout"}))
    write(db_path, "Cy", sessions(10))
    write(db_path, "Dee", sessions(90))
    cache = OverviewCache()
    overview(cache, db_path)
    assert cache.computed == ["Ana", "Ben", "Cy", "Dee"]
    overview(cache, db_path)
    assert cache.computed == []

    before = overview(cache, db_path)["Ana"]["run_km"]
    write(
        db_path, "Ana", [{"start_local": "2026-11-22T18:00", "sport_type": "Run", "minutes": 30, "km": 6.0}]
    )
    assert overview(cache, db_path)["Ana"]["run_km"] == before + 6.0
    assert cache.computed == ["Ana"]

    with connect(db_path) as con:
        ben_workout = con.execute(
            "select activity_id from activities where sport_type = 'Workout'"
        ).fetchone()[0]
        set_activities(con, [ben_workout], rpe=9)
    overview(cache, db_path)
    assert cache.computed == ["Ben"]

    with connect(db_path) as con:  # "Workout" with no name: other, until the settings say strength
        assert recategorise(con, {"categories": {"Workout": "strength"}}, "Ben")
    assert overview(cache, db_path)["Ben"]["sessions"]["strength"] == 1
    assert cache.computed == ["Ben"]

    with connect(db_path) as con:
        athletes_admin.set_settings(con, "Dee", hr_max=185)
        athletes_admin.rename(con, "Cy", "Aaron")  # first by name now: its weekly rows move up
    assert "Aaron" in overview(cache, db_path)
    assert cache.computed == ["Aaron", "Dee"]

    write(db_path, "Bo", sessions(5))  # a new athlete, between two kept ones by name
    overview(cache, db_path)
    assert cache.computed == ["Bo"]

    with connect(db_path) as con:
        athletes_admin.merge(con, "Ben", "Ana")
        athletes_admin.delete(con, "Aaron")
    assert sorted(overview(cache, db_path)) == ["Ana", "Bo", "Dee"]
    assert cache.computed == ["Ana"]


def test_other_settings_or_days_recompute_everyone(db_path):
    write(db_path, "Ana", sessions(60))
    write(db_path, "Ben", sessions(20))
    cache = OverviewCache()
    overview(cache, db_path)
    pilates = overview(cache, db_path, {"intensity": {"pilates": 9}})
    assert cache.computed == ["Ana", "Ben"]
    assert pilates["Ana"]["fitness"] > overview(cache, db_path)["Ana"]["fitness"]
    assert cache.computed == ["Ana", "Ben"]
    overview(cache, db_path, as_of=D - timedelta(days=3))
    assert cache.computed == ["Ana", "Ben"]


def test_activity_files_attached_to_stored_rows_renew_the_athletes_marker(run_cli, db_path, tmp_path):
    export = tmp_path / "export"
    (export / "activities").mkdir(parents=True)
    (export / "activities.csv").write_text((FIXTURES / "strava_en_au.csv").read_text(encoding="utf-8"))
    (export / "profile.csv").write_text("Athlete ID,Email Address,First Name,Last Name\n1,a@b.c,Zoe,Zhang\n")
    assert run_cli("import", str(export / "activities.csv"), "--athlete", "Zoe Zhang").exit_code == 0
    write(db_path, "Other", sessions(10))
    cache = OverviewCache()
    as_of = date(2024, 5, 23)
    overview(cache, db_path, as_of=as_of)
    # The run's file comes later (no GPS: the row keeps its local time), with the watch's RPE 8: the
    # rows are as they were, the load is not.
    start = datetime(2024, 5, 21, 0, 48, 20, tzinfo=T0.tzinfo)
    fit_activity(export / "activities" / "20000000001.fit.gz", start, 1386, point=None, gz=True, rpe=8)
    result = run_cli("import", str(export))
    assert "3 rows: 0 imported, 0 updated" in result.stdout and "samples of 1 activities" in result.stdout
    overview(cache, db_path, as_of=as_of)
    assert cache.computed == ["Zoe Zhang"]


def test_a_cold_overview_from_stored_values_makes_its_weekly_rows_apart_and_the_same(db_path):
    """With every athlete's values stored, the cold overview computes its weekly rows and 28-day cells by
    category on a second cursor (frames.overview_apart: its own scope tables) while the compare rows are
    computed, and the EWMA carry and the run level once, by whichever cursor reaches them first (the
    first loads the second's rows: engine.ensure's `given`): the same answer as frames.overview's one
    connection, and as computing every value."""
    from queries import engine

    write(db_path, "Ana", sessions(60))
    write(db_path, "Ben", sessions(30, {"start_local": "2026-11-20T18:00", "sport_type": "Workout"}))
    with connect(db_path) as con:
        assert refresh(con, {}) == 2
    engine.RUNS.clear()
    stored = overview(OverviewCache(), db_path)
    assert engine.RUNS["path:stored"] == 2 and engine.RUNS["scope"] == 3  # the cache's two, overview's one
    # each once in the cache's call (on either cursor: frames.Early) and once in queries.overview's;
    # summary.sql once in each, on the first
    assert engine.RUNS["ewma_carry_stored"] == engine.RUNS["run_level_stored"] == engine.RUNS["summary"] == 2
    # as the dashboard reads: a cursor of an instance that attached the file under an alias
    instance = duckdb.connect()
    instance.execute(f"attach '{db_path}' as crosstrain (read_only)")
    instance.execute("use crosstrain")
    cur = instance.cursor()
    cur.execute("use crosstrain")
    got, weekly = OverviewCache().overview(cur, D, START, {})
    assert {row["athlete"]: row for row in got["athletes"]} == stored and len(weekly) > 0
    instance.close()
    with connect(db_path) as con:
        con.execute("delete from session_values_state")
    assert overview(OverviewCache(), db_path) == stored and stored["Ana"]["run_km"] > 0


def test_a_cold_overview_sets_off_no_garbage_collection_and_leaves_the_collector_as_it_was(db_path):
    """A cold call runs with the cyclic collector paused (its young objects' collections set off the
    full ones that made the overview's p95): with a collection due at every new object, none starts
    during the call but the few its return sets off once the collector is back on (~1,800 without the
    pause); and the collector is on after it, or still off when the caller had turned it off."""
    import gc

    for i in range(12):
        write(db_path, f"Athlete {i:02d}", sessions(60 + i))
    started: list[int] = []

    def seen(phase: str, info: dict) -> None:
        if phase == "start":
            started.append(info["generation"])
            import traceback

            traceback.print_stack(limit=12)

    threshold = gc.get_threshold()
    gc.callbacks.append(seen)
    try:
        with connect(db_path, read_only=True) as con:
            gc.collect()
            gc.set_threshold(1)  # a young collection at every new object
            started.clear()
            got, _ = OverviewCache().overview(con, D, START, {})
            during = list(started)
            gc.set_threshold(*threshold)
            assert gc.isenabled()
            gc.disable()
            OverviewCache().overview(con, D, START, {})
            assert not gc.isenabled()
            gc.enable()
    finally:
        gc.callbacks.remove(seen)
        gc.set_threshold(*threshold)
    assert len(got["athletes"]) == 12 and len(during) < 20


def test_the_overview_weekly_frame_is_weekly_balance_sql_rows(db_path):
    """frames.weekly_frame lays out weekly_balance.sql's zero-filled grid in numpy from its non-empty
    cells: the same rows, order, values and dtypes as weekly_balance.sql's rows by name (`_named`), for
    every athlete or some (the cache's partial update), a window ending mid-week, a category without
    sessions, a session outside the window, an athlete without any, a ride's km (not run_km)."""
    from queries import engine, frames
    from queries.params import resolve

    ride = {"start_local": "2026-11-10T07:00", "sport_type": "Ride", "minutes": 60, "km": 30.0}  # km, no run
    write(
        db_path,
        "Ana",
        sessions(60, ride, {"start_local": "2026-09-01T07:00", "sport_type": "Run", "km": 5.0}),
    )
    write(db_path, "Ben", sessions(30, {"start_local": "2026-11-20T18:00", "sport_type": "Workout"}))
    write(db_path, "Cy", sessions(3))
    write(db_path, "Al", [{"start_local": "2025-01-01T07:00", "sport_type": "Swim", "minutes": 30}])
    params = resolve({})
    for stored_values in (False, True):
        if stored_values:  # then also the stored path's frame, its cells read from the stored rows in place
            with connect(db_path) as con:
                assert refresh(con, {}) == 4
        with connect(db_path, read_only=True) as con:
            ids = dict(con.execute("select name, athlete_id from athletes").fetchall())
            for scope, end in ((None, D), (None, D - timedelta(days=3)), ([ids["Cy"], ids["Ana"]], D)):
                first = engine.monday(START)
                engine.prepare_scope(con, scope, params)
                engine.prepare_sessions(con, params, first, end)
                want = frames._named(con, engine.STEPS["weekly_balance"].text(), first, end)
                got = frames.weekly_frame(con, first, end)
                assert len(got) >= 96 and got["sessions"].sum() > 20 and (got["run_km"] > 0).any()
                assert got.equals(want) and list(got.dtypes) == list(want.dtypes), (scope, end)
                with engine.request(con):
                    since, path = frames.weeks_path(con, params, scope, first, end)
                    assert (since, path) == (
                        (end, "all" if scope is None else True) if stored_values else (first, False)
                    )
                    if path:
                        engine.ensure(
                            con,
                            "session_load",
                            {"from": end - timedelta(days=27), "end": end, **engine._load(params)},
                            path,
                        )
                        got = frames.weekly_frame(con, first, end, path)
                assert got.equals(want) and list(got.dtypes) == list(want.dtypes), (scope, end, path)


def test_a_step_either_cursor_may_make_is_made_by_the_one_that_reaches_it_first():
    """frames.Early: a step the second cursor took is handed over once made (the first waits for it); one
    the first cursor reaches untaken it makes itself (given: None), and the second then skips it (a
    second thread that starts late on a busy machine costs the first cursor nothing)."""
    from queries.frames import Early

    early = Early()
    given = early.given()
    taken = early.take("ewma_carry")
    assert taken is not None and early.take("ewma_carry") is None
    rows = {"athlete_id": ("INTEGER", [1]), "fitness": ("DOUBLE", [2.5])}
    threading.Timer(0.05, taken.set_result, [rows]).start()
    assert given["ewma_carry"]() == rows  # waited for the second cursor
    assert given["run_level"]() is None  # untaken: the first cursor makes it
    assert early.take("run_level") is None
    failed = Early()
    future = failed.take("run_level")
    future.set_exception(ValueError("the second cursor failed"))
    with pytest.raises(ValueError, match="second cursor failed"):
        failed.given()["run_level"]()
