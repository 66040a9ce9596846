"""`crosstrain athletes`: who is in the database."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import FIXTURES


def test_athletes_json_lists_sources_counts_and_dates(run_cli, db_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("TZ", "America/Chicago")  # this machine's zone, stored on athletes without one
    run_cli(
        "import",
        "--athlete",
        "Ana Alves",
        "--timezone",
        "Europe/Berlin",
        str(FIXTURES / "strava_activities.csv"),
    )
    run_cli("import", "--athlete", "Ana Alves", str(FIXTURES / "garmin_decimal_comma.csv"))
    run_cli("import", str(FIXTURES / "generic_team.csv"))
    result = run_cli("athletes", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == [
        {
            "name": "Ana Alves",
            "sources": ["garmin", "generic", "strava"],
            "activities": 6 + 3 + 4,
            "double_recordings": 0,
            "excluded": 0,
            "first_activity": "2024-01-05",
            "last_activity": "2024-03-07",
            "timezone": "Europe/Berlin",
            "timezone_source": "option",
            "hr_max": None,
            "hr_rest": None,
            "sex": None,
        },
        {
            "name": "Ben Brown",
            "sources": ["generic"],
            "activities": 2,
            "double_recordings": 0,
            "excluded": 0,
            "first_activity": "2024-03-02",
            "last_activity": "2024-03-02",
            "timezone": "America/Chicago",
            "timezone_source": "machine",
            "hr_max": None,
            "hr_rest": None,
            "sex": None,
        },
    ]


def test_athletes_table_and_empty_database(run_cli) -> None:
    empty = run_cli("athletes")
    assert empty.exit_code == 0 and "no athletes yet" in empty.stdout
    assert run_cli("athletes", "--json").stdout.strip() == "[]"
    run_cli("import", str(FIXTURES / "generic_team.csv"))
    table = run_cli("athletes").stdout
    assert "Ana Alves" in table and "Ben Brown" in table and "generic" in table and "2024-03-07" in table


def test_every_command_has_help(run_cli) -> None:
    for command in ("import", "athletes", "activities"):
        result = run_cli(command, "--help")
        assert result.exit_code == 0 and "Usage:" in result.stdout
