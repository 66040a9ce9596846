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
import re
import shutil
import socket
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ingest.database.db import SCHEMA_VERSION
from ingest.errors import CrosstrainError
from queries.export import MANIFEST, parse_manifest, read_manifest

# pyspark 4 warns about pandas 3 on import; crosstrain does not hand pandas frames to Spark.
warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)
try:
    from py4j.protocol import Py4JError
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


def _java_line(exc: BaseException) -> str:
    """The line of a Java exception that says what happened (py4j's first lines say where it was)."""
    lines = [line.strip() for line in str(exc).strip().splitlines() if line.strip()]
    for line in lines:
        if re.match(r"^[\w.$]+(Exception|Error)\b", line) and not line.startswith("py4j"):
            return line[:300]
    return (lines[0] if lines else type(exc).__name__)[:300]


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
        except (PySparkException, Py4JError) as exc:
            raise SparkQueryError(f"spark: {_java_line(exc)} (Java's output: {log_path()})") from None

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


def check_export(source: Path, manifest: dict) -> None:
    """SparkQueryError naming the first table folder or Parquet file of a local export that is missing
    or cut short (a Parquet file starts and ends with the magic bytes PAR1)."""
    for name, table in manifest.get("tables", {}).items():
        path = source / str(table.get("path", name))
        if not path.exists():
            raise SparkQueryError(f"{path}: missing from the export (table {name}); export again")
        files = [path] if path.is_file() else sorted(path.rglob("*.parquet"))
        for file in files:
            try:
                with file.open("rb") as fh:
                    head = fh.read(4)
                    fh.seek(max(0, file.stat().st_size - 4))
                    tail = fh.read(4)
            except OSError as exc:
                raise SparkQueryError(f"{file}: cannot read: {exc.strerror or exc}") from None
            if head != b"PAR1" or tail != b"PAR1" or file.stat().st_size < 12:
                raise SparkQueryError(f"{file}: not a whole Parquet file (cut short?); export again")


def _remote(source: str) -> bool:
    return "://" in source and not source.startswith("file://")


def _spark_type(kind: str) -> str:
    return {"varchar": "string", "integer": "int", "bigint": "bigint"}.get(kind, kind)


# Master URLs Spark takes (Spark docs, "Master URLs"): checked here so that a typo is one line, not
# a JVM's stack trace.
MASTER = re.compile(
    r"local(\[(\*|\d+)(,\d+)?\])?|local-cluster\[\d+,\d+,\d+\]|spark://[^/\s]+|yarn|k8s://\S+|mesos://\S+"
)
REACH_TIMEOUT_S = 5.0


def log_path() -> Path:
    """Where Java's own output goes: `$XDG_STATE_HOME/crosstrain/spark.log`."""
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "crosstrain" / "spark.log"


def check_master(master: str) -> None:
    """SparkQueryError (one line) for a master Spark cannot use, before any JVM starts: not a master
    URL, a standalone master or Kubernetes API that does not answer, YARN without its configuration."""
    shown = master.strip()[:80]
    if not MASTER.fullmatch(master.strip()):
        raise SparkQueryError(
            f"spark: --master {shown!r} is not a Spark master URL "
            "(local[N], local[*], spark://host:port, yarn, k8s://https://host:port)"
        )
    if master.startswith("yarn") and not any(os.environ.get(v) for v in ("HADOOP_CONF_DIR", "YARN_CONF_DIR")):
        raise SparkQueryError("spark: --master yarn needs HADOOP_CONF_DIR or YARN_CONF_DIR set")
    if master.startswith(("spark://", "k8s://")):
        url = master.removeprefix("k8s://") if master.startswith("k8s://") else master
        for host_port in url.split("://", 1)[-1].split("/")[0].split(","):
            host, _, port = host_port.rpartition(":")
            default = 443 if url.startswith("https") else 7077
            _reach(host or host_port, int(port) if port.isdigit() else default, shown)


def _reach(host: str, port: int, shown: str) -> None:
    try:
        with socket.create_connection((host.strip("[]"), port), timeout=REACH_TIMEOUT_S):
            return
    except OSError as exc:
        why = exc.strerror or type(exc).__name__
    raise SparkQueryError(f"spark: cannot reach the master {shown} ({host}:{port}: {why})")


def check_java() -> None:
    """SparkQueryError when no Java runtime is found (PATH or JAVA_HOME)."""
    home = os.environ.get("JAVA_HOME")
    if shutil.which("java") is None and not (home and (Path(home) / "bin" / "java").exists()):
        raise SparkQueryError("spark: needs a Java 17+ runtime (no java on PATH and no JAVA_HOME)")


@contextmanager
def _java_output_to_log() -> Iterator[Path]:
    """Java's stdout and stderr (its stack traces, Spark's console log) go to log_path() for the life
    of the JVM started inside: it inherits this process's file descriptors 1 and 2 when launched."""
    path = log_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    with path.open("ab") as log:
        os.dup2(log.fileno(), 1)
        os.dup2(log.fileno(), 2)
    try:
        yield path
    finally:
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        os.close(saved[0])
        os.close(saved[1])


def session(master: str = "local[*]", conf: dict[str, str] | None = None) -> SparkSession:
    """A SparkSession on `master` (`local[N]`, `spark://host:port`, `yarn`, `k8s://...`)."""
    check_master(master)
    check_java()
    builder = SparkSession.builder.master(master).appName("crosstrain")
    settings = {**DEFAULT_CONF, **(conf or {})}
    settings.setdefault("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile=file:{LOG_CONFIG}")
    if master.startswith("local"):  # nothing to reach from outside: keep the driver on loopback
        settings.setdefault("spark.driver.host", "127.0.0.1")
        settings.setdefault("spark.driver.bindAddress", "127.0.0.1")
    for key, value in settings.items():
        builder = builder.config(key, value)
    try:
        with _java_output_to_log():
            spark = builder.getOrCreate()
    except Exception as exc:  # noqa: BLE001 - pyspark and py4j raise many kinds; each is one line
        raise SparkQueryError(
            f"spark: cannot start a session on {master}: {_java_line(exc)} (Java's output: {log_path()})"
        ) from None
    spark.sparkContext.setLogLevel("ERROR")
    return spark


@contextmanager
def open_source(
    source: Path | str, master: str = "local[*]", conf: dict[str, str] | None = None
) -> Iterator[SparkBackend]:
    """A SparkBackend over export folder `source` on a new session, stopped at the end."""
    if not _remote(str(source)):
        check_export(Path(source), read_manifest(Path(source)))  # a wrong folder fails before Spark starts
    spark = session(master, conf)
    try:
        backend = SparkBackend(spark, source)
        yield backend
        backend.close()
    finally:
        spark.stop()
