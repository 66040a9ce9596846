"""`crosstrain export --parquet DIR`: the database as Parquet for Spark, DuckDB or pandas."""

from __future__ import annotations

from pathlib import Path

import click

from crosstrain.env import Env
from ingest.database.db import connect
from queries.export import export_parquet


@click.command()
@click.option(
    "--parquet",
    "target",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write (missing, empty, or an earlier export, which is replaced).",
)
@click.pass_obj
def export(env: Env, target: Path) -> None:
    """The data as Parquet: one file per table, activities in one folder per athlete (athlete_id=N/)."""
    with connect(env.db, read_only=True) as con:
        manifest = export_parquet(con, target)
    tables = manifest["tables"]
    listed = ", ".join(f"{name} {t['rows']}" for name, t in tables.items() if t["rows"])
    click.echo(f"{target}: {len(tables)} tables written as Parquet (rows: {listed})")


COMMANDS: list[click.Command] = [export]
