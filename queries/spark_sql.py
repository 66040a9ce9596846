"""DuckDB-dialect SQL as Spark SQL (SQLGlot), and the constructs SQLGlot cannot carry over faithfully.

`to_spark` is `sqlglot.transpile(text, read="duckdb", write="spark")` with the `$name` parameters
replaced by typed literals in the parsed tree (and a framed `median`, which Spark refuses, as
`percentile(x, 0.5)`). `problems` names what in a SQL file would transpile
into something that runs on Spark but means something else (or does not run): those files are made
portable instead (README "Scale out"); tests/test_sql_portable.py runs it over every file.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import cache
from typing import Any

import sqlglot
from sqlglot import exp

# Columns that hold dates or timestamps, by the schema's naming rule (STYLE: `_date`, `_at`, `_local`)
# and the analytics' own names (day, week, block_start, first_day ...).
DATE_NAME = re.compile(r"(^|_)(day|date|week|start|local|at)$")
DATE_TYPES = {exp.DataType.Type.DATE, exp.DataType.Type.TIMESTAMP, exp.DataType.Type.DATETIME}
DOW_UNITS = {"DOW", "DAYOFWEEK", "ISODOW", "DAYOFWEEKISO", "WEEKDAY"}


@cache
def parsed(text: str) -> exp.Expression:
    """`text` parsed in DuckDB's dialect (cached: the files are parsed once per process)."""
    return sqlglot.parse_one(text, read="duckdb")


def literal(value: Any) -> exp.Expression:
    """A typed SQL literal for a parameter value (doubles stay doubles: Spark reads 0.5 as a decimal)."""
    if value is None:
        return exp.Null()
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, int):
        return exp.Literal.number(value)
    if isinstance(value, float):
        return exp.cast(exp.Literal.number(repr(value)), "double")
    if isinstance(value, datetime):
        return exp.cast(exp.Literal.string(value.isoformat(sep=" ")), "timestamp")
    if isinstance(value, date):
        return exp.cast(exp.Literal.string(value.isoformat()), "date")
    if isinstance(value, str):
        return exp.Literal.string(value)
    if isinstance(value, list | tuple):
        return exp.Array(expressions=[literal(v) for v in value])
    raise TypeError(f"no SQL literal for {value!r}")


def to_spark(text: str, values: dict[str, Any]) -> str:
    """`text` (DuckDB's dialect, `$name` parameters) as Spark SQL with `values` in place."""

    def substitute(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Placeholder) and node.name in values:
            return literal(values[node.name])
        if isinstance(node, exp.Median) and isinstance(node.parent, exp.Window):
            # Spark refuses a frame on median; percentile(x, 0.5) is the same median and takes one
            return exp.Anonymous(this="percentile", expressions=[node.this, literal(0.5)])
        return node

    tree = parsed(text).copy().transform(substitute)
    missing = sorted({p.name for p in tree.find_all(exp.Placeholder)})
    if missing:
        raise KeyError(f"no value for parameter(s) {', '.join(missing)}")
    return tree.sql(dialect="spark", comments=False)


def _dateish(node: exp.Expression) -> bool:
    """Whether `node` is (by its form or its column's name) a date or timestamp."""
    if isinstance(node, exp.Paren):
        return _dateish(node.this)
    if isinstance(node, exp.Cast):
        return node.to.this in DATE_TYPES
    if isinstance(node, exp.Column):
        return bool(DATE_NAME.search(node.name.lower()))
    if isinstance(node, exp.Add | exp.Sub):  # date +- days is a date
        return _dateish(node.this) and not _dateish(node.expression)
    if isinstance(node, exp.DateTrunc | exp.TimestampTrunc | exp.CurrentDate | exp.CurrentTimestamp):
        return True
    if isinstance(node, exp.Coalesce | exp.Least | exp.Greatest | exp.Max | exp.Min):
        return any(_dateish(arg) for arg in node.iter_expressions())
    return False


def problems(text: str) -> list[str]:
    """What in `text` SQLGlot leaves unrecognised or maps to Spark with another meaning."""
    found = []
    tree = parsed(text)
    for node in tree.find_all(exp.Anonymous):
        found.append(f"{node.name}(): a function SQLGlot does not know, copied to Spark untranslated")
    for node in tree.find_all(exp.GenerateSeries):
        if isinstance(node.parent, exp.Table):
            found.append(
                f"{node.sql('duckdb')}: a table function with column aliases becomes invalid Spark; "
                "use (select unnest(generate_series(...)) as day) as d"
            )
    for node in tree.find_all(exp.DayOfWeek, exp.DayOfWeekIso):
        found.append(f"{node.sql('duckdb')}: day-of-week numbering (DuckDB Sunday 0, Spark Sunday 1)")
    for node in tree.find_all(exp.Extract):
        if node.this.name.upper() in DOW_UNITS:
            found.append(f"{node.sql('duckdb')}: day-of-week numbering (DuckDB Sunday 0, Spark Sunday 1)")
    for node in tree.find_all(exp.TimeToStr):
        if re.search(r"%[wuaA]", node.text("format")):
            found.append(f"{node.sql('duckdb')}: day-of-week format codes differ between the engines")
    for node in tree.find_all(exp.ArrayAgg, exp.GroupConcat):
        if node.find(exp.Order):
            found.append(f"{node.sql('duckdb')}: list ordering is dropped (Spark's collect_list has none)")
    for node in tree.find_all(exp.Add, exp.Sub, exp.DateAdd, exp.DateSub):
        if isinstance(node.expression, exp.Interval) or isinstance(node.this, exp.Interval):
            found.append(
                f"{node.sql('duckdb')}: interval arithmetic (DuckDB gives a timestamp, Spark a date; months "
                "clamp differently); add whole days to a date instead"
            )
        elif isinstance(node, exp.Sub) and _dateish(node.this) and _dateish(node.expression):
            found.append(
                f"{node.sql('duckdb')}: date minus date (days in DuckDB, an interval in Spark); "
                "use date_diff('day', a, b)"
            )
    return found
