"""The service kernel: one refusal, one transition table shape, one versioned update, one audit
helper."""

from __future__ import annotations

import pytest

from convene.access.enums import AuditVerb
from convene.access.models import AuditEvent
from convene.conferences.models import Report
from convene.core.services import (
    Actor,
    ServiceError,
    StaleEdit,
    Transition,
    Transitions,
    audit,
    versioned_update,
)
from convene.testing.factories import (
    ChildFactory,
    ConferenceChildFactory,
    ConferenceFactory,
    ReportFactory,
)

DOOR: Transitions[str, str] = Transitions(
    {
        "open": Transition(frozenset({"closed"}), "It is already open", becomes="open"),
        "close": Transition(frozenset({"open"}), "It is already closed", becomes="closed"),
        "paint": Transition(frozenset({"open", "closed"}), "Never"),
    }
)


@pytest.mark.parametrize(
    ("status", "available"),
    [("closed", {"open", "paint"}), ("open", {"close", "paint"}), ("gone", set())],
)
def test_a_table_says_which_actions_each_status_allows(status, available):
    assert DOOR.available(status) == available


def test_check_returns_the_new_status_or_the_same_one_when_it_does_not_change():
    assert DOOR.check("open", "closed") == "open"
    assert DOOR.check("paint", "open") == "open"


def test_check_refuses_with_the_actions_own_words():
    with pytest.raises(ServiceError, match="It is already open"):
        DOOR.check("open", "open")


def test_offered_is_what_someone_may_do_and_the_status_allows():
    # "knock" has no transition: status does not limit it.
    assert DOOR.offered("open", {"open", "close", "knock"}) == {"close", "knock"}


def test_a_refusal_about_a_field_is_one_of_its_problems():
    error = ServiceError("Enter a date", field="date")
    assert error.problems == {"date": "Enter a date"}
    assert str(error) == "Enter a date"


@pytest.mark.django_db
def test_a_versioned_update_saves_and_raises_the_version():
    report = _report()
    versioned_update(report, version=report.version, facts="Seen at home.")
    assert (report.version, report.facts) == (2, "Seen at home.")


@pytest.mark.django_db
def test_a_second_save_from_the_same_version_is_refused_and_changes_nothing():
    report = _report()
    opened = report.version
    versioned_update(report, version=opened, facts="First.")
    with pytest.raises(StaleEdit, match="This changed since you opened it"):
        versioned_update(report, version=opened, facts="Second.")
    report.refresh_from_db()
    assert (report.version, report.facts) == (2, "First.")


@pytest.mark.django_db
def test_audit_about_a_conference_goes_on_each_subject_childs_trail_only(administrator):
    conference = ConferenceFactory.create()
    first, second, sibling = ChildFactory.create_batch(3)
    for kid in (first, second):
        ConferenceChildFactory.create(conference=conference, child=kid, is_subject=True)
    ConferenceChildFactory.create(
        conference=conference, child=sibling, is_subject=False, not_subject_reason="Not at risk"
    )
    audit(
        by=Actor(administrator, ip="192.0.2.1"),
        verb=AuditVerb.CHANGED,
        obj=conference,
        about=conference,
        reason="Rescheduled",
    )
    rows = AuditEvent.objects.filter(object_id=str(conference.pk))
    assert len(rows) == 2
    assert {r.child_id for r in rows} == {first.pk, second.pk}
    assert {(r.actor_id, r.ip_address, r.reason) for r in rows} == {
        (administrator.pk, "192.0.2.1", "Rescheduled")
    }


@pytest.mark.django_db
def test_audit_about_a_child_or_nothing(administrator):
    kid = ChildFactory.create()
    audit(by=Actor(administrator), verb=AuditVerb.VIEWED_CHILD, obj=kid, about=kid, reason="")
    audit(by=None, verb=AuditVerb.IMPORTED, reason="Import")
    assert list(AuditEvent.objects.values_list("child_id", flat=True).order_by("id")) == [
        kid.pk,
        None,
    ]


@pytest.mark.django_db
def test_the_actors_reason_is_kept_on_the_row(administrator):
    audit(by=Actor(administrator, reason="Court order 123"), verb=AuditVerb.CHANGED, reason="Seen")
    assert AuditEvent.objects.get().reason == "Seen (reason given: Court order 123)"


def _report() -> Report:
    return ReportFactory.create()
