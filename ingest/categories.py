"""Sport type -> category: the default table, the user's overrides, and the SQL that applies them.

Types and names are matched by one normalisation (`key_sql`): lower case, accents stripped, and every
character that is not a letter or a digit dropped, so Strava's API names (`WeightTraining`), its
export names (`Weight Training`) and Garmin's (`Strength Training`) all find their row, and a class
named "M”A”Dabolic" finds the keyword "madabolic". Unknown types get `other` and are kept, never
rejected.
"""

from __future__ import annotations

import re
import unicodedata
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
            "Floor Climbing",  # Garmin Connect's type (aditioak/Calories-Predictor, held-out-4)
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
            "Rock Climb",  # Strava's export name (dennissmith0/Running_Performance)
            "Indoor Climbing",  # Garmin Connect's type (pelarson28/garmin_race_predictor, held-out-7)
            "Mountaineering",  # Garmin Connect's type (pelarson28/garmin_race_predictor, held-out-7)
            "Whitewater Kayaking/Rafting",  # Garmin Connect's type (suttondaniel/fitprogress, held-out-7)
            "Bouldering",
            "Soccer",
            "Football (Soccer)",  # Strava's export name (justinyan13/strava-wrap, held-out-7)
            "Tennis",
            "Badminton",
            "Padel",  # Garmin Connect's type (carbsi/garmin24)
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

# Types that say nothing about the session: Strava's "Workout", Garmin's "Gym & Fitness Equipment" (older
# exports: "Fitness Equipment"), "Other" and "Training", and the names the localized exports write for
# them when a language map (exports/formats/*_languages.py) has not turned them into English. Their name
# decides the category ("Workout: glutes and squats" is strength); a name that matches no keyword leaves
# the session in the catch-all category `other`, a support-work candidate: the report asks about it
# (unlabelled_sessions) and it scores as the athlete's gym sessions (queries/sql/session_intensity.sql).
# English names from real exports (Strava: AakashB-1996/Strava_Analysis, Bergolito/strava-atividades;
# Garmin: kostaskes/my-garmin-runs); the other languages are Strava's and Garmin Connect's wording as
# far as crosstrain knows it, not yet confirmed by a public export.
GENERIC_TYPES: tuple[str, ...] = (
    # English (Strava's API and export names, Garmin Connect's, Garmin's type keys)
    "Workout",
    "Other",
    "Training",
    "Gym & Fitness Equipment",
    "Fitness Equipment",
    "fitness_equipment",
    # de, fr, es, it, nl, pt: Strava's "Workout" and Garmin's "Other" / "Fitness Equipment"
    "Sonstige",
    "Sonstiges",
    "Fitnessgeräte",
    "Entraînement",
    "Autre",
    "Équipement de fitness",
    "Entrenamiento",
    "Otro",
    "Equipo de fitness",
    "Allenamento",
    "Altro",
    "Attrezzatura fitness",
    "Overig",
    "Anders",
    "Fitnessapparatuur",
    "Treino",
    "Outro",
    "Equipamento de fitness",
    # da, no, sv, fi, pl, cs
    "Træning",
    "Andet",
    "Fitnessudstyr",
    "Trening",
    "Annet",
    "Treningsutstyr",
    "Träning",
    "Annat",
    "Övrigt",
    "Gymutrustning",
    "Harjoitus",
    "Muu",
    "Kuntosalilaitteet",
    "Inne",
    "Sprzęt fitness",
    "Trénink",
    "Ostatní",
    "Jiné",
    "Fitness vybavení",
)
# Generic types whose activity name decides the category (the same list: one concept, two names kept
# for the callers that say what they mean).
NAME_DECIDES = GENERIC_TYPES

# Words in the name of a NAME_DECIDES activity, per category, in the languages Strava and Garmin Connect
# export. Matched as substrings after normalisation (key_sql: "step-up", "Step up" and "stepups" all
# contain "stepup"); the words of WHOLE_WORDS only as whole words of the name. User words
# (`[category_keywords]`) are tried first, then these, in this order; the first hit wins. Crosstrain's
# convention, from gym-class and workout names in real exports.
DEFAULT_KEYWORDS: dict[str, list[str]] = {
    "pilates": ["pilates", "reformer"],
    "strength": [
        # English
        "strength",
        "glute",
        "squat",
        "lift",
        "deadlift",
        "lunge",
        "step-up",
        "weights",
        "gym",
        "kettlebell",
        "hip thrust",
        "clamshell",
        "core",
        "crossfit",
        "bodypump",
        "plyometric",
        "abdomin",  # abdominal(es), abdominais
        "weight training",  # Strava Workout "Afternoon Weight Training": i-slusarczyk/strava-analysis
        "leg day",  # Garmin Gym & Fitness Equipment "Denver - Leg Day AMRAP": pelarson28 (held-out-7)
        "amrap",  # "as many rounds as possible": a circuit of strength exercises (the same name)
        # German, French, Spanish, Italian, Portuguese, Dutch, Nordic, Polish, Czech, Finnish
        "kraft",  # Krafttraining, Krafttrening
        "fitnessstudio",
        "musculation",
        "renforcement",
        "fuerza",
        "gimnasio",
        "pesas",
        "forza",
        "palestra",
        "pesi",
        "musculacao",  # "treino" alone is not here: it is Portuguese for the generic type itself
        "academia",
        "funcional",
        "kracht",
        "sportschool",
        "styrke",  # styrketræning, styrketrening
        "styrka",
        "silownia",
        "siłownia",
        "posilovna",
        "kuntosali",
        "voimaharjoittelu",
        "pliometri",  # pliometría, pliometria (es, it, pt): DanielAlejandroDuquePerez/running-coach
        "addominal",
        # body parts (whole words): Strava Workout "Recovery Upper and Lower Body": Dean-Sabroso/StraVisdis
        "upper body",
        "lower body",
    ],
    "mobility": [
        "yoga",
        "stretch",
        "mobility",
        "foam roll",
        "flexibility",
        "loosen",  # "Quick loosen up with ...": DanielAlejandroDuquePerez/running-coach
        "dehnen",
        "beweglichkeit",
        "etirement",
        "mobilite",
        "estiramiento",
        "movilidad",
        "allungamento",
        "mobilita",
        "alongamento",
        "mobilidade",
        "rekken",
        "udstrækning",
        "tøjning",
        "venyttely",
        "rozciaganie",
        "protahovani",
    ],
    "run": ["sprint", "strides"],
    # Sports and classes that are cross-training, not the gym work a support-work candidate may be
    # ("Efkarpia Football" logged as Garmin Other, "Beach volley" as Strava Workout: real exports).
    "cross": [
        "football",
        "soccer",
        "futebol",
        "futbol",
        "fussball",
        "fußball",
        "voetbal",
        "calcio",
        "volley",
        "basket",
        "tennis",
        "padel",
        "badminton",
        "squash",
        "pickleball",  # Strava Workouts "Afternoon Pickleball": MichaelDik/CoachAgent (held-out-4)
        # Strava Workouts "spikeball", "Spikeball + Ultimate", "savage creek golf", "Paddleboard":
        # justinyan13/strava-wrap (held-out-7)
        "spikeball",
        "roundnet",
        "frisbee",
        "golf",
        "paddle",
        "hockey",
        "rugby",
        "handball",
        "dance",
        "ballet",
        "zumba",
        "climb",
        "boulder",
        "swim",
        "bike",
        "cycling",
        "spinning",
        "walk",  # Garmin Other "Phoenix Walk": jordankbartos/weight_loss
        "triathlon",  # Garmin other "1/8 e triathlon", "Lopen-zwemmen-lopen": GerjanM/DDP-wk4 (held-out-5)
        "triatlon",
        "zwem",  # zwemmen (nl)
        "ski",  # whole word: Garmin Other "Ligonier Ski", "Plum Ski": kendall-lucas25/Garmin_Project
    ],
}

# Words of DEFAULT_KEYWORDS matched only as whole words (the name's letters and digits between
# separators, accents dropped): "ski" is inside "whiskey" and Polish place names ("Gdański"), and a
# phrase like "lower body" should not match across words that merely touch ("flowerbody").
WHOLE_WORDS: frozenset[str] = frozenset({"ski", "upper body", "lower body"})


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


def keyword_table(settings: dict[str, Any]) -> list[tuple[str, str]]:
    """(category, word) pairs in matching order: the user's `[category_keywords]` words first, then
    the defaults. User words ADD to the defaults; a word written `"-word"` drops that default word
    (or a user word) from its category."""
    user = settings.get("category_keywords", {})
    if not isinstance(user, dict):
        raise ConfigError("[category_keywords]: expected a table of category = [words]")
    _validated({k: k for k in user}, "[category_keywords]")
    added: list[tuple[str, str]] = []
    dropped: set[tuple[str, str]] = set()
    for category, words in user.items():
        if isinstance(words, str) or not isinstance(words, list):
            raise ConfigError(f"[category_keywords]: '{category}' must be a list of words")
        for word in words:
            if not isinstance(word, str) or not word.strip("- "):
                raise ConfigError(f"[category_keywords]: '{category}' has an empty or non-text word")
            if word.startswith("-"):
                dropped.add((category, lookup_key(word[1:])))
            else:
                added.append((category, word))
    defaults = [(c, w) for c, words in DEFAULT_KEYWORDS.items() for w in words]
    return [(c, w) for c, w in added + defaults if (c, lookup_key(w)) not in dropped]


def lookup_key(word: str) -> str:
    """key_sql in Python: a type or word as its lookup key (a `"-word"` against the words it drops, a
    plan's sport type against the category table)."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    return "".join(ch for ch in decomposed if ch.isalnum() and not unicodedata.combining(ch))


def key_sql(column: str) -> str:
    """SQL normalising a type or name to its lookup key: lower case, no accents, letters and digits."""
    return f"regexp_replace(lower(strip_accents(coalesce({column}, ''))), '[^\\p{{L}}\\p{{N}}]', '', 'g')"


def words_sql(column: str) -> str:
    """SQL of a name's words for whole-word matching: lower case, no accents, each run of other
    characters one space, a space before and after (" upper and lower body ")."""
    return (
        f"' ' || trim(regexp_replace(lower(strip_accents(coalesce({column}, ''))), "
        f"'[^\\p{{L}}\\p{{N}}]+', ' ', 'g')) || ' '"
    )


def register(con: duckdb.DuckDBPyConnection, settings: dict[str, Any]) -> None:
    """Load the mapping into temp tables `category_map` (flagging name-decides types), `category_keywords`."""
    types = category_table(settings)
    # One statement for the whole table, `rid` its order (executemany ran one insert per type: ~15 ms of
    # every write, a third of this function).
    con.execute(
        """create or replace temp table _category_src as
           select unnest(?::varchar[]) as sport_type, unnest(?::varchar[]) as category,
                  unnest(range(?)) as rid""",
        [list(types), list(types.values()), len(types)],
    )
    con.execute(
        f"""create or replace temp table category_map as
            with decides as (
                select distinct {key_sql("t.name")} as type_key
                from (select unnest(?::varchar[]) as name) t
            ),
            keyed as (
                select {key_sql("sport_type")} as type_key, category, rid from _category_src
                union all
                select type_key, 'other', -1 from decides
            )
            select type_key, last(category order by rid) as category,
                   type_key in (select type_key from decides) as name_decides
            from keyed group by type_key""",
        [list(NAME_DECIDES)],
    )
    pairs = keyword_table(settings)
    con.execute(
        f"""create or replace temp table category_keywords as
            select category, {key_sql("word")} as keyword, priority,
                   case when {key_sql("word")} in (select unnest(?::varchar[])) then {words_sql("word")}
                   end as whole_word
            from (select unnest(?::varchar[]) as category, unnest(?::varchar[]) as word,
                         unnest(range(?)) as priority)
            where {key_sql("word")} <> ''""",
        [[lookup_key(w) for w in WHOLE_WORDS], [c for c, _ in pairs], [w for _, w in pairs], len(pairs)],
    )
    # Whether a name key holds any keyword, in one pass of one regular expression: most names hold none
    # ("Session 17"), and trying each of a hundred keywords on each of 100,000 names cost 0.13 s.
    words = sorted(r[0] for r in con.execute("select distinct keyword from category_keywords").fetchall())
    pattern = "|".join(re.escape(w) for w in words).replace("'", "''")
    test = f"regexp_matches(x, '{pattern}')" if words else "false"
    con.execute(f"create or replace temp macro ct_has_keyword(x) as {test}")


def categorised(rows: str, staged: str) -> str:
    """SQL selecting every column of query `rows` (over table `staged`) plus its `category`.

    Types are looked up once per distinct sport type and names normalised once per distinct name,
    not once per row: a million-row import has a few dozen types.
    """
    return f"""
        with types as (
            select t.sport_type, coalesce(m.category, 'other') as category, coalesce(m.name_decides, false)
                   as name_decides
            from (select distinct sport_type from {staged}) t
            left join category_map m on m.type_key = {key_sql("t.sport_type")}
        ),
        names as (
            select n.name, arg_min(kw.category, kw.priority) as category
            from (select * from (select name, {key_sql("name")} as name_key
                                 from (select distinct s.name from {staged} s
                                       join types t on t.sport_type = s.sport_type where t.name_decides))
                  where ct_has_keyword(name_key)) n
            join category_keywords kw
              on case when kw.whole_word is null then contains(n.name_key, kw.keyword)
                      else contains({words_sql("n.name")}, kw.whole_word) end
            group by n.name
        )
        select r.*, coalesce(case when t.name_decides then h.category end, t.category) as category
        from ({rows}) r
        join types t on t.sport_type = r.sport_type
        left join names h on h.name = r.name"""
