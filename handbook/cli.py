"""The `handbook` command: check the content, build the site, and maintenance helpers.

Exit codes: 0 no errors, 1 errors (warnings too with --strict), 2 could not run.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import click

from handbook.check import check_handbook, strictly
from handbook.load import load_handbook
from handbook.report import REPORTERS, summary


def _root(root: str) -> Path:
    path = Path(root)
    if not path.is_dir():
        click.echo(f"handbook: mappen {root} finns inte.", err=True)
        sys.exit(2)
    return path


def _date(ctx, param, value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f'"{value}" är inte ett datum. Skriv ÅÅÅÅ-MM-DD.') from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Stockholms handbok om barn som kan vara utsatta för människohandel."""


@main.command()
@click.option("--root", default=".", show_default=True, help="Handbokens mapp.")
@click.option("--format", "fmt", type=click.Choice(sorted(REPORTERS)), default="text", show_default=True)
@click.option("--strict", is_flag=True, help="Varningar räknas som fel.")
@click.option("--today", callback=_date, help="Datum som granskningar mäts från (ÅÅÅÅ-MM-DD).")
def check(root: str, fmt: str, strict: bool, today: dt.date) -> None:
    """Kontrollera allt innehåll mot reglerna, utan att bygga webbplatsen."""
    path = _root(root)
    problems = check_handbook(load_handbook(path), today)
    if strict:
        problems = strictly(problems)
    click.echo(REPORTERS[fmt](problems), nl=False)
    click.echo(summary(problems), err=True)
    sys.exit(1 if any(p.severity == "error" for p in problems) else 0)


@main.command()
@click.option("--root", default=".", show_default=True, help="Handbokens mapp.")
@click.option("--site-dir", default="site", show_default=True)
def build(root: str, site_dir: str) -> None:
    """Bygg webbplatsen med mkdocs build --strict."""
    path = _root(root)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    # Never -q or -v: -q turns --strict off and -v turns anchor checks off (MkDocs 1.6.1).
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", site_dir],
                            cwd=path, env=env)
    sys.exit(result.returncode)


if __name__ == "__main__":
    main()
