"""The fuzz corpus in the suite (issue 20 item 7): seeded mutations of the real fixtures of every format
(CSV, FIT, GPX, TCX, ICS, zip, gz), imported for real, in a bounded count and time.

Each case (tests/fuzz_corpus.py) is imported next to a good file of its own into a database holding a
reference athlete; none may print a traceback, leave a partial write, or lose a good row. The larger
run is bench/fuzz.py (--count 10000; README: Reliability). A failure names its seed and case:
`bench/fuzz.py --seed S --start I --count 1` plays it again.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import fuzz_corpus as fc
import pytest

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


def test_the_corpus_is_the_same_bytes_on_every_run() -> None:
    """Reproducible: a failure's seed and case give back its file."""
    a = [fc.make_case(1, i).data for i in range(len(fc.FORMATS))]
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
