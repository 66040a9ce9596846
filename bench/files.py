"""Benchmark: `crosstrain import` of activity files against the bare fast decode of the same files.

Two workloads, each imported with the real CLI in a subprocess (wall time, CPU seconds of the process
and its workers, peak RSS of the largest process) and decoded bare in this process, one file after the
other (fitfast for FIT, lxml for GPX/TCX: bytes to messages or tree, nothing else):

- a folder of real files: ../shared/formats/files, plus the folders named in CROSSTRAIN_REAL_FIT
  (os.pathsep-separated; real files kept outside the repo);
- a Strava export zip of 1,000 activities, bench/.data/strava_export_files.zip: activities.csv with
  1,000 rows, each linked to `activities/<n>.<fit|gpx|tcx>.gz`, the real files of SOURCES repeated with
  their times shifted (GPX/TCX text, single-session FIT files re-encoded with Garmin's SDK; the
  multisport and compressed-timestamp FIT files as they are).

Each import also runs with the code of a baseline commit (--baseline, default the merge-base with
main: the code before this branch), unpacked by `git archive` into bench/.data/baseline-<sha>, so
the figures of both codes come from the same run. Targets (issue 22): import <= 3x the bare fast
decode, both cores used, peak memory < 1 GB. --parsers also times each candidate parser per real file;
--phases prints when each phase of the folder's import ends (workers forked, database open, files
decoded, sessions written, session values stored, database closed, Python's exit), both codes.

    .venv/bin/python bench/files.py [--files N] [--repeat N] [--baseline REF|none] [--parsers]
                                    [--folder-only] [--phases]
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

from ingest.files import xml  # noqa: E402

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


def bare_decode(files: list[tuple[str, bytes]]) -> dict[str, tuple[float, float]]:
    """Wall and CPU seconds per kind ("fit", "xml") to decode every file bare, one after the other:
    fitfast's messages for FIT (its refusal, for a file it can't read), lxml's tree for GPX/TCX."""
    import fitfast

    spent = {"fit": [0.0, 0.0], "xml": [0.0, 0.0]}
    for kind, data in files:
        t0, c0 = time.perf_counter(), time.process_time()
        if kind == "fit":
            with contextlib.suppress(Exception):  # a file fitfast refuses: its refusal is its decode
                fitfast.parse(data)
        else:
            etree.fromstring(data.lstrip(), xml.PARSER)
        cell = spent["fit" if kind == "fit" else "xml"]
        cell[0] += time.perf_counter() - t0
        cell[1] += time.process_time() - c0
    return {k: (v[0], v[1]) for k, v in spent.items()}


def real_files() -> list[Path]:
    """The real activity files: ../shared/formats/files and the CROSSTRAIN_REAL_FIT folders."""
    folders = [REAL] + [Path(p) for p in os.environ.get("CROSSTRAIN_REAL_FIT", "").split(os.pathsep) if p]
    return sorted(
        p for f in folders if f.is_dir() for p in f.iterdir() if p.suffix.lower() in (".fit", ".gpx", ".tcx")
    )


def baseline_code(ref: str) -> Path | None:
    """The code of commit `ref` unpacked under bench/.data (git archive), or None without git."""
    if ref == "none":
        return None
    if ref == "merge-base":
        found = subprocess.run(
            ["git", "merge-base", "HEAD", "main"], cwd=ROOT, capture_output=True, text=True
        )
        ref = found.stdout.strip()
    found = subprocess.run(["git", "rev-parse", "--short", ref], cwd=ROOT, capture_output=True, text=True)
    if found.returncode != 0 or not ref:
        print(f"baseline {ref!r}: not a commit here; no baseline")
        return None
    folder = DATA / f"baseline-{found.stdout.strip()}"
    if not (folder / "crosstrain").is_dir():
        folder.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "archive", ref], cwd=ROOT, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


# Our packages, which a timed command imports.
PACKAGES = ("crosstrain", "ingest", "queries", "dashboard")


def byte_compiled(codes: list[Path]) -> None:
    """Each code's modules compiled to .pyc before any timed run, as Python does on a user's first run
    and pip on install: a machine with PYTHONDONTWRITEBYTECODE set (this one) would otherwise compile
    every module from source in every timed command (~50 ms of the folder's import), for both codes."""
    for code in codes:
        subprocess.run(
            [sys.executable, "-m", "compileall", "-q", *PACKAGES], cwd=code, check=True, capture_output=True
        )
    print(f"modules byte-compiled first, as a user's Python has them ({len(codes)} codes)")


# The command as a user runs it, and a note on stderr of the import's own CPU seconds when it made its
# first pool of decode workers: what ran alone, on one core, before any file was decoded.
CLI = """
import atexit, sys, time
import concurrent.futures as cf
made = []
first_pool = cf.ProcessPoolExecutor.__init__
def pool(self, *a, **k):
    if not made:
        made.append(time.process_time())
    first_pool(self, *a, **k)
cf.ProcessPoolExecutor.__init__ = pool
atexit.register(lambda: made and print(f"bench: workers started at {made[0]:.4f} s CPU", file=sys.stderr))
from crosstrain.cli import main  # the console script's entry: the process's end as a user's
main()
"""
FORKED = re.compile(r"^bench: workers started at ([0-9.]+) s CPU$", re.M)


def _import_process(code: Path, db: Path, script: str, args: list[str]) -> subprocess.CompletedProcess:
    """`crosstrain import ARGS` run by `script` (CLI or PHASED) with `code` into a new database `db`."""
    db.unlink(missing_ok=True)
    Path(f"{db}.wal").unlink(missing_ok=True)
    return subprocess.run(
        [sys.executable, "-c", script, "--db", str(db), "import", *args],
        capture_output=True,
        text=True,
        cwd=code,
        env={**os.environ, "PYTHONPATH": str(code)},
    )


def run_import(code: Path, db: Path, args: list[str]) -> tuple[float, float, str, float | None]:
    """Wall and CPU seconds (this subprocess and its workers) of `crosstrain import` with `code`, its
    output, and its own CPU seconds when its decode workers started (None: it started none)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = _import_process(code, db, CLI, args)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):  # 1: some files refused, which real folders have
        sys.exit(f"import failed ({code.name}): {proc.stderr.strip()[:500]}")
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    forked = FORKED.search(proc.stderr)
    return wall, cpu, proc.stdout.strip(), float(forked.group(1)) if forked else None


# The same command with a mark (the wall clock, time.time()) at each phase's end, on stderr: wrappers
# around functions both this code and the baseline have, put in place as their modules load (an import
# hook: importing them here first would load DuckDB before the workers fork).
PHASED = """
import atexit, builtins, sys, time
import concurrent.futures as cf
marks = []
def mark(what):
    marks.append((what, time.time()))
def after(fn, what):
    def wrapped(*a, **k):
        try:
            return fn(*a, **k)
        finally:
            mark(what)
    return wrapped
first_pool = cf.ProcessPoolExecutor.__init__
def pool(self, *a, **k):
    if not any(w == "workers forked" for w, _ in marks):
        mark("workers forked")
    first_pool(self, *a, **k)
cf.ProcessPoolExecutor.__init__ = pool
done = set()
real_import = builtins.__import__
def hooked(name, *a, **k):
    module = real_import(name, *a, **k)
    loaded = sys.modules
    if name == "ingest.files.importer" and "importer" not in done:  # the outer import: module complete
        done.add("importer")
        im = loaded["ingest.files.importer"]
        opened = im.import_connection
        from contextlib import contextmanager
        @contextmanager
        def connection(*a, **k):
            with opened(*a, **k) as con:
                mark("database open")
                yield con
            mark("database closed")
        im.import_connection = connection
        im._write_batch = after(im._write_batch, "sessions written")
        wk = loaded["ingest.files.workers"]
        wk.Decoding.result = after(wk.Decoding.result, "files decoded")
    if name == "queries.session_values" and "values" not in done:
        done.add("values")
        qs = loaded["queries.session_values"]
        qs.refresh = after(qs.refresh, "session values stored")
    return module
builtins.__import__ = hooked
atexit.register(lambda: print("bench-marks " + repr(marks + [("atexit", time.time())]), file=sys.stderr))
from crosstrain.cli import main
main()
"""
PHASES = (
    "workers forked", "database open", "files decoded", "sessions written", "session values stored",
    "database closed", "atexit", "process ended",
)  # fmt: skip


def phases(code: Path, db: Path, args: list[str]) -> dict[str, float]:
    """Seconds from the start of `crosstrain import` (with `code`) to the end of each phase (PHASES;
    the last mark of each kind), from one run."""
    import ast

    t0 = time.time()
    proc = _import_process(code, db, PHASED, args)
    ended = time.time()
    line = next(x for x in proc.stderr.splitlines() if x.startswith("bench-marks "))
    found = {what: at - t0 for what, at in ast.literal_eval(line[len("bench-marks ") :])}
    return found | {"process ended": ended - t0}


def phase_table(title: str, args: list[str], base: Path | None, repeat: int) -> None:
    """Each phase's end (median of `repeat` runs, the codes in turns) and its length, both codes."""
    import statistics

    codes = {"this code": ROOT} | ({f"baseline {base.name[9:]}": base} if base else {})
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in codes}
    for _ in range(repeat):
        for name, code in codes.items():
            runs[name].append(phases(code, DATA / "files.duckdb", args))
    print(f"\n== {title}: where the wall time goes (median of {repeat}, in turns; load {_load()})")
    print(f"   {'phase ends at (s)':34s}" + "".join(f"{name:>22s}" for name in codes))
    for what in PHASES:
        cells = []
        for name in codes:
            got = [r[what] for r in runs[name] if what in r]
            cells.append(f"{statistics.median(got):10.3f}" if got else f"{'-':>10s}")
        print(f"   {what:34s}" + "".join(f"{c:>22s}" for c in cells))


def compare(
    title: str, files: list[tuple[str, bytes]], args: list[str], base: Path | None, repeat: int
) -> None:
    """One workload: bare decode, this code's import and the baseline's, best of `repeat` each."""
    codes = {"this code": ROOT} | ({f"baseline {base.name[9:]}": base} if base else {})
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in codes}
    starts: dict[str, list[float]] = {name: [] for name in codes}
    bares: list[dict[str, tuple[float, float]]] = []
    out = ""
    for _ in range(repeat):  # best of N: the machine is shared, so single runs are noisy
        for name, code in codes.items():
            wall, cpu, text, forked = run_import(code, DATA / "files.duckdb", args)
            runs[name].append((wall, cpu))
            starts[name] += [forked] if forked is not None else []
            out = out or text
        bares.append(bare_decode(files))
    fits = sum(kind == "fit" for kind, _ in files)
    print(f"\n== {title}: {len(files)} files ({fits} FIT, {len(files) - fits} GPX/TCX); load {_load()}")
    print("   " + out.splitlines()[-1][:150] if out else "")
    fit_w, fit_c = min(b["fit"][0] for b in bares), min(b["fit"][1] for b in bares)
    xml_w, xml_c = min(b["xml"][0] for b in bares), min(b["xml"][1] for b in bares)
    bare_w, bare_c = fit_w + xml_w, fit_c + xml_c
    print(f"   bare fitfast decode (FIT):    {fit_w:7.2f} s wall {fit_c:7.2f} s CPU")
    print(f"   bare lxml parse (GPX/TCX):    {xml_w:7.2f} s wall {xml_c:7.2f} s CPU")
    print(f"   bare fast decode, all:        {bare_w:7.2f} s wall {bare_c:7.2f} s CPU")
    for name, measured in runs.items():
        wall, cpu = min(measured)
        print(
            f"   import, {name:21s} {wall:7.2f} s wall {cpu:7.2f} s CPU: {wall / bare_w:5.2f}x bare wall, "
            f"{cpu / bare_c:5.2f}x bare CPU; CPU/wall {cpu / wall:4.2f} (target <= 3x)"
        )
    for name, forked in starts.items():
        if forked:
            print(f"   {name}: the import's own CPU when its decode workers started: {min(forked):.2f} s")


def _load() -> str:
    return ", ".join(f"{x:.1f}" for x in os.getloadavg()) + f" on {os.cpu_count()} cores"


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

    import fitfast

    candidates = {
        "fit": {"fitfast": fitfast.parse, "garmin-fit-sdk": sdk, "fitdecode": fd},
        "gpx": {"lxml": xml.gpx},
        "tcx": {"lxml": xml.tcx},
    }
    try:
        import gpxpy

        candidates["gpx"]["gpxpy"] = lambda data: gpxpy.parse(data.decode("utf-8").lstrip())
    except ImportError:
        pass
    print("parser times per file, best of 3 (ms):")
    for path in real_files():
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
    parser.add_argument("--baseline", default="merge-base", help="commit to compare with, or none")
    parser.add_argument("--parsers", action="store_true", help="also time each candidate parser")
    parser.add_argument("--folder-only", action="store_true", help="the folder of real files, not the zip")
    parser.add_argument(
        "--phases", action="store_true", help="also when each phase of the folder's import ends"
    )
    args = parser.parse_args()
    if not REAL.exists():
        sys.exit(f"real files not found at {REAL}")
    if args.parsers:
        parsers()
    DATA.mkdir(exist_ok=True)
    base = baseline_code(args.baseline)
    byte_compiled([ROOT, *([base] if base else [])])
    found = real_files()
    folder = DATA / "real_files"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    for p in found:
        shutil.copy(p, folder / f"{p.parent.name}_{p.name}")
    real = [(p.suffix.lower()[1:], p.read_bytes()) for p in found]
    compare("folder of real files", real, ["--athlete", "Bench", str(folder)], base, args.repeat)
    if args.phases:
        phase_table("folder of real files", ["--athlete", "Bench", str(folder)], base, max(args.repeat, 3))
    if args.folder_only:
        return
    archive = DATA / "strava_export_files.zip"
    t0 = time.perf_counter()
    files = build(archive, args.files)
    print(
        f"\nbuilt {archive.name}: {args.files} files, {archive.stat().st_size / 1e6:.0f} MB "
        f"in {time.perf_counter() - t0:.1f} s"
    )
    compare(f"Strava export zip of {args.files} files", files, [str(archive)], base, args.repeat)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"\npeak RSS, largest import process: {peak_mb:.0f} MB (target < 1024 MB)")
    import duckdb

    with duckdb.connect(str(DATA / "files.duckdb"), read_only=True) as con:
        hr_rows, acts = con.execute(
            "select count(*), count(distinct activity_id) from activity_hr_seconds"
        ).fetchone()
    print(f"HR samples kept (last import): {hr_rows:,} rows for {acts} activities")


if __name__ == "__main__":
    main()
