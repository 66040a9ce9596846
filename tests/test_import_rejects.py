"""Rows that can't be read: reported with file, physical line, column and reason; the rest imported."""

from __future__ import annotations

from pathlib import Path

from conftest import FIXTURES
from import_helpers import error_lines, one, rows


def test_strava_rejects_have_physical_lines_after_a_multiline_description(run_cli, db_path: Path) -> None:
    path = FIXTURES / "strava_activities.csv"
    result = run_cli("import", "--athlete", "Ana", str(path))
    assert result.exit_code == 1
    # row 2's description spans lines 3-5, so the 5th and 6th rows are on lines 8 and 9
    assert error_lines(result.stderr) == [
        f"error: {path}:8: column 'Activity Date': cannot read 'Jan 32, 2024, 6:00:00 PM' as a date; "
        "row skipped",
        f"error: {path}:9: column 'Elapsed Time': cannot read 'abc.0' as seconds; row skipped",
    ]
    stored = rows(db_path, 'select file, line, "column", reason from import_rejects order by line')
    assert stored == [
        (str(path), 8, "Activity Date", "cannot read 'Jan 32, 2024, 6:00:00 PM' as a date"),
        (str(path), 9, "Elapsed Time", "cannot read 'abc.0' as seconds"),
    ]
    assert one(db_path, "select rows_rejected from imports") == 2
    assert one(db_path, "select count(*) from activities") == 6


def test_broken_csv_structure_is_reported_by_line(run_cli, db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text(
        "date,type,duration,name\n"  # 1
        '2024-01-01,Run,30:00,"a name\n'  # 2
        'over two lines"\n'  # 3
        "2024-01-02,Run,30:00\n"  # 4: a field short
        "\n"  # 5: blank
        "2024-01-03,Run,30:00,x,extra\n"  # 6: a field too many
        '2024-01-04,Run,"30:00",fine\n'  # 7
        "2024-01-05,Run,-5,negative\n"  # 8
        '2024-01-06,Run,30:00,6" tall\n'  # 9: a quote inside a word is text
        "2024-01-07,Run,1:75:00,bad minutes\n"  # 10
    )
    result = run_cli("import", "--athlete", "Ana", str(path))
    assert result.exit_code == 1
    assert error_lines(result.stderr) == [
        f"error: {path}:4: column 'name': the row has fewer fields than the header; row skipped",
        f"error: {path}:6: the row has more fields than the header; row skipped",
        f"error: {path}:8: column 'duration': cannot read '-5' as a duration (seconds or [H:]MM:SS); "
        "row skipped",
        f"error: {path}:10: column 'duration': cannot read '1:75:00' as a duration (seconds or [H:]MM:SS); "
        "row skipped",
    ]
    assert "7 rows: 3 imported, 0 updated, 0 duplicates, 4 rejected" in result.stdout
    assert sorted(r[0] for r in rows(db_path, "select name from activities")) == [
        '6" tall',
        "a name\nover two lines",
        "fine",
    ]


def test_unterminated_quote_rejects_the_rest_of_the_file(run_cli, db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text('date,type,duration,name\n2024-01-01,Run,30:00,ok\n2024-01-02,Run,30:00,"never closed\n')
    result = run_cli("import", "--athlete", "Ana", str(path))
    assert result.exit_code == 1
    [line] = error_lines(result.stderr)
    assert line.startswith(f"error: {path}:3:")
    assert one(db_path, "select count(*) from activities") == 1


def test_a_field_holding_a_bare_carriage_return_is_a_rejected_row(
    run_cli, db_path: Path, tmp_path: Path
) -> None:
    # found by tests/test_import_property.py: the check for rows quoted whole raised csv.Error (a traceback)
    path = tmp_path / "log.csv"
    path.write_bytes(b'date,type,duration\n"\r1"')
    result = run_cli("import", "--athlete", "Ana", str(path))
    assert result.exit_code == 1
    assert error_lines(result.stderr) == [
        f"error: {path}:2: column 'type': the row has fewer fields than the header; row skipped"
    ]
    assert one(db_path, "select count(*) from activities") == 0


def test_a_file_of_only_bad_rows_imports_nothing(run_cli, db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("date,type,duration\nnot a date,Run,30:00\n2024-01-01,,30:00\n2024-01-01,Run,\n")
    result = run_cli("import", "--athlete", "Ana", str(path))
    assert [e.split(": ", 2)[2] for e in error_lines(result.stderr)] == [
        "column 'date': cannot read 'not a date' as an ISO date (2024-01-31 or 2024-01-31T06:30:00); "
        "row skipped",
        "column 'type': missing an activity type; row skipped",
        "column 'duration': missing a duration (seconds or [H:]MM:SS); row skipped",
    ]
    assert one(db_path, "select count(*) from activities") == 0
    assert one(db_path, "select count(*) from import_rejects") == 3


def test_not_utf8_rows_are_rejected_not_fatal(run_cli, db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes(b"date,type,duration,name\n2024-01-01,Run,30:00,caf\xe9\n2024-01-02,Run,30:00,ok\n")
    result = run_cli("import", "--athlete", "Ana", str(path))
    assert result.exit_code == 1
    assert error_lines(result.stderr) == [
        f"error: {path}:2: column 'name': not UTF-8 text (save the file as UTF-8); row skipped"
    ]
    assert one(db_path, "select count(*) from activities") == 1


def test_every_reject_names_a_line_even_when_quotes_are_broken(
    run_cli, db_path: Path, tmp_path: Path
) -> None:
    path = tmp_path / "log.csv"
    path.write_text(
        "date,type,duration,name\n"  # 1
        '2024-01-01,Run,1800,"ok" trailing\n'  # 2: text after a closing quote
        "2024-01-02,Run,1800,too,many,fields\n"  # 3
        "2024-01-04,Run,1800,fine\n"  # 4
    )
    result = run_cli("import", "--athlete", "Lu", str(path))
    assert result.exit_code == 1
    assert [line.split(":")[2] for line in error_lines(result.stderr)] == ["2", "3"]
    assert rows(db_path, "select name from activities") == [("fine",)]


def test_generic_date_times_are_iso_8601_or_rejected(run_cli, db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "dates.csv"
    path.write_text(
        "date,type,duration\n"  # 1
        "2024-01-31T06:30:00,Run,1801\n"  # 2: the common form, read by its exact format
        "2024-01-31 07:30:00,Run,1802\n"  # 3
        "2024-01-31T08:30:00.5,Run,1803\n"  # 4: a fraction, read by the ISO expression
        "2024-01-31T09:30,Run,1804\n"  # 5: no seconds
        "2024-01-31T 6:30:00,Run,1805\n"  # 6: a space for the hour's zero is not ISO 8601
        "12024-01-31T06:30:00,Run,1806\n"  # 7
        "2024-01-31T06:30:0Z,Run,1807\n"  # 8
    )
    result = run_cli("import", "--athlete", "Ana", "--timezone", "UTC", str(path))
    assert result.exit_code == 1
    assert [line.removeprefix(f"error: {path}:").split(":")[0] for line in error_lines(result.stderr)] == [
        "6",
        "7",
        "8",
    ]
    assert rows(db_path, "select strftime(start_local, '%H:%M:%S') from activities order by moving_s") == [
        ("06:30:00",),
        ("07:30:00",),
        ("08:30:00",),
        ("09:30:00",),
    ]
