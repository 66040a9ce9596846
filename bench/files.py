"""Benchmark: `crosstrain import` of a Strava export zip with 1,000 activity files against bare decoding.

Builds bench/.data/strava_export_files.zip from the real files in ../shared/formats/files: activities.csv
with 1,000 rows, each linked to `activities/<n>.<fit|gpx|tcx>.gz`, the real files repeated with their
times shifted (GPX/TCX text, single-session FIT files re-encoded with Garmin's SDK; the multisport and
compressed-timestamp FIT files as they are). Imports the zip with the real CLI in a subprocess (wall time,
CPU time of the subprocess and its workers, peak RSS of the largest process), then decodes the same
1,000 files in this process, one after the other, with the chosen parsers (bare decode: bytes to
messages or XML tree, nothing else). Targets: import <= 1.5x the bare decode, both cores used, peak
memory < 1 GB. Also times each candidate parser on the real files (--parsers).

    .venv/bin/python bench/files.py [--files N] [--repeat N] [--parsers]
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import gzip
import io
import os
import re
import resource
import shutil
import subprocess
import sys
import time
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lxml import etree  # noqa: E402

from ingest.files import fit, xml  # noqa: E402

DATA = ROOT / "bench" / ".data"
REAL = ROOT.parent / "shared" / "formats" / "files"
if not REAL.exists():  # a worktree beside the checkout's shared/ folder
    REAL = ROOT.parents[1] / "shared" / "formats" / "files"
SOURCES = (
    ("garmin_vivoactivehr_2067489619.fit", "Run"),
    ("garmin_connect_2067489619.gpx", "Run"),
    ("strava_export_run.gpx", "Run"),
    ("suunto_spartan_ultra_run.tcx", "Run"),
    ("garmin_fr70_compressed-timestamps_noGPS.fit", "Run"),
    ("suunto_movescount_mixed-extensions.gpx", "Run"),
    ("garmin_fr965_multisport_strength+run+strength_20555050352.fit", "Weight Training"),
    ("runkeeper_negative-time-step-at-start.gpx", "Ride"),
)
FIT_EPOCH_S = 631065600
TIME_FIELDS = ("timestamp", "start_time", "time_created", "local_timestamp")
XML_TIME = re.compile(rb"(<time>|<Time>|StartTime=\"|<Id>)(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)")


def shifted_fit(data: bytes, shift_s: int) -> bytes:
    """A single-session FIT file with every time moved by `shift_s`, re-encoded with Garmin's SDK."""
    from garmin_fit_sdk import Decoder, Encoder, Stream

    encoder = Encoder()

    def listener(num: int, mesg: dict) -> None:
        m = {k: v for k, v in mesg.items() if isinstance(k, str)}
        for k in TIME_FIELDS:
            if isinstance(m.get(k), int | float):
                m[k] += shift_s
        with contextlib.suppress(ValueError, KeyError, TypeError):  # messages missing from the profile
            encoder.on_mesg(num, m)

    Decoder(Stream.from_byte_array(bytearray(data))).read(
        convert_datetimes_to_dates=False,
        convert_types_to_strings=False,
        expand_components=False,
        expand_sub_fields=False,
        merge_heart_rates=False,
        mesg_listener=listener,
    )
    return encoder.close()


def shifted_xml(data: bytes, shift_s: int) -> bytes:
    def move(m: re.Match) -> bytes:
        t = datetime.fromisoformat(m.group(2).decode()) + timedelta(seconds=shift_s)
        return m.group(1) + t.strftime("%Y-%m-%dT%H:%M:%S").encode()

    return XML_TIME.sub(move, data)


def build(path: Path, n: int) -> list[tuple[str, bytes]]:
    """The export zip with `n` activities; returns the (kind, bytes) of its files, un-gzipped."""
    originals = [((REAL / name).read_bytes(), name, sport) for name, sport in SOURCES]
    files: list[tuple[str, bytes]] = []
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(
        [
            "Activity ID",
            "Activity Date",
            "Activity Name",
            "Activity Type",
            "Elapsed Time",
            "Distance",
            "Filename",
            "Moving Time",
        ]
    )
    base = datetime(2024, 1, 1, 6, 0, tzinfo=UTC)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        for i in range(n):
            data, name, sport = originals[i % len(originals)]
            kind = name.rsplit(".", 1)[1]
            shift = (i // len(originals)) * 86400  # each round of the real files a day later
            if kind == "fit" and "multisport" not in name and "compressed" not in name:
                data = shifted_fit(data, shift)
            elif kind != "fit":
                data = shifted_xml(data, shift)
            files.append((kind, data))
            member = f"activities/{i + 1}.{kind}.gz"
            z.writestr(member, gzip.compress(data, compresslevel=6))
            start = base + timedelta(days=i // len(originals), hours=i % len(originals))
            w.writerow(
                [
                    20_000_000 + i,
                    start.strftime("%b %-d, %Y, %-I:%M:%S %p"),
                    f"Activity {i}",
                    sport,
                    3000,
                    "10.0",
                    member,
                    2900,
                ]
            )
        z.writestr("activities.csv", out.getvalue())
        z.writestr("profile.csv", "Athlete ID,Email Address,First Name,Last Name\n1,a@b.c,Bench,Runner\n")
    return files


def bare_decode(files: list[tuple[str, bytes]]) -> tuple[float, float]:
    """Wall and CPU seconds to decode every file with the chosen parser, one after the other, nothing else."""
    t0, c0 = time.perf_counter(), time.process_time()
    for kind, data in files:
        if kind == "fit":
            fit.decode(data, "bench")  # garmin-fit-sdk's messages (fitdecode for compressed timestamps)
        else:
            etree.fromstring(data.lstrip(), xml.PARSER)  # lxml's tree
    return time.perf_counter() - t0, time.process_time() - c0


def parsers() -> None:
    """Each candidate parser on each real file: best of 3, ms."""
    import fitdecode
    from garmin_fit_sdk import Decoder, Stream

    def sdk(data: bytes) -> None:
        _, errors = Decoder(Stream.from_byte_array(bytearray(data))).read()
        if errors:
            raise RuntimeError(str(errors[0])[:60])

    def fd(data: bytes) -> None:
        with fitdecode.FitReader(data) as r:
            for _ in r:
                pass

    candidates = {
        "fit": {"garmin-fit-sdk": sdk, "fitdecode": fd},
        "gpx": {"lxml": xml.gpx},
        "tcx": {"lxml": xml.tcx},
    }
    try:
        import gpxpy

        candidates["gpx"]["gpxpy"] = lambda data: gpxpy.parse(data.decode("utf-8").lstrip())
    except ImportError:
        pass
    print("parser times per file, best of 3 (ms):")
    for path in sorted(REAL.iterdir()):
        kind = path.suffix[1:]
        data = path.read_bytes()
        cells = []
        for name, fn in candidates.get(kind, {}).items():
            best = None
            try:
                for _ in range(3):
                    t0 = time.perf_counter()
                    fn(data)
                    best = min(best or 1e9, time.perf_counter() - t0)
                cells.append(f"{name} {best * 1000:7.1f}")
            except Exception as exc:  # noqa: BLE001 - a parser refusing a file is a finding
                cells.append(f"{name} refuses ({str(exc)[:50]})")
        print(f"  {path.name[:52]:52s} {' | '.join(cells)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=2, help="runs of each; the best counts")
    parser.add_argument("--parsers", action="store_true", help="also time each candidate parser")
    args = parser.parse_args()
    if not REAL.exists():
        sys.exit(f"real files not found at {REAL}")
    if args.parsers:
        parsers()
    DATA.mkdir(exist_ok=True)
    archive = DATA / "strava_export_files.zip"
    t0 = time.perf_counter()
    files = build(archive, args.files)
    print(
        f"built {archive.name}: {args.files} files, {archive.stat().st_size / 1e6:.0f} MB "
        f"in {time.perf_counter() - t0:.1f} s"
    )
    exe = shutil.which("crosstrain", path=str(Path(sys.executable).parent)) or "crosstrain"
    db = DATA / "files.duckdb"
    imports, cpus, bares, bare_cpus = [], [], [], []
    for _ in range(args.repeat):  # best of N: the machine is shared, so single runs are noisy
        db.unlink(missing_ok=True)
        Path(f"{db}.wal").unlink(missing_ok=True)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        proc = subprocess.run([exe, "--db", str(db), "import", str(archive)], capture_output=True, text=True)
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if proc.returncode != 0:
            sys.exit(f"import failed: {proc.stderr.strip()[:500]}")
        imports.append(wall)
        cpus.append((after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime))
        wall, cpu = bare_decode(files)
        bares.append(wall)
        bare_cpus.append(cpu)
    print(proc.stdout.strip())
    best = min(range(len(imports)), key=lambda i: imports[i])
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    bare = min(bares)
    runs = ", ".join(f"{t:.2f}" for t in imports)
    print(f"runs: import {runs} s; bare decode {', '.join(f'{t:.2f}' for t in bares)} s")
    print(f"bare decode, one process:     {bare:6.2f} s  {args.files / bare:6.0f} files/s")
    print(f"crosstrain import:            {imports[best]:6.2f} s  {args.files / imports[best]:6.0f} files/s")
    print(f"ratio import / bare decode:   {imports[best] / bare:6.2f}x (target <= 1.5x)")
    print(
        f"CPU seconds: import {cpus[best]:.1f} (all processes), bare decode {min(bare_cpus):.1f}: "
        f"{cpus[best] / min(bare_cpus):.2f}x"
    )
    print(
        f"CPU time / wall time:         {cpus[best] / imports[best]:6.2f} "
        f"({os.cpu_count()} cores; >1 = more than one busy)"
    )
    print(f"peak RSS, largest process:    {peak_mb:6.0f} MB (target < 1024 MB)")
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        hr_rows, acts = con.execute(
            "select count(*), count(distinct activity_id) from activity_hr_seconds"
        ).fetchone()
        blocks = con.execute("select used_blocks * block_size from pragma_database_size()").fetchone()[0]
    print(f"HR samples kept:    {hr_rows:,} rows for {acts} activities; database {blocks / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
