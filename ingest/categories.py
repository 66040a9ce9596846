"""Sport type -> category: the default table, the user's overrides, and the SQL that applies them.

Types are matched after lower-casing and dropping everything but letters and digits, so Strava's API
names (`WeightTraining`), its export names (`Weight Training`) and Garmin's (`Strength Training`) all
find their row. Unknown types get `other` and are kept, never rejected.
"""

from __future__ import annotations

from typing import Any

import duckdb

from ingest.errors import ConfigError

CATEGORIES = ("run", "strength", "pilates", "mobility", "cross", "other")

DEFAULT_CATEGORIES: dict[str, str] = {
    # run
    **dict.fromkeys(
        [
            "Run",
            "Trail Run",
            "Virtual Run",
            "Treadmill",
            "Running",
            "Trail Running",
            "Treadmill Running",
            "Indoor Running",
            "Track Running",
            "Street Running",
            "Ultra Run",
            "Virtual Running",
            "Obstacle Run",
        ],
        "run",
    ),
    # strength
    **dict.fromkeys(["Weight Training", "Strength Training", "Crossfit", "Strength"], "strength"),
    # pilates
    "Pilates": "pilates",
    # mobility
    **dict.fromkeys(["Yoga", "Stretching", "Mobility", "Flexibility"], "mobility"),
    # cross-training
    **dict.fromkeys(
        [
            "Ride",
            "Virtual Ride",
            "E-Bike Ride",
            "Mountain Bike Ride",
            "Gravel Ride",
            "E-Mountain Bike Ride",
            "Velomobile",
            "Handcycle",
            "Cycling",
            "Road Cycling",
            "Indoor Cycling",
            "Mountain Biking",
            "Gravel Cycling",
            "Virtual Cycling",
            "Swim",
            "Swimming",
            "Pool Swim",
            "Pool Swimming",
            "Lap Swimming",
            "Open Water Swimming",
            "Rowing",
            "Virtual Row",
            "Indoor Rowing",
            "Elliptical",
            "Stair Stepper",
            "Stair Climbing",
            "Alpine Ski",
            "Backcountry Ski",
            "Nordic Ski",
            "Roller Ski",
            "Resort Skiing",
            "Resort Skiing/Snowboarding",
            "Backcountry Skiing",
            "Cross Country Classic Skiing",
            "Cross Country Skate Skiing",
            "Snowboard",
            "Snowshoe",
            "Ice Skate",
            "Inline Skate",
            "Skateboard",
            "Hike",
            "Hiking",
            "Walk",
            "Walking",
            "Canoeing",
            "Canoe",
            "Sail",
            "Sailing",
            "Kayaking",
            "Surfing",
            "Kitesurf",
            "Windsurf",
            "Stand Up Paddling",
            "Rock Climbing",
            "Bouldering",
            "Soccer",
            "Tennis",
            "Badminton",
            "Pickleball",
            "Racquetball",
            "Squash",
            "Table Tennis",
            "HIIT",
            "High Intensity Interval Training",
            "Cardio",
            "Wheelchair",
            "Golf",
            "Multisport",
            "Triathlon",
            "Cross",
        ],
        "cross",
    ),
    "Other": "other",
}

# Generic types whose activity name decides the category ("Workout: glutes and squats" is strength).
NAME_DECIDES = ("Workout", "Other", "Training")

# Words in the name of a NAME_DECIDES activity, checked in this order; first hit wins.
DEFAULT_KEYWORDS: dict[str, list[str]] = {
    "pilates": ["pilates", "reformer"],
    "strength": [
        "strength",
        "glute",
        "squat",
        "lift",
        "deadlift",
        "lunge",
        "step-up",
        "step up",
        "weights",
        "gym",
        "kettlebell",
        "hip thrust",
        "clamshell",
        "core",
    ],
    "mobility": ["yoga", "stretch", "mobility", "foam roll"],
    "run": ["sprint", "strides"],
}


def _validated(mapping: dict[str, Any], where: str) -> dict[str, str]:
    for key, value in mapping.items():
        if value not in CATEGORIES:
            raise ConfigError(
                f"{where}: '{key}' maps to '{value}', which is not one of {', '.join(CATEGORIES)}"
            )
    return {str(k): str(v) for k, v in mapping.items()}


def category_table(settings: dict[str, Any]) -> dict[str, str]:
    """The default type table with the settings file's `[categories]` laid over it."""
    return (
        DEFAULT_CATEGORIES
        | {c: c for c in CATEGORIES}
        | _validated(settings.get("categories", {}), "[categories]")
    )


def keyword_table(settings: dict[str, Any]) -> dict[str, list[str]]:
    """Name keywords per category, `[category_keywords]` replacing a category's default list."""
    user = settings.get("category_keywords", {})
    _validated({k: k for k in user}, "[category_keywords]")
    return DEFAULT_KEYWORDS | {k: [str(w) for w in v] for k, v in user.items()}


def type_key_sql(column: str) -> str:
    """SQL normalising a sport type column to its lookup key."""
    return f"lower(regexp_replace(coalesce({column}, ''), '[^A-Za-z0-9]', '', 'g'))"


def register(con: duckdb.DuckDBPyConnection, settings: dict[str, Any]) -> None:
    """Load the mapping into temp tables `category_map` and `category_keywords`."""
    types = category_table(settings)
    con.execute("create or replace temp table _category_src (sport_type varchar, category varchar)")
    con.executemany("insert into _category_src values (?, ?)", list(types.items()))
    con.execute(
        f"""create or replace temp table category_map as
            select {type_key_sql("sport_type")} as type_key, last(category order by rowid) as category
            from (select rowid, * from _category_src) group by all"""
    )
    rows = [
        (category, word.lower(), rank * 100 + i)
        for rank, (category, words) in enumerate(keyword_table(settings).items())
        for i, word in enumerate(words)
    ]
    con.execute(
        "create or replace temp table category_keywords (category varchar, keyword varchar, priority int)"
    )
    con.executemany("insert into category_keywords values (?, ?, ?)", rows)
    con.execute(
        "create or replace temp table name_decides as select unnest(?) as type_key",
        [[t.lower() for t in NAME_DECIDES]],
    )


def apply(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """Set `category` on every row of `table` (columns sport_type, name, category) from the registered map."""
    con.execute(
        f"""update {table} t set category = coalesce(m.category, 'other')
            from (select {type_key_sql("sport_type")} as type_key, rowid as rid from {table}) k
            left join category_map m using (type_key)
            where t.rowid = k.rid"""
    )
    con.execute(
        f"""update {table} t set category = hit.category
            from (
                select t2.rowid as rid, arg_min(kw.category, kw.priority) as category
                from {table} t2
                join category_keywords kw on contains(lower(coalesce(t2.name, '')), kw.keyword)
                where {type_key_sql("t2.sport_type")} in (select type_key from name_decides)
                group by t2.rowid
            ) hit
            where t.rowid = hit.rid"""
    )
