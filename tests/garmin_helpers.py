"""Shared set-up for the Garmin tests and bench: athletes of FIT files on the fake server, the env."""

from __future__ import annotations

import os
import random
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from activity_files import fit_activity, fit_strength, strength_set
from conftest import SHARED_FORMATS, mirror
from garmin_server import FakeGarmin

from ingest.files.decode import decode
from ingest.files.sources import Item

SHARED_FILES = SHARED_FORMATS / "files"
REAL_FITS = (
    "garmin_vivoactivehr_2067489619.fit",
    "garmin_fr965_multisport_bike+strength_20744294788.fit",
    "garmin_fr965_multisport_strength+run+strength_20555050352.fit",
)
# crosstrain's sport names (ingest/files/fit.py) -> Garmin's typeKey
TYPE_KEYS = {"Run": "running", "Trail Run": "trail_running", "Treadmill": "treadmill_running",
             "Ride": "cycling", "Indoor Cycling": "indoor_cycling", "Strength Training": "strength_training",
             "Yoga": "yoga", "Pilates": "pilates", "Walk": "walking"}  # fmt: skip
NAMES = {"running": "Running", "strength_training": "Strength", "indoor_cycling": "Indoor Cycling",
         "multi_sport": "Multisport", "cycling": "Cycling"}  # fmt: skip


def garmin_env(server: FakeGarmin, db_path: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        GARMIN_API_URL=server.url,
        CROSSTRAIN_DB=str(db_path),
        CROSSTRAIN_RETRY_BASE_S="0.01",
        CROSSTRAIN_HTTP_TIMEOUT_S="3",
        COLUMNS="200",
    )
    env.update(extra)
    return env


def add_fit(server: FakeGarmin, key: str, fit: bytes, name: str | None = None) -> int:
    """An activity on the server whose summary says what the FIT file says (as Garmin's would)."""
    with tempfile.NamedTemporaryFile(suffix=".fit") as tmp:
        tmp.write(fit)
        tmp.flush()
        d = decode(Item(tmp.name, tmp.name))
    assert d.sessions, d.error or d.skipped
    first = d.sessions[0]
    zone = ZoneInfo(first.timezone or "UTC")
    start_local = first.start_at.replace(tzinfo=UTC).astimezone(zone).replace(tzinfo=None)
    type_key = TYPE_KEYS.get(first.sport, "other") if len(d.sessions) == 1 else "multi_sport"
    seconds = sum(s.facts.elapsed_s or s.facts.moving_s or 0 for s in d.sessions)
    distance = sum(s.facts.distance_m or 0 for s in d.sessions) or None
    return server.add_activity(
        key,
        fit=fit,
        start_utc=first.start_at,
        start_local=start_local,
        type_key=type_key,
        seconds=seconds,
        distance_m=distance,
        name=name or NAMES.get(type_key, type_key.replace("_", " ").title()),
        avg_hr=first.facts.avg_hr,
        max_hr=first.facts.max_hr,
        start_point=next(
            ((x.lat, x.lon) for x in d.sessions if x.lat is not None and x.lon is not None), None
        ),
    )


def generated_fits(count: int, first_day: datetime, seed: int, every_days: float = 1.0) -> list[bytes]:
    """`count` FIT files a watch could have written, one every `every_days`: runs with GPS and heart
    rate (steady, intervals), and strength sessions with squat and hip sets every third."""
    rnd = random.Random(seed)
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(count):
            start = first_day + timedelta(days=i * every_days, minutes=rnd.randint(0, 120))
            path = Path(tmp) / f"{i}.fit"
            if i % 3 == 2:
                sets = [
                    strength_set("squat", 0, 10, 60.0, start + timedelta(minutes=2 * k)) for k in range(3)
                ]
                sets.append(strength_set("hip_raise", 0, 12, 20.0, start + timedelta(minutes=8)))
                fit_strength(path, start, 900, hr=lambda j: 100 + j % 20, sets=sets)
            else:
                base = 2.6 + rnd.random()
                fast = i % 4 == 1
                fit_activity(
                    path,
                    start,
                    1200 + rnd.randint(0, 600),
                    hr=lambda j, b=base: 120 + int(30 * b) % 40 + j % 7,
                    speed=(lambda j, b=base: b + (1.5 if (j // 120) % 2 else 0.0))
                    if fast
                    else (lambda j, b=base: b),
                )
            out.append(path.read_bytes())
    return out


def real_fits() -> list[bytes]:
    """Our mirrors of the real Garmin FIT files of ../shared/formats/files (tests/mirror_files.py), and
    the real ones too when that folder is beside the checkout: per set, a run and two multisport files
    (bike + strength, strength + run + strength), so 3 files of 6 sessions."""
    return [
        path.read_bytes()
        for name in REAL_FITS
        for path in (mirror(f"files/{name}"), SHARED_FILES / name)
        if path.is_file()
    ]


def day0(days_ago: int) -> datetime:
    """A naive UTC start `days_ago` days before today, at 06:00."""
    today = datetime.now(UTC).replace(tzinfo=None, hour=6, minute=0, second=0, microsecond=0)
    return today - timedelta(days=days_ago)
