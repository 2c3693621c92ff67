"""A stand-in for GOV.UK Notify's API on a local port, for tests and the outbox benchmark.

Point the real client at it with NOTIFY_BASE_URL (as the settings allow for any compatible
server). It answers the three calls Convene makes — send an e-mail, send a letter, and list
notifications by reference — and can misbehave on purpose: fail every n-th send and every n-th
look-up with a 503 (each counted on its own), and hang on every m-th send for longer than the
client waits. A hung call keeps the message first,
as Notify would if its answer were lost on the way back, which is the case that tempts a sender
to send twice. `delivered` counts what it kept, by the sender's reference.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
import uuid
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import parse_qs, urlparse

# The client reads a service id and a secret from the key's last 73 characters.
API_KEY = f"convene_test-{uuid.UUID(int=1)}-{uuid.UUID(int=2)}"


class FakeNotify:
    def __init__(
        self, *, fail_every: int = 0, hang_every: int = 0, hang_seconds: float = 1.0
    ) -> None:
        self.fail_every = fail_every
        self.hang_every = hang_every
        self.hang_seconds = hang_seconds
        self.calls: Counter[str] = Counter()  # by "send" and "look-up"
        self.failures = 0
        self.hangs = 0
        self.delivered: Counter[str] = Counter()
        self._ids: dict[str, str] = {}
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> FakeNotify:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _misbehaviour(self, kind: str) -> str:
        """What this call does: "fail", "hang" or "" (answer properly)."""
        with self._lock:
            self.calls[kind] += 1
            call = self.calls[kind]
            if self.fail_every and call % self.fail_every == 0:
                self.failures += 1
                return "fail"
            if kind == "send" and self.hang_every and call % self.hang_every == 0:
                self.hangs += 1
                return "hang"
        return ""

    def _keep(self, reference: str) -> str:
        with self._lock:
            self.delivered[reference] += 1
            return self._ids.setdefault(reference, str(uuid.uuid4()))

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        notify = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass  # quiet in tests

            def _answer(self, status: int, body: object) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(data)  # unless the client stopped waiting

            def _unavailable(self) -> None:
                self._answer(
                    503,
                    {
                        "status_code": 503,
                        "errors": [{"error": "ServiceUnavailable", "message": "Try again"}],
                    },
                )

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                payload = json.loads(self.rfile.read(length) or b"{}")
                behaviour = notify._misbehaviour("send")
                if behaviour == "fail":
                    return self._unavailable()
                reference = str(payload.get("reference", ""))
                notification_id = notify._keep(reference)
                if behaviour == "hang":
                    time.sleep(notify.hang_seconds)
                self._answer(201, {"id": notification_id, "reference": reference})

            def do_GET(self) -> None:
                url = urlparse(self.path)
                if url.path != "/v2/notifications":
                    return self._answer(404, {"status_code": 404, "errors": []})
                if notify._misbehaviour("look-up") == "fail":
                    return self._unavailable()
                reference = parse_qs(url.query).get("reference", [""])[0]
                with notify._lock:
                    found = notify._ids.get(reference)
                notifications = [{"id": found, "reference": reference}] if found else []
                self._answer(200, {"notifications": notifications, "links": {}})

        return Handler
