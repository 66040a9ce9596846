"""A Garmin sync started from the import page, run in a child process with its progress polled.

A child process for the reason dashboard/strava_job.py gives: the sync opens the database for writing
once per date window, which DuckDB refuses inside a process that also reads the file. One job per
database file at a time.
"""

from __future__ import annotations

import multiprocessing as mp
import queue
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

COMMAND = re.compile(r"(;|:)?\s*(and )?(run )?`crosstrain [^`]*`[^;:]*")


def page_words(line: str) -> str:
    """A library line without its command-line advice (the page has buttons for that)."""
    return COMMAND.sub("", line).strip()


def _key_words(line: str) -> str:
    return f"{line}; then paste it above and press Connect Garmin"


def _run(db_path: str, settings: dict[str, Any], events: mp.Queue) -> None:
    """The child process: sync every connected athlete, reporting each window and the end."""
    from ingest.errors import CrosstrainError
    from ingest.garmin import KEY_PAGE, sync

    def progress(p: Any) -> None:
        if p.done:
            text = p.result.summary()  # counts only: no commands in it
        elif p.waiting_s is not None:
            text = f"{p.athlete}: Garmin asked to wait {p.waiting_s:.0f} s"
        else:
            text = f"{p.athlete}: {p.windows} of {p.windows_total} date windows, {p.activities} files"
        share = p.windows / p.windows_total if p.windows_total else 0.0
        events.put({"kind": "progress", "athlete": p.athlete, "share": share, "text": text})

    try:
        result = sync(db_path, settings, progress=progress)
        lines = [page_words(line) for a in result.athletes for line in (*a.notes, *a.rejects)]
        lines += [_key_words(page_words(e)) if KEY_PAGE in e else page_words(e) for e in result.errors]
        summary = "; ".join(a.summary() for a in result.athletes) or "nothing synced"
        events.put({"kind": "finished", "text": summary, "notes": lines, "ok": not result.errors})
    except CrosstrainError as exc:
        events.put({"kind": "finished", "text": page_words(str(exc)), "notes": [], "ok": False})
    except Exception as exc:  # noqa: BLE001 - the parent shows one line, never a traceback
        events.put(
            {
                "kind": "finished",
                "text": f"sync failed: {type(exc).__name__}: {exc}",
                "notes": [],
                "ok": False,
            }
        )


@dataclass
class GarminJob:
    """The Garmin sync of one database file, and what it has reported so far."""

    running: bool = False
    ok: bool | None = None
    lines: list[str] = field(default_factory=list)
    share: float = 0.0  # windows done / windows, of the athlete being synced
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
            self.running, self.ok, self.lines, self.share = True, None, ["starting…"], 0.0
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
                    self.share = event["share"]
                    self.lines = [*self.lines[-8:], event["text"]]
                else:
                    self.running, self.ok = False, event["ok"]
                    self.lines = [*self.lines[-8:], *event["notes"][:20], event["text"]]
            if self.running and self._process is not None and not self._process.is_alive():
                self._process.join(0.1)
                if self._events is not None and not self._events.empty():
                    return self._state()
                self.running, self.ok = False, False
                self.lines = [
                    *self.lines,
                    f"the sync stopped unexpectedly (exit code {self._process.exitcode})",
                ]
            return self._state()

    def _state(self) -> dict[str, Any]:
        return {"running": self.running, "ok": self.ok, "lines": list(self.lines), "share": self.share}


_JOBS: dict[str, GarminJob] = {}
_JOBS_LOCK = threading.Lock()


def job_for(db_path: Path) -> GarminJob:
    """The one Garmin job of this database file in this dashboard process."""
    with _JOBS_LOCK:
        return _JOBS.setdefault(str(Path(db_path).resolve()), GarminJob())
