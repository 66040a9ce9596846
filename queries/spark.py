"""The analytics on Apache Spark: the same queries/sql/*.sql files, transpiled by SQLGlot, over a
Parquet export (queries/export.py), for clubs and platforms whose data lives on a cluster.

`SparkBackend` is a `queries.engine.Backend`: every step of the pipeline becomes a cached temp view
named as the DuckDB temp table would be (q_session_load, ...), so queries.report runs unchanged:

    with open_source("export/", master="spark://host:7077") as con:
        queries.compare(con, as_of, settings)

Parameters (`$name`) are replaced by typed literals in SQLGlot's tree before it writes Spark SQL
(queries/spark_sql.py), so no value is ever spliced into SQL text. Needs the `spark` extra (pyspark,
sqlglot) and a Java runtime.
"""

from __future__ import annotations

import decimal
import os
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ingest.db import SCHEMA_VERSION
from ingest.errors import CrosstrainError
from queries.export import MANIFEST, parse_manifest, read_manifest

# pyspark 4 warns about pandas 3 on import; crosstrain does not hand pandas frames to Spark.
warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)
try:
    from pyspark.errors import PySparkException
    from pyspark.sql import DataFrame, SparkSession

    from queries.spark_sql import to_spark
except ImportError as exc:  # pragma: no cover - depends on the install
    raise CrosstrainError(
        f"the spark engine needs the spark extra ({exc.name} is missing): pip install 'crosstrain[spark]'"
    ) from None

# Small inputs (one row per athlete or per session) need few shuffle partitions; a cluster's own
# setting wins when the caller passes one (spark.sql.shuffle.partitions in `conf`).
DEFAULT_CONF = {
    "spark.sql.session.timeZone": "UTC",  # local dates and wall-clock times are read as they are stored
    "spark.ui.enabled": "false",
    "spark.sql.shuffle.partitions": "8",
    "spark.ui.showConsoleProgress": "false",
}


# Errors only on the console: Spark's INFO/WARN lines would bury the command's own output.
LOG_CONFIG = Path(__file__).with_name("spark_log4j2.properties")


class SparkQueryError(CrosstrainError):
    """Spark could not start or run a query."""


def _plain(value: Any) -> Any:
    return float(value) if isinstance(value, decimal.Decimal) else value


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


class SparkBackend:
    """Runs the pipeline on a SparkSession over the tables of a Parquet export."""

    def __init__(self, spark: SparkSession, source: Path | str) -> None:
        self.spark = spark
        self.source = str(source)
        self._cached: dict[str, DataFrame] = {}
        manifest = self._guard(self._manifest)
        if manifest.get("schema_version") != SCHEMA_VERSION:
            raise CrosstrainError(
                f"{source}: exported from schema version {manifest.get('schema_version')}, this crosstrain "
                f"reads version {SCHEMA_VERSION}; export again (crosstrain export --parquet)"
            )
        for name, table in manifest["tables"].items():
            path = os.path.join(self.source, table["path"])
            self._guard(lambda p=path, n=name: spark.read.parquet(p).createOrReplaceTempView(n))

    def _manifest(self) -> dict:
        """The export's manifest: a local folder directly, any other URL (hdfs://, s3a://) through Spark."""
        if not _remote(self.source):
            return read_manifest(Path(self.source))
        where = f"{self.source.rstrip('/')}/{MANIFEST}"
        return parse_manifest(self.spark.read.text(where, wholetext=True).first()[0], where)

    def _guard(self, run: Any) -> Any:
        try:
            return run()
        except PySparkException as exc:
            raise SparkQueryError(f"spark: {_first_line(exc)}") from None

    def create(self, table: str, text: str, values: dict[str, Any]) -> None:
        query = to_spark(text, values)

        def run() -> None:
            frame = self.spark.sql(query).localCheckpoint(eager=True)
            frame.createOrReplaceTempView(table)
            old = self._cached.pop(table, None)
            self._cached[table] = frame
            if old is not None:
                old.unpersist()

        self._guard(run)

    def rows(self, text: str, values: dict[str, Any]) -> list[dict]:
        query = to_spark(text, values)
        found = self._guard(lambda: self.spark.sql(query).collect())
        return [{k: _plain(v) for k, v in row.asDict().items()} for row in found]

    def create_columns(self, table: str, columns: dict[str, tuple[str, list]]) -> None:
        schema = ", ".join(f"{name} {_spark_type(kind)}" for name, (kind, _) in columns.items())
        data = list(zip(*(v for _, v in columns.values()), strict=True))
        self._guard(lambda: self.spark.createDataFrame(data, schema).createOrReplaceTempView(table))

    def threads(self, threads: int | None) -> None:
        """Spark spreads work over its executors itself."""

    def close(self) -> None:
        for frame in self._cached.values():
            frame.unpersist()
        self._cached.clear()


def _remote(source: str) -> bool:
    return "://" in source and not source.startswith("file://")


def _spark_type(kind: str) -> str:
    return {"varchar": "string", "integer": "int", "bigint": "bigint"}.get(kind, kind)


def session(master: str = "local[*]", conf: dict[str, str] | None = None) -> SparkSession:
    """A SparkSession on `master` (`local[N]`, `spark://host:port`, `yarn`, `k8s://...`)."""
    builder = SparkSession.builder.master(master).appName("crosstrain")
    settings = {**DEFAULT_CONF, **(conf or {})}
    settings.setdefault("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile=file:{LOG_CONFIG}")
    if master.startswith("local"):  # nothing to reach from outside: keep the driver on loopback
        settings.setdefault("spark.driver.host", "127.0.0.1")
        settings.setdefault("spark.driver.bindAddress", "127.0.0.1")
    for key, value in settings.items():
        builder = builder.config(key, value)
    try:
        spark = builder.getOrCreate()
    except PySparkException as exc:
        raise SparkQueryError(
            f"spark: cannot start a session on {master}: {_first_line(exc)} (is Java 17+ installed?)"
        ) from None
    spark.sparkContext.setLogLevel("ERROR")
    return spark


@contextmanager
def open_source(
    source: Path | str, master: str = "local[*]", conf: dict[str, str] | None = None
) -> Iterator[SparkBackend]:
    """A SparkBackend over export folder `source` on a new session, stopped at the end."""
    if not _remote(str(source)):
        read_manifest(Path(source))  # a wrong folder fails before Spark starts
    spark = session(master, conf)
    try:
        backend = SparkBackend(spark, source)
        yield backend
        backend.close()
    finally:
        spark.stop()
