"""The SQL files and the settings they take: headers, portability, defaults and overrides."""

from __future__ import annotations

import math
import re
from datetime import date
from importlib import resources

import pytest
from activity_rows import write

import queries
from ingest.database.db import connect
from ingest.errors import ConfigError
from queries.params import DEFAULT_INTENSITY, DEFAULT_THRESHOLDS, resolve

SQL_FILES = sorted(p for p in resources.files("queries.sql").iterdir() if p.name.endswith(".sql"))


@pytest.mark.parametrize("path", SQL_FILES, ids=lambda p: p.name)
def test_every_sql_file_states_its_grain_and_parameters(path):
    text = path.read_text()
    header = "\n".join(line for line in text.splitlines() if line.startswith("--"))
    assert "Grain:" in header, path.name
    used = set(re.findall(r"\$(\w+)", re.sub(r"--[^\n]*", "", text)))
    for name in used:  # every parameter the SQL uses is named in its header
        assert f"${name}" in header, f"{path.name}: ${name}"


@pytest.mark.parametrize("path", SQL_FILES, ids=lambda p: p.name)
def test_sql_avoids_duckdb_only_syntax(path):
    code = re.sub(r"--[^\n]*", "", path.read_text()).lower()
    for construct in (
        r"\bqualify\b",
        r"group by all",
        r"\bpivot\b",
        r"\blist_",
        r"struct_pack",
        r"asof join",
        "::",
    ):
        assert not re.search(construct, code), f"{path.name}: {construct}"


def test_defaults_and_overrides():
    p = resolve({})
    assert p.intensity == DEFAULT_INTENSITY and p.thresholds == DEFAULT_THRESHOLDS
    assert p.alpha(7) == pytest.approx(1 - math.exp(-1 / 7))
    p = resolve({"intensity": {"pilates": 6}, "thresholds": {"monotony_warn": 1.8}})
    assert p.intensity["pilates"] == 6.0 and p.thresholds["monotony_warn"] == 1.8
    assert p.intensity["run"] == 5.0


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"intensity": {"yoga": 2}}, r"\[intensity\]: unknown key 'yoga'"),
        ({"thresholds": {"acwr_high": "high"}}, r"'acwr_high' must be a non-negative number"),
        ({"load": {"fatigue_days": 0}}, r"'fatigue_days' must be at least 1"),
        ({"run_quality_keywords": "hill"}, r"run_quality_keywords: expected a list"),
    ],
)
def test_bad_settings_name_the_key(settings, message):
    with pytest.raises(ConfigError, match=message):
        resolve(settings)


def test_queries_never_read_the_settings_file(tmp_path, monkeypatch, db_path):
    # The caller passes the settings: a settings file in the environment changes nothing, and
    # forgetting them is an error rather than a hidden read of the default file.
    config = tmp_path / "config.toml"
    config.write_text("[intensity]\npilates = 10\n")
    monkeypatch.setenv("CROSSTRAIN_CONFIG", str(config))
    write(db_path, "Ann", [{"start_local": "2026-11-10T18:00", "sport_type": "Pilates", "minutes": 30}])
    day = date(2026, 11, 10)
    with connect(db_path, read_only=True) as con:
        assert queries.sessions(con, "Ann", day, day, {})["load"].tolist() == [120.0]  # 30 x 4
        assert queries.sessions(con, "Ann", day, day, {"intensity": {"pilates": 10}})["load"].tolist() == [
            300.0
        ]
        with pytest.raises(TypeError, match="settings"):
            queries.sessions(con, "Ann", day, day, None)


def test_no_settings_file_read_in_queries():
    sources = [p for p in resources.files("queries").iterdir() if p.name.endswith(".py")]
    for path in sources:
        assert "load_settings" not in path.read_text() and "config_path" not in path.read_text(), path.name


def test_frames_for_an_athlete_without_activities(db_path):
    write(db_path, "Empty", [])
    with connect(db_path, read_only=True) as con:
        daily = queries.daily_metrics(con, "Empty", date(2026, 11, 1), date(2026, 11, 7), {})
        sessions = queries.sessions(con, "Empty", date(2026, 11, 1), date(2026, 11, 7), {})
    assert len(daily) == 7 and list(daily.columns) == [
        "day",
        "load",
        "monotony",
        "strain",
        "acwr",
        "fitness",
        "fatigue",
        "form",
        "support_share",
    ]
    assert not daily.drop(columns=["acwr"]).isna().any().any()  # acwr alone is undefined (NaN)
    assert daily["load"].sum() == 0 and daily["acwr"].isna().all()
    assert sessions.empty and "load" in sessions.columns


@pytest.mark.parametrize("path", SQL_FILES, ids=lambda p: p.name)
def test_categories_are_data_not_literals(path):
    # What a category counts as lives in one table (q_categories, from queries/params.py CATEGORY_ROLES);
    # no SQL file names a category.
    code = re.sub(r"--[^\n]*", "", path.read_text())
    assert not re.search(r"'(run|strength|pilates|mobility|cross|other)'", code), path.name


def test_category_roles_cover_every_category():
    from ingest.categories import CATEGORIES
    from queries.params import CATEGORY_ROLES, ROLES

    assert list(CATEGORY_ROLES) == list(CATEGORIES)
    assert all(set(roles) <= set(ROLES) for roles in CATEGORY_ROLES.values())


def test_monotony_is_written_once():
    # metrics.sql (daily) and metrics_today.sql (one day) both feed scores.sql
    texts = {p.name: re.sub(r"--[^\n]*", "", p.read_text()) for p in SQL_FILES}
    assert [name for name, code in texts.items() if "mean_7d / sd_7d" in code] == ["scores.sql"]
    assert [name for name, code in texts.items() if "load_28d / 4" in code] == ["scores.sql"]
