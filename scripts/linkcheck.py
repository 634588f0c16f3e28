"""Check every internal link and anchor of a built site with LinkChecker, offline.

Serves the site on 127.0.0.1 (directory URLs need a server: LinkChecker cannot check anchors of
`dir/#x` over file://), with a `LinkChecker` response header so that it lifts its per-host
throttle, and runs `linkchecker` with AnchorCheck. External URLs are only syntax-checked.
Usage: python scripts/linkcheck.py SITE_DIR   (exit code: LinkChecker's, 0 when all links work)
"""

from __future__ import annotations

import functools
import http.server
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

CONFIG = """\
[checking]
threads=4
maxrequestspersecond=100
[filtering]
checkextern=0
[AnchorCheck]
"""


class Handler(http.server.SimpleHTTPRequestHandler):
    def end_headers(self) -> None:
        # LinkChecker throttles each host to a request every 0.1-0.6 s unless it sees this header.
        self.send_header("LinkChecker", "ok")
        super().end_headers()

    def log_message(self, *args) -> None:
        pass


def main(site: str) -> int:
    root = Path(site).resolve()
    if not (root / "index.html").is_file():
        print(f"linkcheck: {root}/index.html saknas; bygg webbplatsen först (make site).", file=sys.stderr)
        return 2
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    # LinkChecker drops root privileges to "nobody": keep its config where nobody can read it.
    with tempfile.NamedTemporaryFile("w", suffix=".ini", delete=False) as config:
        config.write(CONFIG)
    Path(config.name).chmod(0o644)
    linkchecker = Path(sys.executable).with_name("linkchecker")
    try:
        result = subprocess.run([str(linkchecker), "-f", config.name, "--no-status", url],
                                capture_output=True, text=True)
    finally:
        server.shutdown()
        Path(config.name).unlink()
    print(result.stdout, end="")
    print(result.stderr, end="", file=sys.stderr)
    return result.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "site"))
