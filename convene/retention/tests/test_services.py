"""The retention run: what goes, what is anonymised, and everything that stops it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command

from convene.access.enums import AuditVerb
from convene.access.models import AuditEvent
from convene.conferences.enums import ConferenceStatus
from convene.conferences.models import Contribution
from convene.core.services import Actor, ServiceError, audit
from convene.notifications.enums import OutboundStatus
from convene.notifications.models import OutboundMessage
from convene.people.models import Adult, Child, Household
from convene.plans.models import ChildInNeedPlan
from convene.register.models import RegisterEnquiry
from convene.retention import services
from convene.retention.models import AnonymisedRecord, LegalHold
from convene.retention.selectors import REMOVED
from convene.testing.factories import (
    ChildFactory,
    ConferenceChildFactory,
    EnquiryFactory,
    PlanFactory,
    RelationshipFactory,
)

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 28)
LONG_AGO = datetime(2015, 3, 1, 10, 0, tzinfo=UTC)
RECENTLY = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)


def _grown_up(**kwargs) -> Child:
    """A child whose case closed at 10 and who turned 25 last year: past the period."""
    child = ChildFactory.create(date_of_birth=date(2000, 5, 4), **kwargs)
    PlanFactory.create(child=child, start_date=date(2009, 1, 5), end_date=date(2010, 6, 1))
    return child


def _run(**kwargs) -> services.Report:
    return services.apply_retention(today=TODAY, dry_run=kwargs.pop("dry_run", False), **kwargs)


def _hold(child: Child, by) -> LegalHold:
    return services.legal_hold_place(
        child=child, reason="Care proceedings", at=RECENTLY, by=Actor(by)
    )


def test_a_case_record_past_its_period_is_anonymised(system_administrator):
    child = _grown_up(first_name="Ruby", last_name="Fairweather", nhs_number="9434765919")
    household = child.household
    assert household is not None
    mother = RelationshipFactory.create(child=child, adult__household=household).adult
    audit(
        by=Actor(system_administrator),
        verb=AuditVerb.VIEWED_CHILD,
        obj=child,
        about=child,
        reason="",
    )
    rows_before = AuditEvent.objects.count()

    report = _run()

    child.refresh_from_db()
    assert child.first_name == "" and "Fairweather" not in child.last_name
    assert child.la_child_id == f"ANON-{child.pk}" and child.nhs_number == ""
    assert child.date_of_birth == date(2000, 1, 1)  # the year is kept for the statistics
    assert child.plans.count() == 1  # the history of plans is kept
    assert AnonymisedRecord.objects.filter(child=child, anonymised_on=TODAY).exists()
    mother = Adult.objects.get(pk=mother.pk)
    assert mother.first_name == "" and mother.email == ""
    household = Household.objects.get(pk=household.pk)
    assert household.postcode == "" and household.address == ""
    # The audit trail is never deleted: one more row, for the batch.
    assert AuditEvent.objects.count() == rows_before + 1
    batch = AuditEvent.objects.get(verb=AuditVerb.RETENTION_APPLIED)
    assert str(child.pk) in batch.reason and batch.actor is None
    assert report.outcomes[0].done == [child.pk]
    assert report.audit_rows_kept == 1
    # Run again: nothing more to do.
    assert _run().outcomes[0].done == []


def test_a_record_is_kept_until_the_26th_birthday_when_the_case_closed_at_17():
    child = ChildFactory.create(date_of_birth=date(2001, 1, 10))
    PlanFactory.create(child=child, start_date=date(2017, 9, 1), end_date=date(2018, 3, 1))
    assert _run().outcomes[0].done == []
    assert services.apply_retention(today=date(2027, 1, 10), dry_run=False).outcomes[0].done == [
        child.pk
    ]


def test_a_young_persons_record_is_not_touched():
    child = ChildFactory.create(date_of_birth=date(2003, 1, 1))
    assert _run().outcomes[0].due == 0
    child.refresh_from_db()
    assert child.first_name


@pytest.mark.parametrize(
    "open_thing",
    [
        "plan",
        "cin_plan",
        "conference",
        "section_47",
        "legal_hold",
    ],
)
def test_nothing_is_touched_while_a_child_has_something_open(open_thing, system_administrator):
    child = _grown_up()
    Contribution.objects.create(
        conference=ConferenceChildFactory.create(child=child).conference,
        child=child,
        kind="statement",
        from_whom="Ruby",
        file=ContentFile(b"My words", name="words.txt"),
        content_type="text/plain",
        uploaded_by=system_administrator,
    )
    Contribution.objects.update(uploaded_at=LONG_AGO)
    why = {
        "plan": lambda: PlanFactory.create(child=child, start_date=date(2026, 1, 5)),
        "cin_plan": lambda: ChildInNeedPlan.objects.create(
            child=child, start_date=date(2026, 1, 5)
        ),
        "conference": lambda: ConferenceChildFactory.create(
            child=child, conference__status=ConferenceStatus.SCHEDULED
        ),
        "section_47": lambda: EnquiryFactory.create(
            child=child, episode__child=child, end_date=None
        ),
        "legal_hold": lambda: _hold(child, system_administrator),
    }
    why[open_thing]()

    report = _run()

    child.refresh_from_db()
    assert child.first_name
    assert not AnonymisedRecord.objects.exists()
    assert Contribution.objects.count() == 1
    assert report.outcomes[0].kept[child.pk]
    assert not AuditEvent.objects.filter(verb=AuditVerb.RETENTION_APPLIED).exists()


def test_lifting_the_hold_lets_the_next_run_anonymise(system_administrator):
    child = _grown_up()
    hold = _hold(child, system_administrator)
    assert _run().outcomes[0].done == []
    services.legal_hold_lift(
        hold=hold, reason="Proceedings ended", at=RECENTLY, by=Actor(system_administrator)
    )
    assert _run().outcomes[0].done == [child.pk]


def test_a_dry_run_changes_nothing_and_says_what_it_would_do(system_administrator):
    child = _grown_up(first_name="Ruby")
    held = _grown_up(first_name="Alfie")
    _hold(held, system_administrator)
    rows_before = AuditEvent.objects.count()

    report = _run(dry_run=True)

    child.refresh_from_db()
    assert child.first_name == "Ruby"
    assert AuditEvent.objects.count() == rows_before
    text = "\n".join(report.lines())
    assert "Dry run: nothing was changed" in text
    assert "2 past their period; 1 would be anonymised; 1 kept" in text
    assert f"kept: {held.pk} (a legal hold)" in text
    assert "Audit trail: never deleted" in text


def test_the_run_works_in_batches_each_with_its_audit_row():
    children = [_grown_up() for _ in range(5)]
    report = _run(batch_size=2)
    assert sorted(report.outcomes[0].done) == sorted(c.pk for c in children)
    assert report.outcomes[0].batches == 3
    assert AuditEvent.objects.filter(verb=AuditVerb.RETENTION_APPLIED).count() == 3


def test_a_hold_placed_after_the_list_was_drawn_up_still_stops_the_batch(system_administrator):
    """The batch checks again inside its own transaction."""
    child = _grown_up()
    _hold(child, system_administrator)
    assert services._anonymise_children([child.pk], TODAY) == []


def _enquiry(enquirer, at: datetime, child: Child | None = None) -> RegisterEnquiry:
    return RegisterEnquiry.objects.create(
        enquirer=enquirer,
        name="Dr Ada Lane",
        organisation="Testshire Hospital",
        role="Emergency department doctor",
        contact_number="01632 960 555",
        reason="A child came in with an injury",
        identity_check="called_back",
        recorded_at=at,
        searched_at=at,
        child=child,
    )


def test_old_enquiries_are_deleted_unless_about_a_child_on_hold(system_administrator):
    held = ChildFactory.create()
    _hold(held, system_administrator)
    old = _enquiry(system_administrator, LONG_AGO)
    about_held = _enquiry(system_administrator, LONG_AGO, child=held)
    recent = _enquiry(system_administrator, RECENTLY)
    report = _run()
    assert set(RegisterEnquiry.objects.values_list("pk", flat=True)) == {about_held.pk, recent.pk}
    assert report.outcomes[1].done == [old.pk]
    assert report.outcomes[1].kept == {about_held.pk: ["a legal hold"]}


def test_old_contributions_are_deleted_with_their_files(system_administrator):
    conference = ConferenceChildFactory.create(child=ChildFactory.create()).conference
    old = Contribution.objects.create(
        conference=conference,
        kind="drawing",
        from_whom="Alfie",
        file=ContentFile(b"a drawing", name="drawing.png"),
        content_type="image/png",
        uploaded_by=system_administrator,
    )
    Contribution.objects.filter(pk=old.pk).update(uploaded_at=LONG_AGO)
    name = str(old.file.name)
    assert old.file.storage.exists(name)
    _run()
    assert not Contribution.objects.exists()
    assert not old.file.storage.exists(name)


def test_the_words_of_old_messages_are_removed_but_not_of_those_still_to_go():
    def message(key: str, status: str, at: datetime) -> OutboundMessage:
        return OutboundMessage.objects.create(
            to="parent@example.com",
            subject="Your child's conference",
            body="Dear Ms Fairweather",
            idempotency_key=key,
            status=status,
            created_at=at,
        )

    sent = message("a", OutboundStatus.SENT, LONG_AGO)
    waiting = message("b", OutboundStatus.FAILED, LONG_AGO)
    recent = message("c", OutboundStatus.SENT, RECENTLY)
    _run()
    for row in (sent, waiting, recent):
        row.refresh_from_db()
    assert (sent.body, sent.to, sent.subject) == (REMOVED, REMOVED, REMOVED)
    assert sent.status == OutboundStatus.SENT  # the row itself is kept
    assert waiting.body == "Dear Ms Fairweather"
    assert recent.body == "Dear Ms Fairweather"


def test_the_audit_trail_still_verifies_after_a_run(system_administrator):
    child = _grown_up()
    audit(
        by=Actor(system_administrator),
        verb=AuditVerb.VIEWED_CHILD,
        obj=child,
        about=child,
        reason="",
    )
    _run()
    call_command("verify_audit", stdout=StringIO())


# Legal holds --------------------------------------------------------------------------------


def test_a_hold_is_placed_and_lifted_with_reasons_on_the_childs_trail(system_administrator):
    child = ChildFactory.create()
    hold = _hold(child, system_administrator)
    with pytest.raises(ServiceError, match="already on hold"):
        _hold(child, system_administrator)
    with pytest.raises(ServiceError, match="Enter why"):
        services.legal_hold_lift(hold=hold, reason=" ", at=RECENTLY, by=Actor(system_administrator))
    services.legal_hold_lift(hold=hold, reason="Ended", at=RECENTLY, by=Actor(system_administrator))
    with pytest.raises(ServiceError, match="already been lifted"):
        services.legal_hold_lift(
            hold=hold, reason="Ended", at=RECENTLY, by=Actor(system_administrator)
        )
    trail = list(
        AuditEvent.objects.filter(child=child).order_by("id").values_list("verb", "reason")
    )
    assert trail == [
        (AuditVerb.LEGAL_HOLD_SET, "Care proceedings"),
        (AuditVerb.LEGAL_HOLD_LIFTED, "Ended"),
    ]
    # A new hold may be placed once the last is lifted.
    _hold(child, system_administrator)


def test_a_hold_needs_a_reason(system_administrator):
    with pytest.raises(ServiceError, match="Enter why"):
        services.legal_hold_place(
            child=ChildFactory.create(), reason="", at=RECENTLY, by=Actor(system_administrator)
        )


# The command --------------------------------------------------------------------------------


def test_the_command_takes_the_day_and_a_dry_run():
    child = _grown_up(first_name="Ruby")
    out = StringIO()
    call_command("apply_retention", "--today", "2026-11-28", "--dry-run", stdout=out)
    assert "1 would be anonymised" in out.getvalue()
    child.refresh_from_db()
    assert child.first_name == "Ruby"
    out = StringIO()
    call_command("apply_retention", "--today", "2026-11-28", stdout=out)
    assert "1 anonymised in 1 batch(es)" in out.getvalue()


@pytest.mark.parametrize(
    "args", [["--today", "28/11/2026"], ["--today", "2026-11-28", "--batch-size", "0"]]
)
def test_the_command_refuses_a_bad_day_or_batch(args):
    with pytest.raises(CommandError):
        call_command("apply_retention", *args, stdout=StringIO())


def test_one_time_form_tokens_are_deleted_after_a_day(system_administrator):
    import uuid

    from convene.core.models import SubmittedForm

    old = SubmittedForm.objects.create(
        token=uuid.uuid4(), user=system_administrator, at=datetime(2026, 11, 26, 23, tzinfo=UTC)
    )
    today = SubmittedForm.objects.create(
        token=uuid.uuid4(), user=system_administrator, at=datetime(2026, 11, 27, 9, tzinfo=UTC)
    )
    _run()
    assert list(SubmittedForm.objects.values_list("pk", flat=True)) == [today.pk]
    assert old.pk not in SubmittedForm.objects.values_list("pk", flat=True)
