"""Plans from real calendars (tests/fixtures/plans, sources in tests/fixtures/README.md) and from
calendars that try to explode: every session counted by kind against the calendar read by hand, every
skipped event one line, `plan check` on each without a traceback, hostile rules refused in seconds."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from activity_rows import write

from ingest.db import connect
from ingest.plan_words import read, split_sessions

PLANS = Path(__file__).parent / "fixtures" / "plans"

# (fixture, --as-of, sessions by category, skipped by reason, [plan_keywords]) — counted by hand from
# each calendar's SUMMARY lines (see the comments), not by the code under test.
REAL = [
    # 126 events: 38 "Rest"; 36 "N m run" + 16 "Run N mi" + "Half Marathon" + "Marathon" = 54 runs;
    # 18 "Bike 60min" + 16 "Bicycling" = 34 cross (a plan generator, miles, all-day)
    ("beckler_generator_miles.ics", "2018-05-01", {"run": 54, "cross": 34}, {"rest day": 38}, {}),
    # 62 timed "Run - N miles"
    ("alexteal_marathon_timed_miles.ics", "2023-10-01", {"run": 62}, {}, {}),
    # 42: 7 "Rest Day"; 12 easy, 6 intervals, 5 long, 6 steady, 5 tempo, 1 race, all "N miles ..."
    ("alexteal_intensities_miles.ics", "2023-09-01", {"run": 35}, {"rest day": 7}, {}),
    # 41 timed (America/Edmonton): "Strength + 5K easy run" x5 and "Strength + optional recovery jog"
    # x5 plan two sessions each; "Strength or Rest" x5 the first; "Rest or Shakeout" rest; one
    # "Tempo Run – 4K" twice at the same start. Runs: 4 long + 5 medium-long + 4K + 3K + 6K + race +
    # 5 run club + 5 + 5 from the pairs + 5 tempo = 33; strength 1 + 5 + 5 + 5 = 16.
    (
        "armaan_coach_timed_km.ics",
        "2025-07-01",
        {"run": 33, "strength": 16},
        {"rest day": 1, "duplicate": 1},
        {},
    ),
    # 24 all-day: 12 runs (easy, long, tempo, intervals), 8 "Strength: ...", 4 "Mobility"
    ("lennee_allday_km.ics", "2026-02-01", {"run": 12, "strength": 8, "mobility": 4}, {}, {}),
    # 16 all-day runs with the paces in the description
    ("duarteocarmo_allday_km.ics", "2026-03-01", {"run": 16}, {}, {}),
    # 49 all-day: 14 "Nk" + 7 "Nk - Road Hammer Practice" = 21 runs; 7 "Cross Train"; 14 "OFF";
    # 7 "Road Hammer Practice" name no training (a club session without kind, time or distance)
    (
        "bendecoste_allday_k.ics",
        "2019-01-01",
        {"run": 21, "cross": 7},
        {"rest day": 14, "no training named": 7},
        {},
    ),
    # 243: 51 multi-day "Cycle: ..." phase blocks + 1 one-day "Cycle: Highlight Running Competition";
    # the author's codes: RB 21 + RR 33 + RC 1 = 55 runs, FB 44 strength, BB 22 + BR 38 + BI 32 = 92 rides
    (
        "raxdne_season_phase_blocks.ics",
        "2021-01-01",
        {"run": 55, "strength": 44, "cross": 92},
        {"phase block": 52},
        {
            "RB": "easy run",
            "RR": "recovery run",
            "RC": "race run",
            "FB": "strength",
            "BB": "easy ride",
            "BR": "recovery ride",
            "BI": "intervals ride",
        },
    ),
]


def settings_file(tmp_path: Path, keywords: dict[str, str]) -> None:
    """The settings file the CLI reads (conftest points XDG_CONFIG_HOME into tmp_path)."""
    path = tmp_path / "config" / "crosstrain" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["[plan_keywords]", *(f'{k} = "{v}"' for k, v in keywords.items())]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def by_category(db_path: Path) -> dict[str, int]:
    with connect(db_path, read_only=True) as con:
        return dict(con.execute("select category, count(*) from planned_sessions group by 1").fetchall())


@pytest.mark.parametrize(("name", "as_of", "kinds", "skipped", "keywords"), REAL, ids=[r[0] for r in REAL])
def test_real_calendar(tmp_path, db_path, run_cli, name, as_of, kinds, skipped, keywords):
    if keywords:
        settings_file(tmp_path, keywords)
    result = run_cli("plan", "import", str(PLANS / name), "--athlete", "Ann", "--as-of", as_of)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert by_category(db_path) == kinds
    for reason, n in skipped.items():
        assert (
            sum(f": {reason}" in line and line.endswith(", skipped") for line in result.output.splitlines())
            == n
        )
    check = run_cli("plan", "check", "--athlete", "Ann", "--as-of", as_of, "--json")
    assert check.exit_code == 0, check.output
    assert json.loads(check.output)["days"]


def test_intensities_read_from_a_generator_plan(db_path, run_cli):
    run_cli(
        "plan",
        "import",
        str(PLANS / "alexteal_intensities_miles.ics"),
        "--athlete",
        "Ann",
        "--as-of",
        "2023-09-01",
    )
    with connect(db_path, read_only=True) as con:
        found = dict(con.execute("select intensity, count(*) from planned_sessions group by 1").fetchall())
        rpe = dict(con.execute("select distinct intensity, rpe from planned_sessions").fetchall())
        timed = con.execute(
            """select name, round(min(moving_s) / 60, 1), min(duration_source) from planned_sessions
               where name in ('5 miles Long Run', '2 miles Easy Run') group by name order by name"""
        ).fetchall()
    assert found == {"easy": 12, "intervals": 6, "long": 5, "steady": 6, "tempo": 5, "race": 1}
    assert rpe == {"easy": 3, "intervals": 8, "long": 4, "steady": 5, "tempo": 7, "race": 9}
    # every event is 06:30-07:30: for 2 miles (19.3 min at the default 6:00/km) the hour is a calendar
    # slot, not the run; for 5 miles (48.3 min) the hour agrees with the distance and is kept
    assert timed == [("2 miles Easy Run", 19.3, "default"), ("5 miles Long Run", 60.0, "given")]


def test_the_coachs_pairs_and_paces(db_path, run_cli):
    run_cli(
        "plan",
        "import",
        str(PLANS / "armaan_coach_timed_km.ics"),
        "--athlete",
        "Ann",
        "--as-of",
        "2025-07-01",
    )
    with connect(db_path, read_only=True) as con:
        rows = con.execute(
            """select strftime(start_local, '%Y-%m-%d'), sport_type, name, intensity, distance_m, moving_s,
                      duration_source from planned_sessions
               where start_local::date in ('2025-07-15', '2025-07-16')
               order by start_local, sport_type"""
        ).fetchall()
    assert rows == [
        # "Tempo Run – 5K @ 5:45/km": the event's own pace, not its one-hour slot
        ("2025-07-15", "Run", "Tempo Run – 5K @ 5:45/km", "tempo", 5000.0, 5 * 345.0, "pace"),
        # "Strength + 5K easy run": two sessions
        ("2025-07-16", "Run", "5K easy run", "easy", 5000.0, 5 * 360.0, "default"),
        ("2025-07-16", "Strength", "Strength", None, None, 30 * 60.0, "default"),
    ]


def test_distance_takes_the_athletes_own_pace_or_pace_option(tmp_path, db_path, run_cli):
    # five runs of 10 km in 50 min before the plan: 5:00/km
    write(
        db_path,
        "Ann",
        [
            {"start_local": f"2026-11-0{d}T07:00", "sport_type": "Run", "minutes": 50, "km": 10}
            for d in range(1, 6)
        ],
    )
    plan = tmp_path / "plan.ics"
    plan.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n"
        "BEGIN:VEVENT\r\nUID:a\r\nDTSTART;VALUE=DATE:20261210\r\nSUMMARY:Run 6 mi\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:b\r\nDTSTART;VALUE=DATE:20261211\r\nSUMMARY:LR 16 mi\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n",
        encoding="utf-8",
    )
    result = run_cli("plan", "import", str(plan), "--athlete", "Ann", "--as-of", "2026-12-06")
    assert result.exit_code == 0, result.output
    assert (
        "2 sessions give a distance and no duration: duration at run 5:00/km: "
        "the athlete's median over 5 sessions" in result.output
    )
    with connect(db_path, read_only=True) as con:
        got = con.execute(
            "select round(moving_s), intensity, duration_source from planned_sessions order by 1"
        ).fetchall()
    assert got == [(round(6 * 1609.344 * 0.3), None, "pace"), (round(16 * 1609.344 * 0.3), "long", "pace")]
    result = run_cli(
        "plan", "import", str(plan), "--athlete", "Ann", "--as-of", "2026-12-06", "--pace", "6:30"
    )
    assert "run 6:30/km from --pace" in result.output
    with connect(db_path, read_only=True) as con:
        assert con.execute("select min(moving_s) from planned_sessions").fetchone()[0] == pytest.approx(
            6 * 1609.344 * 0.39
        )
    bad = run_cli("plan", "import", str(plan), "--athlete", "Ann", "--pace", "fast")
    assert bad.exit_code == 1 and "--pace fast: expected minutes per km" in bad.output


def test_a_csv_plan_reaches_as_far_as_it_goes(tmp_path, db_path, run_cli):
    plan = tmp_path / "plan.csv"
    plan.write_text(
        "date,type,duration,distance_km,name\n"
        "2026-12-01,Run,1800,,Before the plan\n"
        "2026-12-08,Run,1800,,Easy\n"
        "2027-06-20,Run,,21.1,Half marathon race\n"
        "2029-01-01,Run,1800,,Too far\n",
        encoding="utf-8",
    )
    result = run_cli("plan", "import", str(plan), "--athlete", "Ann", "--as-of", "2026-12-06")
    assert result.exit_code == 1
    assert (
        f"{plan}:5: column 'date': '2029-01-01' is after 2028-12-06 (a year past the plan horizon)"
        in result.output
    )
    assert "1 rows before 2026-12-06 (--as-of) not read" in result.output
    with connect(db_path, read_only=True) as con:
        rows = con.execute(
            """select start_local::date::varchar, intensity, rpe, duration_source from planned_sessions
               order by 1"""
        ).fetchall()
    assert rows == [("2026-12-08", "easy", 3.0, "given"), ("2027-06-20", "race", 9.0, "default")]


@pytest.mark.parametrize(
    ("text", "kind", "intensity", "structure", "minutes", "km"),
    [
        ("Bike 60min", "Ride", None, None, 60, None),
        ("3 m run", "Run", None, None, None, 4.828),
        ("LR 16 mi", "Run", "long", "steady", None, 25.750),
        ("10K", "Run", None, None, None, 10),
        ("Tempo 5 x 1 km", "Run", "tempo", "intervals", None, 5),
        ("45'", None, None, None, 45, None),
        ("Run 6 mi", "Run", None, None, None, 9.656),
        ("5 x 1 km", "Run", "intervals", "intervals", None, 5),
        ("Easy run with strides", "Run", "easy", "strides", None, None),
        ("Hill repeats 8 x 200 m", "Run", "hills", "hills", None, 1.6),
        ("Threshold 3 x 10 min", "Run", "threshold", "intervals", 30, None),
        ("Recovery jog 30 min", "Run", "recovery", "steady", 30, None),
        ("Race: Half Marathon", "Run", "race", "steady", None, 21.0975),
        ("Dauerlauf locker 1h30", "Run", "easy", "steady", 90, None),
        ("Sortie longue 18 km", "Run", "long", "steady", None, 18),
        ("Fractionné 10 x 400 m", "Run", "intervals", "intervals", None, 4),
        ("Rodaje suave 45 min", "Run", "easy", "steady", 45, None),
        ("Ripetute 6 x 1000 m", "Run", "intervals", "intervals", None, 6),
        ("Duurloop rustig 10 km", "Run", "easy", "steady", None, 10),
        ("Langtur 20 km", "Run", "long", "steady", None, 20),
        ("Långpass löpning 25 km", "Run", "long", "steady", None, 25),
        ("Pitkä lenkki 2 h", "Run", "long", "steady", 120, None),
        ("Bieg spokojny 8 km", "Run", "easy", "steady", None, 8),
        ("Krafttraining 45 Minuten", "Strength", None, None, 45, None),
        ("Natação 2000 m", "Swim", None, None, None, 2),
        ("Intervaly 5 x 1 km", "Run", "intervals", "intervals", None, 5),
        ("Cross country race 8 km", "Run", "race", "steady", None, 8),
        ("Rower 20 min", "Rowing", None, None, 20, None),
        ("XC ski 2 h", "Nordic Ski", None, None, 120, None),
        ("Spin class 45 min", "Ride", None, None, 45, None),
    ],
)
def test_words(text, kind, intensity, structure, minutes, km):
    w = read(text, None, [])
    assert (w.sport_type, w.intensity, w.structure) == (kind, intensity, structure)
    assert (None if w.seconds is None else w.seconds / 60) == minutes
    expected = None if km is None else pytest.approx(km, abs=0.001)
    assert (None if w.distance_m is None else w.distance_m / 1000) == expected


def test_rpe_written_in_the_event_wins():
    assert read("Tempo 40 min RPE 6", None, []).rpe == 6
    assert split_sessions("Strength + 5K easy run") == ["Strength", "5K easy run"]
    assert split_sessions("Strength or Rest") == ["Strength"]


def ics(*events: str) -> str:
    return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n" + "".join(events) + "END:VCALENDAR\r\n"


def event(
    body: str = "", summary: str = "Easy run 30 min", start: str = "DTSTART:20270104T070000Z", uid: str = "x"
) -> str:
    return f"BEGIN:VEVENT\r\nUID:{uid}\r\n{start}\r\nSUMMARY:{summary}\r\n{body}END:VEVENT\r\n"


GOOD = event(summary="Strength 30 min", start="DTSTART;VALUE=DATE:20270105", uid="good")
RDATES = "".join(
    f"RDATE:2027{i % 12 + 1:02d}{i % 28 + 1:02d}T{i // 336 % 24:02d}{i // 8064 % 60:02d}00Z\r\n"
    for i in range(50_000)
)
HOSTILE = [
    ("interval0", event("RRULE:FREQ=DAILY;INTERVAL=0\r\n"), "its RRULE has INTERVAL=0", 1),
    ("secondly", event("RRULE:FREQ=SECONDLY\r\n"), "it repeats SECONDLY", 1),
    ("minutely", event("RRULE:FREQ=MINUTELY;COUNT=100000\r\n"), "it repeats MINUTELY", 1),
    ("hourly", event("RRULE:FREQ=HOURLY\r\n"), "it repeats HOURLY", 1),
    (
        "bysecond",
        event("RRULE:FREQ=DAILY;BYSECOND=" + ",".join(map(str, range(60))) + "\r\n"),
        "BYSECOND with 60 values",
        1,
    ),
    ("rdates", event(RDATES), "it has 50000 extra dates (RDATE; at most 1000)", 1),
    (
        "year1",
        event(start="DTSTART:00010101T070000Z"),
        "its start 0001-01-01 is outside 1970 to 2029-01-01",
        1,
    ),
    ("flipped", event(start="DTSTART:2027010\x04T070000Z"), "cannot read the event", 1),
    (
        "nested",
        event("BEGIN:VEVENT\r\nUID:inner\r\nSUMMARY:Tempo 20 min\r\nEND:VEVENT\r\n"),
        "an event inside another event is not read",
        2,
    ),
    (
        "no start",
        "BEGIN:VEVENT\r\nUID:d\r\nSUMMARY:Easy run 30 min\r\nEND:VEVENT\r\n" + event(uid="d"),
        "the event has no start",
        2,
    ),
    ("duplicated", event(uid="d") + event(uid="d"), None, 2),
    ("count 10^9", event("RRULE:FREQ=DAILY;COUNT=1000000000\r\n"), None, 364),
    ("until 9999", event("RRULE:FREQ=DAILY;UNTIL=99991231T000000Z\r\n"), None, 364),
]


@pytest.mark.parametrize(("label", "body", "said", "sessions"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_calendars_are_refused_in_seconds(tmp_path, db_path, run_cli, label, body, said, sessions):
    path = tmp_path / "hostile.ics"
    path.write_text(ics(body, GOOD), encoding="utf-8", newline="")
    began = time.monotonic()
    result = run_cli("plan", "import", str(path), "--athlete", "Ann", "--as-of", "2027-01-01")
    assert time.monotonic() - began < 20
    assert "Traceback" not in result.output
    if said:
        assert result.exit_code == 1
        assert [
            line for line in result.output.splitlines() if said in line and line.startswith(f"error: {path}:")
        ]
    elif label == "duplicated":
        assert result.exit_code == 0, result.output
        assert (
            f"{path}:9: 'Easy run 30 min' on 2027-01-04: duplicate (same start and summary), skipped"
            in result.output
        )
    else:
        assert result.exit_code == 0, result.output
        assert "repeating events read up to the plan horizon 2028-01-01" in result.output
    assert sum(by_category(db_path).values()) == sessions  # the good strength session is always there


def test_a_calendar_with_every_event_refused_stores_nothing(db_path, run_cli):
    path = PLANS / "raxdne_triathlon_broken_dtstart.ics"  # "DTSTART;20220302": no colon, no start
    result = run_cli("plan", "import", str(path), "--athlete", "Ann", "--as-of", "2022-03-01")
    assert result.exit_code == 1
    assert "0 planned sessions, 0 replaced, 117 rejected" in result.output
    assert "executemany" not in result.output
    with connect(db_path, read_only=True) as con:
        assert con.execute("select count(*) from athletes").fetchone()[0] == 0  # rolled back: no athlete


def test_too_many_sessions_on_one_day(tmp_path, db_path, run_cli):
    path = tmp_path / "crowded.ics"
    path.write_text(
        ics(*(event(uid=f"u{i}", summary=f"Easy run {20 + i} min") for i in range(6)), GOOD), encoding="utf-8"
    )
    result = run_cli("plan", "import", str(path), "--athlete", "Ann", "--as-of", "2027-01-01")
    assert (
        "6 sessions on 2027-01-04: more than 4 a day ([plan] max_sessions_per_day) is not a plan; day skipped"
        in result.output
    )
    assert by_category(db_path) == {"strength": 1}


def test_a_failing_plan_check_stores_nothing(tmp_path, db_path, run_cli):
    """The plan check runs inside the import's transaction: when it fails (here on a settings key only
    the check reads), the plan is not stored."""
    config = tmp_path / "config" / "crosstrain" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text("[thresholds]\nbogus = 1\n", encoding="utf-8")
    path = tmp_path / "plan.ics"
    path.write_text(ics(GOOD), encoding="utf-8")
    result = run_cli("plan", "import", str(path), "--athlete", "Ann", "--as-of", "2027-01-01")
    assert result.exit_code == 1
    assert f"error: {path}: " in result.output and "unknown key 'bogus'" in result.output
    with connect(db_path, read_only=True) as con:
        assert con.execute("select count(*) from planned_sessions").fetchone()[0] == 0
        assert con.execute("select count(*) from athletes").fetchone()[0] == 0


def post_plan(base: str, text: str, name: str, as_of: str) -> dict:
    """The request the plan page's upload sends; the callback's answer (asserted an answer, not an error)."""
    import base64

    import requests

    body = {
        "output": "..plan-message.children...plan-version.data..",
        "outputs": [
            {"id": "plan-message", "property": "children"},
            {"id": "plan-version", "property": "data"},
        ],
        "inputs": [
            {
                "id": "plan-upload",
                "property": "contents",
                "value": "data:text/calendar;base64," + base64.b64encode(text.encode()).decode(),
            }
        ],
        "state": [
            {"id": "plan-upload", "property": "filename", "value": name},
            {"id": "plan-athlete", "property": "value", "value": "Ann"},
            {"id": "plan-as-of", "property": "data", "value": as_of},
            {"id": "plan-version", "property": "data", "value": 0},
        ],
        "changedPropIds": ["plan-upload.contents"],
    }
    response = requests.post(base + "/_dash-update-component", json=body, timeout=60)
    assert response.status_code == 200, response.text[:300]
    return response.json()["response"]


def test_the_plan_page_answers_every_calendar_and_stores_only_what_worked(db_path):
    from test_dashboard_uploads import waitress_serving

    from dashboard import create_app

    write(db_path, "Ann", [{"start_local": "2026-12-01T07:00", "sport_type": "Run", "minutes": 30, "km": 6}])
    hostile = ics(event(start="DTSTART:00010101T070000Z"), event("RRULE:FREQ=HOURLY\r\n", uid="h"))
    with waitress_serving(create_app(db_path)) as base:
        refused = json.dumps(post_plan(base, hostile, "hostile.ics", "2027-01-01"))
        with connect(db_path, read_only=True) as con:
            assert con.execute("select count(*) from planned_sessions").fetchone()[0] == 0
        stored = json.dumps(post_plan(base, ics(GOOD), "plan.ics", "2027-01-01"))
    assert "0 planned sessions, 0 replaced, 2 rejected" in refused and "it repeats HOURLY" in refused
    assert "1 planned sessions (strength 1)" in stored
    with connect(db_path, read_only=True) as con:
        assert con.execute("select count(*) from planned_sessions").fetchone()[0] == 1
        assert (
            con.execute("select count(*) from plan_checks").fetchone()[0] == 1
        )  # kept in the same transaction


def test_the_plan_horizon_is_a_setting(tmp_path, db_path, run_cli):
    config = tmp_path / "config" / "crosstrain" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text("[plan]\nhorizon_days = 28\n", encoding="utf-8")
    path = tmp_path / "weekly.ics"
    path.write_text(ics(event("RRULE:FREQ=WEEKLY\r\n")), encoding="utf-8")
    result = run_cli("plan", "import", str(path), "--athlete", "Ann", "--as-of", "2027-01-01")
    assert "1 repeating events read up to the plan horizon 2027-01-29" in result.output
    assert by_category(db_path) == {"run": 4}  # Mondays 4, 11, 18 and 25 January
    config.write_text("[plan]\nhorizon_days = 0\n", encoding="utf-8")
    result = run_cli("plan", "import", str(path), "--athlete", "Ann")
    assert result.exit_code == 1
    assert "[plan] horizon_days: expected a whole number of days from 1 to 3660" in result.output


def test_a_swapped_in_session_is_read_as_an_import_reads_it(tmp_path, db_path, run_cli):
    from ingest.plans import apply_changes

    path = tmp_path / "plan.ics"
    path.write_text(ics(event(summary="Intervals 6 x 800 m 50 min")), encoding="utf-8")
    run_cli("plan", "import", str(path), "--athlete", "Ann", "--as-of", "2027-01-01")
    with connect(db_path) as con:
        [(planned_id, before)] = con.execute(
            "select planned_id, intensity || ' ' || structure || ' ' || rpe from planned_sessions"
        ).fetchall()
        swap = {"action": "swap", "date": "2027-01-04", "type": "Run", "category": "run", "duration_min": 45}
        add = {
            "action": "add",
            "date": "2027-01-05",
            "type": "Strength",
            "category": "strength",
            "duration_min": 30,
        }
        apply_changes(
            con,
            1,
            [
                swap | {"name": "Easy run", "planned_id": planned_id},
                add | {"name": "Hip strength", "planned_id": None},
            ],
        )
        after = con.execute(
            "select name, intensity, structure, rpe, rpe_source from planned_sessions order by 1"
        ).fetchall()
    assert before == "intervals intervals 8.0"
    assert after == [
        ("Easy run", "easy", "steady", 3.0, "intensity"),
        ("Hip strength", None, None, None, None),
    ]


def test_a_plan_csv_of_thousands_of_rows_is_one_line(tmp_path, db_path, run_cli):
    path = tmp_path / "huge.csv"
    path.write_text("date,type,duration\n" + "2027-01-04,Run,1800\n" * 5001, encoding="utf-8")
    result = run_cli("plan", "import", str(path), "--athlete", "Ann", "--as-of", "2027-01-01")
    assert result.exit_code == 1
    assert f"{path}: 5001 rows are not a training plan (at most 5000; split the file)" in result.output
