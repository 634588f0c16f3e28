"""The `handbook` command: check the content, build the site, and maintenance helpers.

Exit codes: 0 no errors, 1 errors (warnings too with --strict), 2 could not run.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import click

from handbook.check.release import blockers
from handbook.site.config import read_site_settings
from handbook.check import check_handbook, strictly
from handbook.load.convert import MAX_ID_LENGTH
from handbook.tools.external import check_external
from handbook.load import load_handbook
from handbook.core.model import Pos
from handbook.core.problems import Problem, problem
from handbook.core.published import LINKS_FILE, current_links, parse_links_file, updated_links_file
from handbook.check.report import REPORTERS, format_github, format_text, summary
from handbook.tools.scaffold import ScaffoldError, new_contact, new_routine, new_step
from handbook.tools.schema import FILE_KINDS, SCHEMA_DIR, build_schema, outdated, schema_file, schema_text, write_schemas
from handbook.load.yamlnodes import decode


def _root(root: str) -> Path:
    path = Path(root)
    if not path.is_dir():
        click.echo(f"handbook: mappen {root} finns inte.", err=True)
        sys.exit(2)
    return path


def _inside(root: Path, path: Path) -> bool:
    """Whether path, following symbolic links, is a regular file inside root."""
    try:
        real, real_root = path.resolve(), root.resolve()
        return path.is_file() and real_root in real.parents
    except (OSError, RuntimeError):
        return False


def rules_url(root: Path) -> str:
    """The rule catalogue's address on the published site, from mkdocs.yml's site_url ("" if none).
    A config that cannot be read gives "" here; the check reports why."""
    site_url = read_site_settings(root).site_url
    return site_url.rstrip("/") + "/redigera/regler/" if site_url else ""


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
@click.option("--external", is_flag=True, help="Kontrollera också att externa länkar svarar (nätverk; inte i CI).")
@click.option("--release", is_flag=True, help="Lista också allt som hindrar publicering (make release).")
def check(root: str, fmt: str, strict: bool, today: dt.date, external: bool, release: bool) -> None:
    """Kontrollera allt innehåll mot reglerna, utan att bygga webbplatsen."""
    path = _root(root)
    loaded = load_handbook(path)
    problems = check_handbook(loaded, today)
    if release:
        problems = sorted(set(problems) | set(blockers(loaded.handbook, read_site_settings(path))))
    if external:
        problems = sorted(problems + check_external(loaded.handbook, loaded.pages))
    if strict:
        problems = strictly(problems)
    if fmt == "github":
        click.echo(format_github(problems, rules_url(path)), nl=False)
    else:
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


def _links_file(root: Path) -> tuple[str, Problem | None]:
    """The text of published-links.txt ("" when there is none), or the problem that stops a rewrite:
    a link out of the root, a folder, or text that is not UTF-8 would be leaked or lost by it."""
    target = root / LINKS_FILE
    if not (target.exists() or target.is_symlink()):
        return "", None
    if not _inside(root, target):
        if target.is_symlink():
            return "", problem("file-outside-root", Pos(LINKS_FILE), f"{LINKS_FILE} är en symbolisk länk som inte "
                               "leder till en fil i handbokens mapp, så den skrivs inte.")
        return "", problem("file-missing", Pos(LINKS_FILE),
                           f"{LINKS_FILE} är inte en vanlig fil, så den skrivs inte.")
    data = target.read_bytes()
    text, found = decode(LINKS_FILE, data)
    if text is None:
        return "", found[0]
    return data.decode("utf-8"), None  # with its BOM, if it has one: the file is kept byte for byte


def _replace(target: Path, data: bytes) -> None:
    """Write a file whole or not at all: into a new file beside it, then renamed over it."""
    target = target.resolve()
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.write_bytes(data)
    if target.exists():
        shutil.copymode(target, temporary)
    os.replace(temporary, target)


@main.command()
@click.option("--root", default=".", show_default=True, help="Handbokens mapp.")
@click.option("--write", is_flag=True, help=f"Lägg till nya länkar i {LINKS_FILE}.")
@click.option("--base", default="", help="Webbplatsens adress att sätta framför varje länk.")
def links(root: str, write: bool, base: str) -> None:
    """Lista alla publicerade länkar (rutiner, steg, lagrum, kontakter, termer)."""
    path = _root(root)
    loaded = load_handbook(path)
    if write:
        try:
            before, refused = _links_file(path)
        except OSError as error:
            click.echo(f"handbook: {LINKS_FILE} kunde inte läsas ({error.strerror}).", err=True)
            sys.exit(2)
        if refused:
            click.echo(format_text([refused]), nl=False, err=True)
            click.echo(f"{LINKS_FILE} ändrades inte.", err=True)
            sys.exit(1)
        after = updated_links_file(before, loaded.handbook)
        if after != before:
            try:
                _replace(path / LINKS_FILE, after.encode("utf-8"))
            except OSError as error:
                click.echo(f"handbook: {LINKS_FILE} kunde inte skrivas ({error.strerror}). Filen är oförändrad.",
                           err=True)
                sys.exit(2)
        added = len(parse_links_file(after)) - len(parse_links_file(before))
        click.echo(f"{added} nya länkar lades till i {LINKS_FILE}.", err=True)
        return
    for link in current_links(loaded.handbook):
        click.echo(base.rstrip("/") + link)


@main.command()
@click.argument("kind", required=False, type=click.Choice([k.name for k in FILE_KINDS]))
@click.option("--root", default=".", show_default=True, help="Handbokens mapp.")
@click.option("--write", is_flag=True, help=f"Skriv om filerna i {SCHEMA_DIR}/ som inte stämmer med datamodellen.")
@click.option("--check", "check_only", is_flag=True, help=f"Avsluta med 1 om någon fil i {SCHEMA_DIR}/ inte stämmer.")
def schema(kind: str | None, root: str, write: bool, check_only: bool) -> None:
    """JSON Schema för YAML-filerna, genererat från datamodellen.

    Redigerare som VS Code använder schemana för hjälptexter och felmarkeringar. Utan flaggor
    skrivs schemat för KIND ut (eller alla, som ett JSON-objekt per filnamn).
    """
    if write and check_only:
        raise click.UsageError("Välj --write eller --check, inte båda.")
    if write or check_only:
        path = _root(root)
        changed = write_schemas(path) if write else outdated(path)
        for rel in changed:
            click.echo(f"{rel}: {'skrevs om' if write else 'stämmer inte med datamodellen'}", err=True)
        if not changed:
            click.echo(f"Alla filer i {SCHEMA_DIR}/ stämmer med datamodellen.", err=True)
        elif check_only:
            click.echo("Kör handbook schema --write och lägg till filerna i ändringen.", err=True)
            sys.exit(1)
        return
    kinds = [k for k in FILE_KINDS if kind in (None, k.name)]
    if kind:
        click.echo(schema_text(kinds[0]), nl=False)
    else:
        click.echo(json.dumps({schema_file(k): build_schema(k) for k in kinds}, indent=2, ensure_ascii=False))


@main.group()
def new() -> None:
    """Skapa en ny rutin, ett nytt steg eller en ny kontakt att fylla i."""


def _scaffold(action, *args, root: str, today: dt.date) -> None:
    path = _root(root)
    for value in args:
        if len(value) > MAX_ID_LENGTH:
            click.echo(f"handbook: id:t är {len(value)} tecken långt. Ett id får vara högst {MAX_ID_LENGTH} "
                       "tecken, eftersom det blir en del av webbadressen.", err=True)
            sys.exit(2)
    try:
        result = action(path, *args, today=today)
    except ScaffoldError as error:
        click.echo(f"handbook: {error}", err=True)
        sys.exit(2)
    except OSError as error:
        click.echo(f"handbook: filen {error.filename or ''} kunde inte skrivas eller läsas ({error.strerror}).",
                   err=True)
        sys.exit(2)
    click.echo(result.message)


@new.command("routine")
@click.argument("routine_id")
@click.option("--root", default=".", show_default=True, help="Handbokens mapp.")
@click.option("--today", callback=_date, help="Datum att skriva i reviewed och changelog (ÅÅÅÅ-MM-DD).")
def new_routine_command(routine_id: str, root: str, today: dt.date) -> None:
    """Skapa routines/ROUTINE_ID.yaml: ett utkast med ett steg."""
    _scaffold(new_routine, routine_id, root=root, today=today)


@new.command("step")
@click.argument("routine_id")
@click.argument("step_id")
@click.option("--root", default=".", show_default=True, help="Handbokens mapp.")
@click.option("--today", callback=_date, hidden=True)
def new_step_command(routine_id: str, step_id: str, root: str, today: dt.date) -> None:
    """Lägg till steget STEP_ID sist i rutinen ROUTINE_ID."""
    _scaffold(new_step, routine_id, step_id, root=root, today=today)


@new.command("contact")
@click.argument("contact_id")
@click.option("--root", default=".", show_default=True, help="Handbokens mapp.")
@click.option("--today", callback=_date, hidden=True)
def new_contact_command(contact_id: str, root: str, today: dt.date) -> None:
    """Lägg till kontakten CONTACT_ID sist i contacts.yaml."""
    _scaffold(new_contact, contact_id, root=root, today=today)


if __name__ == "__main__":
    main()
