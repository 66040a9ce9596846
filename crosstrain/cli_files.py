"""The activity-files part of `crosstrain import`: progress on a terminal, one line per result.

rich (the bars and the spinner) is imported only when stderr is a terminal: scripts, cron jobs and
logs get the same lines without loading it (~20 ms of every import's start).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from crosstrain.echo import echo_results
from crosstrain.env import Env
from ingest.exports.options import ImportOptions
from ingest.files.sources import split_paths


@contextmanager
def working(what: str) -> Iterator[None]:
    """A spinner with `what` on a terminal's stderr while a step without counts runs (nothing when
    stderr is not a terminal, so scripts and logs get only the results)."""
    if not sys.stderr.isatty():
        yield
        return
    from rich.console import Console

    with Console(stderr=True).status(what):
        yield


@contextmanager
def bars(stages: dict[str, str]) -> Iterator[Any]:
    """`progress(done, total, stage)` drawing a bar per stage (reading files, writing them), each
    counting its own files, on a terminal's stderr; None when stderr is not a terminal."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, transient=True, console=Console(stderr=True)) as bar:
        tasks: dict[str, Any] = {}

        def progress(done: int, total: int, stage: str) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stages.get(stage, stage), total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield progress


def import_files(
    db: Any, paths: list[Path], options: ImportOptions, settings: dict[str, Any], env: Env | None = None
) -> tuple[bool, list[Path], list[Any]]:
    """Import the activity-file paths among `paths` and print their results. With `env` and no CSV
    path left, the session values are stored on the import's own connection before it closes (one
    open and one checkpoint of the file, not two) and `env` is told so.

    Returns whether anything was rejected, the paths left for the CSV importer, and the results.
    """
    mine, rest = split_paths(paths)  # folders opened up: their CSVs, exports and activity files
    if not mine:
        return False, rest, []
    from ingest.files.workers import STAGES, Started  # numpy and the decoders: only here

    with bars(STAGES) as progress:
        # The first path's decode workers are forked before DuckDB and the write path are imported:
        # this process loads them and opens the database while the workers decode (~0.1 s of CPU
        # less before the first file is read, and the workers don't inherit them).
        first = Started.of(mine[0], progress)
        try:
            from ingest.files.importer import import_activity_paths

            after = None
            if env is not None and not rest:
                from queries.session_values import refresh_file  # imported beside the workers too

                after = lambda con: refresh_file(db, settings, con)  # noqa: E731
            results = import_activity_paths(db, mine, options, settings, progress, first=first, after=after)
        finally:
            first.close()
    if after is not None:
        env.values_stored()
    failed = False
    for result in results:
        if result.error:
            click.echo(f"error: {result.error}", err=True)
            failed = True
            continue
        if result.csv is not None:
            failed = not echo_results([result.csv]) or failed
        for reject in result.rejects:
            click.echo(f"error: {reject}", err=True)
        failed = failed or bool(result.rejects)
        if result.files or result.rejects or result.csv is None:
            click.echo(result.summary())
    return failed, rest, results
