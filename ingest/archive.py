"""Where the rows of an import path are: the CSV itself, or a Strava export archive's activities.csv.

Strava's bulk export is a .zip holding `activities.csv` (the one file read), `profile.csv` (the
athlete's name) and GPX/FIT files and media (ignored). The CSV is extracted to a temporary folder
for DuckDB's reader and removed afterwards.
"""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ingest.errors import CrosstrainError, ImportFormatError


@contextmanager
def csv_of(path: Path) -> Iterator[tuple[Path, str, str | None]]:
    """The CSV to read for `path`: itself, or a Strava export archive's activities.csv (extracted).

    Also yields the name shown in messages and, for an archive, the athlete named in its profile.csv.
    """
    if not path.exists():
        raise CrosstrainError(f"{path}: no such file")
    if path.is_dir():
        raise CrosstrainError(f"{path}: is a folder; pass the CSV files or the export .zip")
    if not zipfile.is_zipfile(path):
        yield path, str(path), None
        return
    try:
        with zipfile.ZipFile(path) as archive, tempfile.TemporaryDirectory(prefix="crosstrain-") as tmp:
            names = {Path(n).name: n for n in archive.namelist() if n.count("/") <= 1}
            member = names.get("activities.csv")
            if member is None:
                raise ImportFormatError(f"{path}: no activities.csv in this archive: not a Strava export")
            target = Path(tmp) / "activities.csv"
            with archive.open(member) as src, target.open("wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
            profile = _profile_name(archive, names.get("profile.csv"))
            yield target, f"{path}:{member}", profile
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError) as exc:
        raise ImportFormatError(f"{path}: cannot read the archive: {exc}") from exc


def _profile_name(archive: zipfile.ZipFile, member: str | None) -> str | None:
    """'First Last' from a Strava export's profile.csv, or None."""
    if member is None:
        return None
    with archive.open(member) as fh:
        rows = csv.DictReader(io.TextIOWrapper(fh, encoding="utf-8-sig", errors="replace"))
        row = next(rows, None) or {}
    name = " ".join(p for p in (row.get("First Name", ""), row.get("Last Name", "")) if p and p.strip())
    return name.strip() or None
