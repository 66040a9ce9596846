"""`crosstrain activities list|set|recategorise`, and name keywords in several languages."""

from __future__ import annotations

import json
from pathlib import Path

from import_helpers import rows
from strava_csv import write_strava_csv
from test_athletes_admin import refused
from test_store_twins import PHONE, SINGLE, WATCH

KEYS = {
    "id",
    "athlete",
    "start_local",
    "type",
    "category",
    "name",
    "minutes",
    "distance_km",
    "rpe",
    "avg_hr",
    "load",
    "source",
    "twin_of",
    "excluded",
    "excluded_reason",
    # what activity files add (issue 12); null or empty without a file
    "timezone",
    "load_source",
    "zones_s",
    "structure",
    "exercises",
}


def listed(run_cli, *args: str) -> list[dict]:
    result = run_cli("activities", "list", "--athlete", "Ana", "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def report(run_cli, as_of: str = "2024-03-06") -> dict:
    return json.loads(run_cli("report", "--athlete", "Ana", "--as-of", as_of, "--json").stdout)


def imported(run_cli, tmp_path: Path) -> tuple[Path, Path]:
    export = write_strava_csv(tmp_path / "activities.csv", [WATCH, PHONE, SINGLE])
    assert run_cli("import", "--athlete", "Ana", "--timezone", "UTC", str(export)).exit_code == 0
    log = tmp_path / "log.csv"
    log.write_text("date,type,duration,rpe\n2024-03-06,Pilates,50:00,4\n")
    assert run_cli("import", "--athlete", "Ana", str(log)).exit_code == 0
    return export, log


def test_list_shows_every_stored_activity_with_the_reports_load(run_cli, tmp_path: Path) -> None:
    imported(run_cli, tmp_path)
    got = listed(run_cli)
    assert [set(a) for a in got] == [KEYS] * 4
    watch, phone, single, pilates = got
    assert (
        watch["start_local"],
        watch["type"],
        watch["category"],
        watch["minutes"],
        watch["distance_km"],
    ) == (
        "2024-03-04T06:30:00",
        "Run",
        "run",
        45.0,
        8.0,
    )
    assert watch["avg_hr"] == 150.0 and watch["source"] == "strava" and watch["twin_of"] is None
    # the phone's recording is shown, marked, and has no load: it counts nowhere
    assert phone["twin_of"] == watch["id"] and phone["load"] is None and phone["excluded"] is False
    assert pilates["start_local"] == "2024-03-06" and pilates["rpe"] == 4.0 and pilates["load"] == 4 * 50
    # the loads are the report's: they add up to its weekly load
    assert round(watch["load"] + single["load"] + pilates["load"], 1) == report(run_cli)["weeks"][-1]["load"]
    assert [a["id"] for a in listed(run_cli, "--from", "2024-03-05", "--to", "2024-03-05")] == [single["id"]]
    assert [a["category"] for a in listed(run_cli, "--category", "pilates")] == ["pilates"]
    table = run_cli("activities", "list", "--athlete", "Ana").stdout
    assert f"twin of {watch['id']}" in table and "Nike Run" in table
    refused(run_cli("activities", "list", "--athlete", "Zed"), "unknown athlete 'Zed'")


def test_corrections_survive_a_reimport_and_excluded_counts_nowhere(
    run_cli, db_path: Path, tmp_path: Path
) -> None:
    export, log = imported(run_cli, tmp_path)
    watch, phone, single, pilates = listed(run_cli)
    before = report(run_cli)["summary"]
    result = run_cli("activities", "set", str(single["id"]), "--exclude")
    assert result.exit_code == 0 and result.stdout.startswith("1 of 1 activities changed")
    result = run_cli("activities", "set", str(watch["id"]), str(pilates["id"]), "--rpe", "7")
    assert result.stdout.startswith("2 of 2 activities changed")
    assert run_cli("activities", "set", str(pilates["id"]), "--category", "strength").exit_code == 0
    for path in (export, log):
        again = run_cli("import", "--athlete", "Ana", str(path))
        assert "0 imported, 0 updated" in again.stdout, again.stdout
    watch2, _, single2, pilates2 = listed(run_cli)
    assert (watch2["rpe"], watch2["load"]) == (7.0, 7 * 45.0)
    assert single2["excluded"] is True and single2["load"] is None
    assert (pilates2["category"], pilates2["rpe"]) == ("strength", 7.0)
    after = report(run_cli)["summary"]
    assert before["sessions"]["run"] == 2 and after["sessions"]["run"] == 1  # the excluded run is gone
    assert after["sessions"]["strength"] == 1 and after["sessions"]["pilates"] == 0
    # a later import that brings a value of its own does not undo the correction
    log.write_text("date,type,duration,rpe\n2024-03-06,Pilates,50:00,3\n")
    run_cli("import", "--athlete", "Ana", str(log))
    assert rows(db_path, "select category, rpe from activities where source = 'generic'") == [
        ("strength", 7.0)
    ]
    assert run_cli("activities", "set", str(single["id"]), "--include").stdout.startswith("1 of 1")
    assert report(run_cli)["summary"]["sessions"]["run"] == 2


def test_excluding_the_recording_that_counts_lets_its_twin_count(run_cli, tmp_path: Path) -> None:
    imported(run_cli, tmp_path)
    watch, phone, *_ = listed(run_cli)
    run_cli("activities", "set", str(watch["id"]), "--exclude")
    watch2, phone2, *_ = listed(run_cli)
    assert watch2["excluded"] and phone2["twin_of"] is None and phone2["load"] is not None
    assert report(run_cli)["summary"]["minutes"]["run"] == 44.0 + 30.0


def test_set_refusals_are_one_line(run_cli, db_path: Path, tmp_path: Path) -> None:
    imported(run_cli, tmp_path)
    refused(run_cli("activities", "set", "999", "--rpe", "5"), "unknown activity id 999")
    refused(run_cli("activities", "set", "1", "--rpe", "11"), "RPE 11", "CR-10")
    refused(run_cli("activities", "set", "1"), "nothing to change")
    assert rows(db_path, "select count(*) from activity_corrections") == [(0,)]


GYM = [
    {
        "id": 700 + i,
        "date": f"Mar {i + 1}, 2024, 5:00:00 PM",
        "name": name,
        "type": "Workout",
        "seconds": 3000,
    }
    for i, name in enumerate(
        [
            "M\u201dA\u201dDabolic Tuesday",
            "M\u201dA\u201dDabolic Thursday",
            "MADabolic Saturday",
            "Madabolic",
            "Krafttraining",
            "Étirements du soir",
            "Gym session",
            "Team training",
        ]
    )
]


def test_recategorise_applies_new_keywords_and_keeps_corrections(
    run_cli, db_path: Path, tmp_path: Path
) -> None:
    export = write_strava_csv(tmp_path / "activities.csv", GYM)
    run_cli("import", "--athlete", "Ana", "--timezone", "UTC", str(export))
    by_name = {a["name"]: a for a in listed(run_cli)}
    # default words in several languages; the gym classes' brand name is no default word
    assert by_name["Krafttraining"]["category"] == "strength"
    assert by_name["Étirements du soir"]["category"] == "mobility"
    assert by_name["Gym session"]["category"] == "strength"
    assert {by_name[n]["category"] for n in by_name if "abolic" in n} == {"other"}
    assert report(run_cli, "2024-03-08")["summary"]["sessions"]["strength"] == 2
    run_cli("activities", "set", str(by_name["Madabolic"]["id"]), "--category", "mobility")

    config = tmp_path / "config.toml"
    config.write_text('[category_keywords]\nstrength = ["madabolic", "-gym"]\n')
    result = run_cli("--config", str(config), "activities", "recategorise")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "4 activities changed category:",
        "  other -> strength: 3",
        "  strength -> other: 1",
    ]
    by_name = {a["name"]: a["category"] for a in listed(run_cli)}
    assert by_name["M\u201dA\u201dDabolic Tuesday"] == by_name["MADabolic Saturday"] == "strength"
    assert by_name["Madabolic"] == "mobility"  # the user's correction wins
    assert by_name["Gym session"] == "other"  # "-gym" dropped the default word
    assert report(run_cli, "2024-03-08")["summary"]["sessions"]["strength"] == 4
    again = run_cli("--config", str(config), "activities", "recategorise", "--athlete", "Ana")
    assert again.stdout.strip() == "no category changed"
    reimport = run_cli("--config", str(config), "import", "--athlete", "Ana", str(export))
    assert "0 imported, 0 updated" in reimport.stdout
    refused(run_cli("activities", "recategorise", "--athlete", "Zed"), "unknown athlete 'Zed'")
    bad = tmp_path / "bad.toml"
    bad.write_text('[category_keywords]\nstrength = "madabolic"\n')
    refused(run_cli("--config", str(bad), "activities", "recategorise"), "must be a list of words")
