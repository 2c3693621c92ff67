"""Escalating dissent: started when dissent is recorded, answered stage by stage by whoever
holds each, closed when resolved or when the last stage has answered."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction

from convene import policy
from convene.access.enums import AuditVerb
from convene.access.models import User
from convene.conferences.letters.branding import authority_branding
from convene.conferences.letters.document import Document
from convene.conferences.models import Conference, ConferenceChild, Dissent
from convene.conferences.rules import CONFERENCE, ConferenceAction
from convene.core.services import Actor, ServiceError, audit, versioned_update
from convene.notifications.gateway import gateway
from convene.people.models import Agency
from convene.plans.enums import BroughtForwardReason
from convene.plans.models import Plan
from convene.timescales import Profile

from . import letters, rules
from .models import (
    Appeal,
    AppealHelp,
    AppealOutcome,
    Appellant,
    Complaint,
    ComplaintOutcome,
    Escalation,
    EscalationStage,
    EscalationStep,
    StageHolder,
)

ANSWERED = "This stage has been answered already."


def stages() -> list[rules.Stage]:
    """The authority's stages, or the defaults until it has set its own."""
    saved = [
        rules.Stage(s.order, s.name, StageHolder(s.holder), s.days, s.working_days)
        for s in EscalationStage.objects.order_by("order")
    ]
    return saved or list(rules.DEFAULT_STAGES)


def _step(
    escalation: Escalation, stage: rules.Stage, start: date, profile: Profile
) -> EscalationStep:
    step = EscalationStep.objects.create(
        escalation=escalation,
        order=stage.order,
        name=stage.name,
        holder=stage.holder,
        due=rules.due(stage, start, profile.calendar),
    )
    _tell_holders(step)
    return step


def tell(people: Iterable[User], *, subject: str, body: str, reference: str) -> list[str]:
    """E-mail each person (through the outbox, sent once the change is saved) a message that
    names no child; returns who was told. `body` may use {name}; each message's reference is
    `reference` and the person's id, so it goes once."""
    told = []
    for person in people:
        if not person.email:
            continue
        gateway().send_email(
            to=person.email,
            subject=subject,
            body=body.format(name=person.get_full_name()),
            reference=f"{reference}-{person.pk}",
        )
        told.append(person.get_full_name())
    return told


def _what(dissent: Dissent) -> str:
    """What the dissent disagrees with, naming no child."""
    conference = dissent.decision.conference
    assert conference.date is not None
    meeting = dissent.core_group_meeting
    if meeting is not None:
        return (
            f"what a core group decided on {meeting.date:%-d %B %Y}, about a child's plan "
            f"from the {conference.get_type_display().lower()} on {conference.date:%-d %B %Y}"
        )
    return (
        f"the decision for a child at the {conference.get_type_display().lower()} on "
        f"{conference.date:%-d %B %Y}"
    )


def _tell_holders(step: EscalationStep) -> None:
    dissent = step.escalation.dissent
    conference = dissent.decision.conference
    assert conference.date is not None
    tell(
        policy.holders_of(step.holder, conference),
        subject="Dissent from a conference decision for you to answer",
        body=(
            "Dear {name},\n\n"
            f"{dissent.name} ({dissent.get_group_display().lower()}) disagrees with "
            f"{_what(dissent)}. It has reached this stage: {step.name}. Please "
            f"answer by {step.due:%-d %B %Y}.\n\n"
            f"Sign in to Convene and open Dissent, appeals and complaints to answer (escalation "
            f"{step.escalation_id}).\n"
        ),
        reference=f"escalation-step-{step.pk}",
    )


def escalation_start(*, dissent: Dissent, today: date, profile: Profile, by: Actor) -> Escalation:
    """Inside the caller's transaction, when the dissent is recorded."""
    stage = rules.first_stage(stages(), agency=dissent.agency_id is not None)
    escalation = Escalation.objects.create(dissent=dissent, started_on=today)
    if stage is not None:
        step = _step(escalation, stage, today, profile)
        audit(
            by=by,
            verb=AuditVerb.CREATED,
            obj=escalation,
            about=dissent.decision.child,
            reason=f"Dissent escalated: {step.name}, due by {step.due:%-d %B %Y}",
        )
    return escalation


def step_answer(
    *,
    step: EscalationStep,
    resolved: bool,
    answer: str,
    version: int,
    today: date,
    profile: Profile,
    by: Actor,
) -> EscalationStep:
    """The holder's answer. Resolved closes the escalation; otherwise the next stage begins
    (or, after the last, it closes unresolved: the answer in writing is final)."""
    if step.answered_on is not None:
        raise ServiceError(ANSWERED)
    if not answer.strip():
        raise ServiceError("Enter the answer", field="answer")
    escalation = step.escalation
    with transaction.atomic():
        versioned_update(
            step,
            version=version,
            answered_on=today,
            answered_by=by.user,
            resolved=resolved,
            answer=answer.strip(),
        )
        following = None if resolved else rules.next_stage(stages(), step.order)
        if following is None:
            Escalation.objects.filter(pk=escalation.pk).update(closed_on=today, resolved=resolved)
        else:
            following_step = _step(escalation, following, today, profile)
        words = (
            "resolved"
            if resolved
            else (
                f"not resolved; passed to {following_step.name}"
                if following is not None
                else "not resolved; the last stage has answered"
            )
        )
        audit(
            by=by,
            verb=AuditVerb.CHANGED,
            obj=escalation,
            about=escalation.dissent.decision.child,
            reason=f"{step.name}: {words}",
        )
    return step


def stage_save(
    *, order: int, name: str, holder: StageHolder, days: int, working_days: bool, by: Actor
) -> EscalationStage:
    """Set one of the authority's stages (the first save copies the defaults, so the others are
    kept). Steps already under way keep the stage as it was when they began."""
    if days < 1 or days > 365:
        raise ServiceError("Enter a number of days from 1 to 365", field="days")
    with transaction.atomic():
        if not EscalationStage.objects.exists():
            EscalationStage.objects.bulk_create(
                EscalationStage(
                    order=s.order,
                    name=s.name,
                    holder=s.holder,
                    days=s.days,
                    working_days=s.working_days,
                )
                for s in rules.DEFAULT_STAGES
            )
        stage, _ = EscalationStage.objects.update_or_create(
            order=order,
            defaults={
                "name": name.strip(),
                "holder": holder,
                "days": days,
                "working_days": working_days,
            },
        )
        audit(by=by, verb=AuditVerb.CHANGED, obj=stage, reason=f"Escalation stage set: {stage}")
    return stage


def stage_remove(*, order: int, by: Actor) -> None:
    with transaction.atomic():
        if not EscalationStage.objects.exists():
            stage_save(
                order=rules.DEFAULT_STAGES[0].order,
                name=rules.DEFAULT_STAGES[0].name,
                holder=rules.DEFAULT_STAGES[0].holder,
                days=rules.DEFAULT_STAGES[0].days,
                working_days=rules.DEFAULT_STAGES[0].working_days,
                by=by,
            )
        if EscalationStage.objects.count() <= 1:
            raise ServiceError("Keep at least one stage")
        stage = EscalationStage.objects.filter(order=order).first()
        if stage is None:
            raise ServiceError("There is no such stage")
        audit(by=by, verb=AuditVerb.DELETED, obj=stage, reason=f"Escalation stage removed: {stage}")
        stage.delete()


# Appeals (Register R:20) ---------------------------------------------------------------------


def _send_answer(document: Document, *, email: str, reference: str) -> str:
    """The written answer, queued in the caller's transaction: by e-mail with the letter as a
    PDF when an e-mail address was given, otherwise printed and posted by the notifications
    service. The subject names no one. Returns how it went, for the audit trail."""
    from convene.conferences.letters.render import PDF, render_pdf

    name = document.to_name
    if email:
        gateway().send_email(
            to=email,
            subject=document.title,
            body=(
                f"Dear {name},\n\n{document.title} is attached as a letter (PDF). If you "
                "would like it in large print, in easy read or in another language, or read "
                "with you, reply to this email or ask your social worker.\n"
            ),
            attachments=[(f"{reference}.pdf", render_pdf(document), PDF)],
            reference=reference,
        )
        return f"sent by email to {email}"
    lines = "\n".join([name, *document.to_address])
    gateway().send_letter(
        address=lines, subject=document.title, body=document.text, reference=reference
    )
    return "sent by post"


APPEAL_ANSWERED = "This appeal has been answered already."
# Who appealed or complained, in a sentence that names no one.
WHO: dict[str, str] = {Appellant.PARENT: "parent or carer", Appellant.CHILD: "child"}


def appeal_record(
    *,
    subject: ConferenceChild,
    appellant: str,
    name: str,
    address: str,
    email: str,
    helped_by: str,
    helper_name: str,
    grounds: str,
    received_on: date | None,
    today: date,
    profile: Profile,
    by: Actor,
) -> Appeal:
    """A parent's or child's appeal against the decision for a child. One made after 5 working
    days is recorded all the same, flagged late; the head of service is told at once and answers
    in writing within 28 days of receiving it."""
    conference = subject.conference
    CONFERENCE.check(ConferenceAction.RECORD_APPEAL, conference.status)
    if not subject.outcome:
        raise ServiceError("An appeal is against a decision: record the decision first")
    assert conference.date is not None
    problems = rules.received_problems(received_on, since=conference.date, today=today)
    if appellant not in Appellant.values:
        problems["appellant"] = "Select who is appealing"
    if not name.strip():
        problems["name"] = "Enter the name of the person appealing"
    if helped_by not in AppealHelp.values:
        problems["helped_by"] = "Select who helped them appeal"
    elif helped_by not in (AppealHelp.NONE, AppealHelp.SOCIAL_WORKER) and not helper_name.strip():
        problems["helper_name"] = "Enter the name of the person who helped"
    if not grounds.strip():
        problems["grounds"] = "Enter why they disagree with the decision"
    if not address.strip() and not email.strip():
        problems["address"] = "Enter a postal address or an email address for the answer"
    if problems:
        raise ServiceError("The appeal is not complete", problems=problems)
    assert received_on is not None
    dates = rules.appeal_dates(profile, conference_date=conference.date, received_on=received_on)
    with transaction.atomic():
        appeal = Appeal.objects.create(
            decision=subject,
            appellant=appellant,
            name=name.strip(),
            address=address.strip(),
            email=email.strip(),
            helped_by=helped_by,
            helper_name=helper_name.strip(),
            grounds=grounds.strip(),
            received_on=received_on,
            in_time_by=dates.in_time_by,
            late=dates.late,
            due=dates.due,
            recorded_by=by.user,
            recorded_on=today,
        )
        late = (
            f" It came after the last day to appeal in time ({dates.in_time_by:%-d %B %Y}): "
            "it is recorded all the same, marked late."
            if dates.late
            else ""
        )
        told = tell(
            policy.holders_of(StageHolder.HEAD_OF_SERVICE, conference),
            subject="An appeal against a conference decision for you to answer",
            body=(
                "Dear {name},\n\n"
                f"A {WHO[appellant]} has appealed against the decision for a child at the "
                f"{conference.get_type_display().lower()} on "
                f"{conference.date:%-d %B %Y}. The appeal was received on "
                f"{received_on:%-d %B %Y}.{late} Please answer in writing by "
                f"{dates.due:%-d %B %Y}.\n\n"
                f"Sign in to Convene and open Appeals and complaints (appeal {appeal.pk}).\n"
            ),
            reference=f"appeal-{appeal.pk}-head-of-service",
        )
        audit(
            by=by,
            verb=AuditVerb.CREATED,
            obj=appeal,
            about=subject.child,
            reason=(
                f"Appeal against the decision received on {received_on:%-d %B %Y} from "
                f"{appeal.name}{', late' if dates.late else ''}; answer due by "
                f"{dates.due:%-d %B %Y}; head of service told: {', '.join(told) or 'nobody'}"
            ),
        )
    return appeal


def appeal_answer(
    *, appeal: Appeal, outcome: str, answer: str, version: int, today: date, by: Actor
) -> Appeal:
    """The head of service's written answer (Register R:20). Once given it is final: the
    answer letter is drawn from it."""
    if appeal.answered_on is not None:
        raise ServiceError(APPEAL_ANSWERED)
    problems = {}
    if outcome not in AppealOutcome.values:
        problems["outcome"] = "Select whether the appeal is upheld"
    if not answer.strip():
        problems["answer"] = "Enter your answer"
    if problems:
        raise ServiceError("The answer is not complete", problems=problems)
    with transaction.atomic():
        versioned_update(
            appeal,
            version=version,
            outcome=outcome,
            answer=answer.strip(),
            answered_on=today,
            answered_by=by.user,
        )
        overdue = " (after the 28 days)" if today > appeal.due else ""
        sent = _send_answer(
            letters.appeal_answer_letter(appeal, branding=authority_branding()),
            email=appeal.email,
            reference=f"appeal-answer-{appeal.pk}",
        )
        audit(
            by=by,
            verb=AuditVerb.CHANGED,
            obj=appeal,
            about=appeal.decision.child,
            reason=f"Appeal answered{overdue}: {AppealOutcome(outcome).label}; the letter {sent}",
        )
    return appeal


# Complaints about a conference (London CP4 §12) ---------------------------------------------

COMPLAINT_DECIDED = "This complaint has been decided already."


def _complaints_manager() -> str:
    from convene.authority.selectors import authority_settings

    return authority_settings().complaints_email


def complaint_record(
    *,
    conference: Conference,
    complainant: str,
    name: str,
    address: str,
    email: str,
    about: str,
    agency: Agency | None,
    received_on: date | None,
    today: date,
    by: Actor,
) -> Complaint:
    """A complaint made to the chair, passed at once to the chair's manager and the complaints
    manager (§12.2); the decision stands meanwhile (§12.3). One about a single agency goes to
    that agency's own complaints process (§12.5) and is closed here as passed on."""
    CONFERENCE.check(ConferenceAction.RECORD_COMPLAINT, conference.status)
    assert conference.date is not None
    problems = rules.received_problems(received_on, since=conference.date, today=today)
    if complainant not in Appellant.values:
        problems["complainant"] = "Select who is complaining"
    if not name.strip():
        problems["name"] = "Enter the name of the person complaining"
    if not about.strip():
        problems["about"] = "Enter what the complaint is about"
    if not address.strip() and not email.strip():
        problems["address"] = "Enter a postal address or an email address for the answer"
    if problems:
        raise ServiceError("The complaint is not complete", problems=problems)
    assert received_on is not None
    referred = agency is not None
    with transaction.atomic():
        complaint = Complaint.objects.create(
            conference=conference,
            complainant=complainant,
            name=name.strip(),
            address=address.strip(),
            email=email.strip(),
            about=about.strip(),
            agency=agency,
            received_on=received_on,
            recorded_by=by.user,
            recorded_on=today,
            outcome=ComplaintOutcome.REFERRED_TO_AGENCY if referred else "",
            explanation=(
                f"This complaint is about {agency.name}. It has been passed to their own "
                "complaints process, which will answer it."
                if agency is not None
                else ""
            ),
            decided_on=today if referred else None,
            decided_by=by.user if referred else None,
        )
        told: list[str] = []
        if not referred:
            body = (
                "Dear {name},\n\n"
                f"A {WHO[complainant]} has complained about the "
                f"{conference.get_type_display().lower()} on {conference.date:%-d %B %Y}. "
                "The decision stands while the complaint is considered (London CP4 §12.3). "
                "The chair's manager decides the outcome: reconvene under a different chair, "
                "bring the review forward, or confirm the decision with an explanation.\n\n"
                f"Sign in to Convene and open Appeals and complaints (complaint "
                f"{complaint.pk}).\n"
            )
            told = tell(
                policy.holders_of(StageHolder.CHAIRS_MANAGER, conference),
                subject="A complaint about a child protection conference",
                body=body,
                reference=f"complaint-{complaint.pk}-chairs-manager",
            )
            manager = _complaints_manager()
            if manager:
                gateway().send_email(
                    to=manager,
                    subject="A complaint about a child protection conference",
                    body=body.format(name="complaints manager"),
                    reference=f"complaint-{complaint.pk}-complaints-manager",
                )
                told.append(f"the complaints manager ({manager})")
        if agency is not None:
            sent = _send_answer(
                letters.complaint_answer_letter(complaint, branding=authority_branding()),
                email=complaint.email,
                reference=f"complaint-answer-{complaint.pk}",
            )
            passed = f"passed to {agency.name}'s own complaints process; the letter {sent}"
        else:
            passed = f"passed to {', '.join(told) or 'nobody'}"
        audit(
            by=by,
            verb=AuditVerb.CREATED,
            obj=complaint,
            about=conference,
            reason=f"Complaint received on {received_on:%-d %B %Y} from {complaint.name}; {passed}",
        )
    return complaint


def complaint_decide(
    *,
    complaint: Complaint,
    outcome: str,
    explanation: str,
    date_chosen: date | None,
    version: int,
    today: date,
    profile: Profile,
    by: Actor,
) -> Complaint:
    """The outcome (§12.4), each doing what it says: reconvening creates a conference to
    arrange, due by `date_chosen`, that its earlier chair may not chair; bringing the review
    forward makes the review of each child's open plan due by `date_chosen`; confirming
    keeps the decision, with the explanation the complainant is sent."""
    from convene.conferences.convening.services import conference_reconvene_after_complaint
    from convene.plans.reviews.services import review_bring_forward

    if complaint.decided_on is not None:
        raise ServiceError(COMPLAINT_DECIDED)
    decidable = (
        ComplaintOutcome.RECONVENE,
        ComplaintOutcome.BRING_REVIEW_FORWARD,
        ComplaintOutcome.CONFIRM,
    )
    problems = {}
    if outcome not in decidable:
        problems["outcome"] = "Select the outcome of the complaint"
    if not explanation.strip():
        problems["explanation"] = "Enter the explanation the person who complained is sent"
    needs_date = outcome in (ComplaintOutcome.RECONVENE, ComplaintOutcome.BRING_REVIEW_FORWARD)
    if needs_date and date_chosen is None:
        problems["date_chosen"] = "Enter the date"
    if problems:
        raise ServiceError("The outcome is not complete", problems=problems)
    conference = complaint.conference
    with transaction.atomic():
        versioned_update(
            complaint,
            version=version,
            outcome=outcome,
            explanation=explanation.strip(),
            decided_on=today,
            decided_by=by.user,
        )
        what = ComplaintOutcome(outcome).label
        if outcome == ComplaintOutcome.RECONVENE:
            assert date_chosen is not None
            reconvened = conference_reconvene_after_complaint(
                complained_of=conference, hold_by=date_chosen, by=by, today=today
            )
            Complaint.objects.filter(pk=complaint.pk).update(reconvened=reconvened)
            complaint.reconvened = reconvened
            what += f", by {date_chosen:%-d %B %Y}"
        elif outcome == ComplaintOutcome.BRING_REVIEW_FORWARD:
            assert date_chosen is not None
            plans = list(
                Plan.objects.filter(
                    child__conferences__conference=conference,
                    child__conferences__is_subject=True,
                    end_date__isnull=True,
                ).select_related("child")
            )
            if not plans:
                raise ServiceError(
                    "No child at this conference has a child protection plan open: there is no "
                    "review to bring forward. Choose another outcome",
                    field="outcome",
                )
            for plan in plans:
                try:
                    review_bring_forward(
                        plan=plan,
                        version=plan.version,
                        reason=BroughtForwardReason.COMPLAINT,
                        details=f"The outcome of a complaint: {explanation.strip()}",
                        due=date_chosen,
                        today=today,
                        profile=profile,
                        by=by,
                    )
                except ServiceError as error:
                    # The plan's own refusal, said of the date on this form.
                    message = error.problems.get("due", error.message)
                    raise ServiceError(message, field="date_chosen") from error
            Complaint.objects.filter(pk=complaint.pk).update(review_due=date_chosen)
            complaint.review_due = date_chosen
            what += f" to {date_chosen:%-d %B %Y}"
        sent = _send_answer(
            letters.complaint_answer_letter(complaint, branding=authority_branding()),
            email=complaint.email,
            reference=f"complaint-answer-{complaint.pk}",
        )
        audit(
            by=by,
            verb=AuditVerb.CHANGED,
            obj=complaint,
            about=conference,
            reason=f"Complaint decided: {what}; the letter {sent}",
        )
    return complaint
