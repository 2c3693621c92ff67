import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from convene.access.enums import AuditVerb
from convene.access.models import AppendOnlyError, AuditEvent
from convene.core.services import Actor, audit

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(chair, child):
    [row] = audit(by=Actor(chair), verb=AuditVerb.VIEWED_CHILD, obj=child, about=child, reason="")
    return row


def test_an_audit_record_names_the_actor_verb_object_and_child(event, chair, child):
    saved = AuditEvent.objects.get(pk=event.pk)
    assert (saved.actor, saved.verb, saved.child) == (chair, AuditVerb.VIEWED_CHILD, child)
    assert saved.object_type == "people.Child"
    assert saved.object_id == str(child.pk)


def test_the_model_refuses_to_change_an_audit_record(event):
    event.reason = "tidying up"
    with pytest.raises(AppendOnlyError):
        event.save()


def test_the_model_refuses_to_delete_an_audit_record(event):
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_bulk_updates_and_deletes_are_refused(event):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


def test_an_audit_row_is_rolled_back_with_the_change_it_records(chair, child):
    with pytest.raises(RuntimeError), transaction.atomic():
        audit(by=Actor(chair), verb=AuditVerb.CHANGED, obj=child, about=child, reason="")
        raise RuntimeError("the change failed")
    assert not AuditEvent.objects.exists()


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the database trigger exists on PostgreSQL only"
)


@postgres_only
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE access_auditevent SET reason = 'rewritten' WHERE id = %s",
        "DELETE FROM access_auditevent WHERE id = %s",
    ],
)
def test_postgresql_refuses_raw_sql_that_changes_or_deletes_an_audit_row(event, sql):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).reason == ""
