"""Check the audit trail's hash chain: `manage.py verify_audit`.

Exits 0 and prints the number of rows and the hash of the last (keep it somewhere else — a
ticket, an e-mail to the information governance team — so that even a rewrite of the whole
chain from that row back can be shown); exits 1 naming the first row that was changed, that
follows a removed row, or that was inserted out of order; and says so if the database's
protection of the table is missing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from convene.access import chain
from convene.access.models import AuditEvent


class Command(BaseCommand):
    help = "Check that no audit row has been changed, removed or inserted out of order."

    def handle(self, *args: Any, **options: Any) -> None:
        fields = ("id", "hash", *chain.HASHED_FIELDS)
        rows = AuditEvent.objects.order_by("id").values(*fields).iterator(chunk_size=2000)
        counted = _Counter(rows)
        broken = chain.first_break(counted)
        if broken is not None:
            raise CommandError(f"The audit trail has been tampered with: {broken}.")
        missing = chain.missing_protection(connection)
        if missing:
            raise CommandError(
                "The audit chain holds, but the database no longer protects the table: "
                + ", ".join(missing)
                + " missing. Run `manage.py migrate` as the owner role to restore them."
            )
        self.stdout.write(
            f"The audit trail is intact: {counted.count} rows; the last row's hash is "
            f"{counted.last_hash}."
        )


class _Counter:
    """The rows, counted as they pass, remembering the last hash."""

    def __init__(self, rows: Any) -> None:
        self._rows = rows
        self.count = 0
        self.last_hash = chain.GENESIS

    def __iter__(self) -> Any:
        for row in self._rows:
            self.count += 1
            self.last_hash = row["hash"]
            yield row
