"""FIT files: fitfast (Rust) first, Garmin's SDK and fitdecode for the files it can't read alike.

fitfast (rustyfit behind PyO3) decodes 10-40x faster than garmin-fit-sdk (pure Python) with the same
messages on the real files we hold (tests/test_fit_decoders.py compares them on every one). Where it
reads a file differently or not at all, the file goes to garmin-fit-sdk, and from there to fitdecode
for compressed-timestamp record headers, which the SDK refuses; `reading` says which decoder read a
file and why. Every decoder's reading is normalised to plain dicts of field name -> value (fitfast's
keeps fields missing from its profile under their numbers), times in UTC Unix seconds.
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any, NamedTuple

import numpy as np

from ingest.errors import FileFormatError
from ingest.files.fit_layout import complete_part, header_crc_written, without_records
from ingest.files.model import Recording, StrengthSet, column, one_per_time

FIT_EPOCH_S = 631065600  # 1989-12-31T00:00:00Z, FIT's time zero (FIT SDK: date_time type)
SEMICIRCLE_DEG = 180.0 / 2**31  # FIT positions are semicircles (FIT SDK profile: position_lat)
MESSAGES = ("file_id", "session", "lap", "record", "set", "activity", "sport")
# Records more than this after a session's declared end still belong to it (the last record is
# often written a second after the session's end).
SESSION_SLACK_S = 2.0
# The fields crosstrain reads (recordings() below); a developer field of one of these names would
# stand in fitfast's dict where the SDK keeps the native field.
USED_FIELDS = frozenset(
    {
        "type", "timestamp", "start_time", "local_timestamp", "sport", "sub_sport", "total_elapsed_time",
        "total_timer_time", "total_distance", "total_ascent", "avg_heart_rate", "max_heart_rate",
        "workout_rpe", "sport_profile_name", "heart_rate", "speed", "enhanced_speed", "altitude",
        "enhanced_altitude", "position_lat", "position_long", "set_type", "category",
        "category_subtype", "repetitions", "weight", "duration",
    }
)  # fmt: skip
# fitfast 0.1 derives enhanced_speed from speed (FIT SDK profile: a component, same scale 1000) in
# binary floating point and truncates: 4087 gives 4.086 where the SDK gives 4.087. Within this,
# the two are one value and the SDK's reading (speed's) is kept.
SPEED_ROUNDING = 0.0015
# FIT date_time values below 0x10000000 are "system time": seconds since the device was switched on
# (FIT SDK profile, date_time), not a date. fitfast counts them from FIT's epoch (1990), fitdecode
# from Unix's (1970); such files keep fitdecode's reading, as before fitfast.
RELATIVE_TIME_BEFORE = FIT_EPOCH_S + 0x10000000


# FIT (sport, sub_sport) -> the type name categories.py maps; sport alone where sub_sport adds nothing.
SPORTS: dict[tuple[str, str | None], str] = {
    ("running", "trail"): "Trail Run",
    ("running", "treadmill"): "Treadmill",
    ("running", "virtual_activity"): "Virtual Run",
    ("running", None): "Run",
    ("cycling", "indoor_cycling"): "Indoor Cycling",
    ("cycling", "virtual_activity"): "Virtual Ride",
    ("cycling", None): "Ride",
    ("training", "strength_training"): "Strength Training",
    ("training", "yoga"): "Yoga",
    ("training", "pilates"): "Pilates",
    ("training", "flexibility_training"): "Stretching",
    ("training", "cardio_training"): "Cardio",
    ("training", None): "Workout",
    ("fitness_equipment", "elliptical"): "Elliptical",
    ("fitness_equipment", "stair_climbing"): "Stair Stepper",
    ("fitness_equipment", "indoor_rowing"): "Indoor Rowing",
    ("fitness_equipment", None): "Workout",
    ("swimming", None): "Swim",
    ("walking", None): "Walk",
    ("hiking", None): "Hike",
    ("cross_country_skiing", None): "Nordic Ski",  # ratnanil/Project_Daniel_Sophie's Strava export
    ("alpine_skiing", None): "Alpine Ski",
    ("rowing", None): "Rowing",
    ("generic", None): "Workout",
}


def sport_name(sport: Any, sub_sport: Any) -> str:
    """The type name of a FIT sport/sub_sport pair ('running', 'trail' -> 'Trail Run')."""
    sport = str(sport) if sport is not None else "generic"
    sub = str(sub_sport) if sub_sport is not None else None
    return (
        SPORTS.get((sport, sub)) or SPORTS.get((sport, None)) or sport.replace("_", " ").title() or "Workout"
    )


class Reading(NamedTuple):
    """A FIT file's messages, the decoder that read them, and for a truncated file the byte where its
    complete messages end (`cut`): only those were read."""

    decoder: str
    messages: dict[str, list[dict[str, Any]]]
    cut: int | None = None

    def note(self) -> str | None:
        """The import's line for a truncated file (its complete records were imported)."""
        if self.cut is None:
            return None
        line = f"truncated at byte {self.cut:,}: imported the first {len(self.messages['record']):,} records"
        if not any(m.get("sport") is not None for m in self.messages["session"] + self.messages["sport"]):
            line += (
                "; its sport was after the cut, so it is stored as a Workout of category other (`crosstrain"
                " activities list`, then `crosstrain activities set ID --category run` corrects it)"
            )
        return line


def reading(data: bytes, partial: bool = True) -> Reading:
    """fitfast's reading where it reads the file as the SDK would; a truncated file's complete messages
    (`complete_part`; with `partial` False, as for a download that a new try may get whole, a
    truncated file is refused at once instead); else the SDK's (fitdecode's for compressed
    timestamps). FileFormatError when none reads it."""
    if len(data) < 12 or data[8:12] != b".FIT":
        raise FileFormatError("not a FIT file (no .FIT signature)")
    try:
        return Reading("fitfast", decode_fitfast(data))
    except FileFormatError as exc:  # refused or read differently: truncated, or the SDK decides
        ran_out = "unexpected EOF" in str(exc)  # fitfast's words for bytes that ended inside a message
    part = complete_part(data, ran_out)
    if part is None:
        return Reading(*reference_reading(data))
    whole, cut = part
    if not partial:
        raise FileFormatError(f"corrupt or truncated FIT file (truncated at byte {cut:,})")
    try:
        decoder, messages, _ = reading(whole)
    except FileFormatError as exc:
        raise FileFormatError(f"truncated at byte {cut:,}; what comes before can't be read: {exc}") from None
    if not messages["record"] and not messages["session"]:
        raise FileFormatError(f"truncated at byte {cut:,}: no complete record before the cut")
    return Reading(decoder, messages, cut)


def reference_reading(data: bytes) -> tuple[str, dict[str, list[dict[str, Any]]]]:
    """(decoder, messages) of Garmin's SDK, or fitdecode's where the SDK refuses compressed
    timestamps: the reading before fitfast, and the one fitfast is compared with."""
    try:
        return "garmin-fit-sdk", decode_sdk(data)
    except CompressedTimestamps:
        return "fitdecode", decode_fitdecode(data)


def decode_fitfast(data: bytes) -> dict[str, list[dict[str, Any]]]:
    """fitfast's reading; FileFormatError where it refuses the file or would read it unlike the SDK:
    times relative to the device's power-on, a developer field named like a field crosstrain reads,
    or a `compressed_speed_distance` that is not 3 bytes (fitfast 0.1 leaves that component
    unexpanded: its speed is expanded here, as the SDK and fitdecode do).

    Records, the bulk of a file, are read as numpy columns (fitfast.records, ~2x faster than its
    dicts) and the other messages from a copy of the file without them (`without_records`), so
    that no record becomes a dict; files that copy can't be made of (chained files, compressed
    timestamps or compressed speed) are read whole, record by record."""
    import fitfast

    crc_written = None
    try:
        try:
            with _panics_unprinted():
                columns = fitfast.records(data, degrees=False)  # the whole file checked, as parse does
        except fitfast.FitDecodeError as exc:
            crc_written = header_crc_written(data) if "checksum mismatch" in str(exc) else None
            if crc_written is None:
                raise
            with _panics_unprinted():
                columns = fitfast.records(crc_written, degrees=False)
        whole = data if crc_written is None else crc_written
        split = without_records(whole)
        with _panics_unprinted():
            parsed = fitfast.parse(whole if split is None else split[0])
    except BaseException as exc:  # noqa: BLE001 - a Rust panic arrives as PanicException(BaseException)
        if not isinstance(exc, Exception) and type(exc).__name__ != "PanicException":
            raise  # KeyboardInterrupt, SystemExit
        raise FileFormatError(f"corrupt or truncated FIT file ({_first_line(exc)})") from None
    developer = {d.get("field_name") for d in parsed.get("field_description", [])}
    if developer & USED_FIELDS:
        raise FileFormatError(f"developer fields named {sorted(developer & USED_FIELDS)}")
    # fields missing from fitfast's profile stay under their numbers: no reader asks for them
    out = {kind: parsed.get(kind, []) for kind in MESSAGES}
    starts = [m.get("start_time") for m in out["session"]] + [m.get("time_created") for m in out["file_id"]]
    if any(isinstance(t, int | float) and t < RELATIVE_TIME_BEFORE for t in starts):
        raise FileFormatError("times relative to power-on")
    if split is not None and any(len(c) != split[1] for c in columns.values()):
        out["record"] = fitfast.parse(whole).get("record", [])  # columns not one row a record: never seen
        split = None
    if split is None:
        _read_as_sdk(out["record"])
        return out
    records = Records(columns, split[1])
    if (records.series[0] < RELATIVE_TIME_BEFORE).any():
        raise FileFormatError("times relative to power-on")
    out["record"] = records
    return out


def _read_as_sdk(records: list[dict[str, Any]]) -> None:
    """Record by record, as the SDK reads them: compressed_speed_distance's speed expanded (fitfast 0.1
    leaves it packed), enhanced_speed equal to speed where fitfast truncated it. FileFormatError
    where the SDK would read them otherwise."""
    for r in records:
        packed = r.get("compressed_speed_distance")
        if packed is not None:
            if not isinstance(packed, bytes) or len(packed) != 3 or "speed" in r:
                raise FileFormatError("compressed_speed_distance records")
            # FIT SDK profile, record.compressed_speed_distance: components speed (its low 12 bits,
            # scale 100, m/s) and distance (its high 12 bits, accumulated: not read here)
            r["speed"] = (packed[0] | (packed[1] & 0x0F) << 8) / 100
        if r.get("timestamp", RELATIVE_TIME_BEFORE) < RELATIVE_TIME_BEFORE:
            raise FileFormatError("times relative to power-on")
        speed, enhanced = r.get("speed"), r.get("enhanced_speed")
        if speed is not None and enhanced is not None and abs(speed - enhanced) < SPEED_ROUNDING:
            r["enhanced_speed"] = speed


class Records(Sequence):
    """fitfast's records as numpy columns (fitfast.records: its numeric fields, NaN where a record
    lacks one; positions in semicircles, as the other decoders give them) and `series`, what
    recordings() takes from them: equal, bit for bit, to what it took from fitfast's dicts on every
    FIT file we hold. A sequence of dicts only for those who look at single records (tests)."""

    def __init__(self, columns: dict[str, np.ndarray], count: int) -> None:
        self.columns, self.count = columns, count
        missing = np.full(count, np.nan)  # no record has the field
        get = columns.get
        speed, enhanced = get("speed", missing), get("enhanced_speed", missing)
        # fitfast's enhanced_speed within SPEED_ROUNDING of speed is speed (as _read_as_sdk)
        enhanced = np.where(np.abs(speed - enhanced) < SPEED_ROUNDING, speed, enhanced)
        altitude = get("enhanced_altitude", missing)
        self.series = [  # as _series_of_dicts: the enhanced fields where known
            get("timestamp", missing),
            get("heart_rate", missing),
            np.where(np.isnan(enhanced), speed, enhanced),
            np.where(np.isnan(altitude), get("altitude", missing), altitude),
            get("position_lat", missing),
            get("position_long", missing),
        ]

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self.count))]
        if not -self.count <= index < self.count:
            raise IndexError(index)
        values = {name: float(c[index]) for name, c in self.columns.items()}
        return {name: v for name, v in values.items() if v == v}  # NaN: not written

    def __iter__(self) -> Iterator[dict[str, float]]:
        return (self[i] for i in range(self.count))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]


def _series_of_dicts(records: list[dict[str, Any]]) -> list[np.ndarray]:
    """t, heart rate, speed, altitude, lat, lon (semicircles) of decoders' record dicts."""
    return [
        column([r.get("timestamp") for r in records]),
        column([r.get("heart_rate") for r in records]),
        column([r.get("enhanced_speed", r.get("speed")) for r in records]),
        column([r.get("enhanced_altitude", r.get("altitude")) for r in records]),
        column([r.get("position_lat") for r in records]),
        column([r.get("position_long") for r in records]),
    ]


@contextmanager
def _panics_unprinted() -> Iterator[None]:
    """File descriptor 2 to /dev/null for the call: Rust's panic hook prints its message and a
    backtrace note there before PyO3 raises PanicException (rustyfit 0.10 panics on some damaged
    definitions: "attempt to calculate the remainder with a divisor of zero"); the file's one-line
    error says it instead. Four system calls, a few microseconds."""
    try:
        saved = os.dup(2)
    except OSError:  # no descriptor 2 (a daemon): nothing to hide
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        sys.stderr.flush()
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


class CompressedTimestamps(FileFormatError):
    """The SDK refuses compressed-timestamp record headers (older watches such as the Forerunner 70)."""


def decode_sdk(data: bytes) -> dict[str, list[dict[str, Any]]]:
    """garmin-fit-sdk's reading (it names strength exercises from its profile)."""
    from garmin_fit_sdk import Decoder, Stream

    decoder = Decoder(Stream.from_byte_array(bytearray(data)))
    try:
        messages, errors = decoder.read(convert_datetimes_to_dates=False, merge_heart_rates=False)
    except Exception as exc:  # noqa: BLE001 - the SDK raises bare exceptions for bad input
        errors, messages = [exc], {}
    if errors and "ompressed timestamp" in str(errors[0]):
        raise CompressedTimestamps(_first_line(errors[0]))
    if errors:
        raise FileFormatError(f"corrupt or truncated FIT file ({_first_line(errors[0])})")
    out: dict[str, list[dict[str, Any]]] = {}
    for kind in MESSAGES:
        out[kind] = [
            {k: _sdk_value(k, v) for k, v in m.items() if isinstance(k, str)}
            for m in messages.get(f"{kind}_mesgs", [])
        ]
    return out


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


TIME_FIELDS = ("timestamp", "start_time", "time_created", "local_timestamp")


def _sdk_value(key: str, value: Any) -> Any:
    if key in TIME_FIELDS and isinstance(value, int | float):
        return value + FIT_EPOCH_S
    return value


def decode_fitdecode(data: bytes) -> dict[str, list[dict[str, Any]]]:
    """fitdecode's reading, for files with compressed-timestamp headers."""
    import fitdecode

    out: dict[str, list[dict[str, Any]]] = {kind: [] for kind in MESSAGES}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # its notes on odd fields would reach the user's terminal
            reader = fitdecode.FitReader(data, check_crc=fitdecode.CrcCheck.RAISE)
            for frame in reader:
                if isinstance(frame, fitdecode.FitDataMessage) and frame.name in out:
                    out[frame.name].append(
                        {f.name: _plain(f.value) for f in frame.fields if f.value is not None}
                    )
    except fitdecode.FitError as exc:
        raise FileFormatError(f"corrupt or truncated FIT file ({_first_line(exc)})") from exc
    return out


def _plain(value: Any) -> Any:
    return value.timestamp() if isinstance(value, datetime) else value


def recordings(messages: dict[str, list[dict[str, Any]]]) -> list[Recording]:
    """One Recording per session of the file (multisport files hold several).

    A file without session messages (the watch died before writing its totals) gives one Recording
    over all its records, its totals left for samples.py to compute.
    """
    records = messages["record"]
    series = records.series if isinstance(records, Records) else _series_of_dicts(records)
    timed = np.flatnonzero(~np.isnan(series[0]))
    order = timed[np.argsort(series[0][timed], kind="stable")]  # in time, as the records were sorted
    sessions = sorted(
        (s for s in messages["session"] if "start_time" in s or "timestamp" in s),
        key=lambda s: s.get("start_time", s.get("timestamp")),
    )
    if not sessions:
        if not len(order):
            raise FileFormatError("no sessions and no records: nothing recorded")
        sport = (messages["sport"] or messages["lap"] or [{}])[0]
        sessions = [{"start_time": series[0][order[0]].item(), "sport": sport.get("sport")}]
        sessions[0]["sub_sport"] = sport.get("sub_sport")
    found = []
    zone = clock_zone(messages)
    samples = _samples([c[order] for c in series])
    for index, s in enumerate(sessions):
        start = s.get("start_time", s.get("timestamp"))
        elapsed = s.get("total_elapsed_time")
        nxt = sessions[index + 1].get("start_time") if index + 1 < len(sessions) else None
        end = start + elapsed + SESSION_SLACK_S if elapsed else (nxt or float("inf"))
        if nxt is not None:
            end = min(end, nxt)
        rec = Recording(
            sport=sport_name(s.get("sport"), s.get("sub_sport")),
            start_at=float(start),
            index=index,
            elapsed_s=_pos(elapsed),
            moving_s=_pos(s.get("total_timer_time")),
            distance_m=_pos(s.get("total_distance")),
            elevation_gain_m=s.get("total_ascent"),
            avg_hr=_pos(s.get("avg_heart_rate")),
            max_hr=_pos(s.get("max_heart_rate")),
            rpe=_rpe(s.get("workout_rpe")),
            name=s.get("sport_profile_name"),
            clock_zone=zone,
        )
        # One session owns every record: a clock that jumped mid-activity puts records past its end.
        mine = slice(None) if len(sessions) == 1 else (samples[0] >= start) & (samples[0] < end)
        rec.t, rec.hr, rec.speed, rec.altitude, rec.lat, rec.lon = (c[mine] for c in samples)
        rec.sets = [
            _strength_set(m)
            for m in messages["set"]
            if m.get("set_type") in ("active", 1) and start <= m.get("start_time", start) < end
        ]
        found.append(rec)
    return found


# UTC offsets that are not whole hours, each with a zone that keeps it all year (IANA tzdb); whole hours
# are Etc/GMT-N (whose sign is POSIX's, the opposite of the offset's).
HALF_HOUR_ZONES = {
    -34200: "Pacific/Marquesas",
    12600: "Asia/Tehran",
    16200: "Asia/Kabul",
    19800: "Asia/Kolkata",
    20700: "Asia/Kathmandu",
    23400: "Asia/Yangon",
    31500: "Australia/Eucla",
    34200: "Australia/Darwin",
}
MAX_OFFSET_S = 14 * 3600  # real UTC offsets run from -12 to +14 hours


def clock_zone(messages: dict[str, list[dict[str, Any]]]) -> str | None:
    """The zone of the watch's own clock: `activity.local_timestamp - activity.timestamp`, the UTC
    offset the watch had when it saved the activity (FIT SDK profile: local_timestamp, "timestamp
    epoch expressed in local time, used to convert activity timestamps to local time"), as a
    fixed-offset zone; None when there is none or it is not a real offset (an old Forerunner 70 writes
    one 6.7 days off: ../shared/formats/files/garmin_fr70_compressed-timestamps_noGPS.fit)."""
    for a in messages.get("activity", []):
        utc, local = a.get("timestamp"), a.get("local_timestamp")
        if not isinstance(utc, int | float) or not isinstance(local, int | float):
            continue
        offset = round((local - utc) / 900) * 900  # the watch writes it to the second; zones are quarters
        if abs(local - utc - offset) > 60 or abs(offset) > MAX_OFFSET_S:
            return None
        if offset % 3600 == 0:
            hours = -offset // 3600
            return "Etc/UTC" if hours == 0 else f"Etc/GMT{hours:+d}"
        return HALF_HOUR_ZONES.get(offset)
    return None


def _pos(value: Any) -> float | None:
    """A positive number, else None (FIT writes 0 or 'invalid' for values it doesn't have)."""
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return value if value > 0 and value == value else None


def _rpe(value: Any) -> float | None:
    """Session RPE 1-10 from FIT's workout_rpe, which Garmin writes as 10 x the 1-10 scale."""
    value = _pos(value)
    if value is None:
        return None
    rpe = value / 10.0 if value > 10 else value
    return rpe if 1 <= rpe <= 10 else None


def _samples(series: list[np.ndarray]) -> list[np.ndarray]:
    """t, hr, speed, altitude, lat, lon of time-ordered records' series as float arrays (NaN:
    unknown), one entry per timestamp: records sharing one (HR and GPS written apart) give each
    series its first known value."""
    t, hr, speed, altitude, lat, lon = series
    columns = [
        np.where(hr > 0, hr, np.nan),  # FIT writes 0 for no heart rate
        speed,
        altitude,
        lat * SEMICIRCLE_DEG,
        lon * SEMICIRCLE_DEG,
    ]
    return one_per_time(t, columns)


def _strength_set(m: dict[str, Any]) -> StrengthSet:
    """A set's first (most likely) exercise guess, named through the FIT profile."""
    category = _first(m.get("category"))
    subtype = _first(m.get("category_subtype"))
    from garmin_fit_sdk import Profile  # the exercise names of the FIT profile

    if isinstance(category, int):
        category = Profile["types"]["exercise_category"].get(category)
    if category in (None, "unknown"):
        category = None
    name = None
    if category is not None and isinstance(subtype, int):
        name = Profile["types"].get(f"{category}_exercise_name", {}).get(subtype)
    reps = m.get("repetitions")
    return StrengthSet(
        category=category,
        name=name,
        reps=int(reps) if isinstance(reps, int | float) and reps > 0 else None,
        weight_kg=_pos(m.get("weight")),  # 0: no weight entered (body weight)
        duration_s=_pos(m.get("duration")),
    )


def _first(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return value[0] if value else None
    return value
