"""Runs the SQL files under queries/sql/ as a small pipeline of temp tables on one connection.

The steps and what each reads are declared once, in STEPS below (besides the stored tables and
"scope": q_scope, q_categories, q_run_keywords, ... which prepare_scope loads from the settings in
force). category_window, hip_sets, risk, weekly_report and unlabelled_window are read directly, not kept.

Each step materialises one temp table named after its file (`q_session_load` from
`session_load.sql`, ...). STEPS below declares each step once with what it reads (like dbt's `ref()`);
`ensure(con, target, values)` creates a step and whatever it reads, in dependency order, and inside a
`request(con)` block each step runs once: a later ask with the same parameters (and the same inputs)
reuses the table. A step with a `floor` (session_load's `from`, daily_load's, metrics' and
weekly_balance's `start`) also serves a later first day: its readers filter their own window, so the
athlete page's report, daily series, weekly balance and session list read one q_session_load.
Outside a request nothing is kept between calls (a command may write between two reads).
Three exceptions in the SQL: `metrics.sql` (a daily series) or `metrics_today.sql` (one day, for
`compare`) feed `scores.sql` as a common table expression, so each metric's formula is written once;
and `ewma_carry.sql` reads session_load.sql as a common table expression (one aggregate pass over the
whole history, nothing materialised per session).
The SQL names the stored tables it reads (`activities`, `athletes`); `reading(...)` renames them for
the calls inside its block, so `crosstrain plan check` runs the very same files over done plus planned
sessions (queries/plan.py) rather than a second implementation.
Each session's HRmax, default intensity and load are also stored at write time, with each athlete's
sessions summed per month (queries/session_values.py computes them after every write;
ingest/database/session_values.py keeps them): when every scope athlete's stored values are current
(`stored_path`), q_session_load, q_athlete_history, the EWMA carry and the summary's run level are
read from them (STORED) instead of computed over the whole history.
Temp tables belong to the connection (a DuckDB cursor is a separate one): use one connection or cursor
per thread. Read-only connections may create them.

Every function takes `con`: a DuckDB connection, or any other `Backend` (queries/spark.py runs the same
files on Apache Spark). A backend does three things: run a SQL file's text (DuckDB's dialect, `$name`
parameters) into a temp relation, fetch a query's rows, and make a small relation from Python lists.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import math
import os
import re
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import Any, Protocol, TypeVar, runtime_checkable

import duckdb

from ingest.categories import CATEGORIES, NAME_DECIDES
from ingest.database import session_values
from ingest.errors import CrosstrainError, UnknownAthleteError
from queries.params import CANDIDATE_KEY, CATEGORY_ROLES, INTENSITY_TYPES, ROLES, TRIMP_BY_SEX, Params

# Rolling windows look back this many days before the first day a caller reads.
LOOKBACK_DAYS = 27
# EWMA blocks (see metrics.sql) span this many time constants: factors inside a block stay below
# e^100, far from overflow, whatever N the settings choose (N = 7 gives 700-day blocks).
BLOCK_TIME_CONSTANTS = 100
EPOCH = date(1900, 1, 1)
T = TypeVar("T")
# A table's rows made elsewhere, as Backend.create_columns takes them, or None: make it here (ensure's
# `given`).
Given = Callable[[], dict[str, tuple[str, list]] | None]
# Stored table -> the relation the SQL reads instead, inside `reading(...)`; empty: the stored tables.
_RELATIONS: ContextVar[dict[str, str] | None] = ContextVar("relations", default=None)
# The EWMA carry reads sessions back this many time constants (weights >= e^-25); see prepare_carry.
CARRY_TIME_CONSTANTS = 25


# Days the analytics accept (issue 11): activities are stored from 1970 on, and a window may end up to
# a year ahead (a plan); outside that a date is a typo, and far outside it date arithmetic overflows.
FIRST_DAY = date(1970, 1, 1)
DAYS_AHEAD = 366


class DateRangeError(CrosstrainError):
    """A day outside the range the analytics accept (1970-01-01 to a year from today)."""


def check_days(*days: date) -> None:
    """DateRangeError naming the first day outside [1970-01-01, today + 366 days]."""
    last = date.today() + timedelta(days=DAYS_AHEAD)
    for day in days:
        if not FIRST_DAY <= day <= last:
            raise DateRangeError(
                f"date {day.isoformat()} is out of range: use a day from {FIRST_DAY.isoformat()} "
                f"to {last.isoformat()}"
            )


@cache
def sql(name: str) -> str:
    """The text of `queries/sql/<name>.sql`."""
    return resources.files("queries.sql").joinpath(f"{name}.sql").read_text(encoding="utf-8")


@contextmanager
def reading(**relations: str) -> Iterator[None]:
    """Inside the block, SQL run by this module reads relation `relations[t]` wherever it names the
    stored table `t` (`reading(activities="q_plan_activities")`): same files, other rows."""
    token = _RELATIONS.set({**(_RELATIONS.get() or {}), **relations})
    try:
        yield
    finally:
        _RELATIONS.reset(token)


def render(text: str) -> str:
    """`text` with each stored table it reads (after `from` or `join`) renamed as `reading` says."""
    renamed = _RELATIONS.get()
    if not renamed:
        return text
    names = "|".join(re.escape(n) for n in renamed)
    return re.sub(
        rf"\b(from|join)(\s+)({names})\b(?!\s*\()",
        lambda m: f"{m[1]}{m[2]}{renamed[m[3].lower()]}",
        text,
        flags=re.IGNORECASE,
    )


def bind(text: str, values: dict[str, Any]) -> dict[str, Any]:
    """The named parameters the SQL uses, from `values` (DuckDB rejects unused ones)."""
    return {name: values[name] for name in _parameters(text)}


@functools.lru_cache(maxsize=256)
def _parameters(text: str) -> frozenset[str]:
    """The `$name` parameters of `text` outside comments: found once per text (a report binds ~25
    texts of up to 13,000 characters, each call the same ones)."""
    return frozenset(re.findall(r"\$(\w+)", re.sub(r"--[^\n]*", "", text)))


@runtime_checkable
class Backend(Protocol):
    """An engine the SQL files run on. SQL text is in DuckDB's dialect with `$name` parameters."""

    def create(self, table: str, text: str, values: dict[str, Any]) -> None:
        """Temp relation `table` holding the rows of query `text`."""

    def rows(self, text: str, values: dict[str, Any]) -> list[dict]:
        """The rows of query `text` as plain dicts (dates as `date`, numbers as int or float)."""

    def create_columns(self, table: str, columns: dict[str, tuple[str, list]]) -> None:
        """Temp relation `table` from Python lists: column name -> (SQL type, values), equal lengths."""

    def threads(self, threads: int | None) -> None:
        """A hint: how many threads one query may use (None: every core)."""


# Parsed statements by text (see parsed): a few hundred texts at most, the same ones on every page.
_PARSED: dict[str, duckdb.Statement] = {}


def parsed(con: duckdb.DuckDBPyConnection, text: str) -> duckdb.Statement:
    """`text` (one statement) parsed by DuckDB once per process: executing the parsed statement skips
    DuckDB's parser, a fifth of a small statement's cost (summary.sql ~2.8 ms, metrics ~2 ms: ~10 ms of
    a report the dashboard asks again). A parsed statement belongs to no connection (DuckDB copies it
    for each execution); `con` only parses it, so no other DuckDB instance is made for that."""
    statement = _PARSED.get(text)
    if statement is None:
        statements = con.extract_statements(text)
        if len(statements) != 1:
            raise ValueError(f"one SQL statement expected, found {len(statements)}")
        if len(_PARSED) >= 1024:  # texts that differ per call (none today) cannot fill the memory
            _PARSED.clear()
        statement = _PARSED[text] = statements[0]
    return statement


class DuckDBBackend:
    """The default engine: temp tables on one DuckDB connection. Each text is parsed once per process
    (`parsed`): the dashboard asks the same statements on every page."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    def create(self, table: str, text: str, values: dict[str, Any]) -> None:
        self.con.execute(
            parsed(self.con, f"create or replace temp table {table} as {text}"), bind(text, values)
        )

    def rows(self, text: str, values: dict[str, Any]) -> list[dict]:
        cur = self.con.execute(parsed(self.con, text), bind(text, values))
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def create_columns(self, table: str, columns: dict[str, tuple[str, list]]) -> None:
        select = ", ".join(f"unnest(?::{kind}[]) as {name}" for name, (kind, _) in columns.items())
        self.con.execute(
            parsed(self.con, f"create or replace temp table {table} as select {select}"),
            [v for _, v in columns.values()],
        )

    def threads(self, threads: int | None) -> None:
        use_threads(self.con, threads)


Con = duckdb.DuckDBPyConnection | Backend


def backend(con: Con) -> Backend:
    """`con` as a Backend (a DuckDB connection is wrapped)."""
    return DuckDBBackend(con) if isinstance(con, duckdb.DuckDBPyConnection) else con


def materialise(con: Con, name: str, values: dict[str, Any], table: str | None = None) -> None:
    """Run `name`.sql (a step's own text when `name` is one of STEPS: weekly_balance.sql with its
    weekly sums) with `values` into temp table `q_<table or name>`, every time (the analytics steps go
    through `ensure`; this is for the plan's own SQL and steps run over other rows)."""
    text = STEPS[name].text() if name in STEPS else sql(name)
    backend(con).create(f"q_{table or name}", render(text), values)
    kept = _REQUEST.get()
    if kept is not None:
        kept.get(id(con), (con, {}))[1].pop(table or name, None)


def fetch(con: Con, query: str, values: dict[str, Any] | None = None) -> list[dict]:
    """Rows of a query as plain dicts."""
    return backend(con).rows(render(query), values or {})


@dataclass(frozen=True)
class Step:
    """One analytics step: its SQL text, the table it fills (`q_<table>`), what it reads and `floor`.

    `reads`: steps made with the same parameters when this one is asked for (ensured first). `uses`:
    tables it reads as they stand, made earlier by their own ask with their own parameters (the EWMA
    carry reads the session tables of the report's day, not of its own). `floor`: a parameter that
    only bounds the rows from below, so a table made from an earlier value serves a later one."""

    text: Callable[[], str]
    table: str
    reads: tuple[str, ...] = ()
    uses: tuple[str, ...] = field(default=())
    floor: str | None = None


def _file(name: str) -> Callable[[], str]:
    return lambda: sql(name)


def _counted(counted: str) -> str:
    """run_level.sql with `counted` (the scope's counted sessions: day, category, distance_km) from the
    query `counted`. run_level.sql has its own common table expressions: it is the subquery."""
    return f"with counted as (\n{counted}\n)\nselect * from (\n{sql('run_level')}\n) as run_level"


def _scored(windows: str) -> Callable[[], str]:
    """scores.sql (each metric's formula, written once) over `windows`.sql's rows."""
    return lambda: f"with windows as (\n{sql(windows)}\n)\n{sql('scores')}"


# The analytics steps, each named once with what it reads. "scope" is q_scope and the settings'
# tables that prepare_scope makes from Python lists; q_hr_zones and q_hip_categories are constants
# (queries/files.py).
_SESSIONS = ("scope", "session_hr_max", "athlete_history", "session_intensity")
STEPS: dict[str, Step] = {
    "session_hr_max": Step(_file("session_hr_max"), "session_hr_max", ("scope",)),
    "athlete_history": Step(_file("athlete_history"), "athlete_history", ("scope", "session_hr_max")),
    "session_intensity": Step(_file("session_intensity"), "session_intensity", _SESSIONS[:3]),
    "session_load": Step(_file("session_load"), "session_load", _SESSIONS, floor="from"),
    "ewma_carry": Step(
        lambda: f"with session_history as (\n{sql('session_load')}\n)\n{sql('ewma_carry')}",
        "ewma_carry",
        ("scope",),
        uses=_SESSIONS[1:],
    ),
    # Before EPOCH there is nothing to carry: zeros (prepare_carry).
    "ewma_zero": Step(
        lambda: (
            """select athlete_id, cast($end as date) as day, cast(0 as double) as fitness,
                      cast(0 as double) as fatigue, cast(0 as double) as acute, cast(0 as double) as chronic
                   from q_scope"""
        ),
        "ewma_carry",
        ("scope",),
    ),
    "daily_load": Step(_file("daily_load"), "daily_load", ("scope",), ("session_load",), floor="start"),
    "metrics": Step(
        _scored("metrics"),
        "metrics",
        ("daily_load",),
        ("session_load", "athlete_history", "ewma_carry"),
        floor="start",
    ),
    "metrics_today": Step(
        _scored("metrics_today"), "metrics", ("scope",), ("session_load", "athlete_history", "ewma_carry")
    ),
    "hr_zones": Step(_file("hr_zones"), "hr_zones_time", (), ("session_load", "athlete_history")),
    # hr_zones also needs queries/files.py's constants: files.zones asks for it first.
    # run_level.sql reads `counted` (the run level's sessions: counted_sessions.sql) as a common table
    # expression; the stored path supplies the stored session rows instead (run_level_stored, STORED).
    "run_level": Step(lambda: _counted(sql("counted_sessions")), "run_level", ("scope",)),
    "summary": Step(
        _file("summary"),
        "summary",
        ("scope", "run_level"),
        ("session_load", "athlete_history", "metrics", "hr_zones"),
    ),
    "warnings": Step(_file("warnings"), "warnings", (), ("summary",)),
    # From an earlier Monday on, it serves a later one: its readers take the weeks from their own start
    # (the athlete page's 16 weeks hold the report's 12).
    "weekly_balance": Step(
        lambda: f"with by_week as (\n{sql('weekly_sums')}\n)\n{sql('weekly_balance')}",
        "weekly_balance",
        ("scope",),
        ("session_load",),
        floor="start",
    ),
}

# The same tables from each session's stored values and their monthly sums (ingest/database/
# session_values.py, computed at write time by queries/session_values.py from the steps above), for a
# scope whose every athlete's values are stored under the marker and basis in force (`stored_path`):
# a few dozen month rows per athlete and the sessions of the months a window cuts, or one scan of one
# table for a window's sessions, instead of the history's HRmax spans, own medians and joins. Same rows,
# same columns, every value bit for bit (tests/test_session_values.py); a sum over several sessions
# (the carry, a day's or a week's load) may add them in another order than the computed step's joins
# emit them (the last bits of 16 digits). athlete_history_stored reads no q_session_hr_max (the months
# keep the largest HRmax), so on this path no step makes it.
STORED = {
    "athlete_history": "athlete_history_stored",
    "session_load": "session_load_stored",
    "ewma_carry": "ewma_carry_stored",
    "run_level": "run_level_stored",
}
_STORED_ROWS = """select {columns}
    from session_values v
    where v.athlete_id in (select athlete_id from q_scope) and v.day {days}"""
# The scope filter of the stored readers, left out when the scope is every athlete (stored_path's "all"):
# the tables then hold only scope athletes' rows, and the semi join over 1.5M rows cost the overview
# ~25 ms CPU (HRmax aggregate, carry, 12 weeks' sessions).
_SCOPE_FILTER = "v.athlete_id in (select athlete_id from q_scope) and "
_STORED_LOAD = ", ".join(f"v.{c}" for c in session_values.COLUMNS)
# counted_sessions.sql's rows from the stored session rows (run_level.sql filters its days; up to $as_of
# here, as the level reads nothing later)
_STORED_COUNTED = _STORED_ROWS.format(
    columns="v.athlete_id, v.day, v.category, v.distance_km", days="<= cast($as_of as date)"
)
STEPS.update(
    {
        "athlete_history_stored": Step(_file("athlete_history_stored"), "athlete_history", ("scope",)),
        "session_load_stored": Step(
            lambda: _STORED_ROWS.format(
                columns=_STORED_LOAD, days="between cast($from as date) and cast($end as date)"
            ),
            "session_load",
            ("scope", "athlete_history"),
            floor="from",
        ),
        "ewma_carry_stored": Step(_file("ewma_carry_stored"), "ewma_carry", ("scope",)),
        # the run level's sessions from the stored rows (the last weeks' row groups), not a pass over
        # every activity (~12 ms CPU of the cold overview's summary)
        "run_level_stored": Step(lambda: _counted(_STORED_COUNTED), "run_level", ("scope",)),
    }
)
_UNSCOPED = frozenset(STORED.values())


def stored_sessions(text: str, stored: bool | str, start: str, end: str) -> str:
    """`text` reading, where it reads q_session_load, the stored session rows of the days [$start, $end]
    (`start`, `end`: the parameters' names) of the scope: the rows session_load_stored copies into
    q_session_load, read in place. For a reader of more days than the request's q_session_load holds
    (the overview's weekly cells: 12 weeks, where the summary needs 28 days), on the stored path."""
    rows = _STORED_ROWS.format(
        columns=_STORED_LOAD, days=f"between cast(${start} as date) and cast(${end} as date)"
    )
    rows = rows.replace(_SCOPE_FILTER, "") if stored == "all" else rows
    return re.sub(
        r"\b(from|join)(\s+)q_session_load\b", lambda m: f"{m[1]}{m[2]}({rows}) as q_session_load", text
    )


# How many times each step ran in this process (tests and bench/dashboard.py read it); "path:stored"
# and "path:computed" count how prepare_sessions, prepare_carry and the summary chose (see stored_path:
# once per scope in a request).
RUNS: Counter[str] = Counter()


@dataclass(frozen=True)
class _Made:
    """A table made in this request: by which step, with which parameters, from which inputs."""

    step: str
    args: dict[str, Any]
    inputs: tuple[int | None, ...]
    token: int


_TOKENS = itertools.count(1)
# Per request: connection id -> (the connection, table -> how it was made). The connection is kept so
# that its id is not reused by another one during the request.
_REQUEST: ContextVar[dict[int, tuple[Any, dict[str, _Made]]] | None] = ContextVar("request", default=None)


@contextmanager
def request(con: Con) -> Iterator[None]:
    """Inside the block each step runs once on `con` for the same parameters and inputs (nested
    blocks join the outer one). Only for reads: nothing may write the tables the steps read."""
    if _REQUEST.get() is not None:
        yield
        return
    token = _REQUEST.set({})
    try:
        yield
    finally:
        _REQUEST.reset(token)


def in_request(fn: Callable[..., T]) -> Callable[..., T]:
    """`fn(con, ...)` inside `request(con)`."""

    @functools.wraps(fn)
    def run(con: Con, *args: Any, **kwargs: Any) -> T:
        with request(con):
            return fn(con, *args, **kwargs)

    return run


def _made(con: Con) -> dict[str, _Made] | None:
    """This request's tables on `con`; None outside a request or inside `reading` (other rows)."""
    kept = _REQUEST.get()
    if kept is None:
        return None
    if _RELATIONS.get():
        forgotten = kept.pop(id(con), None)  # the renamed run overwrites the tables: forget them all
        if forgotten is not None:  # (but the constant tables stay made, as outside a request)
            _make_intensity(con, forgotten[1])
        return None
    return kept.setdefault(id(con), (con, {}))[1]


def _order(target: str, stored: bool = False) -> list[str]:
    """`target` after the steps it reads, each once, dependencies first; `stored`: the STORED variant
    of each step that has one."""
    seen: list[str] = []

    def visit(name: str) -> None:
        name = STORED.get(name, name) if stored else name
        if name in seen or name not in STEPS:
            return
        for dep in STEPS[name].reads:
            visit(dep)
        seen.append(name)

    visit(target)
    return seen


def ensure(
    con: Con, target: str, values: dict[str, Any], stored: bool | str = False, given: Given | None = None
) -> None:
    """Make step `target` and the steps it reads, in dependency order, with the parameters `values`
    (`stored`: from the stored session values, see STORED; "all": the same, the scope being every
    athlete and the table holding no one else, so without the scope filter). Inside a `request`, a
    table already made by the same step with the same parameters from the same inputs is kept (a
    `floor` parameter: made from an earlier value is enough). `given`: `target`'s rows, made by the
    same ask on another cursor (the cold overview's second one, frames.overview_apart): its table is
    loaded from them instead of running its text here (when it gives None, the text runs here)."""
    made = _made(con)
    memo: dict[str, _Made] = {} if made is None else made
    values = dict(values)
    order = _order(target, bool(stored))
    for name in order:
        step = STEPS[name]
        text = step.text()
        text = render(text.replace(_SCOPE_FILTER, "") if stored == "all" and name in _UNSCOPED else text)
        args = bind(text, values)
        tables = (STEPS[t].table if t in STEPS else t for t in (*step.reads, *step.uses))
        inputs = tuple(memo[t].token if t in memo else None for t in tables)
        have = memo.get(step.table)
        if (
            have is not None
            and have.step == name
            and have.inputs == inputs
            and _serves(have.args, args, step)
        ):
            if step.floor:
                values[step.floor] = have.args[step.floor]
            continue
        rows = given() if given is not None and name == order[-1] else None
        if rows is not None:
            backend(con).create_columns(f"q_{step.table}", rows)  # counted where it ran
        else:
            if name in _INTENSITY_READERS:
                _make_intensity(con, memo)
            backend(con).create(f"q_{step.table}", text, args)
            RUNS[name] += 1
        memo[step.table] = _Made(name, args, inputs, next(_TOKENS))


def _serves(have: dict[str, Any], want: dict[str, Any], step: Step) -> bool:
    """A table made with `have` holds what `want` asks: the same values, the floor no later."""
    if have.keys() != want.keys():
        return False
    return all(have[k] <= want[k] if k == step.floor else have[k] == want[k] for k in want)


def loaded_from(con: Con, day: date) -> date:
    """The first day q_session_load holds when it was asked to hold `day` on: earlier if this request
    made it from an earlier day (so the EWMA carry starts where the sessions do)."""
    made = _made(con) or {}
    have = made.get("session_load")
    return min(day, have.args["from"]) if have is not None else day


def once(con: Con, key: str, make: Callable[[], T]) -> T:
    """`make()` once per request on `con` for `key` (its answer kept); outside a request, every time.
    For the statements a request's calls repeat: the athlete lookup, the files' constant tables."""
    made = _made(con)
    if made is None:
        return make()
    have = made.get(key)
    if have is None:
        have = made[key] = _Made("once", {"value": make()}, (), next(_TOKENS))
    return have.args["value"]


def athlete_ids(con: Con, names: list[str]) -> list[int]:
    """Ids of the named athletes; UnknownAthleteError names the first unknown one."""
    return list(once(con, "athlete_ids:" + "\n".join(names), lambda: _athlete_ids(con, names)))


def _athlete_ids(con: Con, names: list[str]) -> list[int]:
    """One statement: a parameter per name (a temp table of the names and a join were two, ~1 ms more
    on a report's new connection)."""
    engine = backend(con)
    values = {f"name_{i}": name for i, name in enumerate(dict.fromkeys(names))}
    query = f"select name, athlete_id from athletes where name in ({', '.join('$' + k for k in values)})"
    found = {row["name"]: row["athlete_id"] for row in engine.rows(query, values)} if values else {}
    for name in names:
        if name not in found:
            known = [row["name"] for row in engine.rows("select name from athletes order by name", {})]
            listed = (
                f"known: {', '.join(known)}"
                if 0 < len(known) <= 8
                else f"{len(known)} athletes known (crosstrain athletes lists them)"
            )
            raise UnknownAthleteError(f"unknown athlete '{name}'; {listed}")
    return [found[name] for name in names]


def prepare_scope(con: Con, ids: list[int] | None, params: Params) -> None:
    """Temp tables q_scope (the athletes read: `None` = all), q_categories (each category's order,
    default intensity and roles: the one place the SQL learns what a category counts as),
    q_generic_types (sport types that say nothing), q_intensity and q_intensity_types (default
    intensities by category and light activity type), q_run_keywords and q_easy_keywords (words of a
    run meant easy). Inside a request q_intensity and q_intensity_types are made only when a step
    that reads them runs (_INTENSITY_READERS: not on the stored path)."""
    made = _made(con)
    key = {
        "ids": None if ids is None else tuple(sorted(set(ids))),
        "intensity": tuple(params.intensity.items()),
        "keywords": (tuple(params.run_keywords), tuple(params.easy_keywords)),
    }
    have = None if made is None else made.get("scope")
    if have is not None and have.args == key:
        return
    RUNS["scope"] += 1
    if made is not None:
        made["scope"] = _Made("scope", key, (), next(_TOKENS))
    engine = backend(con)
    if ids is None:
        engine.create("q_scope", render("select athlete_id from athletes"), {})
    else:
        engine.create_columns("q_scope", {"athlete_id": ("integer", sorted(set(ids)))})
    engine.create_columns(
        "q_categories",
        {
            "category": ("varchar", list(CATEGORIES)),
            "category_order": ("integer", list(range(1, len(CATEGORIES) + 1))),
            "intensity": ("double", [params.intensity[c] for c in CATEGORIES]),
            **{r: ("boolean", [bool(CATEGORY_ROLES[c].get(r, False)) for c in CATEGORIES]) for r in ROLES},
        },
    )
    engine.create_columns("q_generic_types", {"type_name": ("varchar", [t.lower() for t in NAME_DECIDES])})
    typed = [(t, key) for key, types in INTENSITY_TYPES.items() for t in types]
    intensity = {
        "q_intensity": {
            "intensity_key": ("varchar", list(params.intensity)),
            "intensity": ("double", list(params.intensity.values())),
        },
        "q_intensity_types": {
            "type_name": ("varchar", [t for t, _ in typed]),
            "intensity_key": ("varchar", [k for _, k in typed]),
        },
    }
    if made is None:
        for table, columns in intensity.items():
            engine.create_columns(table, columns)
    else:
        made[_INTENSITY] = _Made(_INTENSITY, {"tables": intensity}, (), next(_TOKENS))
    engine.create_columns("q_run_keywords", {"keyword": ("varchar", list(params.run_keywords))})
    engine.create_columns("q_easy_keywords", {"keyword": ("varchar", list(params.easy_keywords))})


# The steps that read q_intensity and q_intensity_types, and the request's entry holding those tables'
# columns until one of them runs (prepare_scope): a report or page on the stored path reads neither, and
# two constant tables cost it ~1 ms of planning.
_INTENSITY_READERS = frozenset({"session_intensity"})
_INTENSITY = "scope:intensity"


def _make_intensity(con: Con, made: dict[str, _Made]) -> None:
    """The intensity tables prepare_scope left for their first reader in this request, once."""
    pending = made.pop(_INTENSITY, None)
    if pending is not None:
        for table, columns in pending.args["tables"].items():
            backend(con).create_columns(table, columns)


def prepare_sessions(con: Con, params: Params, start: date, end: date) -> None:
    """q_athlete_history (first and last support day, whole history up to `end`) and q_session_load:
    the scope's sessions with their load, local days [start, end]; computed, also q_session_hr_max (each
    session's HRmax from the data up to it; the stored path needs none)."""
    ensure(con, "session_load", {"from": start, "end": end, **_load(params)}, stored_path(con, params))


def stored_path(con: Con, params: Params) -> bool | str:
    """Whether the scope's session values can be read as stored: a DuckDB connection over the stored
    tables (not Spark, not a `reading(...)` run over other rows), and every q_scope athlete's values
    stored under its current marker and this `basis` (one small query; once per scope in a request).
    Else (values missing or stale after a write without a refresh, other settings) the steps compute.
    "all" (true too): stored, the scope is every athlete (prepare_scope's None, in a request) and no
    stored values belong to anyone else (a delete or merge moves them with the athlete), so the stored
    reads need no scope filter (ensure)."""
    if not isinstance(con, duckdb.DuckDBPyConnection) or _RELATIONS.get():
        RUNS["path:computed"] += 1
        return False
    key = basis(params)
    made = _made(con)
    scope = made.get("scope") if made is not None else None
    everyone = scope is not None and scope.args["ids"] is None
    query = f"select count(*) from ({session_values.stale_among('q_scope')}) x"
    others = """select count(*) from session_values_state
        where athlete_id not in (select athlete_id from athletes)"""

    def decide() -> bool | str:
        ok = con.execute(parsed(con, query), {"basis": key}).fetchone()[0] == 0
        RUNS["path:stored" if ok else "path:computed"] += 1
        if ok and everyone and con.execute(others).fetchone()[0] == 0:
            return "all"
        return ok

    return once(con, f"stored:{key}:{scope.token if scope else ''}", decide)


# The SQL that shapes the stored values (queries/session_values.py computes them with these steps, and
# the monthly sums with session_months.sql).
VALUE_STEPS = ("session_hr_max", "athlete_history", "session_intensity", "session_load", "session_months")


def basis(params: Params) -> str:
    """A hash of everything besides the data that shapes the stored session values: the SQL texts of
    VALUE_STEPS and of the STORED readers, the parameters those steps bind (but the days), the
    constant tables prepare_scope makes from the settings that they read, and DuckDB's version. Values
    stored under another basis are never read, so a changed setting, SQL file or DuckDB computes until
    the next refresh."""
    texts = [sql(n) for n in VALUE_STEPS]
    values = {**_load(params), **_alphas(params), "from": None, "end": None}
    bound = {k: v for t in texts for k, v in bind(t, values).items() if k not in ("from", "end")}
    # (run_level_stored reads columns of the stored rows session_load_stored reads too: its own text, the
    # level's rules, does not shape what is stored)
    texts += [STEPS[n].text() for n in STORED.values() if n != "run_level_stored"]
    constants = {
        "categories": list(CATEGORIES),
        "roles": {c: CATEGORY_ROLES[c] for c in CATEGORIES},
        "generic_types": sorted(NAME_DECIDES),
        "intensity": params.intensity,
        "intensity_types": INTENSITY_TYPES,
    }
    # DuckDB's own version too: another release may compute a median or an exp in other last bits
    shaped = json.dumps(
        [texts, sorted(bound.items()), constants, duckdb.__version__], sort_keys=True, default=str
    )
    return hashlib.sha256(shaped.encode()).hexdigest()[:32]


def prepare_metrics(con: Con, params: Params, first: date, end: date, sessions_from: date = EPOCH) -> None:
    """q_ewma_carry, q_daily_load and q_metrics for every scope athlete, full windows from `first` to `end`.

    Needs q_session_load holding every session from `sessions_from` (at most 27 days before `first`) to
    `end`. Fitness and fatigue continue from the state carried in from the sessions before
    `sessions_from`: one aggregate over them (ewma_carry.sql), so a caller that only reads the last days
    (compare) need not materialise every session's load.
    """
    start = first - timedelta(days=LOOKBACK_DAYS)
    assert sessions_from <= start, "q_session_load must cover the rolling windows"
    prepare_carry(con, params, loaded_from(con, sessions_from) - timedelta(days=1))
    shortest = min(params.load[k] for k in ("fitness_days", "fatigue_days", "acwr_acute_days"))
    values = {"start": start, "end": end, **_alphas(params), "acwr_model": params.acwr_model}
    ensure(con, "metrics", {**values, "block_days": max(1, int(BLOCK_TIME_CONSTANTS * shortest))})


def prepare_today(con: Con, params: Params, as_of: date, carry: Given | None = None) -> None:
    """q_metrics holding only the day `as_of` for every scope athlete (metrics_today.sql: aggregates,
    no daily calendar), from q_session_load holding at least the 28 days up to `as_of`. `carry`: the
    carry's rows made elsewhere, as prepare_carry takes them."""
    prepare_carry(con, params, as_of - timedelta(days=1), carry)
    ensure(con, "metrics_today", {"as_of": as_of, **_alphas(params), "acwr_model": params.acwr_model})


def prepare_carry(
    con: Con, params: Params, end: date, given: Given | None = None, stored: bool | str | None = None
) -> None:
    """q_ewma_carry: each scope athlete's EWMAs at the end of `end`, in one aggregate pass over
    session_load.sql's rows up to `end` (a common table expression, not a temp table). `given`: its
    rows made by this same call on another cursor of the same database and scope (ensure); `stored`:
    the path, when the caller decided it (else stored_path).

    Sessions more than CARRY_TIME_CONSTANTS x the longest time constant before `end` are left out:
    their weight (1 - alpha)^days is below e^-25 (1.4e-11), so they cannot move a figure shown to
    one decimal, and a five-year history costs half the session loads. Before EPOCH there is nothing
    to carry (a report reads the whole history itself): zeros, without reading the activities."""
    if end < EPOCH:
        ensure(con, "ewma_zero", {"end": end})
        return
    longest = max(params.load[k] for k in ("fitness_days", "fatigue_days", "acwr_chronic_days"))
    days = int(CARRY_TIME_CONSTANTS * longest)
    start = end - timedelta(days=days) if (end - EPOCH).days > days else EPOCH
    values = {
        "from": start,
        "end": end,
        **_load(params),
        **_alphas(params),
        "acwr_model": params.acwr_model,
    }
    ensure(con, "ewma_carry", values, stored_path(con, params) if stored is None else stored, given)


def _alphas(params: Params) -> dict[str, float]:
    """EWMA factors: fitness and fatigue 1 - e^(-1/N) (Banister); EWMA ACWR 2 / (N + 1) (Williams 2017)."""
    return {
        "a_fit": params.alpha(params.load["fitness_days"]),
        "a_fat": params.alpha(params.load["fatigue_days"]),
        "a_acute": 2.0 / (params.load["acwr_acute_days"] + 1.0),
        "a_chronic": 2.0 / (params.load["acwr_chronic_days"] + 1.0),
    }


def _load(params: Params) -> dict[str, Any]:
    """The load settings plus Banister's TRIMP constants by sex, as SQL parameters."""
    (k_m, b_m), (k_f, b_f) = TRIMP_BY_SEX["m"], TRIMP_BY_SEX["f"]
    return {
        **params.load,
        "trimp_k_m": k_m,
        "trimp_b_m": b_m,
        "trimp_k_f": k_f,
        "trimp_b_f": b_f,
        "other_intensity": params.intensity["other"],
        "candidate_key": CANDIDATE_KEY,
        # session_intensity.sql's window frame (a literal for Spark): the sessions before the last one
        # of the own median's last `own_median_last` (seq > k - own_median_last: ceil of a fraction)
        "own_median_preceding": max(math.ceil(params.load["own_median_last"]), 1) - 1,
    }


def use_threads(con: Con, threads: int | None = None) -> None:
    """Set the connection's DuckDB threads (None: one per core), and only when it differs.

    One athlete's queries run on one thread: their tables are a few thousand rows, so a second thread
    only adds scheduling. The setting stays on the connection, because resizing DuckDB's thread pool
    is itself slow: switching to one thread and back on every report doubled its time on a busy
    2-core machine (measured 118 ms against 57 ms). `compare` switches back to every core.
    """
    if not isinstance(con, duckdb.DuckDBPyConnection):
        con.threads(threads)
        return
    threads = threads or os.cpu_count() or 1
    if con.execute(parsed(con, "select current_setting('threads')")).fetchone()[0] != threads:
        con.execute(f"set threads = {int(threads)}")


def monday(day: date) -> date:
    """The Monday starting `day`'s ISO week."""
    return day - timedelta(days=day.weekday())
