"""`make run` serves the demo as people would meet it (issue 15, docs/decisions/0026): Waitress
with the demo settings prints the address it serves, answers a mistyped address with the
service's own "Page not found" (not Django's debug page listing every URL pattern), and stops
at once on one Ctrl-C although the outbox dispatcher thread is running."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from convene.testing.servers import collect_static, free_port

ROOT = Path(__file__).resolve().parents[3]


def test_the_demo_server_hides_debug_pages_and_stops_on_one_ctrl_c(tmp_path: Path) -> None:
    port = free_port()
    environment = os.environ | {
        "DJANGO_SETTINGS_MODULE": "convene.settings.demo",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
        "ALLOWED_HOSTS": "127.0.0.1",
        "NOTIFICATIONS_DISPATCH": "embedded",
    }
    collect_static(environment)
    log = tmp_path / "server.log"
    command = [sys.executable, "-m", "waitress", "--host=127.0.0.1", f"--port={port}"]
    with log.open("w") as out:
        server = subprocess.Popen(
            [*command, "convene.wsgi:application"],
            cwd=ROOT,
            env=environment,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        body, status = "", 0
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/no-such-page/", timeout=5)
            except urllib.error.HTTPError as error:
                status, body = error.code, error.read().decode()
                break
            except OSError:
                time.sleep(0.2)
        assert status == 404
        assert "Page not found" in body and "URLconf" not in body
        server.send_signal(signal.SIGINT)
        server.wait(timeout=10)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    output = log.read_text()
    assert f"Serving on http://127.0.0.1:{port}" in output
    assert "Sending e-mails and letters from a background thread" in output
