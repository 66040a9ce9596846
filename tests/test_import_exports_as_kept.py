"""Exports as people keep them (issue 19 item 3): CSVs re-saved by pandas, unzipped Garmin exports with
their nested upload zips, folders holding CSVs, zips and activity files together, and Strava export
files that activities.csv doesn't list."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pandas as pd
from activity_files import T0, fit_activity, fit_strength
from click.testing import CliRunner
from conftest import FIXTURES
from import_helpers import error_lines, one, rows

from crosstrain.cli import cli

UTC = ("--timezone", "UTC")


def test_a_strava_csv_resaved_by_pandas_reads_like_the_original(run_cli, db_path, tmp_path) -> None:
    # pandas names the repeated columns "Distance.1", "Elapsed Time.1" ... and adds its index column
    resaved = tmp_path / "activities_pandas.csv"
    pd.read_csv(FIXTURES / "strava_activities.csv").to_csv(resaved)
    assert "Distance.1" in resaved.read_text(encoding="utf-8").splitlines()[0]
    result = run_cli("import", "--athlete", "Ana", *UTC, str(resaved))
    assert "8 rows: 6 imported" in result.stdout
    assert "columns: Elapsed Time.1, Distance.1" in result.stdout
    got = rows(db_path, "select source_id, distance_m, elapsed_s, moving_s from activities order by 1")
    other = tmp_path / "original.duckdb"
    CliRunner().invoke(
        cli, ["--db", str(other), "import", "--athlete", "Ana", *UTC, str(FIXTURES / "strava_activities.csv")]
    )
    assert got == rows(other, "select source_id, distance_m, elapsed_s, moving_s from activities order by 1")
    assert one(db_path, "select distance_m from activities where source_id = '10000000001'") == 10020.5


def _upload_zip(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


def test_an_unzipped_garmin_export_reads_its_nested_upload_zips(run_cli, db_path, tmp_path) -> None:
    run = fit_activity(tmp_path / "run.fit", T0, 600).read_bytes()
    lift = fit_strength(tmp_path / "lift.fit", T0 + timedelta(days=1), 1200, rpe=7).read_bytes()
    uploads = tmp_path / "export" / "DI_CONNECT" / "DI-Connect-Uploaded-Files"
    uploads.mkdir(parents=True)
    (uploads / "UploadedFiles_0-_Part1.zip").write_bytes(_upload_zip({"a@b.c_1.fit": run}))
    (uploads / "UploadedFiles_0-_Part2.zip").write_bytes(_upload_zip({"a@b.c_2.fit": lift}))
    fitness = tmp_path / "export" / "DI_CONNECT" / "DI-Connect-Fitness"
    fitness.mkdir()
    (fitness / "a@b.c_0_summarizedActivities.json").write_text("[]")
    result = run_cli("import", "--athlete", "Ana", *UTC, str(tmp_path / "export"))
    assert result.exit_code == 0, result.output
    assert "2 activity files, 2 sessions: 2 imported" in result.stdout
    assert rows(db_path, "select category from activities order by start_at") == [("run",), ("strength",)]


def test_a_folder_of_csvs_zips_and_files_imports_each_as_what_it_is(run_cli, db_path, tmp_path) -> None:
    folder = tmp_path / "training"
    folder.mkdir()
    (folder / "Activities.csv").write_text((FIXTURES / "garmin_activities.csv").read_text("utf-8"), "utf-8")
    (folder / "log.csv").write_text("date,type,duration\n2024-04-01,Pilates,50:00\n", "utf-8")
    fit_activity(folder / "ride.fit", T0 + timedelta(days=400), 900, sport="cycling")
    (folder / "more.zip").write_bytes(
        _upload_zip({"w1.fit": fit_activity(tmp_path / "w1.fit", T0 + timedelta(days=401), 700).read_bytes()})
    )
    result = run_cli("import", "--athlete", "Ana", *UTC, str(folder))
    assert "Traceback" not in result.output
    assert f"{folder}/Activities.csv (garmin, Ana):" in result.stdout
    assert f"{folder}/log.csv (generic, Ana): 1 rows: 1 imported" in result.stdout
    assert f"{folder}: 2 activity files, 2 sessions: 2 imported" in result.stdout
    total = one(db_path, "select count(*) from activities")
    # garmin_activities.csv holds two unreadable rows on purpose
    assert f"in all: 3 parts: {total} imported, 0 updated, 0 duplicates, 2 rejected" in result.stdout
    assert one(db_path, "select count(*) from activities where source = 'generic'") == 1
    assert one(db_path, "select count(*) from activities where source = 'fit'") == 2
    assert one(db_path, "select count(*) from activities where source = 'garmin'") > 0


def test_strava_export_files_not_in_activities_csv_are_their_own_activities(
    run_cli, db_path, tmp_path
) -> None:
    csv_text = (FIXTURES / "strava_en_au.csv").read_text(encoding="utf-8")
    extra = fit_activity(tmp_path / "x.fit", T0 + timedelta(days=300), 1200, gz=True).read_bytes()
    archive = tmp_path / "export.zip"
    archive.write_bytes(
        _upload_zip(
            {
                "activities.csv": csv_text.encode(),
                "profile.csv": b"Athlete ID,Email Address,First Name,Last Name\n1,a@b.c,Zoe,Zhang\n",
                "activities/31000000009.fit.gz": extra,  # listed in no row
            }
        )
    )
    result = run_cli("import", "--timezone", "Europe/Berlin", str(archive))
    assert "3 rows: 3 imported" in result.stdout
    assert "1 activity files not in activities.csv: 1 imported" in result.stdout, result.stdout
    assert error_lines(result.stderr) == []
    assert one(db_path, "select count(*) from activities where source = 'fit'") == 1
    assert one(db_path, "select name from activities where source = 'fit'") == "31000000009.fit.gz"
    again = run_cli("import", "--timezone", "Europe/Berlin", str(archive))
    assert "1 activity files not in activities.csv: 0 imported" in again.stdout


def test_an_unzipped_strava_export_folder_imports_unlisted_files_too(run_cli, db_path, tmp_path) -> None:
    export = tmp_path / "export_1"
    (export / "activities").mkdir(parents=True)
    (export / "activities.csv").write_text((FIXTURES / "strava_en_au.csv").read_text(encoding="utf-8"))
    (export / "profile.csv").write_text("Athlete ID,Email Address,First Name,Last Name\n1,a@b.c,Zoe,Zhang\n")
    fit_activity(export / "activities" / "31000000009.fit", T0 + timedelta(days=300), 1200)
    result = run_cli("import", str(export))
    assert "1 activity files not in activities.csv: 1 imported" in result.stdout, result.stdout
    assert one(db_path, "select count(*) from activities where source = 'fit'") == 1


def test_a_folder_linking_to_itself_ends(run_cli, db_path, tmp_path) -> None:
    folder = tmp_path / "loop"
    folder.mkdir()
    fit_activity(folder / "run.fit", T0, 600)
    (folder / "again").symlink_to(folder, target_is_directory=True)
    result = run_cli("import", "--athlete", "Ana", *UTC, str(folder))
    assert f"{folder}: 1 activity files, 1 sessions: 1 imported" in result.stdout
