"""Property: whatever the activities (missing durations, zero distances, odd RPE or HR values), the
report is finite JSON with the SPEC's keys and its numbers stay in range."""

from __future__ import annotations

import json
import math
from datetime import date, datetime, timedelta
from pathlib import Path

from activity_rows import write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import queries
from ingest.database import plausibility
from ingest.database.db import connect

AS_OF = date(2026, 11, 22)

activity = st.fixed_dictionaries(
    {
        "days_before": st.integers(0, 120),
        "hour": st.integers(0, 23),
        "sport_type": st.sampled_from(
            ["Run", "Pilates", "WeightTraining", "Yoga", "Ride", "Kitesurf", "Workout"]
        ),
        # within the plausibility rules (database/plausibility.py), so every activity is stored; impossible
        # values are rejected before they are stored (tests/test_hardening_inputs.py)
        "minutes": st.one_of(st.none(), st.floats(0.5, 300)),
        "km": st.one_of(st.none(), st.floats(0, 60)),
        "rpe": st.one_of(st.none(), st.floats(0, 10)),
        "avg_hr": st.one_of(st.none(), st.floats(25, 230)),
        "max_hr": st.one_of(st.none(), st.floats(25, 230)),
    }
)


def finite(value) -> bool:
    if isinstance(value, dict):
        return all(finite(v) for v in value.values())
    if isinstance(value, list):
        return all(finite(v) for v in value)
    return not isinstance(value, float) or math.isfinite(value)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(activity, max_size=25))
def test_report_is_always_finite_and_in_range(tmp_path: Path, acts):
    db = tmp_path / f"p{abs(hash(str(acts)))}.duckdb"
    rows = []
    for a in acts:
        start = datetime.combine(AS_OF - timedelta(days=a["days_before"]), datetime.min.time())
        row = {"start_local": start.replace(hour=a["hour"]), "sport_type": a["sport_type"]}
        row |= {k: a[k] for k in ("minutes", "km", "rpe", "avg_hr", "max_hr") if a[k] is not None}
        if "km" in row and "minutes" in row:
            row["km"] = min(row["km"], row["minutes"] * 0.6)  # at most 36 km/h
        rows.append(row)
    write(db, "Ann", rows)
    with connect(db, read_only=True) as con:
        rep = queries.report(con, "Ann", AS_OF, {})
        out = queries.compare(con, AS_OF, {})
    json.dumps(rep, allow_nan=False)
    json.dumps(out, allow_nan=False)
    assert finite(rep) and finite(out)
    s = rep["summary"]
    assert 0 <= s["support_share"] <= 1 and 0 <= s["monotony"] <= 10
    assert s["acwr"] is None or s["acwr"] >= 0
    assert min(s["minutes"].values()) >= 0 and s["fitness"] >= 0 and s["fatigue"] >= 0
    # every session counts but the support sessions beyond plausible for their kind (stored excluded)
    [long_support] = plausibility.EXCLUSIONS
    beyond = long_support.hours * 60
    support = {"Pilates", "WeightTraining", "Yoga"}  # pilates, strength, mobility
    counted = [
        a
        for a in acts
        if a["days_before"] <= 27 and not (a["sport_type"] in support and (a["minutes"] or 0) > beyond)
    ]
    assert sum(s["sessions"].values()) == len(counted)
    assert out["athletes"][0]["risk"] == s["risk"]
