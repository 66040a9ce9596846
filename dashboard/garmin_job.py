"""The Garmin sync the import page starts: its work in the child process (dashboard/sync_job.py), one job
per database file at a time."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dashboard.sync_job import SyncJob

COMMAND = re.compile(r"(;|:)?\s*(and )?(run )?`crosstrain [^`]*`[^;:]*")


def page_words(line: str) -> str:
    """A library line without its command-line advice (the page has buttons for that)."""
    return COMMAND.sub("", line).strip()


def _key_words(line: str) -> str:
    return f"{line}; then paste it above and press Connect Garmin"


def _work(db_path: str, settings: dict[str, Any], report: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    """Sync every connected athlete, reporting each date window (the figure: share of windows done)."""
    from ingest.garmin import KEY_PAGE, sync

    def progress(p: Any) -> None:
        if p.done:
            text = p.result.summary()  # counts only: no commands in it
        elif p.waiting_s is not None:
            text = f"{p.athlete}: Garmin asked to wait {p.waiting_s:.0f} s"
        else:
            text = f"{p.athlete}: {p.windows} of {p.windows_total} date windows, {p.activities} files"
        share = p.windows / p.windows_total if p.windows_total else 0.0
        report({"text": text, "figures": {"share": share}})

    result = sync(db_path, settings, progress=progress)
    notes = [page_words(line) for a in result.athletes for line in (*a.notes, *a.rejects)]
    notes += [_key_words(page_words(e)) if KEY_PAGE in e else page_words(e) for e in result.errors]
    summary = "; ".join(a.summary() for a in result.athletes) or "nothing synced"
    return {"text": summary, "notes": notes, "ok": not result.errors}


_JOBS: dict[str, SyncJob] = {}
_JOBS_LOCK = threading.Lock()


def job_for(db_path: Path) -> SyncJob:
    """The one Garmin job of this database file in this dashboard process."""
    with _JOBS_LOCK:
        key = str(Path(db_path).resolve())
        return _JOBS.setdefault(key, SyncJob(_work, figures={"share": 0.0}, words=page_words))
