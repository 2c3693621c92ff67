"""The demo's conferences as an administrator finds them: routes, chairs, times and places,
invitations with their answers and needs, reports asked for, and one conference still to
arrange. Called by `convene.people.demo.load_demo` after the families' history."""

from __future__ import annotations

from datetime import date, time

from convene.access.models import User
from convene.conferences.enums import (
    INITIAL_TYPES,
    Attendance,
    ConferenceStatus,
    ConferenceType,
    Delivery,
    InviteeRole,
    MeetingMode,
    ReportKind,
    ReportStatus,
    Response,
    Route,
)
from convene.conferences.invitations.professionals import invitations_add_lead_social_workers
from convene.conferences.models import Assessment, Conference, ConferenceChild, Invitation, Report
from convene.conferences.rules import BEING_ARRANGED
from convene.core.services import Actor
from convene.people.enums import AgencyType
from convene.people.models import Adult, Agency, Involvement, Professional

ROUTE_BY_TYPE = {
    ConferenceType.INITIAL: Route.SECTION_47,
    ConferenceType.PRE_BIRTH: Route.PRE_BIRTH,
    ConferenceType.TRANSFER_IN: Route.TRANSFER_IN,
    ConferenceType.REVIEW: Route.REVIEW,
    ConferenceType.RECONVENED: Route.RECONVENED,
}
VENUE = "Northmoor Civic Centre, Meeting Room 2, Market Square, Northmoor NM1 1AA"


def prepare_demo_conferences(*, today: date, users: dict[str, User]) -> None:
    chairs = [users["morag.ellison"], users["tobias.reed"]]
    for n, conference in enumerate(Conference.objects.order_by("date", "pk")):
        _describe(conference, chair=chairs[n % 2], today=today)
    _to_arrange(users)
    _decided_in_convene(users)
    for conference in Conference.objects.filter(status=ConferenceStatus.SCHEDULED):
        _invite(conference, today=today)
    # The lead social workers, invited as every conference's are when it is started; for
    # those already scheduled, their invitations went out with the others and they are coming.
    by = Actor(users["dana.whitlock"])
    for conference in Conference.objects.filter(status__in=BEING_ARRANGED).order_by("pk"):
        added = invitations_add_lead_social_workers(conference=conference, by=by)
        if conference.status == ConferenceStatus.SCHEDULED:
            Invitation.objects.filter(pk__in=[i.pk for i in added]).update(
                sent_on=today, response=Response.ATTENDING
            )


def _describe(conference: Conference, *, chair: User, today: date) -> None:
    subjects = list(conference.subjects.select_related("child", "enquiry"))
    first = subjects[0]
    conference.route = ROUTE_BY_TYPE[ConferenceType(conference.type)]
    conference.household = first.child.household
    conference.chair = chair
    conference.starts_at, conference.ends_at = time(10, 0), time(12, 0)
    conference.mode = MeetingMode.HYBRID
    conference.venue = VENUE
    conference.virtual_link = f"https://meet.northmoor.example/conference-{conference.pk}"
    if first.enquiry is not None:
        conference.counts_from = first.enquiry.strategy_discussion_date
    elif conference.type == ConferenceType.REVIEW:
        plan = first.child.plans.filter(start_date__lt=conference.date).order_by("-start_date")
        latest = plan.first()
        if latest is not None:
            last_review = latest.reviews.filter(date__lt=conference.date).order_by("-date").first()
            conference.counts_from = last_review.date if last_review else latest.start_date
    if (
        conference.status == ConferenceStatus.SCHEDULED
        and conference.type == ConferenceType.INITIAL
    ):
        # Esther's conference is booked after her 15 working days (London CP4 §1.10).
        conference.delay_reason = "The earliest date the family and the police could attend."
    conference.save()


def _invite(conference: Conference, *, today: date) -> None:
    children = [s.child for s in conference.subjects.all()]
    adults = Adult.objects.filter(
        relationships__child__in=children, relationships__parental_responsibility=True
    ).distinct()
    answers = [Response.ATTENDING, Response.AWAITING]
    for n, adult in enumerate(adults):
        Invitation.objects.create(
            conference=conference,
            role=InviteeRole.PARENT_CARER,
            adult=adult,
            email=adult.email,
            address=adult.household.address if adult.household else "",
            delivery=Delivery.EMAIL if adult.email else Delivery.LETTER,
            sent_on=today,
            response=answers[n % 2],
            interpreter_language="Polish" if adult.last_name == "Kowalska" else "",
        )
    involved = Professional.objects.filter(
        involvements__in=Involvement.objects.filter(child__in=children, ended__isnull=True)
    )
    if conference.type in INITIAL_TYPES:
        # The police are invited to every initial conference (Medway; Cornwall).
        involved = involved | Professional.objects.filter(agency__type=AgencyType.POLICE)
    professionals = involved.select_related("agency").distinct().order_by("name")
    for n, professional in enumerate(professionals):
        Invitation.objects.create(
            conference=conference,
            role=InviteeRole.PROFESSIONAL,
            professional=professional,
            agency=professional.agency,
            email=professional.email,
            sent_on=today,
            response=[Response.ATTENDING, Response.APOLOGIES_WITH_REPORT, Response.AWAITING][n % 3],
        )
        kind = ReportKind.POLICE if professional.agency.type == AgencyType.POLICE else None
        Report.objects.get_or_create(
            conference=conference,
            agency=professional.agency,
            defaults={"kind": kind or ReportKind.AGENCY},
        )
    csc = Agency.objects.filter(type=AgencyType.CHILDRENS_SOCIAL_CARE).first()
    if csc is not None:
        Report.objects.get_or_create(
            conference=conference, agency=csc, defaults={"kind": ReportKind.CHILDRENS_SOCIAL_CARE}
        )


def _to_arrange(users: dict[str, User]) -> None:
    """Zofia's new enquiry: the team manager has decided to convene, and the administrator has
    still to arrange the conference (no date or chair yet)."""
    conference = Conference.objects.get(
        subjects__child__first_name="Zofia", status=ConferenceStatus.SCHEDULED
    )
    conference.status = ConferenceStatus.TO_ARRANGE
    conference.date = conference.starts_at = conference.ends_at = conference.chair = None
    conference.mode = conference.venue = conference.virtual_link = conference.delay_reason = ""
    conference.decided_by = users["lena.marsh"]
    conference.decided_on = conference.counts_from
    conference.save()


def _decided_in_convene(users: dict[str, User]) -> None:
    """The unborn Harlow baby's pre-birth conference, the latest held, as a meeting run in
    Convene leaves it: who came, the four questions, and the chair's decision with its
    reasons and recommendations. Its decision letter and record are still to be written and
    sent, so the work list shows them due (issue 12)."""
    conference = (
        Conference.objects.filter(status=ConferenceStatus.HELD, type=ConferenceType.PRE_BIRTH)
        .order_by("-date")
        .first()
    )
    if conference is None:
        return
    chair = conference.chair or users["morag.ellison"]
    _invite(conference, today=conference.date or date.min)
    conference.invitations.update(attendance=Attendance.PRESENT)
    conference.invitations.filter(role=InviteeRole.PROFESSIONAL).exclude(
        agency__type__in=[AgencyType.CHILDRENS_SOCIAL_CARE, AgencyType.HEALTH, AgencyType.POLICE]
    ).update(attendance=Attendance.APOLOGIES)
    Report.objects.filter(conference=conference).update(
        submitted_on=conference.date, status=ReportStatus.SUBMITTED
    )
    subject = ConferenceChild.objects.get(conference=conference, is_subject=True)
    Assessment.objects.create(
        conference=conference,
        child=subject.child,
        working_well="Kerry goes to every midwife appointment and has a room ready for the baby.",
        worries_harm="Police were called to the home twice this year after arguments.",
        lived_experience="The baby will need calm, safe care day and night.",
        needs_to_happen="Kerry and Dean work with the health visitor and go to a parenting course.",
    )
    ConferenceChild.objects.filter(pk=subject.pk).update(
        decided_on=conference.date,
        decided_by=chair,
        category="NEG",
        reasons="The baby is likely to be harmed by neglect without a plan: the home has not "
        "been calm or safe, and help has only just started.",
        recommendations="Kerry and Dean go to the parenting course.\n"
        "The health visitor visits every two weeks until the birth.",
    )
