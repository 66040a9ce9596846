"""What activity files add to the report: hip and glute sets, time in HR zones, intensity distribution.

Run after engine.prepare_sessions (these read q_session_load, q_athlete_history and q_scope).
"""

from __future__ import annotations

from datetime import date

from queries import engine

# FIT exercise categories that work the hips and glutes: squats, lunges and step-ups (FIT files step-ups
# under lunge), deadlifts, hip raises (bridges, hip thrusts), hip stability (clamshells, side-lying leg
# raises, monster walks) and kettlebell swings: the exercises of the hip programmes for runners in
# Fredericson 2000 and Willy & Davis 2011 (both rehabilitation studies of injured runners, not
# prevention trials; Willy & Davis found running mechanics unchanged).
HIP_CATEGORIES = ("squat", "lunge", "deadlift", "hip_raise", "hip_stability", "hip_swing")

# Heart-rate zones as fractions of HRmax, Seiler 2010 (table 1: zone 1 60-72%, 2 72-82%, 3 82-87%,
# 4 88-93%, 5 94-100%; the gaps between its whole-number bounds are closed upwards here, so 87.5% is
# zone 3), and the three-zone intensity each falls in (zone 1-2 low, 3 moderate, 4-5 high). Below 60%
# counts as zone 1.
HR_ZONES = (
    (1, 0.0, 0.72, "low"),
    (2, 0.72, 0.82, "low"),
    (3, 0.82, 0.88, "moderate"),
    (4, 0.88, 0.94, "high"),
    (5, 0.94, 10.0, "high"),
)
INTENSITIES = ("low", "moderate", "high")
# The intensity distribution is about endurance training (Seiler 2010): runs and cross-training; a
# strength session's heart rate says little about its intensity.
ENDURANCE = "('run', 'cross')"


def prepare(con: engine.Con) -> None:
    """q_hip_categories and q_hr_zones, the two tables of data the files' SQL joins (once a request)."""
    engine.once(con, "files.prepare", lambda: _prepare(con))


def _prepare(con: engine.Con) -> None:
    backend = engine.backend(con)
    backend.create_columns("q_hip_categories", {"category": ("varchar", list(HIP_CATEGORIES))})
    backend.create_columns(
        "q_hr_zones",
        {
            "zone": ("integer", [z[0] for z in HR_ZONES]),
            "low_pct": ("double", [z[1] for z in HR_ZONES]),
            "high_pct": ("double", [z[2] for z in HR_ZONES]),
            "intensity": ("varchar", [z[3] for z in HR_ZONES]),
        },
    )


def hip_sets(con: engine.Con, as_of: date) -> dict[int, int]:
    """Hip and glute sets in the 28 days to `as_of` by athlete id; athletes without set data left out."""
    prepare(con)
    # read, not kept: its one reader per request is here (a temp table and a read of it cost a report
    # ~0.7 ms more CPU than the one read)
    rows = engine.fetch(con, engine.sql("hip_sets"), {"as_of": as_of})
    return {r["athlete_id"]: r["hip_sets"] for r in rows}


def zones(con: engine.Con) -> None:
    """q_hr_zones_time: seconds per activity and zone for q_session_load's activities."""
    prepare(con)
    engine.ensure(con, "hr_zones", {})


def weekly_intensity(con: engine.Con) -> dict[tuple[int, date], dict[str, float]]:
    """Minutes of low, moderate and high intensity of runs and cross-training per athlete and ISO week
    (Monday), from q_hr_zones_time."""
    found: dict[tuple[int, date], dict[str, float]] = {}
    for r in engine.fetch(
        con,
        f"""select athlete_id, day, intensity, seconds from q_hr_zones_time
            where category in {ENDURANCE}""",
    ):
        key = (r["athlete_id"], engine.monday(r["day"]))
        found.setdefault(key, dict.fromkeys(INTENSITIES, 0.0))[r["intensity"]] += r["seconds"]
    # seconds added first, divided once: whole seconds add exactly in any row order, so the same
    # sessions give the same rounded minutes however they were imported (minutes do not)
    return {key: {k: v / 60.0 for k, v in by.items()} for key, by in found.items()}


def activity_fields(con: engine.Con) -> dict[int, dict]:
    """timezone, load_source, zones_s, structure and exercises of every activity of the q_scope
    athletes, by activity id: the fields `crosstrain activities list --json` adds from activity files.
    Reads the caller's q_session_load (its load_source), which must hold the activities asked about."""
    zones(con)
    rows = engine.fetch(con, engine.sql("activity_files_fields"))
    return {r.pop("activity_id"): r for r in rows}
