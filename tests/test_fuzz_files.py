"""The fuzz corpus in the suite (issue 20 item 7): seeded mutations of files of every format (CSV, FIT,
GPX, TCX, ICS, zip, gz) that we write ourselves, and of ../shared/formats' real exports when that folder
is beside the checkout, imported for real, in a bounded count and time.

Each case (tests/fuzz_corpus.py) is imported next to a good file of its own into a database holding a
reference athlete; none may print a traceback, leave a partial write, or lose a good row. The larger
run is bench/fuzz.py (--count 10000; README: Reliability). A failure names its seed and case:
`bench/fuzz.py --seed S --start I --count 1` plays it again.
"""

from __future__ import annotations

import os
import signal
import time
import warnings
from pathlib import Path

import duckdb
import fuzz_corpus as fc
import pytest
from click.testing import CliRunner

SEED = int(os.environ.get("CROSSTRAIN_FUZZ_SEED", "20261206"))
SECONDS = float(os.environ.get("CROSSTRAIN_FUZZ_FILES_SECONDS", "30"))  # the suite's budget
MIN_CASES = 2 * len(fc.FORMATS)  # every format at least twice, however slow the machine
CASE_TIMEOUT_S = 30


class Hang(Exception):
    """A case ran past CASE_TIMEOUT_S."""


def _alarm(signum, frame):  # noqa: ANN001
    raise Hang


@pytest.mark.skipif(not hasattr(signal, "SIGALRM"), reason="uses SIGALRM to bound each case")
def test_mutated_files_of_every_format_never_break_an_import(tmp_path: Path) -> None:
    db = tmp_path / "fuzz.duckdb"
    fc.reference_db(db)
    deadline = time.monotonic() + SECONDS
    failures = []
    done = 0
    previous = signal.signal(signal.SIGALRM, _alarm)
    try:
        while done < MIN_CASES or time.monotonic() < deadline:
            case = fc.make_case(SEED, done)
            signal.alarm(CASE_TIMEOUT_S)
            try:
                out = fc.run_case(case, tmp_path, db)
            except Hang:
                failures.append(f"{case.where}: ran over {CASE_TIMEOUT_S} s")
                break
            finally:
                signal.alarm(0)
            for kind in ("traceback", "partial", "lost"):
                if getattr(out, kind):
                    failures.append(f"{case.where}: {kind}: {getattr(out, kind)}")
            done += 1
    finally:
        signal.signal(signal.SIGALRM, previous)
    assert failures == [], "\n".join(failures[:10])
    assert done >= MIN_CASES


def test_the_corpus_is_the_same_bytes_on_every_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reproducible: a failure's seed and case give back its file, whatever the clock says (zip
    members and gzip headers stamp the time unless told not to: this once failed in CI)."""
    a = [fc.make_case(1, i).data for i in range(len(fc.FORMATS))]
    later = time.time() + 3 * 86400 + 7
    monkeypatch.setattr(time, "time", lambda: later)
    b = [fc.make_case(1, i).data for i in range(len(fc.FORMATS))]
    assert a == b
    assert {fc.make_case(1, i).fmt for i in range(len(fc.FORMATS))} == set(fc.FORMATS)


def test_a_traceback_is_caught_by_the_judge(tmp_path: Path) -> None:
    """The judge itself: an import that raises is counted as a traceback, not passed over."""
    db = tmp_path / "fuzz.duckdb"
    fc.reference_db(db)
    case = fc.Case(0, 0, "fit", "x.fit", b"", "empty")
    original = fc.cli
    try:
        import click

        @click.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
        def broken() -> None:
            raise ValueError("boom")

        fc.cli = broken
        out = fc.run_case(case, tmp_path, db)
    finally:
        fc.cli = original
    assert out.traceback is not None and "boom" in out.traceback


def test_our_bases_cover_every_format_and_import_cleanly(tmp_path: Path) -> None:
    """The seeds are files we write (tests/activity_files.py, a calendar); unmutated they import
    whole, so the mutations start from what a device or a coach writes, not from garbage."""
    db = tmp_path / "seeds.duckdb"
    fc.reference_db(db)
    folder = tmp_path / "seeds"
    folder.mkdir()
    ours = fc._our_bases()
    for fmt in ("fit", "gpx", "tcx", "ics"):
        assert any(name.endswith(f".{fmt}") for name, _ in ours), fmt
    for name, data in ours:
        (folder / name).write_bytes(data)
    calendar = folder / "plan.ics"
    activities = CliRunner().invoke(
        fc.cli, ["--db", str(db), "import", "--athlete", "Seeds", "--timezone", "UTC", str(folder)]
    )
    assert activities.exit_code == 0 and "Traceback" not in activities.output, activities.output
    plan = CliRunner().invoke(
        fc.cli,
        ["--db", str(db), "plan", "import", "--athlete", "Seeds", "--as-of", "2025-10-15", str(calendar)],
    )
    assert plan.exit_code == 0, plan.output
    with duckdb.connect(str(db), read_only=True) as con:
        stored = con.execute(
            "select count(*) from activities a join athletes t using (athlete_id) where t.name = 'Seeds'"
        ).fetchone()[0]
        planned = con.execute("select count(*) from planned_sessions").fetchone()[0]
    assert stored >= 8  # nine files, one session each; the clock-jump file may be two or one refused
    assert planned >= 10  # 8 easy runs (9 less the exception), the long run, the tempo, 8 gym sessions


def test_shared_real_files_join_the_bases_only_when_present() -> None:
    """../shared/formats' real files are bases when the folder is beside the checkout; without it
    the corpus is ours alone (never a failure), our mirrors of those files included."""
    names = {name for fmt in ("csv", "fit", "gpx", "tcx") for name, _ in fc.bases(fmt)}
    shared = {name for fmt in ("csv", "fit", "gpx", "tcx") for name, _ in fc._shared_bases(fmt)}
    assert shared <= names
    mirrors = {name for fmt in ("csv", "fit", "gpx", "tcx") for name, _ in fc._mirror_bases(fmt)}
    assert {"mirror-garmin_fr70_compressed-timestamps_noGPS.fit", "mirror-strava_2025_99cols.csv"} <= mirrors
    assert mirrors <= names
    if fc.SHARED_FORMATS is None:
        assert shared == set()
    else:
        assert "garmin_fr70_compressed-timestamps_noGPS.fit" in shared
        for fmt in ("csv", "fit", "gpx", "tcx"):
            assert all(len(data) <= fc.SHARED_MAX_BYTES[fmt] for _, data in fc._shared_bases(fmt))


@pytest.mark.parametrize(
    ("kind", "raised"), [("assertion", AssertionError), ("value_error_size", ValueError)]
)
def test_the_crash_mutations_still_break_the_decoders(kind: str, raised: type) -> None:
    """The regressions of tests/test_files_one_bad_file.py are only worth something if the decoders
    still raise on them: the SDK refuses a compressed-timestamp header, fitdecode raises."""
    import fitdecode
    from garmin_fit_sdk import Decoder, Stream

    data = fc.crash_fit(kind)
    _, errors = Decoder(Stream.from_byte_array(bytearray(data))).read()
    assert errors and "ompressed timestamp" in str(errors[0])
    with warnings.catch_warnings(), pytest.raises(raised) as exc:
        warnings.simplefilter("ignore")  # its notes on the odd fields it meets first
        for _ in fitdecode.FitReader(data, check_crc=fitdecode.CrcCheck.RAISE):
            pass
    if kind == "value_error_size":
        assert str(exc.value) == "size"
