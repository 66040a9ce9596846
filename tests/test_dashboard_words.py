"""Words, not codes: warnings by name, and the import library's command-line hints in the form's words;
and the overview with each athlete as of their own last activity (queries/overview_last.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from activity_rows import write

from dashboard import words
from ingest.database.db import connect
from queries.overview_last import overview_each_last
from queries.warning_registry import REGISTRY


def test_every_warning_code_has_words_without_underscores():
    for code in (w.code for w in REGISTRY):
        assert code in words.WARNING_WORDS, code
        assert "_" not in words.warning_words(code)
    assert words.warning_words("some_new_code") == "Some new code"  # never the raw code
    assert words.warnings_text([]) == "none"
    assert words.warnings_text(["acwr_spike", "monotone_runs"]) == "Load spike; Every run alike"


def test_codes_inside_a_sentence_become_words():
    text = "back_to_back_hard on Tue 03 Nov: two hard days; run_volume_jump too; snake_case_name stays"
    said = words.in_words(text)
    assert said.startswith("Hard days back to back on Tue 03 Nov")
    assert "Running volume jump too" in said and "snake_case_name stays" in said


def test_command_line_hints_are_said_with_the_forms_fields():
    cases = {
        "run.gpx: whose activities are these? pass --athlete NAME": (
            "run.gpx: whose activities are these? fill in the Athlete field"
        ),
        "units: km (--units metric; pass --units imperial if the account uses miles)": (
            'units: km (Units "metric"; import again with Units "imperial" if the account uses miles)'
        ),
        "dates: day first (--date-order dmy); pass --date-order mdy if they are month first": (
            'dates: day first (Date order "day/month"); import again with Date order "month/day" if they '
            "are month first"
        ),
        '(if that is wrong: crosstrain athletes set "Ann" --timezone ZONE, then import again; '
        "or import with --timezone ZONE)": "(if that is wrong: choose the Time zone field and import again)",
    }
    for text, said in cases.items():
        assert words.page_words(text) == said
        assert "--" not in words.page_words(text)


def runs(db: Path, name: str, last: dt.date, days: int) -> None:
    write(
        db,
        name,
        [
            {
                "start_local": f"{last - dt.timedelta(days=i)}T07:00",
                "sport_type": "Run",
                "minutes": 40,
                "km": 8,
            }
            for i in range(days)
        ],
    )


def test_overview_each_last_reads_every_athlete_on_their_own_last_day(db_path: Path):
    runs(db_path, "Olga Old", dt.date(2023, 5, 1), 40)
    runs(db_path, "Rita Recent", dt.date(2025, 1, 10), 40)
    write(db_path, "Nina None", [])  # no activity: not in the overview by last activity
    with connect(db_path, read_only=True) as con:
        found, weekly = overview_each_last(con, 8, {})
    assert found["as_of"] is None
    rows = {a["athlete"]: a for a in found["athletes"]}
    assert set(rows) == {"Olga Old", "Rita Recent"}
    assert rows["Olga Old"]["as_of"] == "2023-05-01" and rows["Rita Recent"]["as_of"] == "2025-01-10"
    for a in rows.values():
        assert a["active"] and a["risk"] != "inactive"
        assert a["run_km"] == 28 * 8  # a run of 8 km every day of their last 28
        assert "no_support_work" in a["warnings"]
    assert set(weekly["athlete"]) == {"Olga Old", "Rita Recent"}


def test_the_unlabelled_advice_points_to_the_pages_picker():
    from queries.warning_registry import get

    said = words.page_words(get("unlabelled_sessions").advice)
    assert "Unlabelled sessions" in said and "crosstrain activities set" not in said and "`" not in said
