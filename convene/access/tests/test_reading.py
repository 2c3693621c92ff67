"""Reading is audited on every page that shows someone's details, in one INSERT
(issue 14, finding 4)."""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from convene.access.enums import AuditVerb
from convene.access.models import AuditEvent
from convene.conferences.tests.helpers import BEFORE, conference_with_reports
from convene.testing.factories import ChildFactory, ConferenceChildFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(child_known_to_police, chair, police, social_worker):
    return conference_with_reports(
        child=child_known_to_police, chair=chair, police=police, social_worker=social_worker
    )


def viewed():
    return list(AuditEvent.objects.filter(verb=AuditVerb.VIEWED_PAGE).order_by("id"))


def test_opening_the_police_report_is_on_the_childs_trail(setting, chair, child, as_user):
    with time_machine.travel(BEFORE, tick=False):
        url = reverse("conferences:report-detail", args=[setting.police_report.pk])
        response = as_user(chair).get(url, REMOTE_ADDR="10.9.8.7")
    assert response.status_code == 200
    [row] = viewed()
    assert (row.actor, row.child, row.ip_address) == (chair, child, "10.9.8.7")
    assert row.object_type == "conferences.Report"
    assert "conferences:report-detail" in row.reason


def test_a_conference_page_goes_on_each_childs_trail_in_one_insert(setting, chair, as_user):
    sister = ChildFactory.create(household=setting.conference.household)
    ConferenceChildFactory.create(conference=setting.conference, child=sister)
    with time_machine.travel(BEFORE, tick=False):
        client = as_user(chair)
        url = reverse("conferences:detail", args=[setting.conference.pk])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
    inserts = [q for q in queries if q["sql"].startswith('INSERT INTO "access_auditevent"')]
    assert len(inserts) == 1
    assert {row.child for row in viewed()} == {setting.conference.subject_children()[0], sister}


def test_the_exclusion_letter_and_invitations_are_audited(setting, administrator, as_user):
    with time_machine.travel(BEFORE, tick=False):
        url = reverse("conferences:invitations", args=[setting.conference.pk])
        assert as_user(administrator).get(url).status_code == 200
    assert len(viewed()) == 1


def test_a_search_is_audited_with_what_was_asked(chair, child, as_user):
    response = as_user(chair).get(reverse("people:child-list") + "?q=Mina")
    assert response.status_code == 200
    [row] = viewed()
    assert row.child is None
    assert "q=Mina" in row.reason


def test_a_page_that_audits_its_own_reading_is_not_audited_twice(chair, child, as_user):
    assert as_user(chair).get(reverse("people:child-detail", args=[child.pk])).status_code == 200
    assert AuditEvent.objects.filter(verb=AuditVerb.VIEWED_CHILD).count() == 1
    assert viewed() == []


def test_a_refused_page_writes_nothing(outsider, setting, as_user):
    with time_machine.travel(BEFORE, tick=False):
        url = reverse("conferences:report-detail", args=[setting.police_report.pk])
        assert as_user(outsider).get(url).status_code == 404
    assert viewed() == []
