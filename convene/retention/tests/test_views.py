"""The system administrator's retention pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from convene.access.enums import AuditVerb
from convene.access.models import AuditEvent
from convene.retention.models import LegalHold, RetentionSchedule
from convene.testing.factories import ChildFactory

pytestmark = pytest.mark.django_db

SCHEDULE = {
    "case_record_until_age": "25",
    "case_record_older_at_closure": "17",
    "register_enquiry_months": "60",
    "message_body_months": "6",
    "contribution_months": "72",
    "version": "1",
}


def test_the_system_administrator_changes_the_schedule(as_user, system_administrator):
    client = as_user(system_administrator)
    page = client.get(reverse("retention:schedule"))
    assert page.status_code == 200 and "Retention schedule" in page.content.decode()
    answer = client.post(reverse("retention:schedule"), SCHEDULE)
    assert answer.status_code == 302
    saved = RetentionSchedule.objects.get()
    assert (saved.register_enquiry_months, saved.message_body_months) == (60, 6)
    change = AuditEvent.objects.get(
        verb=AuditVerb.CHANGED, object_type="retention.RetentionSchedule"
    )
    assert "register_enquiry_months 72 → 60" in change.reason


def test_a_stale_schedule_is_refused(as_user, system_administrator):
    client = as_user(system_administrator)
    client.post(reverse("retention:schedule"), SCHEDULE)
    answer = client.post(reverse("retention:schedule"), {**SCHEDULE, "message_body_months": "3"})
    assert answer.status_code == 200
    assert "This changed since you opened it" in answer.content.decode()
    assert RetentionSchedule.objects.get().message_body_months == 6


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("case_record_until_age", "12", "must be 18 or more"),
        ("message_body_months", "soon", "as a whole number"),
        ("contribution_months", "", "Enter months to keep"),
    ],
)
def test_a_bad_schedule_is_refused_with_a_message(
    as_user, system_administrator, field, value, words
):
    answer = as_user(system_administrator).post(
        reverse("retention:schedule"), {**SCHEDULE, field: value}
    )
    assert answer.status_code == 200 and words in answer.content.decode()
    assert not RetentionSchedule.objects.filter(version__gt=1).exists()


def test_a_hold_is_placed_and_lifted_from_the_pages(as_user, system_administrator):
    child = ChildFactory.create(la_child_id="NM100234")
    client = as_user(system_administrator)
    answer = client.post(
        reverse("retention:holds"), {"la_child_id": "nm100234", "reason": "Care proceedings"}
    )
    assert answer.status_code == 302
    hold = LegalHold.objects.get(child=child)
    assert "NM100234" in client.get(reverse("retention:holds")).content.decode()
    assert client.get(reverse("retention:hold-lift", args=[hold.pk])).status_code == 200
    refused = client.post(reverse("retention:hold-lift", args=[hold.pk]), {"reason": ""})
    assert "Enter why the hold can be lifted" in refused.content.decode()
    client.post(reverse("retention:hold-lift", args=[hold.pk]), {"reason": "Ended"})
    hold.refresh_from_db()
    assert hold.lifted_by == system_administrator and hold.lift_reason == "Ended"
    # A lifted hold has no lift page.
    assert client.get(reverse("retention:hold-lift", args=[hold.pk])).status_code == 404


def test_an_unknown_child_is_refused_with_a_message(as_user, system_administrator):
    answer = as_user(system_administrator).post(
        reverse("retention:holds"), {"la_child_id": "XX1", "reason": "Care proceedings"}
    )
    assert "No child has the local authority child ID XX1" in answer.content.decode()
    assert not LegalHold.objects.exists()


def test_nobody_else_may_open_the_retention_pages(
    as_user, team_manager, senior_manager, outsider, system_administrator
):
    child = ChildFactory.create()
    hold = LegalHold.objects.create(
        child=child, reason="x", placed_by=system_administrator, placed_at="2026-11-01T10:00Z"
    )
    for person in (team_manager, senior_manager, outsider):
        client = as_user(person)
        assert client.get(reverse("retention:schedule")).status_code == 404
        assert client.get(reverse("retention:holds")).status_code == 404
        assert (
            client.post(
                reverse("retention:holds"), {"la_child_id": child.la_child_id, "reason": "x"}
            ).status_code
            == 404
        )
        assert (
            client.post(reverse("retention:hold-lift", args=[hold.pk]), {"reason": "x"}).status_code
            == 404
        )
    hold.refresh_from_db()
    assert hold.is_open and LegalHold.objects.count() == 1
