"""Production serving (docs/deployment.md, docs/decisions/0031): gunicorn with gunicorn.conf.py
and the production settings answers the health check, sends a static file with a hashed name
with far-future caching (and one asked for by its plain name with a short one), and logs each
request's path without its query string."""

from __future__ import annotations

import json
import os
import runpy
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from convene.testing.servers import collect_static, free_port

ROOT = Path(__file__).resolve().parents[3]
CONF = ROOT / "gunicorn.conf.py"


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    # As the load balancer forwards it: HTTPS ended there (production redirects plain HTTP).
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (a local URL)
        return response.status, dict(response.headers), response.read()


def test_gunicorn_serves_the_health_check_and_static_files_cached_for_ever(tmp_path: Path):
    port = free_port()
    environment = os.environ | {
        "DJANGO_SETTINGS_MODULE": "convene.settings.production",
        "SECRET_KEY": "k" * 30 + "-a-long-random-looking-production-key-0123456789",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
    }
    collect_static(environment)
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())["paths"]
    plain = "govuk/govuk-frontend.min.css"
    hashed = manifest[plain]
    assert hashed != plain
    log = tmp_path / "gunicorn.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", str(CONF)],
            cwd=ROOT,
            env=environment,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(150):
            try:
                status, _, body = _get(f"{base}/healthz?who=Secret+Searched+Name")
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        assert (status, json.loads(body)) == (200, {"status": "ok"})

        status, headers, body = _get(f"{base}/static/{hashed}")
        assert status == 200 and b".govuk-" in body
        cache = headers["Cache-Control"]
        assert "immutable" in cache and "max-age=315360000" in cache

        status, headers, _ = _get(f"{base}/static/{plain}")
        assert status == 200
        assert headers["Cache-Control"] == "max-age=60, public"
    finally:
        server.terminate()
        server.wait(timeout=30)
    output = log.read_text()
    assert "GET /healthz HTTP/1.1" in output and " 200 " in output
    assert "Secret" not in output


def test_the_worker_count_is_2_per_core_plus_1_unless_set(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 4)  # multiprocessing.cpu_count asks os
    assert runpy.run_path(str(CONF))["workers"] == 9
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    assert runpy.run_path(str(CONF))["workers"] == 3


def test_a_bad_worker_count_is_refused_by_name(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "lots")
    with pytest.raises(ImproperlyConfigured, match="WEB_CONCURRENCY"):
        runpy.run_path(str(CONF))
