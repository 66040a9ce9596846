"""Seeded mutations of real files, for every format crosstrain reads, and one import per mutation.

Shared by tests/test_fuzz_files.py (a bounded run in the suite) and bench/fuzz.py (10,000 and more).
Case `i` of seed `s` is the same bytes on every machine (random.Random(f"{s}:{i}")), so a failure is
reproduced with `bench/fuzz.py --seed s --start i --count 1`.

Bases: the real files in tests/fixtures/fuzz (tests/fixtures/README.md names their sources) and the
CSV fixtures; formats: CSV, FIT, GPX, TCX, ICS, zip (Strava and Garmin exports, plain archives) and
.gz. Mutations: bytes flipped, cut, repeated or deleted; FIT fields overwritten with the values that
broke decoders (-2^31, 0xFFFFFFFF) and the CRC repaired so the decoder reads on; XML numbers and times
replaced by inf, 1e308, year 0001/9999 with an offset, 2200; sessions repeated; CSV fields as in
tests/test_fuzz_imports.py; calendar properties replaced by hostile ones.

Each case imports the mutated file next to a good FIT file of its own (a folder for activity files,
two paths otherwise) into a database that holds a reference athlete, and judges the outcome: a
traceback, a partial write (an import left running, rows written for a file refused whole), a lost
row (the good file not stored, the reference athlete's rows changed).
"""

from __future__ import annotations

import gzip
import io
import random
import re
import shutil
import struct
import time
import traceback
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
from activity_files import fit_activity
from click.testing import CliRunner
from test_fuzz_imports import mutate_csv

from crosstrain.cli import cli

FIXTURES = Path(__file__).resolve().parent / "fixtures"
FORMATS = ("csv", "fit", "gpx", "tcx", "ics", "zip", "gz")
CSV_BASES = ("strava_activities.csv", "garmin_activities.csv", "generic_team.csv", "strava_2018.csv")
REFERENCE = "strava_activities.csv"  # imported first as athlete "Reference"; no case may change its rows
COMPANION_T0 = datetime(2019, 1, 1, 5, 0, tzinfo=UTC)  # case i's good file starts i * 2 h later

FIT_INTS = [0x80000000, 0x7FFFFFFF, 0xFFFFFFFF, 0, 1, 0xFFFF, 0x8000, 0x7FFF]
XML_NUMBERS = ["inf", "-inf", "nan", "1e308", "-1e308", "-2147483648", "0", "", "-0", "1e-320", "abc"]
XML_TIMES = [
    "9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+01:00", "2200-01-01T00:00:00Z", "1969-12-31T23:59:59Z",
    "2024-02-30T00:00:00Z", "not a time", "", "2024-01-01T00:00:00+25:00",
]  # fmt: skip
# Calendar lines that stay within what a calendar reader must finish quickly (bounded rules).
ICS_LINES = [
    "DTSTART:00010101T070000Z", "DTSTART:99991231T230000Z", "DTSTART;VALUE=DATE:20261", "DTSTART:",
    "DTEND:19000101T000000Z", "SUMMARY:" + "Run 10 km " * 50, "SUMMARY:Run 1e308 km", "SUMMARY:\x00",
    "DURATION:P9999999D", "DURATION:PT-5M", "RRULE:FREQ=WEEKLY;COUNT=3", "RRULE:FREQ=DAILY;COUNT=5",
    "RRULE:FREQ=WEEKLY;UNTIL=20270101T000000Z", "RRULE:garbage", "EXDATE:garbage", "RDATE:20261105T070000Z",
    "BEGIN:VEVENT", "END:VEVENT", "END:VCALENDAR", "TZID:Mars/Olympus",
    "DTSTART;TZID=Mars/Olympus:20261102T070000",
]  # fmt: skip
# Recurrences that exploded the calendar reader of issue 20 (item 2: refused within seconds there).
ICS_BOMBS = [
    "RRULE:FREQ=DAILY;INTERVAL=0", "RRULE:FREQ=SECONDLY", "RRULE:FREQ=MINUTELY",
    "RRULE:FREQ=DAILY;COUNT=1000000000",
    "RRULE:FREQ=DAILY;UNTIL=99991231T000000Z", "RRULE:FREQ=HOURLY;BYSECOND=" + ",".join(map(str, range(60))),
]  # fmt: skip


@dataclass
class Case:
    """One mutated file: its format, name and bytes."""

    seed: int
    index: int
    fmt: str
    name: str
    data: bytes
    how: str  # the mutations, for the failure message

    @property
    def where(self) -> str:
        return f"seed {self.seed} case {self.index} ({self.fmt}: {self.how})"


@dataclass
class Outcome:
    """What importing one case did."""

    exit_code: int
    seconds: float
    traceback: str | None = None
    partial: str | None = None
    lost: str | None = None


def bases(fmt: str) -> list[Path]:
    if fmt == "csv":
        return [FIXTURES / n for n in CSV_BASES]
    suffix = {"fit": ".fit", "gpx": ".gpx", "tcx": ".tcx", "ics": ".ics"}[fmt]
    return sorted(p for p in (FIXTURES / "fuzz").iterdir() if p.suffix.lower() == suffix)


def make_case(seed: int, index: int, bombs: bool = False) -> Case:
    """Case `index` of `seed`: the same bytes on every run."""
    rng = random.Random(f"{seed}:{index}")
    fmt = FORMATS[index % len(FORMATS)]
    if fmt == "zip":
        data, how = _zip(rng)
        return Case(seed, index, fmt, f"case{index}.zip", data, how)
    if fmt == "gz":
        inner = rng.choice(("fit", "gpx", "tcx"))
        raw, how = _mutated(inner, rng, bombs)
        data = gzip.compress(raw)
        if rng.random() < 0.3:
            data, more = _bytes(data, rng)
            how += f"; gz {more}"
        elif rng.random() < 0.1:
            data, how = gzip.compress(b"\0" * rng.choice((2, 40, 200)) * 1024 * 1024), "gz bomb"
        return Case(seed, index, fmt, f"case{index}.{inner}.gz", data, how)
    data, how = _mutated(fmt, rng, bombs)
    return Case(seed, index, fmt, f"case{index}.{fmt}", data, how)


def _mutated(fmt: str, rng: random.Random, bombs: bool = False) -> tuple[bytes, str]:
    base = rng.choice(bases(fmt))
    raw = base.read_bytes()
    if fmt == "csv":
        return mutate_csv(raw.decode("utf-8"), rng), f"{base.name} csv fields"
    if fmt == "fit":
        return _fit(raw, rng, base.name)
    if fmt in ("gpx", "tcx"):
        return _xml(raw, rng, base.name)
    return _ics(raw, rng, base.name, bombs)


def _bytes(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """Generic damage: flipped bytes, a cut, a repeated or deleted chunk."""
    out = bytearray(data)
    kind = rng.choice(("flip", "flip", "cut", "repeat", "delete"))
    if kind == "flip":
        for _ in range(rng.randint(1, 8)):
            out[rng.randrange(len(out))] = rng.randrange(256)
    elif kind == "cut":
        out = out[: rng.randrange(len(out))]
    elif kind == "repeat":
        a = rng.randrange(len(out))
        chunk = out[a : a + rng.randint(1, 400)]
        out[a:a] = chunk * rng.randint(1, 20)
    else:
        a = rng.randrange(len(out))
        del out[a : a + rng.randint(1, 400)]
    return bytes(out), kind


def _fit(raw: bytes, rng: random.Random, name: str) -> tuple[bytes, str]:
    out = bytearray(raw)
    hows = []
    for _ in range(rng.randint(1, 6)):
        roll = rng.random()
        if roll < 0.5:  # a field value overwritten with a sentinel
            at = rng.randrange(12, max(13, len(out) - 6))
            value = rng.choice(FIT_INTS)
            out[at : at + 4] = struct.pack("<I", value)
            hows.append(f"int {value:#x}@{at}")
        else:
            damaged, kind = _bytes(bytes(out), rng)
            out = bytearray(damaged)
            hows.append(kind)
    if rng.random() < 0.7 and len(out) > 14:  # repair sizes and CRCs so the decoder reads on
        out = bytearray(_fit_repair(bytes(out)))
        hows.append("crc repaired")
    return bytes(out), f"{name} " + ", ".join(hows)


def _fit_repair(data: bytes) -> bytes:
    from garmin_fit_sdk.crc_calculator import CrcCalculator

    header_size = data[0] if data[0] in (12, 14) else 14
    body = data[header_size:-2] if len(data) > header_size + 2 else b""
    header = bytearray(data[:header_size])
    header[4:8] = struct.pack("<I", len(body))
    if header_size == 14:
        header[12:14] = struct.pack("<H", CrcCalculator.calculate_crc(bytes(header), 0, 12))
    out = bytes(header) + body
    return out + struct.pack("<H", CrcCalculator.calculate_crc(out, 0, len(out)))


NUMBER = re.compile(rb"(?<=[>\"])-?\d+(\.\d+)?(?=[<\"])")
TIME = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?")


def _xml(raw: bytes, rng: random.Random, name: str) -> tuple[bytes, str]:
    out = raw
    hows = []
    for _ in range(rng.randint(1, 5)):
        roll = rng.random()
        if roll < 0.35:
            spots = list(NUMBER.finditer(out))
            if spots:
                m = rng.choice(spots)
                value = rng.choice(XML_NUMBERS).encode()
                out = out[: m.start()] + value + out[m.end() :]
                hows.append(f"number {value.decode()}")
        elif roll < 0.6:
            spots = list(TIME.finditer(out))
            if spots:
                value = rng.choice(XML_TIMES).encode()
                for m in reversed(rng.sample(spots, k=min(len(spots), rng.choice((1, 1, 3, len(spots)))))):
                    out = out[: m.start()] + value + out[m.end() :]
                hows.append(f"times {value.decode()}")
        elif roll < 0.7:  # a session repeated many times with one start time
            tag = b"Activity" if b"<Activity " in out else b"trk"
            a, b = out.find(b"<" + tag), out.find(b"</" + tag + b">")
            if a >= 0 and b > a:
                b += len(tag) + 3
                n = rng.choice((2, 30, 301))
                out = out[:a] + out[a:b] * n + out[b:]
                hows.append(f"{tag.decode()} x{n}")
        elif roll < 0.75:
            a = out.find(b"<name>")
            long = b"N" * rng.choice((300, 100_000))
            out = out[: a + 6] + long + out[a + 6 :] if a >= 0 else out
            hows.append("long name")
        else:
            out, kind = _bytes(out, rng)
            hows.append(kind)
    return out, f"{name} " + ", ".join(hows)


def _ics(raw: bytes, rng: random.Random, name: str, bombs: bool) -> tuple[bytes, str]:
    lines = raw.decode("utf-8", "replace").splitlines()
    hows = []
    for _ in range(rng.randint(1, 4)):
        roll = rng.random()
        pool = ICS_LINES + (ICS_BOMBS if bombs else [])
        if roll < 0.6:
            i = rng.randrange(len(lines))
            lines[i] = rng.choice(pool)
            hows.append(f"line {i}: {lines[i][:40]}")
        elif roll < 0.8:
            i = rng.randrange(len(lines))
            lines.insert(i, rng.choice(pool))
            hows.append(f"insert {lines[i][:40]}")
        else:
            data, kind = _bytes("\n".join(lines).encode(), rng)
            lines = data.decode("utf-8", "replace").splitlines() or [""]
            hows.append(kind)
    return ("\r\n".join(lines) + "\r\n").encode(), f"{name} " + ", ".join(hows)


def _zip(rng: random.Random) -> tuple[bytes, str]:
    """A Strava export, a Garmin export (nested upload zip) or a plain archive of mutated files."""
    kind = rng.choice(("strava", "garmin", "plain"))
    inner_fmt = rng.choice(("fit", "gpx", "tcx"))
    member, how = _mutated(inner_fmt, rng)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        if kind == "strava":
            csv_text = (FIXTURES / "strava_activities.csv").read_text(encoding="utf-8")
            header, first = csv_text.splitlines()[:2]
            cols = next(__import__("csv").reader([header]))
            row = next(__import__("csv").reader([first]))
            if "Filename" in cols:
                row[cols.index("Filename")] = f"activities/1.{inner_fmt}"
            line = ",".join(f'"{v}"' for v in row)
            data = f"{header}\n{line}\n".encode()
            if rng.random() < 0.4:
                data = mutate_csv(data.decode(), rng)
            z.writestr("activities.csv", data)
            z.writestr(f"activities/1.{inner_fmt}", member)
        elif kind == "garmin":
            nested = io.BytesIO()
            with zipfile.ZipFile(nested, "w") as n:
                n.writestr(f"upload_1.{inner_fmt}", member)
            z.writestr("DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip", nested.getvalue())
        else:
            z.writestr(f"a/1.{inner_fmt}", member)
    data = buf.getvalue()
    if rng.random() < 0.3:
        data, more = _bytes(data, rng)
        how += f"; zip {more}"
    return data, f"{kind} zip of {how}"


def companion(folder: Path, index: int) -> tuple[Path, datetime]:
    """A good FIT file of case `index`, with a start time no other case has."""
    start = COMPANION_T0 + timedelta(hours=2 * index)
    return fit_activity(folder / f"good{index}.fit", start, 120), start


def reference_db(db: Path) -> None:
    """A database holding the reference athlete."""
    out = CliRunner().invoke(
        cli, ["--db", str(db), "import", "--athlete", "Reference", str(FIXTURES / REFERENCE)]
    )
    assert out.exit_code in (0, 1) and "imported" in out.output, out.output


def snapshot(db: Path) -> tuple:
    """The reference athlete's rows (as a checksum) and the database's counts."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            """select (select count(*) from activities a join athletes t using (athlete_id)
                       where t.name = 'Reference'),
                      (select sum(hash(a.source_id, a.start_at, a.moving_s, a.distance_m, a.category))
                       from activities a join athletes t using (athlete_id) where t.name = 'Reference'),
                      (select count(*) from activities),
                      (select count(*) from imports where status = 'running'),
                      (select count(*) from planned_sessions)"""
        ).fetchone()
    finally:
        con.close()


def stored_at(db: Path, start: datetime) -> bool:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return bool(
            con.execute(
                "select count(*) from activities where source = 'fit' and start_at = ?",
                [start.replace(tzinfo=None)],
            ).fetchone()[0]
        )
    finally:
        con.close()


SUMMARY = re.compile(r": (\d+) (?:rows|activity files)")


def run_case(case: Case, work: Path, db: Path) -> Outcome:
    """Import `case` (with its good companion file) into `db`; judge what happened."""
    folder = work / f"case{case.index}"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    path = folder / case.name
    path.write_bytes(case.data)
    before = snapshot(db)
    good, start = None, None
    if case.fmt == "ics":
        args = ["plan", "import", "--athlete", "Reference", "--as-of", "2025-10-15", str(path)]
    else:
        other = folder if case.fmt in ("fit", "gpx", "tcx", "gz") else folder / "good"
        other.mkdir(exist_ok=True)
        good, start = companion(other, case.index)
        paths = [str(folder)] if other == folder else [str(path), str(good)]
        args = ["import", "--athlete", "Fuzz", "--timezone", "UTC", *paths]
    began = time.monotonic()
    result = CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=True)
    seconds = time.monotonic() - began
    out = Outcome(result.exit_code, seconds)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        exc = result.exception
        out.traceback = "".join(traceback.format_exception_only(type(exc), exc)).strip()[:300]
    elif "Traceback" in result.output or result.exit_code not in (0, 1):
        out.traceback = result.output.strip().splitlines()[-1][:300] if result.output.strip() else "exit code"
    after = snapshot(db)
    if after[3]:
        out.partial = "an import was left running"
    if after[:2] != before[:2]:
        out.lost = f"the reference athlete's rows changed: {before[:2]} -> {after[:2]}"
    elif start is not None and not stored_at(db, start):
        out.lost = "the good file next to it was not stored"
    if case.fmt == "csv" and not SUMMARY.search(result.stdout):
        written = after[2] - before[2] - (1 if start is not None and stored_at(db, start) else 0)
        if written and out.partial is None:
            out.partial = f"{written} rows written for a file refused whole"
    shutil.rmtree(folder, ignore_errors=True)
    return out
