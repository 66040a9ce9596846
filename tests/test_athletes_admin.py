"""`crosstrain athletes rename|merge|delete|set`: checked in the database and the tokens file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from import_helpers import error_lines, rows
from strava_csv import write_strava_csv

from ingest.strava.tokens import TokenStore, default_tokens_path

LOG = "date,type,duration,rpe\n2024-03-04T07:00:00,Run,45:00,5\n2024-03-05,Pilates,50:00,4\n"
# the same 4 March run recorded by a watch and uploaded to Strava under a misspelt name, and a ride
MISSPELT = [
    {
        "id": 901,
        "date": "Mar 4, 2024, 7:00:30 AM",
        "name": "Morning Run",
        "type": "Run",
        "seconds": 2690,
        "km": 9,
    },
    {"id": 902, "date": "Mar 6, 2024, 5:00:00 PM", "name": "Ride", "type": "Ride", "seconds": 3600, "km": 30},
]


def refused(result, *words: str) -> None:
    """A refusal: exit 1, exactly one `error:` line on stderr naming `words`, no traceback."""
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and error_lines(result.stderr) == lines, result.stderr
    assert all(w in lines[0] for w in words), lines[0]
    assert "Traceback" not in result.output


@pytest.fixture
def two_names(run_cli, db_path: Path, tmp_path: Path) -> Path:
    """'Ana' from a training log, 'Anna' (a typo) from a Strava export linked to Strava account 77."""
    log = tmp_path / "log.csv"
    log.write_text(LOG)
    export = write_strava_csv(tmp_path / "activities.csv", MISSPELT)
    assert run_cli("import", "--athlete", "Ana", "--timezone", "UTC", str(log)).exit_code == 0
    assert run_cli("import", "--athlete", "Anna", "--timezone", "UTC", str(export)).exit_code == 0
    # the typo also holds the training log's run (the same file imported under both names)
    run = tmp_path / "run.csv"
    run.write_text("\n".join(LOG.splitlines()[:2]) + "\n")
    assert run_cli("import", "--athlete", "Anna", str(run)).exit_code == 0
    import duckdb

    con = duckdb.connect(str(db_path))
    con.execute("update athletes set strava_id = 77 where name = 'Anna'")
    con.close()
    TokenStore().put(77, {"access_token": "a", "refresh_token": "r", "expires_at": 1, "athlete": "Anna"})
    return log


def test_rename_keeps_activities_and_tokens_follow(run_cli, db_path: Path, two_names: Path) -> None:
    result = run_cli("athletes", "rename", "Anna", "Anna Berg")
    assert result.exit_code == 0 and "renamed 'Anna' to 'Anna Berg'" in result.stdout
    assert rows(db_path, "select name, strava_id from athletes order by name") == [
        ("Ana", None),
        ("Anna Berg", 77),
    ]
    assert rows(
        db_path,
        "select count(*) from activities a join athletes t using (athlete_id) where t.name = 'Anna Berg'",
    ) == [(3,)]
    assert TokenStore().get(77)["athlete"] == "Anna Berg"
    assert run_cli("report", "--athlete", "Anna Berg", "--as-of", "2024-03-06").exit_code == 0


def test_rename_refusals_are_one_line(run_cli, two_names: Path) -> None:
    refused(run_cli("athletes", "rename", "Zed", "Zoe"), "unknown athlete 'Zed'", "Ana", "Anna")
    refused(run_cli("athletes", "rename", "Anna", "Ana"), "'Ana' is taken")
    refused(run_cli("athletes", "merge", "Anna", "Anna"), "itself")
    refused(run_cli("athletes", "delete", "Nobody", "--yes"), "unknown athlete 'Nobody'")


def test_merge_moves_activities_folds_twins_and_keeps_the_strava_link(
    run_cli, db_path: Path, two_names: Path
) -> None:
    before = json.loads(run_cli("report", "--athlete", "Ana", "--as-of", "2024-03-06", "--json").stdout)
    assert before["summary"]["sessions"]["run"] == 1
    result = run_cli("athletes", "merge", "Anna", "Ana")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == (
        "merged 'Anna' into 'Ana': 2 activities moved; 1 already held by 'Ana'; "
        "1 double recording, counted once; Strava account 77 now linked to 'Ana'"
    )
    assert rows(db_path, "select name, strava_id from athletes") == [("Ana", 77)]
    # the log's run (stored once), its Strava twin (linked to it: it has an RPE), the Pilates, the ride
    got = rows(
        db_path,
        """select a.source, a.category, t.source as counts_as from activities a
           left join activities t on t.activity_id = a.twin_of order by a.start_local""",
    )
    assert got == [
        ("generic", "run", None),
        ("strava", "run", "generic"),
        ("generic", "pilates", None),
        ("strava", "cross", None),
    ]
    assert rows(db_path, "select count(distinct athlete_id) from imports where athlete_id is not null") == [
        (1,)
    ]
    assert TokenStore().get(77)["athlete"] == "Ana"
    after = json.loads(run_cli("report", "--athlete", "Ana", "--as-of", "2024-03-06", "--json").stdout)
    assert after["summary"]["sessions"] == {**before["summary"]["sessions"], "cross": 1}  # the run once
    refused(run_cli("report", "--athlete", "Anna"), "unknown athlete 'Anna'")


def test_delete_needs_yes_then_removes_everything_of_the_athlete(
    run_cli, db_path: Path, two_names: Path
) -> None:
    activity = rows(
        db_path,
        "select min(activity_id) from activities a join athletes t using (athlete_id) where t.name = 'Anna'",
    )[0][0]
    assert run_cli("activities", "set", str(activity), "--rpe", "7").exit_code == 0
    tokens = default_tokens_path()
    assert tokens.exists()
    refused(run_cli("athletes", "delete", "Anna"), "removes 3 activities", "--yes")
    assert rows(db_path, "select count(*) from athletes") == [(2,)]
    result = run_cli("athletes", "delete", "Anna", "--yes")
    assert result.exit_code == 0
    assert result.stdout.strip() == "deleted 'Anna': 3 activities, 2 imports; Strava tokens removed"
    assert rows(db_path, "select name from athletes") == [("Ana",)]
    ana = rows(db_path, "select athlete_id from athletes")[0][0]
    for table in ("activities", "imports", "activity_corrections"):
        assert rows(db_path, f"select count(*) from {table} where athlete_id <> ?", [ana]) == [(0,)], table
    assert rows(
        db_path, "select count(*) from import_rejects where import_id not in (select import_id from imports)"
    ) == [(0,)]
    assert not tokens.exists()  # Anna's were the only tokens
    assert rows(db_path, "select count(*) from activities") == [(2,)]  # Ana's untouched


def test_set_stores_zone_and_heart_rate_and_refuses_implausible_values(
    run_cli, db_path: Path, two_names: Path
) -> None:
    result = run_cli("athletes", "set", "Ana", "--timezone", "Europe/Oslo", "--hr-max", "188", "--sex", "f")
    assert result.exit_code == 0 and "timezone Europe/Oslo, hr_max 188, hr_rest -, sex f" in result.stdout
    assert run_cli("athletes", "set", "Ana", "--hr-rest", "48").exit_code == 0
    listed = {a["name"]: a for a in json.loads(run_cli("athletes", "--json").stdout)}
    assert {k: listed["Ana"][k] for k in ("timezone", "timezone_source", "hr_max", "hr_rest", "sex")} == {
        "timezone": "Europe/Oslo",
        "timezone_source": "set",
        "hr_max": 188.0,
        "hr_rest": 48.0,
        "sex": "f",
    }
    table = run_cli("athletes").stdout
    assert "Europe/Oslo (set)" in table and "188" in table
    refused(run_cli("athletes", "set", "Ana", "--hr-max", "260"), "HRmax 260", "100-240")
    refused(run_cli("athletes", "set", "Ana", "--hr-rest", "20"), "resting HR 20", "25-120")
    refused(run_cli("athletes", "set", "Ana", "--hr-rest", "110", "--hr-max", "105"), "below HRmax 105")
    refused(
        run_cli("athletes", "set", "Ana", "--timezone", "Mars/Olympus"), "unknown time zone 'Mars/Olympus'"
    )
    refused(run_cli("athletes", "set", "Ana"), "nothing to set")
    refused(run_cli("athletes", "set", "Nobody", "--sex", "m"), "unknown athlete 'Nobody'")
    assert rows(db_path, "select hr_max, hr_rest from athletes where name = 'Ana'") == [(188.0, 48.0)]


def test_changes_to_a_missing_database_are_refused(run_cli, db_path: Path) -> None:
    refused(run_cli("athletes", "rename", "A", "B"), "no database yet")
    assert not db_path.exists()
