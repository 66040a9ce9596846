"""CLI commands (being built)."""

import click

COMMANDS: list[click.Command] = []
