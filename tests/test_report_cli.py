"""`crosstrain report` and `crosstrain compare` end to end on a real database file."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

from activity_rows import write
from spec_keys import CATEGORIES, REPORT_KEYS, SUMMARY_KEYS

from ingest.database.db import connect

D = date(2026, 11, 22)


def mona(db_path) -> None:
    start = datetime(2026, 10, 1, 7, 0)
    write(
        db_path,
        "Mona",
        [
            {"start_local": start + timedelta(days=d), "sport_type": "Run", "minutes": 40, "km": 8}
            for d in range(53)
        ],
    )


def test_report_json_matches_the_spec(db_path, run_cli):
    mona(db_path)
    result = run_cli("report", "--athlete", "Mona", "--as-of", "2026-11-22", "--json")
    assert result.exit_code == 0, result.output
    rep = json.loads(result.output)
    assert list(rep) == REPORT_KEYS
    assert rep["athlete"] == "Mona" and rep["as_of"] == "2026-11-22"
    assert list(rep["summary"]) == SUMMARY_KEYS
    assert rep["summary"]["run_km"] == 224.0  # 28 runs x 8 km
    assert list(rep["summary"]["minutes"]) == CATEGORIES
    assert len(rep["weeks"]) == 12 and rep["weeks"][-1]["week"] == "2026-11-16"
    assert "no_support_work" in [w["code"] for w in rep["warnings"]]


def test_report_text_shows_warnings_first_with_advice(db_path, run_cli):
    mona(db_path)
    out = run_cli("report", "--athlete", "Mona", "--as-of", "2026-11-22").output
    assert "risk red" in out
    assert out.index("HIGH no strength work") < out.index("Last 28 days") < out.index("Weeks")
    assert "no_support_work" not in out  # words, not codes
    assert "Romanian deadlifts" in out and "not a diagnosis" in out


def test_compare_json_and_table(db_path, run_cli):
    mona(db_path)
    write(db_path, "Yogi", [{"start_local": "2026-11-20T07:00", "sport_type": "Yoga", "minutes": 60}])
    out = json.loads(run_cli("compare", "--as-of", "2026-11-22", "--json").output)
    assert [a["athlete"] for a in out["athletes"]] == ["Mona", "Yogi"]
    assert out["athletes"][0]["risk"] == "red" and out["athletes"][1]["risk"] == "green"
    table = run_cli("compare", "--as-of", "2026-11-22").output
    assert table.index("Mona") < table.index("Yogi")


def test_unknown_athlete_is_one_line_error(db_path, run_cli):
    mona(db_path)
    result = run_cli("report", "--athlete", "Nobody")
    assert result.exit_code == 1
    assert result.output.strip() == "error: unknown athlete 'Nobody'; known: Mona"


def test_no_database_yet_is_one_line_error(run_cli):
    result = run_cli("compare")
    assert result.exit_code == 1 and result.output.startswith("error: ") and "import" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_as_of_defaults_to_today(db_path, run_cli):
    mona(db_path)
    out = json.loads(run_cli("compare", "--json").output)
    assert out["as_of"] == date.today().isoformat()


def test_commands_have_help(run_cli):
    for command in ("report", "compare"):
        result = run_cli(command, "--help")
        assert result.exit_code == 0 and "--as-of" in result.output and "--json" in result.output


def test_generic_csv_in_report_json_out(tmp_path, db_path, run_cli):
    # Two athletes in one generic CSV. Kiri (Auckland) runs 40 min at RPE 5 (load 200) on local
    # 2026-11-20 06:00 (UTC: the 19th) and does Pilates (45 min, default intensity 4 -> 180) on the 21st.
    csv = tmp_path / "log.csv"
    csv.write_text(
        "date,type,duration,distance_km,rpe,name,athlete\n"
        "2026-11-20T06:00:00,Run,40:00,8.0,5,Morning run,Kiri\n"
        "2026-11-21T18:00:00,Pilates,45:00,,,Mat class,Kiri\n"
        "2026-11-19T07:00:00,Run,30:00,6.0,,Easy,Mona\n"
    )
    result = run_cli("import", str(csv), "--timezone", "Pacific/Auckland")
    assert result.exit_code == 0, result.output
    rep = json.loads(run_cli("report", "--athlete", "Kiri", "--as-of", "2026-11-22", "--json").output)
    s = rep["summary"]
    assert s["sessions"] == {"run": 1, "strength": 0, "pilates": 1, "mobility": 0, "cross": 0, "other": 0}
    assert s["minutes"]["run"] == 40.0 and s["run_km"] == 8.0
    assert s["support_share"] == round(45 / 85, 3) and s["days_since_support"] == 1
    assert rep["weeks"][-1]["load"] == 380.0  # 200 + 45 x 4
    out = json.loads(run_cli("compare", "--as-of", "2026-11-22", "--json").output)
    assert {a["athlete"] for a in out["athletes"]} == {"Kiri", "Mona"}
    # the run is on the local 20th (UTC 19th): a window ending on the 19th does not hold it
    day_before = json.loads(run_cli("report", "--athlete", "Kiri", "--as-of", "2026-11-19", "--json").output)
    assert day_before["summary"]["sessions"]["run"] == 0


def test_empty_history_and_empty_database_are_plain_messages(db_path, run_cli):
    write(db_path, "Newbie", [])
    out = run_cli("report", "--athlete", "Newbie", "--as-of", "2026-11-22").output
    assert "No activities in the 28 days to 2026-11-22." in out and "risk inactive" in out
    assert "no data yet" in out
    rep = json.loads(run_cli("report", "--athlete", "Newbie", "--as-of", "2026-11-22", "--json").output)
    assert rep["summary"]["acwr"] is None and rep["warnings"] == []


def test_compare_without_athletes(db_path, run_cli):
    write(db_path, "Someone", [])
    with connect(db_path) as con:
        con.execute("delete from athletes")
    assert json.loads(run_cli("compare", "--json").output)["athletes"] == []
    assert "no athletes yet" in run_cli("compare").output
