"""Shared test helpers: a fixed date, tree writing, golden files and a ban on network access."""

from __future__ import annotations

import datetime as dt
import shutil
import socket
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
REPO = TESTS.parent
TODAY = dt.date(2026, 11, 27)
BASE = TESTS / "cases" / "_base"


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="Rewrite golden files instead of comparing.")


@pytest.fixture(name="update_golden")
def _fixture_update_golden(request) -> bool:
    return request.config.getoption("--update-golden")


def golden(path: Path, actual: str, update: bool) -> None:
    """Compare with a golden file, or rewrite it with --update-golden."""
    if update or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(actual.encode("utf-8"))
        if not update:
            pytest.fail(f"{path} did not exist; written now. Review it and run again.")
    # Bytes, so that CRLF in vCard and CSV files is compared too.
    assert actual == path.read_bytes().decode("utf-8")


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write {relative path: text} under root; returns root."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def base_root(tmp_path: Path, overlay: dict[str, str | bytes] | None = None) -> Path:
    """A copy of the minimal valid handbook with files replaced or added."""
    root = tmp_path / "root"
    shutil.copytree(BASE, root)
    return write_tree(root, overlay or {})


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
