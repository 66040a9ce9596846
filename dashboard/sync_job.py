"""A sync (Strava or Garmin) started from the import page, run in a child process with its progress polled.

A child process, not a thread: a sync opens the database for writing once per page (Strava) or date
window (Garmin), and DuckDB refuses a writable and a read-only connection to one file inside one process
at the same time. As its own process the sync is just another writer, like `crosstrain strava sync` in
a terminal: the dashboard's short reads and the sync's writes take turns on the file lock.

A job's `work` (dashboard/strava_job.py, dashboard/garmin_job.py) runs in the child: it calls `report`
with each step's line and figures and returns the last line, the notes and whether all went well.
"""

from __future__ import annotations

import multiprocessing as mp
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# work(db_path, settings, report) -> {"text": str, "ok": bool, "notes": [str, ...] (optional)};
# report({"text": str, "figures": {...}}) for each step. Both must be module-level (the child is spawned).
Work = Callable[[str, dict[str, Any], Callable[[dict[str, Any]], None]], dict[str, Any]]
LINES_KEPT = 8
NOTES_SHOWN = 20


def _child(
    work: Work, words: Callable[[str], str], db_path: str, settings: dict[str, Any], events: Any
) -> None:
    """The child process: run the work, reporting each step and the end; never a traceback."""
    from ingest.errors import CrosstrainError

    def report(step: dict[str, Any]) -> None:
        events.put({"kind": "progress", **step})

    from queries.session_values import refresh_file

    try:
        end = work(db_path, settings, report)
    except CrosstrainError as exc:  # includes rate-limit stops: what was fetched is kept
        end = {"text": words(str(exc)), "ok": False}
    except Exception as exc:  # noqa: BLE001 - the parent shows one line, never a traceback
        end = {"text": f"sync failed: {type(exc).__name__}: {exc}", "ok": False}
    refresh_file(db_path, settings)  # what the sync stored, as every write ends (dashboard/data.py)
    events.put({"kind": "finished", **end})


@dataclass
class SyncJob:
    """The one sync of its kind this dashboard runs at a time, and what it has reported so far.

    `figures`: the progress figures a page reads besides the lines (Strava's pages, Garmin's share of
    date windows), at their starting values; `words` rewrites an error's line for the page."""

    work: Work
    figures: dict[str, Any] = field(default_factory=dict)
    words: Callable[[str], str] = str
    running: bool = False
    ok: bool | None = None
    lines: list[str] = field(default_factory=list)
    _now: dict[str, Any] = field(default_factory=dict)
    _process: Any = None
    _events: Any = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self, db_path: Path, settings: dict[str, Any]) -> bool:
        """Start a sync unless one is running; False when one already is."""
        with self._lock:
            if self.running:
                return False
            ctx = mp.get_context("spawn")
            self._events = ctx.Queue()
            args = (self.work, self.words, str(db_path), settings, self._events)
            self._process = ctx.Process(target=_child, args=args, daemon=True)
            self.running, self.ok, self.lines, self._now = True, None, ["starting…"], dict(self.figures)
            self._process.start()
            return True

    def poll(self) -> dict[str, Any]:
        """Take what the child reported since the last poll; notice a child that died."""
        with self._lock:
            while self._events is not None:
                try:
                    event = self._events.get_nowait()
                except queue.Empty:
                    break
                notes = event.get("notes", [])[:NOTES_SHOWN]
                self.lines = [*self.lines[-LINES_KEPT:], *notes, event["text"]]
                self._now.update(event.get("figures", {}))
                if event["kind"] == "finished":
                    self.running, self.ok = False, event["ok"]
            if self.running and self._process is not None and not self._process.is_alive():
                self._process.join(0.1)
                if self._events is not None and not self._events.empty():
                    return self._state()
                self.running, self.ok = False, False
                died = f"the sync stopped unexpectedly (exit code {self._process.exitcode})"
                self.lines = [*self.lines, died]
            return self._state()

    def _state(self) -> dict[str, Any]:
        return {"running": self.running, "ok": self.ok, "lines": list(self.lines), **self._now}
