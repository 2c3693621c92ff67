"""The conference record: drafted from the meeting, signed once, corrected only by a new
signed version with its reason, copies as the chair decides, amendments within a week."""

from __future__ import annotations

from datetime import timedelta

import pytest

from convene.conferences.enums import ExclusionDecision, InviteeRole
from convene.conferences.letters.branding import authority_branding
from convene.conferences.letters.enums import CopyChoice, Scope
from convene.conferences.record import services
from convene.conferences.record.rules import record_scope, shows
from convene.core.services import ServiceError

pytestmark = pytest.mark.django_db


def _start_and_sign(demo):
    record = services.record_start(conference=demo.conference, by=demo.chair, today=demo.today)
    first = record.versions.get()
    section = first.sections.get(key="attendance")
    services.section_update(
        section=section,
        body="Present: everyone invited. Police information discussed in private.",
        confidential=True,
        confidential_reason="Police information",
        during_exclusion=False,
        version=section.version,
        by=demo.chair,
    )
    services.record_sign(
        record_version=first, version=first.version, by=demo.chair, today=demo.today
    )
    return record, first


def _send(demo, version, invitations):
    return services.record_send(
        record_version=version,
        invitations=invitations,
        by=demo.administrator,
        today=demo.today,
    )


def test_the_draft_is_written_from_the_meeting(demo):
    record = services.record_start(conference=demo.conference, by=demo.chair, today=demo.today)
    sections = {s.key: s for s in record.versions.get().sections.all()}
    assert "Kerry Harlow" in sections["attendance"].body
    assert "quorate" in sections["quorum"].body
    decision = next(s for k, s in sections.items() if k.endswith("-decision"))
    assert "Neglect" in decision.body and "parenting course" in decision.body
    with pytest.raises(ServiceError, match="started already"):
        services.record_start(conference=demo.conference, by=demo.chair, today=demo.today)


def test_signing_twice_and_editing_a_signed_version_are_refused(demo):
    _, first = _start_and_sign(demo)
    with pytest.raises(ServiceError, match="already signed"):
        services.record_sign(
            record_version=first, version=first.version, by=demo.chair, today=demo.today
        )
    section = first.sections.order_by("order")[0]
    with pytest.raises(ServiceError, match="signed and cannot be changed"):
        services.section_update(
            section=section,
            body="A silent edit",
            confidential=False,
            confidential_reason="",
            during_exclusion=False,
            version=section.version,
            by=demo.chair,
        )


def test_a_confidential_section_needs_a_reason(demo):
    record = services.record_start(conference=demo.conference, by=demo.chair, today=demo.today)
    section = record.versions.get().sections.order_by("order")[0]
    with pytest.raises(ServiceError, match="Say why the section is confidential"):
        services.section_update(
            section=section,
            body="x",
            confidential=True,
            confidential_reason="",
            during_exclusion=False,
            version=section.version,
            by=demo.chair,
        )


def test_a_correction_is_a_new_version_with_its_reason_and_the_old_stays(demo):
    record, first = _start_and_sign(demo)
    with pytest.raises(ServiceError, match="Say why"):
        services.record_correct(record=record, reason=" ", version=record.version, by=demo.chair)
    second = services.record_correct(
        record=record, reason="Kerry's surname was misspelt", version=record.version, by=demo.chair
    )
    assert (second.number, second.reason, second.status) == (
        2,
        "Kerry's surname was misspelt",
        "draft",
    )
    assert second.sections.count() == first.sections.count()
    record.refresh_from_db()
    with pytest.raises(ServiceError, match="finish it and sign it first"):
        services.record_correct(
            record=record, reason="Again", version=record.version, by=demo.chair
        )
    first.refresh_from_db()
    assert first.status == "signed"


def test_the_parents_copy_leaves_out_the_confidential_section(demo):
    _, first = _start_and_sign(demo)
    whole = services.record_document(first, scope=Scope.WHOLE, branding=authority_branding())
    family = services.record_document(
        first, scope=Scope.WITHOUT_CONFIDENTIAL, branding=authority_branding()
    )
    assert "Police information discussed in private" in whole.text
    assert "Police information discussed in private" not in family.text


def test_a_copy_for_someone_the_chair_excluded_from_the_record_is_refused(demo):
    record, first = _start_and_sign(demo)
    dean = demo.conference.invitations.get(adult__first_name="Dean")
    demo.conference.exclusions.create(
        invitation=dean,
        requested_by=demo.administrator.user,
        requested_on=demo.today,
        grounds="Invented",
        evidence="Invented",
        decision=ExclusionDecision.PART,
        parts="The police's information",
    )
    with pytest.raises(ServiceError, match="has not decided yet whether Dean Moss"):
        _send(demo, first, [dean])
    services.copy_decide(
        record=record,
        invitation=dean,
        choice=CopyChoice.NONE,
        reason="Sharing it would put the baby at risk",
        by=demo.chair,
        today=demo.today,
    )
    with pytest.raises(ServiceError, match="does not get a copy of the record"):
        _send(demo, first, [dean])
    services.copy_decide(
        record=record,
        invitation=dean,
        choice=CopyChoice.PART_ATTENDED,
        reason="He may have the part he attended",
        by=demo.chair,
        today=demo.today,
    )
    (copy,) = _send(demo, first, [dean])
    assert copy.scope == Scope.PART_ATTENDED


def test_the_chair_decides_only_for_those_whose_copy_is_the_chairs_to_decide(demo):
    record, _ = _start_and_sign(demo)
    kerry = demo.conference.invitations.get(adult__first_name="Kerry")
    with pytest.raises(ServiceError, match="without the chair deciding"):
        services.copy_decide(
            record=record,
            invitation=kerry,
            choice=CopyChoice.NONE,
            reason="x",
            by=demo.chair,
            today=demo.today,
        )


def test_amendments_come_within_a_week_and_the_chair_answers_once(demo):
    record, first = _start_and_sign(demo)
    kerry = demo.conference.invitations.get(adult__first_name="Kerry")
    (copy,) = _send(demo, first, [kerry])
    late = demo.today + timedelta(days=8)
    with pytest.raises(ServiceError, match="within 1 week"):
        services.amendment_add(
            record=record,
            copy=copy,
            request="My name is spelt wrong",
            received_on=late,
            profile=demo.profile,
            by=demo.administrator,
            today=late,
        )
    amendment = services.amendment_add(
        record=record,
        copy=copy,
        request="My name is spelt wrong",
        received_on=demo.today + timedelta(days=3),
        profile=demo.profile,
        by=demo.administrator,
        today=demo.today + timedelta(days=3),
    )
    services.amendment_answer(
        amendment=amendment,
        accept=True,
        answer="Corrected in version 2",
        version=amendment.version,
        by=demo.chair,
        today=demo.today,
    )
    with pytest.raises(ServiceError, match="answered already"):
        services.amendment_answer(
            amendment=amendment,
            accept=False,
            answer="No",
            version=amendment.version,
            by=demo.chair,
            today=demo.today,
        )


def test_a_printed_copy_not_yet_posted_cannot_be_the_basis_of_a_request(demo):
    record, first = _start_and_sign(demo)
    dean = demo.conference.invitations.get(adult__first_name="Dean")
    (copy,) = _send(demo, first, [dean])
    assert copy.delivery == "post"
    with pytest.raises(ServiceError, match="has not been posted yet"):
        services.amendment_add(
            record=record,
            copy=copy,
            request="x",
            received_on=demo.today,
            profile=demo.profile,
            by=demo.administrator,
            today=demo.today,
        )


@pytest.mark.parametrize(
    ("role", "excluded", "choice", "scope"),
    [
        (InviteeRole.PROFESSIONAL, False, None, Scope.WHOLE),
        (InviteeRole.PARENT_CARER, False, None, Scope.WITHOUT_CONFIDENTIAL),
        (InviteeRole.PARENT_CARER, True, None, None),
        (InviteeRole.PARENT_CARER, True, CopyChoice.PART_ATTENDED, Scope.PART_ATTENDED),
        (InviteeRole.CHILD, False, None, None),
        (InviteeRole.CHILD, False, CopyChoice.WHOLE, Scope.WITHOUT_CONFIDENTIAL),
        (InviteeRole.ADVOCATE, False, CopyChoice.NONE, Scope.NONE),
        (InviteeRole.OBSERVER, False, None, Scope.NONE),
        (InviteeRole.INTERPRETER, False, None, Scope.NONE),
    ],
)
def test_who_gets_how_much_of_the_record(role, excluded, choice, scope):
    assert record_scope(role, excluded=excluded, choice=choice) == scope


@pytest.mark.parametrize(
    ("scope", "confidential", "during", "shown"),
    [
        (Scope.WHOLE, True, True, True),
        (Scope.WITHOUT_CONFIDENTIAL, True, False, False),
        (Scope.WITHOUT_CONFIDENTIAL, False, True, True),
        (Scope.PART_ATTENDED, False, True, False),
        (Scope.PART_ATTENDED, False, False, True),
        (Scope.NONE, False, False, False),
    ],
)
def test_which_sections_each_copy_shows(scope, confidential, during, shown):
    assert shows(scope, confidential=confidential, during_exclusion=during) is shown
