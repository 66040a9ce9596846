"""The report JSON's keys as ../shared/SPEC.md fixes them, written out here, not imported from the code."""

CATEGORIES = ["run", "strength", "pilates", "mobility", "cross", "other"]
REPORT_KEYS = ["athlete", "as_of", "summary", "weeks", "warnings", "thresholds"]
SUMMARY_KEYS = [
    "window_days",
    "minutes",
    "sessions",
    "run_km",
    "support_share",
    "strength_sessions_per_week",
    "days_since_support",
    "monotony",
    "strain",
    "acwr",
    "fitness",
    "fatigue",
    "form",
    "hip_sets",
    "last_activity",
    "active",
    "risk",
]
