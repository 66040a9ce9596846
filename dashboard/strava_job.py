"""The Strava sync the import page starts: its work in the child process (dashboard/sync_job.py)."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from dashboard.sync_job import SyncJob


def strava_configured() -> bool:
    """Whether the Strava API application's id and secret are set in the environment."""
    return bool(
        os.environ.get("STRAVA_CLIENT_ID", "").strip() and os.environ.get("STRAVA_CLIENT_SECRET", "").strip()
    )


def _work(db_path: str, settings: dict[str, Any], report: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    """Sync every connected athlete, reporting each page listed (the figure: pages so far)."""
    from ingest.strava.sync import sync

    pages = 0

    def progress(p: Any) -> None:
        nonlocal pages
        if p.waiting_s is not None:
            text = f"{p.athlete}: waiting {p.waiting_s:.0f} s for Strava's rate limit"
        elif p.done:
            text = p.result.summary()
        else:
            pages += 1
            text = f"{p.athlete}: page {p.pages}, {p.activities} activities listed"
        report({"text": text, "figures": {"pages": pages}})

    result = sync(db_path, settings, wait=False, progress=progress)
    lines = [f"{a.athlete}: {a.error}" if a.error else a.summary() for a in result.athletes]
    ok = not any(a.error for a in result.athletes)  # one athlete's fault: the others synced
    return {"text": "; ".join(lines) or "nothing to sync", "ok": ok}


def strava_job() -> SyncJob:
    """A Strava sync job (one per dashboard)."""
    return SyncJob(_work, figures={"pages": 0})
