"""The bundled SYNTHETIC sample data set: four made-up athletes over the year ending 2026-11-22.

`python -m ingest.sample.synthetic` regenerates `synthetic_athletes.csv` (deterministic: fixed seed);
`load_sample` imports it through the normal import path. `crosstrain demo` loads it moved to end today
(every date shifted by the same number of days), so the athletes are active and every rolling window,
warning and number reads as it does on 2026-11-22 in the bundled file.

- Mona Monotone: runs only, the same easy 10 km almost every day, never strength work.
- Bea Balanced: varied runs (intervals, long runs, hills, sprints), two strength or Pilates sessions a
  week, some yoga.
- Jack Jumper: steady running, then his weekly volume jumps by more than 30% over the last two weeks.
- Tri Tom: swims, rides and runs, plus one strength session a week.

Load inputs vary on purpose: some rows carry an RPE, some an average heart rate, some neither.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

from ingest.exports.importer import FileResult, ImportOptions, import_paths

END = dt.date(2026, 11, 22)
DAYS = 365
SEED = 20261122
FILE_NAME = "synthetic_athletes.csv"
HEADER = ["date", "type", "duration", "distance_km", "rpe", "name", "athlete", "avg_hr", "max_hr"]
TIMEZONE = "Europe/London"

MONA = "Mona Monotone (synthetic)"
BEA = "Bea Balanced (synthetic)"
JACK = "Jack Jumper (synthetic)"
TOM = "Tri Tom (synthetic)"


def sample_path() -> Path:
    """Where the bundled sample CSV is."""
    return Path(str(resources.files("ingest.sample").joinpath(FILE_NAME)))


def _hms(seconds: float) -> str:
    s = round(seconds)
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"


class _Writer:
    """Collects rows; `load` picks RPE, heart rate or neither per row so every load path is used."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.rows: list[list[Any]] = []

    def add(
        self,
        athlete: str,
        day: dt.date,
        kind: str,
        minutes: float,
        name: str,
        km: float | None = None,
        rpe: int | None = None,
        hr: int | None = None,
        hour: int = 7,
        load: str = "mixed",
    ) -> None:
        rng = self.rng
        start = dt.datetime.combine(day, dt.time(hour, rng.randrange(0, 60, 5)))
        pick = rng.random() if load == "mixed" else {"rpe": 0.1, "hr": 0.5, "none": 0.9}[load]
        rpe_v = rpe if pick < 0.4 else None
        hr_v = hr if 0.4 <= pick < 0.8 else None
        duration = _hms(minutes * 60) if rng.random() < 0.5 else str(round(minutes * 60))
        self.rows.append(
            [
                start.isoformat(timespec="minutes"),
                kind,
                duration,
                f"{km:.2f}" if km else "",
                rpe_v or "",
                name,
                athlete,
                hr_v or "",
                (hr_v + rng.randint(12, 25)) if hr_v else "",
            ]
        )


def _mona(w: _Writer, days: list[dt.date]) -> None:
    for day in days:
        if w.rng.random() < 0.93:  # almost every day, always the same
            w.add(
                MONA,
                day,
                "Run",
                58 + w.rng.uniform(-2, 2),
                "Easy 10k",
                10 + w.rng.uniform(-0.1, 0.1),
                rpe=4,
                hr=146 + w.rng.randint(-3, 3),
                hour=6,
            )


def _bea(w: _Writer, days: list[dt.date]) -> None:
    rng = w.rng
    for day in days:
        wd = day.weekday()
        if wd == 1:
            reps = rng.choice([6, 8, 10])
            w.add(BEA, day, "Run", 55, f"Intervals {reps}x400m", 9.5, rpe=8, hr=158, hour=18)
        elif wd == 3:
            w.add(
                BEA,
                day,
                "Run",
                50,
                rng.choice(["Hill repeats", "Tempo run", "Sprints 8x100m + easy"]),
                9 + rng.uniform(-0.3, 0.3),
                rpe=7,
                hr=152,
                hour=18,
            )
        elif wd == 6:
            km = 18 + rng.uniform(-0.5, 0.5)
            w.add(BEA, day, "Run", km * 6.2, "Long run", km, rpe=6, hr=142, hour=8)
        elif wd == 4:
            w.add(BEA, day, "Run", 40, "Easy run + strides", 7, rpe=3, hr=135)
        if wd == 0:
            w.add(
                BEA,
                day,
                "WeightTraining",
                45,
                "Strength: squats, lunges, step-ups, RDLs",
                rpe=6,
                hr=110,
                hour=19,
            )
        elif wd == 3:
            w.add(BEA, day, "Pilates", 50, "Mat Pilates", rpe=5, hr=100, hour=7)
        elif wd == 5 and day.isocalendar().week % 2 == 0:
            w.add(BEA, day, "Yoga", 60, "Yoga flow", rpe=2, hr=90, hour=9)


def _jack(w: _Writer, days: list[dt.date]) -> None:
    rng = w.rng
    for day in days:
        weeks_left = (END - day).days // 7  # 0 = the last week
        factor = 1.0 if weeks_left >= 2 else (1.45 if weeks_left == 1 else 1.9)
        wd = day.weekday()
        if wd in (0, 2, 4) or (factor > 1 and wd in (1, 5)):
            km = rng.uniform(7, 9) * (1.3 if factor > 1 and wd == 4 else 1.0)
            w.add(JACK, day, "Run", km * 5.6, "Lunch run", km, rpe=5, hr=150, hour=12, load="mixed")
        elif wd == 6:
            km = rng.uniform(12, 15) * (factor if factor > 1 else 1.0)
            w.add(JACK, day, "Run", km * 6, "Sunday long run", km, rpe=6, hr=145, hour=9)
        if wd == 3 and weeks_left > 8 and rng.random() < 0.5:
            w.add(JACK, day, "Workout", 30, "Core and glutes", rpe=5, hour=19, load="none")


def _tom(w: _Writer, days: list[dt.date]) -> None:
    rng = w.rng
    for day in days:
        wd = day.weekday()  # Friday is his rest day
        if wd in (0, 3):
            km = rng.uniform(2.4, 2.8)
            w.add(TOM, day, "Swim", km * 22, "Pool swim", km, rpe=6, hr=130, hour=6)
        if wd in (1, 5):
            km = rng.uniform(60, 70) if wd == 5 else rng.uniform(28, 32)
            w.add(TOM, day, "Ride", km * 2.2, "Long ride" if wd == 5 else "Turbo session", km, rpe=5, hr=135)
        if wd in (2, 6):
            km = rng.uniform(13, 14) if wd == 6 else rng.uniform(8, 9)
            w.add(TOM, day, "Run", km * 5.5, "Brick run" if wd == 6 else "Steady run", km, rpe=5, hr=148)
        if wd == 2:
            w.add(TOM, day, "Strength Training", 60, "Gym: squats and deadlifts", rpe=6, hour=19, load="none")
        if wd == 0:
            w.add(TOM, day, "Yoga", 20, "Mobility after swim", rpe=2, hour=7, load="none")
    # a few date-only entries logged by hand
    for back in (40, 90, 200):
        w.rows.append(
            [(END - dt.timedelta(days=back)).isoformat(), "Yoga", "30:00", "", "", "Stretching", TOM, "", ""]
        )


def generate(path: Path | None = None) -> Path:
    """Write the sample CSV (deterministic) and return its path."""
    path = path or Path(__file__).parent / FILE_NAME
    rng = random.Random(SEED)
    days = [END - dt.timedelta(days=i) for i in range(DAYS - 1, -1, -1)]
    w = _Writer(rng)
    for make in (_mona, _bea, _jack, _tom):
        make(w, days)
    w.rows.sort(key=lambda r: (r[0], r[6]))
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(HEADER)
        out.writerows(w.rows)
    return path


def shifted(source: Path, target: Path, days: int) -> Path:
    """`source` with every date moved by `days` days (the sample's dates are ISO, first column)."""
    with (
        source.open(encoding="utf-8", newline="") as fh,
        target.open("w", encoding="utf-8", newline="") as out,
    ):
        rows = csv.reader(fh)
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(next(rows))
        for row in rows:
            day = dt.date.fromisoformat(row[0][:10]) + dt.timedelta(days=days)
            writer.writerow([day.isoformat() + row[0][10:], *row[1:]])
    return target


def load_sample(db_path: Path, settings: dict[str, Any], end: dt.date | None = None) -> FileResult:
    """Import the bundled synthetic athletes into `db_path` through the normal import path; with
    `end`, moved so that their last day is `end` (the demo: today)."""
    options = ImportOptions(timezone=TIMEZONE)
    if end is None or end == END:
        [result] = import_paths(db_path, [sample_path()], options, settings)
        return result
    with tempfile.TemporaryDirectory(prefix="crosstrain-sample-") as tmp:
        moved = shifted(sample_path(), Path(tmp) / FILE_NAME, (end - END).days)
        [result] = import_paths(db_path, [moved], options, settings)
    result.file = FILE_NAME
    return result


if __name__ == "__main__":
    print(generate())
