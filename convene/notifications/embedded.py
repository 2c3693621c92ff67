"""The dispatcher beside the web server, for the embedded default (NOTIFICATIONS_DISPATCH
"embedded": `make run`, or one small server without Redis).

One background thread per web process sends what the outbox holds: woken as soon as a change
that queued a message commits, and every NOTIFICATIONS_POLL_SECONDS for retries whose backoff
has passed. Once a day, from 7am (Europe/London), it also queues the daily reminders, which are
safe to queue twice. Nothing is sent by the request itself, and a failure here is logged and
never stops the thread. Several web processes may each run one: a message is claimed by one
dispatcher only (convene/notifications/dispatcher.py).

The web server's WSGI module starts it (convene/wsgi.py); management commands and tests do
not, so what they queue waits for a web process, or for `manage.py send_notifications`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import date, datetime

from django.conf import settings
from django.db import close_old_connections, connections
from django.utils import timezone

from . import dispatcher

logger = logging.getLogger(__name__)


def daily_jobs(now: datetime, last_day: date | None) -> date | None:
    """Queue the daily reminders when it is past 7am and they have not been queued today by
    this process. Returns the day they were last queued."""
    from convene.reminders.rules import reminders_due
    from convene.reminders.tasks import send_daily_reminders

    local = timezone.localtime(now)
    if not reminders_due(local, last_day):
        return last_day
    send_daily_reminders()
    return local.date()


class EmbeddedDispatcher:
    def __init__(
        self,
        *,
        poll_seconds: float,
        clock: Callable[[], datetime] = timezone.now,
    ) -> None:
        self.poll_seconds = poll_seconds
        self._clock = clock
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="convene-dispatcher", daemon=True)
        self.reminders_queued_on: date | None = None

    def start(self) -> None:
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout)

    def run_once(self) -> None:
        """One round: the daily reminders when due, then everything due to be sent."""
        try:
            self.reminders_queued_on = daily_jobs(self._clock(), self.reminders_queued_on)
            dispatcher.dispatch_due()
        except Exception:  # a fault in one round must not stop the next
            logger.exception("The embedded dispatcher failed; it will try again")

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                self.run_once()
                # This thread is not a request: close what Django would close after one.
                close_old_connections()
                self._wake.wait(self.poll_seconds)
                self._wake.clear()
        finally:
            connections.close_all()


_lock = threading.Lock()
_running: EmbeddedDispatcher | None = None


def start() -> EmbeddedDispatcher | None:
    """Start this process's dispatcher thread once, when the embedded mode is chosen."""
    global _running
    if settings.NOTIFICATIONS_DISPATCH != "embedded":
        return None
    with _lock:
        if _running is None:
            _running = EmbeddedDispatcher(poll_seconds=settings.NOTIFICATIONS_POLL_SECONDS)
            _running.start()
            logger.info("Sending e-mails and letters from a background thread")
        return _running


def stop() -> None:
    """Stop this process's dispatcher thread (tests; the thread is a daemon otherwise)."""
    global _running
    with _lock:
        if _running is not None:
            _running.stop()
            _running = None


def wake() -> None:
    """Called after a commit that queued a message: send it now rather than at the next poll.
    Does nothing in a process without the thread (a management command)."""
    if _running is not None:
        _running.wake()
