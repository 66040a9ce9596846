"""Figure functions: pure, from query-shaped frames to plotly figures; no browser, no database."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard import figures, thresholds

DAYS = pd.date_range("2026-10-01", "2026-11-22").date


def daily(n: int = len(DAYS), monotony: float = 1.2) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "day": DAYS[:n],
            "load": 300.0,
            "monotony": monotony,
            "strain": 2500.0,
            "acwr": [None] * 10 + [1.1] * (n - 10),
            "fitness": 200.0,
            "fatigue": 220.0,
            "form": -20.0,
            "support_share": 0.15,
        }
    )


def weekly() -> pd.DataFrame:
    rows = []
    for week in ("2026-11-02", "2026-11-09", "2026-11-16"):
        for cat, minutes in zip(figures.CATEGORIES, (300, 80, 50, 0, 0, 0), strict=True):
            rows.append(
                {"athlete": "A", "week": dt.date.fromisoformat(week), "category": cat, "minutes": minutes}
                | {"sessions": 1, "run_km": 50.0 if cat == "run" else 0.0, "load": minutes * 5}
            )
    return pd.DataFrame(rows)


def sessions(names: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "activity_id": range(len(names)),
            "day": [dt.date(2026, 11, 20)] * len(names),
            "start_local": pd.date_range("2026-11-20 07:00", periods=len(names), freq="h"),
            "category": ["run", "strength", "pilates"][: len(names)],
            "sport_type": ["Run", "WeightTraining", "Pilates"][: len(names)],
            "name": names,
            "minutes": [45.0, 30.0, 50.0][: len(names)],
            "distance_km": [9.0, None, None][: len(names)],
            "load": [225.0, 150.0, 250.0][: len(names)],
        }
    )


def test_one_colour_per_category_everywhere():
    assert set(figures.PALETTE) == set(figures.CATEGORIES)
    assert len(set(figures.PALETTE.values())) == len(figures.CATEGORIES)
    fig = go.Figure(figures.weekly_minutes(weekly()))
    colours = {t.name: t.marker.color for t in fig.data}
    assert colours == {
        "run": figures.PALETTE["run"],
        "strength": figures.PALETTE["strength"],
        "pilates": "#B07AA1",
    }
    cal = go.Figure(figures.calendar(sessions(["a", "b", "c"]), "2026-11-01", "2026-11-22"))
    assert {t.name: t.marker.color for t in cal.data} == {
        c: figures.PALETTE[c] for c in ("run", "strength", "pilates")
    }


def test_weekly_minutes_is_stacked_and_titled_with_units():
    fig = go.Figure(figures.weekly_minutes(weekly()))
    assert fig.layout.barmode == "stack"
    assert "Weekly minutes" in fig.layout.title.text
    assert fig.layout.yaxis.title.text == "minutes per week"
    run = next(t for t in fig.data if t.name == "run")
    assert list(run.y) == [300, 300, 300]
    assert not any(
        t.name == "mobility" for t in fig.data
    )  # categories without minutes stay out of the legend


def test_monotony_chart_draws_the_warn_and_high_lines():
    fig = go.Figure(figures.monotony_strain(daily()))
    lines = sorted(s.y0 for s in fig.layout.shapes if s.type == "line")
    assert lines == [1.5, 2.0]
    assert {t.name for t in fig.data} == {"monotony", "strain (AU)"}
    assert fig.layout.yaxis.range[1] >= 2.6  # both lines are in view even when monotony is low


def test_acwr_band_and_spike_line():
    fig = go.Figure(figures.acwr(daily()))
    rects = [s for s in fig.layout.shapes if s.type == "rect"]
    assert [(r.y0, r.y1) for r in rects] == [(0.8, 1.5)]  # no flag between acwr_low and acwr_high
    assert [s.y0 for s in fig.layout.shapes if s.type == "line"] == [1.5]


def test_acwr_without_history_says_so():
    frame = daily().assign(acwr=None)
    fig = go.Figure(figures.acwr(frame))
    assert "Not enough history" in fig.layout.annotations[0].text


def test_support_share_target_line_band_and_percent_axis():
    fig = go.Figure(figures.support_share(daily()))
    rect = next(s for s in fig.layout.shapes if s.type == "rect")
    line = next(s for s in fig.layout.shapes if s.type == "line")
    assert rect.y0 == line.y0 == 0.10 and rect.y1 >= 0.5
    assert fig.layout.annotations[0].text == "target ≥ 10%"
    assert fig.layout.yaxis.tickformat == ".0%"


def test_changed_thresholds_move_the_reference_lines_and_their_labels():
    settings = {"thresholds": {"support_share_low": 0.2, "monotony_warn": 1.7, "monotony_high": 2.4}}
    settings["thresholds"] |= {"acwr_low": 0.7, "acwr_high": 1.4}
    lines = thresholds.in_force({"summary": {}}, settings)
    assert lines == {
        "support_share_target": 0.2,
        "monotony_warn": 1.7,
        "monotony_high": 2.4,
        "acwr_low": 0.7,
        "acwr_high": 1.4,
    }
    mono = go.Figure(figures.monotony_strain(daily(), lines))
    assert sorted(s.y0 for s in mono.layout.shapes if s.type == "line") == [1.7, 2.4]
    assert {a.text for a in mono.layout.annotations} == {"warn 1.7", "high 2.4"}
    acwr = go.Figure(figures.acwr(daily(), lines))
    assert [(s.y0, s.y1) for s in acwr.layout.shapes if s.type == "rect"] == [(0.7, 1.4)]
    assert [s.y0 for s in acwr.layout.shapes if s.type == "line"] == [1.4]
    share = go.Figure(figures.support_share(daily(), lines))
    assert [s.y0 for s in share.layout.shapes if s.type == "line"] == [0.2]
    assert share.layout.annotations[0].text == "target ≥ 20%"


def test_the_reports_own_thresholds_win_over_the_settings():
    report = {"thresholds": {"support_share_target": 0.25, "monotony_warn": 1.6, "acwr_high": 1.3}}
    lines = thresholds.in_force(report, {"thresholds": {"monotony_warn": 1.9}})
    assert lines["support_share_target"] == 0.25 and lines["monotony_warn"] == 1.6
    assert lines["acwr_high"] == 1.3
    assert lines["monotony_high"] == 2.0 and lines["acwr_low"] == 0.8  # the rest from the settings


def test_non_finite_values_never_reach_a_chart():
    frame = daily().assign(monotony=[float("inf")] + [1.2] * (len(DAYS) - 1), strain=float("nan"))
    fig = figures.monotony_strain(frame)
    assert fig["data"][1]["y"][0] is None and all(v is None for v in fig["data"][0]["y"])
    json.dumps(fig, allow_nan=False)  # no NaN or Infinity in what the browser gets
    assert fig["layout"]["yaxis"]["range"][1] < 10


def test_fitness_fatigue_form_traces():
    fig = go.Figure(figures.fitness_fatigue_form(daily()))
    assert [t.name for t in fig.data] == ["form", "form (tired)", "fitness (42 d)", "fatigue (7 d)"]
    assert list(fig.data[0].y) == [0] * len(DAYS) and list(fig.data[1].y) == [-20.0] * len(DAYS)
    assert fig.layout.yaxis.title.text == "load (AU per day)"


@pytest.mark.parametrize(
    "make",
    [
        lambda: figures.weekly_minutes(weekly().iloc[0:0]),
        lambda: figures.support_share(daily().iloc[0:0]),
        lambda: figures.monotony_strain(daily().iloc[0:0]),
        lambda: figures.fitness_fatigue_form(daily().iloc[0:0]),
        lambda: figures.calendar(sessions([]), "2026-11-01", "2026-11-22"),
        lambda: figures.compare_weekly(weekly().iloc[0:0], ["A"]),
    ],
)
def test_empty_data_gives_a_titled_figure_that_says_why(make):
    fig = go.Figure(make())
    assert isinstance(fig, go.Figure)
    assert fig.layout.title.text
    assert "No sessions" in fig.layout.annotations[0].text


def test_calendar_escapes_names_and_places_sessions_on_their_weekday():
    fig = go.Figure(
        figures.calendar(sessions(["<script>alert(1)</script>", "b & c", "ok"]), "2026-11-01", "2026-11-22")
    )
    texts = [row[1] for t in fig.data for row in t.customdata]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in texts
    assert "b &amp; c" in texts
    assert not any("<script>" in t for t in texts)
    assert {y for t in fig.data for y in t.y} == {4}  # 2026-11-20 is a Friday (Mon = 0)
    xs = sorted(x for t in fig.data for x in t.x)
    assert len(set(xs)) == 3  # three sessions on one day sit side by side


def test_compare_weekly_has_a_panel_per_athlete_and_one_legend_entry_per_category():
    frame = pd.concat([weekly(), weekly().assign(athlete="B <b>")])
    fig = go.Figure(figures.compare_weekly(frame, ["A", "B <b>"]))
    assert [a.text for a in fig.layout.annotations] == ["A", "B &lt;b&gt;"]
    shown = [t.name for t in fig.data if t.showlegend]
    assert sorted(shown) == ["pilates", "run", "strength"]
    assert len(fig.data) == 6


def test_compare_metric_colours_each_metric_by_its_own_band():
    """Monotony 1.23 of a red athlete is green (below the warn line 1.5); 0% support share is drawn
    as 0%, red; an undefined value is a grey dash."""
    c = figures.RISK_COLOURS
    rows = pd.DataFrame(
        {
            "athlete": ["A", "B", "C", "D"],
            "risk": ["red", "green", "green", "amber"],
            "monotony": [1.23, 1.7, 2.4, None],
            "support_share": [0.0, 0.05, 0.2, None],
        }
    )
    fig = go.Figure(figures.compare_metric(rows, "monotony", "Monotony"))
    assert list(fig.data[0].marker.color) == [c["green"], c["amber"], c["red"], c["inactive"]]
    fig = go.Figure(figures.compare_metric(rows, "support_share", "Support share", ".0%"))
    assert list(fig.data[0].marker.color) == [c["red"], c["amber"], c["green"], c["inactive"]]
    assert list(fig.data[0].text) == ["0%", "5%", "20%", "–"]
    assert fig.data[0].textposition == "outside"  # written beside the bar, also for an empty one
    lines = {"monotony_warn": 1.2, "monotony_high": 2.0}  # the thresholds in force move the bands
    fig = go.Figure(figures.compare_metric(rows, "monotony", "Monotony", lines=lines))
    assert fig.data[0].marker.color[0] == c["amber"]


def test_spark_scales_to_top_and_handles_gaps():
    assert figures.spark([0, 0.25, 0.5], top=0.5) == "▁▅█"
    assert figures.spark([0, 0]) == "▁▁"
    assert figures.spark([None, 2.0]) == "▁█"
    assert figures.spark([]) == ""
    assert figures.spark([1.0], top=0.5) == "█"  # values above the scale are clipped


@pytest.mark.parametrize(
    "make",
    [
        lambda: figures.weekly_minutes(weekly()),
        lambda: figures.support_share(daily()),
        lambda: figures.monotony_strain(daily()),
        lambda: figures.acwr(daily()),
        lambda: figures.fitness_fatigue_form(daily()),
        lambda: figures.calendar(sessions(["a", "b"]), "2026-11-01", "2026-11-22"),
        lambda: figures.compare_weekly(pd.concat([weekly(), weekly().assign(athlete="B")]), ["A", "B", "C"]),
        lambda: figures.compare_metric(
            pd.DataFrame({"athlete": ["A"], "risk": ["red"], "x": [0.1]}), "x", "X", ".0%"
        ),
        lambda: figures.empty("Nothing"),
    ],
)
def test_figures_pass_plotlys_full_validation(make):
    """Figures are plain dicts for speed; plotly's validating constructor accepts them."""
    fig = go.Figure(make())  # raises ValueError on any property plotly does not know
    assert fig.layout.height and fig.layout.title.text
    json.dumps(make())  # plain JSON: no plotly encoder needed


def test_spark_rows_matches_spark_row_by_row():
    table = pd.DataFrame([[0, 0.25, 0.5], [0, 0, 0], [1.0, None, 2.0]], index=["a", "b", "c"])
    assert figures.spark_rows(table, top=0.5) == {n: figures.spark(table.loc[n], top=0.5) for n in "abc"}
    assert figures.spark_rows(table) == {n: figures.spark(table.loc[n]) for n in "abc"}


def report_weeks() -> list[dict]:
    """Report weeks as queries.report gives them: intensity null in a week without HR samples."""
    return [
        {"week": "2026-11-02", "intensity": None},
        {"week": "2026-11-09", "intensity": {"low": 120.0, "moderate": 15.5, "high": 20.0}},
        {"week": "2026-11-16", "intensity": {"low": 60.0, "moderate": 0.0, "high": 10.0}},
    ]


def test_intensity_distribution_stacks_the_three_zones_per_week():
    fig = figures.intensity_distribution(report_weeks())
    go.Figure(fig)  # plotly's validator accepts it
    assert fig["layout"]["barmode"] == "stack"
    assert [t["name"] for t in fig["data"]] == ["low", "moderate", "high"]
    assert all(t["x"] == ["2026-11-02", "2026-11-09", "2026-11-16"] for t in fig["data"])
    assert [t["y"] for t in fig["data"]] == [[0.0, 120.0, 60.0], [0.0, 15.5, 0.0], [0.0, 20.0, 10.0]]
    assert [t["marker"]["color"] for t in fig["data"]] == list(figures.INTENSITY_COLOURS.values())
    json.dumps(fig)


def test_intensity_distribution_without_samples_says_so():
    weeks = [
        {"week": "2026-11-09", "intensity": None},
        {"week": "2026-11-16", "intensity": dict.fromkeys(figures.INTENSITIES, 0.0)},
    ]
    assert not figures.has_intensity(weeks) and figures.has_intensity(report_weeks())
    fig = figures.intensity_distribution(weeks)
    assert fig["data"] == []
    assert "heart-rate samples" in fig["layout"]["annotations"][0]["text"]
