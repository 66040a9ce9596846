"""Our mirrors of ../shared/formats' real files (tests/fixtures/mirrors/) carry the quirk each real file
is kept for, checked on the mirror and, when ../shared/formats is beside the checkout, on the real file
with the same assertions; the committed activity files are what tests/mirror_files.py writes."""

from __future__ import annotations

import csv
import math
import re
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import mirror_files
import pytest
from conftest import MIRRORS, ours_and_real
from garmin_fit_sdk import Decoder, Profile, Stream

from ingest.files import fit


def test_the_committed_activity_files_are_what_their_builders_write(tmp_path: Path) -> None:
    written = mirror_files.write_all(tmp_path)
    assert sorted(p.name for p in (MIRRORS / "files").iterdir()) == sorted(mirror_files.BUILDERS)
    for p in written:
        assert p.read_bytes() == (MIRRORS / "files" / p.name).read_bytes(), p.name


def _header(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as fh:
        return next(csv.reader(fh))


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))[1:]


@pytest.mark.parametrize(("path", "_"), ours_and_real("strava_2025_99cols.csv"))
def test_strava_99_columns_with_duplicated_names_and_quoted_dates(path: Path, _: None) -> None:
    header = _header(path)
    assert len(header) == 99
    twice = {name for name, n in Counter(header).items() if n == 2}
    assert {"Elapsed Time", "Distance", "Max Heart Rate", "Relative Effort", "Commute"} <= twice
    text = path.read_text(encoding="utf-8")
    assert re.search(r'"[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}:\d{2} [AP]M"', text)
    rows = _rows(path)
    dates = [r[1] for r in rows]
    assert dates != sorted(dates)  # not in date order


@pytest.mark.parametrize(("path", "_"), ours_and_real("strava_2021_html_header.csv"))
def test_strava_2021_header_holds_raw_html(path: Path, _: None) -> None:
    header = _header(path)
    assert len(header) == 80
    assert sum(h.startswith('<span class="translation_missing"') for h in header) >= 2
    assert any(r[10].endswith(".gpx.gz") for r in _rows(path))


@pytest.mark.parametrize(("path", "_"), ours_and_real("strava_2025_en_AU_dates.csv"))
def test_strava_en_au_dates_and_nike_run_club_doubles(path: Path, _: None) -> None:
    rows = _rows(path)
    assert all(re.fullmatch(r"\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}:\d{2}", r[1]) for r in rows)
    assert sum(r[2].startswith("Nike Run Club: ") for r in rows) >= 3


@pytest.mark.parametrize(("path", "_"), ours_and_real("strava_2018_old_header.csv"))
def test_strava_2018_old_header_in_metres(path: Path, _: None) -> None:
    assert _header(path) == ["id", "date", "name", "type", "description", "elapsed_time", "distance",
                             "commute", "gear", "filename"]  # fmt: skip
    assert any(float(r[6]) > 1000 for r in _rows(path))  # metres


@pytest.mark.parametrize(("path", "_"), ours_and_real("garmin_2022.csv"))
def test_garmin_2022_time_dashes_and_repeated_cadence(path: Path, _: None) -> None:
    header = _header(path)
    assert len(header) == 43 and "Time" in header
    assert Counter(header)["Avg Run Cadence"] == 2 and Counter(header)["Max Run Cadence"] == 2
    assert any("--" in r for r in _rows(path))
    assert any(r[0] == "Hiking" for r in _rows(path))


@pytest.mark.parametrize(("path", "_"), ours_and_real("garmin_2026_total_time.csv"))
def test_garmin_total_time_thousands_and_wider_rows(path: Path, _: None) -> None:
    header = _header(path)
    assert len(header) == 33 and "Total Time" in header and "Time" not in header
    rows = _rows(path)
    assert [len(r) for r in rows[:2]] == [37, 37] and all(len(r) == 33 for r in rows[2:])
    assert rows[0][0] == "Track Running" and re.fullmatch(r"\d,\d{3}", rows[0][4])  # metres: "6,420"


@pytest.mark.parametrize(("path", "_"), ours_and_real("garmin_2026_decimal_comma.csv"))
def test_garmin_decimal_commas(path: Path, _: None) -> None:
    rows = _rows(path)
    assert any(re.fullmatch(r"\d+,\d{2}", r[4]) and r[4] != "0,00" for r in rows)  # km: "8,74"
    assert any(re.fullmatch(r"\d{2}:\d{2}:\d{2},\d", r[6]) for r in rows)  # "00:04:05,5"
    assert any(re.fullmatch(r"\d\.\d{3}", r[26]) for r in rows)  # steps with a thousands point


def _messages(path: Path) -> dict:
    return fit.reading(path.read_bytes()).messages


@pytest.mark.parametrize(("path", "_"), ours_and_real("files/garmin_fr70_compressed-timestamps_noGPS.fit"))
def test_fr70_compressed_timestamps_no_gps_and_a_local_time_days_off(path: Path, _: None) -> None:
    _, errors = Decoder(Stream.from_byte_array(bytearray(path.read_bytes()))).read()
    assert errors and "ompressed timestamp" in str(errors[0])  # the SDK refuses; fitdecode reads it
    m = _messages(path)
    assert len(m["session"]) == 1 and m["session"][0]["sport"] == "running"
    assert not any("position_lat" in r for r in m["record"]) and any("speed" in r for r in m["record"])
    [activity] = m["activity"]
    assert 6 * 86400 < abs(activity["local_timestamp"] - activity["timestamp"]) < 7 * 86400
    assert fit.clock_zone(m) is None


@pytest.mark.parametrize(
    ("path", "_"), ours_and_real("files/garmin_fr965_multisport_bike+strength_20744294788.fit")
)
def test_fr965_bike_then_strength_with_guessed_sets(path: Path, _: None) -> None:
    m = _messages(path)
    assert [(s["sport"], s["sub_sport"]) for s in m["session"]] == [
        ("cycling", "indoor_cycling"),
        ("training", "strength_training"),
    ]
    assert m["session"][1]["workout_rpe"] == 40
    assert not any("position_lat" in r for r in m["record"])
    assert fit.clock_zone(m) == "Etc/GMT-3"
    kinds = Counter(s["set_type"] for s in m["set"])
    assert kinds["active"] >= 10 and kinds["rest"] >= 10
    active = [s for s in m["set"] if s["set_type"] == "active"]
    assert all(len(s["category"]) == 3 for s in active)  # the watch's three guesses
    assert any(_category_names(s) == ["unknown"] * 3 for s in active)
    assert any(_category_names(s)[0] == "deadlift" and s["weight"] > 50 for s in active)


def _category_names(fit_set: dict) -> list:
    """A set's category guesses by name: fitfast gives the profile's numbers, Garmin's SDK its names."""
    names = Profile["types"]["exercise_category"]
    return [names.get(c, c) if isinstance(c, int) else c for c in fit_set["category"]]


@pytest.mark.parametrize(
    ("path", "_"), ours_and_real("files/garmin_fr965_multisport_strength+run+strength_20555050352.fit")
)
def test_fr965_strength_run_strength_with_sets_only_in_strength(path: Path, _: None) -> None:
    m = _messages(path)
    sessions = m["session"]
    assert [s["sport"] for s in sessions] == ["training", "running", "training"]
    run = sessions[1]
    run_end = sessions[2]["start_time"]
    assert not any(run["start_time"] <= s["start_time"] < run_end for s in m["set"])
    assert any("position_lat" in r for r in m["record"] if run["start_time"] <= r["timestamp"] < run_end)
    assert any(s.get("repetitions") == 0 and s.get("weight") for s in m["set"])


@pytest.mark.parametrize(
    ("fit_path", "gpx_path"),
    [
        (a.values[0], b.values[0])
        for a, b in zip(
            ours_and_real("files/garmin_vivoactivehr_2067489619.fit"),
            ours_and_real("files/garmin_connect_2067489619.gpx"),
            strict=True,
        )
    ],
)
def test_vivoactive_run_as_fit_and_as_garmin_connect_gpx(fit_path: Path, gpx_path: Path) -> None:
    m = _messages(fit_path)
    [session] = m["session"]
    gpx = gpx_path.read_text(encoding="utf-8")
    assert "<ns3:hr>" in gpx and 'creator="Garmin Connect"' in gpx and "<type>running</type>" in gpx
    first = re.search(r"<trkpt[^>]*>\s*<ele>[^<]*</ele>\s*<time>([^<]*)</time>", gpx)
    assert first is not None  # the same run: the GPX starts when the FIT's session does
    assert datetime.fromisoformat(first.group(1).replace("Z", "+00:00")) == datetime.fromtimestamp(
        session["start_time"], UTC
    )


@pytest.mark.parametrize(("path", "_"), ours_and_real("files/runkeeper_negative-time-step-at-start.gpx"))
def test_runkeeper_steps_back_in_time_at_the_start(path: Path, _: None) -> None:
    text = path.read_text(encoding="utf-8")
    times = re.findall(r"<trkpt[^>]*>\s*<ele>[^<]*</ele>\s*<time>([^<]*)</time>", text)
    assert times[1] < times[0] and times[2:] == sorted(times[2:])
    assert "<![CDATA[" in text and "<type>" not in text


@pytest.mark.parametrize(("path", "_"), ours_and_real("files/suunto_movescount_mixed-extensions.gpx"))
def test_movescount_mixes_extension_namespaces(path: Path, _: None) -> None:
    text = path.read_text(encoding="utf-8")
    assert "<gpxtpx:hr>" in text and "<gpxdata:cadence>" in text and "<gpxdata:speed>" in text
    assert "<gpxdata:lap>" in text


@pytest.mark.parametrize(("path", "_"), ours_and_real("files/garmin_connect_ns3-prefix_tiny.gpx"))
def test_garmin_connect_tiny_track_with_ns3_prefix(path: Path, _: None) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count("<trkpt") <= 40 and "<ns3:hr>" in text and "<ns3:atemp>" in text


@pytest.mark.parametrize(("path", "_"), ours_and_real("files/strava_export_run.gpx"))
def test_strava_gpx_without_a_type(path: Path, _: None) -> None:
    text = path.read_text(encoding="utf-8")
    assert 'creator="StravaGPX"' in text and "<type>" not in text and "<gpxtpx:atemp>" in text


@pytest.mark.parametrize(("path", "_"), ours_and_real("files/suunto_spartan_ultra_run.tcx"))
def test_suunto_tcx_lap_totals_beyond_its_track_points(path: Path, _: None) -> None:
    text = path.read_text(encoding="utf-8")
    assert "<Track />" in text and "<Name>Suunto Spartan Ultra</Name>" in text
    lap_m = sum(float(x) for x in re.findall(r"<Lap [^>]*>\s*<TotalTimeSeconds>[^<]*</TotalTimeSeconds>\s*"
                                              r"<DistanceMeters>([^<]*)</DistanceMeters>", text))  # fmt: skip
    lats = [float(x) for x in re.findall(r"<LatitudeDegrees>([^<]*)</LatitudeDegrees>", text)]
    lons = [float(x) for x in re.findall(r"<LongitudeDegrees>([^<]*)</LongitudeDegrees>", text)]
    covered = sum(  # metres along the track points (flat earth: a few km)
        math.hypot(la2 - la1, (lo2 - lo1) * math.cos(math.radians(la1))) * 111_195
        for la1, lo1, la2, lo2 in zip(lats, lons, lats[1:], lons[1:], strict=False)
    )
    assert lap_m > covered * 1.05
