"""A sync's progress on the terminal, shared by `strava sync` and `garmin sync`: a rich bar per athlete
on stderr when it is a terminal (nothing otherwise), and each athlete's summary on stdout when done."""

from __future__ import annotations

import sys
from types import TracebackType
from typing import Any

import click
from rich.console import Console
from rich.progress import Progress as Bar
from rich.progress import ProgressColumn, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn


class SyncBar:
    """The bar's life (started at the first step, stopped before a summary or at the end); a sync's
    display calls `step` for each progress event and `finish` when an athlete is done."""

    def __init__(self, *columns: ProgressColumn) -> None:
        self.tty = sys.stderr.isatty()
        self.bar = Bar(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            *columns,
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
            redirect_stdout=False,
            redirect_stderr=False,
        )
        self.live = False
        self.tasks: dict[str, TaskID] = {}

    def __enter__(self) -> SyncBar:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self._stop()

    def _stop(self) -> None:
        if self.live:
            self.bar.stop()
            self.live = False

    def finish(self, athlete: str, summary: str) -> None:
        """The athlete's bar goes; their summary is printed below where it was."""
        self._stop()
        if athlete in self.tasks:
            self.bar.remove_task(self.tasks.pop(athlete))
        click.echo(summary)

    def step(
        self, athlete: str, description: str, total: float | None, completed: float, **fields: Any
    ) -> None:
        """The athlete's bar shows this step (on a terminal only)."""
        if not self.tty:
            return
        if not self.live:
            self.bar.start()
            self.live = True
        if athlete not in self.tasks:
            self.tasks[athlete] = self.bar.add_task(description, total=total, **fields)
        task = self.tasks[athlete]
        self.bar.update(task, description=description, total=total, completed=completed, **fields)
