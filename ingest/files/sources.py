"""Where activity files are: single files, folders, a Strava export zip, a Garmin Connect data export.

Each file found is an `Item` that a worker process can read on its own (paths and member names, not
bytes), so decoding runs on every core. Members with a path outside the archive's folder (`../`, an
absolute path) are refused with a line naming them; nothing is ever extracted to disk.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from ingest.errors import CrosstrainError, FileFormatError
from ingest.exports.archive import (
    MAX_UNZIPPED_BYTES,
    ArchiveLimitError,
    Budget,
    check_regular,
    gunzip,
    open_member,
    read_member,
    too_large,
)
from ingest.exports.formats.strava_languages import HEADERS as STRAVA_HEADERS

FILE_KINDS = ("fit", "gpx", "tcx")
MiB = 1024 * 1024
# The largest activity file read, once decompressed: its decoding must stay well under 1 GB of memory
# (bench/README.md: a FIT file takes about 60 times its size while decoded, GPX and TCX about 12).
# 8 MiB of FIT is four days of one-second records; 32 MiB of GPX about 170,000 points.
MAX_FILE_BYTES = {"fit": 8 * MiB, "gpx": 32 * MiB, "tcx": 32 * MiB}
GARMIN_UPLOADS = "DI_CONNECT/DI-Connect-Uploaded-Files/"


@dataclass(frozen=True)
class Item:
    """One activity file: a path, or a member of a zip (possibly a member of a zip inside that zip)."""

    shown: str  # how messages name it
    path: str  # the file on disk
    member: str | None = None  # member of `path` when it is a zip
    inner: str | None = None  # member of the zip `member` (Garmin's nested upload zips)
    strava_id: str | None = None  # the Strava export row (Activity ID) this file belongs to
    download: bool = False  # a service's download: cut short, it is refused (a new try may get it whole)

    @property
    def kind(self) -> str | None:
        """'fit', 'gpx' or 'tcx' from the file name (also gzipped), else None."""
        return kind_of(self.inner or self.member or self.path)


def kind_of(name: str) -> str | None:
    """The activity-file kind a name says, ignoring a .gz suffix."""
    name = name.lower().removesuffix(".gz")
    suffix = name.rsplit(".", 1)[-1] if "." in name else ""
    return suffix if suffix in FILE_KINDS else None


def is_activity_path(path: Path) -> bool:
    """Whether `path` is for the activity-file importer: a folder, an activity file, or a zip archive.
    Here, not in importer.py, so that the CLI can tell without loading the decoders."""
    return path.is_dir() or kind_of(path.name) is not None or (path.is_file() and zipfile.is_zipfile(path))


def unsafe(member: str) -> bool:
    """Whether a zip member's path leaves the archive's folder (zip slip)."""
    p = PurePosixPath(member.replace("\\", "/"))
    return p.is_absolute() or ".." in p.parts or (len(member) > 1 and member[1] == ":")


@dataclass
class Found:
    """What a path holds: activity files, refused members (name, reason), and for exports the rest."""

    items: list[Item]
    refused: list[tuple[str, str]]
    strava_csv: bool = False  # a Strava export: its activities.csv is imported first
    profile_name: str | None = None  # an unzipped Strava export's athlete (profile.csv)
    csv_path: Path | None = None  # an unzipped Strava export's activities.csv


def split_paths(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """The paths for the activity-file importer and those for the CSV importer, folders opened up: a
    folder as people keep their exports holds CSVs (Garmin's Activities.csv, a training log), export
    zips and unzipped Strava exports, and loose activity files or zips of them (an unzipped Garmin
    data export's `UploadedFiles_*.zip`). Each is imported as what it is; the folder itself stands
    for its loose activity files."""
    files: list[Path] = []
    csvs: list[Path] = []
    for path in paths:
        if not path.is_dir() or _is_strava_folder(path):
            (files if is_activity_path(path) else csvs).append(path)
            continue
        loose, parts = False, 0
        for p in _folder_files(path):
            if p.is_dir():
                files.append(p)  # an unzipped Strava export inside
                parts += 1
            elif p.suffix.lower() == ".csv":
                csvs.append(p)
                parts += 1
            elif kind_of(p.name) is not None:
                loose = True
            elif p.suffix.lower() == ".zip" and _safe_is_zip(p):
                if _export_zip(p):
                    files.append(p)
                    parts += 1
                else:
                    loose = True
        if loose or not parts:  # nothing else in it: the importer says what the folder lacks
            files.append(path)
    return files, csvs


def _is_strava_folder(path: Path) -> bool:
    return path.is_dir() and (path / "activities.csv").is_file()


def _folder_files(path: Path) -> Iterator[Path]:
    """The files under folder `path`, sorted, with unzipped Strava exports inside as one folder each."""
    for p in sorted(path.iterdir()):
        if p.is_dir():
            if p.is_symlink():
                continue  # as rglob: a link to a folder above would never end
            if _is_strava_folder(p):
                yield p
            else:
                yield from _folder_files(p)
        elif p.is_file():
            yield p


def _safe_is_zip(path: Path) -> bool:
    try:
        return zipfile.is_zipfile(path)
    except OSError:
        return False


def _export_zip(path: Path) -> bool:
    """Whether a zip is a Strava or Garmin Connect export (imported on its own), not a bag of files."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return True  # its import says what is wrong with it
    return any(
        n.startswith("DI_CONNECT/") or (PurePosixPath(n).name == "activities.csv" and n.count("/") <= 1)
        for n in names
    )


def find(path: Path) -> Found:
    """The activity files under `path` (a file, a folder searched recursively, or an export zip)."""
    if _is_strava_folder(path):
        return _strava_folder(path)
    if not path.is_dir():
        check_regular(path)  # a FIFO would block is_zipfile below
    if path.is_dir():
        items: list[Item] = []
        refused: list[tuple[str, str]] = []
        for p in _folder_files(path):
            if p.is_dir():
                continue  # an unzipped Strava export: split_paths imports it on its own
            if kind_of(p.name) is not None:
                items.append(Item(str(p), str(p)))
            elif p.suffix.lower() == ".zip" and _safe_is_zip(p) and not _export_zip(p):
                inner = _zip(p)  # a zip of activity files (a Garmin export's UploadedFiles_*.zip)
                items += inner.items
                refused += inner.refused
        return Found(items, refused)
    if zipfile.is_zipfile(path):
        return _zip(path)
    return Found([Item(str(path), str(path))], [])


def _zip(path: Path) -> Found:
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        refused = [(f"{path}:{n}", "path outside the archive's folder; skipped") for n in names if unsafe(n)]
        safe = [n for n in names if not unsafe(n)]
        if any(n.startswith(GARMIN_UPLOADS) or n.startswith("DI_CONNECT/") for n in safe):
            return Found(_garmin_items(path, archive, safe, refused), refused)
        csv_member = next(
            (n for n in safe if PurePosixPath(n).name == "activities.csv" and n.count("/") <= 1), None
        )
        if csv_member is None:
            items = [Item(f"{path}:{n}", str(path), n) for n in safe if kind_of(n)]
            return Found(items, refused)
        prefix = csv_member[: -len("activities.csv")]
        with open_member(archive, archive.getinfo(csv_member), Budget(str(path))) as fh:
            by_file = _strava_files(fh)
        items = []
        present = set(safe)
        for filename, activity_id in by_file.items():
            member = prefix + filename
            if unsafe(filename):
                refused.append((f"{path}:{filename}", "path outside the archive's folder; skipped"))
            elif member in present and kind_of(member):
                items.append(Item(f"{path}:{member}", str(path), member, strava_id=activity_id))
        # files under activities/ that no row names: activities of their own (strava_id None)
        listed = {prefix + f for f in by_file}
        items += [
            Item(f"{path}:{n}", str(path), n)
            for n in safe
            if n.startswith(prefix + "activities/") and kind_of(n) and n not in listed
        ]
        return Found(items, refused, strava_csv=True)


# A localized export's header names (Strava's locales: "Nome del file") -> the English ones, lower case.
_ENGLISH = {k.lower(): v.lower() for names in STRAVA_HEADERS.values() for k, v in names.items()}


def _strava_files(fh: IO[bytes]) -> dict[str, str]:
    """Filename -> Activity ID from a Strava export's activities.csv (rows without a file left out)."""
    rows = csv.reader(io.TextIOWrapper(fh, encoding="utf-8-sig", errors="replace", newline=""))
    header = [_ENGLISH.get(h.strip().lower(), h.strip().lower()) for h in next(rows, [])]
    if "filename" not in header:
        return {}
    f_col = header.index("filename")
    id_col = next((i for i, h in enumerate(header) if h in ("activity id", "id")), 0)
    found = {}
    for row in rows:
        if len(row) > max(f_col, id_col) and row[f_col].strip():
            found[row[f_col].strip()] = row[id_col].strip()
    return found


def _strava_folder(path: Path) -> Found:
    """An unzipped Strava export: activities.csv, profile.csv and activities/ in one folder."""
    with (path / "activities.csv").open("rb") as fh:
        by_file = _strava_files(fh)
    items, refused = [], []
    for filename, activity_id in by_file.items():
        file = path / filename
        if unsafe(filename):
            refused.append((str(file), "path outside the export's folder; skipped"))
        elif file.is_file() and kind_of(filename):
            items.append(Item(str(file), str(file), strava_id=activity_id))
    listed = {(path / f).resolve() for f in by_file if not unsafe(f)}
    if (path / "activities").is_dir():  # files no row names: activities of their own
        items += [
            Item(str(p), str(p))
            for p in sorted((path / "activities").rglob("*"))
            if p.is_file() and kind_of(p.name) and p.resolve() not in listed
        ]
    name = None
    if (path / "profile.csv").is_file():
        with (path / "profile.csv").open(encoding="utf-8-sig", errors="replace", newline="") as fh:
            row = next(csv.DictReader(fh), None) or {}
        name = " ".join(
            p.strip() for p in (row.get("First Name", ""), row.get("Last Name", "")) if p and p.strip()
        )
    return Found(items, refused, strava_csv=True, profile_name=name or None, csv_path=path / "activities.csv")


def _garmin_items(path: Path, archive: zipfile.ZipFile, names: list[str], refused: list) -> list[Item]:
    """The FIT files of a Garmin Connect export: inside the upload zips, or directly in the folder."""
    items = []
    for n in names:
        if not n.startswith(GARMIN_UPLOADS):
            continue
        if n.lower().endswith(".zip"):
            with zipfile.ZipFile(io.BytesIO(read_member(archive, n, Budget(str(path))))) as inner:
                for m in inner.namelist():
                    if unsafe(m):
                        refused.append((f"{path}:{n}:{m}", "path outside the archive's folder; skipped"))
                    elif kind_of(m):
                        items.append(Item(f"{path}:{n}:{m}", str(path), n, m))
        elif kind_of(n):
            items.append(Item(f"{path}:{n}", str(path), n))
    return items


def read(item: Item, cache: dict[str, zipfile.ZipFile] | None = None) -> bytes:
    """The bytes of an item's file, gunzipped when its name ends in .gz; with the archive limits of
    ingest/exports/archive.py (zip/.gz bombs, encrypted or non-regular members, FIFOs) as FileFormatError."""
    try:
        return _read(item, {} if cache is None else cache)
    except CrosstrainError as exc:  # "<where>: <reason>": the importer names the file itself
        raise FileFormatError(str(exc).split(": ", 1)[-1]) from None


def _read(item: Item, cache: dict[str, zipfile.ZipFile]) -> bytes:
    budget = Budget(item.path, left=MAX_UNZIPPED_BYTES)
    name = item.inner or item.member or item.path
    limit = MAX_FILE_BYTES.get(item.kind or "", min(MAX_FILE_BYTES.values()))
    gz = name.lower().endswith(".gz")
    if item.member is None:
        check_regular(Path(item.path))
        if Path(item.path).stat().st_size > limit:
            raise ArchiveLimitError(too_large(item.path, limit))
        data = Path(item.path).read_bytes()
    else:
        archive = cache.get(item.path)
        if archive is None:
            archive = cache[item.path] = zipfile.ZipFile(item.path)
        if item.inner is None:
            data = read_member(archive, item.member, budget, limit)
        else:
            key = f"{item.path}|{item.member}"
            inner = cache.get(key)
            if inner is None:
                inner = cache[key] = zipfile.ZipFile(io.BytesIO(read_member(archive, item.member, budget)))
            data = read_member(inner, item.inner, budget, limit)
    if gz:
        data = gunzip(data, name, limit)
    return data
