"""Every command has help, is documented in the README, and fails with one line, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from crosstrain.cli import cli

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def command_paths(group: click.Group = cli, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every leaf command (and group that runs without a subcommand) as its words after `crosstrain`."""
    paths = []
    for name in group.list_commands(click.Context(group)):  # the top group loads its commands lazily
        command = group.get_command(click.Context(group), name)
        if isinstance(command, click.Group):
            if command.invoke_without_command:
                paths.append((*prefix, name))
            paths += command_paths(command, (*prefix, name))
        else:
            paths.append((*prefix, name))
    return paths


def test_the_spec_commands_exist() -> None:
    expected = {
        ("import",),
        ("strava", "connect"),
        ("strava", "sync"),
        ("athletes",),
        ("athletes", "rename"),
        ("athletes", "merge"),
        ("athletes", "delete"),
        ("athletes", "set"),
        ("activities", "list"),
        ("activities", "set"),
        ("activities", "recategorise"),
        ("report",),
        ("compare",),
        ("dashboard",),
        ("demo",),
    }
    assert expected <= set(command_paths())


@pytest.mark.parametrize("path", command_paths(), ids=" ".join)
def test_every_command_has_help_and_is_in_the_readme(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0
    assert "Usage: " in result.output and len(result.output.splitlines()) > 3
    assert (
        f"crosstrain {' '.join(path)}" in README or f"crosstrain --db demo.duckdb {' '.join(path)}" in README
    )


@pytest.mark.parametrize("width", [40, 60, 80, 120, 200])
def test_the_command_list_summarises_each_command_as_click_would(width: int) -> None:
    """`crosstrain --help` lists the commands from crosstrain/cli.py's summaries (no command module
    loaded); click's own list, from each command's help, must read the same at any width."""
    ours, clicks = (click.HelpFormatter(width=width) for _ in range(2))
    ctx = click.Context(cli)
    cli.format_commands(ctx, ours)
    click.Group.format_commands(cli, ctx, clicks)  # loads every command module
    assert ours.getvalue() == clicks.getvalue()
    assert ours.getvalue().count("\n") == len(cli.list_commands(ctx)) + 1  # the heading and a line each


def test_errors_are_one_line_on_stderr_without_traceback(tmp_path: Path) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "crosstrain",
            "--db",
            str(tmp_path / "x.duckdb"),
            "report",
            "--athlete",
            "Nobody",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode != 0
    assert proc.stderr.startswith("error: ") and len(proc.stderr.strip().splitlines()) == 1
    assert "Traceback" not in proc.stderr + proc.stdout
