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
    """Load the mapping into temp tables `category_map` (flagging name-decides types), `category_keywords`."""
    types = category_table(settings)
    con.execute("create or replace temp table _category_src (sport_type varchar, category varchar)")
    con.executemany("insert into _category_src values (?, ?)", list(types.items()))
    con.execute(
        f"""create or replace temp table category_map as
            with decides as (
                select distinct {type_key_sql("t.name")} as type_key
                from (select unnest(?::varchar[]) as name) t
            ),
            keyed as (
                select {type_key_sql("sport_type")} as type_key, category, rowid as rid from _category_src
                union all
                select type_key, 'other', -1 from decides
            )
            select type_key, last(category order by rid) as category,
                   type_key in (select type_key from decides) as name_decides
            from keyed group by type_key""",
        [list(NAME_DECIDES)],
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


def categorised(rows: str, staged: str) -> str:
    """SQL selecting every column of query `rows` (over table `staged`) plus its `category`.

    Types are looked up once per distinct sport type and keywords searched once per distinct name,
    not once per row: a million-row import has a few dozen of each.
    """
    return f"""
        with types as (
            select t.sport_type, coalesce(m.category, 'other') as category, coalesce(m.name_decides, false)
                   as name_decides
            from (select distinct sport_type from {staged}) t
            left join category_map m on m.type_key = {type_key_sql("t.sport_type")}
        ),
        names as (
            select n.name, arg_min(kw.category, kw.priority) as category
            from (select distinct s.name from {staged} s join types t on t.sport_type = s.sport_type
                  where t.name_decides) n
            join category_keywords kw on contains(lower(n.name), kw.keyword)
            group by n.name
        )
        select r.*, coalesce(case when t.name_decides then h.category end, t.category) as category
        from ({rows}) r
        join types t on t.sport_type = r.sport_type
        left join names h on h.name = r.name"""
