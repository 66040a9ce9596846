"""Property: whatever a CSV file holds, `crosstrain import` ends with a summary or `error:` lines,
never a traceback, and the database changes only by the rows it reports as imported or updated."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crosstrain.cli import cli

HEADERS = [
    "date,type,duration",
    "date,type,duration,distance_km,rpe,name,athlete,avg_hr,max_hr",
    "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance,Elapsed Time,Distance",
    "Activity Type,Date,Favorite,Title,Distance,Time,Avg HR,Max HR",
    "id,date,name,type,description,elapsed_time,distance",
]
GOOD = st.sampled_from(
    [
        "2024-01-05",
        "2024-01-05T06:30:00",
        "2024-01-05T06:30:00+02:00",
        "Jan 5, 2024, 6:30:00 AM",
        "2024-01-05 07:30:40",
        "Run",
        "Running",
        "Weight Training",
        "Workout",
        "45:00",
        "1:02:03",
        "3600",
        "00:03:42,5",
        "10.02",
        "1,609",
        "9,33",
        "--",
        "",
        "7",
        "12345",
        "Ana",
        "false",
    ]
)
JUNK = st.text(alphabet=st.sampled_from(list('ab1,."\n\r\t ;:-+é💪\x00')), max_size=12)
FIELD = st.one_of(GOOD, GOOD, JUNK)


@st.composite
def csv_bytes(draw: st.DrawFn) -> bytes:
    header = draw(st.one_of(st.sampled_from(HEADERS), JUNK))
    width = header.count(",") + 1
    lines = [header]
    for _ in range(draw(st.integers(0, 8))):
        n = draw(st.one_of(st.just(width), st.integers(0, width + 2)))
        fields = draw(st.lists(FIELD, min_size=n, max_size=n))
        quoted = [
            '"' + f.replace('"', '""') + '"' if draw(st.booleans()) or any(c in f for c in ',"\n\r') else f
            for f in fields
        ]
        if draw(st.integers(0, 9)) == 0:  # break the quoting now and then
            quoted.append('"unclosed')
        lines.append(",".join(quoted))
    data = "\n".join(lines).encode("utf-8")
    if draw(st.integers(0, 9)) == 0:
        data += draw(st.binary(max_size=20))
    return data


def snapshot(db: Path) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("select * exclude (updated_at) from activities order by activity_id").fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database holding two activities of Ana's, copied for each example."""
    tmp = tmp_path_factory.mktemp("seed")
    db, seed = tmp / "seed.duckdb", tmp / "seed.csv"
    seed.write_text("date,type,duration\n2024-01-05T06:30:00,Run,3000\n2024-01-07,Yoga,30:00\n")
    assert CliRunner().invoke(cli, ["--db", str(db), "import", "--athlete", "Ana", str(seed)]).exit_code == 0
    return db


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=csv_bytes())
def test_random_csv_never_raises_and_changes_only_what_it_reports(seeded_db: Path, data: bytes) -> None:
    runner = CliRunner()
    with tempfile.TemporaryDirectory() as tmp:
        db, path = Path(tmp) / "t.duckdb", Path(tmp) / "random.csv"
        shutil.copy(seeded_db, db)
        before = snapshot(db)
        path.write_bytes(data)
        result = runner.invoke(
            cli, ["--db", str(db), "import", "--athlete", "Ana", str(path)], catch_exceptions=False
        )
        assert result.exit_code in (0, 1), result.output
        assert "Traceback" not in result.output
        assert all(line.startswith("error: ") for line in result.stderr.splitlines()), result.stderr
        after = snapshot(db)
        summary = re.search(r"(\d+) imported, (\d+) updated", result.stdout)
        if summary is None:  # the file was refused as a whole
            assert result.exit_code == 1 and after == before
        else:
            imported, updated = map(int, summary.groups())
            assert len(after) == len(before) + imported
            if imported == 0 and updated == 0:
                assert after == before
            if result.exit_code == 0:
                assert not result.stderr
