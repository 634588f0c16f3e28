"""Check external URLs for a scheduled job (`handbook check --external`, `make check-external`).

Never part of `make test` or a pull request's checks: the GitHub workflow runs it only on its weekly
schedule (.github/workflows/handbook.yml, job external-links).

Collects every https link in the content with its place, asks each host once per URL (HEAD,
then GET when HEAD is refused), in parallel, and turns failures into `url-unreachable` problems.
The fetch function is injectable so the tests can use a server on 127.0.0.1.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import requests

from handbook.core.model import Handbook, Kind, Pos
from handbook.core.problems import Problem, problem
from handbook.core.refs import find_links
from handbook.core.walk import values

Fetch = Callable[[str], str | None]  # URL -> None when fine, else a Swedish reason
# Says which tool asks; names no handbook (any handbook runs the same engine).
USER_AGENT = "handbook-link-check/1 (handbook check --external)"


def external_urls(handbook: Handbook, pages: dict[str, str] | None = None) -> dict[str, list[Pos]]:
    """Every https URL in the content (every text of every kind of item, core.walk), with every place it is
    written."""
    found: dict[str, list[Pos]] = {}
    for v in values(handbook):
        if not isinstance(v.value, str):
            continue
        urls = [v.value] if v.kind == Kind.URL else [link.target for link in find_links(v.value)]
        for url in urls:
            if url.startswith("https://"):
                found.setdefault(url, []).append(v.pos)
    for path, text in (pages or {}).items():
        for link in find_links(text):
            if link.target.startswith("https://"):
                found.setdefault(link.target, []).append(Pos(path, link.line + 1, link.column + 1))
    return found


def http_fetch(url: str, timeout: float = 15) -> str | None:
    headers = {"User-Agent": USER_AGENT}
    try:
        response = requests.head(url, allow_redirects=True, timeout=timeout, headers=headers)
        if response.status_code in (403, 405, 501):  # some servers refuse HEAD; ask properly
            response = requests.get(url, allow_redirects=True, timeout=timeout, headers=headers, stream=True)
            response.close()
    except requests.RequestException as error:
        return f"gick inte att nå ({type(error).__name__})"
    if response.status_code >= 400:
        return f"svarade med felkod {response.status_code}"
    return None


def check_external(
    handbook: Handbook, pages: dict[str, str] | None = None, fetch: Fetch = http_fetch, workers: int = 8
) -> list[Problem]:
    urls = external_urls(handbook, pages)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = dict(zip(urls, pool.map(fetch, urls), strict=True))
    return sorted(
        problem("url-unreachable", pos, f'Länken "{url}" {reason}. Kontrollera adressen och rätta den.')
        for url, reason in results.items()
        if reason
        for pos in urls[url]
    )
