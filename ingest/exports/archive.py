"""Where the rows of an import path are: the CSV itself, or a Strava export archive's activities.csv.

Strava's bulk export is a .zip holding `activities.csv` (the one file read here), `profile.csv` (the
athlete's name) and GPX/FIT files and media. The CSV is streamed out of the archive into a temporary
folder for DuckDB's reader (only that member: an archive is never extracted whole) and removed after.

Hostile input is refused with one line naming the archive and member, never a temporary path:
- limits checked while decompressing, whatever the archive's headers claim: MAX_UNZIPPED_BYTES in total
  per archive, and MAX_RATIO between a member's decompressed and compressed size (zip bombs reach
  1000:1 and more; CSV text compresses about 5-10:1, FIT and GPX files less);
- encrypted members, and members that are links, FIFOs or devices rather than regular files;
- paths that are FIFOs, devices or sockets (opening a FIFO would block the import forever);
- a line longer than MAX_LINE_BYTES (DuckDB's reader drops a record of about 200 MiB without a word;
  rows from 10 MB up are rejected by the reader itself, line by line).

`open_member` and `Budget` are the pieces other archive readers (activity files, nested zips, .gz)
use to get the same limits.
"""

from __future__ import annotations

import csv
import gzip
import io
import stat
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from ingest.errors import CrosstrainError, ImportFormatError, first_line

MiB = 1024 * 1024
MAX_UNZIPPED_BYTES = 4096 * MiB  # crosstrain's convention: a large real Strava export (FIT files) ~2 GiB
MAX_RATIO = 100  # decompressed / compressed bytes of one member
RATIO_FREE_BYTES = 1 * MiB  # a member may expand to this much whatever its ratio (tiny members compress well)
MAX_LINE_BYTES = 100 * MiB  # longer lines are refused before DuckDB reads the file
CHUNK = 4 * MiB


class ArchiveLimitError(ImportFormatError):
    """An archive (or a line) is larger than crosstrain reads: a zip bomb or not an export."""


@dataclass
class Budget:
    """Decompressed bytes an archive may still produce, shared by every member read from it."""

    archive: str  # the archive as the user named it, for messages
    left: int = MAX_UNZIPPED_BYTES


def check_regular(path: Path, shown: str | None = None) -> None:
    """CrosstrainError unless `path` is a regular file (or a link to one); never opens it."""
    shown = shown or str(path)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise CrosstrainError(f"{shown}: no such file") from None
    except OSError as exc:
        raise CrosstrainError(f"{shown}: cannot read: {exc.strerror or exc}") from None
    if stat.S_ISDIR(mode):
        raise CrosstrainError(f"{shown}: is a folder; pass the CSV files or the export .zip")
    if not stat.S_ISREG(mode):
        kind = "a FIFO (named pipe)" if stat.S_ISFIFO(mode) else "a device or socket"
        raise CrosstrainError(f"{shown}: is {kind}, not a regular file; not imported")


def member_problem(info: zipfile.ZipInfo) -> str | None:
    """Why a member can't be read (encrypted, a link, a FIFO, a device, a folder), or None."""
    if info.is_dir():
        return "is a folder"
    if info.flag_bits & 0x1:
        return "is encrypted (password-protected); export it again without a password"
    kind = stat.S_IFMT(info.external_attr >> 16) if info.create_system == 3 else 0  # 3: Unix
    if kind and kind != stat.S_IFREG:
        what = "a symbolic link" if kind == stat.S_IFLNK else "a FIFO" if kind == stat.S_IFIFO else "a device"
        return f"is {what}, not a regular file"
    return None


class LimitedMember(io.RawIOBase):
    """A member's decompressed bytes, refused past the archive's budget or the member's ratio."""

    def __init__(self, raw: IO[bytes], info: zipfile.ZipInfo, budget: Budget) -> None:
        self.raw, self.info, self.budget, self.out = raw, info, budget, 0
        self.cap = max(RATIO_FREE_BYTES, MAX_RATIO * info.compress_size)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        data = self.raw.read(len(buffer))
        n = len(data)
        self.out += n
        self.budget.left -= n
        where = f"{self.budget.archive}:{self.info.filename}"
        if self.out > self.cap:
            raise ArchiveLimitError(
                f"{where}: expands more than {MAX_RATIO} times its compressed size: refused as a zip bomb"
            )
        if self.budget.left < 0:
            raise ArchiveLimitError(
                f"{where}: the archive expands to more than {_size(MAX_UNZIPPED_BYTES)}: refused"
            )
        buffer[:n] = data
        return n

    def close(self) -> None:
        self.raw.close()
        super().close()


def open_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: Budget) -> io.BufferedReader:
    """A stream of one member's bytes with the limits applied as it is read; refuses bad members."""
    where = f"{budget.archive}:{info.filename}"
    if problem := member_problem(info):
        raise ImportFormatError(f"{where}: {problem}; not imported")
    if info.file_size > budget.left or info.file_size > max(RATIO_FREE_BYTES, MAX_RATIO * info.compress_size):
        raise ArchiveLimitError(
            f"{where}: expands to {_size(info.file_size)} from {_size(info.compress_size)}, more than "
            f"crosstrain reads (x{MAX_RATIO}, {_size(MAX_UNZIPPED_BYTES)} in all): refused as a zip bomb"
        )
    try:
        raw = archive.open(info)
    except (RuntimeError, NotImplementedError, zipfile.BadZipFile) as exc:  # encrypted, unknown method
        raise ImportFormatError(f"{where}: cannot read: {exc}") from None
    return io.BufferedReader(LimitedMember(raw, info, budget), CHUNK)


def _size(n: int) -> str:
    return f"{n / MiB:,.0f} MiB" if n >= MiB else f"{n / 1024:,.0f} KiB"


def read_member(archive: zipfile.ZipFile, name: str, budget: Budget, limit: int | None = None) -> bytes:
    """A member's bytes, read with the limits (for readers that need the whole file, e.g. FIT); a
    member larger than `limit` bytes is refused from its header or after `limit` bytes, never held."""
    info = archive.getinfo(name)
    if limit is not None and info.file_size > limit:
        raise ArchiveLimitError(too_large(f"{budget.archive}:{name}", limit))
    with open_member(archive, info, budget) as fh:
        data = fh.read(limit + 1 if limit is not None else -1)
    if limit is not None and len(data) > limit:
        raise ArchiveLimitError(too_large(f"{budget.archive}:{name}", limit))
    return data


def too_large(shown: str, limit: int) -> str:
    """The line for a file larger than crosstrain reads in one piece."""
    return f"{shown}: more than {_size(limit)}, larger than any activity file crosstrain reads: refused"


def gunzip(data: bytes, shown: str, limit: int | None = None) -> bytes:
    """`data` gunzipped, streamed: refused past MAX_RATIO times its size (after RATIO_FREE_BYTES), a
    .gz bomb, or past `limit` bytes, as soon as the output passes the cap (only the cap is ever held)."""
    ratio_cap = max(RATIO_FREE_BYTES, MAX_RATIO * len(data))
    cap = min(ratio_cap, limit) if limit is not None else ratio_cap
    out = bytearray()
    with gzip.GzipFile(fileobj=io.BytesIO(data)) as fh:
        while chunk := fh.read(min(CHUNK, cap + 1 - len(out))):
            out += chunk
            if len(out) > cap:
                if cap == ratio_cap:
                    raise ArchiveLimitError(
                        f"{shown}: expands more than {MAX_RATIO} times its compressed size: refused"
                    )
                raise ArchiveLimitError(too_large(shown, cap))
    return bytes(out)


class LineScan:
    """Finds the first line longer than MAX_LINE_BYTES in a stream of chunks."""

    def __init__(self, shown: str) -> None:
        self.shown, self.line, self.since_newline = shown, 1, 0

    def feed(self, chunk: bytes) -> None:
        first = chunk.find(b"\n")
        if first < 0:
            self.since_newline += len(chunk)
        else:
            self.since_newline += first
        # chunks are shorter than the limit: only a line crossing chunk boundaries can exceed it
        if self.since_newline > MAX_LINE_BYTES:
            raise ArchiveLimitError(
                f"{self.shown}:{self.line}: a line longer than {MAX_LINE_BYTES // MiB} MiB: "
                "not a CSV export; not imported"
            )
        if first >= 0:
            self.line += chunk.count(b"\n")
            self.since_newline = len(chunk) - chunk.rfind(b"\n") - 1


def scan_lines(path: Path, shown: str) -> None:
    """ArchiveLimitError naming the line when `path` has a line longer than MAX_LINE_BYTES."""
    scan = LineScan(shown)
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            scan.feed(chunk)


@contextmanager
def csv_of(path: Path) -> Iterator[tuple[Path, str, str | None]]:
    """The CSV to read for `path`: itself, or a Strava export archive's activities.csv (extracted).

    Also yields the name shown in messages and, for an archive, the athlete named in its profile.csv.
    """
    check_regular(path)
    if not zipfile.is_zipfile(path):
        scan_lines(path, str(path))
        yield path, str(path), None
        return
    try:
        with zipfile.ZipFile(path) as archive, tempfile.TemporaryDirectory(prefix="crosstrain-") as tmp:
            names = {Path(n).name: n for n in archive.namelist() if n.count("/") <= 1}
            member = names.get("activities.csv")
            if member is None:
                raise ImportFormatError(f"{path}: no activities.csv in this archive: not a Strava export")
            budget = Budget(str(path))
            shown = f"{path}:{member}"
            target = Path(tmp) / "activities.csv"
            scan = LineScan(shown)
            with open_member(archive, archive.getinfo(member), budget) as src, target.open("wb") as dst:
                while chunk := src.read(CHUNK):
                    scan.feed(chunk)
                    dst.write(chunk)
            profile = _profile_name(archive, names.get("profile.csv"), budget)
            with _named(tmp, shown):
                yield target, shown, profile
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as exc:
        raise ImportFormatError(f"{path}: cannot read the archive: {exc}") from None


@contextmanager
def _named(tmp: str, shown: str) -> Iterator[None]:
    """Errors raised while the extracted copy is read name the archive member, never the temp path."""
    import duckdb  # loaded already by what reads the copy; not by finding activity files (sources.py)

    try:
        yield
    except CrosstrainError as exc:
        if tmp not in str(exc):
            raise
        raise type(exc)(_hide(str(exc), tmp, shown)) from None
    except duckdb.Error as exc:
        first = first_line(exc)
        raise ImportFormatError(f"{shown}: not imported: {_hide(first, tmp, shown)}") from None


def _hide(text: str, tmp: str, shown: str) -> str:
    return text.replace(str(Path(tmp) / "activities.csv"), shown).replace(tmp, "<archive>")


def _profile_name(archive: zipfile.ZipFile, member: str | None, budget: Budget) -> str | None:
    """'First Last' from a Strava export's profile.csv, or None."""
    if member is None:
        return None
    with open_member(archive, archive.getinfo(member), budget) as fh:
        rows = csv.DictReader(io.TextIOWrapper(fh, encoding="utf-8-sig", errors="replace"))
        try:
            row = next(rows, None) or {}
        except csv.Error:
            return None
    name = " ".join(p for p in (row.get("First Name", ""), row.get("Last Name", "")) if p and p.strip())
    return name.strip() or None


__all__ = [
    "Budget",
    "check_regular",
    "csv_of",
    "gunzip",
    "member_problem",
    "open_member",
    "read_member",
    "scan_lines",
]
