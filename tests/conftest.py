"""Pytest set-up: the --update-golden option and a ban on network access in every test."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

BROWSER_TESTS = Path(__file__).parent / "browser"

# Every build in the tests runs in full: a test that spies on or patches a stage must see it run, and no test
# reads a cache another run left (site/cache.py). tests/test_cache.py turns it on in a folder of its own.
os.environ["HANDBOOK_CACHE"] = "off"


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="Rewrite golden files instead of comparing.")


def pytest_collection_modifyitems(items):
    """Every test under tests/browser carries the `browser` marker, so `-m "not browser"` leaves them all out."""
    browser = pytest.mark.browser
    for item in items:
        if BROWSER_TESTS in Path(item.path).parents:
            item.add_marker(browser)


@pytest.fixture(name="update_golden")
def _fixture_update_golden(request) -> bool:
    return request.config.getoption("--update-golden")


@pytest.fixture(autouse=True)
def _no_network(monkeypatch, request):
    """Tests may talk to this machine only (loopback); anything else fails loudly."""
    real_connect = socket.socket.connect

    def guarded(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and not (host.startswith("127.") or host in ("::1", "localhost")):
            raise RuntimeError(f"network access to {host} in a test")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
