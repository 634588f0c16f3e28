"""`handbook check --external`: dead external links are found, against a server on 127.0.0.1."""

from __future__ import annotations

import http.server
import threading

import pytest

from handbook.load import load_handbook
from handbook.tools.external import check_external, external_urls, http_fetch
from helpers import base_root


class Handler(http.server.BaseHTTPRequestHandler):
    def do_HEAD(self):
        self.send_response(200 if self.path == "/finns" else 404)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(name="server")
def _fixture_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_collects_every_place_an_url_is_written(tmp_path):
    """URLs in URL fields and in prose links are collected with their places."""
    loaded = load_handbook(base_root(tmp_path))
    urls = external_urls(loaded.handbook)
    assert sorted(urls) == ["https://lagen.nu/1990:52", "https://lagen.nu/1990:52#P6", "https://start.stockholm/"]
    assert [(p.file, p.line) for p in urls["https://start.stockholm/"]] == [
        ("contacts.yaml", 13),
        ("contacts.yaml", 22),
    ]


def test_every_kind_of_item_is_searched_for_urls(tmp_path):
    """A role's description is searched like every other Markdown field (the check skipped roles once): the
    walk over the handbook (core.walk) covers every kind in the registry."""
    roles = (
        "roles:\n  - id: jour\n    name: Jouren\n"
        "    description: Se [jourens sida](https://jouren.example.se/om) för mer.\n"
    )
    loaded = load_handbook(base_root(tmp_path, {"roles.yaml": roles}))
    urls = external_urls(loaded.handbook)
    assert [(p.file, p.line) for p in urls["https://jouren.example.se/om"]] == [("roles.yaml", 4)]


def test_dead_link_is_a_placed_problem(tmp_path, server):
    """A URL answering 404 becomes url-unreachable at each place it is written; a working one does not."""
    loaded = load_handbook(base_root(tmp_path))

    def fetch(url):  # the real fetcher, pointed at the local server
        return http_fetch(server + ("/finns" if "lagen.nu" in url else "/saknas"), timeout=5)

    problems = check_external(loaded.handbook, fetch=fetch)
    assert [(p.file, p.line, p.code) for p in problems] == [
        ("contacts.yaml", 13, "url-unreachable"),
        ("contacts.yaml", 22, "url-unreachable"),
    ]
    assert "svarade med felkod 404" in problems[0].message


def test_unreachable_host_is_reported(server):
    """A host that does not answer gives a reason, not an exception."""
    assert http_fetch("http://127.0.0.1:9/", timeout=2).startswith("gick inte att nå")
