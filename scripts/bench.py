"""Benchmark: check and site timings for synthetic handbooks at 1x, 10x and 100x the real content.

Run with `make bench` (not part of CI). Each synthetic handbook is the real content copied N times
with every id suffixed (references follow), so it passes the same checks as the real one.
Prints a Markdown table; BENCHMARKS.md records the numbers and how they were made.

Usage: python scripts/bench.py [--factors 1,10,100] [--runs 3] [--no-site] [--no-browser] [--linkcheck-max 100]
       python scripts/bench.py --links-only [--keep DIR] [--factors 1,10,100]   # the link gate alone
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import gzip
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import typing
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from handbook.core.fields import record_fields  # noqa: E402
from handbook.core.model import ContactsFile, GlossaryFile, LegalFile, Ref, RolesFile, Routine  # noqa: E402
from handbook.load import load_handbook  # noqa: E402
from handbook.load.yamlnodes import read_nodes  # noqa: E402
from handbook.site.search import pagefind_command  # noqa: E402
from handbook.tools.schema import editor_data  # noqa: E402

PROSE_REF = re.compile(r"\((rutin|lagrum|kontakt|term|roll):([a-z0-9-]+)")
RECORD_KIND = {"Routine": "routine", "Provision": "provision", "Contact": "contact", "Term": "term", "Role": "role"}


def _inner(tp):
    args = [a for a in typing.get_args(tp) if a is not type(None)]
    if typing.get_origin(tp) in (list, typing.Union) or type(tp).__name__ == "UnionType":
        return _inner(args[0]) if args else tp
    return tp


def suffixed(data, cls, suffix: str):
    """A copy of plain YAML data of record class cls with every cross-item id suffixed."""
    if not isinstance(data, dict) or not dataclasses.is_dataclass(cls):
        return data
    out = {}
    kinds = {name: f.metadata.get("ref") for name, _, f in record_fields(cls)}
    types = {name: tp for name, tp, _ in record_fields(cls)}
    for key, value in data.items():
        tp = _inner(types.get(key, str))
        if key == "id" and cls.__name__ in RECORD_KIND:
            out[key] = value + suffix
        elif tp is Ref and kinds.get(key) not in (None, "step"):
            out[key] = [v + suffix for v in value] if isinstance(value, list) else value + suffix
        elif isinstance(value, list):
            out[key] = [suffixed(v, tp, suffix) if isinstance(v, dict) else _prose(v, suffix) for v in value]
        elif isinstance(value, dict):
            out[key] = suffixed(value, tp, suffix)
        else:
            out[key] = _prose(value, suffix)
    return out


def _prose(value, suffix: str):
    if not isinstance(value, str):
        return value
    return PROSE_REF.sub(lambda m: f"({m.group(1)}:{m.group(2)}{suffix}", value)


def read_plain(path: Path):
    node, problems = read_nodes(path.name, path.read_bytes())
    assert node is not None, problems
    return editor_data(node)


def dump(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120)


def make_synthetic(factor: int, dest: Path) -> Path:
    """The real content times factor, under dest (content files only, plus a plain mkdocs.yml)."""
    (dest / "routines").mkdir(parents=True)
    lists = {
        "legal.yaml": ("provisions", LegalFile),
        "contacts.yaml": ("contacts", ContactsFile),
        "glossary.yaml": ("terms", GlossaryFile),
        "roles.yaml": ("roles", RolesFile),
    }
    plain = {name: read_plain(REPO / name) for name in lists}
    routines = [read_plain(p) for p in sorted((REPO / "routines").glob("*.yaml"))]
    for name, (key, cls) in lists.items():
        items = []
        for k in range(factor):
            suffix = f"-x{k}" if k else ""
            items += [suffixed(item, _item_class(cls, key), suffix) for item in plain[name][key]]
        # Other top-level keys (call_now) stay as they are: they name the first copy's ids.
        (dest / name).write_text(dump({**plain[name], key: items}), encoding="utf-8")
    for k in range(factor):
        suffix = f"-x{k}" if k else ""
        for routine in routines:
            data = suffixed(routine, Routine, suffix)
            (dest / "routines" / f"{data['id']}.yaml").write_text(dump(data), encoding="utf-8")
    shutil.copytree(REPO / "docs", dest / "docs")
    shutil.copytree(REPO / "overrides", dest / "overrides")
    (dest / "mkdocs.yml").write_text(_plain_config(), encoding="utf-8")
    return dest


def _item_class(cls, key):
    tp = typing.get_type_hints(cls)[key]
    return typing.get_args(tp)[0]


def _plain_config() -> str:
    """mkdocs.yml for a synthetic root: the real one, with the offline edition switched off."""
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    return text.replace("offline:\n      enabled: !ENV [OFFLINE, false]", "offline:\n      enabled: false")


def measure_check(root: Path) -> dict:
    """Load + check in a fresh process: wall seconds and peak resident memory."""
    code = (
        "import json, resource, sys, time, datetime as dt; from pathlib import Path; t = time.perf_counter();"
        "from handbook.load import load_handbook; from handbook.check import check_handbook;"
        "problems = check_handbook(load_handbook(Path(sys.argv[1])), dt.date.today());"
        "print(json.dumps({'seconds': time.perf_counter() - t, 'peak_mb': resource.getrusage("
        "resource.RUSAGE_SELF).ru_maxrss / 1024, 'errors': sum(p.severity == 'error' for p in problems)}))"
    )
    best = None
    for _ in range(3):
        out = subprocess.run(
            [sys.executable, "-c", code, str(root)], capture_output=True, text=True, check=True, cwd=REPO
        )
        result = json.loads(out.stdout)
        best = result if best is None or result["seconds"] < best["seconds"] else best
    return best


def timed(cmd: list[str], cwd: Path, env: dict | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(
        cmd, cwd=cwd, check=True, capture_output=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    )
    return time.perf_counter() - start


def measure_linkcheck(site: Path) -> dict:
    """The link gate as `make site` runs it (best of three), with the links it found and the broken ones."""
    best, out = None, None
    for _ in range(3):
        start = time.perf_counter()
        result = subprocess.run(
            [sys.executable, str(REPO / "scripts" / "linkcheck.py"), str(site)],
            cwd=REPO,
            capture_output=True,
            text=True,
        )
        seconds = time.perf_counter() - start
        assert result.returncode in (0, 1), result.stderr
        best, out = (seconds, result.stdout) if best is None or seconds < best else (best, out)
    found = re.search(r"(\d+) interna", out)
    return {
        "linkcheck_s": best,
        "links": int(found.group(1)) if found else None,
        "broken_links": sum(not line.startswith("linkcheck: ") for line in out.splitlines()),
    }


ENGINE = [sys.executable, "-m", "handbook"]
BUILDERS = {
    "mkdocs": [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", "mkdocs.yml"],
    "zensical": [str(Path(sys.executable).parent / "zensical"), "build", "--clean", "--strict", "-f", "mkdocs.yml"],
}


def best_of(runs: int, cmd: list[str], cwd: Path, before=None, env: dict | None = None) -> float:
    """The fastest of a few runs of one command (before() runs untimed ahead of each)."""
    return interleaved(runs, {"": (cmd, cwd, before, env)})[""]


def interleaved(runs: int, commands: dict[str, tuple]) -> dict[str, float]:
    """The fastest run of each command (name -> (cmd, cwd, before, env)), the commands taking turns: on a shared
    machine a busy minute then slows one run of each, not all runs of one, so the comparison stays fair."""
    best: dict[str, float] = {}
    for _ in range(runs):
        for name, (cmd, cwd, before, env) in commands.items():
            if before:
                before()
            best[name] = min(best.get(name, float("inf")), timed(cmd, cwd, env))
    return best


def measure_builders(root: Path, work: Path, runs: int) -> dict:
    """handbook build (render + check + builder --strict + finish) against the same builder run alone on
    the same rendered Markdown, for MkDocs and for Zensical; and the MkDocs plugin build (make serve's way)."""
    row = {}
    cold = {"HANDBOOK_CACHE": "off"}
    warm = {"HANDBOOK_CACHE": "on", "HANDBOOK_CACHE_DIR": str(work / "cache")}
    for builder, cmd in BUILDERS.items():
        out = work / f"rendered-{builder}"
        site = work / f"site-{builder}"
        build = [*ENGINE, "build", "--builder", builder, "--out", str(out), "--site-dir", str(site)]
        # Cold: every run loads, checks and renders. Warm: the content did not change since the last build, so the
        # build cache (site/cache.py) gives the tree; the first warm run fills it and is not counted.
        timed(build, root, warm)
        # Each run starts without the last run's site, untimed, as the plain build's does: removing 300 files took
        # 0.1-0.45 s here, a third of a 1x build, and both commands remove their old output the same way.
        fresh = lambda s=site: shutil.rmtree(s, True)  # noqa: E731
        # The plain build: the same rendered tree, the builder alone (its own output folder removed first); and
        # the same followed by the Pagefind binary over its site, which a plain site needs for the same search.
        plain_fresh = lambda o=out: shutil.rmtree(o / "site", True)  # noqa: E731
        indexed = ["sh", "-c", shlex.join(cmd) + " && " + shlex.join(pagefind_command(out / "site"))]
        best = interleaved(
            runs,
            {
                "handbook_s": (build, root, fresh, cold),
                "warm_s": (build, root, fresh, warm),
                "plain_s": (cmd, out, plain_fresh, None),
                "plain_search_s": (indexed, out, plain_fresh, None),
            },
        )
        row.update({f"{builder}_{name}": value for name, value in best.items()})
        row[f"{builder}_overhead_pct"] = 100 * (row[f"{builder}_handbook_s"] / row[f"{builder}_plain_s"] - 1)
        row[f"{builder}_warm_overhead_pct"] = 100 * (row[f"{builder}_warm_s"] / row[f"{builder}_plain_s"] - 1)
        row[f"{builder}_warm_search_overhead_pct"] = 100 * (
            row[f"{builder}_warm_s"] / row[f"{builder}_plain_search_s"] - 1
        )
        row[f"{builder}_render_s"] = best_of(
            runs, [*ENGINE, "render", "--builder", builder, "--out", str(work / "render-only")], root, env=cold
        )
        row[f"{builder}_finish_s"] = best_of(runs, [*ENGINE, "finish", str(site)], root)
        row[f"{builder}_pages"] = sum(1 for _ in site.rglob("*.html"))
    row["plugin_s"] = best_of(
        runs, [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(work / "site-plugin")], root
    )
    return row


def routine_page_bytes(site: Path) -> dict:
    """Bytes a browser fetches for a routine page on a first visit (measured in Chromium when present)."""
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        return {}
    import functools
    import http.server
    import threading

    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sizes: dict[str, int] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
        page = browser.new_page()

        def record(response):
            with contextlib.suppress(Exception):  # redirects and aborted requests have no body
                sizes[response.url] = len(response.body())

        page.on("response", record)
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/rutiner/forsta-atgarder/")
        page.wait_for_load_state("networkidle")
        browser.close()
    server.shutdown()
    index = sum(v for k, v in sizes.items() if "search_index" in k)
    total = sum(sizes.values())
    gz = 0
    for url in sizes:
        local = site / url.split("/", 3)[3].split("?")[0]
        if local.is_dir():
            local = local / "index.html"
        if local.is_file():
            gz += len(gzip.compress(local.read_bytes()))
    return {
        "page_kb": total / 1024,
        "page_without_index_kb": (total - index) / 1024,
        "page_gzip_kb": gz / 1024,
        "requests": len(sizes),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--factors", default="1,10,100")
    parser.add_argument("--runs", type=int, default=3, help="builds per measurement; the fastest counts")
    parser.add_argument("--no-site", action="store_true", help="only measure the check")
    parser.add_argument("--no-browser", action="store_true", help="do not measure the routine page in Chromium")
    parser.add_argument(
        "--linkcheck-max", type=int, default=100, help="largest factor to run the link gate (scripts/linkcheck.py) on"
    )
    parser.add_argument(
        "--links-only",
        action="store_true",
        help="build each site once (handbook build, MkDocs) and time only the link gate",
    )
    parser.add_argument(
        "--keep",
        type=Path,
        metavar="DIR",
        help="with --links-only: keep the sites in DIR/x<factor>/site and reuse them next time",
    )
    args = parser.parse_args()
    if args.links_only:
        print(table([links_only(int(f), args.keep) for f in args.factors.split(",")]))
        return 0
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for factor in (int(f) for f in args.factors.split(",")):
            root = make_synthetic(factor, Path(tmp) / f"x{factor}")
            handbook = load_handbook(root).handbook
            row = {
                "factor": factor,
                "routines": len(handbook.routines),
                "steps": sum(len(r.steps) for r in handbook.routines),
                "provisions": len(handbook.provisions),
                "contacts": len(handbook.contacts),
                "terms": len(handbook.terms),
                **measure_check(root),
            }
            if not args.no_site:
                work = Path(tmp) / f"work{factor}"
                work.mkdir()
                row.update(measure_builders(root, work, args.runs if factor < 100 else 1))
                site = work / "site-mkdocs"
                # Pagefind's bundle (all chunks; a search fetches only a few), or the theme's one index file.
                index = site / "pagefind" if (site / "pagefind").is_dir() else site / "search"
                row["search_index_kb"] = sum(f.stat().st_size for f in index.rglob("*") if f.is_file()) / 1024
                if factor <= args.linkcheck_max:
                    row.update(measure_linkcheck(site))
                if not args.no_browser:
                    row.update(routine_page_bytes(site))
                shutil.rmtree(work)
            rows.append(row)
            print(json.dumps(row), file=sys.stderr)
    print(table(rows))
    return 0


def links_only(factor: int, keep: Path | None) -> dict:
    """The link gate on the synthetic site at factor, built once (and kept in keep/x<factor>, if given)."""
    with tempfile.TemporaryDirectory() as tmp:
        work = (keep or Path(tmp)) / f"x{factor}"
        site = work / "site"
        if not (site / "index.html").is_file():
            root = make_synthetic(factor, work / "root")  # fails rather than overwrite a half-built folder
            timed(
                [*ENGINE, "build", "--builder", "mkdocs", "--out", str(work / "rendered"), "--site-dir", str(site)],
                root,
            )
        row = {"factor": factor, "mkdocs_pages": sum(1 for _ in site.rglob("*.html")), **measure_linkcheck(site)}
    print(json.dumps(row), file=sys.stderr)
    return row


def table(rows: list[dict]) -> str:
    columns = [
        ("factor", "×", "{}"),
        ("routines", "routines", "{}"),
        ("steps", "steps", "{}"),
        ("seconds", "check s", "{:.2f}"),
        ("peak_mb", "check peak MB", "{:.0f}"),
        ("errors", "errors", "{}"),
        ("plugin_s", "MkDocs + plugin s", "{:.1f}"),
        ("mkdocs_handbook_s", "handbook build, MkDocs, cold s", "{:.1f}"),
        ("mkdocs_warm_s", "warm s", "{:.1f}"),
        ("mkdocs_plain_s", "plain MkDocs s", "{:.1f}"),
        ("mkdocs_plain_search_s", "plain + Pagefind s", "{:.1f}"),
        ("mkdocs_overhead_pct", "cold vs plain", "{:+.0f} %"),
        ("mkdocs_warm_overhead_pct", "warm vs plain", "{:+.0f} %"),
        ("mkdocs_warm_search_overhead_pct", "warm vs plain + Pagefind", "{:+.0f} %"),
        ("zensical_handbook_s", "handbook build, Zensical, cold s", "{:.1f}"),
        ("zensical_warm_s", "warm s", "{:.1f}"),
        ("zensical_plain_s", "plain Zensical s", "{:.1f}"),
        ("zensical_plain_search_s", "plain + Pagefind s", "{:.1f}"),
        ("zensical_overhead_pct", "cold vs plain", "{:+.0f} %"),
        ("zensical_warm_overhead_pct", "warm vs plain", "{:+.0f} %"),
        ("zensical_warm_search_overhead_pct", "warm vs plain + Pagefind", "{:+.0f} %"),
        ("mkdocs_render_s", "render s", "{:.2f}"),
        ("mkdocs_finish_s", "finish s", "{:.2f}"),
        ("mkdocs_pages", "pages", "{}"),
        ("links", "internal links", "{}"),
        ("linkcheck_s", "link gate s", "{:.2f}"),
        ("broken_links", "broken", "{}"),
        ("search_index_kb", "search index KB", "{:.0f}"),
        ("page_kb", "routine page KB", "{:.0f}"),
        ("page_without_index_kb", "… without search index KB", "{:.0f}"),
        ("page_gzip_kb", "… gzip KB", "{:.0f}"),
    ]
    present = [c for c in columns if any(c[0] in r for r in rows)]
    lines = ["| " + " | ".join(c[1] for c in present) + " |", "|" + "---|" * len(present)]
    for r in rows:
        lines.append("| " + " | ".join(c[2].format(r[c[0]]) if c[0] in r else "–" for c in present) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
