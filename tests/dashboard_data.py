"""Small, hand-made activity data for the dashboard tests, written through ingest.database.store."""

from __future__ import annotations

import datetime as dt
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import requests

from ingest.database import store
from ingest.database.db import connect

END = dt.date(2026, 11, 22)
XSS_NAME = "<script>window.__xss = 1</script>Hill reps"


def _row(
    athlete_id: int, day: dt.date, sport: str, minutes: float, km: float | None, name: str, n: int
) -> dict:
    start = dt.datetime.combine(day, dt.time(7, 0))
    return {
        "athlete_id": athlete_id,
        "source": "generic",
        "source_id": f"{athlete_id}-{n}",
        "strava_id": None,
        "start_at": start,
        "start_local": start,
        "has_time": True,
        "sport_type": sport,
        "name": name,
        "description": None,
        "moving_s": minutes * 60,
        "elapsed_s": minutes * 60,
        "distance_m": km * 1000 if km else None,
        "elevation_gain_m": None,
        "avg_hr": None,
        "max_hr": None,
        "rpe": 5.0,
        "relative_effort": None,
        "raw": None,
    }


def monotone(athlete_id: int, days: int = 70) -> list[dict]:
    """Runs 45 minutes / 9 km every day, nothing else."""
    return [_row(athlete_id, END - dt.timedelta(days=i), "Run", 45, 9.0, "Easy run", i) for i in range(days)]


def balanced(athlete_id: int, days: int = 70) -> list[dict]:
    """Runs four days a week, strength twice, Pilates once."""
    rows = []
    for i in range(days):
        day = END - dt.timedelta(days=i)
        wd = day.weekday()
        if wd in (0, 2, 4, 6):
            name = XSS_NAME if i == 2 else "Run"
            rows.append(_row(athlete_id, day, "Run", 50 + 5 * wd, 10.0 + wd, name, i))
        if wd in (1, 5):
            rows.append(_row(athlete_id, day, "WeightTraining", 40, None, "Hip strength: squats", 1000 + i))
        if wd == 3:
            rows.append(_row(athlete_id, day, "Pilates", 50, None, "Pilates", 2000 + i))
    return rows


ATHLETES = {"Mona Monotone (test)": monotone, "Bea Balanced (test)": balanced}


def build(path: Path, athletes: dict | None = None) -> Path:
    """A real DuckDB file holding the given athletes' activities."""
    with connect(path) as con:
        con.execute("begin transaction")
        for name, make in (ATHLETES if athletes is None else athletes).items():
            aid = store.ensure_athlete(con, name)
            frame = pd.DataFrame(make(aid), columns=list(store.STAGED_COLUMNS))
            con.register("_staged_df", frame)
            con.execute("create or replace temp table _staged as select * from _staged_df")
            con.unregister("_staged_df")
            store.write_activities(con, "_staged", None, {})
        con.execute("commit")
    return path


@dataclass
class Served:
    """A `crosstrain dashboard` process: its base URL, and its output once it has stopped."""

    base: str
    output: str = ""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def cli_dashboard(db: Path, *args: str, options: tuple[str, ...] = ()) -> Iterator[Served]:
    """`crosstrain --db DB OPTIONS dashboard --port P ARGS` in a process, once it answers HTTP."""
    port = free_port()
    crosstrain = str(Path(sys.executable).with_name("crosstrain"))
    proc = subprocess.Popen(
        [crosstrain, "--db", str(db), *options, "dashboard", "--port", str(port), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    served = Served(f"http://127.0.0.1:{port}")
    try:
        for _ in range(300):
            try:
                requests.get(served.base + "/", timeout=2)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        yield served
    finally:
        proc.terminate()
        served.output = proc.communicate(timeout=20)[0]
