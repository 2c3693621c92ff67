"""The audit trail's hash chain and its protection in the database
(docs/decisions/0018-tamper-evident-audit.md).

Each audit row carries `prev_hash`, the hash of the row before it (by id), and `hash`, the
SHA-256 of its own contents and `prev_hash`. Changing a row breaks its own hash; removing one
breaks the link of the row after it; a row slipped in by hand has no hash that fits. Appends
are serialised (on PostgreSQL by a transaction-level advisory lock) so that two transactions
never chain to the same row.

The database refuses UPDATE, DELETE and TRUNCATE on the table with triggers whose function
honours no session setting (unlike pgtrigger's, which `SET pgtrigger.ignore` switches off).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

GENESIS = "0" * 64
# Any fixed 64-bit number: the key of the advisory lock that queues audit appends.
ADVISORY_LOCK_KEY = 7_263_114_050_014
TABLE = "access_auditevent"

# The fields a row's hash covers, in this order.
HASHED_FIELDS = (
    "at",
    "actor_id",
    "verb",
    "object_type",
    "object_id",
    "object_repr",
    "child_id",
    "ip_address",
    "reason",
    "prev_hash",
)


def _text(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(timespec="microseconds")
    if value is None or isinstance(value, int | str):
        return value
    return str(value)


def row_hash(values: dict[str, Any]) -> str:
    """The hash of one row's contents and of the row before it."""
    canonical = json.dumps(
        [_text(values[name]) for name in HASHED_FIELDS], ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class Break:
    """The first row where the chain does not hold, and why."""

    row_id: int
    problem: str

    def __str__(self) -> str:
        return f"audit row {self.row_id}: {self.problem}"


def first_break(rows: Iterable[dict[str, Any]]) -> Break | None:
    """Walk the rows in id order; the first that was changed, or that follows a removed row or
    one inserted out of order, or None when the whole chain holds."""
    previous = GENESIS
    for row in rows:
        if row["prev_hash"] != previous:
            return Break(
                row["id"],
                "does not follow the row before it: a row before it was removed, changed "
                "in its chain, or this row was inserted out of order",
            )
        if row["hash"] != row_hash(row):
            return Break(row["id"], "its contents were changed after it was written")
        previous = row["hash"]
    return None


def lock_appends(connection: BaseDatabaseWrapper) -> None:
    """Queue this transaction's audit appends behind any other's until it ends. On SQLite a
    writing transaction already holds the database's only write lock."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])


# Protection in the database ----------------------------------------------------------------

_POSTGRESQL_FUNCTION = f"""
CREATE OR REPLACE FUNCTION convene_audit_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'The audit trail is append-only: % on {TABLE} is refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
"""
POSTGRESQL_INSTALL = [
    _POSTGRESQL_FUNCTION,
    f"DROP TRIGGER IF EXISTS convene_audit_no_change ON {TABLE}",
    f"DROP TRIGGER IF EXISTS convene_audit_no_truncate ON {TABLE}",
    f"CREATE TRIGGER convene_audit_no_change BEFORE UPDATE OR DELETE ON {TABLE} "
    "FOR EACH ROW EXECUTE FUNCTION convene_audit_refuse()",
    f"CREATE TRIGGER convene_audit_no_truncate BEFORE TRUNCATE ON {TABLE} "
    "FOR EACH STATEMENT EXECUTE FUNCTION convene_audit_refuse()",
]
POSTGRESQL_REMOVE = [
    f"DROP TRIGGER IF EXISTS convene_audit_no_change ON {TABLE}",
    f"DROP TRIGGER IF EXISTS convene_audit_no_truncate ON {TABLE}",
]
SQLITE_INSTALL = [
    f"CREATE TRIGGER IF NOT EXISTS convene_audit_no_update BEFORE UPDATE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'The audit trail is append-only: UPDATE is refused'); END",
    f"CREATE TRIGGER IF NOT EXISTS convene_audit_no_delete BEFORE DELETE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'The audit trail is append-only: DELETE is refused'); END",
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS convene_audit_no_update",
    "DROP TRIGGER IF EXISTS convene_audit_no_delete",
]


def _statements(connection: BaseDatabaseWrapper, *, install: bool) -> Iterator[str]:
    if connection.vendor == "postgresql":
        yield from POSTGRESQL_INSTALL if install else POSTGRESQL_REMOVE
    elif connection.vendor == "sqlite":
        yield from SQLITE_INSTALL if install else SQLITE_REMOVE


def install_protection(connection: BaseDatabaseWrapper) -> None:
    """Make the table refuse UPDATE, DELETE (and on PostgreSQL TRUNCATE) from anyone."""
    with connection.cursor() as cursor:
        for sql in _statements(connection, install=True):
            cursor.execute(sql)


def remove_protection(connection: BaseDatabaseWrapper) -> None:
    """Only for migrations and for the test suite's flush between transactional tests: what an
    owner of the table could do, and what `verify_audit` then catches."""
    with connection.cursor() as cursor:
        for sql in _statements(connection, install=False):
            cursor.execute(sql)


def missing_protection(connection: BaseDatabaseWrapper) -> list[str]:
    """The names of the protecting triggers that are absent (or, on PostgreSQL, disabled)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            wanted = ["convene_audit_no_change", "convene_audit_no_truncate"]
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND tgenabled <> 'D'",
                [TABLE],
            )
        elif connection.vendor == "sqlite":
            wanted = ["convene_audit_no_update", "convene_audit_no_delete"]
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [TABLE]
            )
        else:
            return []
        present = {name for (name,) in cursor.fetchall()}
    return [name for name in wanted if name not in present]
