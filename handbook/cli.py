"""The `handbook` command: check the content, build the site, and maintenance helpers.

A command imports the pipeline and the tools it runs when it runs (as MkDocs' own command line does): a warm
`handbook build` (site/cache.py) needs neither, and importing them took a fifth of its time at 1x.

Exit codes: 0 no errors, 1 errors (warnings too with --strict; for `schema --check`, a schema out of date;
for `law-radar`, provisions to re-read), 2 could not run, and for `law-radar` only 3: a source could not be
reached or answered in an unknown shape. `build` exits with the builder's own code when the builder fails.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sys
from pathlib import Path

import click

from handbook.check import strictly
from handbook.check.report import REPORTERS, format_github, format_text, summary
from handbook.core.model import Pos
from handbook.core.paths import PAGE
from handbook.core.problems import Problem, problem
from handbook.core.published import LINKS_FILE, current_links, parse_links_file, updated_links_file
from handbook.core.tree import PageConflict
from handbook.load import CONFIG_FILE, DOCS_DIR, inside, write_atomic
from handbook.load.yamlnodes import decode
from handbook.site import cache
from handbook.site.builders import BUILDERS, run_builder
from handbook.site.config import ConfigError, read_site_settings
from handbook.site.csp import UnknownLayout
from handbook.site.finish import finish_site
from handbook.site.output import SITE_DIR, OutputError, render_out, usable_folder
from handbook.site.search import SearchError, index_site, page_search, uses_pagefind
from handbook.tools.schema import (
    FILE_KINDS,
    SCHEMA_DIR,
    build_schema,
    outdated,
    schema_file,
    schema_text,
    write_schemas,
)


def _root(root: str) -> Path:
    path = Path(root)
    if not path.is_dir():
        click.echo(f"handbook: mappen {root} finns inte.", err=True)
        sys.exit(2)
    return path


def rules_url(root: Path) -> str:
    """The rule catalogue's address on the published site, from mkdocs.yml's site_url ("" if none).
    A config that cannot be read gives "" here; the check reports why."""
    site_url = read_site_settings(root).site_url
    return site_url.rstrip("/") + PAGE["rules"].url() if site_url else ""


def _date(ctx, param, value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f'"{value}" är inte ett datum. Skriv ÅÅÅÅ-MM-DD.') from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Handboken om barn som kan vara utsatta för människohandel: kontroll, bygge och verktyg."""


@main.command()
@click.option("--root", default=".", show_default=True, help="Handbokens mapp.")
@click.option("--format", "fmt", type=click.Choice(sorted(REPORTERS)), default="text", show_default=True)
@click.option("--strict", is_flag=True, help="Varningar räknas som fel.")
@click.option("--today", callback=_date, help="Datum som granskningar mäts från (ÅÅÅÅ-MM-DD).")
@click.option(
    "--external",
    is_flag=True,
    help="Kontrollera också att externa länkar svarar (nätverk; körs schemalagt, inte vid pull requests).",
)
@click.option("--release", is_flag=True, help="Lista också allt som hindrar publicering (make release).")
def check(root: str, fmt: str, strict: bool, today: dt.date, external: bool, release: bool) -> None:
    """Kontrollera allt innehåll mot reglerna, utan att bygga webbplatsen."""
    path = _root(root)
    from handbook.site import pipeline

    build = pipeline.run(path, today, release=release)
    problems, groups = build.problems, build.groups
    if release:
        problems = sorted(set(problems) | set(build.blockers))
    if external:
        from handbook.tools.external import check_external  # network code, only for the scheduled check

        problems = sorted(problems + check_external(build.loaded.handbook, build.loaded.pages))
    if strict:
        problems = strictly(problems)
    if fmt == "github":
        click.echo(format_github(problems, rules_url(path)), nl=False)
    elif release and fmt == "text":
        _release_todo(groups, problems)
    else:
        click.echo(REPORTERS[fmt](problems), nl=False)
    click.echo(summary(problems), err=True)
    sys.exit(1 if any(p.severity == "error" for p in problems) else 0)


def _release_todo(groups, problems: list[Problem]) -> None:
    """make release: the to-do list on stdout, then one closing line on stderr that says whether it may be published."""
    from handbook.check.release import format_todo

    in_groups = {p for g in groups for p in g.problems}
    click.echo(format_todo(groups, [p for p in problems if p not in in_groups]), nl=False)
    if any(p.severity == "error" for p in problems):
        click.echo("Handboken kan inte publiceras än: gör listan ovan, kör sedan make release igen.", err=True)
        sys.exit(1)
    click.echo("Inget hindrar publicering." + (" Varningarna ovan kan rättas senare." if problems else ""), err=True)
    sys.exit(0)


def _render(root: Path, out: Path, config: str, builder: str):
    """Render into out, reporting the content's problems on stderr; exits 1 on errors, 2 when it cannot run."""
    try:
        rendered = render_out(root, out, config, builder=builder)
    except (ConfigError, OutputError) as error:
        click.echo(f"handbook: {error}", err=True)
        sys.exit(2)
    except PageConflict as error:
        click.echo(f"handbook: {error}", err=True)
        sys.exit(1)
    errors = [p for p in rendered.problems if p.severity == "error"]
    if errors:
        click.echo(format_text(errors), nl=False, err=True)
    elif rendered.problems:
        click.echo(f"{len(rendered.problems)} varningar; handbook check visar dem.", err=True)
    if rendered.config is None:
        click.echo(summary(rendered.problems) + " Inget byggdes.", err=True)
        sys.exit(1)
    return rendered


@main.command()
@click.option("--root", default=".", show_default=True, help="Handbokens mapp.")
@click.option("--out", default="build/rendered", show_default=True, help="Mappen att skriva till (skrivs över).")
@click.option("--config", "config", default=CONFIG_FILE, show_default=True, help="Webbplatsens konfiguration.")
@click.option(
    "--builder",
    type=click.Choice(BUILDERS),
    default="mkdocs",
    show_default=True,
    help="Programmet som ska bygga sidorna (Zensical läser länkar i HTML på sitt eget sätt).",
)
def render(root: str, out: str, config: str, builder: str) -> None:
    """Skriv alla sidor som Markdown, navigationen och bilagorna till en mapp som MkDocs och Zensical bygger."""
    path = _root(root)
    _render(path, Path(out), config, builder)
    click.echo(
        f"Sidorna skrevs till {out}. Bygg med: mkdocs build -f {out}/mkdocs.yml "
        f"eller zensical build -f {out}/mkdocs.yml, och kör sedan handbook finish.",
        err=True,
    )


@main.command()
@click.argument("site_dir", type=click.Path(exists=True, file_okay=False))
def finish(site_dir: str) -> None:
    """Gör klart en byggd webbplats: en Content-Security-Policy på varje sida."""
    try:
        usable_folder(Path(site_dir), "Webbplatsens mapp")
        changed = finish_site(Path(site_dir))
    except OutputError as error:
        click.echo(f"handbook: {error}", err=True)
        sys.exit(2)
    except UnknownLayout as error:
        click.echo(f"handbook: en sida i {site_dir} har ett okänt utseende ({error}); ingen CSP sattes.", err=True)
        sys.exit(2)
    click.echo(f"{changed} sidor fick en Content-Security-Policy.", err=True)


@main.command()
@click.option("--root", default=".", show_default=True, help="Handbokens mapp.")
@click.option("--site-dir", default="site", show_default=True)
@click.option(
    "--builder",
    type=click.Choice(BUILDERS),
    default="mkdocs",
    show_default=True,
    help="Vilket program som bygger webbplatsen av de renderade sidorna.",
)
@click.option("--config", "config", default=CONFIG_FILE, show_default=True, help="Webbplatsens konfiguration.")
@click.option("--out", default="build/rendered", show_default=True, help="Mappen för de renderade sidorna.")
def build(root: str, site_dir: str, builder: str, config: str, out: str) -> None:
    """Bygg webbplatsen: handbook render, sedan MkDocs eller Zensical (strikt), sedan handbook finish."""
    path = _root(root)
    try:
        usable_folder(Path(site_dir), "--site-dir")  # before anything is built
    except OutputError as error:
        click.echo(f"handbook: {error}", err=True)
        sys.exit(2)
    rendered = _render(path, Path(out), config, builder)
    code = run_builder(builder, str(Path(out) / "mkdocs.yml"))
    if code != 0:
        sys.exit(code)
    site = Path(site_dir)
    if site.exists():
        if (site / CONFIG_FILE).exists() or inside(path, site):  # the handbook itself is in it
            click.echo(f"handbook: {site_dir} ser inte ut som en byggd webbplats; den skrivs inte över.", err=True)
            sys.exit(2)
        shutil.rmtree(site)
    shutil.move(Path(out) / SITE_DIR, site)
    # One pass over the built pages gives each its CSP and, with the search, its marks for Pagefind.
    search = page_search(Path(out) / DOCS_DIR) if uses_pagefind(rendered.config) else None
    marked = None
    if rendered.options.get("csp", True):
        memory = cache.load_finish(path)  # what finish inserted last time, by page content (site/cache.py)
        marked = finish_site(site, search, memory)
        cache.save_finish(path, memory)
    if search is not None:
        try:
            index_site(site, Path(out) / DOCS_DIR, marked, kept=cache.search_folder(path))
        except SearchError as error:
            click.echo(f"handbook: {error}", err=True)
            sys.exit(1)


def _links_file(root: Path) -> tuple[str, Problem | None]:
    """The text of published-links.txt ("" when there is none), or the problem that stops a rewrite:
    a link out of the root, a folder, or text that is not UTF-8 would be leaked or lost by it."""
    target = root / LINKS_FILE
    if not (target.exists() or target.is_symlink()):
        return "", None
    if not (target.is_file() and inside(target, root)):
        if target.is_symlink():
            return "", problem(
                "file-outside-root",
                Pos(LINKS_FILE),
                f"{LINKS_FILE} är en symbolisk länk som inte leder till en fil i handbokens mapp, så den skrivs inte.",
            )
        return "", problem("file-missing", Pos(LINKS_FILE), f"{LINKS_FILE} är inte en vanlig fil, så den skrivs inte.")
    data = target.read_bytes()
    text, found = decode(LINKS_FILE, data)
    if text is None:
        return "", found[0]
    return data.decode("utf-8"), None  # with its BOM, if it has one: the file is kept byte for byte


@main.command()
@click.option("--root", default=".", show_default=True, help="Handbokens mapp.")
@click.option("--write", is_flag=True, help=f"Lägg till nya länkar i {LINKS_FILE}.")
@click.option("--base", default="", help="Webbplatsens adress att sätta framför varje länk.")
def links(root: str, write: bool, base: str) -> None:
    """Lista alla publicerade länkar: sidorna (också kortversionerna, rollerna och de handskrivna sidorna),
    stegen och ankarna för lagrum, kontakter och termer."""
    path = _root(root)
    from handbook.site import pipeline

    loaded = pipeline.run(path, dt.date.today(), check=False).loaded
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
        after = updated_links_file(before, loaded.handbook, loaded.pages)
        if after != before:
            try:
                write_atomic(path / LINKS_FILE, after.encode("utf-8"))
            except OSError as error:
                click.echo(
                    f"handbook: {LINKS_FILE} kunde inte skrivas ({error.strerror}). Filen är oförändrad.", err=True
                )
                sys.exit(2)
        added = len(parse_links_file(after)) - len(parse_links_file(before))
        click.echo(f"{added} nya länkar lades till i {LINKS_FILE}.", err=True)
        return
    for link in current_links(loaded.handbook, loaded.pages):
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


def _scaffold(action: str, *args, root: str, today: dt.date) -> None:
    from handbook.load.convert import MAX_ID_LENGTH
    from handbook.tools import scaffold

    path = _root(root)
    for value in args:
        if len(value) > MAX_ID_LENGTH:
            click.echo(
                f"handbook: id:t är {len(value)} tecken långt. Ett id får vara högst {MAX_ID_LENGTH} "
                "tecken, eftersom det blir en del av webbadressen.",
                err=True,
            )
            sys.exit(2)
    try:
        result = getattr(scaffold, action)(path, *args, today=today)
    except scaffold.ScaffoldError as error:
        click.echo(f"handbook: {error}", err=True)
        sys.exit(2)
    except OSError as error:
        click.echo(
            f"handbook: filen {error.filename or ''} kunde inte skrivas eller läsas ({error.strerror}).", err=True
        )
        sys.exit(2)
    click.echo(result.message)


@new.command("routine")
@click.argument("routine_id")
@click.option("--root", default=".", show_default=True, help="Handbokens mapp.")
@click.option("--today", callback=_date, help="Datum att skriva i reviewed och changelog (ÅÅÅÅ-MM-DD).")
def new_routine_command(routine_id: str, root: str, today: dt.date) -> None:
    """Skapa routines/ROUTINE_ID.yaml: ett utkast med ett steg."""
    _scaffold("new_routine", routine_id, root=root, today=today)


@new.command("step")
@click.argument("routine_id")
@click.argument("step_id")
@click.option("--root", default=".", show_default=True, help="Handbokens mapp.")
@click.option("--today", callback=_date, hidden=True)
def new_step_command(routine_id: str, step_id: str, root: str, today: dt.date) -> None:
    """Lägg till steget STEP_ID sist i rutinen ROUTINE_ID."""
    _scaffold("new_step", routine_id, step_id, root=root, today=today)


@new.command("contact")
@click.argument("contact_id")
@click.option("--root", default=".", show_default=True, help="Handbokens mapp.")
@click.option("--today", callback=_date, hidden=True)
def new_contact_command(contact_id: str, root: str, today: dt.date) -> None:
    """Lägg till kontakten CONTACT_ID sist i contacts.yaml."""
    _scaffold("new_contact", contact_id, root=root, today=today)


@main.command("law-radar")
@click.option("--root", default=".", show_default=True, help="Handbokens mapp.")
@click.option(
    "--offline",
    "offline",
    type=click.Path(file_okay=False, exists=True),
    help="Läs inspelade svar från mappen i stället för att fråga källorna (inget nätverk).",
)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text", show_default=True)
@click.option(
    "--data-out",
    "data_out",
    type=click.Path(dir_okay=False),
    help="Skriv resultatet som JSON till "
    "filen (till exempel lawradar.json, som sidan " + PAGE["law-radar"].url() + " visar).",
)
@click.option("--today", callback=_date, help="Datum som avgör om en ändring redan gäller (ÅÅÅÅ-MM-DD).")
def law_radar(root: str, offline: str | None, fmt: str, data_out: str | None, today: dt.date) -> None:
    """Vilka lagrum ska läsas om för att lagen har ändrats efter consolidated_through?

    Avslutas med 0 när inget behöver läsas om, 1 när lagrum ska läsas om, 2 när radarn inte kan köras
    och 3 när en källa inte gick att nå eller svarade i ett okänt format.
    """
    from handbook.tools import lawradar  # network code, only for the scheduled job

    path = _root(root)
    from handbook.site import pipeline

    loaded = pipeline.run(path, today, check=False).loaded
    legal_errors = [p for p in loaded.problems if p.severity == "error" and p.file.endswith("legal.yaml")]
    if legal_errors:
        click.echo(format_text(legal_errors), nl=False, err=True)
        click.echo("handbook: legal.yaml har fel; rätta dem först, annars missar radarn lagrum.", err=True)
        sys.exit(lawradar.EXIT_CANNOT_RUN)
    fetch = lawradar.offline_fetch(Path(offline)) if offline else lawradar.http_fetch
    report = lawradar.radar(loaded.handbook, fetch, today)
    if data_out:
        try:
            write_atomic(Path(data_out), lawradar.format_json(report))
        except OSError as error:
            click.echo(f"handbook: {data_out} kunde inte skrivas ({error.strerror}).", err=True)
            sys.exit(lawradar.EXIT_CANNOT_RUN)
    click.echo(lawradar.FORMATS[fmt](report), nl=False)
    click.echo(lawradar.summary(report), err=True)
    sys.exit(report.exit_code)


if __name__ == "__main__":
    main()
