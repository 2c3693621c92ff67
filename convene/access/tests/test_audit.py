import pytest
from django.db import transaction

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


# The database's own refusals (both databases) are in test_audit_chain.py.
