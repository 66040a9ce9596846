"""Uploaded files into the database, through the same import library as `crosstrain import`.

Everything an upload carries is checked before use: the payload's shape (what a browser sends, or
anything a script posts instead), the number of files and their total size, and each file name. A
file is saved under a name of our own (`upload` plus its checked suffix), never the name it came
with, so `..`, NUL bytes or 300-character names reach no file system; messages show the name the
user knows, shortened when long, never the temporary path.
"""

from __future__ import annotations

import base64
import binascii
import re
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dashboard import data
from ingest.errors import CrosstrainError
from ingest.exports.importer import FileResult, ImportOptions, import_paths
from ingest.files.importer import FilesResult, Progress, import_activity_paths, is_activity_path

MAX_FILE_MB = 50  # one file, decoded
MAX_TOTAL_MB = 100  # all files of one upload, decoded
MAX_FILES = 20  # files in one upload: more kept one request busy for minutes; the CLI takes folders
MAX_FILE_BYTES = MAX_FILE_MB * 1024 * 1024
MAX_TOTAL_BYTES = MAX_TOTAL_MB * 1024 * 1024
# What the web server accepts in one request: the files base64-encoded (4/3) plus the page's JSON.
MAX_REQUEST_BYTES = MAX_TOTAL_BYTES * 4 // 3 + 1024 * 1024
SHOWN_NAME_CHARS = 80
# One upload decoded and imported at a time: each holds up to MAX_TOTAL_MB decoded plus a file's
# decoding (ingest/files/sources.py caps it), so the server's memory stays bounded however many
# threads receive uploads at once; the others wait their turn, then get a message.
IMPORT_TURN = threading.BoundedSemaphore(1)
IMPORT_WAIT_S = 120.0
FORMATS = ("auto", "strava", "garmin", "generic")
UNITS = ("metric", "imperial")
DATE_ORDERS = ("dmy", "mdy")
# Suffixes kept on the saved file, so the import library tells a .zip from a .csv or a .fit.gz.
SUFFIX = re.compile(r"(\.[a-z0-9]{1,5}){1,2}$")


class UploadError(CrosstrainError):
    """An upload that cannot be used as it is: its message is shown in the page."""


@dataclass
class Upload:
    """One uploaded file: the name to show, the decoded bytes, or why it is refused."""

    shown: str
    raw: bytes = b""
    problem: str | None = None


def shown_name(name: str) -> str:
    """The file name as the page shows it: the last path part, control characters replaced, and
    shortened in the middle when long."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    clean = "".join(ch if ch.isprintable() else "\N{REPLACEMENT CHARACTER}" for ch in base)
    if len(clean) > SHOWN_NAME_CHARS:
        clean = clean[: SHOWN_NAME_CHARS - 20] + "…" + clean[-19:]
    return clean


def name_problem(name: str) -> str | None:
    """Why a file name cannot be used, or None."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    if "\x00" in name:
        return "the file name holds a NUL byte"
    if any(not ch.isprintable() for ch in name):
        return "the file name holds control characters"
    if base.strip() in ("", ".", ".."):
        return f"'{name[:SHOWN_NAME_CHARS]}' is not a file name"
    return None


def disk_name(name: str) -> str:
    """The name the file is saved under: `upload` and the original's suffixes when they are plain."""
    found = SUFFIX.search(name.lower()[-12:])
    return "upload" + (found.group(0) if found else "")


def checked(contents: Any, names: Any) -> list[Upload]:
    """The uploaded files, each decoded or with its problem; UploadError for a payload that is not
    an upload at all, too many files or too many bytes."""
    if isinstance(contents, str) and isinstance(names, str):
        contents, names = [contents], [names]
    if not isinstance(contents, list) or not isinstance(names, list) or len(contents) != len(names):
        raise UploadError("the upload arrived damaged (files and names do not match); try again")
    if not contents:
        raise UploadError("the upload holds no files")
    if len(contents) > MAX_FILES:
        raise UploadError(
            f"{len(contents)} files in one upload; at most {MAX_FILES}: upload them in parts, "
            "or import the folder with `crosstrain import`"
        )
    if sum(len(c) for c in contents if isinstance(c, str)) * 3 // 4 > MAX_TOTAL_BYTES:
        raise UploadError(f"the files add up to more than {MAX_TOTAL_MB} MB; upload them in parts")
    files = []
    for content, name in zip(contents, names, strict=True):
        if not isinstance(name, str):
            files.append(Upload("(no name)", problem="the upload arrived without a file name"))
            continue
        shown = shown_name(name)
        if problem := name_problem(name):
            files.append(Upload(shown or "(no name)", problem=problem))
            continue
        try:
            if not isinstance(content, str) or not content.startswith("data:"):
                raise ValueError
            raw = base64.b64decode(content.split(",", 1)[1], validate=True)
        except (IndexError, ValueError, binascii.Error):
            files.append(Upload(shown, problem="the upload arrived damaged; try again"))
            continue
        if len(raw) > MAX_FILE_BYTES:
            files.append(Upload(shown, problem=f"larger than {MAX_FILE_MB} MB; use `crosstrain import`"))
            continue
        files.append(Upload(shown, raw))
    return files


def save_uploads(folder: Path, contents: Any, names: Any) -> tuple[list[Path], list[FileResult]]:
    """Check the uploaded files and save the usable ones into `folder` under names of our own; the
    refused come back as results with their message. Returns (saved paths, refused)."""
    try:
        files = checked(contents, names)
    except UploadError as exc:
        return [], [FileResult(file="upload", error=str(exc))]
    saved, refused = save(folder, files)
    return list(saved), refused


def save(folder: Path, files: list[Upload]) -> tuple[dict[Path, str], list[FileResult]]:
    """The usable files written into `folder` (path -> shown name) and the refused as results."""
    saved: dict[Path, str] = {}
    refused = []
    for i, f in enumerate(files):
        if f.problem:
            refused.append(FileResult(file=f.shown, error=f"{f.shown}: {f.problem}"))
            continue
        target = folder / str(i) / disk_name(f.shown)
        target.parent.mkdir()
        target.write_bytes(f.raw)
        saved[target] = f.shown
    return saved, refused


def import_uploads(
    contents: Any,
    names: Any,
    athlete: Any,
    fmt: Any,
    progress: Progress | None = None,
    options: dict[str, Any] | None = None,
    cfg: data.DashboardConfig | None = None,
) -> list[FileResult | FilesResult] | str:
    """Import the uploaded files, each in its own transaction, as `crosstrain import` does: activity
    files and archives through ingest/files, CSV files through the CSV importer; a one-line problem
    as a string. `options`: the form's time zone, units and date order (None, "" or "auto": the
    file decides). Writes go where the Import page imports (data.importing: in the demo, the user's own
    database); pages keep answering from the last committed data meanwhile. `progress(done, total,
    stage)` hears each stage (reading files, writing); `cfg` is the app's (outside a request)."""
    if fmt not in FORMATS:
        return f"unknown format {str(fmt)[:20]!r}; one of {', '.join(FORMATS)}"
    given = {k: v for k, v in (options or {}).items() if isinstance(v, str) and v.strip() not in ("", "auto")}
    if given.get("units") not in (None, *UNITS) or given.get("date_order") not in (None, *DATE_ORDERS):
        return "units or date order not one of the form's choices"
    if not IMPORT_TURN.acquire(timeout=IMPORT_WAIT_S):
        return "another upload is being imported; try again when it is done"
    try:
        return _import_uploads(contents, names, athlete, fmt, given, progress, cfg)
    finally:
        IMPORT_TURN.release()


def _import_uploads(
    contents: Any,
    names: Any,
    athlete: Any,
    fmt: str,
    given: dict[str, str],
    progress: Progress | None,
    cfg: data.DashboardConfig | None,
) -> list[FileResult | FilesResult] | str:
    try:
        files = checked(contents, names)
    except UploadError as exc:
        return str(exc)
    cfg = cfg or data.config()
    with tempfile.TemporaryDirectory(prefix="crosstrain-upload-") as tmp:
        written, refused = save(Path(tmp), files)
        paths = list(written)
        saved = {str(p): shown for p, shown in written.items()}
        results: list[FileResult | FilesResult] = []
        if paths:
            name = athlete.strip() if isinstance(athlete, str) else ""
            import_options = ImportOptions(
                athlete=name or None,
                format=fmt,
                timezone=given.get("timezone", "").strip() or None,
                units=given.get("units"),
                date_order=given.get("date_order"),
            )
            activity = [p for p in paths if is_activity_path(p)]
            tables = [p for p in paths if not is_activity_path(p)]
            try:
                with data.importing(cfg) as target:
                    if activity:
                        results += import_activity_paths(
                            target, activity, import_options, cfg.settings, progress
                        )
                    if tables:
                        if progress:
                            progress(0, len(tables), "csv files")
                        results += import_paths(target, tables, import_options, cfg.settings)
            except CrosstrainError as exc:
                return unsaved(str(exc), saved, tmp)
        for r in results:  # show the uploaded names, not where they were saved
            shown_names(r, saved, tmp)
        return refused + results


def shown_names(result: FileResult | FilesResult, saved: dict[str, str], tmp: str) -> None:
    """Replace saved paths by the uploaded names in everything a result says."""
    if isinstance(result, FilesResult):
        result.path = unsaved(result.path, saved, tmp)
        result.rejects = [unsaved(r, saved, tmp) for r in result.rejects]
        if result.csv is not None:
            shown_names(result.csv, saved, tmp)
    else:
        for rej in result.rejects:
            rej.file = unsaved(rej.file, saved, tmp)
        result.file = unsaved(result.file, saved, tmp)
    result.error = unsaved(result.error, saved, tmp) if result.error else None


def unsaved(text: str, saved: dict[str, str], tmp: str) -> str:
    """`text` with each saved file's path replaced by its shown name (and no temporary path left)."""
    for path, shown in saved.items():
        text = text.replace(path, shown)
    return text.replace(tmp + "/", "").replace(tmp, "upload")
