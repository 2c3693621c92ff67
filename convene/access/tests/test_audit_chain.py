"""The audit trail is tamper-evident: a hash chain that `verify_audit` checks, and database
protection that no session setting lifts (issue 14, finding 1)."""

from io import StringIO
from itertools import pairwise

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.utils import DatabaseError

from convene.access import chain
from convene.access.enums import AuditVerb
from convene.access.models import AuditEvent
from convene.core.services import Actor, audit

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's triggers and roles"
)


@pytest.fixture
def trail(chair, child):
    """Five rows, as services write them."""
    return [
        audit(
            by=Actor(chair, ip="10.0.0.1"),
            verb=AuditVerb.VIEWED_CHILD,
            obj=child,
            about=child,
            reason=f"visit {n}",
        )[0]
        for n in range(5)
    ]


def verify() -> str:
    out = StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


def tamper(sql: str, params: list) -> None:
    """What the table's owner could do: lift the protection, change the rows."""
    chain.remove_protection(connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    chain.install_protection(connection)


def test_each_row_is_chained_to_the_one_before(trail):
    rows = list(AuditEvent.objects.order_by("id"))
    assert rows[0].prev_hash == chain.GENESIS
    for before, after in pairwise(rows):
        assert after.prev_hash == before.hash
        assert after.hash == chain.row_hash(after.chain_values())


def test_verify_audit_passes_an_untouched_trail(trail):
    assert "intact: 5 rows" in verify()


def test_verify_audit_names_a_row_changed_in_the_database(trail):
    tamper("UPDATE access_auditevent SET reason = 'nothing to see' WHERE id = %s", [trail[2].pk])
    with pytest.raises(CommandError, match=f"audit row {trail[2].pk}: its contents were changed"):
        verify()


def test_verify_audit_names_the_row_after_one_deleted_in_the_database(trail):
    tamper("DELETE FROM access_auditevent WHERE id = %s", [trail[1].pk])
    with pytest.raises(CommandError, match=f"audit row {trail[2].pk}: does not follow"):
        verify()


def test_verify_audit_names_a_row_inserted_directly_in_the_database(trail, chair):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO access_auditevent (id, at, actor_id, verb, object_type, object_id, "
            "object_repr, child_id, ip_address, reason, prev_hash, hash) VALUES "
            "(%s, %s, %s, 'signed_in', '', '', '', NULL, NULL, '', %s, %s)",
            [trail[2].pk + 1000, trail[2].at, chair.pk, trail[-1].hash, "f" * 64],
        )
    with pytest.raises(CommandError, match=f"audit row {trail[2].pk + 1000}: its contents"):
        verify()


def test_verify_audit_says_when_the_protection_is_gone(trail):
    chain.remove_protection(connection)
    with pytest.raises(CommandError, match="no longer protects"):
        verify()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE access_auditevent SET reason = 'rewritten' WHERE id = %s",
        "DELETE FROM access_auditevent WHERE id = %s",
    ],
)
def test_the_database_refuses_raw_sql_that_changes_or_deletes_a_row(trail, sql):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [trail[0].pk])
    assert AuditEvent.objects.get(pk=trail[0].pk).reason == "visit 0"


@postgres_only
def test_no_session_setting_lifts_the_protection_on_postgresql(trail):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SET LOCAL pgtrigger.ignore = "
            "'{access_auditevent:pgtrigger_audit_event_append_only_0b6d6}'"
        )
        cursor.execute("UPDATE access_auditevent SET reason = 'x' WHERE id = %s", [trail[0].pk])


@postgres_only
def test_postgresql_refuses_truncate_even_for_the_owner(trail):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE access_auditevent CASCADE")
    assert AuditEvent.objects.count() == 5


@postgres_only
def test_the_application_role_cannot_change_the_table_or_its_triggers(trail):
    """The role layout of docs/decisions/0018: the application's role may read and append."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "DO $$ BEGIN CREATE ROLE convene_test_app NOLOGIN; "
            "EXCEPTION WHEN duplicate_object THEN NULL; END $$"
        )
        cursor.execute("GRANT SELECT, INSERT ON access_auditevent TO convene_test_app")
        cursor.execute("SET LOCAL ROLE convene_test_app")
        for sql in (
            "UPDATE access_auditevent SET reason = 'x'",
            "TRUNCATE access_auditevent",
            "ALTER TABLE access_auditevent DISABLE TRIGGER USER",
        ):
            cursor.execute("SAVEPOINT attempt")
            with pytest.raises(DatabaseError):
                cursor.execute(sql)
            cursor.execute("ROLLBACK TO SAVEPOINT attempt")
        cursor.execute("RESET ROLE")
        cursor.execute("REVOKE ALL ON access_auditevent FROM convene_test_app")
    assert AuditEvent.objects.filter(reason="x").count() == 0


def test_rows_added_in_bulk_join_the_chain(trail, chair, child):
    AuditEvent.objects.bulk_create(
        AuditEvent(actor=chair, verb=AuditVerb.IMPORTED, child=child, reason=f"row {n}")
        for n in range(3)
    )
    assert "intact: 8 rows" in verify()
