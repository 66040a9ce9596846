"""Warnings on the patterns real athletes' exports showed, read by a coach (issue 18).

docs/warnings_on_real_data.md read every warning on real public exports at many dates and
docs/warning_judgements.csv holds each verdict. The exports themselves stay out of the project (files
`fetch` brings are never committed); each pattern a verdict hangs on is rewritten here as a small
synthetic athlete of our own (tests/fixtures/pattern_*.csv, in the Strava and Garmin export formats;
tests/fixtures/README.md, heading "eval", names the real athlete each one mirrors). The files are
imported with the CLI as a new user would. Warnings judged true must be raised; patterns judged false
must not be. A false pattern that today's code still raises is marked xfail(strict=True): when a fix
makes it pass, the strict xfail fails and the mark comes off.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from crosstrain.cli import cli

FIXTURES = Path(__file__).resolve().parent / "fixtures"
# athlete (as imported) -> our fixture; the athlete is named by the pattern, not by a person.
PATTERNS = {
    "unlabelled-gym-classes": "pattern_unlabelled_gym_classes.csv",
    "home-workout-as-other": "pattern_home_workout_as_other.csv",
    "ramp-second-week-back": "pattern_ramp_second_week_back.csv",
    "ramp-back-after-break": "pattern_ramp_back_after_break.csv",
    "shin-pain-ramp": "pattern_shin_pain_ramp.csv",
    "daily-walks": "pattern_daily_walks.csv",
    "one-to-two-short-runs": "pattern_one_to_two_short_runs.csv",
    "back-to-usual-after-dip": "pattern_back_to_usual_after_dip.csv",
    "novice-every-run-hard": "pattern_novice_every_run_hard.csv",
    "gap-after-illness": "pattern_gap_after_illness.csv",
    "running-only-alike-runs": "pattern_running_only_alike_runs.csv",
    "trivial-load-spike": "pattern_trivial_load_spike.csv",
}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One database holding every pattern athlete, imported with `crosstrain import` (UTC wall clock)."""
    home = tmp_path_factory.mktemp("home")
    path = home / "patterns.duckdb"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_DATA_HOME", str(home / "data"))
        mp.setenv("XDG_CONFIG_HOME", str(home / "config"))
        mp.delenv("CROSSTRAIN_DB", raising=False)
        mp.delenv("CROSSTRAIN_CONFIG", raising=False)
        for athlete, name in PATTERNS.items():
            args = ["import", str(FIXTURES / name), "--athlete", athlete, "--timezone", "UTC"]
            result = CliRunner().invoke(cli, ["--db", str(path), *args], catch_exceptions=False)
            assert result.exit_code == 0, result.output
    return path


def report(db: Path, athlete: str, as_of: str) -> dict:
    args = ["--db", str(db), "report", "--athlete", athlete, "--as-of", as_of, "--json"]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def codes(rep: dict) -> set[str]:
    return {w["code"] for w in rep["warnings"]}


# Judged true: (pattern athlete, day, code, what the data show). Mirrors jeremyiwk/garmindata
# (jeremy 2021-11-23 monotone_runs and 2022-03-01 no_support_work): twelve runs of 3.2-4.2 km at one
# pace, nothing faster, and no strength ever recorded.
TRUE = [
    ("running-only-alike-runs", "2025-11-30", "monotone_runs", "3.2-4.2 km at one pace, nothing faster"),
    ("running-only-alike-runs", "2025-11-30", "no_support_work", "running only, no strength ever recorded"),
]


@pytest.mark.parametrize(("athlete", "day", "code", "why"), TRUE, ids=[f"{a}-{c}" for a, _, c, _ in TRUE])
def test_true_warnings_are_raised(db: Path, athlete: str, day: str, code: str, why: str) -> None:
    assert code in codes(report(db, athlete, day)), why


# Real ramps, judged true: the coach must be warned (severity warn or high), whichever code says it.
RAMP_CODES = {"run_volume_jump", "acwr_spike", "return_after_break"}
RAMPS = [
    # Mattwasd/Strava (mattwasd 2021-08-09): a ramp back from a break, runs named for shin pain.
    ("shin-pain-ramp", "2025-08-11", "13.5 -> 27.5 km in the second week back, runs named for sore shins"),
    # kostaskes/my-garmin-runs (kostaskes 2020-02-04): the second week after 83 days off.
    ("ramp-second-week-back", "2025-02-11", "6.7 -> 16.9 km in the second week after 83 days off"),
    # loweas/garmin (loweas 2018-10-04): the third week back after a break.
    ("ramp-back-after-break", "2025-10-04", "0 -> 8 -> 11.5 -> 26.1 km, the third week back"),
]


@pytest.mark.parametrize(("athlete", "day", "why"), RAMPS, ids=[a for a, _, _ in RAMPS])
def test_ramps_are_warned(db: Path, athlete: str, day: str, why: str) -> None:
    rep = report(db, athlete, day)
    warned = {w["code"] for w in rep["warnings"] if w["severity"] in ("warn", "high")}
    assert warned & RAMP_CODES, why


def test_novice_running_every_run_hard_is_told(db: Path) -> None:
    """Mirrors jeremyiwk/garmindata (jeremy 2021-09-16): a couch-to-5k novice's runs at 87-89% of his
    recorded maximum heart rate, every one of them (hard_every_run)."""
    assert "hard_every_run" in codes(report(db, "novice-every-run-hard", "2025-09-16"))


def test_unlabelled_gym_classes_are_named(db: Path) -> None:
    """Mirrors AakashB-1996/Strava_Analysis (aakash 2024-07-02): gym classes twice a week typed Strava
    "Workout" with names that say nothing: a warning asks for a label."""
    assert "unlabelled_sessions" in codes(report(db, "unlabelled-gym-classes", "2025-06-30"))


# Judged false: (pattern athlete, day, code that must not be raised, what the data show).
FALSE = [
    # AakashB-1996/Strava_Analysis (aakash 2024-07-02): without the unlabelled rule, no_support_work
    # (high: no labelled support work in 6 weeks) and low_support_share are raised here.
    pytest.param(
        "unlabelled-gym-classes",
        "2025-06-30",
        "no_support_work",
        "12 unlabelled gym classes (Strava Workout) in 6 weeks",
        id="unlabelled-gym-no_support_work",
    ),
    pytest.param(
        "unlabelled-gym-classes",
        "2025-06-30",
        "low_support_share",
        "7 x 45 min of unlabelled gym classes in the 28 days",
        id="unlabelled-gym-low_support_share",
    ),
    # kostaskes/my-garmin-runs (kostaskes 2020-02-04): HomeWorkout logged as Garmin "Other"; without
    # those four sessions no_support_work is raised (5 weeks of runs only).
    pytest.param(
        "home-workout-as-other",
        "2025-02-04",
        "no_support_work",
        "4 HomeWorkout sessions (Garmin Other) in 8 days",
        id="homeworkout-no_support_work",
    ),
    # Bergolito/strava-atividades (bergolito 2020-09-10): one short run a week, then two. Raised with
    # run_jump_base_km = 0 (10 km against 5 km weeks).
    pytest.param(
        "one-to-two-short-runs",
        "2025-09-10",
        "run_volume_jump",
        "1 -> 2 runs of 5 km; usual 10 km a week",
        id="one-to-two-runs",
    ),
    # jeremyiwk/garmindata (jeremy 2021-09-16): back to the usual week after a dip. Against the mean of
    # the 3 weeks before (9, 9, 18 km: 12) 18 km is a jump of 50%; against their largest it is none.
    pytest.param(
        "back-to-usual-after-dip",
        "2025-09-16",
        "run_volume_jump",
        "18 km after two 9 km weeks; usual 18 km",
        id="back-to-usual-after-a-dip",
    ),
    # jeremyiwk/garmindata (jeremy 2022-01-16): a 17-day illness gap inside the 28 days. Raised (high)
    # with acwr_max_gap_days = 100: the ratio measures the gap.
    pytest.param(
        "gap-after-illness",
        "2025-01-16",
        "acwr_spike",
        "a 17-day gap inside the 28 days, then the usual 15.7 km week",
        id="gap-in-the-chronic-window",
    ),
    # Not raised since evaluation 8 (run_jump_layoff_days = 28): a 17-day gap is no layoff, so the week
    # is judged against the usual level before the gap, not the gap's empty weeks.
    pytest.param(
        "gap-after-illness",
        "2025-01-16",
        "run_volume_jump",
        "15.7 km in the 7 days after the first run back from a 17-day gap: the usual week before it",
        id="week-after-illness-gap",
    ),
    # kostaskes/my-garmin-runs (kostaskes 2024-03-12): a week of daily walks. Raised (high) with
    # monotony_min_load_7d = 0: the walks are alike, but their load is trivial.
    pytest.param(
        "daily-walks",
        "2025-03-12",
        "high_monotony",
        "daily 39-41 min walks, 7-day load about 560",
        id="walks-monotony",
    ),
    # MDMM02/Healthy-Girly (mdmm02 2026-04-15, the held-out evaluation): three weeks of 6-min walks,
    # then a week of 15-40 min walks and one 20-min treadmill run: a HIGH ratio on a trivial load (false
    # on main; acwr_min_acute_load, 600, silences a week under WHO 2020's 150 minutes of moderate activity).
    pytest.param(
        "trivial-load-spike",
        "2025-04-28",
        "acwr_spike",
        "walks and one 20-min run, 460 load in the week against 178",
        id="trivial-load-acwr-spike",
    ),
]


@pytest.mark.parametrize(("athlete", "day", "code", "why"), FALSE)
def test_false_patterns_are_not_raised(db: Path, athlete: str, day: str, code: str, why: str) -> None:
    assert code not in codes(report(db, athlete, day)), why


def test_unlabelled_gym_work_alone_is_not_red(db: Path) -> None:
    """Mirrors AakashB-1996/Strava_Analysis (aakash 2024-07-02): the coach saw red only from the false
    support warnings beside his classes; were they raised, no_support_work (high) would make it red."""
    assert report(db, "unlabelled-gym-classes", "2025-06-30")["summary"]["risk"] != "red"
