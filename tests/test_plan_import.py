"""`crosstrain plan import`: plan CSVs through the generic format's parse, iCalendar files with
recurrences and exceptions, rejects reported like activity rows, a second import replacing the days."""

from __future__ import annotations

from pathlib import Path

from ingest.database.db import connect

ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Google Inc//Google Calendar 70.9054//EN
BEGIN:VEVENT
DTSTART;TZID=Europe/Berlin:20261102T070000
DTEND;TZID=Europe/Berlin:20261102T080000
RRULE:FREQ=WEEKLY;COUNT=4;BYDAY=MO
EXDATE;TZID=Europe/Berlin:20261109T070000
SUMMARY:Easy run 45 min
DESCRIPTION:Zone 2\\, 8 km
UID:run@example.com
END:VEVENT
BEGIN:VEVENT
DTSTART;VALUE=DATE:20261104
DTEND;VALUE=DATE:20261105
RRULE:FREQ=WEEKLY;UNTIL=20261118
SUMMARY:Hip strength
DESCRIPTION:1h squats\\, lunges
UID:strength@example.com
END:VEVENT
BEGIN:VEVENT
DTSTART;VALUE=DATE:20261108
SUMMARY:Rest day
UID:rest@example.com
END:VEVENT
BEGIN:VEVENT
DTSTART;TZID=Europe/Berlin:20261107T090000
DTEND;TZID=Europe/Berlin:20261107T103000
SUMMARY:Pilates
UID:pilates@example.com
END:VEVENT
BEGIN:VEVENT
DTSTART;VALUE=DATE:20261106
SUMMARY:Long run
UID:long@example.com
END:VEVENT
END:VCALENDAR
"""


def planned(db_path: Path) -> list[tuple]:
    with connect(db_path, read_only=True) as con:
        return con.execute(
            """select strftime(start_local, '%Y-%m-%d %H:%M'), sport_type, category, moving_s / 60, distance_m
               from planned_sessions order by start_local"""
        ).fetchall()


def test_ics_weekly_recurrence_with_an_exception(tmp_path, db_path, run_cli):
    path = tmp_path / "plan.ics"
    path.write_text(ICS.replace("\n", "\r\n"), encoding="utf-8")
    run_cli("athletes")  # no database yet is fine
    result = run_cli("plan", "import", str(path), "--athlete", "Ann", "--as-of", "2026-11-01")
    assert result.exit_code == 0, result.output
    assert f"{path}:21: 'Rest day' on 2026-11-08: rest day, skipped" in result.output
    assert (
        "8 planned sessions (run 4, strength 3, pilates 1), 0 replaced, 0 rejected, 1 skipped (1 rest day)"
    ) in result.output
    # the long run says neither duration nor distance: crosstrain's default for a long run, said
    assert "1 long sessions give neither a duration nor a distance: 90 min each" in result.output
    # Mondays 2, 9 (excluded), 16, 23 at 07:00 (the event's wall clock: no zone stored for Ann);
    # Wednesdays 4, 11, 18 until the 18th; Pilates from its own 90-minute length.
    assert planned(db_path) == [
        ("2026-11-02 07:00", "Run", "run", 45.0, 8000.0),
        ("2026-11-04 00:00", "Strength", "strength", 60.0, None),
        ("2026-11-06 00:00", "Run", "run", 90.0, None),
        ("2026-11-07 09:00", "Pilates", "pilates", 90.0, None),
        ("2026-11-11 00:00", "Strength", "strength", 60.0, None),
        ("2026-11-16 07:00", "Run", "run", 45.0, 8000.0),
        ("2026-11-18 00:00", "Strength", "strength", 60.0, None),
        ("2026-11-23 07:00", "Run", "run", 45.0, 8000.0),
    ]


def test_ics_times_move_into_the_athletes_zone(tmp_path, db_path, run_cli):
    run_cli("athletes")
    with connect(db_path) as con:
        con.execute("insert into athletes (name, timezone) values ('Ann', 'America/New_York')")
    path = tmp_path / "plan.ics"
    path.write_text(ICS, encoding="utf-8")
    run_cli("plan", "import", str(path), "--athlete", "Ann", "--as-of", "2026-11-01")
    assert planned(db_path)[0][0] == "2026-11-02 01:00"  # 07:00 in Berlin (UTC+1) is 01:00 in New York


def test_csv_plan_rejects_and_replacement(tmp_path, db_path, run_cli):
    first = tmp_path / "plan.csv"
    first.write_text(
        "date,type,duration,distance_km,name\n"
        "2026-11-02,Run,45:00,8,Easy run\n"
        "2026-11-03,Workout,30:00,,Glutes and squats\n"
        "2026-11-04,Run,soon,,Tempo\n"
        "2026-11-05,Yoga,3600,,\n"
        "2026-11-09,Run,1:30:00,18,Long run\n",
        encoding="utf-8",
    )
    result = run_cli("plan", "import", str(first), "--athlete", "Ann", "--as-of", "2026-11-01")
    assert result.exit_code == 1
    assert (
        f"error: {first}:4: column 'duration': cannot read 'soon' as a duration (seconds or [H:]MM:SS); "
        "row skipped" in result.output
    )
    assert (
        "2026-11-02 to 2026-11-09, 4 planned sessions (run 2, mobility 1, strength 1), 0 replaced, 1 rejected"
        in result.output
    )
    assert [r[2] for r in planned(db_path)] == ["run", "strength", "mobility", "run"]
    # A new plan for 3-5 Nov replaces only those days: the 2nd and the 9th stay.
    second = tmp_path / "week.csv"
    second.write_text("date,type,duration\n2026-11-03,Pilates,2700\n2026-11-05,Run,1800\n", encoding="utf-8")
    result = run_cli("plan", "import", str(second), "--athlete", "Ann", "--as-of", "2026-11-01")
    assert result.exit_code == 0, result.output
    assert "2 planned sessions (pilates 1, run 1), 2 replaced, 0 rejected" in result.output
    assert [(r[0][:10], r[2]) for r in planned(db_path)] == [
        ("2026-11-02", "run"),
        ("2026-11-03", "pilates"),
        ("2026-11-05", "run"),
        ("2026-11-09", "run"),
    ]


def test_plan_import_needs_an_athlete(tmp_path, run_cli):
    path = tmp_path / "plan.csv"
    path.write_text("date,type,duration\n2026-11-02,Run,1800\n", encoding="utf-8")
    result = run_cli("plan", "import", str(path))
    assert result.exit_code == 1
    assert (
        result.output.strip()
        == f"error: {path}: whose plan is this? pass --athlete NAME (or add an athlete column)"
    )
    other = tmp_path / "x.txt"
    other.write_text("hello\n", encoding="utf-8")
    result = run_cli("plan", "import", str(other), "--athlete", "Ann")
    assert "not a generic CSV: missing column(s) date, type, duration" in result.output
