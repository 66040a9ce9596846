"""DataFrames for the dashboard's charts: daily metrics, weekly balance, the session calendar.

Every function takes `settings`, the parsed settings file the caller resolved once ({} for the
defaults) or a resolved `Params`: nothing here reads a file."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from concurrent.futures import Future
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import duckdb

if TYPE_CHECKING:  # pandas is imported by DuckDB's .df() when a frame is asked for, not at CLI start-up
    import pandas as pd

from ingest.categories import CATEGORIES
from queries import engine, files
from queries.params import Params, resolve
from queries.report import Aside, category_cells, compare_scope, summary_values

DAILY_COLUMNS = [
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


@engine.in_request
def daily_metrics(
    con: duckdb.DuckDBPyConnection,
    athlete: str,
    start: date,
    end: date,
    settings: dict[str, Any] | Params,
) -> pd.DataFrame:
    """One row per day in [start, end]: load, monotony, strain, acwr, fitness, fatigue, form and the
    28-day support share (see metrics.sql for formulas). acwr is NaN where undefined (no 28-day load)."""
    return daily_metrics_of(con, [athlete], start, end, settings)[athlete]


@engine.in_request
def daily_metrics_of(
    con: duckdb.DuckDBPyConnection,
    athletes: list[str],
    start: date,
    end: date,
    settings: dict[str, Any] | Params,
) -> dict[str, pd.DataFrame]:
    """`daily_metrics` of each of `athletes` by name, from one pass: each step runs once over all of
    them (the statements' planning, most of a page's cost, is paid once; bench/README.md "Many pages
    at once"), each frame equal to its own call's."""
    params, ids = _sessions_of(con, athletes, start, end, settings, engine.EPOCH)
    engine.prepare_metrics(con, params, start, end)
    cols = ", ".join(DAILY_COLUMNS)
    query = f"select athlete_id, {cols} from q_metrics where day between ? and ? order by athlete_id, day"
    found = con.execute(engine.parsed(con, query), [start, end]).df()
    return split(found, "athlete_id", dict(zip(athletes, ids, strict=True)))


def _sessions_of(
    con: duckdb.DuckDBPyConnection,
    athletes: list[str],
    start: date,
    end: date,
    settings: dict[str, Any] | Params,
    sessions_from: date,
) -> tuple[Params, list[int]]:
    """The settings and the ids of `athletes`, their sessions from `sessions_from` to `end` made
    (q_scope, q_session_load) on one thread (a few athletes' rows: engine.use_threads), for the
    frames of [start, end]; the one preparation daily_metrics_of and sessions_of share."""
    params = resolve(settings)
    engine.check_days(start, end)
    ids = engine.athlete_ids(con, athletes)
    engine.use_threads(con, 1)
    engine.prepare_scope(con, ids, params)
    engine.prepare_sessions(con, params, sessions_from, end)
    return params, ids


def split(
    frame: pd.DataFrame, column: str, keys: dict[str, Any], drop: bool = True
) -> dict[str, pd.DataFrame]:
    """`frame`'s rows by name: those whose `column` holds each name's key in `keys` (`drop`: without
    that column), each indexed from 0 and typed as its own query's frame is (see `_as_queried`)."""
    import numpy as np

    rest = frame.drop(columns=column) if drop else frame
    if len(set(keys.values())) == 1:
        return dict.fromkeys(keys, rest)
    # One stable sort by the key (rows keep their order within each), then a slice per name.
    at = frame[column].to_numpy()
    order = np.argsort(at, kind="stable")
    at = at[order]
    rest = rest.take(order)
    parts = {}
    for name, key in keys.items():
        lo, hi = np.searchsorted(at, key, "left"), np.searchsorted(at, key, "right")
        parts[name] = _as_queried(rest.iloc[lo:hi].reset_index(drop=True))
    return parts


def _as_queried(part: pd.DataFrame) -> pd.DataFrame:
    """DuckDB types an integer or boolean column holding a NULL as pandas' nullable one (Int32,
    boolean), one without as numpy's: a part without any NULL of a column gets numpy's type, as its
    own query would have given it."""
    from pandas.core.dtypes.dtypes import BaseMaskedDtype

    for name, dtype in part.dtypes.items():
        if isinstance(dtype, BaseMaskedDtype) and not part[name].isna().any():
            part[name] = part[name].to_numpy(dtype.numpy_dtype)
    return part


@engine.in_request
def weekly_balance(
    con: duckdb.DuckDBPyConnection,
    athletes: list[str],
    start: date,
    end: date,
    settings: dict[str, Any] | Params,
) -> pd.DataFrame:
    """Long format, one row per athlete, ISO week (Monday) and category (all six, zero-filled):
    athlete, week, category, minutes, sessions, run_km (on the run row only, 0 elsewhere), load.
    Weeks from the one holding `start` to the one holding `end`; sessions after `end` are not counted."""
    params = resolve(settings)
    engine.check_days(start, end)
    ids = engine.athlete_ids(con, athletes)
    first = engine.monday(start)
    engine.prepare_scope(con, ids, params)
    engine.prepare_sessions(con, params, first, end)
    # q_weekly_balance, which a report in the same request then reads too (its weeks: a later start)
    engine.ensure(con, "weekly_balance", {"start": first, "end": end})
    return _named(con, "select * from q_weekly_balance where week >= $start", first, end)


@engine.in_request
def overview(
    con: duckdb.DuckDBPyConnection, as_of: date, start: date, settings: dict[str, Any] | Params
) -> tuple[dict, pd.DataFrame]:
    """What the coach overview shows: `compare(con, as_of, settings)` and every athlete's
    `weekly_balance` from `start` to `as_of`, equal to the two calls but reading the history once
    (one HRmax pass, one pass over the sessions of both windows)."""
    engine.check_days(start, as_of)
    first = engine.monday(start)
    params = resolve(settings)
    sessions_from, stored = weeks_path(con, params, None, first, as_of)
    rows = compare_scope(con, params, as_of, sessions_from)
    return rows, weekly_frame(con, first, as_of, stored)


def weeks_path(
    con: duckdb.DuckDBPyConnection, params: Params, ids: list[int] | None, first: date, end: date
) -> tuple[date, bool | str]:
    """For the overview of the athletes `ids` (None: all), inside a request: the day from which
    compare_rows must load q_session_load so that weekly_frame(first, end) finds its weeks, and the path
    to pass weekly_frame (engine.stored_path, decided once per scope). On the stored path the weekly
    cells read the stored session rows in place, so q_session_load holds only the summary's 28 days
    (`end`: compare_rows loads those anyway); writing the 12 weeks' sessions into it cost the cold
    overview ~15 ms CPU more. Computed, q_session_load holds the weeks from `first`."""
    engine.prepare_scope(con, ids, params)
    stored = engine.stored_path(con, params)
    return (end if stored else first), stored


class Early:
    """The steps of the cold overview that either of its cursors may make (each reads only the scope and
    the stored rows): the second cursor takes them in order (frames.overview_apart) and hands their rows
    over; the first, reaching one, waits for it when taken, else makes it itself (`given`: None). So a
    busy machine, where the second thread starts late, costs nothing more than one cursor."""

    STEPS = ("ewma_carry", "run_level")  # in the order the second cursor takes them

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._taken: dict[str, Future | None] = {}

    def take(self, step: str) -> Future | None:
        """The future to set `step`'s rows on, or None when the first cursor makes it."""
        with self._lock:
            if step in self._taken:
                return None
            future = self._taken[step] = Future()
            return future

    def given(self) -> dict[str, engine.Given]:
        """For report.compare_rows: each step's rows once the second cursor made them, or None (untaken:
        the first cursor makes it; engine.ensure)."""

        def rows(step: str) -> dict[str, tuple[str, list]] | None:
            with self._lock:
                future = self._taken.setdefault(step, None)
            return None if future is None else future.result()

        return {step: functools.partial(rows, step) for step in self.STEPS}


def overview_apart(
    con: duckdb.DuckDBPyConnection,
    params: Params,
    ids: list[int],
    first: date,
    end: date,
    early: Early,
) -> Callable[[], tuple[Aside, pd.DataFrame]]:
    """The cold overview's parts that need none of its request's tables, on the stored path without a
    scope filter (engine.stored_path's "all": the caller decided it for these ids): first the steps of
    `early` the first cursor has not reached (the EWMA carry to the day before `end` and the run level at
    `end`: their rows handed over as soon as made), then the 28-day cells by category
    and the hip sets to `end` (report.Aside) and weekly_frame(first, end), as a function to call in
    another thread while `con` computes the rest (queries/overview_cache.py: the other core). It runs on
    a new cursor of `con`'s database, made here (a connection refuses a second call while busy),
    reading where `con` reads (the dashboard's shared reader attaches the file under an alias and
    `use`s it), with its own scope tables: none of the caller's."""
    catalog, schema = con.execute("select current_database(), current_schema()").fetchone()
    cur = con.cursor()
    cur.execute(f'use "{catalog}"."{schema}"')
    make = {
        "ewma_carry": lambda: engine.prepare_carry(cur, params, end - timedelta(days=1), stored="all"),
        "run_level": lambda: engine.ensure(cur, "run_level", summary_values(params, end), "all"),
    }

    def run() -> tuple[Aside, pd.DataFrame]:
        try:
            engine.prepare_scope(cur, ids, params)
            for step in Early.STEPS:
                if (future := early.take(step)) is None:
                    continue
                try:
                    make[step]()
                    future.set_result(_columns(cur, f"q_{step}"))
                except BaseException as exc:
                    future.set_exception(exc)
                    raise
            aside = Aside(category_cells(cur, end, "all"), files.hip_sets(cur, end))
            return aside, weekly_frame(cur, first, end, "all")
        finally:
            cur.close()

    return run


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, tuple[str, list]]:
    """`table`'s rows as Backend.create_columns takes them (column -> (SQL type, values)), to load it on
    another cursor: ~1,000 rows a few ms, where the step that made them costs 10-25."""
    cur = con.execute(f"select * from {table}")
    kinds = [str(d[1]) for d in cur.description]
    columns = list(zip(*cur.fetchall(), strict=True)) or [() for _ in kinds]
    names = [d[0] for d in cur.description]
    return {name: (kind, list(values)) for name, kind, values in zip(names, kinds, columns, strict=True)}


# weekly_frame's non-empty cells of weekly_balance.sql's grid (weekly_sums.sql, the aggregate it
# zero-fills) by athlete (its name's rank), week (its index from $start) and category (its order).
_WEEK_CELLS = """
    select
        n.name_order,
        date_diff('day', cast($start as date), b.week) // 7 as week_index,
        c.category_order,
        c.running,
        coalesce(b.minutes, 0) as minutes,
        b.sessions,
        coalesce(b.distance_km, 0) as distance_km,
        coalesce(b.load, 0) as load
    from ({weekly_sums}) as b
    join (
        select s.athlete_id, row_number() over (order by a.name) as name_order
        from q_scope s
        join athletes a on a.athlete_id = s.athlete_id
    ) as n on n.athlete_id = b.athlete_id
    join q_categories c on c.category = b.category
    where date_diff('day', cast($start as date), b.week) % 7 = 0
"""
_WEEKS = """select
    cast(unnest(generate_series(cast($start as date), cast($end as date), interval 7 day)) as date) as week"""
_SCOPE_NAMES = "select a.name from q_scope s join athletes a on a.athlete_id = s.athlete_id order by a.name"


def weekly_frame(
    con: duckdb.DuckDBPyConnection, first: date, end: date, stored: bool | str = False
) -> pd.DataFrame:
    """weekly_balance.sql's rows for q_scope (q_session_load must hold [first, end], or on the `stored`
    path, see weeks_path, the stored session rows are read) as the frame, in `_named`'s order
    (athletes by name, week, category order): the same rows and dtypes (tests/test_overview_cache.py
    holds it to that).

    The grid is laid out in numpy and only its non-empty cells come from SQL (weekly_sums.sql: ~20,000 of
    54,000 for 1,000 athletes' 12 weeks): joining, sorting and fetching the whole zero-filled grid cost
    the cold overview ~25 ms CPU more."""
    import numpy as np
    import pandas as pd

    values = {"start": first, "end": end}
    weeks = con.execute(engine.parsed(con, _WEEKS), engine.bind(_WEEKS, values)).df()["week"]
    names = [r[0] for r in con.execute(engine.parsed(con, _SCOPE_NAMES)).fetchall()]
    sums = engine.sql("weekly_sums")
    cells_text = _WEEK_CELLS.format(
        weekly_sums=engine.stored_sessions(sums, stored, "start", "end") if stored else sums
    )
    cells = con.execute(engine.parsed(con, cells_text), engine.bind(cells_text, values)).fetchnumpy()
    n_weeks, n_categories = len(weeks), len(CATEGORIES)
    size = len(names) * n_weeks * n_categories
    at = (
        ((cells["name_order"] - 1) * n_weeks + cells["week_index"]) * n_categories
        + cells["category_order"]
        - 1
    )
    columns: dict[str, np.ndarray] = {}
    for name, kind, given in (
        ("minutes", np.float64, cells["minutes"]),
        ("sessions", np.int64, cells["sessions"]),
        ("run_km", np.float64, np.where(cells["running"], cells["distance_km"], 0.0)),
        ("load", np.float64, cells["load"]),
    ):
        column = np.zeros(size, dtype=kind)
        column[at] = given
        columns[name] = column
    text = pd.StringDtype(na_value=np.nan)  # the dtype DuckDB gives a varchar column
    athlete = pd.array(np.array(names, dtype=object), dtype=text).take(
        np.repeat(np.arange(len(names)), n_weeks * n_categories)
    )
    category = pd.array(np.array(CATEGORIES, dtype=object), dtype=text).take(
        np.tile(np.arange(n_categories), len(names) * n_weeks)
    )
    week = weeks.take(np.tile(np.repeat(np.arange(n_weeks), n_categories), len(names))).reset_index(drop=True)
    return pd.DataFrame({"athlete": athlete, "week": week, "category": category, **columns})


def _named(con: duckdb.DuckDBPyConnection, balance: str, first: date, end: date) -> pd.DataFrame:
    """The weekly balance frame from query `balance` (weekly_balance.sql's columns, q_scope's athletes):
    athletes by name.

    The query returns each row's name rank and category order, not the strings: the athlete and
    category columns are then taken from the scope's names and the six categories by those numbers
    (numpy), as turning 54,000 strings of each into the frame cost more than the query (~20 ms). The
    ranks are among q_scope's athletes only, the same order as among all: an athlete page's one name,
    not every athlete's (ranking and fetching 1,000 names was ~5 ms of its ~13 ms CPU here)."""
    import numpy as np
    import pandas as pd

    query = f"""with balance as (\n{balance}\n),
        named as (
            select s.athlete_id, row_number() over (order by a.name) as name_order
            from q_scope s join athletes a on a.athlete_id = s.athlete_id
        )
        select n.name_order, b.week, b.category_order, b.minutes, b.sessions, b.run_km, b.load
        from balance b join named n on n.athlete_id = b.athlete_id
        order by n.name_order, b.week, b.category_order"""
    frame = con.execute(engine.parsed(con, query), engine.bind(query, {"start": first, "end": end})).df()
    names = [r[0] for r in con.execute(engine.parsed(con, _SCOPE_NAMES)).fetchall()]
    text = pd.StringDtype(na_value=np.nan)  # the dtype DuckDB gives a varchar column
    athlete = pd.array(np.array(names, dtype=object), dtype=text).take(frame.pop("name_order").to_numpy() - 1)
    category = pd.array(np.array(CATEGORIES, dtype=object), dtype=text).take(
        frame.pop("category_order").to_numpy() - 1
    )
    frame.insert(0, "athlete", athlete)
    frame.insert(2, "category", category)
    return frame


@engine.in_request
def sessions(
    con: duckdb.DuckDBPyConnection,
    athlete: str,
    start: date,
    end: date,
    settings: dict[str, Any] | Params,
) -> pd.DataFrame:
    """One row per session in [start, end] (local days): activity_id, day, start_local, category,
    sport_type, name, minutes, distance_km, load, load_source (rpe, hr_samples, hr_avg or default) and
    unlabelled (type and name say nothing: the sessions `unlabelled_sessions` counts)."""
    return sessions_of(con, [athlete], start, end, settings)[athlete]


@engine.in_request
def sessions_of(
    con: duckdb.DuckDBPyConnection,
    athletes: list[str],
    start: date,
    end: date,
    settings: dict[str, Any] | Params,
) -> dict[str, pd.DataFrame]:
    """`sessions` of each of `athletes` by name, from one pass (as `daily_metrics_of`)."""
    _, ids = _sessions_of(con, athletes, start, end, settings, start)
    query = f"""with s as (\n{engine.sql("sessions")}\n)
        select a.athlete_id as athlete_of, s.* from s join q_session_load a using (activity_id)
        order by s.start_local, s.activity_id"""
    found = con.execute(engine.parsed(con, query), {"start": start, "end": end}).df()
    return split(found, "athlete_of", dict(zip(athletes, ids, strict=True)))
