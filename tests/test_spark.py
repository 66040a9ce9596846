"""The SQL files on Apache Spark against DuckDB, on the sample athletes exported as Parquet.

Every file in queries/sql runs on both engines over the same pipeline state and must give the same
rows: floats to 1e-9 relative, integers, strings and dates exactly. `report` and `compare` give the
same JSON on Spark local mode and, through the CLI, on a standalone master with two workers on
127.0.0.1. One SparkSession serves the module; select these tests with `-m spark`.
"""

from __future__ import annotations

import decimal
import json
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import date, timedelta
from importlib import resources
from pathlib import Path

import pytest
from activity_rows import write
from click.testing import CliRunner

pyspark = pytest.importorskip("pyspark")
pytest.importorskip("sqlglot")
if shutil.which("java") is None:
    pytest.skip("no Java runtime (make test installs one when root)", allow_module_level=True)

from test_sql_portable import DUCKDB_ONLY  # noqa: E402

import queries  # noqa: E402
from crosstrain.cli import cli  # noqa: E402
from ingest.categories import NAME_DECIDES  # noqa: E402
from ingest.database.db import connect  # noqa: E402
from ingest.sample.synthetic import TOM, load_sample  # noqa: E402
from queries import engine, files  # noqa: E402
from queries.export import export_parquet  # noqa: E402
from queries.params import CATEGORY_ROLES, resolve  # noqa: E402
from queries.spark import SparkBackend, session  # noqa: E402

pytestmark = pytest.mark.spark

AS_OF = date(2026, 11, 22)  # the sample data's last day
FIRST = engine.monday(AS_OF) - timedelta(weeks=11)
# `plan check` runs plan_*.sql on DuckDB only, over relations queries/plan.py makes (q_plan_sessions ...);
# tests/test_sql_portable.py still checks they transpile faithfully.
PLAN_PREFIX = "plan_"
SQL_FILES = sorted(
    p
    for p in resources.files("queries.sql").iterdir()
    if p.name.endswith(".sql") and p.name not in DUCKDB_ONLY and not p.name.startswith(PLAN_PREFIX)
)
PARAMS = resolve({})
NO_FILE_DATA = {"hip_sets.sql", "hr_zones.sql"}
# A value for every parameter the SQL files take. A new parameter gets its value here.
VALUES = {
    "as_of": AS_OF,
    "end": AS_OF,
    "from": engine.EPOCH,
    "start": FIRST - timedelta(days=engine.LOOKBACK_DAYS),
    "pace_outlier": PARAMS.thresholds["variety_pace_outlier"],
    "block_days": 700,
    "acwr_model": PARAMS.acwr_model,
    **engine._alphas(PARAMS),
    **engine._load(PARAMS),
    **PARAMS.thresholds,
    # unlabelled.sql (the athlete page's category picker)
    "athletes": [TOM],
    "types": [t.lower() for t in NAME_DECIDES],
    "catch_all": [c for c, roles in CATEGORY_ROLES.items() if roles.get("catch_all")],
}


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> tuple[Path, Path]:
    """The sample athletes plus one without activities and an unlabelled session, in a database and as
    a Parquet export."""
    root = tmp_path_factory.mktemp("spark")
    db = root / "sample.duckdb"
    load_sample(db, {})
    write(db, "Nina No-Data", [])
    # a gym class whose type and name say nothing (category other): unlabelled.sql has a row
    write(
        db,
        TOM,
        [{"start_local": f"{AS_OF}T18:00:00", "sport_type": "Workout", "name": "Tuesday", "minutes": 45}],
    )
    with connect(db, read_only=True) as con:
        export_parquet(con, root / "export")
    return db, root / "export"


@pytest.fixture(scope="module")
def spark():
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    spark = session("local[2]", {"spark.sql.shuffle.partitions": "2", "spark.default.parallelism": "2"})
    yield spark
    spark.stop()


def _pipeline(con: engine.Con) -> None:
    """Every temp relation the SQL files read, for all athletes: report's steps, then compare's."""
    engine.prepare_scope(con, None, PARAMS)
    engine.prepare_sessions(con, PARAMS, engine.EPOCH, AS_OF)
    engine.prepare_metrics(con, PARAMS, FIRST, AS_OF)
    files.zones(con)  # summary.sql reads the heart-rate zone time (moderate_intensity)
    engine.materialise(con, "run_level", VALUES)
    engine.materialise(con, "summary", VALUES)
    engine.materialise(con, "warnings", VALUES)
    engine.materialise(con, "weekly_balance", {"start": FIRST, "end": AS_OF})
    # the relations the engine supplies as common table expressions, for the files run on their own
    engine.backend(con).create("session_history", "select * from q_session_load", {})
    engine.backend(con).create("windows", engine.sql("metrics"), VALUES)
    engine.backend(con).create("by_week", engine.sql("weekly_sums"), VALUES)
    engine.backend(con).create("counted", engine.sql("counted_sessions"), VALUES)


@pytest.fixture(scope="module")
def engines(data, spark):
    db, export = data
    with connect(db, read_only=True) as con:
        _pipeline(con)
        on_spark = SparkBackend(spark, export)
        _pipeline(on_spark)
        yield engine.DuckDBBackend(con), on_spark
        on_spark.close()


def _plain(value):
    return float(value) if isinstance(value, decimal.Decimal) else value


def _sorted(rows: list[dict]) -> list[dict]:
    rows = [{k: _plain(v) for k, v in row.items()} for row in rows]

    def key(row: dict) -> tuple:
        return tuple((v is None, v) for v in row.values() if not isinstance(v, float) and v is not None)

    return sorted(rows, key=key)


def assert_same_rows(duck: list[dict], spark: list[dict], name: str) -> None:
    assert len(duck) == len(spark), name
    for d, s in zip(_sorted(duck), _sorted(spark), strict=True):
        assert list(d) == list(s), name
        for column, a in d.items():
            b = s[column]
            where = f"{name}.{column}: duckdb {a!r}, spark {b!r} in {d}"
            if isinstance(a, float) or isinstance(b, float):
                assert isinstance(b, int | float) and isinstance(a, int | float), where
                assert math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9), where
            else:
                assert type(a) is type(b) and a == b, where


@pytest.mark.parametrize("path", SQL_FILES, ids=lambda p: p.name)
def test_every_sql_file_gives_duckdbs_rows_on_spark(engines, path):
    duck, spark = engines
    text = path.read_text()
    expected = duck.rows(text, VALUES)
    # the sample athletes have no activity files: the files' queries (hip_sets, hr_zones) give no rows
    assert expected or path.name in NO_FILE_DATA, f"{path.name}: no rows on the fixture data"
    assert_same_rows(expected, spark.rows(text, VALUES), path.name)


def test_report_json_is_the_same_on_spark(engines, data):
    duck, spark = engines
    for athlete in ("Mona Monotone (synthetic)", "Nina No-Data"):
        assert queries.report(spark, athlete, AS_OF, {}) == queries.report(duck.con, athlete, AS_OF, {})


def test_compare_json_is_the_same_on_spark(engines):
    duck, spark = engines
    expected = queries.compare(duck.con, AS_OF, {})
    assert len(expected["athletes"]) == 5 and "Nina No-Data" in {a["athlete"] for a in expected["athletes"]}
    assert queries.compare(spark, AS_OF, {}) == expected


def test_export_is_readable_by_duckdb_and_pandas(data):
    import duckdb
    import pandas as pd

    db, export = data
    manifest = json.loads((export / "crosstrain_export.json").read_text())
    assert manifest["tables"]["activities"]["partitioned_by"] == ["athlete_id"]
    assert {"athletes", "activities"} <= set(manifest["tables"])
    folders = sorted(p.name for p in (export / "activities").iterdir())
    assert folders == ["athlete_id=1", "athlete_id=2", "athlete_id=3", "athlete_id=4"]  # Nina has none
    with connect(db, read_only=True) as con:
        stored = con.execute("select count(*), sum(moving_s) from activities").fetchone()
    glob = str(export / "activities" / "**" / "*.parquet")
    read = duckdb.sql(f"select count(*), sum(moving_s) from read_parquet('{glob}', hive_partitioning = true)")
    assert read.fetchall() == [stored]
    frame = pd.read_parquet(export / "activities")
    assert len(frame) == stored[0] and set(frame["athlete_id"].astype(int)) == {1, 2, 3, 4}
    assert len(pd.read_parquet(export / "athletes.parquet")) == 5


def test_export_refuses_a_folder_that_is_not_an_export(tmp_path, data):
    db, _ = data
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    result = CliRunner().invoke(cli, ["--db", str(db), "export", "--parquet", str(tmp_path / "mine")])
    assert result.exit_code == 1 and "not empty and not a crosstrain export" in result.output
    assert (tmp_path / "mine" / "notes.txt").read_text() == "keep me"


def test_spark_engine_needs_an_export_folder(tmp_path, data):
    db, _ = data
    args = ["--db", str(db), "compare", "--engine", "spark"]
    result = CliRunner().invoke(cli, [*args, "--source", str(tmp_path)])
    assert result.exit_code == 1 and "not a crosstrain export" in result.output
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2 and "needs --source DIR" in result.output


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A standalone Spark master and two one-core workers on 127.0.0.1, stopped at the end."""
    home = Path(pyspark.__file__).parent
    logs = tmp_path_factory.mktemp("cluster")
    env = {
        **os.environ,
        "SPARK_HOME": str(home),
        "SPARK_LOCAL_IP": "127.0.0.1",
        "SPARK_NO_DAEMONIZE": "1",
        "PYSPARK_PYTHON": sys.executable,
    }
    port, ui = _free_port(), _free_port()
    url = f"spark://127.0.0.1:{port}"
    spark_class = str(home / "bin" / "spark-class")
    commands = [
        [spark_class, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", str(port)]
        + ["--webui-port", str(ui)]
    ] + [
        [spark_class, "org.apache.spark.deploy.worker.Worker", url, "--host", "127.0.0.1", "--cores", "1"]
        + ["--memory", "1g", "--webui-port", str(_free_port()), "--work-dir", str(logs / f"worker{i}")]
        for i in range(2)
    ]
    procs = []
    try:
        for i, command in enumerate(commands):
            log = (logs / f"{i}.log").open("w")
            procs.append(
                subprocess.Popen(
                    command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
                )
            )
            if i == 0:
                _wait_for(ui, lambda state: state.get("status") == "ALIVE")
        _wait_for(ui, lambda state: state.get("aliveworkers") == 2)
        yield url
    finally:
        for proc in procs:
            os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def _wait_for(ui: int, ready, timeout_s: float = 240) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{ui}/json/", timeout=5) as answer:
                if ready(json.load(answer)):
                    return
        except OSError:
            pass
        time.sleep(1)
    raise TimeoutError("the standalone Spark cluster did not come up")


def test_compare_on_a_standalone_cluster_equals_compare(data, cluster):
    db, export = data
    day = AS_OF.isoformat()
    expected = CliRunner().invoke(cli, ["--db", str(db), "compare", "--json", "--as-of", day])
    assert expected.exit_code == 0
    on_cluster = subprocess.run(
        [sys.executable, "-m", "crosstrain", "--db", str(db), "compare", "--json", "--as-of", day]
        + ["--engine", "spark", "--source", str(export), "--master", cluster],
        env={**os.environ, "SPARK_LOCAL_IP": "127.0.0.1"},
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert on_cluster.returncode == 0, on_cluster.stderr[-2000:]
    assert json.loads(on_cluster.stdout) == json.loads(expected.output)
    assert len(json.loads(expected.output)["athletes"]) == 5
