"""Support-work candidates and `activities set --category C --same-name`: the CLI, then the database."""

from __future__ import annotations

import json
from pathlib import Path

from import_helpers import rows
from test_athletes_admin import refused

HEADER = "date,type,duration,name,athlete\n"


def _import(run_cli, tmp_path: Path, name: str, lines: list[str]) -> None:
    path = tmp_path / name
    path.write_text(HEADER + "".join(line + "\n" for line in lines))
    result = run_cli("import", str(path))
    assert result.exit_code == 0, result.output


def _by_id(db_path: Path) -> dict[int, tuple]:
    return {
        r[0]: r[1:]
        for r in rows(db_path, "select activity_id, sport_type, name, category from activities order by 1")
    }


def test_generic_types_in_several_languages_are_support_work_candidates(run_cli, db_path, tmp_path):
    # Garmin's "Gym & Fitness Equipment" (kostaskes/my-garmin-runs writes it, name "HomeWorkout"), a
    # German "Sonstige" a language map did not translate, and Strava's Workout: names without a keyword
    # land in `other` and are counted as unlabelled; a keyword in the name still decides.
    _import(
        run_cli,
        tmp_path,
        "gym.csv",
        [
            "2024-03-04,Gym & Fitness Equipment,45:00,HomeWorkout,Kos",
            "2024-03-05,Sonstige,30:00,Abendkurs,Kos",
            "2024-03-06,Workout,40:00,Afternoon Workout,Kos",
            "2024-03-07,Gym & Fitness Equipment,40:00,Leg day squats,Kos",
            "2024-03-07,Run,30:00,Easy,Kos",
            "2024-03-02,Other,90:00,Efkarpia Football,Kos",  # a sport, not a candidate
        ],
    )
    got = {r[1]: r[2] for r in _by_id(db_path).values()}
    assert got == {
        "HomeWorkout": "other",
        "Abendkurs": "other",
        "Afternoon Workout": "other",
        "Leg day squats": "strength",
        "Easy": "run",
        "Efkarpia Football": "cross",
    }
    report = json.loads(run_cli("report", "--athlete", "Kos", "--as-of", "2024-03-07", "--json").stdout)
    assert report["summary"]["sessions"]["other"] == 3
    assert "unlabelled_sessions" in {w["code"] for w in report["warnings"]}


def test_same_name_labels_every_session_of_that_name_and_type_now_and_later(run_cli, db_path, tmp_path):
    _import(
        run_cli,
        tmp_path,
        "first.csv",
        [
            "2024-03-04,Workout,45:00,Afternoon Workout,Bea",
            "2024-03-06,Workout,50:00,afternoon workout!,Bea",  # same name by key_sql
            "2024-03-07,Workout,30:00,Morning Workout,Bea",  # another name: stays
            "2024-03-07,Walk,30:00,Afternoon Workout,Bea",  # another type: stays
            "2024-03-05,Workout,45:00,Afternoon Workout,Cy",  # another athlete: stays
        ],
    )
    ids = {(v[0], v[1], v[2]): k for k, v in _by_id(db_path).items()}
    first = ids[("Workout", "Afternoon Workout", "other")]
    result = run_cli("activities", "set", str(first), "--category", "strength", "--same-name")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == (
        "2 activities changed; 1 name labelled strength, now and in later imports and syncs"
    )
    assert sorted((v[2], v[1], v[0]) for v in _by_id(db_path).values() if v[2] == "strength") == [
        ("strength", "Afternoon Workout", "Workout"),
        ("strength", "afternoon workout!", "Workout"),
    ]
    assert rows(db_path, "select sport_type, name, type_key, name_key, category from category_rules") == [
        ("Workout", "Afternoon Workout", "workout", "afternoonworkout", "strength")
    ]
    # a later import brings a new session of that name (Strava's API spelling of the type, other case):
    # it is labelled as it is written; the other names, types and athletes are not
    _import(
        run_cli,
        tmp_path,
        "later.csv",
        ["2024-03-11,Workout,40:00,AFTERNOON WORKOUT,Bea", "2024-03-11,Workout,40:00,Afternoon Workout,Cy"],
    )
    later = rows(
        db_path,
        """select p.name, a.category from activities a join athletes p using (athlete_id)
           where a.start_local >= '2024-03-11' order by 1""",
    )
    assert later == [("Bea", "strength"), ("Cy", "other")]
    assert rows(db_path, "select count(*) from activities where category = 'strength'") == [(3,)]
    report = json.loads(run_cli("report", "--athlete", "Bea", "--as-of", "2024-03-11", "--json").stdout)
    # 45 + 50 + 40 strength minutes; the morning workout (30) and the walk (30) are not
    assert report["summary"]["minutes"]["strength"] == 135.0
    assert report["summary"]["sessions"]["other"] == 1
    # a correction of one session wins over the rule, also when the session is imported again
    run_cli("activities", "set", str(first), "--category", "pilates")
    _import(run_cli, tmp_path, "first.csv", ["2024-03-04,Workout,45:00,Afternoon Workout,Bea"])
    assert _by_id(db_path)[first][2] == "pilates"
    # a new rule for the name replaces the old one and labels every session of it again
    run_cli(
        "activities",
        "set",
        str(ids[("Workout", "afternoon workout!", "other")]),
        "--category",
        "mobility",
        "--same-name",
    )
    assert rows(db_path, "select category from category_rules") == [("mobility",)]
    assert (
        sorted(
            v[2]
            for v in _by_id(db_path).values()
            if v[1].lower().startswith("afternoon workout") and v[0] == "Workout"
        )
        == ["mobility"] * 3 + ["other"] * 2
    )  # Cy's two stay


def test_same_name_refusals_are_one_line(run_cli, db_path, tmp_path):
    _import(run_cli, tmp_path, "a.csv", ["2024-03-04,Workout,45:00,,Bea"])
    [(unnamed,)] = rows(db_path, "select activity_id from activities")
    refused(run_cli("activities", "set", str(unnamed), "--same-name"), "--same-name goes with --category")
    refused(
        run_cli("activities", "set", str(unnamed), "--category", "strength", "--same-name", "--rpe", "5"),
        "--same-name goes with --category only",
    )
    refused(
        run_cli("activities", "set", str(unnamed), "--category", "strength", "--same-name"), "has no name"
    )
    refused(
        run_cli("activities", "set", "999", "--category", "strength", "--same-name"),
        "unknown activity id 999",
    )
    assert rows(db_path, "select count(*) from category_rules") == [(0,)]


def test_a_same_name_label_reaches_sessions_a_later_strava_sync_brings(db_path):
    # The sync writes through the one write path (ingest/database/store.write_activities), which lays the rule
    # over new rows: a fake Strava on 127.0.0.1, the real CLI, then the database.
    from strava_helpers import query, run, strava_env
    from strava_server import FakeStrava

    workout = ("Workout", "Workout")
    with FakeStrava() as server:
        code = server.add_athlete(1001, "Ana", "Lift", activities=0)
        env = strava_env(server, db_path)
        assert run(env, "strava", "connect", "--code", code).returncode == 0
        first = server.add_activities(1001, 2, sport=workout)
        for activity in server.activities[1001]:
            activity["name"] = "Afternoon Workout"
        assert run(env, "strava", "sync").returncode == 0
        assert query(db_path, "select distinct category from activities") == [("other",)]
        [(one,)] = query(db_path, "select activity_id from activities where strava_id = ?", [first[0]])
        labelled = run(env, "activities", "set", str(one), "--category", "strength", "--same-name")
        assert labelled.returncode == 0, labelled.stderr
        [later] = server.add_activities(1001, 1, sport=workout)
        server.activities[1001][-1]["name"] = "Afternoon Workout"
        assert run(env, "strava", "sync").returncode == 0
    got = query(db_path, "select strava_id, category from activities order by strava_id")
    assert got == [(first[0], "strength"), (first[1], "strength"), (later, "strength")]
