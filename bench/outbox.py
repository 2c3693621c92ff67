"""How the outbox copes with a GOV.UK Notify that fails every other call and sometimes hangs:
every message must arrive exactly once, with one dispatcher and with several at once.

Run by hand (not a test):

    .venv/bin/python bench/outbox.py [--messages 2000] [--dispatchers 1 2 4]
        [--database postgres://postgres@127.0.0.1:5432/convene_bench_outbox]

It queues the messages in a throwaway database (SQLite under var/bench/ by default; with
--database, a PostgreSQL database of that name, dropped and made again), starts a local
stand-in for Notify (convene/testing/fake_notify.py) that fails every other send and look-up
with a 503 and hangs on every 25th send for longer than the client waits (keeping the message,
as Notify would if its answer were lost), then runs the dispatchers at once, each draining the
outbox through the real Notify client. It prints the time taken, the calls made and whether
each message arrived exactly once. Results go in docs/performance.md with the machine and date.
"""

from __future__ import annotations

import argparse
import logging
import os
import threading
import time
from urllib.parse import urlparse

from _pages import fresh_database

HANG_SECONDS = 1.0
TIMEOUT_SECONDS = 0.5


def _postgres(url: str) -> None:
    """A new, empty PostgreSQL database at `url`, migrated, with Django set up."""
    import psycopg

    name = urlparse(url).path.lstrip("/")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "convene.settings.test"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _queue(count: int) -> None:
    from django.db import transaction

    from convene.notifications.gateway import gateway

    with transaction.atomic():
        for n in range(count):
            gateway().send_email(
                to=f"person{n}@agency.example",
                subject="Invitation to a child protection conference",
                body="You are invited.",
                reference=f"bench-{n}",
            )


def run(messages: int, dispatchers: int) -> None:
    from django.db import connection
    from django.test import override_settings

    from convene.notifications.dispatcher import Outcome, drain
    from convene.notifications.enums import OutboundStatus
    from convene.notifications.models import OutboundMessage
    from convene.testing.fake_notify import API_KEY, FakeNotify

    OutboundMessage.objects.all().delete()
    with override_settings(NOTIFICATIONS_DISPATCH="off"):
        _queue(messages)
    outcomes: list[Outcome] = []
    with FakeNotify(fail_every=2, hang_every=25, hang_seconds=HANG_SECONDS) as notify:
        notify_settings = {
            "NOTIFY_API_KEY": API_KEY,
            "NOTIFY_EMAIL_TEMPLATE_ID": "00000000-0000-0000-0000-000000000001",
            "NOTIFY_BASE_URL": notify.base_url,
            "NOTIFY_TIMEOUT_SECONDS": TIMEOUT_SECONDS,
            "NOTIFY_MAX_ATTEMPTS": 50,
            "NOTIFICATIONS_DISPATCH": "off",
        }
        start = threading.Barrier(dispatchers)

        def dispatcher() -> None:
            try:
                start.wait()
                outcomes.append(drain())
            finally:
                connection.close()

        with override_settings(**notify_settings):
            began = time.perf_counter()
            threads = [threading.Thread(target=dispatcher) for _ in range(dispatchers)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            took = time.perf_counter() - began
    keys = set(OutboundMessage.objects.values_list("idempotency_key", flat=True))
    sent = OutboundMessage.objects.filter(status=OutboundStatus.SENT).count()
    twice = sum(1 for n in notify.delivered.values() if n > 1)
    exactly_once = set(notify.delivered) == keys and twice == 0 and sent == messages
    print(
        f"{dispatchers} dispatcher(s), {messages} messages: {took:.1f} s "
        f"({messages / took:.0f} a second); Notify calls {sum(notify.calls.values())} "
        f"({notify.failures} failed, {notify.hangs} hung); retried "
        f"{sum(o.retried for o in outcomes)}; sent twice {twice}; "
        f"{'every message exactly once' if exactly_once else 'NOT EXACTLY ONCE'}"
    )
    if not exactly_once:
        raise SystemExit(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--dispatchers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--database", default="")
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # each failure is logged; here they are the point
    if args.database:
        _postgres(args.database)
    else:
        fresh_database("outbox")
    from django.db import connection

    print(
        f"Database: {connection.vendor}; Notify timeout {TIMEOUT_SECONDS} s, hangs {HANG_SECONDS} s"
    )
    for dispatchers in args.dispatchers:
        run(args.messages, dispatchers)


if __name__ == "__main__":
    main()
