"""Printing import results: shared by `crosstrain import` (CSV files and the CSV inside an export) and
`crosstrain plan import`."""

from __future__ import annotations

import click


def echo_results(results: list) -> bool:
    """Print each file's errors and rejected rows on stderr and its summary; whether all went in
    (also for `crosstrain plan import`, whose results have the same fields)."""
    ok = True
    for result in results:
        if result.error:
            click.echo(f"error: {result.error}", err=True)
            ok = False
            continue
        for reject in result.rejects:
            click.echo(f"error: {reject}", err=True)
        ok = ok and not result.rejects
        click.echo(result.summary())
    return ok
