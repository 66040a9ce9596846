"""An upload's import run beside the page, with its progress polled (as the Strava sync's is).

A folder's worth of activity files takes seconds to minutes to read and write; a callback that ran the
import itself would leave the page silent all that time. The upload callback starts the import here
and returns; the page polls `poll()` every half second and shows the stage (reading files, writing
sessions and matching double recordings) with its count, then the results.

A thread, not a process: the import writes through `data.importing`, this process's one write turn
on the file, so the pages keep reading the last committed data meanwhile.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# What the page says for each stage the import reports (ingest.files.importer.STAGES and "csv files").
Run = Callable[[Callable[[int, int, str], None]], Any]


@dataclass
class ImportJob:
    """The one upload this dashboard imports at a time: its stage, counts and, at the end, results."""

    running: bool = False
    stage: str = ""
    done: int = 0
    total: int = 0
    started: float = 0.0
    results: Any = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _generation: int = 0

    def start(self, run: Run) -> int | None:
        """Run `run(progress)` in a thread unless an import is running (None then); returns the job's
        number, which `poll` reports so a page shows only its own results."""
        with self._lock:
            if self.running:
                return None
            self._generation += 1
            self.running, self.stage, self.done, self.total = True, "starting", 0, 0
            self.results, self.started = None, time.monotonic()
            generation = self._generation
        threading.Thread(target=self._work, args=(run, generation), daemon=True).start()
        return generation

    def _work(self, run: Run, generation: int) -> None:
        def progress(done: int, total: int, stage: str) -> None:
            with self._lock:
                self.stage, self.done, self.total = stage, done, total

        try:
            results = run(progress)
        except Exception as exc:  # noqa: BLE001 - shown as one line; the page never waits forever
            from dashboard.data import log

            log.error("an import failed", exc_info=exc)
            results = f"the import failed ({type(exc).__name__}: {str(exc)[:120]}); nothing half-written kept"
        with self._lock:
            if generation == self._generation:
                self.results, self.running = results, False

    def poll(self) -> dict[str, Any]:
        """Where the running import is, or its results once done."""
        with self._lock:
            return {
                "job": self._generation,
                "running": self.running,
                "stage": self.stage,
                "done": self.done,
                "total": self.total,
                "seconds": time.monotonic() - self.started if self.started else 0.0,
                "results": self.results,
            }
