"""Uploaded files into the database, through the same import library as `crosstrain import`."""

from __future__ import annotations

import base64
import binascii
import tempfile
from pathlib import Path

from dashboard import data
from ingest.csv_import import FileResult, ImportOptions, import_paths
from ingest.errors import CrosstrainError

MAX_FILE_MB = 50
MAX_FILE_BYTES = MAX_FILE_MB * 1024 * 1024


def save_uploads(folder: Path, contents: list[str], names: list[str]) -> tuple[list[Path], list[FileResult]]:
    """Decode uploaded files into `folder`; files too big or not decodable come back as results."""
    paths, refused = [], []
    for content, name in zip(contents, names, strict=True):
        shown = Path(name).name or "upload.csv"
        try:
            raw = base64.b64decode(content.split(",", 1)[1], validate=True)
        except (IndexError, binascii.Error):
            refused.append(FileResult(file=shown, error=f"{shown}: the upload arrived damaged; try again"))
            continue
        if len(raw) > MAX_FILE_BYTES:
            refused.append(
                FileResult(file=shown, error=f"{shown}: larger than {MAX_FILE_MB} MB; use the CLI")
            )
            continue
        target = folder / f"{len(paths)}" / shown
        target.parent.mkdir()
        target.write_bytes(raw)
        paths.append(target)
    return paths, refused


def import_uploads(
    contents: list[str], names: list[str], athlete: str | None, fmt: str | None
) -> list[FileResult] | str:
    """Import the uploaded files, each in its own transaction; a one-line problem as a string."""
    cfg = data.config()
    with tempfile.TemporaryDirectory(prefix="crosstrain-upload-") as tmp:
        paths, refused = save_uploads(Path(tmp), contents, names)
        results: list[FileResult] = []
        if paths:
            options = ImportOptions(athlete=(athlete or "").strip() or None, format=fmt or "auto")
            try:
                with data.turn(cfg, wait_s=30):  # no read of this process holds the file meanwhile
                    results = import_paths(cfg.db_path, paths, options, cfg.settings)
            except CrosstrainError as exc:
                return str(exc).replace(tmp + "/", "")
        for r in results:  # show the uploaded names, not where they were saved
            prefix = str(Path(r.file).parent) + "/" if r.file.startswith(tmp) else ""
            for rej in r.rejects:
                rej.file = rej.file.replace(prefix, "")
            r.file = r.file.replace(prefix, "")
            r.error = r.error.replace(prefix, "") if r.error else None
        return refused + results
