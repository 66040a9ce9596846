"""A Strava sync started from the import page, run in a child process with its progress polled.

A child process, not a thread: the sync opens the database for writing once per page, and DuckDB
refuses a writable and a read-only connection to one file inside one process at the same time. As
its own process the sync is just another writer, like `crosstrain strava sync` in a terminal: the
dashboard's short reads and the sync's page writes take turns on the file lock.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import queue
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


def strava_configured() -> bool:
    """Whether the Strava API application's id and secret are set in the environment."""
    return bool(
        os.environ.get("STRAVA_CLIENT_ID", "").strip() and os.environ.get("STRAVA_CLIENT_SECRET", "").strip()
    )


def _run(db_path: str, settings: dict[str, Any], events: mp.Queue) -> None:
    """The child process: sync every connected athlete, reporting each page and the end."""
    from ingest.errors import CrosstrainError
    from ingest.strava.sync import sync

    def progress(p: Any) -> None:
        if p.waiting_s is not None:
            text = f"{p.athlete}: waiting {p.waiting_s:.0f} s for Strava's rate limit"
        elif p.done:
            text = p.result.summary()
        else:
            text = f"{p.athlete}: page {p.pages}, {p.activities} activities listed"
        page = p.waiting_s is None and not p.done
        events.put({"kind": "progress", "athlete": p.athlete, "page": page, "text": text})

    try:
        result = sync(db_path, settings, wait=False, progress=progress)
        lines = [f"{a.athlete}: {a.error}" if a.error else a.summary() for a in result.athletes]
        ok = not any(a.error for a in result.athletes)  # one athlete's fault: the others synced
        events.put({"kind": "finished", "text": "; ".join(lines) or "nothing to sync", "ok": ok})
    except CrosstrainError as exc:  # includes rate-limit stops: what was fetched is kept
        events.put({"kind": "finished", "text": str(exc), "ok": False})
    except Exception as exc:  # noqa: BLE001 - the parent shows one line, never a traceback
        events.put({"kind": "finished", "text": f"sync failed: {type(exc).__name__}: {exc}", "ok": False})


@dataclass
class SyncJob:
    """The one sync this dashboard may run at a time, and what it has reported so far."""

    running: bool = False
    ok: bool | None = None
    lines: list[str] = field(default_factory=list)
    pages: int = 0
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
            self._process = ctx.Process(target=_run, args=(str(db_path), settings, self._events), daemon=True)
            self.running, self.ok, self.lines, self.pages = True, None, ["starting…"], 0
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
                if event["kind"] == "progress":
                    self.pages += 1 if event["page"] else 0
                    self.lines = [*self.lines[-8:], event["text"]]
                else:
                    self.running, self.ok = False, event["ok"]
                    self.lines = [*self.lines[-8:], event["text"]]
            if self.running and self._process is not None and not self._process.is_alive():
                self._process.join(0.1)
                if self._events is not None and not self._events.empty():
                    return {"running": True, "ok": None, "lines": list(self.lines), "pages": self.pages}
                self.running, self.ok = False, False
                self.lines = [
                    *self.lines,
                    f"the sync stopped unexpectedly (exit code {self._process.exitcode})",
                ]
            return {"running": self.running, "ok": self.ok, "lines": list(self.lines), "pages": self.pages}
