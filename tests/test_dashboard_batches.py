"""Athlete pages asked at the same moment are computed together (dashboard/data.py Batches, issue 22:
20 clients at once): each page's data equal to its own computation's, one question's error its own."""

from __future__ import annotations

import datetime as dt
import json
import math
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import quote

import dashboard_data
import pytest
import requests
from one_pass_pages import plain

from dashboard import athlete_view, create_app
from dashboard.data import CONFIG_KEY, Batches
from ingest.errors import UnknownAthleteError
from ingest.sample.synthetic import load_sample

END = dt.date(2026, 11, 22)


@pytest.fixture
def sample(db_path: Path) -> Path:
    assert load_sample(db_path, {}, end=END).error is None
    return db_path


def names_of(db: Path) -> list[str]:
    from ingest.database.db import connect

    with connect(db, read_only=True) as con:
        return [r[0] for r in con.execute("select name from athletes order by name").fetchall()]


def close(a: Any, b: Any) -> bool:
    """Equal, floats (kept as repr by `plain`) to 1e-12 relative: a sum over several athletes' rows
    may add in another order (bench/README.md "Many pages at once")."""
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(close(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(close(a[k], b[k]) for k in a)
    if a != b and isinstance(a, str | float) and isinstance(b, str | float):
        try:
            x, y = float(a), float(b)
        except ValueError:
            return False
        return math.isfinite(x) and abs(x - y) <= 1e-12 * max(abs(x), abs(y))
    return a == b


@pytest.mark.parametrize(
    ("first", "last", "day"),
    [
        (END - dt.timedelta(weeks=16) + dt.timedelta(days=1), END, END),
        (END - dt.timedelta(weeks=3), END, END - dt.timedelta(days=10)),
    ],
)
def test_pages_computed_together_equal_each_computed_alone(sample: Path, first, last, day) -> None:
    names = names_of(sample)
    assert len(names) == 4
    with create_app(sample).server.app_context():
        together = athlete_view.athletes_data(names, first, last, day)
        for name in names:
            alone = athlete_view.athlete_data(name, first, last, day)
            assert together[name][0]["athlete"] == name
            assert close(plain(together[name]), plain(alone)), name
            for mine, its in zip(together[name][1:4], alone[1:4], strict=True):
                assert list(mine.dtypes) == list(its.dtypes) and list(mine.index) == list(its.index)


def test_questions_asked_at_once_are_answered_by_one_computation() -> None:
    batches = Batches()
    computed: list[list[str]] = []
    started, release = threading.Event(), threading.Event()

    def compute(items: list[str]) -> dict[str, str]:
        computed.append(list(items))
        started.set()
        release.wait(10)
        return {item: item.upper() for item in items}

    with ThreadPoolExecutor(5) as pool:
        first = pool.submit(batches.ask, "group", "a", compute)
        assert started.wait(10)  # the first runs alone, at once
        rest = [pool.submit(batches.ask, "group", item, compute) for item in ("b", "c", "d")]
        other_group = pool.submit(batches.ask, "other", "e", compute)
        time.sleep(0.3)  # they wait: one computation at a time
        assert computed == [["a"]]
        release.set()
        assert [f.result(10) for f in (first, *rest, other_group)] == ["A", "B", "C", "D", "E"]
    assert computed[0] == ["a"] and sorted(map(sorted, computed[1:])) == [["b", "c", "d"], ["e"]]
    assert batches.sizes == {1: 2, 3: 1}


def test_one_questions_error_is_its_own() -> None:
    batches = Batches()
    release = threading.Event()

    def compute(items: list[str]) -> dict[str, str]:
        release.wait(10)
        if "nobody" in items:
            raise UnknownAthleteError("unknown athlete 'nobody'")
        return {item: item.upper() for item in items}

    with ThreadPoolExecutor(4) as pool:
        first = pool.submit(batches.ask, "group", "a", compute)
        time.sleep(0.2)
        asked = {item: pool.submit(batches.ask, "group", item, compute) for item in ("b", "nobody", "c")}
        time.sleep(0.2)
        release.set()
        assert first.result(10) == "A"
        assert asked["b"].result(10) == "B" and asked["c"].result(10) == "C"
        with pytest.raises(UnknownAthleteError, match="nobody"):
            asked["nobody"].result(10)


def test_twenty_clients_at_once_get_the_pages_one_client_gets(db_path: Path) -> None:
    """Over HTTP (`crosstrain dashboard`): athlete pages asked at once, each as its HTML and the page
    callback, equal to the same pages asked one at a time from another server process."""
    db = dashboard_data.build(
        db_path,
        {f"Runner {i:02d}": dashboard_data.balanced if i % 2 else dashboard_data.monotone for i in range(12)},
    )
    names = names_of(db)

    def pages(at_once: int) -> dict[str, Any]:
        with dashboard_data.cli_dashboard(db) as served:
            deps = requests.get(served.base + "/_dash-dependencies", timeout=30).json()
            router = next(d for d in deps if "_pages_content.children" in d["output"])

            def ask(name: str) -> Any:
                path = "/athlete/" + quote(name, safe="")
                body = {
                    "output": router["output"],
                    "outputs": [
                        dict(zip(("id", "property"), o.rsplit(".", 1), strict=True))
                        for o in router["output"].strip(".").split("...")
                    ],
                    "inputs": [
                        {**i, "value": path if i["property"] == "pathname" else ""} for i in router["inputs"]
                    ],
                    "changedPropIds": ["_pages_location.pathname"],
                    "state": [{**s, "value": None} for s in router.get("state", [])],
                }
                with requests.Session() as s:
                    assert s.get(served.base + path, timeout=30).ok
                    answer = s.post(served.base + "/_dash-update-component", json=body, timeout=60)
                assert answer.ok and json.dumps(name) in answer.text
                return answer.json()

            with ThreadPoolExecutor(at_once) as pool:
                return dict(zip(names, pool.map(ask, names), strict=True))

    at_once, alone = pages(12), pages(1)
    assert close(at_once, alone)


def test_the_running_app_batches_athlete_pages(db_path: Path) -> None:
    """Inside one app: pages asked from several threads at once share computations."""
    db = dashboard_data.build(db_path, {f"Runner {i:02d}": dashboard_data.balanced for i in range(8)})
    app = create_app(db)
    cfg = app.server.config[CONFIG_KEY]
    names = names_of(db)
    first = END - dt.timedelta(weeks=16) + dt.timedelta(days=1)

    def page(name: str) -> Any:
        with app.server.test_request_context("/"):
            return json.dumps(plain(athlete_view.together(name, (first, END, END, repr({})))))

    with ThreadPoolExecutor(8) as pool:
        at_once = list(pool.map(page, names))
    assert sum(cfg.athlete_pages.sizes.values()) < len(names)  # some computed together
    assert sum(size * n for size, n in cfg.athlete_pages.sizes.items()) == len(names)
    with app.server.app_context():
        for name, got in zip(names, at_once, strict=True):
            assert close(json.loads(got), plain(athlete_view.athlete_data(name, first, END, END)))
