"""History that doesn't move: each session's HRmax comes from the data up to that session."""

from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path

import pytest
from activity_rows import write

import queries
from ingest.database.db import connect

HEADER = "date,type,duration,avg_hr,max_hr\n"


def trimp(minutes: float, avg_hr: float, hr_max: float, hr_rest: float = 60.0) -> float:
    """Banister TRIMP x 2.5 with the men's constants (sex unknown), as session_load.sql computes it."""
    hrr = (avg_hr - hr_rest) / (hr_max - hr_rest)
    return minutes * hrr * 0.64 * math.exp(1.92 * hrr) * 2.5


def loads(db: Path, athlete: str, start: date, end: date) -> list[float]:
    with connect(db, read_only=True) as con:
        df = queries.sessions(con, athlete, start, end, {})
    return [round(x, 3) for x in df.sort_values("start_local")["load"]]


def test_each_session_uses_the_hrmax_known_when_it_happened(db_path):
    # max HR 170 on day 1; 185 on day 5 (unconfirmed: nothing within 10 bpm, so the second highest,
    # 170, counts); 182 on day 6 confirms 185. All 40 min at avg 150, HRrest 60 (default):
    #   day 1: HRmax 170, HRr = 90 / 110 = 0.818182 -> 40 x 0.818182 x 0.64 x e^(1.570909) x 2.5 = 251.92
    #   day 5: HRmax 170 (as day 1)                                                          = 251.92
    #   day 6: HRmax 185, HRr = 90 / 125 = 0.72 -> 40 x 0.72 x 0.64 x e^(1.3824) x 2.5 = 183.60
    # A whole-history estimate would give all three 183.60.
    write(
        db_path,
        "Ana",
        [
            {
                "start_local": f"2026-11-0{d}T07:00",
                "sport_type": "Run",
                "minutes": 40,
                "avg_hr": 150,
                "max_hr": m,
            }
            for d, m in ((1, 170), (5, 185), (6, 182))
        ],
    )
    got = loads(db_path, "Ana", date(2026, 11, 1), date(2026, 11, 6))
    assert got == pytest.approx([trimp(40, 150, 170), trimp(40, 150, 170), trimp(40, 150, 185)], abs=1e-3)
    assert got == pytest.approx([251.92, 251.92, 183.60], abs=0.01)


def test_a_later_import_with_a_higher_max_hr_changes_no_past_report(run_cli, tmp_path):
    # Import, report at D, import a later file whose runs reach 200 and 196 bpm (a confirmed new HRmax),
    # report at D again: every number is equal. The later runs do score against 200.
    first = tmp_path / "first.csv"
    first.write_text(
        HEADER + "".join(f"2024-03-{d:02d},Run,40:00,150,{m}\n" for d, m in ((1, 178), (4, 180), (8, 176)))
    )
    later = tmp_path / "later.csv"
    later.write_text(HEADER + "2024-04-02,Run,40:00,160,200\n2024-04-05,Run,40:00,160,196\n")
    assert run_cli("import", "--athlete", "Ana", str(first)).exit_code == 0

    def report(day: str) -> dict:
        result = run_cli("report", "--athlete", "Ana", "--as-of", day, "--json")
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    before = report("2024-03-10")
    assert run_cli("import", "--athlete", "Ana", str(later)).exit_code == 0
    after = report("2024-03-10")
    assert after == before
    # 1 March: HRmax 178 (its own reading, the only one): HRr 90 / 118 = 0.762712 -> 211.12;
    # 4 and 8 March: 180 (178 confirms it): HRr 0.75 -> 40 x 0.75 x 0.64 x e^1.44 x 2.5 = 202.59 each
    assert before["weeks"][-2]["load"] + before["weeks"][-1]["load"] == pytest.approx(
        trimp(40, 150, 178) + 2 * trimp(40, 150, 180), abs=0.1
    )
    assert trimp(40, 150, 178) == pytest.approx(211.12, abs=0.01)
    listed = json.loads(run_cli("activities", "list", "--athlete", "Ana", "--json").stdout)
    april = [a["load"] for a in listed if a["start_local"] >= "2024-04"]
    # 2 April: 200 is unconfirmed (180 is 20 below), so 180 counts; 5 April: 196 confirms 200
    assert april == pytest.approx([trimp(40, 160, 180), trimp(40, 160, 200)], abs=0.05)  # listed to 0.1
