"""The layout the README's "Layout" section promises: one-way arrows and a docstring per ingest/ part."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _imported(package: str) -> dict[str, set[str]]:
    """Each module file of `package` -> the top-level packages it imports (at any depth of the code)."""
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        names: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(ROOT))] = names
    return found


def _breaking(package: str, forbidden: set[str]) -> dict[str, set[str]]:
    return {f: names & forbidden for f, names in _imported(package).items() if names & forbidden}


def test_ingest_imports_none_of_its_readers() -> None:
    assert _breaking("ingest", {"queries", "dashboard", "crosstrain", "bench", "tests"}) == {}


def test_queries_imports_neither_the_dashboard_nor_the_cli() -> None:
    assert _breaking("queries", {"dashboard", "crosstrain", "bench", "tests"}) == {}


def test_dashboard_does_not_import_the_cli() -> None:
    assert _breaking("dashboard", {"crosstrain", "bench", "tests"}) == {}


def test_every_ingest_part_says_what_it_is_and_the_readme_lists_it() -> None:
    parts = sorted(p.parent for p in (ROOT / "ingest").glob("*/__init__.py"))
    assert len(parts) >= 8
    top = ast.get_docstring(ast.parse((ROOT / "ingest" / "__init__.py").read_text(encoding="utf-8"))) or ""
    layout = README[README.index("## Layout") :]
    for part in parts:
        doc = ast.get_docstring(ast.parse((part / "__init__.py").read_text(encoding="utf-8")))
        assert doc and doc.splitlines()[0].strip(), f"{part.name}/__init__.py has no one-line docstring"
        assert re.search(rf"^- {part.name}/ ", top, re.M), f"ingest/__init__.py does not list {part.name}/"
        assert re.search(rf"^  {part.name}/ ", layout, re.M), f"README Layout misses {part.name}/"


def test_the_top_of_ingest_holds_only_shared_modules() -> None:
    """A new module goes into the part it belongs to; the top keeps what several parts share."""
    top = sorted(p.name for p in (ROOT / "ingest").glob("*.py"))
    assert top == [
        "__init__.py",
        "athlete_zone.py",
        "categories.py",
        "errors.py",
        "secret_file.py",
        "settings.py",
        "timezones.py",
    ]
