"""The FIT decoders compared (issue 22 item 1): fitfast, which ingest/files/fit.py reads with first,
against garmin-fit-sdk (fitdecode where the SDK refuses compressed timestamps) on every FIT file we
hold: the files tests/activity_files.py writes, ../shared/formats/files when it is beside the checkout,
and the folders named in CROSSTRAIN_REAL_FIT (os.pathsep-separated; real files kept outside the repo).

Where both read a file, what crosstrain takes from it is equal: every session's sport, totals, RPE,
name and clock zone, every sample (time, heart rate, speed, altitude, position) and every strength
set (exercise names from the FIT profile, reps, weight). The decoder chosen for each file is asserted
where it is known, and damaged files end in one FileFormatError line, never a panic.
"""

from __future__ import annotations

import dataclasses
import math
import os
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import fuzz_corpus as fc
import numpy as np
import pytest
from activity_files import fit_activity, fit_compressed, fit_strength, strength_set
from conftest import MIRRORS

from ingest.errors import FileFormatError
from ingest.files import fit, fit_layout

T0 = datetime(2026, 5, 4, 6, 30, tzinfo=UTC)
SHARED = fc.SHARED_FORMATS / "files" if fc.SHARED_FORMATS is not None else None
# The real files of ../shared/formats/files and the decoder that reads each (fit.reading).
SHARED_DECODERS = {
    "garmin_fr70_compressed-timestamps_noGPS.fit": "fitfast",  # the SDK can't: compressed timestamps
    "garmin_fr965_multisport_bike+strength_20744294788.fit": "fitfast",
    "garmin_fr965_multisport_strength+run+strength_20555050352.fit": "fitfast",
    "garmin_vivoactivehr_2067489619.fit": "fitfast",
}


def _ours(folder: Path) -> dict[str, bytes]:
    """The FIT files the tests write, each quirk once."""
    sets = [strength_set("squat", 2, 8, 60.0, T0 + timedelta(seconds=60 * i)) for i in range(3)]
    sets.append(strength_set("bench_press", 1, 10, 40.0, T0 + timedelta(seconds=400)))
    made = [
        fit_activity(folder / "run.fit", T0, 900, hr=lambda i: 120 + i % 40, rpe=7),
        fit_activity(folder / "hills.fit", T0, 600, altitude=lambda i: 30 + i / 10, sub_sport="trail"),
        fit_activity(folder / "hr_apart_no_session.fit", T0, 300, hr_apart=True, session=False),
        fit_activity(folder / "clock_jump.fit", T0, 600, clock_jump_at=300),
        fit_activity(folder / "no_gps_local_time.fit", T0, 600, point=None, utc_offset=timedelta(hours=7)),
        fit_activity(folder / "ride.fit", T0, 600, sport="cycling", speed=lambda i: 8.0 + (i % 7) / 1000),
        fit_strength(folder / "strength.fit", T0, 600, sets=sets),
        fit_compressed(folder / "compressed_timestamps.fit", T0, 300),
    ]
    return {p.name: p.read_bytes() for p in made}


def _real() -> dict[str, bytes]:
    """Our mirrors of ../shared/formats' FIT files (tests/fixtures/mirrors), the real ones when beside
    the checkout, and the CROSSTRAIN_REAL_FIT folders: never empty, so nothing skips in a plain clone."""
    folders = [MIRRORS / "files"] + ([SHARED] if SHARED is not None else [])
    folders += [Path(p) for p in os.environ.get("CROSSTRAIN_REAL_FIT", "").split(os.pathsep) if p]
    return {
        f"{folder.name}/{p.name}": p.read_bytes()
        for folder in folders
        for p in sorted(folder.iterdir())
        if p.suffix.lower() == ".fit"
    }


def _taken(messages: dict) -> list[dict] | str:
    """What crosstrain takes from a reading: its recordings as plain data, or the one-line refusal."""
    try:
        recordings = [dataclasses.asdict(r) for r in fit.recordings(messages)]
    except FileFormatError as exc:
        return f"refused: {exc}"
    for r in recordings:
        for series in ("t", "hr", "speed", "altitude", "lat", "lon"):
            r[series] = np.asarray(r[series], dtype=float).tolist()
    return recordings


def _differences(a: object, b: object, where: str = "") -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        if a.keys() != b.keys():
            return [f"{where}: keys {sorted(map(str, a.keys() ^ b.keys()))}"]
        return [d for k in a for d in _differences(a[k], b[k], f"{where}.{k}")]
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{where}: {len(a)} against {len(b)} items"]
        found = [
            d for i, (x, y) in enumerate(zip(a, b, strict=True)) for d in _differences(x, y, f"{where}[{i}]")
        ]
        return found[:1] + ([f"{where}: {len(found)} values differ"] if len(found) > 1 else [])
    if isinstance(a, int | float) and isinstance(b, int | float) and not isinstance(a, bool):
        same = a == b or (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
        return [] if same else [f"{where}: {a!r} against {b!r}"]
    return [] if a == b else [f"{where}: {a!r} against {b!r}"]


def _compare(name: str, data: bytes) -> str:
    """The decoder fit.reading chose for the file, after checking fitfast against the reference."""
    try:
        fast = fit.decode_fitfast(data)
    except FileFormatError:
        fast = None
    try:
        ref_name, ref = fit.reference_reading(data)
    except FileFormatError:
        ref = None
    try:
        chosen, messages, cut = fit.reading(data)
    except FileFormatError as exc:
        assert "\n" not in str(exc)
        assert fast is None and ref is None, f"{name}: a decoder reads it, yet reading() refused it"
        return "refused"
    if cut is not None:
        # truncated: both refused the whole; its complete messages are read as the SDK reads them
        assert fast is None and ref is None, f"{name}: read whole, yet called truncated"
        whole, at = fit_layout.complete_part(data, ran_out=True)  # as reading() found it
        assert at == cut and fit.reading(whole) == (chosen, messages, None)
        return f"{_compare(name, whole)}, truncated"
    if fast is not None and ref is not None:
        # the file's messages are equal where crosstrain reads them, from both decoders
        diff = _differences(_taken(fast), _taken(ref))
        assert not diff, f"{name}: fitfast differs from {ref_name}: {diff[:3]}"
        for kind in ("file_id", "session", "set", "activity"):
            assert len(fast[kind]) == len(ref[kind]), f"{name}: {kind} messages"
    if chosen == "fitfast":
        assert fast is not None
        assert messages == fast
    else:
        assert fast is None, f"{name}: fitfast reads it the same, yet {chosen} was used"
        assert (chosen, messages) == (ref_name, ref)
    return chosen


def test_fitfast_reads_our_files_as_the_sdk_does(tmp_path: Path) -> None:
    chosen = {name: _compare(name, data) for name, data in _ours(tmp_path).items()}
    # our compressed-timestamp file has plain speed fields, so fitfast reads it (the SDK can't)
    assert set(chosen.values()) == {"fitfast"}, chosen
    strength = fit.recordings(fit.reading(_ours(tmp_path)["strength.fit"]).messages)[0]
    assert [(s.category, s.name, s.reps, s.weight_kg) for s in strength.sets] == [
        *[("squat", "back_squats", 8, 60.0)] * 3,
        ("bench_press", "barbell_bench_press", 10, 40.0),
    ]
    local = fit.recordings(fit.reading(_ours(tmp_path)["no_gps_local_time.fit"]).messages)[0]
    assert local.clock_zone == "Etc/GMT-7"


def test_fitfast_reads_every_real_file_as_the_sdk_does() -> None:
    chosen = {name: _compare(name, data) for name, data in _real().items()}
    for name, decoder in SHARED_DECODERS.items():
        assert chosen[f"files/{name}"] == decoder  # the mirror (../shared/formats/files is "files" too)
    assert list(chosen.values()).count("fitfast") > len(chosen) / 2, chosen


FR70 = "files/garmin_fr70_compressed-timestamps_noGPS.fit"


REAL_FR70 = [SHARED.parent / FR70] if SHARED is not None and (SHARED.parent / FR70).exists() else []


@pytest.mark.parametrize(
    "path", [pytest.param(None, id="ours-packed"), *[pytest.param(p, id="real-fr70") for p in REAL_FR70]]
)
def test_compressed_speed_distance_is_expanded_as_fitdecode_does(path: Path | None, tmp_path: Path) -> None:
    """The Forerunner 70's records: compressed timestamps (the SDK refuses them) and speed packed in
    `compressed_speed_distance`, which fitfast 0.1 leaves as bytes and fit.py expands. Its speed and
    times equal fitdecode's, the reading before fitfast. Ours is written so; the real file too when
    ../shared/formats is beside the checkout."""
    if path is None:
        path = fit_compressed(
            tmp_path / "packed.fit", T0, 300, speed=lambda i: 2.5 + (i % 60) / 100, every=5, packed=True
        )
    data = path.read_bytes()
    with pytest.raises(fit.CompressedTimestamps):
        fit.decode_sdk(data)
    decoder, messages, _ = fit.reading(data)
    assert decoder == "fitfast"
    rec = fit.recordings(messages)[0]
    ref = fit.recordings(fit.decode_fitdecode(data))[0]
    assert np.isfinite(rec.speed).sum() > len(rec.speed) / 2
    np.testing.assert_array_equal(rec.speed, ref.speed)
    np.testing.assert_array_equal(rec.t, ref.t)


def test_mutated_fit_files_end_in_one_line(capfd: pytest.CaptureFixture[str]) -> None:
    """The fuzz corpus's FIT mutations: fitfast panics on some (rustyfit's "remainder with a divisor
    of zero"); a panic, like any refusal, is the file's FileFormatError, and nothing reaches stderr."""
    bases = fc.bases("fit")
    panics = 0
    for i in range(300):
        rng = random.Random(f"decoders:{i}")
        name, raw = rng.choice(bases)
        data, _ = fc._fit(raw, rng, name)
        try:
            fit.decode_fitfast(data)
        except FileFormatError as exc:
            assert "\n" not in str(exc)
            panics += "divisor of zero" in str(exc)
    assert panics > 0  # the panic path was exercised
    assert capfd.readouterr().err == ""


def _cut_at(data: bytes, at: int, declared: str) -> bytes:
    """`data` cut at byte `at`, its header's data size as a dying watch or a cut copy leaves it:
    "kept" (the whole file's), "zero" (never written) or "fitting" (rewritten to the cut length, so
    that the last message runs into the CRC: the shape of python-fitparse's nick.fit)."""
    size = {"kept": int.from_bytes(data[4:8], "little"), "zero": 0, "fitting": at - data[0] - 2}[declared]
    return data[:4] + size.to_bytes(4, "little") + data[8:at]


@pytest.mark.parametrize("declared", ["kept", "zero"])
def test_a_truncated_file_gives_its_complete_records_fast(tmp_path: Path, declared: str) -> None:
    """A watch that died mid-activity: the records before the cut are read by fitfast (not the SDK,
    which read a 400 KB file to its end for 0.9 s to refuse it), equal to the whole file's first
    records, and the file says where it was cut and how many records it kept."""
    data = fit_activity(tmp_path / "run.fit", T0, 900, hr=lambda i: 120 + i % 40, session=False).read_bytes()
    full = fit.reading(data)
    assert full.cut is None and full.note() is None
    for at in (len(data) * 2 // 3, len(data) * 2 // 3 + 5, len(data) - 2):
        cut_data = _cut_at(data, at, declared)
        with pytest.raises(FileFormatError):
            fit.decode_fitfast(cut_data)
        read = fit.reading(cut_data)
        assert read.decoder == "fitfast"
        kept = len(read.messages["record"])
        assert 0 < kept <= len(full.messages["record"])
        assert read.messages["record"] == full.messages["record"][:kept]
        assert read.cut is not None and read.cut <= min(at, len(data) - 2)
        assert read.note() == (
            f"truncated at byte {read.cut:,}: imported the first {kept:,} records; its sport was after the"
            " cut, so it is stored as a Workout of category other (`crosstrain activities list`, then"
            " `crosstrain activities set ID --category run` corrects it)"
        )  # this file has no session message, where a watch writes the sport at the end
        assert _compare("cut", cut_data) == "fitfast, truncated"  # the SDK reads the kept part alike
        rec, whole = fit.recordings(read.messages)[0], fit.recordings(full.messages)[0]
        np.testing.assert_array_equal(rec.hr, whole.hr[: len(rec.hr)])
    # the cut falls between two messages (only the CRC missing): every record kept
    assert len(fit.reading(_cut_at(data, len(data) - 2, declared)).messages["record"]) == 900


def test_a_cut_download_or_a_damaged_size_is_refused_not_read_in_part(tmp_path: Path) -> None:
    """A download cut short (the Garmin sync: a new try may get it whole) is refused in one line, fast;
    and a file of the size it declares whose messages run past its end because a size was damaged
    mid-file (the fuzz corpus's crash files: fitfast panics there, not "unexpected EOF") is no
    truncation: it goes to the SDK as before and nothing of it is read."""
    data = fit_activity(tmp_path / "run.fit", T0, 600).read_bytes()
    with pytest.raises(
        FileFormatError, match=r"^corrupt or truncated FIT file \(truncated at byte [\d,]+\)$"
    ):
        fit.reading(data[: len(data) // 2], partial=False)
    for kind in ("value_error_size", "assertion"):
        crash = fc.crash_fit(kind)
        assert fit_layout.complete_part(crash) is None  # the SDK then fitdecode, as before (decode.py's line)
    # the header's size made to fit a cut (the shape of nick.fit): a truncation only when fitfast says
    # the bytes ran out inside a message ("unexpected EOF", as for nick.fit); ours it refuses for its
    # checksum, which a size damaged mid-file gives too: refused, as before
    fitting = _cut_at(data, len(data) * 2 // 3, "fitting")
    assert (
        fit_layout.complete_part(fitting) is None
        and fit_layout.complete_part(fitting, ran_out=True) is not None
    )
    with pytest.raises(FileFormatError, match="^corrupt or truncated FIT file"):
        fit.reading(fitting)


def test_a_file_cut_before_its_first_record_is_one_line(tmp_path: Path) -> None:
    data = fit_activity(tmp_path / "run.fit", T0, 60).read_bytes()
    for at in (14, 20, 40):
        with pytest.raises(FileFormatError, match=r"^truncated at byte \d+: no complete (message|record)"):
            fit.reading(_cut_at(data, at, "kept"))


def test_crc16_is_the_fit_files_own() -> None:
    """The CRC a truncated file's kept part gets: the stored CRC of every FIT file we hold (short,
    long, odd lengths)."""
    checked = 0
    for name, data in [*_real().items(), ("empty", b"\0\0")]:
        if fit_layout.crc16(data[:-2]) == int.from_bytes(data[-2:], "little"):
            checked += 1
        else:  # files whose CRC is wrong on purpose (or chained): the byte-by-byte reference disagrees too
            from garmin_fit_sdk.crc_calculator import CrcCalculator

            assert fit_layout.crc16(data[:-2]) == CrcCalculator.calculate_crc(data[:-2], 0, len(data) - 2), (
                name
            )
    assert checked >= 4


def test_a_header_crc_left_0_is_read_by_fitfast(tmp_path: Path) -> None:
    """A 14-byte header whose CRC is 0 ("not computed": Garmin's Edge 810, six of python-fitparse's
    files): fitfast 0.1 checks the file CRC over the data alone and refused such intact files, which
    the SDK then read ~20x slower. Now fitfast reads them, as the SDK does; a wrong file CRC is still
    refused."""
    from garmin_fit_sdk.crc_calculator import CrcCalculator

    ours = fit_activity(tmp_path / "run.fit", T0, 600, hr=lambda i: 130 + i % 30).read_bytes()
    data = bytes([14]) + ours[1:12] + b"\0\0" + ours[ours[0] : -2]
    intact = data + CrcCalculator.calculate_crc(data, 0, len(data)).to_bytes(2, "little")
    assert _compare("header crc 0", intact) == "fitfast"
    assert fit.reading(intact).messages["record"] == fit.reading(ours).messages["record"]
    damaged = intact[:-2] + bytes([intact[-2] ^ 1, intact[-1]])
    with pytest.raises(FileFormatError, match="checksum mismatch"):
        fit.decode_fitfast(damaged)


def test_records_read_as_columns_are_fitfasts_records(tmp_path: Path) -> None:
    """decode_fitfast reads records as fitfast's numpy columns and the other messages from a copy of
    the file without records (no record becomes a dict: ~0.6x the CPU): every message it gives
    equals fitfast's whole parse, on every FIT file we hold that fitfast reads whole."""
    import fitfast

    columnar = 0
    for name, data in {**_ours(tmp_path), **_real()}.items():
        try:
            messages, parsed = fit.decode_fitfast(data), fitfast.parse(data)
        except (FileFormatError, fitfast.FitDecodeError):
            continue  # refused, or read with its header's CRC written in (test above)
        for kind in (k for k in fit.MESSAGES if k != "record"):
            assert messages[kind] == parsed.get(kind, []), f"{name}: {kind}"
        records = messages["record"]
        if not isinstance(records, fit.Records):
            continue  # chained, compressed timestamps or speed: read record by record
        columnar += 1
        assert len(records) == len(parsed.get("record", [])), name
        for mine, theirs in zip(records, parsed.get("record", []), strict=True):
            numbers = {k: v for k, v in theirs.items() if isinstance(v, int | float) and k in mine}
            assert numbers == {k: mine[k] for k in numbers}, name
            assert not {"timestamp", "heart_rate", "position_lat"} & (theirs.keys() ^ mine.keys()), name
    assert columnar >= 5  # ours alone
