"""The activity-files part of `crosstrain import`: progress on a terminal, one line per result."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from crosstrain.echo import echo_results
from ingest.csv_import import ImportOptions
from ingest.files.sources import split_paths


def import_files(
    db: Any, paths: list[Path], options: ImportOptions, settings: dict[str, Any]
) -> tuple[bool, list[Path], list[Any]]:
    """Import the activity-file paths among `paths` and print their results.

    Returns whether anything was rejected, the paths left for the CSV importer, and the results.
    """
    mine, rest = split_paths(paths)  # folders opened up: their CSVs, exports and activity files
    if not mine:
        return False, rest, []
    from ingest.files.importer import import_activity_paths  # the decoders (numpy, lxml, FIT): only here

    with Progress(
        TextColumn("decoding files"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        transient=True,
        disable=not sys.stderr.isatty(),
        console=None,
    ) as bar:
        task = bar.add_task("files", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        results = import_activity_paths(db, mine, options, settings, progress)
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
