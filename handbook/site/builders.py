"""The site builders that read `handbook render`'s tree: MkDocs (with Material) and Zensical.

Each runs in this process, exactly as its own command line would (`mkdocs build --strict -f …`,
`zensical build --clean --strict -f …`), so a build starts Python and imports Markdown and Jinja once.
"""

from __future__ import annotations

import os

import click

BUILDERS = ("mkdocs", "zensical")


def run_builder(builder: str, config_file: str) -> int:
    """Build the rendered tree with MkDocs or Zensical --strict, in this process (no second Python start and
    import of Markdown and Jinja); exactly what `mkdocs build --strict -f …` or `zensical build --clean
    --strict -f …` does. Returns the exit code."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    if builder == "mkdocs":
        from mkdocs.__main__ import cli as builder_cli

        # Never -q or -v: -q turns --strict off and -v turns anchor checks off (MkDocs 1.6.1).
        args = ["build", "--strict", "-f", config_file]
    else:
        from zensical.main import cli as builder_cli

        args = ["build", "--clean", "--strict", "-f", config_file]
    try:
        builder_cli.main(args, prog_name=builder, standalone_mode=False)
    except click.exceptions.ClickException as error:
        error.show()
        return error.exit_code
    except click.exceptions.Abort:
        return 1
    except RuntimeError as error:  # Zensical's strict mode ends the build by raising
        click.echo(f"{builder}: {error}", err=True)
        return 1
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else 1
    return 0
