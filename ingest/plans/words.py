"""What a planned session's words say: kind, intensity, structure, duration, distance, RPE, or a skip.

A plan names its sessions the way coaches and plan generators write them: "Bike 60min", "3 m run",
"LR 16 mi", "10K", "Tempo 5 x 1 km", "45'", "Strength + 5K easy run", "Endurance Z2 (2 h)", in the
import languages (en, de, fr, es, it, pt, nl, da, no, sv, fi, pl, cs; and Chinese plan words, CHINESE).
`read` reads the summary first and the description only for what the summary doesn't say (descriptions
carry notes and pace tables).
The user's own codes ("RB" for an easy run) are words of the settings' `[plan_keywords]`, replaced by
their meaning before reading. Rest days, reminders, phase blocks and meetings are `skip` reasons.

Intensity words give a default RPE (crosstrain's convention, on Foster's CR-10 scale as session RPE
uses it: recovery 2, easy 3, strides 3, long 4, steady 5, tempo 7, threshold 7, intervals 8, hills 8,
race 9); an RPE written in the event ("RPE 6") wins.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from ingest.errors import ConfigError
from ingest.exports.formats.common import METRES_PER

# crosstrain's convention: the session RPE an intensity word stands for (CR-10 scale).
INTENSITY_RPE = {
    "recovery": 2.0,
    "easy": 3.0,
    "strides": 3.0,
    "long": 4.0,
    "steady": 5.0,
    "tempo": 7.0,
    "threshold": 7.0,
    "intervals": 8.0,
    "hills": 8.0,
    "race": 9.0,
}
INTENSITIES = tuple(INTENSITY_RPE)
# The structure (activity_files.structure's words) each intensity gives a run.
STRUCTURE = {
    "recovery": "steady",
    "easy": "steady",
    "long": "steady",
    "steady": "steady",
    "tempo": "steady",
    "threshold": "steady",
    "race": "steady",
    "intervals": "intervals",
    "hills": "hills",
    "strides": "strides",
}

# Kind words -> the sport type the category rules know (ingest/categories.py). Matched as whole words
# after accents are dropped; a longer phrase wins over a shorter one.
# fmt: off
KINDS: dict[str, tuple[str, ...]] = {
    "Run": (
        "run", "runs", "running", "jog", "jogging", "laufen", "lauf", "dauerlauf", "carrera", "correr",
        "course a pied", "footing", "courir", "corsa", "correre", "hardlopen", "hardloop", "duurloop",
        "lob", "lobe", "lobetur", "loping", "lop", "lopetur", "jogge", "lopning", "lopa", "lopass",
        "juoksu", "juosta", "lenkki", "bieg", "biegac", "beh", "behat", "corrida", "parkrun", "walk jog",
        "cross country", "xc", "trail", "trail run", "fell run", "ultra",
        "walk run",
    ),
    "Ride": (
        "ride", "bike", "biking", "cycle", "cycling", "bicycle", "bicycling", "spin", "spinning", "zwift",
        "rouvy", "rad", "radfahren", "radeln", "rennrad", "bicicleta", "ciclismo", "bici", "velo", "cyclisme",
        "fietsen", "fiets", "wielrennen", "cykel", "cykling", "sykkel", "sykling", "cyklist", "pyoraily",
        "pyora", "kolarstwo", "kolo", "cyklistika", "pedal", "pedalada", "trainer ride",
    ),
    "Swim": (
        "swim", "swimming", "schwimmen", "natacion", "nadar", "natation", "nage", "nuoto", "nuotare",
        "zwemmen", "svomning", "svomme", "simning", "simma", "uinti", "plywanie", "plavani", "natacao",
    ),
    "Strength": (
        "strength", "gym", "weights", "lift", "lifting", "core", "kraft", "krafttraining", "fuerza",
        "musculation", "renforcement", "forza", "potenziamento", "kracht", "krachttraining", "styrke",
        "styrketraening", "styrketrening", "styrketraning", "voima", "voimaharjoitus", "sila", "silowy",
        "posilovna", "forca", "musculacao", "circuit", "crossfit",
    ),
    "Pilates": (
        "pilates",
    ),
    "Yoga": (
        "yoga", "joga", "jooga",
    ),
    "Mobility": (
        "mobility", "stretch", "stretching", "flexibility", "dehnen", "beweglichkeit", "mobilitat",
        "estiramientos", "movilidad", "etirements", "mobilite", "allungamento", "mobilita", "rekken",
        "mobiliteit", "udstraekning", "toying", "toyning", "stretchning", "rorlighet", "venyttely",
        "liikkuvuus", "rozciaganie", "mobilnosc", "protahovani", "alongamento", "mobilidade", "foam roll",
    ),
    "Walk": (
        "walk", "walking", "gehen", "spaziergang", "caminar", "caminata", "marche", "camminata", "wandelen",
        "gatur", "promenad", "kavely", "spacer", "chuze", "caminhada",
    ),
    "Hike": (
        "hike", "hiking", "wandern", "senderismo", "randonnee", "escursione", "trekking", "vandring",
    ),
    "Rowing": (
        "row", "rowing", "rower", "erg", "rudern", "remo", "aviron", "canottaggio", "roeien", "roning",
        "rodd", "soutu", "wioslarstwo", "veslovani",
    ),
    "Nordic Ski": (
        "ski", "xc ski", "langlauf", "esqui", "skidor", "hiihto", "narty", "lyze",
    ),
    "Elliptical": (
        "elliptical", "crosstrainer", "elliptique", "ellittica",
    ),
    "Cross": (
        "cross train", "cross training", "crosstraining", "xt", "x train", "cross",
    ),
}
# fmt: on

# Intensity words (whole words, accents dropped), in the import languages.
# fmt: off
INTENSITY_WORDS: dict[str, tuple[str, ...]] = {
    "recovery": (
        "recovery", "recover", "shakeout", "shake out", "pre race", "post race", "cool down",
        "regeneration", "regenerativ", "rekom", "recuperacion", "recuperation", "recupero", "herstel",
        "herstelloop", "restitution", "palautus", "palauttava", "regeneracja", "regenerace", "recuperacao",
        "regen",
    ),
    "easy": (
        "easy", "ez", "gentle", "light", "aerobic", "conversational", "base", "z1", "z2", "zone 1",
        "zone 2", "ga1", "locker", "leicht", "ruhig", "suave", "facil", "facile", "tranquillo", "lento",
        "makkelijk", "rustig", "rolig", "roligt", "helppo", "kevyt", "peruskunto", "spokojny",
        "lekki", "lehky", "volny", "leve", "endurance", "general endurance", "lss",
    ),
    "long": (
        "long", "lr", "lsd", "long run", "lang", "langer lauf", "largo", "tirada larga", "sortie longue",
        "longue", "lungo", "lungo lento", "lange duurloop", "langtur", "langpass", "pitka", "pitkis",
        "dlugi", "dlugie", "dlouhy", "longao", "medium long", "mlr",
    ),
    "steady": (
        "steady", "moderate", "marathon pace", "race pace", "goal pace", "race simulation", "mp",
        "progression", "z3", "zone 3", "ga2", "moderat", "medio", "moyen", "gleichmassig", "jevn", "jamn",
        "tasainen", "umiarkowany", "stredni", "moderado", "aerobic threshold",
    ),
    "tempo": (
        "tempo", "tempolauf", "cruise", "ritmo", "allure", "tempoloop", "tempolob", "tempolop", "tempopass",
        "vauhtikestavyys", "tempowy", "tempovy", "comfortably hard",
    ),
    "threshold": (
        "threshold", "lactate", "lt", "sweet spot", "sweetspot", "ftp", "z4", "zone 4", "schwelle",
        "schwellenlauf", "umbral", "seuil", "soglia", "drempel", "taerskel", "terskel", "troskel", "kynnys",
        "prog", "prah", "limiar",
    ),
    "intervals": (
        "interval", "intervals", "intervalle", "intervalos", "fractionne", "ripetute", "intervallen",
        "intervaller", "intervallit", "interwaly", "intervaly", "reps", "repeats", "repetitions", "vo2",
        "vo2max", "vo2 max", "speed", "speedwork", "track", "fartlek", "z5", "zone 5", "series", "bahn",
        "tempowechsel",
    ),
    "hills": (
        "hill", "hills", "hill repeats", "hill sprints", "hugel", "huegel", "berglauf", "bergsprints",
        "cuestas", "subidas", "cotes", "salite", "heuvels", "heuveltraining", "bakker", "backar", "backe",
        "maki", "maet", "podbiegi", "kopce", "subida",
    ),
    "strides": (
        "strides", "stride", "steigerungen", "steigerungslaufe", "progresivos", "rectas", "lignes droites",
        "accelerations", "allunghi", "versnellingen", "stigningslob", "stigningslop", "stegringar", "vedot",
        "przebiezki", "rovinky", "aceleracoes", "pickups",
    ),
    "race": (
        "race", "racing", "wettkampf", "rennen", "wedstrijd", "gara", "competicion", "competition",
        "kilpailu", "zawody", "zavod", "prova", "competicao", "lopp", "lob race", "time trial", "tt",
    ),
}
# fmt: on
# Intensity by how hard it is (the hardest named wins: "easy run with a tempo finish" is tempo).
HARDEST_FIRST = sorted(INTENSITIES, key=lambda i: -INTENSITY_RPE[i])

# Skipped events: rest days, reminders, phase blocks, meetings (the summary alone decides).
# fmt: off
SKIPS: dict[str, tuple[str, ...]] = {
    "rest day": (
        "rest", "rest day", "recovery day", "off", "day off", "off day", "full rest", "ruhetag", "ruhe",
        "pause", "descanso", "repos", "riposo", "rust", "rustdag", "hviledag", "hvile", "vila", "vilodag",
        "lepo", "lepopaiva", "odpoczynek", "volno", "odpocinek", "folga", "libre", "frei",
    ),
    "reminder": (
        "reminder", "remember", "remind", "register", "registration", "sign up", "packet pickup",
        "bib pickup", "buy", "order", "book", "erinnerung", "recordatorio", "rappel", "promemoria",
        "herinnering", "paamindelse", "paminnelse", "muistutus", "przypomnienie", "pripominka", "lembrete",
        "weigh in", "weigh", "taper starts", "deadline", "membership", "flights", "accommodation",
    ),
    "phase block": (
        "phase", "block", "mesocycle", "macrocycle", "microcycle", "cycle", "base phase", "build phase",
        "peak phase", "taper phase", "training block", "periode", "fase", "bloque", "bloc", "blocco",
        "jakso", "faza", "obdobi", "week", "woche", "semaine", "semana", "settimana",
    ),
    "meeting": (
        "meeting", "call", "zoom", "teams", "check in", "checkin", "appointment", "besprechung", "termin",
        "reunion", "rendez vous", "riunione", "vergadering", "afspraak", "mote", "kokous", "tapaaminen",
        "spotkanie", "schuzka", "reuniao", "consulta", "physio", "massage", "doctor", "dentist",
    ),
}
# fmt: on

# Named race distances, for a race event that writes no other distance (metres).
RACE_DISTANCES = {
    "half marathon": 21097.5,
    "halbmarathon": 21097.5,
    "media maraton": 21097.5,
    "semi marathon": 21097.5,
    "mezza maratona": 21097.5,
    "halve marathon": 21097.5,
    "halvmaraton": 21097.5,
    "halvmarathon": 21097.5,
    "puolimaraton": 21097.5,
    "polmaraton": 21097.5,
    "pulmaraton": 21097.5,
    "meia maratona": 21097.5,
    "marathon": 42195.0,
    "maraton": 42195.0,
    "maratona": 42195.0,
    "maratoni": 42195.0,
    "parkrun": 5000.0,
}

# A distance within 3% of a named race's is that race's ("13.1 mi", "42.2 km"; crosstrain's convention)
RACE_DISTANCE_TOLERANCE = 0.03

NUM = r"(\d+(?:[.,]\d+)?)"
RANGE = rf"{NUM}(?:\s*(?:-|–|—|to|bis|a)\s*{NUM})?"
# "45 min", "20-30 min", "45'", "45′", "60min"
MINUTES = re.compile(
    rf"(?<![\d:]){RANGE}\s*(?:min|mins|minutes?|minuten|minutos|minuti|minutter|minuter|minuuttia|minut|分钟|'|′)(?![a-z])",
    re.I,
)
# "1h30", "1 h 30 min", "1.5 hours", "2 h", "2.5h", "1 Std."
HOURS = re.compile(
    rf"(?<![\d:]){RANGE}\s*(?:h|hr|hrs|hours?|std|stunden?|horas?|heures?|ore|uur|timer?|tim|tuntia?|godz|hod|小时)\.?"
    r"(?:\s*(\d{1,2})(?:\s*(?:m|min|mins|minutes?|'|′))?)?(?![a-z])",
    re.I,
)
# "3' rec", "2'30\" rec", "90 s jog between", "2 min rest": the rest between repeats, not the session
REST_AFTER = re.compile(
    r"""\s*(?:\d{1,2}\s*(?:"|''|″|s|sec)\s*)?(?:rec|recovery|rest|pause|break|between|jog\s+(?:rec|recovery|rest|between))\b""",
    re.I,
)
CLOCK = re.compile(r"(?<![\d:])(\d{1,2}):([0-5]\d):([0-5]\d)(?![\d:])")
# "5:45/km", "6:10-6:20/km", "8:30 min/mile"
PACE = re.compile(
    r"(\d{1,2}):([0-5]\d)(?:\s*(?:-|–|—)\s*(\d{1,2}):([0-5]\d))?\s*(?:min)?\s*/\s*(km|k|mi|mile)\b", re.I
)
# "18 km", "10K", "6 mi", "16.0 mile", "800m", "3 m" (miles: plan generators' "3 m run"), "5-6km"
DISTANCE = re.compile(
    rf"(?<![\d:]){RANGE}\s*(km|kms|k|kilometers?|kilometres?|kilometer|公里|mi|miles?|meilen|m|meters?|metres?|yd|yards?)(?![a-z0-9])",
    re.I,
)
# "5 x 1 km", "6x800m", "4 × 400 m", "3 x 10 min", "2×10′"
# A description's sentences about the week, not the session ("Weekly target: 6.0h", "Sauna 5x this
# week, 30-35 min sessions"): not read for the session's numbers.
# "2k (x4, 2'30\" rec)": the repeats written after the distance, as "4 x 2k"
REPEATS_AFTER = re.compile(
    r"(\d+(?:[.,]\d+)?)\s*(km|k|mi|miles?|m|meters?|metres?)\s*\(\s*[x×]\s*(\d{1,2})(?!\d)", re.I
)
# "Distance: 10 km", "Total: 12 km": the session's whole distance, as a description labels it
DISTANCE_LABEL = re.compile(
    rf"\b(?:total distance|distance|total|distanz|distancia)\s*:\s*{RANGE}\s*"
    r"(km|kms|k|mi|miles?|m)(?![a-z0-9])",
    re.I,
)
WEEK_WORDS = re.compile(r"\b(?:weekly|per week|this week|a week|week total|wochen\w*|semanal\w*)\b", re.I)
SENTENCE_END = re.compile(r"(\n|(?<=[.!?;])\s+)")
WALK_JOG = re.compile(r"\b(?:walk[- /]?jog|jog[- /]?walk|run[- /]?walk|walk[- /]?run)\b", re.I)
REPEATS = re.compile(
    r"(\d{1,2})\s*[x×*]\s*(\d+(?:[.,]\d+)?)\s*(km|k|mi|miles?|m|meters?|metres?|min|mins|minutes?|'|′|s|sec)(?![a-z0-9])",
    re.I,
)
# "Cycle: General Endurance", "Phase 2 - Build", "Block: strength focus": a label of the days to come
PHASE_LABEL = re.compile(
    r"^\W*(?:phase|block|cycle|mesocycle|macrocycle|microcycle|period|periode|fase|bloque|bloc|blocco|"
    r"jakso|faza|obdobi)\s*(?::|\d|-|–)",
    re.I,
)
AND = re.compile(r"\s+(?:\+|&|plus|and|und|et|en|og|och|ja|oraz|ama)\s+", re.I)
RPE = re.compile(rf"\brpe\s*[:=]?\s*{RANGE}", re.I)


@dataclass
class Words:
    """What one planned session's words say (None: they don't say)."""

    sport_type: str | None = None
    intensity: str | None = None
    structure: str | None = None
    seconds: float | None = None
    distance_m: float | None = None
    pace_s_per_km: float | None = None  # a pace written in the event
    rpe: float | None = None
    seconds_in_description: bool = False  # the duration came from the description, not the summary
    skip: str | None = None  # 'rest day', 'reminder', 'phase block', 'meeting'


# Chinese plan words -> the import's own words. Chinese writes no spaces between words, so each is
# replaced where it stands, the longest first, before the text is folded (reichenbach1891-byte/
# training-calendar: 节奏跑 tempo run, 胸肩力量训练 chest and shoulder strength, 主动恢复 active recovery
# whose description is stretching and foam rolling, 完全休息 full rest, LSD长距离慢跑 an LSD long run).
# fmt: off
CHINESE: dict[str, str] = {
    "跑步": "run", "慢跑": "easy run", "轻松跑": "easy run", "恢复跑": "recovery run", "长跑": "long run",
    "长距离": "long", "长距离慢跑": "long easy run", "节奏跑": "tempo run", "乳酸阈": "threshold",
    "阈值跑": "threshold run", "间歇跑": "intervals run", "间歇": "intervals", "法特莱克": "fartlek",
    "坡道跑": "hill run", "马拉松": "marathon", "半程马拉松": "half marathon", "半马": "half marathon",
    "主动恢复": "active recovery", "力量训练": "strength", "核心训练": "core", "拉伸": "stretching",
    "泡沫轴": "foam roll", "瑜伽": "yoga", "普拉提": "pilates", "散步": "walk", "徒步": "hike",
    "骑行": "ride", "游泳": "swim", "完全休息": "full rest", "休息日": "rest day", "休息": "rest",
}
# fmt: on
CHINESE_WORDS = re.compile("|".join(re.escape(w) for w in sorted(CHINESE, key=len, reverse=True)))


def from_chinese(text: str) -> str:
    """`text` with the Chinese plan words of CHINESE replaced by the import's own (spaced) words."""
    return CHINESE_WORDS.sub(lambda m: f" {CHINESE[m[0]]} ", text)


def fold(text: str) -> str:
    """Lower case, accents dropped, Chinese plan words read (CHINESE), every run of non-letters/digits
    one space, padded with spaces."""
    decomposed = unicodedata.normalize("NFKD", from_chinese(text).lower())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = plain.replace("ø", "o").replace("æ", "ae").replace("å", "a").replace("ł", "l").replace("ß", "ss")
    return " " + " ".join(re.findall(r"[a-z0-9]+", plain)) + " "


def _phrases(table: dict[str, tuple[str, ...]]) -> list[tuple[str, str]]:
    """(folded phrase, key), longest phrase first."""
    pairs = [(fold(w), key) for key, words in table.items() for w in words]
    return sorted(pairs, key=lambda p: -len(p[0]))


KIND_PHRASES = _phrases(KINDS)
INTENSITY_PHRASES = _phrases(INTENSITY_WORDS)
SKIP_PHRASES = _phrases(SKIPS)
RACE_PHRASES = sorted(((fold(k), str(v)) for k, v in RACE_DISTANCES.items()), key=lambda p: -len(p[0]))


def _found(folded: str, phrases: list[tuple[str, str]]) -> list[tuple[int, str]]:
    """(position, key) of every phrase in `folded`, longer phrases taking their words first."""
    taken = folded
    hits = []
    for phrase, key in phrases:
        at = taken.find(phrase)
        while at >= 0:
            hits.append((at, key))
            taken = taken[:at] + " " + "#" * (len(phrase) - 2) + " " + taken[at + len(phrase) :]
            at = taken.find(phrase)
    return sorted(hits)


def _num(text: str) -> float:
    return float(text.replace(",", "."))


def _mid(low: str, high: str | None) -> float:
    """A range's middle ("20-30 min" is 25), or the number."""
    return (_num(low) + _num(high)) / 2 if high else _num(low)


def keyword_map(settings: dict[str, Any]) -> list[tuple[re.Pattern[str], str]]:
    """The settings' `[plan_keywords]` (code = "words it means") as (whole-word pattern, meaning)."""
    table = settings.get("plan_keywords", {})
    if not isinstance(table, dict):
        raise ConfigError('[plan_keywords]: expected a table of CODE = "what it means", e.g. LR = "long run"')
    out = []
    for code, meaning in table.items():
        if not isinstance(meaning, str) or not str(code).strip():
            raise ConfigError(f"[plan_keywords]: '{code}' must map to words, e.g. \"easy run\"")
        out.append((re.compile(rf"(?<![\w]){re.escape(str(code))}(?![\w])", re.I), f" {meaning} "))
    return out


def expand(text: str, codes: list[tuple[re.Pattern[str], str]]) -> str:
    """`text` with the user's codes replaced by what they mean."""
    for pattern, meaning in codes:
        text = pattern.sub(meaning, text)
    return text


def _kind(folded: str) -> str | None:
    """The first kind the words name."""
    hits = _found(folded, KIND_PHRASES)
    return hits[0][1] if hits else None


# Kinds whose words after a "Run:" label name the session ("Run: Core Stability or Functional"); the
# others there are parts of the run ("Run: 8x300m fast / 60s Walk")
SUPPORT_KINDS = ("Strength", "Pilates", "Yoga", "Mobility")


def _labelled_kind(text: str) -> str | None:
    """The kind of `text`, where a leading "Kind:" label yields to a support kind the words after it
    name."""
    label, colon, rest = text.partition(":")
    after = _kind(fold(rest)) if colon and len(label.split()) <= 2 and _kind(fold(label)) else None
    return after if after in SUPPORT_KINDS else _kind(fold(text))


def _intensity(folded: str, text: str) -> tuple[str | None, str | None]:
    """The hardest intensity the words name, and the structure they give (None, None: none)."""
    named = {key for _, key in _found(folded, INTENSITY_PHRASES)}
    repeats = bool(REPEATS.search(text))
    if not named and not repeats:
        return None, None
    intensity = next((i for i in HARDEST_FIRST if i in named), "intervals")
    kinds = {STRUCTURE[i] for i in named}
    if repeats and not kinds & {"hills", "strides"}:
        kinds.add("intervals")  # "8 x 200 m hill repeats" are hills
    if len(kinds) > 1:
        kinds.discard("steady")  # a tempo run with strides is strides; two of the others: mixed
    structure = kinds.pop() if len(kinds) == 1 else "mixed"
    return intensity, structure


def text_seconds(text: str) -> float | None:
    """The longest duration written in `text` ("45 min", "1h30", "1:15:00", "45'", "3 x 10 min" is 30
    minutes, "20-30 min" is 25), in seconds, or None."""
    found = [int(m[1]) * 3600 + int(m[2]) * 60 + int(m[3]) for m in CLOCK.finditer(text)]
    found += [_mid(m[1], m[2]) * 3600 + (int(m[3]) * 60 if m[3] else 0) for m in HOURS.finditer(text)]
    found += [_mid(m[1], m[2]) * 60 for m in MINUTES.finditer(text) if not REST_AFTER.match(text, m.end())]
    for m in REPEATS.finditer(text):
        unit = m[3].lower()
        if unit in ("s", "sec"):
            found.append(int(m[1]) * _num(m[2]))
        elif unit[0] in "m'′" and unit not in (
            "m",
            "meters",
            "meter",
            "metres",
            "metre",
            "mi",
            "mile",
            "miles",
        ):
            found.append(int(m[1]) * _num(m[2]) * 60)
    return max(found, default=None) or None


def _metres(value: float, unit: str, repeat: bool) -> float | None:
    unit = unit.lower()
    if unit.startswith("k") or unit == "公里":
        return value * METRES_PER["km"]
    if unit.startswith("mi") or unit.startswith("meil"):
        return value * METRES_PER["mi"]
    if unit.startswith("y"):
        return value * METRES_PER["yd"]
    # "m": metres from 100 up ("800 m", "6 x 400m"); below, plan generators' miles ("3 m run")
    if value >= 100 or repeat:
        return value
    return value * METRES_PER["mi"]


def text_distance_m(text: str) -> float | None:
    """The session's distance written in `text`, in metres, or None: the longest distance written
    ("6 x 800 m at 5k pace, 10 km total" is 10 km), or the repeats' total ("5 x 1 km" is 5 km) when
    longer; a range is its middle ("5-6km" is 5.5 km)."""
    spans = [m.span() for m in REPEATS.finditer(text)]
    found = []
    for m in REPEATS.finditer(text):
        unit = m[3].lower()
        if unit[0] in "km" and unit not in ("min", "mins", "minute", "minutes"):
            metres = _metres(_num(m[2]), unit, repeat=True)
            if metres:
                found.append(int(m[1]) * metres)
    for m in REPEATS_AFTER.finditer(text):
        metres = _metres(_num(m[1]), m[2], repeat=True)
        if metres:
            found.append(int(m[3]) * metres)
    for m in DISTANCE.finditer(text):
        if any(a <= m.start() < b for a, b in spans):
            continue
        after = text[m.end() : m.end() + 3]
        if after.startswith("/") or text[max(0, m.start() - 1) : m.start()] == "/":
            continue  # a pace's unit ("5:45/km"), not a distance
        metres = _metres(_mid(m[1], m[2]), m[3], repeat=False)
        if metres:
            found.append(metres)
    return max(found, default=None)


def text_pace(text: str) -> float | None:
    """A pace written in `text` ("5:45/km", "6:10-6:20/km", "8:30/mi") in seconds per km, or None."""
    m = PACE.search(text)
    if not m:
        return None
    seconds = int(m[1]) * 60 + int(m[2])
    if m[3]:
        seconds = (seconds + int(m[3]) * 60 + int(m[4])) / 2
    return seconds / (METRES_PER["mi"] / 1000) if m[5].lower().startswith("mi") else seconds


def text_rpe(text: str) -> float | None:
    """An RPE written in `text` ("RPE 6", "RPE: 6-7"), on the CR-10 scale, or None."""
    m = RPE.search(text)
    if not m:
        return None
    value = _mid(m[1], m[2])
    return value if 0 <= value <= 10 else None


def without_week_totals(text: str) -> str:
    """The text without its sentences about the week rather than the session ("Weekly target:
    6.0h", "Sauna 5x this week, 30-35 min sessions"): a session's numbers are not read from them."""
    return "".join(part for part in SENTENCE_END.split(text) if not WEEK_WORDS.search(part))


def skip_reason(summary: str) -> str | None:
    """Why an event with this summary plans no session ('rest day', 'reminder', 'phase block',
    'meeting'), or None. A summary naming a kind or a duration is a session ("Rest or easy run 30
    min" is read as its first choice only when that isn't rest)."""
    first = re.split(r"\s+(?:or|oder|o|ou|of|eller|tai|lub|nebo)\s+|/", summary, maxsplit=1, flags=re.I)[0]
    if PHASE_LABEL.match(summary) and not (text_seconds(summary) or text_distance_m(summary)):
        return "phase block"
    folded = fold(first)
    hits = _found(folded, SKIP_PHRASES)
    if not hits:
        return None
    reason = hits[0][1]
    if reason == "rest day":
        if _kind(fold(first)) and not folded.strip().startswith(("rest", "off", "day off")):
            return None
        return reason
    # "Two Oceans Ultra entry registration", "Buy running shoes": a kind word alone doesn't make a
    # reminder a session; a written duration or distance does ("Physio, then 5 km easy")
    if text_seconds(first) or text_distance_m(first):
        return None
    return reason


# "Wk4 Thu - 2": a label, then what is left of a summary cut at a decimal point
CUT_SUMMARY = re.compile(r"^(.*\s[-–—:]\s*)(\d+)$")
FIRST_SENTENCE = re.compile(r"(?<=[.!?])\s|\n")


def uncut(summary: str, description: str | None) -> str:
    """A summary its generator cut at the first full stop of the description, which was a decimal
    point ("Wk4 Thu - 2" for "2.5 miles easy (cutback week). Prehab ...": lexiestar24/runcoach's six
    Thursday runs), as the label and the description's first sentence ("Wk4 Thu - 2.5 miles easy
    (cutback week)."); any other summary as it is."""
    m = CUT_SUMMARY.match(summary.strip())
    text = (description or "").strip()
    if not m or not re.match(rf"{m[2]}\.\d", text):
        return summary
    return m[1] + FIRST_SENTENCE.split(text, maxsplit=1)[0]


# "Recovery 6 mi a.m. 4 mi p.m.": a morning and an evening session on one day (a Pfitzinger plan's
# doubles, ntustison/MoreThanAFeeling)
DOUBLE = re.compile(r"^(?P<am>.*?\ba\.m\.)\s*(?P<pm>.*?\bp\.m\.)\s*$", re.I)


def split_sessions(summary: str) -> list[str]:
    """A summary planning two sessions ("Strength + 5K easy run", "Recovery 6 mi a.m. 4 mi p.m.") as
    one text per session; one session otherwise. Only parts that each name a kind or an intensity are
    split, and a morning and an evening part (the evening's without words of its own takes the
    morning's: "Recovery 4 mi p.m."); of alternatives ("Strength or Rest") the first is planned."""
    double = DOUBLE.match(summary.strip())
    if double:
        am, pm = double["am"].strip(), double["pm"].strip()
        if pm[:1].isdigit():
            pm = re.split(r"\d", am, maxsplit=1)[0] + pm
        return [am, pm]
    first = re.split(r"\s+(?:or|oder|ou|of|eller|tai|lub|nebo)\s+", summary, maxsplit=1, flags=re.I)[0]
    parts = [p.strip() for p in AND.split(first)]
    # parts of one kind are one session ("3 miles easy + 4 strides at the end", "Recovery + strides 7
    # mi"): a part without a kind word is a run, as read() takes it
    if (
        len(parts) > 1
        and all(_kind(fold(p)) or _found(fold(p), INTENSITY_PHRASES) for p in parts)
        and len({_kind(fold(p)) or "Run" for p in parts}) > 1
    ):
        return parts
    return [first]


def read(summary: str, description: str | None, codes: list[tuple[re.Pattern[str], str]]) -> Words:
    """What the summary says, completed from the description for what the summary doesn't say."""
    summary = expand(summary, codes)
    description = without_week_totals(expand(description or "", codes))
    words = Words(skip=skip_reason(summary))
    if words.skip:
        return words
    for text in (summary, description):
        if not text.strip():
            continue
        folded = fold(text)
        words.sport_type = words.sport_type or _labelled_kind(text)
        if words.intensity is None:
            words.intensity, words.structure = _intensity(folded, text)
            if WALK_JOG.search(text) and words.intensity in (None, "intervals"):
                # "Walk-jog 20 min (30s jog / 90s walk)": a beginner's run-walk, talking pace, no
                # intervals session (mmichelli/training's first weeks)
                words.intensity, words.structure = "easy", "steady"
        if words.seconds is None and (found := text_seconds(text)):
            words.seconds, words.seconds_in_description = found, text is description
        words.distance_m = words.distance_m or text_distance_m(text)
        words.pace_s_per_km = words.pace_s_per_km or text_pace(text)
        words.rpe = words.rpe if words.rpe is not None else text_rpe(text)
    total = DISTANCE_LABEL.search(description)
    if total and (metres := _metres(_mid(total[1], total[2]), total[3], repeat=False)):
        words.distance_m = max(words.distance_m or 0.0, metres)  # a repeat's distance is a part of it
    folded = fold(summary)
    # (a marathon or half; a parkrun is as often run easy as raced)
    race = [hit for hit in _found(folded, RACE_PHRASES) if float(hit[1]) > RACE_DISTANCES["parkrun"]]
    if (
        race
        and words.intensity != "race"
        and not _found(folded, INTENSITY_PHRASES)
        and (
            words.distance_m is None
            or abs(words.distance_m / float(race[0][1]) - 1) <= RACE_DISTANCE_TOLERANCE
        )
    ):
        # a summary that names a race distance and no intensity of its own, at that distance, is the
        # race ("HALF MARATHON 13.1 mi"; the description's words are notes: an effort guide names
        # every pace); "Marathon training run 10 km" is not
        words.intensity, words.structure = "race", "steady"
    if words.distance_m is None and (words.intensity == "race" or not _kind(folded)):
        hits = _found(folded, RACE_PHRASES)
        if hits:
            words.distance_m = float(hits[0][1])
            words.intensity = words.intensity or "race"
    if words.sport_type is None and (words.intensity or words.distance_m):
        # a plan is a runner's: a workout or a distance without a kind is a run (crosstrain's convention)
        words.sport_type = "Run"
    if words.sport_type not in ("Run", None) and words.structure:
        words.structure = None  # structure is the pace structure of a run (activity_files.structure)
    return words


__all__ = [
    "INTENSITY_RPE",
    "Words",
    "expand",
    "keyword_map",
    "read",
    "skip_reason",
    "split_sessions",
    "uncut",
]


def name_reading(name: str | None, category: str) -> dict[str, Any]:
    """What a suggested session's name says, as an import reads it: its intensity, structure (runs
    only), the RPE of that intensity and where the RPE came from ("Easy run" is easy, RPE 3)."""
    words = read(name or "", None, [])
    intensity = words.intensity
    rpe = INTENSITY_RPE.get(intensity) if intensity else None
    structure = words.structure if category == "run" else None
    return {
        "intensity": intensity,
        "structure": structure,
        "rpe": rpe,
        "rpe_source": "intensity" if rpe is not None else None,
    }
