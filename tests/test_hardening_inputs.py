"""Hostile and impossible input: plausibility rules, archives, FIFOs, over-long lines, --as-of.

The real CLI on a real DuckDB file; archives written here byte by byte where Python's zipfile would not
write them (an encrypted flag, a symbolic link).
"""

from __future__ import annotations

import gzip
import io
import os
import stat
import threading
import zipfile
from pathlib import Path

import activity_rows
import pytest
from import_helpers import error_lines, one, rows

from ingest.database import db, plausibility
from ingest.exports import archive

STRAVA_HEADER = (
    "Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,Elapsed Time,Distance,"
    "Max Heart Rate,Relative Effort,Commute,Elapsed Time,Moving Time,Distance,Elevation Gain,"
    "Average Heart Rate\n"
)


def strava_row(n: int, day: str = "Jan 5, 2024", elapsed: str = "1800", dist_m: str = "5000", hr: str = "140",
               elev: str = "20", kind: str = "Run") -> str:  # fmt: skip
    return (
        f'{n},"{day}, 6:30:00 AM",Run {n},{kind},,{elapsed},{float(dist_m) / 1000},,,false,'
        f"{elapsed}.0,{elapsed}.0,{dist_m},{elev},{hr}\n"
    )


def test_impossible_values_are_rejected_with_file_line_and_reason(
    run_cli, tmp_path: Path, db_path: Path
) -> None:
    path = tmp_path / "activities.csv"
    path.write_text(
        STRAVA_HEADER
        + strava_row(1)
        + strava_row(2, hr="400")  # line 3
        + strava_row(3, dist_m="1500000", elapsed="600000")  # line 4: a 1,500 km run
        + strava_row(4, dist_m="-10")  # line 5
        + strava_row(5, day="Jan 5, 2099")  # line 6
        + strava_row(6, elapsed="900000")  # line 7: elapsed 10 days, moving time too
        + strava_row(7, dist_m="20000", elapsed="600")  # line 8: 33 m/s on foot
        + strava_row(8, dist_m="20000", elapsed="600", kind="Ride")  # a 33 m/s ride is fine
        + strava_row(9, elev="99999")  # line 10
        + strava_row(10, hr="0")  # Garmin's "no sensor": kept, without a heart rate
    )
    result = run_cli("import", "--athlete", "Ana", "--timezone", "UTC", str(path))
    assert result.exit_code == 1
    assert "10 rows: 3 imported, 0 updated, 0 duplicates, 7 rejected" in result.stdout
    skipped = [
        line.removeprefix(f"error: {path}:").removesuffix("; row skipped")
        for line in error_lines(result.stderr)
    ]
    assert skipped == [
        "3: column 'avg_hr': average heart rate 400.0 bpm is outside 25..250 bpm",
        "4: column 'distance_m': distance 1500.0 km is outside 0..1000 km for run",
        "5: column 'distance_m': distance -0.01 km is outside 0..1000 km for run",
        "6: column 'Activity Date': 'Jan 5, 2099, 6:30:00 AM' is more than a day in the future",
        "7: column 'moving_s': moving time 900000.0 s is outside 1..604800 s",
        "8: column 'distance_m': average speed 33.33 m/s is outside 0..12.5 m/s for run",
        "10: column 'elevation_gain_m': elevation gain 99999.0 m is outside 0..30000 m",
    ]
    assert rows(db_path, "select source_id, avg_hr from activities order by 1") == [
        ("1", 140.0),
        ("10", None),
        ("8", 140.0),
    ]
    assert one(db_path, "select count(*) from import_rejects where line is not null") == 7
    assert one(db_path, f"select count(*) from ({plausibility.stored_violations_sql()})") == 0


def test_a_row_after_a_multi_line_description_is_named_by_its_own_line(
    run_cli, tmp_path: Path, db_path: Path
) -> None:
    path = tmp_path / "activities.csv"
    long_desc = strava_row(1).replace(",,", ',"three\nline\ndescription",', 1)
    for other_reject in ("", "1,bad\n"):  # with and without a reject DuckDB's reader finds itself
        path.write_text(STRAVA_HEADER + long_desc + strava_row(2, hr="9") + other_reject)
        result = run_cli("import", "--athlete", "Ana", "--timezone", "UTC", str(path))
        assert f"{path}:5: column 'avg_hr': average heart rate 9.0 bpm" in result.stderr
        assert one(db_path, "select max(line) from import_rejects where \"column\" = 'avg_hr'") == 5


def test_a_semicolon_file_names_an_implausible_row_by_its_own_line(
    run_cli, tmp_path: Path, db_path: Path
) -> None:
    # Excel's semicolons, a quoted name with a comma across two lines: the plausibility rules' reject
    # (no reader reject before it) is mapped to physical lines with the file's own delimiter
    path = tmp_path / "log.csv"
    path.write_text(
        "date;type;duration;name;distance_km\n"
        '2024-01-01T06:00:00;Run;1800;"Easy, with a friend";5\n'
        '2024-01-02T06:00:00;Run;1800;"Long\nrun, slow";6\n'
        "2024-01-03T06:00:00;Run;1800;Bad;500\n"
    )
    result = run_cli("import", "--athlete", "Ana", "--timezone", "UTC", str(path))
    assert f"{path}:5: column 'distance_m': average speed 277.78 m/s" in result.stderr
    assert one(db_path, "select line from import_rejects") == 5


def test_generic_and_garmin_rows_meet_the_same_rules(run_cli, tmp_path: Path, db_path: Path) -> None:
    generic = tmp_path / "log.csv"
    generic.write_text("date,type,duration,distance_km\n2024-01-01,Run,1800,5\n2024-01-02,Run,60,50\n")
    result = run_cli("import", "--athlete", "Ana", "--timezone", "UTC", str(generic))
    assert f"{generic}:3: column 'distance_m': average speed 833.33 m/s" in result.stderr
    garmin = tmp_path / "Activities.csv"
    garmin.write_text(
        "Activity Type,Date,Favorite,Title,Distance,Calories,Time,Avg HR,Max HR\n"
        "Running,2024-01-03 07:00:00,false,Run,5.00,300,00:30:00,140,260\n"
        "Running,2024-01-04 07:00:00,false,Run,5.00,300,00:30:00,0,0\n"
    )
    result = run_cli("import", "--athlete", "Ana", "--timezone", "UTC", str(garmin))
    assert (
        f"{garmin}:2: column 'max_hr': maximum heart rate 260.0 bpm is outside 25..250 bpm" in result.stderr
    )
    assert one(db_path, "select count(*) from activities") == 2
    assert one(db_path, "select count(*) from activities where source = 'garmin' and avg_hr is null") == 1


def test_every_rule_is_documented_and_its_reason_names_the_range() -> None:
    described = plausibility.describe()
    assert len(described) == len(plausibility.RULES) >= 10
    assert all(why for *_, why in described)
    assert ("average heart rate", "all", "25..250 bpm") in [d[:3] for d in described]


def zip_of(path: Path, members: dict[str, bytes], flags: int = 0, mode: int = 0) -> Path:
    """A zip of `members`; `flags` or'ed into every member's general-purpose flags, `mode` its Unix type."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            if mode:
                info.create_system = 3
                info.external_attr = (mode | 0o644) << 16
            z.writestr(info, data)
    if flags:  # zipfile clears the flags it does not write itself: patch the headers
        raw = bytearray(path.read_bytes())
        for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
            start = 0
            while (at := raw.find(signature, start)) >= 0:
                raw[at + offset] |= flags
                start = at + 4
        path.write_bytes(bytes(raw))
    return path


@pytest.mark.parametrize(
    ("flags", "mode", "said"),
    [
        (1, 0, "is encrypted (password-protected)"),
        (0, stat.S_IFLNK, "is a symbolic link, not a regular file"),
        (0, stat.S_IFIFO, "is a FIFO, not a regular file"),
    ],
)
def test_encrypted_and_non_regular_members_are_one_line(
    run_cli, tmp_path: Path, db_path: Path, flags: int, mode: int, said: str
) -> None:
    path = zip_of(
        tmp_path / "export.zip", {"activities.csv": (STRAVA_HEADER + strava_row(1)).encode()}, flags, mode
    )
    result = run_cli("import", "--athlete", "Ana", str(path))
    assert result.exit_code == 1
    [line] = error_lines(result.stderr)
    assert line.startswith(f"error: {path}:activities.csv: {said}") and line.endswith("; not imported")
    assert "Traceback" not in result.output and "crosstrain-" not in result.output
    assert not db_path.exists() or one(db_path, "select count(*) from activities") == 0


def test_a_zip_bomb_is_refused_before_it_is_written_out(run_cli, tmp_path: Path, db_path: Path) -> None:
    bomb = tmp_path / "export.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z, z.open("activities.csv", "w") as f:
        f.write(STRAVA_HEADER.encode())
        for _ in range(8):
            f.write(b"\n" * (16 << 20))  # 128 MiB of newlines in about 130 KB
    assert bomb.stat().st_size < 1 << 20
    result = run_cli("import", "--athlete", "Ana", str(bomb))
    [line] = error_lines(result.stderr)
    assert line.startswith(f"error: {bomb}:activities.csv: expands to 128 MiB from ")
    assert line.endswith("refused as a zip bomb")


def test_limits_are_checked_while_reading_whatever_the_headers_say() -> None:
    data = b"x" * (3 << 20)
    info = zipfile.ZipInfo("activities.csv")
    info.compress_size, info.file_size = 10_000, 10  # a header that lies
    stream = io.BufferedReader(archive.LimitedMember(io.BytesIO(data), info, archive.Budget("a.zip")))
    with pytest.raises(archive.ArchiveLimitError, match=r"a.zip:activities.csv: expands more than 100 times"):
        stream.read()
    info.compress_size = 1 << 30
    budget = archive.Budget("a.zip", left=2 << 20)
    stream = io.BufferedReader(archive.LimitedMember(io.BytesIO(data), info, budget))
    with pytest.raises(archive.ArchiveLimitError, match=r"the archive expands to more than 4,096 MiB"):
        stream.read()


def import_beside_a_fifo(run_cli, fifo: Path, *paths: Path):
    """`crosstrain import` of `paths` in a thread; fails the test if it blocks on the FIFO `fifo`."""
    os.mkfifo(fifo)
    done: list = []
    worker = threading.Thread(
        target=lambda: done.append(run_cli("import", "--athlete", "Ana", *map(str, paths)))
    )
    worker.start()
    worker.join(30)
    if worker.is_alive():  # unblock the reader before failing
        with open(fifo, "wb"):
            pass
        worker.join(5)
        pytest.fail(f"importing the FIFO {fifo.name} blocked")
    return done[0]


def test_a_fifo_is_refused_at_once(run_cli, tmp_path: Path, db_path: Path) -> None:
    fifo = tmp_path / "activities.csv"
    result = import_beside_a_fifo(run_cli, fifo, fifo)
    assert error_lines(result.stderr) == [
        f"error: {fifo}: is a FIFO (named pipe), not a regular file; not imported"
    ]


def test_an_over_long_line_is_refused_with_its_line(run_cli, tmp_path: Path, db_path: Path) -> None:
    path = tmp_path / "log.csv"
    with path.open("w") as fh:
        fh.write("date,type,duration,name\n2024-01-01,Run,1800,ok\n2024-01-02,Run,1800,")
        fh.write("x" * (archive.MAX_LINE_BYTES + 10))
        fh.write("\n2024-01-03,Run,1800,ok\n")
    result = run_cli("import", "--athlete", "Ana", str(path))
    assert result.exit_code == 1
    assert error_lines(result.stderr) == [
        f"error: {path}:3: a line longer than 100 MiB: not a CSV export; not imported"
    ]
    assert not db_path.exists() or one(db_path, "select count(*) from activities") == 0


@pytest.mark.parametrize(
    "day", ["0001-01-01", "1899-04-01", "1969-12-31", "2999-01-01", "10000-01-01", "soon"]
)
def test_as_of_outside_1970_to_a_year_ahead_is_one_line(run_cli, db_path: Path, day: str) -> None:
    run_cli("demo", "--no-serve")
    for command in (["report", "--athlete", "Mona Monotone (synthetic)"], ["compare"]):
        result = run_cli(*command, "--as-of", day)
        assert result.exit_code == 1
        [line] = [x for x in result.stderr.splitlines() if x]
        assert line.startswith("error: ") and (
            "out of range: use a day from 1970-01-01" in line or "is not a date" in line
        )


# A plausible 30-minute 5 km run, the row the tests below change one value of.
GOOD_RUN = {
    "start_local": "2024-01-01T06:30:00",
    "sport_type": "Run",
    "moving_s": 1800.0,
    "distance_m": 5000.0,
}


def test_no_number_outside_the_rules_is_stored_from_any_writer(db_path: Path) -> None:
    good = GOOD_RUN
    values = [float("nan"), float("inf"), float("-inf"), -1.0, 1e12]
    bad = [(c, v) for c in plausibility.NUMERIC for v in values]
    activity_rows.write(
        db_path,
        "Ana",
        [good]
        + [
            {**good, "start_local": f"2024-02-{1 + i % 28:02d}T{i // 28:02d}:00", c: v}
            for i, (c, v) in enumerate(bad)
        ],
    )
    # an elapsed time that is not negative, beside a plausible moving time: a recording left running
    kept = 1 + sum(1 for c, v in bad if c == "elapsed_s" and not v < 0)
    assert rows(db_path, "select count(*), count(elapsed_s) from activities") == [(kept, 0)]
    assert one(db_path, f"select count(*) from ({plausibility.stored_violations_sql()})") == 0


def test_a_database_from_before_the_rules_excludes_its_impossible_rows(db_path: Path) -> None:
    activity_rows.write(db_path, "Ana", [GOOD_RUN, {**GOOD_RUN, "start_local": "2024-01-06T06:30:00"}])
    with db.connect(db_path) as con:  # a heart rate of 400 stored before the rules
        con.execute("update activities set avg_hr = 400 where start_local = '2024-01-06 06:30:00'")
        marker = con.execute("select version from athlete_versions").fetchall()
        assert plausibility.exclude_stored(con) == 1  # what db.connect runs when it upgrades to schema 6
        # a dashboard keeping Ana's overview row computes it again
        assert con.execute("select version from athlete_versions").fetchall() != marker
    assert rows(db_path, "select avg_hr, excluded from activities order by start_local") == [
        (None, False),
        (400.0, True),
    ]
    assert rows(db_path, "select kind, rows_rejected from imports") == [("check", 1)]
    [(reason,)] = rows(db_path, "select reason from import_rejects")
    assert reason.startswith("average heart rate 400.0 bpm is outside 25..250 bpm")
    assert reason.endswith("(stored before the plausibility rules; now excluded)")


def test_a_blank_activity_type_is_rejected_like_an_empty_one(db_path: Path) -> None:
    # a type of spaces (an API answer, say) meets the rule `trim(sport_type) = ''` and its cheap filter
    activity_rows.write(
        db_path, "Ana", [GOOD_RUN, {**GOOD_RUN, "start_local": "2024-01-02T06:30", "sport_type": "  "}]
    )
    assert rows(db_path, "select sport_type from activities") == [("Run",)]  # the blank one refused


def test_activity_files_get_the_same_limits(run_cli, tmp_path: Path, db_path: Path) -> None:
    export = tmp_path / "files.zip"
    with zipfile.ZipFile(export, "w") as z:  # a .fit.gz that expands 1000:1
        z.writestr("activities/1.fit.gz", gzip.compress(b"\0" * (64 << 20), compresslevel=9))
    fifo = tmp_path / "run.fit"
    result = import_beside_a_fifo(run_cli, fifo, export, fifo)
    assert error_lines(result.stderr) == [
        f"error: {export}:activities/1.fit.gz: expands more than 100 times its compressed size: refused; "
        "file skipped",
        f"error: {fifo}: is a FIFO (named pipe), not a regular file; not imported",
    ]
