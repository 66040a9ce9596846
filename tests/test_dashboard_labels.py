"""The athlete page's words, settings and unlabelled sessions, on a real DuckDB file (no browser)."""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path

import activity_rows
import dashboard_data
import pytest
from test_dashboard_app import find, ids, pages, text

from dashboard import athlete_view, components, create_app, data, unlabelled_view
from ingest.database.db import connect
from queries.unlabelled import unlabelled

GYM = "Gina Gym (test)"
CLASS = "M”A”Dabolic Tuesday"


def gym_goer(athlete_id: int) -> list[dict]:
    """Runs most days and eight gym classes logged as 'Workout' with a name no keyword matches."""
    rows = dashboard_data.monotone(athlete_id, days=56)
    for i in range(8):
        day = dashboard_data.END - dt.timedelta(days=7 * i + 1)
        rows.append(dashboard_data._row(athlete_id, day, "Workout", 50, None, CLASS, 5000 + i))
    rows.append(
        dashboard_data._row(athlete_id, dashboard_data.END, "Other", 30, None, "Saturday thing", 6000)
    )
    return rows


@pytest.fixture
def app(db_path: Path):
    dashboard_data.build(db_path, {GYM: gym_goer, "Bea Balanced (test)": dashboard_data.balanced})
    app = create_app(db_path)
    with app.server.test_request_context("/"):
        yield app


def test_unlabelled_query_lists_generic_types_without_keywords(app):
    with data.reading() as con:
        rows = unlabelled(con, GYM)
        assert unlabelled(con, "Bea Balanced (test)") == [] and unlabelled(con, "Nobody") == []
    assert [r["name"] for r in rows].count(CLASS) == 8
    assert {r["sport_type"] for r in rows} == {"Workout", "Other"}
    assert rows[0]["day"] == dashboard_data.END  # newest first
    assert rows[1]["minutes"] == 50.0


def test_the_athlete_page_groups_them_by_name_with_a_picker(app):
    page = athlete_view.render(GYM, "2026-10-01", "2026-11-22")
    section = find(page, "unlabelled")
    assert "9 sessions have a type that says nothing" in text(section)
    groups = find(page, "unlabelled-groups").data
    assert [(g["name"], len(g["ids"])) for g in groups] == [(CLASS, 8), ("Saturday thing", 1)]
    assert "Label all 8" in text(find(page, "unlabelled-group-0"))
    assert "unlabelled" in ids(athlete_view.render("Bea Balanced (test)", "2026-10-01", "2026-11-22"))
    assert find(athlete_view.render("Bea Balanced (test)", None, "2026-11-22"), "unlabelled-groups") is None


def test_labelling_all_sessions_with_a_name_writes_through_ingest_and_clears_the_warning(app):
    before = athlete_view.render(GYM, "2026-10-01", "2026-11-22")
    # unlabelled classes in the window: no support warning as if nothing was done, one that asks
    assert "athlete-warning-no_support_work" not in ids(before)
    assert CLASS in text(find(before, "athlete-warning-unlabelled_sessions"))
    groups = find(before, "unlabelled-groups").data
    picked = [{"id": {"type": "unlabelled-category", "index": 0}, "value": "strength"}]
    asked = unlabelled_view.chosen_label({"type": "unlabelled-apply", "index": 0}, groups, picked, [])
    assert asked is not None
    assert unlabelled_view.label(asked[0], asked[1]) == 8
    assert unlabelled_view.label(asked[0], asked[1]) == 0  # nothing left to change
    with connect(data.config().db_path, read_only=True) as con:
        cats = con.execute("select distinct category from activities where name = ?", [CLASS]).fetchall()
    assert cats == [("strength",)]
    after = athlete_view.render(GYM, "2026-10-01", "2026-11-22")
    assert [g["name"] for g in find(after, "unlabelled-groups").data] == ["Saturday thing"]
    assert CLASS not in text(find(after, "athlete-warning-unlabelled_sessions"))


def test_all_sessions_of_this_name_labels_later_imports_too(app, db_path):
    groups = find(athlete_view.render(GYM, None, "2026-11-22"), "unlabelled-groups").data
    picked = [{"id": {"type": "unlabelled-category", "index": 0}, "value": "strength"}]
    trigger = {"type": "unlabelled-apply", "index": 0}
    ids_, category, what = unlabelled_view.chosen_label(trigger, groups, picked, [])
    assert what == f"all sessions named '{CLASS}' (now and in later imports)"
    assert unlabelled_view.label(ids_, category, same_name=True) == 8
    # the next class, imported later, gets the label through the one write path
    with connect(db_path) as con:
        athlete_id = con.execute("select athlete_id from athletes where name = ?", [GYM]).fetchone()[0]
    later = dashboard_data.END + dt.timedelta(days=1)
    activity_rows.write(
        db_path,
        GYM,
        [{"start_local": f"{later}T18:00", "sport_type": "Workout", "name": CLASS, "minutes": 50}],
    )
    with connect(db_path, read_only=True) as con:
        got = con.execute(
            "select category from activities where athlete_id = ? and start_local >= ?", [athlete_id, later]
        ).fetchall()
    assert got == [("strength",)]


def test_one_session_at_a_time(app):
    groups = find(athlete_view.render(GYM, None, "2026-11-22"), "unlabelled-groups").data
    one = groups[0]["ids"][0]
    chosen = [{"id": {"type": "unlabelled-one", "index": one}, "value": "pilates"}]
    asked = unlabelled_view.chosen_label({"type": "unlabelled-one", "index": one}, groups, [], chosen)
    assert asked == ([one], "pilates", "1 session")
    assert unlabelled_view.label(*asked[:2]) == 1
    left = find(athlete_view.render(GYM, None, "2026-11-22"), "unlabelled-groups").data
    assert len(left[0]["ids"]) == 7


def test_nothing_is_written_without_a_category_or_for_a_stale_index(app):
    groups = [{"name": CLASS, "ids": [1, 2]}]
    assert unlabelled_view.chosen_label({"type": "unlabelled-apply", "index": 0}, groups, [], []) is None
    picked = [{"id": {"type": "unlabelled-category", "index": 5}, "value": "strength"}]
    assert unlabelled_view.chosen_label({"type": "unlabelled-apply", "index": 5}, groups, picked, []) is None
    bad = [{"id": {"type": "unlabelled-one", "index": 1}, "value": "<script>"}]
    assert unlabelled_view.chosen_label({"type": "unlabelled-one", "index": 1}, groups, [], bad) is None


def test_risk_words_are_the_clis_and_inactive_is_grey_and_last(app):
    assert components.risk_badge("red").children == "risk: red"
    assert components.risk_badge("green").children == "risk: green"
    inactive = components.risk_badge("inactive", "2026-09-01")
    assert inactive.children == "inactive since 2026-09-01"
    assert inactive.style["backgroundColor"] == "#8A939B"
    compare = {
        "as_of": "2026-11-22",
        "athletes": [
            {"athlete": "Ivy Idle", "risk": "inactive", "last_activity": "2026-08-30", "warnings": []},
            {"athlete": "Rex Red", "risk": "red", "last_activity": "2026-11-21", "warnings": ["acwr_spike"]},
            {"athlete": "Gus Green", "risk": "green", "last_activity": "2026-11-20", "warnings": []},
        ],
    }
    for a in compare["athletes"]:
        a |= {"support_share": 0.1, "run_km": 0.0, "strength_sessions_per_week": 0.0}
        a |= {"monotony": None, "acwr": float("nan")}
    rows = pages()[0].table_rows(compare, dashboard_data.pd.DataFrame())
    assert [(r["athlete"], r["risk_text"]) for r in rows] == [
        ("Rex Red", "red"),
        ("Gus Green", "green"),
        ("Ivy Idle", "inactive since 2026-08-30"),
    ]
    grid = pages()[0].overview_table(rows)
    assert all(r["acwr"] is None for r in grid.rowData)  # NaN never reaches the page: a dash
    risk_column = next(c for c in grid.columnDefs if c["field"] == "risk_text")
    assert "#8A939B" in str(risk_column["cellStyle"])


@pytest.fixture
def started_with_settings(db_path, tmp_path):
    """The dashboard started with thresholds other than the defaults and the default settings file."""
    dashboard_data.build(db_path)
    default_file = tmp_path / "config" / "crosstrain" / "config.toml"  # XDG_CONFIG_HOME of this test
    default_file.parent.mkdir(parents=True)
    default_file.write_text(
        "[thresholds]\nmonotony_warn = 1.1\nmonotony_high = 1.2\nsupport_share_low = 0.05\nacwr_high = 1.9\n"
    )
    started = {"thresholds": {"monotony_warn": 1.7, "monotony_high": 2.5, "support_share_low": 0.25}}
    started["thresholds"]["acwr_high"] = 1.3
    app = create_app(db_path, settings=started)
    with app.server.test_request_context("/"):
        yield app


def lines_of(figure: dict) -> list[float]:
    return sorted(s["y0"] for s in figure["layout"]["shapes"] if s["type"] == "line")


def test_the_dashboard_uses_the_settings_it_started_with_not_the_default_file(started_with_settings):
    page = athlete_view.render("Bea Balanced (test)", "2026-10-01", "2026-11-22")
    assert lines_of(find(page, "athlete-monotony").figure) == [1.7, 2.5]
    assert lines_of(find(page, "athlete-support").figure) == [0.25]
    assert lines_of(find(page, "athlete-acwr").figure) == [1.3]
    assert "warn 1.7, high 2.5" in text(page) and "target ≥ 25%" in text(page)
    # The same settings drive the warnings: a warning names the threshold in force, never 1.1.
    report = find(page, "athlete-warnings")
    assert "athlete-warning-high_monotony" not in ids(report) or "1.7" in text(report)


def test_the_plan_page_draws_the_thresholds_the_dashboard_started_with(started_with_settings):
    from dashboard.pages import plan

    page = plan.show_plan("Bea Balanced (test)", 0, 0, "2026-11-22", None)
    acwr, support = find(page, "plan-acwr").figure, find(page, "plan-support").figure
    assert lines_of(acwr) == [1.3] and lines_of(support) == [0.25]
    labels = [a["text"] for fig in (acwr, support) for a in fig["layout"]["annotations"]]
    assert labels == ["spike 1.3", "target ≥ 25%"]  # labelled as on the athlete page


def test_a_bad_setting_stops_the_start_with_one_line(db_path):
    from ingest.errors import ConfigError

    with pytest.raises(ConfigError, match="monotony_warn"):
        create_app(db_path, settings={"thresholds": {"monotony_warn": "high"}})


@pytest.mark.parametrize(
    ("as_of", "says"),
    [
        ("0001-01-01", "from 1970-01-01"),
        ("1969-12-31", "from 1970-01-01"),
        ("1900-03-01", "from 1970-01-01"),
        ("9999-12-31", "a year ahead"),
        ("yesterday", "not a date"),
        ("2026-02-30", "not a date"),
    ],
)
def test_as_of_outside_1970_to_a_year_ahead_is_a_message_in_the_page(app, as_of, says):
    for page_id, page in (
        ("overview", pages()[0].layout(as_of=as_of)),
        ("athlete", pages()[1].layout(name="Gina%20Gym%20%28test%29", as_of=as_of)),
        ("compare", pages()[2].layout(as_of=as_of)),
    ):
        assert page.id == f"{page_id}-problem", page_id
        assert says in text(page) and "as_of" in text(page)
    assert athlete_view.render(GYM, as_of, None).id == "athlete-problem"


def test_dates_at_the_edges_are_accepted(app):
    assert find(pages()[0].layout(as_of="1970-01-01"), "overview-table") is not None
    assert (
        find(pages()[1].layout(name="Gina%20Gym%20%28test%29", as_of="1970-01-01"), "athlete-name")
        is not None
    )
    table = find(pages()[2].render([GYM, "Bea Balanced (test)"], "1970-01-01"), "compare-table")
    assert [r["risk_text"] for r in table.rowData] == ["inactive: no data yet"] * 2  # history starts later
    ahead = (dt.date.today() + dt.timedelta(days=365)).isoformat()
    assert find(pages()[0].layout(as_of=ahead), "overview-table") is not None


def test_undefined_numbers_show_as_a_dash_with_the_reason():
    assert components.fmt(float("nan")) == "–" and components.fmt(float("inf"), ".0%") == "–"
    assert components.fmt(None) == "–" and components.fmt(0.25, ".0%") == "25%"
    summary = {"acwr": None, "monotony": float("nan"), "support_share": 0.2}
    assert athlete_view.stat_hint(summary, "acwr", "band") == "no load in 28 days"
    assert athlete_view.stat_hint(summary, "monotony", "warn") == "no load in 7 days"
    assert athlete_view.stat_hint(summary, "support_share", "target") == "target"


def test_no_deprecation_warnings_from_our_pages(app):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pages()[0].layout()
        athlete_view.render(GYM, "2026-10-01", "2026-11-22")
        pages()[2].render([GYM, "Bea Balanced (test)"], "2026-11-22")
        pages()[3].layout()
    deprecations = [w for w in caught if issubclass(w.category, DeprecationWarning | FutureWarning)]
    assert deprecations == [], [str(w.message)[:200] for w in deprecations]
