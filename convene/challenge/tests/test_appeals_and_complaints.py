"""Appeals and complaints (issue 13; Register R:20; London CP4 §12): an appeal within 5 working
days is answered in writing within 28 days with a letter, a later one is flagged but kept; a
complaint passes to the chair's manager and the complaints manager, the decision stands, and its
outcome reconvenes the conference under another chair, brings the review forward, or confirms
the decision; one about an agency goes to that agency's own process."""

from __future__ import annotations

import io
from datetime import date, time, timedelta

import pypdf
import pytest
import time_machine
from django.urls import reverse

from convene.access.enums import Role
from convene.access.models import User
from convene.authority.models import AuthoritySettings
from convene.authority.selectors import authority_procedures
from convene.challenge import letters
from convene.challenge import services as challenge
from convene.challenge.models import (
    Appeal,
    AppealHelp,
    AppealOutcome,
    Appellant,
    Complaint,
    ComplaintOutcome,
)
from convene.challenge.selectors import appeals_waiting_for, complaints_waiting_for
from convene.conferences.convening.services import conference_schedule
from convene.conferences.decision import services as decision
from convene.conferences.decision.rules import DecisionEntry
from convene.conferences.enums import ConferenceStatus, MeetingMode, Route
from convene.conferences.letters.branding import authority_branding
from convene.conferences.letters.rules import plain_english
from convene.conferences.models import Conference, ConferenceChild
from convene.core.services import Actor, ServiceError, StaleEdit
from convene.notifications.models import OutboundMessage
from convene.people.enums import AgencyType
from convene.plans.enums import BroughtForwardReason
from convene.plans.models import Plan
from convene.plans.reviews.selectors import review_state
from convene.testing.factories import (
    AgencyFactory,
    ChildFactory,
    ConferenceChildFactory,
    ConferenceFactory,
    UserFactory,
)
from convene.testing.pages import main_content

pytestmark = pytest.mark.django_db

HELD_ON = date(2026, 11, 30)  # a Monday: 5 working days later is Monday 7 December
IN_TIME_BY = date(2026, 12, 7)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel("2026-12-10 15:00 +0000", tick=False):
        yield


@pytest.fixture
def subject(chair: User) -> ConferenceChild:
    """A child put on a plan at an initial conference held on HELD_ON."""
    conference = ConferenceFactory.create(
        date=HELD_ON, status=ConferenceStatus.HELD, chair=chair, quorate=True
    )
    found = ConferenceChildFactory.create(conference=conference, child=ChildFactory.create())
    decision.decision_record(
        subject=found,
        entry=DecisionEntry(outcome="cp_plan", category="NEG", reasons="Neglect for months"),
        version=found.version,
        by=Actor(chair),
        today=HELD_ON,
    )
    found.refresh_from_db()
    return found


def _appeal(subject: ConferenceChild, by: User, *, received_on: date = IN_TIME_BY, **changes):
    values = {
        "appellant": Appellant.PARENT,
        "name": "Jo Example",
        "address": "1 Example Street\nNorthmoor",
        "email": "",
        "helped_by": AppealHelp.SOCIAL_WORKER,
        "helper_name": "",
        "grounds": "I was not listened to.",
    } | changes
    return challenge.appeal_record(
        subject=subject,
        received_on=received_on,
        today=date(2026, 12, 10),
        profile=authority_procedures(),
        by=Actor(by),
        **values,
    )


def _complaint(conference: Conference, by: User, **changes) -> Complaint:
    values = {
        "complainant": Appellant.PARENT,
        "name": "Jo Example",
        "address": "",
        "email": "jo@example.com",
        "about": "The chair did not let me speak.",
        "agency": None,
        "received_on": date(2026, 12, 2),
    } | changes
    return challenge.complaint_record(
        conference=conference, today=date(2026, 12, 10), by=Actor(by), **values
    )


# Appeals ---------------------------------------------------------------------------------------


def test_an_appeal_in_time_is_due_an_answer_within_28_days_and_the_head_of_service_is_told(
    subject, chair, senior_manager
):
    appeal = _appeal(subject, chair)
    assert (appeal.late, appeal.in_time_by) == (False, IN_TIME_BY)
    assert appeal.due == IN_TIME_BY + timedelta(days=28)
    told = OutboundMessage.objects.get(to=senior_manager.email, reference__startswith="appeal-")
    assert "answer in writing by 4 January 2027" in told.body
    assert subject.child.last_name not in told.subject + told.body  # names no child
    assert appeals_waiting_for(senior_manager) == [appeal]
    assert appeals_waiting_for(chair) == []


def test_a_late_appeal_is_recorded_and_flagged_not_lost(subject, chair, senior_manager, as_user):
    appeal = _appeal(subject, chair, received_on=date(2026, 12, 8))
    assert appeal.late is True and Appeal.objects.count() == 1
    page = main_content(as_user(senior_manager).get(reverse("challenge:appeal", args=[appeal.pk])))
    assert "This appeal is late" in page and "7 December 2026" in page


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"received_on": date(2026, 12, 11)}, "received_on"),  # in the future
        ({"received_on": date(2026, 11, 27)}, "received_on"),  # before the conference
        ({"received_on": None}, "received_on"),
        ({"name": " "}, "name"),
        ({"grounds": ""}, "grounds"),
        ({"address": "", "email": ""}, "address"),  # nowhere to send the answer
        ({"helped_by": AppealHelp.ADVOCATE}, "helper_name"),  # the advocate's name
    ],
)
def test_an_incomplete_appeal_is_refused_saying_what_is_missing(subject, chair, changes, field):
    with pytest.raises(ServiceError) as refused:
        _appeal(subject, chair, **changes)
    assert field in refused.value.problems
    assert not Appeal.objects.exists()


def test_an_appeal_needs_a_held_conference_and_a_decision(chair):
    conference = ConferenceFactory.create(date=HELD_ON, status=ConferenceStatus.HELD, chair=chair)
    undecided = ConferenceChildFactory.create(conference=conference, child=ChildFactory.create())
    with pytest.raises(ServiceError, match="record the decision first"):
        _appeal(undecided, chair)
    Conference.objects.filter(pk=conference.pk).update(status=ConferenceStatus.SCHEDULED)
    undecided.refresh_from_db()
    with pytest.raises(ServiceError, match="once the conference is held"):
        _appeal(undecided, chair)


def test_the_head_of_service_answers_once_and_the_letter_says_so(subject, chair, senior_manager):
    appeal = _appeal(subject, chair)
    by = Actor(senior_manager)
    with pytest.raises(StaleEdit):
        challenge.appeal_answer(
            appeal=appeal,
            outcome=AppealOutcome.NOT_UPHELD,
            answer="Stale",
            version=99,
            today=date(2026, 12, 10),
            by=by,
        )
    challenge.appeal_answer(
        appeal=appeal,
        outcome=AppealOutcome.NOT_UPHELD,
        answer="The conference heard your views. The plan will help your family.",
        version=appeal.version,
        today=date(2026, 12, 10),
        by=by,
    )
    with pytest.raises(ServiceError, match="answered already"):
        challenge.appeal_answer(
            appeal=appeal,
            outcome=AppealOutcome.UPHELD,
            answer="Again",
            version=appeal.version,
            today=date(2026, 12, 10),
            by=by,
        )
    document = letters.appeal_answer_letter(appeal, branding=authority_branding())
    assert "The plan will help your family" in document.text
    assert "The decision stays the same" in document.text
    assert document.to_address == ["1 Example Street", "Northmoor"]


def test_the_standard_appeal_letter_and_the_answers_are_in_plain_english(subject, chair):
    form = letters.appeal_form(subject, in_time_by=IN_TIME_BY, branding=authority_branding())
    assert "7 December 2026" in form.text
    appeal = _appeal(subject, chair)
    Appeal.objects.filter(pk=appeal.pk).update(
        outcome=AppealOutcome.UPHELD, answer="You are right.", answered_on=date(2026, 12, 10)
    )
    appeal.refresh_from_db()
    appeal.answered_by = chair
    answer = letters.appeal_answer_letter(appeal, branding=authority_branding())
    for document in (form, answer):
        # The family's own words and the blanks to fill in are not the letter's wording.
        words = "\n".join(line for line in document.text.splitlines() if "___" not in line)
        assert plain_english(words, []).reading_ease >= 60, document.title


def test_pages_social_worker_records_head_of_service_answers_and_downloads_the_letter(
    subject, chair, senior_manager, social_worker, outsider, as_user
):
    Conference.objects.filter(pk=subject.conference_id).update()
    subject.child.social_worker = social_worker
    subject.child.save()
    conference = subject.conference
    worker = as_user(social_worker)
    page = main_content(worker.get(reverse("challenge:conference", args=[conference.pk])))
    assert "Record an appeal" in page and "7 December 2026" in page
    response = worker.post(
        reverse("challenge:appeal-new", args=[conference.pk]),
        {
            "child": subject.pk,
            "appellant": "parent",
            "name": "Jo Example",
            "helped_by": "social_worker",
            "grounds": "I was not listened to.",
            "received_on_day": "3",
            "received_on_month": "12",
            "received_on_year": "2026",
            "address": "1 Example Street",
        },
    )
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    url = reverse("challenge:appeal", args=[appeal.pk])
    assert as_user(outsider).get(url).status_code == 404
    # Only the head of service answers.
    assert worker.post(url, {"outcome": "upheld", "answer": "No", "version": 1}).status_code == 404
    head = as_user(senior_manager)
    assert "Jo Example" in main_content(head.get(reverse("challenge:waiting")))
    answered = head.post(
        url, {"outcome": "not_upheld", "answer": "The decision stands.", "version": 1}
    )
    assert answered.status_code == 302
    pdf = head.get(reverse("challenge:appeal-letter", args=[appeal.pk]) + "?format=pdf")
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.content)).pages)
    assert "The answer to your appeal" in text and "The decision stands." in text
    form = worker.get(
        reverse("challenge:appeal-form", args=[conference.pk, subject.child_id]) + "?format=docx"
    )
    assert form.status_code == 200 and form["Content-Disposition"].endswith('.docx"')


# Complaints ------------------------------------------------------------------------------------


def test_a_complaint_goes_to_the_chairs_manager_and_the_complaints_manager_and_the_decision_stands(
    subject, chair
):
    AuthoritySettings.objects.update_or_create(
        pk=1, defaults={"complaints_email": "complaints@northmoor.example"}
    )
    complaint = _complaint(subject.conference, chair)
    manager = chair.team.manager
    to = set(OutboundMessage.objects.values_list("to", flat=True))
    assert {manager.email, "complaints@northmoor.example"} <= to
    assert complaints_waiting_for(manager) == [complaint]
    assert complaints_waiting_for(chair) == []
    assert Plan.objects.get(child=subject.child).end_date is None  # §12.3


def test_a_complaint_about_one_agency_goes_to_its_own_process(subject, chair):
    police = AgencyFactory.create(name="Northmoor Police", type=AgencyType.POLICE)
    complaint = _complaint(subject.conference, chair, agency=police)
    assert complaint.outcome == ComplaintOutcome.REFERRED_TO_AGENCY
    assert complaint.decided_on == date(2026, 12, 10)
    assert complaints_waiting_for(chair.team.manager) == []
    assert (
        "Northmoor Police"
        in letters.complaint_answer_letter(complaint, branding=authority_branding()).text
    )


def _decide(complaint: Complaint, by: User, outcome: str, *, on: date | None = None, **kw):
    return challenge.complaint_decide(
        complaint=complaint,
        outcome=outcome,
        explanation=kw.get("explanation", "We looked at what happened."),
        date_chosen=on,
        version=kw.get("version", complaint.version),
        today=date(2026, 12, 10),
        profile=authority_procedures(),
        by=Actor(by),
    )


def test_bring_the_review_forward_moves_the_review_of_each_childs_plan(subject, chair):
    plan = Plan.objects.get(child=subject.child)
    before = review_state(plan, authority_procedures()).due.due
    complaint = _complaint(subject.conference, chair)
    _decide(
        complaint, chair.team.manager, ComplaintOutcome.BRING_REVIEW_FORWARD, on=date(2027, 1, 8)
    )
    plan.refresh_from_db()
    after = review_state(plan, authority_procedures()).due.due
    assert after == date(2027, 1, 8) < before
    assert plan.brought_forward.get().reason == BroughtForwardReason.COMPLAINT
    assert complaint.review_due == date(2027, 1, 8)


def test_bring_the_review_forward_is_refused_with_the_plans_own_reason(subject, chair):
    complaint = _complaint(subject.conference, chair)
    with pytest.raises(ServiceError) as refused:
        _decide(complaint, chair.team.manager, ComplaintOutcome.BRING_REVIEW_FORWARD, on=HELD_ON)
    assert "date_chosen" in refused.value.problems
    complaint.refresh_from_db()
    assert complaint.decided_on is None


def test_reconvene_creates_a_conference_that_its_chair_may_not_chair(subject, chair, administrator):
    complaint = _complaint(subject.conference, chair)
    _decide(complaint, chair.team.manager, ComplaintOutcome.RECONVENE, on=date(2026, 12, 24))
    again = complaint.reconvened
    assert again is not None
    assert (again.route, again.status) == (Route.AFTER_COMPLAINT, ConferenceStatus.TO_ARRANGE)
    assert again.type == "review"  # the child is on a plan now: continue or end it
    assert again.not_chaired_by == chair
    assert list(again.subjects.values_list("child", flat=True)) == [subject.child_id]

    def schedule(who: User) -> Conference:
        return conference_schedule(
            conference=again,
            date=date(2026, 12, 22),
            starts_at=time(10),
            ends_at=time(12),
            mode=MeetingMode.IN_PERSON,
            venue="Northmoor Civic Centre",
            chair=who,
            version=again.version,
            by=Actor(administrator),
            today=date(2026, 12, 10),
        )

    with pytest.raises(ServiceError, match="Select a different chair"):
        schedule(chair)
    other = UserFactory.create(first_name="Olu", roles=[Role.CONFERENCE_CHAIR])
    assert schedule(other).chair == other


def test_confirm_needs_an_explanation_and_a_complaint_is_decided_once(subject, chair):
    complaint = _complaint(subject.conference, chair)
    manager = chair.team.manager
    with pytest.raises(ServiceError) as refused:
        _decide(complaint, manager, ComplaintOutcome.CONFIRM, explanation=" ")
    assert "explanation" in refused.value.problems
    _decide(complaint, manager, ComplaintOutcome.CONFIRM)
    with pytest.raises(ServiceError, match="decided already"):
        _decide(complaint, manager, ComplaintOutcome.RECONVENE, on=date(2026, 12, 24))
    letter = letters.complaint_answer_letter(complaint, branding=authority_branding())
    assert "The decision made at the meeting stays the same" in letter.text


def test_pages_the_chair_records_the_manager_decides_others_see_nothing(
    subject, chair, outsider, as_user
):
    conference = subject.conference
    response = as_user(chair).post(
        reverse("challenge:complaint-new", args=[conference.pk]),
        {
            "complainant": "parent",
            "name": "Jo Example",
            "about": "The chair did not let me speak.",
            "received_on_day": "2",
            "received_on_month": "12",
            "received_on_year": "2026",
            "email": "jo@example.com",
        },
    )
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    url = reverse("challenge:complaint", args=[complaint.pk])
    assert as_user(outsider).get(url).status_code == 404
    page = main_content(as_user(chair).get(reverse("challenge:conference", args=[conference.pk])))
    assert "The decision stands meanwhile" in page
    decide = {"outcome": "confirm", "explanation": "We listened to the recording.", "version": 1}
    assert as_user(chair).post(url, decide).status_code == 404  # not the chair's to decide
    assert as_user(chair.team.manager).post(url, decide).status_code == 302
    complaint.refresh_from_db()
    assert complaint.outcome == ComplaintOutcome.CONFIRM


def test_the_answers_go_by_email_with_the_letter_or_by_post(subject, chair, senior_manager):
    by_post = _appeal(subject, chair)
    by_email = _appeal(subject, chair, email="jo@example.com", address="")
    for appeal in (by_post, by_email):
        challenge.appeal_answer(
            appeal=appeal,
            outcome=AppealOutcome.UPHELD,
            answer="You are right.",
            version=appeal.version,
            today=date(2026, 12, 10),
            by=Actor(senior_manager),
        )
    posted = OutboundMessage.objects.get(reference=f"appeal-answer-{by_post.pk}")
    assert posted.channel == "letter" and "1 Example Street" in posted.to
    assert "You are right." in posted.body
    emailed = OutboundMessage.objects.get(reference=f"appeal-answer-{by_email.pk}")
    assert emailed.to == "jo@example.com" and emailed.subject == "The answer to your appeal"
    assert emailed.attachments.get().name.endswith(".pdf")
