"""Seeded mutations of real files, for every format crosstrain reads, and one import per mutation.

Shared by tests/test_fuzz_files.py (a bounded run in the suite) and bench/fuzz.py (10,000 and more).
Case `i` of seed `s` is the same bytes on every machine (random.Random(f"{s}:{i}")), so a failure is
reproduced with `bench/fuzz.py --seed s --start i --count 1`.

Bases (`bases`): files we write ourselves, generated at run time (FIT through Garmin's SDK encoder and
by hand with compressed timestamps, GPX, TCX, a training calendar with recurring, all-day and timed
events), the CSV fixtures, and our mirrors of ../shared/formats' real files (tests/fixtures/mirrors/);
plus, when ../shared/formats is beside the checkout (CI), its real export files up to SHARED_MAX_BYTES
(without it those bases are simply not used, so a case's bytes also depend on whether the folder is
there). Formats: CSV, FIT, GPX, TCX, ICS, zip (Strava and Garmin
exports, plain archives) and .gz. Mutations: bytes flipped, cut, repeated or deleted; FIT fields
overwritten with the values that broke decoders (-2^31, 0xFFFFFFFF) and the CRC repaired so the
decoder reads on; XML numbers and times replaced by inf, 1e308, year 0001/9999 with an offset, 2200;
sessions repeated; CSV fields as in tests/test_fuzz_imports.py; calendar properties replaced by hostile ones.

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
import tempfile
import time
import traceback
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

import duckdb
from activity_files import fit_activity, fit_compressed, fit_strength, gpx, gpx_track, stop_and_go, tcx
from click.testing import CliRunner
from test_fuzz_imports import mutate_csv

from crosstrain.cli import cli

FIXTURES = Path(__file__).resolve().parent / "fixtures"
MIRRORS = FIXTURES / "mirrors"  # ours, in the shape of ../shared/formats' real files (mirror_files.py)
FORMATS = ("csv", "fit", "gpx", "tcx", "ics", "zip", "gz")
CSV_BASES = ("strava_activities.csv", "garmin_activities.csv", "generic_team.csv", "strava_2018.csv")
REFERENCE = "strava_activities.csv"  # imported first as athlete "Reference"; no case may change its rows
SHARED_FORMATS = next(
    (
        d / "shared" / "formats"
        for d in Path(__file__).resolve().parents
        if (d / "shared" / "formats").is_dir()
    ),
    None,
)  # ../shared/formats beside the checkout (CI) or beside a parent of this worktree; None without it
# Larger real files are left out: the session-repeating mutation writes a file 301 times over.
SHARED_MAX_BYTES = {"fit": 160_000, "gpx": 80_000, "tcx": 80_000, "csv": 100_000}
BASE_T0 = datetime(2025, 11, 3, 6, 30, tzinfo=UTC)  # our bases' sessions; the calendar's week too
CRASH_T0 = datetime(2026, 10, 1, 7, 0, tzinfo=UTC)  # the base of crash_fit's mutations
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


def bases(fmt: str) -> list[tuple[str, bytes]]:
    """The files mutated for `fmt`: (name, bytes), ours first (built, fixtures, mirrors of the real
    files), then ../shared's when present."""
    ours = [(n, d) for n, d in _our_bases() if n.endswith(f".{fmt}")]
    if fmt == "csv":
        ours = [(n, (FIXTURES / n).read_bytes()) for n in CSV_BASES]
    return ours + _mirror_bases(fmt) + _shared_bases(fmt)


@cache
def _our_bases() -> tuple[tuple[str, bytes], ...]:
    """Activity files and a calendar written by the tests' own builders (tests/activity_files.py)."""
    t0 = BASE_T0
    with tempfile.TemporaryDirectory(prefix="crosstrain-fuzz-bases-") as tmp:
        d = Path(tmp)
        paths = [
            fit_activity(
                d / "run.fit", t0, 300, hr=lambda i: 120 + i % 40, altitude=lambda i: 30 + i / 10, rpe=6
            ),
            fit_activity(d / "hr_apart_no_session.fit", t0, 120, hr_apart=True, session=False),
            fit_activity(d / "clock_jump.fit", t0, 120, clock_jump_at=60),
            fit_strength(d / "strength.fit", t0, 180),
            fit_compressed(d / "compressed_timestamps.fit", t0, 90),
            gpx(d / "run.gpx", t0, 120, hr=lambda i: None if i % 7 == 0 else 150),
            gpx_track(d / "stop_and_go.gpx", t0, stop_and_go(3), jitter_m=4.0),
            tcx(d / "run.tcx", t0, 120),
            tcx(d / "offset_no_laps.tcx", t0, 90, offset=timedelta(hours=-5), laps=False),
        ]
        files = [(p.name, p.read_bytes()) for p in paths]
    return (*files, ("plan.ics", _calendar(t0).encode()))


def _calendar(t0: datetime) -> str:
    """A week of training as a coach's calendar writes it: a zone, timed and all-day events, a
    weekly recurrence with an exception, a rest day, durations in the summary or the event's length."""
    day = t0.strftime("%Y%m%d")
    events = [
        ["UID:run@crosstrain", f"DTSTART;TZID=Europe/Vienna:{day}T070000",
         f"DTEND;TZID=Europe/Vienna:{day}T074500", "SUMMARY:Easy run",
         "RRULE:FREQ=WEEKLY;BYDAY=MO,WE,FR;COUNT=9", f"EXDATE;TZID=Europe/Vienna:{day}T070000"],
        ["UID:long@crosstrain", f"DTSTART;VALUE=DATE:{(t0 + timedelta(days=6)).strftime('%Y%m%d')}",
         "SUMMARY:Long run 18 km 1h45", r"DESCRIPTION:Steady\, the last 3 km at marathon pace"],
        ["UID:gym@crosstrain", f"DTSTART:{(t0 + timedelta(days=1)).strftime('%Y%m%d')}T170000Z",
         "DURATION:PT45M", "SUMMARY:Hip strength", "RRULE:FREQ=WEEKLY;UNTIL=20251231T000000Z"],
        ["UID:tempo@crosstrain", f"DTSTART:{(t0 + timedelta(days=3)).strftime('%Y%m%d')}T063000",
         "SUMMARY:Tempo 6 x 1000 m", "DESCRIPTION:60 min with warm-up"],
        ["UID:rest@crosstrain", f"DTSTART;VALUE=DATE:{(t0 + timedelta(days=4)).strftime('%Y%m%d')}",
         "SUMMARY:Rest day"],
    ]  # fmt: skip
    zone = [
        "BEGIN:VTIMEZONE", "TZID:Europe/Vienna", "BEGIN:STANDARD", "DTSTART:19701025T030000",
        "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
        "END:STANDARD", "BEGIN:DAYLIGHT", "DTSTART:19700329T020000", "TZOFFSETFROM:+0100",
        "TZOFFSETTO:+0200", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "END:DAYLIGHT", "END:VTIMEZONE",
    ]  # fmt: skip
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//crosstrain tests//EN", *zone]
    for e in events:
        lines += ["BEGIN:VEVENT", "DTSTAMP:20251020T120000Z", *e, "END:VEVENT"]
    return "\r\n".join([*lines, "END:VCALENDAR"]) + "\r\n"


def _shared_bases(fmt: str) -> list[tuple[str, bytes]]:
    """../shared/formats' real files of `fmt` (CSV exports, files/ for the rest); none without it."""
    return [] if SHARED_FORMATS is None else _formats_folder(SHARED_FORMATS, fmt)


def _mirror_bases(fmt: str) -> list[tuple[str, bytes]]:
    """Our mirrors of those real files (tests/fixtures/mirrors/, in every clone), named "mirror-..."
    (they have the real files' names)."""
    return [(f"mirror-{name}", data) for name, data in _formats_folder(MIRRORS, fmt)]


def _formats_folder(root: Path, fmt: str) -> list[tuple[str, bytes]]:
    """The files of `fmt` laid out as ../shared/formats is (CSVs at the top, files/ for the rest),
    up to SHARED_MAX_BYTES."""
    if fmt not in SHARED_MAX_BYTES:
        return []
    folder = root if fmt == "csv" else root / "files"
    found = sorted(p for p in folder.glob("*") if p.suffix.lower() == f".{fmt}")
    return [(p.name, p.read_bytes()) for p in found if p.stat().st_size <= SHARED_MAX_BYTES[fmt]]


def crash_fit(kind: str) -> bytes:
    """A mutation of our own FIT file on which fitdecode raised before issue 20 (the SDK refuses it
    for a compressed-timestamp header, so ingest hands it to fitdecode): "assertion" raises
    AssertionError, "value_error_size" `ValueError: size`. Mutation seeds found by search."""
    seed = {"assertion": 149, "value_error_size": 24}[kind]
    with tempfile.TemporaryDirectory(prefix="crosstrain-fuzz-crash-") as tmp:
        base = fit_activity(Path(tmp) / "run.fit", CRASH_T0, 120).read_bytes()
    return _fit(base, random.Random(f"crash:{seed}"), "run.fit")[0]


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
        data = gzip.compress(raw, mtime=0)
        if rng.random() < 0.3:
            data, more = _bytes(data, rng)
            how += f"; gz {more}"
        elif rng.random() < 0.1:
            data, how = gzip.compress(b"\0" * rng.choice((2, 40, 200)) * 1024 * 1024, mtime=0), "gz bomb"
        return Case(seed, index, fmt, f"case{index}.{inner}.gz", data, how)
    data, how = _mutated(fmt, rng, bombs)
    return Case(seed, index, fmt, f"case{index}.{fmt}", data, how)


def _mutated(fmt: str, rng: random.Random, bombs: bool = False) -> tuple[bytes, str]:
    name, raw = rng.choice(bases(fmt))
    if fmt == "csv":
        return mutate_csv(raw.decode("utf-8", "replace"), rng), f"{name} csv fields"
    if fmt == "fit":
        return _fit(raw, rng, name)
    if fmt in ("gpx", "tcx"):
        return _xml(raw, rng, name)
    return _ics(raw, rng, name, bombs)


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
                chosen = rng.sample(spots, k=min(len(spots), rng.choice((1, 1, 3, len(spots)))))
                out = _replaced(out, sorted(chosen, key=lambda m: m.start()), value)
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


def _replaced(data: bytes, matches: list[re.Match[bytes]], value: bytes) -> bytes:
    """`data` with each of `matches` (in order, not overlapping) replaced by `value`, in one pass (a
    file repeated 301 times holds hundreds of thousands of times)."""
    parts, at = [], 0
    for m in matches:
        parts += [data[at : m.start()], value]
        at = m.end()
    return b"".join([*parts, data[at:]])


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


def _store(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    """A member dated 1980-01-01: `writestr` with a bare name stamps the current time, so two runs
    straddling a two-second tick made different bytes (the corpus must not depend on the clock)."""
    archive.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data, archive.compression)


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
            _store(z, "activities.csv", data)
            _store(z, f"activities/1.{inner_fmt}", member)
        elif kind == "garmin":
            nested = io.BytesIO()
            with zipfile.ZipFile(nested, "w") as n:
                _store(n, f"upload_1.{inner_fmt}", member)
            _store(z, "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip", nested.getvalue())
        else:
            _store(z, f"a/1.{inner_fmt}", member)
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
