"""Incremental Strava sync: list the athlete's activities page by page, committing each page.

Rules:
- `after` = the newest stored Strava start time (source 'strava': API rows and Strava-export rows
  share ids) minus LOOKBACK_DAYS, because activities are edited after upload; 0 on the first sync.
  Starts after tomorrow are ignored: a watch whose clock said 2030 must not hide every later activity.
- One activity that can't be read (no id or start, a distance of "abc") or breaks the plausibility
  rules (ingest/database/plausibility.py) is rejected, recorded in `import_rejects` by its Strava id, and the
  rest of the page and the later pages are stored.
  Strava returns activities oldest first when `after` is given, so a killed sync resumes where it
  stopped and the cursor only moves forward.
- `per_page=200`; a page shorter than 200 is the last one, so a first sync of N activities costs at
  most ceil(N/200) + 1 requests and a sync with nothing new costs one. No per-activity requests.
- Each page is staged in SQL (stage_page.sql) and written with `ingest.database.store.write_activities` in its
  own transaction: a kill loses at most the page in flight; de-duplication makes re-listing harmless.
- Tokens are refreshed REFRESH_MARGIN_S before they expire and once after a 401, and saved at once.
- `full` re-lists everything and deletes Strava activities no longer listed, but never all of an
  athlete's Strava activities at once (an empty answer is more likely a fault than a purge).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
from stravalib import Client
from stravalib import exc as strava_exc

from ingest.database import db, store, twins, versions
from ingest.errors import CrosstrainError, UnknownAthleteError, first_line
from ingest.strava.client import StravaApp, StravaError, StravaForbidden, StravaSession, make_client
from ingest.strava.oauth import link_athlete
from ingest.strava.ratelimit import Exhausted, RateLimitStop
from ingest.strava.tokens import Tokens, TokenStore

PER_PAGE = 200
LOOKBACK_DAYS = 7
REFRESH_MARGIN_S = 300
STAGE_SQL = resources.files("ingest.strava").joinpath("stage_page.sql").read_text(encoding="utf-8")


@dataclass
class AthleteResult:
    """What one athlete's sync did."""

    athlete: str
    new: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    pages: int = 0
    listed: int = 0
    rejects: list[str] = field(default_factory=list)  # one line per activity refused, with its reason
    twins: int = 0  # double recordings among the new and changed activities (counted once)
    error: str | None = None  # why this athlete's sync stopped (the others went on)

    def summary(self) -> str:
        rejected = f", {len(self.rejects)} rejected" if self.rejects else ""
        return (
            f"{self.athlete}: {self.new} new, {self.updated} updated, {self.deleted} deleted, "
            f"{self.unchanged} unchanged{rejected}" + store.WriteCounts(twins=self.twins).twins_note()
        )


@dataclass
class Progress:
    """Reported after every page and every second of a rate-limit wait."""

    athlete: str
    pages: int
    activities: int
    result: AthleteResult
    waiting_s: float | None = None  # seconds left when waiting for a rate-limit window
    waiting_for: Exhausted | None = None
    done: bool = False  # the athlete's sync finished; `result` is final


ProgressCallback = Callable[[Progress], None]


@dataclass
class SyncResult:
    """Every athlete's result and the HTTP requests the run made."""

    athletes: list[AthleteResult] = field(default_factory=list)
    requests: int = 0


def connected(
    db_path: Path | str | None, tokens: TokenStore, athlete: str | None = None
) -> list[tuple[int, str]]:
    """(strava id, crosstrain name) of every connected athlete, or of the one named `athlete`."""
    entries = tokens.load()
    if not entries:
        raise CrosstrainError("no Strava athlete is connected yet; run `crosstrain strava connect` first")
    found = []
    with db.connect(db_path) as con:
        for key, tok in sorted(entries.items(), key=lambda kv: kv[1].get("athlete", "")):
            athlete_id = link_athlete(con, tok.get("athlete") or f"strava-{key}", int(key))
            name = con.execute("select name from athletes where athlete_id = ?", [athlete_id]).fetchone()[0]
            found.append((int(key), name))
    if athlete is None:
        return found
    chosen = [entry for entry in found if entry[1] == athlete]
    if not chosen:
        names = ", ".join(name for _, name in found)
        raise UnknownAthleteError(f"no connected Strava athlete named '{athlete}' (connected: {names})")
    return chosen


def sync(
    db_path: Path | str | None,
    settings: dict[str, Any],
    athlete: str | None = None,
    full: bool = False,
    wait: bool = True,
    progress: ProgressCallback | None = None,
    app: StravaApp | None = None,
    tokens: TokenStore | None = None,
) -> SyncResult:
    """Sync every connected athlete (or the one named `athlete`) into the database at `db_path`.

    One athlete's fault (5xx or timeouts retrying did not fix, a revoked token, malformed answers) is
    that athlete's `error`, and the next athletes sync. Raises RateLimitStop when the application's
    limit is used up and `wait` is False (it holds for every athlete); every page fetched is stored.
    """
    app = app or StravaApp.from_env()
    tokens = tokens or TokenStore()
    result = SyncResult()
    session = StravaSession(app.base_url, wait=wait)
    try:
        for strava_id, name in connected(db_path, tokens, athlete):
            try:
                run = _AthleteSync(db_path, settings, app, tokens, session, strava_id, name, progress)
            except CrosstrainError as exc:
                result.athletes.append(AthleteResult(name, error=str(exc)))
                continue
            result.athletes.append(run.result)
            try:
                run.run(full)
            except RateLimitStop:
                raise
            except (CrosstrainError, duckdb.Error) as exc:
                run.result.error = first_line(exc)
            except Exception as exc:  # noqa: BLE001 - one athlete's unforeseen fault is that athlete's line
                run.result.error = f"{type(exc).__name__}: {first_line(exc)[:200]}"
    finally:
        result.requests = session.requests_sent
    return result


class _AthleteSync:
    """One athlete's sync: its client, import record, counts and pages."""

    def __init__(
        self,
        db_path: Path | str | None,
        settings: dict[str, Any],
        app: StravaApp,
        tokens: TokenStore,
        session: StravaSession,
        strava_id: int,
        name: str,
        progress: ProgressCallback | None,
    ) -> None:
        self.db_path, self.settings, self.app, self.tokens = db_path, settings, app, tokens
        self.session, self.strava_id, self.name, self.progress = session, strava_id, name, progress
        self.result = AthleteResult(name)
        stored = tokens.get(strava_id)
        if stored is None:
            raise CrosstrainError(f"no Strava tokens for '{name}'; run `crosstrain strava connect` again")
        self.stored: Tokens = stored
        self.client: Client = make_client(session, dict(stored))
        session.on_wait = self._waiting

    def run(self, full: bool) -> None:
        with db.connect(self.db_path) as con:
            self.athlete_id = link_athlete(con, self.name, self.strava_id)
            self.import_id = store.start_import(con, "strava_sync", "strava", "strava_api")
            con.execute(
                "update imports set athlete_id = ? where import_id = ?", [self.athlete_id, self.import_id]
            )
            after = 0 if full else self._cursor(con)
        listed: list[int] = []
        try:
            page_no = 1
            while True:
                page = self._list_page(after, page_no)
                if page:
                    listed.extend(self._write_page(page))
                self.result.pages, self.result.listed = page_no, len(listed)
                self._report()
                if len(page) < PER_PAGE:
                    break
                page_no += 1
            if full:
                self._delete_unlisted(listed)
        except CrosstrainError as exc:
            self._finish("stopped" if isinstance(exc, RateLimitStop) else "failed")
            saved = (
                f"saved {self.result.new} new and {self.result.updated} updated activities of {self.name}; "
                "the next sync resumes from there"
            )
            if isinstance(exc, RateLimitStop):
                raise RateLimitStop(exc.reason, exc.until, saved) from None
            if isinstance(exc, StravaForbidden) or not (self.result.new or self.result.updated):
                raise  # nothing saved to speak of: the cause alone, in one line
            raise CrosstrainError(f"{exc}; {saved}") from None
        except KeyboardInterrupt:
            self._finish("interrupted")
            raise
        except Exception:
            self._finish("failed")
            raise
        self._finish("ok")
        self._report(done=True)

    def _cursor(self, con: duckdb.DuckDBPyConnection) -> int:
        """Epoch seconds to list from: newest stored Strava start minus the look-back, else 0."""
        newest = con.execute(
            """select epoch(max(start_at))::bigint from activities where athlete_id = ? and source = 'strava'
               and start_at <= (now() at time zone 'UTC') + interval 1 day""",
            [self.athlete_id],
        ).fetchone()[0]
        return max(0, newest - LOOKBACK_DAYS * 86400) if newest is not None else 0

    def _list_page(self, after: int, page: int) -> list[dict[str, Any]]:
        """One page of summaries, refreshing the token before expiry and once after a 401."""
        for attempt in (1, 2):
            self._refresh(force=attempt == 2)
            try:
                data = self.client.protocol.get(
                    "/athlete/activities", after=after, page=page, per_page=PER_PAGE
                )
            except strava_exc.AccessUnauthorized:
                if attempt == 2:
                    raise self._reconnect("Strava refused the refreshed token") from None
                continue
            except strava_exc.Fault as fault:
                raise StravaError(f"/api/v3/athlete/activities: {first_line(fault)}") from None
            finally:
                self._save_if_rotated()
            if not isinstance(data, list):
                raise StravaError("/api/v3/athlete/activities: expected a JSON list of activities")
            return data
        raise AssertionError("unreachable")

    def _refresh(self, force: bool) -> None:
        expires_at = self.client.token_expires or 0
        if not force and expires_at - time.time() > REFRESH_MARGIN_S:
            return
        try:
            self.client.refresh_access_token(
                client_id=self.app.client_id,
                client_secret=self.app.client_secret,
                refresh_token=self.client.refresh_token or "",
            )
        except strava_exc.Fault:
            raise self._reconnect("Strava refused to refresh the token") from None
        self._save_if_rotated()

    def _save_if_rotated(self) -> None:
        """Write the client's tokens back when a refresh (ours or stravalib's) changed them."""
        current = (self.client.access_token, self.client.refresh_token, self.client.token_expires)
        if current != (self.stored["access_token"], self.stored["refresh_token"], self.stored["expires_at"]):
            self.stored = {
                "access_token": current[0] or "",
                "refresh_token": current[1] or "",
                "expires_at": int(current[2] or 0),
                "athlete": self.name,
            }
            self.tokens.put(self.strava_id, self.stored)

    def _reconnect(self, why: str) -> CrosstrainError:
        return CrosstrainError(
            f"{why} for '{self.name}' (access revoked?); run `crosstrain strava connect --athlete "
            f"'{self.name}'` again"
        )

    def _write_page(self, page: list[dict[str, Any]]) -> list[int]:
        """Stage one page in SQL and write it, all in one transaction; returns the page's Strava ids."""
        with db.connect(self.db_path) as con:
            con.execute("begin transaction")
            try:
                con.execute(STAGE_SQL, {"athlete_id": self.athlete_id, "page": json.dumps(page)})
                ids = con.execute("select list(strava_id) filter (strava_id is not null) from _strava_page")
                ids = ids.fetchone()[0] or []
                self._reject_unreadable(con)
                counts = store.write_activities(con, "_strava_page", self.import_id, self.settings)
                self._report_rejects(con, "_implausible")
                # write_activities compares typed columns only; keep `raw` the latest summary as well
                con.execute(
                    """update activities set raw = p.raw from _strava_page p
                       where activities.athlete_id = p.athlete_id and activities.source = p.source
                         and activities.source_id = p.source_id and activities.raw is distinct from p.raw"""
                )
                con.execute("drop table _strava_page")
                con.execute("commit")
            except BaseException:
                con.execute("rollback")
                raise
        self.result.new += counts.new
        self.result.updated += counts.updated
        self.result.unchanged += counts.duplicate
        self.result.twins += counts.twins
        return ids

    def _reject_unreadable(self, con: duckdb.DuckDBPyConnection) -> None:
        """Record the page's activities that can't be read in `import_rejects` and drop them from the page."""
        con.execute(
            """create or replace temp table _unreadable as
               select coalesce(source_id, id_text) as source_id, unreadable_column as "column",
                      unreadable_reason || case when coalesce(source_id, id_text) is null
                          then ' (' || left(coalesce(name, '?'), 40) || ', '
                               || coalesce(raw ->> 'start_date_local', '?') || ')' else '' end as reason
               from _strava_page where unreadable_column is not null"""
        )
        if not con.execute("select count(*) from _unreadable").fetchone()[0]:
            return
        con.execute(
            """insert into import_rejects (import_id, file, line, "column", reason, source_id)
               select ?, 'strava', null, "column", reason, source_id from _unreadable""",
            [self.import_id],
        )
        con.execute("delete from _strava_page where unreadable_column is not null")
        self._report_rejects(con, "_unreadable")

    def _report_rejects(self, con: duckdb.DuckDBPyConnection, table: str) -> None:
        for source_id, column, reason in con.execute(
            f'select source_id, "column", reason from {table} order by source_id'
        ).fetchall():
            who = f"Strava activity {source_id}" if source_id else "a Strava activity without an id"
            self.result.rejects.append(f"{who} of {self.name}: field '{column}': {reason}; activity skipped")

    def _delete_unlisted(self, listed: list[int]) -> None:
        """After a full listing: remove this athlete's Strava activities that Strava no longer has."""
        with db.connect(self.db_path) as con:
            con.execute("begin transaction")
            try:
                con.execute(
                    "create or replace temp table _listed as select unnest(?::bigint[]) as strava_id",
                    [listed],
                )
                stored, gone = con.execute(
                    """select count(*), count(*) filter (where strava_id is null
                              or strava_id not in (select strava_id from _listed))
                       from activities where athlete_id = ? and source = 'strava'""",
                    [self.athlete_id],
                ).fetchone()
                if gone and gone == stored:
                    raise CrosstrainError(
                        f"refusing to delete all {stored} Strava activities of '{self.name}': Strava listed "
                        f"{len(listed)} of them; check the account, then retry with --full"
                    )
                if gone:
                    con.execute(
                        """delete from activities where athlete_id = ? and source = 'strava'
                           and (strava_id is null or strava_id not in (select strava_id from _listed))""",
                        [self.athlete_id],
                    )
                    twins.relink_orphans(con)  # a deleted recording's twin counts again
                    versions.touch(con, f"select {int(self.athlete_id)} as athlete_id")
                con.execute("drop table _listed")
                con.execute("commit")
            except BaseException:
                con.execute("rollback")
                raise
        self.result.deleted = gone

    def _finish(self, status: str) -> None:
        counts = store.WriteCounts(self.result.new, self.result.updated, self.result.unchanged)
        with db.connect(self.db_path) as con:
            store.finish_import(
                con, self.import_id, counts, len(self.result.rejects), self.result.deleted, status
            )

    def _report(
        self, waiting_s: float | None = None, waiting_for: Exhausted | None = None, done: bool = False
    ) -> None:
        if self.progress:
            r = self.result
            self.progress(Progress(self.name, r.pages, r.listed, r, waiting_s, waiting_for, done))

    def _waiting(self, left_s: float, hit: Exhausted) -> None:
        self._report(left_s, hit)
