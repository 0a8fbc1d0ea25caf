"""Loopback support for the tests: a free port, a health check, a server answering every
GET with one recorded body, and the app run headless. Nothing here leaves 127.0.0.1."""

from __future__ import annotations

import contextlib
import http.server
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def healthy(url: str) -> bool:
    """Whether ``url`` answers 200 ``ok`` (Streamlit's health endpoint), never via a proxy."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=2) as resp:
            return resp.status == 200 and resp.read().decode().strip() == "ok"
    except OSError:
        return False


class Recorded:
    """A loopback HTTP server answering every GET with ``body`` (a recorded answer); ``paths``
    lists the paths asked for, ``url`` is its base address."""

    def __init__(self, body: bytes, status: int = 200):
        paths = self.paths = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                paths.append(self.path)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class AppFailed(RuntimeError):
    """`streamlit_app` could not start the app (the message names the log)."""


@contextlib.contextmanager
def streamlit_app(root: Path, log_path: Path, env: dict[str, str] | None = None,
                  startup_s: float = 60.0) -> Iterator[str]:
    """Run ``streamlit run app.py`` headless on a free loopback port in ``root`` (its output in
    ``log_path``, its environment ``env``) and yield its base URL once healthy; stopped after."""
    port = free_port()
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
             "--server.port", str(port), "--server.address", "127.0.0.1",
             "--browser.gatherUsageStats", "false"],
            cwd=root, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, env=env)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + startup_s
            while not healthy(f"{base}/_stcore/health"):
                if proc.poll() is not None:
                    raise AppFailed(f"streamlit exited with {proc.returncode}; see {log_path}")
                if time.monotonic() > deadline:
                    raise AppFailed(f"streamlit not healthy after {startup_s:.0f} s; see "
                                    f"{log_path}")
                time.sleep(0.25)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
