"""Each session's values stored at write time (ingest/database/session_values.py, queries/session_values.py):
the stored path gives exactly what the computed path gives (report and compare JSON, the athlete page's
frames, the coach overview), and a write without a refresh, another setting or a failed or killed
refresh make the readers compute, never read stale values."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from activity_files import fit_activity
from activity_rows import write
from conftest import FIXTURES
from one_pass_pages import pages, plain
from test_one_pass import BEFORE, _added_thresholds_taken_out, _reworded

import queries
from ingest.admin import athletes as athletes_admin
from ingest.database import session_values as stored_values
from ingest.database.db import connect
from ingest.sample.synthetic import load_sample
from queries import engine
from queries.overview_cache import OverviewCache
from queries.params import resolve
from queries.session_values import refresh

ROOT = Path(__file__).resolve().parents[1]
D = date(2026, 11, 22)


# Sums of several sessions' loads may differ in their last bits between the two paths: each adds the
# same values, but the computed step's rows come in the order its joins put them in (which depends on
# the plan: the window's size, the data), the stored ones in the order they were written; float addition
# is not associative. So the JSON (report, compare, overview: rounded) must be equal exactly, and the
# frames' floats (daily metrics, weekly rows, the athlete page's series) to 1e-12 relative (measured: at
# most 1.3e-13, fitness and fatigue on the sample data). The sessions' own values are compared exactly
# (test_stored_rows_equal_the_computed_rows).
FRAMES = ("daily ", "weekly", "page ")


def same(a: object, b: object, loose: bool = False) -> bool:
    """`a == b`; with `loose` (inside FRAMES) floats, as themselves or as their repr, to 1e-12 relative."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k], loose or str(k).startswith(FRAMES)) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y, loose) for x, y in zip(a, b, strict=True))
    if loose and a != b and isinstance(a, float | str) and isinstance(b, float | str):
        try:
            x, y = float(a), float(b)
        except ValueError:
            return False
        return abs(x - y) <= 1e-12 * max(abs(x), abs(y), 1.0)
    return a == b


def differences(a: object, b: object, loose: bool = False, at: str = "") -> list[str]:
    """Where `same(a, b)` fails: paths with both values (for the assertion message)."""
    if isinstance(a, dict) and isinstance(b, dict) and a.keys() == b.keys():
        return [
            d for k in a for d in differences(a[k], b[k], loose or str(k).startswith(FRAMES), f"{at}/{k}")
        ]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [
            d
            for i, (x, y) in enumerate(zip(a, b, strict=True))
            for d in differences(x, y, loose, f"{at}/{i}")
        ]
    return [] if same(a, b, loose) else [f"{at}: {a!r} != {b!r}"]


def equal(db: Path, want: dict, settings: dict | None = None) -> bool:
    """answers(db) is `same` as `want` (else the assertion names the first differences)."""
    now = answers(db, settings)
    assert same(now, want), differences(now, want)[:10]
    return True


def forget(db: Path) -> None:
    """The stored values' bookkeeping emptied, as in a database just migrated: every reader computes."""
    with connect(db) as con:
        con.execute("delete from session_values_state")


def store(db: Path, settings: dict | None = None) -> int:
    with connect(db) as con:
        return refresh(con, settings or {})


def answers(db: Path, settings: dict | None = None) -> dict:
    """Every athlete's report and daily metrics, compare and the coach overview (JSON and weekly rows),
    floats kept exactly."""
    settings = settings or {}
    out: dict = {}
    with connect(db, read_only=True) as con:
        names = [r[0] for r in con.execute("select name from athletes order by name").fetchall()]
        for name in names:
            out[f"report {name}"] = queries.report(con, name, D, settings)
            daily = queries.daily_metrics(con, name, D - timedelta(weeks=16), D, settings)
            out[f"daily {name}"] = plain(daily)
        out["compare"] = queries.compare(con, D, settings)
        got, weekly = OverviewCache().overview(con, D, D - timedelta(weeks=12), settings)
        out["overview"] = got
        out["weekly"] = plain(weekly)
    return json.loads(json.dumps(out, default=repr))


def path_taken(db: Path, settings: dict | None = None) -> str:
    """Which path a report takes now ("stored" or "computed")."""
    engine.RUNS.clear()
    with connect(db, read_only=True) as con:
        name = con.execute("select min(name) from athletes").fetchone()[0]
        queries.report(con, name, D, settings or {})
    assert engine.RUNS["path:stored"] + engine.RUNS["path:computed"] >= 1
    return "stored" if engine.RUNS["path:stored"] and not engine.RUNS["path:computed"] else "computed"


def test_sample_pages_from_stored_values_equal_the_fixture_bit_for_bit(db_path: Path) -> None:
    """The sample athletes' pages, reports and compare, read from the stored values, equal the stored
    fixture of the computed path (tests/test_one_pass.py) float for float."""
    assert load_sample(db_path, {}).error is None
    assert path_taken(db_path) == "computed"  # nothing stored yet
    assert store(db_path) == 4 and store(db_path) == 0
    engine.RUNS.clear()
    now = pages(db_path)
    assert engine.RUNS["path:stored"] > 0 and engine.RUNS["path:computed"] == 0, dict(engine.RUNS)
    assert (
        engine.RUNS["session_load"] == engine.RUNS["session_intensity"] == engine.RUNS["session_hr_max"] == 0
    )
    before = _reworded(json.loads(gzip.decompress(BEFORE.read_bytes())))
    assert _added_thresholds_taken_out(now) == 11
    for key in before:
        assert same(now[key], before[key], key.startswith(FRAMES)), (key, differences(now[key], before[key]))


def test_a_stored_report_makes_only_the_tables_it_reads(db_path: Path) -> None:
    """On the stored path a report makes neither constant table of the session intensity (only
    session_intensity.sql reads them: engine._INTENSITY_READERS) nor a table of its hip sets (read, not
    kept); computed, the intensity tables are made for session_intensity.sql, and the report is the same."""
    assert load_sample(db_path, {}).error is None
    intensity = {"q_intensity", "q_intensity_types", "q_session_intensity"}

    def report_and_tables() -> tuple[dict, set[str]]:
        with connect(db_path, read_only=True) as con:
            name = con.execute("select min(name) from athletes").fetchone()[0]
            got = queries.report(con, name, D, {})
            tables = con.execute("select table_name from duckdb_tables() where temporary").fetchall()
        return got, {t for (t,) in tables}

    computed, made = report_and_tables()
    assert intensity <= made and "q_hip_sets" not in made, made
    store(db_path)
    stored, made = report_and_tables()
    assert not made & (intensity | {"q_hip_sets"}) and {"q_scope", "q_summary"} <= made, made
    assert stored == computed


def _files_and_rpe(db: Path, tmp_path: Path, run_cli) -> None:
    """Two athletes: rows with RPE, average HR and neither; activity files with HR samples (one with the
    watch's RPE); a second HRmax reading that moves the estimate."""
    rows = []
    for back in range(70):
        day = datetime.combine(D - timedelta(days=back), datetime.min.time()).replace(hour=7)
        if back % 3 == 0:
            rows.append({"start_local": day, "sport_type": "Run", "minutes": 45, "km": 9.0, "avg_hr": 150})
        if back % 3 == 1:
            rows.append({"start_local": day, "sport_type": "WeightTraining", "minutes": 50, "rpe": 7})
        if back % 5 == 2:
            rows.append({"start_local": day, "sport_type": "Ride", "minutes": 60, "max_hr": 170 + back % 9})
        if back % 7 == 3:
            rows.append({"start_local": day, "sport_type": "Pilates", "minutes": 55})
    write(db, "Ana", rows)
    write(db, "Ben", rows[::2])
    folder = tmp_path / "watch"
    folder.mkdir()
    for i in range(6):
        start = datetime(2026, 11, 1 + 3 * i, 6, 30, tzinfo=datetime.now().astimezone().tzinfo)
        fit_activity(
            folder / f"run{i}.fit", start, 1800 + 300 * i, hr=lambda s, i=i: 120 + (s // 60) % 50 + i,
            rpe=6 if i == 2 else None,
        )  # fmt: skip
    assert run_cli("import", str(folder), "--athlete", "Ana").exit_code == 0


def test_stored_equals_computed_with_files_rpe_and_heart_rate(db_path: Path, tmp_path: Path, run_cli) -> None:
    _files_and_rpe(db_path, tmp_path, run_cli)
    with connect(db_path, read_only=True) as con:  # the file import stored every athlete's values
        assert con.execute("select count(*) from session_values_state").fetchone()[0] == 2
        sources = {r[0] for r in con.execute("select distinct load_source from session_values").fetchall()}
    assert sources == {"rpe", "hr_samples", "hr_avg", "default"}
    assert path_taken(db_path) == "stored"
    stored = answers(db_path)
    forget(db_path)
    assert path_taken(db_path) == "computed"
    now = answers(db_path)
    assert same(now, stored), differences(now, stored)[:10]


@pytest.mark.parametrize("data", ["sample", "files"])
def test_stored_rows_equal_the_computed_rows(db_path: Path, tmp_path: Path, run_cli, data: str) -> None:
    """Each stored session's row equals session_load.sql's row computed now, every float bit for bit."""
    if data == "sample":
        assert load_sample(db_path, {}).error is None
        store(db_path)
    else:
        _files_and_rpe(db_path, tmp_path, run_cli)
    cols = ", ".join(stored_values.COLUMNS)
    params = resolve({})
    with connect(db_path, read_only=True) as con:
        engine.prepare_scope(con, None, params)
        values = {"from": engine.EPOCH, "end": D + timedelta(days=1), **engine._load(params)}
        engine.ensure(con, "session_load", values)
        n = con.execute("select count(*) from q_session_load").fetchone()[0]
        assert n > 100 and n == con.execute("select count(*) from session_values").fetchone()[0]
        for a, b in (("q_session_load", "session_values"), ("session_values", "q_session_load")):
            assert (
                con.execute(
                    f"select count(*) from (select {cols} from {a} except all select {cols} from {b})"
                ).fetchone()[0]
                == 0
            )


def test_the_last_days_sessions_are_written_after_the_older_ones(db_path: Path) -> None:
    """A refresh writes the session rows more than RECENT_DAYS before the last day first, then the
    others (readers of the last weeks skip the older row groups): by rowid, never a recent row before an
    older one."""
    assert load_sample(db_path, {}).error is None
    forget(db_path)
    assert store(db_path) > 1
    with connect(db_path, read_only=True) as con:
        cutoff = con.execute("select max(day) from session_values").fetchone()[0] - timedelta(
            days=stored_values.RECENT_DAYS
        )
        recent = [
            r[0]
            for r in con.execute("select day > ? from session_values order by rowid", [cutoff]).fetchall()
        ]
    assert 0 < sum(recent) < len(recent)
    assert recent == sorted(recent)


def _step_rows(con, target: str, values: dict, stored: bool) -> list[tuple]:
    engine.ensure(con, target, values, stored)
    return con.execute(f"select * from q_{engine.STEPS[target].table} order by athlete_id").fetchall()


def test_monthly_readers_equal_the_computed_steps_on_every_kind_of_day(db_path: Path) -> None:
    """athlete_history and the EWMA carry from the stored monthly sums (athlete_history_stored.sql,
    ewma_carry_stored.sql) equal the computed steps for ends on a month's first and last day, mid-month,
    the 7 days ending $end in two months, carry windows starting on a month's first day or inside a
    month, shorter than a month, before the first session: the history exactly, the carry to 1e-12."""
    assert load_sample(db_path, {}).error is None
    store(db_path)
    params = resolve({"acwr_model": "ewma"})  # the acute and chronic sums too
    with connect(db_path) as con:
        refresh(con, params)  # (the basis of these settings: acwr_model is read after the values)
        first = con.execute("select min(day) from session_values").fetchone()[0]
    ends = [D, D - timedelta(days=21), date(2026, 10, 31), date(2026, 11, 1), date(2026, 11, 5), first]
    windows = [1100, 365, 40, 9, 0]  # days before $end the carry starts (prepare_carry's is 1,050)
    with connect(db_path, read_only=True) as con:
        engine.prepare_scope(con, None, params)
        load = engine._load(params)
        nonzero = 0
        for end in ends:
            engine.ensure(con, "session_load", {"from": engine.EPOCH, "end": end, **load})  # the carry's uses
            want = _step_rows(con, "athlete_history", {"end": end, **load}, False)
            assert want and _step_rows(con, "athlete_history", {"end": end, **load}, True) == want, end
            for days in windows:
                values = {"from": end - timedelta(days=days), "end": end, **load, **engine._alphas(params)}
                values["acwr_model"] = "ewma"
                computed = _step_rows(con, "ewma_carry", values, False)
                stored = _step_rows(con, "ewma_carry", values, True)
                assert len(stored) == len(computed), end
                nonzero += sum(1 for r in computed if r[2] and r[4])
                for a, b in zip(computed, stored, strict=True):
                    assert a[:2] == b[:2] and all(
                        abs(x - y) <= 1e-12 * max(abs(x), abs(y), 1.0)
                        for x, y in zip(a[2:], b[2:], strict=True)
                    ), (end, days, a, b)
        assert nonzero > 20  # fitness and the acute EWMA compared, not only zeros


def test_a_write_or_an_edit_without_a_refresh_is_computed_never_stale(db_path: Path) -> None:
    write(db_path, "Ana", [{"start_local": f"2026-11-{d:02d}T07:00", "sport_type": "Run", "minutes": 40,
                            "km": 8.0, "avg_hr": 150} for d in range(1, 22)])  # fmt: skip
    write(db_path, "Ben", [{"start_local": "2026-11-20T07:00", "sport_type": "Pilates", "minutes": 50}])
    store(db_path)
    assert path_taken(db_path) == "stored"
    first = answers(db_path)

    # a new session for Ana, written the way every importer writes, with no refresh after it
    write(
        db_path, "Ana", [{"start_local": "2026-11-22T07:00", "sport_type": "Run", "minutes": 60, "km": 12.0}]
    )
    assert path_taken(db_path) == "computed"
    new = answers(db_path)
    assert new["report Ana"]["summary"]["fitness"] > first["report Ana"]["summary"]["fitness"]
    assert store(db_path) == 1  # only Ana was stale
    assert path_taken(db_path) == "stored"
    now = answers(db_path)
    assert same(now, new), differences(now, new)[:10]

    # the athlete's own heart-rate settings renew no change marker, but they are in the stored marker
    with connect(db_path) as con:
        athletes_admin.set_settings(con, "Ana", hr_max=172)
    assert path_taken(db_path) == "computed"
    edited = answers(db_path)
    assert edited["report Ana"]["summary"]["fitness"] != new["report Ana"]["summary"]["fitness"]
    assert store(db_path) == 1 and equal(db_path, edited)

    # a merge moves the source's stored rows onto the target: stale until refreshed, then Ana's whole
    with connect(db_path) as con:
        athletes_admin.merge(con, "Ben", "Ana")
    assert path_taken(db_path) == "computed"
    merged = answers(db_path)
    assert store(db_path) == 1 and equal(db_path, merged)
    with connect(db_path, read_only=True) as con:
        assert con.execute("select count(*) from session_values_state").fetchone()[0] == 1


def test_a_scope_is_checked_on_its_own_athletes_markers(db_path: Path) -> None:
    # the reader's check (stale_among) computes the markers of the scope's athletes only: Ben's report
    # reads his stored values while Ana's are stale, Ana's computes, and over both it finds what STALE finds
    write(
        db_path, "Ana", [{"start_local": "2026-11-20T07:00", "sport_type": "Run", "minutes": 40, "km": 8.0}]
    )
    write(db_path, "Ben", [{"start_local": "2026-11-20T07:00", "sport_type": "Pilates", "minutes": 50}])
    store(db_path)
    write(
        db_path, "Ana", [{"start_local": "2026-11-21T07:00", "sport_type": "Run", "minutes": 60, "km": 12.0}]
    )
    key = engine.basis(resolve({}))
    with connect(db_path, read_only=True) as con:
        ana, ben = (con.execute("select athlete_id from athletes where name = ?", [n]).fetchone()[0]
                    for n in ("Ana", "Ben"))  # fmt: skip
        for ids, want in (([ben], []), ([ana, ben], stored_values.stale(con, key))):
            con.execute(
                "create or replace temp table asked as select unnest(?::integer[]) as athlete_id", [ids]
            )
            assert sorted(con.execute(stored_values.stale_among("asked"), {"basis": key}).fetchall()) == want
        assert [a for a, _ in stored_values.stale(con, key)] == [ana]
        for name, path in (("Ben", "path:stored"), ("Ana", "path:computed")):
            engine.RUNS.clear()
            queries.report(con, name, D, {})
            assert engine.RUNS[path] == 1 and engine.RUNS["path:stored"] + engine.RUNS["path:computed"] == 1


def test_stale_means_no_state_row_or_any_at_another_marker_or_basis(db_path: Path) -> None:
    names = ("Ana", "Ben", "Cy", "Di", "Ed", "Flo")
    for name in names:
        write(
            db_path,
            name,
            [{"start_local": "2026-11-20T07:00", "sport_type": "Run", "minutes": 30, "km": 6.0}],
        )
    store(db_path)
    key = engine.basis(resolve({}))
    with connect(db_path) as con:
        ids = {
            n: con.execute("select athlete_id from athletes where name = ?", [n]).fetchone()[0] for n in names
        }
        state = "update session_values_state set {} where athlete_id = ?"
        con.execute("delete from session_values_state where athlete_id = ?", [ids["Ben"]])  # none
        con.execute(state.format("marker = 'old'"), [ids["Cy"]])  # another marker
        con.execute(state.format("basis = 'old'"), [ids["Di"]])  # another basis
        for name, marker in (("Ed", "'old'"), ("Flo", "marker")):  # a merge's second row: wrong, same
            con.execute(
                f"insert into session_values_state select athlete_id, {marker}, basis "
                "from session_values_state where athlete_id = ?",
                [ids[name]],
            )
        markers = dict(con.execute(stored_values.MARKERS).fetchall())
        want = sorted((ids[n], markers[ids[n]]) for n in ("Ben", "Cy", "Di", "Ed"))
        assert stored_values.stale(con, key) == want
        assert [a for a, _ in stored_values.stale(con, "another basis")] == sorted(ids.values())


def test_another_setting_computes_until_it_is_stored(db_path: Path) -> None:
    assert load_sample(db_path, {}).error is None
    store(db_path)
    pilates = {"intensity": {"pilates": 9}, "load": {"own_median_last": 7.5}}
    assert path_taken(db_path, pilates) == "computed"
    computed = answers(db_path, pilates)
    assert computed != answers(db_path)
    assert store(db_path, pilates) == 4
    assert path_taken(db_path, pilates) == "stored" and path_taken(db_path) == "computed"
    assert equal(db_path, computed, pilates)


def test_all_athletes_scope_reads_unfiltered_only_while_no_one_else_has_values(db_path: Path) -> None:
    """The coach overview's scope (every athlete) reads the stored tables without the scope's semi join
    (engine.stored_path "all"); stored values of an athlete missing from `athletes` bring the filter
    back, and a scope of some athletes always has it. The answers are the same either way."""
    assert load_sample(db_path, {}).error is None
    store(db_path)
    params = resolve({})
    want = answers(db_path)

    def path(some: bool) -> bool | str:
        with connect(db_path, read_only=True) as con, engine.request(con):
            ids = engine.athlete_ids(con, ["Bea Balanced (synthetic)"]) if some else None
            engine.prepare_scope(con, ids, params)
            return engine.stored_path(con, params)

    assert path(some=False) == "all" and path(some=True) is True
    with connect(db_path) as con:  # values left behind by an athlete no longer in `athletes`
        con.execute("insert into session_values_state values (999999, 'gone', 'gone')")
        con.execute(
            """insert into session_values (athlete_id, activity_id, day, start_local, category, minutes, load)
               values (999999, 999999, ?, ?, 'run', 60, 500)""",
            [D, datetime.combine(D, datetime.min.time())],
        )
    assert path(some=False) is True
    assert equal(db_path, want)


def test_the_basis_follows_the_settings_that_shape_the_values() -> None:
    basis = engine.basis(resolve({}))
    assert engine.basis(resolve({"load": {"trimp_scale": 2.5}})) == basis  # the default
    assert engine.basis(resolve({"acwr_model": "ewma"})) == basis  # read after the values
    # the EWMA factors too: the stored monthly sums are weighted with them (session_months.sql)
    for other in (
        {"load": {"hr_max_ceiling": 210}},
        {"intensity": {"golf": 3}},
        {"load": {"hr_rest": 55}},
        {"load": {"fitness_days": 30}},
    ):
        assert engine.basis(resolve(other)) != basis, other


def test_a_failed_refresh_leaves_the_values_as_they_were(db_path: Path) -> None:
    assert load_sample(db_path, {}).error is None
    store(db_path)
    want = answers(db_path)
    with connect(db_path) as con:
        state = con.execute("select * from session_values_state order by all").fetchall()
        markers = stored_values.stale(con, "another basis")
        with pytest.raises(Exception, match="no_such_relation"):
            stored_values.replace(con, markers, "another basis", "no_such_relation", "no_such_months")
        assert con.execute("select * from session_values_state order by all").fetchall() == state
    assert path_taken(db_path) == "stored" and equal(db_path, want)


@pytest.mark.parametrize("after_s", [0.05, 0.3, 0.8])
def test_a_killed_refresh_leaves_a_usable_database_and_the_same_answers(
    db_path: Path, after_s: float
) -> None:
    assert load_sample(db_path, {}).error is None
    want = answers(db_path)  # computed: nothing stored yet
    code = (
        "import sys; from ingest.database.db import connect; from queries.session_values import refresh\n"
        "print('go', flush=True)\n"
        f"with connect({str(db_path)!r}) as con:\n"
        "    while True:\n"  # refreshed again and again, so the kill falls inside one
        "        con.execute('delete from session_values_state'); refresh(con, {})\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, env=env, cwd=ROOT)
    try:
        assert child.stdout.readline() == b"go\n"
        time.sleep(after_s)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert equal(db_path, want)
    store(db_path)
    assert path_taken(db_path) == "stored" and equal(db_path, want)


def test_commands_that_write_store_the_values_and_reads_leave_the_file_alone(
    db_path: Path, tmp_path: Path, run_cli
) -> None:
    csv = tmp_path / "activities.csv"
    csv.write_text((FIXTURES / "strava_en_au.csv").read_text(encoding="utf-8"), encoding="utf-8")
    assert run_cli("import", str(csv), "--athlete", "Ana").exit_code == 0
    assert path_taken(db_path) == "stored"
    assert run_cli("athletes", "set", "Ana", "--hr-max", "181").exit_code == 0
    assert path_taken(db_path) == "stored"
    mtime = db_path.stat().st_mtime_ns
    assert run_cli("report", "--athlete", "Ana", "--json").exit_code == 0
    assert db_path.stat().st_mtime_ns == mtime


def test_demo_database_is_stored(tmp_path: Path, run_cli) -> None:
    demo = tmp_path / "demo.duckdb"
    assert run_cli("demo", "--no-serve", "--demo-db", str(demo)).exit_code == 0
    with connect(demo, read_only=True) as con:
        assert con.execute("select count(*) from session_values_state").fetchone()[0] == 4
    assert path_taken(demo) == "stored"


def test_a_dashboard_write_stores_the_values_when_its_turn_ends(db_path: Path) -> None:
    from dashboard import create_app, data
    from ingest.database.corrections import set_activities

    assert load_sample(db_path, {}).error is None
    assert path_taken(db_path) == "computed"
    app = create_app(db_path)
    # as the label and correction callbacks write
    with app.server.app_context(), data.writing() as path, connect(path) as con:
        first = con.execute("select min(activity_id) from activities").fetchone()[0]
        set_activities(con, [first], rpe=7)
    assert path_taken(db_path) == "stored"
