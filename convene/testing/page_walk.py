"""The page walk shared by the tests that visit every page: the URL map, the demo world
with a sample for every path parameter, and the personas who visit.

Used by convene/core/tests/test_every_page.py (no server error, deny by default) and
convene/core/tests/test_browser_accessibility.py (axe-core and reflow in Chromium).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.tokens import default_token_generator
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from convene import policy
from convene.access.enums import Role
from convene.access.models import User
from convene.authority.models import ClosureDay, GlossaryTerm
from convene.authority.selectors import authority_procedures
from convene.breakglass import services as breakglass
from convene.breakglass.models import IdentifierKind
from convene.challenge import services as challenge_services
from convene.challenge.models import AppealHelp, AppealOutcome, Appellant, ComplaintOutcome
from convene.conferences.decision import services as decision_services
from convene.conferences.enums import (
    ConferenceStatus,
    ContributionKind,
    ExclusionDecision,
    InviteeRole,
    ParticipantGroup,
    ReportKind,
    ReportStatus,
    Route,
)
from convene.conferences.models import (
    Conference,
    ConferenceChild,
    Contribution,
    ExclusionRequest,
    Invitation,
    RecordingRequest,
    Report,
)
from convene.core.services import Actor
from convene.people.demo import load_demo
from convene.people.enums import AgencyType
from convene.people.models import Agency, Child
from convene.plans.enums import CoreGroupKind, MeetingStatus
from convene.plans.models import (
    Action,
    ChildInNeedPlan,
    ChildInNeedPlanReview,
    CoreGroupMeeting,
    CoreGroupMember,
    Objective,
    Plan,
)
from convene.register import services as register
from convene.register.models import IdentityCheck
from convene.returns.indicators import Indicator, ReportingYear, Side
from convene.testing.factories import UserFactory

TODAY = date(2026, 11, 24)
NOW = "2026-11-24 12:00 +0000"  # noon in Europe/London (GMT in November)
MISSING = 999_999  # an id no record has

# The demo's people, by the part each plays here. The chair chairs conferences 4 and 8 (the
# main ones below); the other chair chairs neither.
DEMO_PERSONAS = {
    "administrator": "dana.whitlock",
    "chair": "tobias.reed",
    "other_chair": "morag.ellison",
    "social_worker": "sam.okafor",
    "team_manager": "lena.marsh",
    "senior_manager": "gareth.holloway",
    "police_officer": "jordan.blake",
    "health_professional": "aisha.rahman",
    "data_officer": "iris.fenwick",
    "system_administrator": "colin.avery",
    "register_manager": "rhona.kettering",
    "enquirer": "felix.moreau",
}
PERSONAS = [*DEMO_PERSONAS, "outsider", "anonymous"]


# The URL map ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    name: str  # "namespace:name"
    route: str  # the whole route, e.g. "conferences/<id:pk>/schedule/"
    params: tuple[str, ...]
    public: bool


def walk(
    patterns: list[URLPattern | URLResolver], prefix: str = "", namespace: str = ""
) -> Iterator[Page]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or ""
            if inner in ("admin", "djdt") or "static" in str(entry.pattern):
                continue
            yield from walk(
                entry.url_patterns,
                prefix + str(entry.pattern),
                f"{namespace}:{inner}".strip(":") if inner else namespace,
            )
            continue
        route = prefix + str(entry.pattern)
        if route.startswith(("static/", "media/", "admin/")):
            continue
        assert entry.name, f"Every page needs a name for this module to find it: {route}"
        params = tuple(entry.pattern.converters)
        yield Page(
            name=f"{namespace}:{entry.name}" if namespace else entry.name,
            route=route,
            params=params,
            public=getattr(entry.callback, "login_required", True) is False,
        )


ROUTES = list(walk(get_resolver().url_patterns))
ROUTE_NAMES = [route.name for route in ROUTES]
assert len(set(ROUTE_NAMES)) == len(ROUTE_NAMES), "URL names must be unique"


def kind_of(route: Page, param: str) -> str:
    """What a path parameter names: from the parameter's own name, else from the path segment
    just before it ("reports/<id:pk>/" names a report)."""
    by_name = {
        "child_pk": "child",
        "invitation_pk": "invitation",
        "meeting_pk": "core_group_meeting",
        "objective_pk": "objective",
        "member_pk": "core_group_member",
        "action_pk": "action",
        "request_pk": "recording_request",
        "section_pk": "record_section",
        "number": "record_version",
        "amendment_pk": "amendment",
        "route": "route",
        "year": "year",
        "indicator": "indicator",
        "side": "side",
        # The link that sets a password: the account's id, encoded, and the token.
        "uidb64": "uidb64",
        "token": "password_token",
    }
    if param in by_name:
        return by_name[param]
    before = route.route.split(f"<id:{param}>")[0].rstrip("/").rsplit("/", 1)[-1]
    by_segment = {
        "conferences": "conference",
        "reports": "report",
        "exclusions": "exclusion",
        "contributions": "contribution",
        "children": "child",
        "closure-days": "closure_day",
        "glossary": "glossary_term",
        "plans": "plan",
        "cin-plans": "cin_plan",
        "enquiries": "register_enquiry",
        "escalations": "escalation",
        "escalation-stages": "escalation_stage",
        "appeals": "appeal",
        "complaints": "complaint",
        "accounts": "account",
        "groups": "sso_group",
        "holds": "legal_hold",
        "emergency-access": "emergency_access",
    }
    return by_segment.get(before, f"unknown ({before}/<{param}>)")


# The world -----------------------------------------------------------------------------


@dataclass
class World:
    users: dict[str, User]
    clients: dict[str, Client]
    # Per kind of parameter, the values to try, the first being the usual one.
    samples: dict[str, list[Any]]
    police_reports: list[Report]
    conference: Conference  # the main one: scheduled, with invitations and reports
    health_report: Report


def _register_enquiries(enquirer: User) -> list[int]:
    """An enquiry answered about Mia (on a plan in the demo) and one not yet searched."""
    by = Actor(user=enquirer)
    who = register.Enquirer(
        name="Priya Example",
        organisation="Northmoor General Hospital",
        role="Nurse in charge",
        contact_number="01632 960 555",
        reason="Invented reason",
        identity_check=IdentityCheck.CALLED_BACK,
    )
    now = timezone.now()
    mia = Child.objects.get(first_name="Mia")
    assert mia.date_of_birth is not None
    answered = register.enquiry_start(enquirer=who, at=now, by=by)
    register.enquiry_search(
        enquiry=answered,
        first_name=mia.first_name,
        last_name=mia.last_name,
        date_of_birth=mia.date_of_birth,
        now=now,
        by=by,
    )
    waiting = register.enquiry_start(enquirer=who, at=now, by=by)
    return [answered.pk, waiting.pk]


def _emergency_accesses(health: User) -> list[int]:
    """The health visitor's emergency access to the first child she may not see, and a request
    that matched no child."""
    seen = policy.visible_children(health, today=TODAY).values("pk")
    child = Child.objects.exclude(pk__in=seen).order_by("pk").first()
    assert child is not None
    made = [
        breakglass.emergency_access_request(
            request=breakglass.Request(
                IdentifierKind.LA_CHILD_ID, identifier, "Invented reason, long enough to accept"
            ),
            now=timezone.now(),
            today=TODAY,
            by=Actor(user=health),
        )
        for identifier in (child.la_child_id, "NM-NOBODY")
    ]
    return [access.pk for access in made]


def _escalation() -> int:
    """An agency's dissent from a decision the demo recorded in Convene, at its first stage."""
    subject = (
        ConferenceChild.objects.filter(decided_on__isnull=False, conference__chair__isnull=False)
        .select_related("conference__chair")
        .order_by("pk")
        .first()
    )
    assert subject is not None and subject.conference.chair is not None
    dissent = decision_services.dissent_add(
        subject=subject,
        group=ParticipantGroup.POLICE,
        agency=Agency.objects.filter(type=AgencyType.POLICE).first(),
        name="DC Invented Example",
        reasons="Invented reasons",
        by=Actor(user=subject.conference.chair),
        today=subject.decided_on or TODAY,
    )
    return dissent.escalation.pk


def _appeal_and_complaint() -> dict[str, list[Any]]:
    """A parent's appeal, answered, and one waiting; a complaint waiting and one decided."""
    subject = (
        ConferenceChild.objects.filter(decided_on__isnull=False, conference__chair__isnull=False)
        .select_related("conference__chair", "child")
        .order_by("pk")
        .first()
    )
    assert subject is not None and subject.conference.chair is not None
    conference, chair = subject.conference, subject.conference.chair
    assert conference.date is not None
    by, profile = Actor(user=chair), authority_procedures()
    appeals = [
        challenge_services.appeal_record(
            subject=subject,
            appellant=Appellant.PARENT,
            name="Invented Parent",
            address="1 Invented Road",
            email="",
            helped_by=AppealHelp.SOCIAL_WORKER,
            helper_name="",
            grounds="Invented grounds",
            received_on=conference.date,
            today=TODAY,
            profile=profile,
            by=by,
        )
        for _ in range(2)
    ]
    head = User.objects.filter(role_grants__role=Role.SENIOR_MANAGER).first()
    assert head is not None
    challenge_services.appeal_answer(
        appeal=appeals[0],
        outcome=AppealOutcome.NOT_UPHELD,
        answer="Invented answer",
        version=appeals[0].version,
        today=TODAY,
        by=Actor(user=head),
    )
    complaints = [
        challenge_services.complaint_record(
            conference=conference,
            complainant=Appellant.PARENT,
            name="Invented Parent",
            address="",
            email="parent@example.com",
            about="Invented complaint",
            agency=None,
            received_on=conference.date,
            today=TODAY,
            by=by,
        )
        for _ in range(2)
    ]
    challenge_services.complaint_decide(
        complaint=complaints[0],
        outcome=ComplaintOutcome.CONFIRM,
        explanation="Invented explanation",
        date_chosen=None,
        version=complaints[0].version,
        today=TODAY,
        profile=profile,
        by=Actor(user=head),
    )
    return {
        "appeal": [a.pk for a in appeals] + [MISSING],
        "complaint": [c.pk for c in complaints] + [MISSING],
    }


def _sso_group_and_hold(system_administrator: User) -> tuple[int, int]:
    """A single sign-on group and a legal hold on a child, for the system administrator's
    pages."""
    from django.utils import timezone

    from convene.access.enums import Role
    from convene.access.models import SsoGroupMapping
    from convene.retention.models import LegalHold

    group = SsoGroupMapping.objects.create(
        group="cp-chairs", role=Role.CONFERENCE_CHAIR, agency=system_administrator.agency
    )
    hold = LegalHold.objects.create(
        child=Child.objects.order_by("pk")[0],
        reason="Care proceedings",
        placed_by=system_administrator,
        placed_at=timezone.now(),
    )
    return group.pk, hold.pk


def build_world() -> World:
    load_demo(today=TODAY)
    users = {
        persona: User.objects.get(email__startswith=f"{local}@")
        for persona, local in DEMO_PERSONAS.items()
    }
    users["outsider"] = UserFactory.create(first_name="Out", last_name="Sider")
    chair, administrator = users["chair"], users["administrator"]
    police, health = users["police_officer"], users["health_professional"]

    # Conference 8 (Mia and Leo, chaired by Tobias Reed): the main conference. Conference 4
    # (Esther, also Tobias Reed's) is moved to today, so its register and quorum are open.
    main = Conference.objects.get(
        status=ConferenceStatus.SCHEDULED, subjects__child__first_name="Mia"
    )
    today_s = Conference.objects.get(
        status=ConferenceStatus.SCHEDULED, subjects__child__first_name="Esther"
    )
    today_s.date = TODAY
    today_s.save()
    to_arrange = Conference.objects.get(status=ConferenceStatus.TO_ARRANGE)
    held = Conference.objects.filter(status=ConferenceStatus.HELD).order_by("-date").first()
    assert held is not None and main.chair == chair == today_s.chair

    # Reports in each state: the police's submitted (the chair may summarise it), probation's
    # submitted (it may be shared), the school's shared (comments may be recorded), health's
    # and children's social care's still requested (they may be written and signed).
    reports = {r.agency.type: r for r in main.reports.select_related("agency")}
    police_report = reports["police"]
    _submit(police_report, police)
    _submit(reports["probation"], None)
    _submit(reports["education"], None, shared=True)

    other_police = Report.objects.get(conference=today_s, kind=ReportKind.POLICE)
    # The conference's own invitations, an observer's among them, and one from elsewhere.
    parent = main.invitations.filter(role=InviteeRole.PARENT_CARER).order_by("pk")
    professional = main.invitations.filter(role=InviteeRole.PROFESSIONAL).order_by("pk").first()
    observer = Invitation.objects.create(
        conference=main, role=InviteeRole.OBSERVER, name="Olu Observer", email="o@x.example"
    )
    elsewhere = today_s.invitations.order_by("pk").first()
    recording = RecordingRequest.objects.create(conference=main, requested_by="Kerry Harlow")
    name = default_storage.save("contributions/2026/11/words.txt", ContentFile(b"Our words"))
    contribution = Contribution.objects.create(
        conference=main,
        kind=ContributionKind.STATEMENT,
        from_whom="Their mother",
        file=name,
        content_type="text/plain",
        uploaded_by=administrator,
    )
    pending = ExclusionRequest.objects.create(
        conference=main,
        invitation=parent[0],
        requested_by=health,
        requested_on=TODAY,
        grounds="Invented grounds",
        evidence="Invented evidence",
    )
    excluded = ExclusionRequest.objects.create(
        conference=main,
        invitation=parent[1],
        requested_by=police,
        requested_on=TODAY,
        grounds="Invented grounds",
        evidence="Invented evidence",
        decision=ExclusionDecision.WHOLE,
        reasons="Invented reasons",
        decided_on=TODAY,
    )
    closure = ClosureDay.objects.order_by("day").first()
    sso_group, hold = _sso_group_and_hold(users["system_administrator"])
    assert closure is not None
    enquiries = _register_enquiries(users["enquirer"])
    escalation = _escalation()
    challenges = _appeal_and_complaint()
    emergency = _emergency_accesses(users["health_professional"])

    # The glossary's terms come from a data migration, which a browser test's flush of the
    # database (a transactional test before this one) empties: make one if there is none.
    glossary = GlossaryTerm.objects.order_by("pk").first() or GlossaryTerm.objects.create(
        term="ICPC", meaning="the first child protection conference"
    )
    mia = Child.objects.get(first_name="Mia")
    plans = _plan_samples(mia)
    states = _plans_and_what_follows()
    plans["plan"] = [*plans["plan"], *(pk for pk in states["plan"] if pk not in plans["plan"])]
    plans["cin_plan"] = states["cin_plan"]
    record = _record_samples(held, chair, administrator)
    year = ReportingYear.containing(TODAY)
    samples: dict[str, list[Any]] = {
        "conference": [main.pk, today_s.pk, to_arrange.pk, held.pk, MISSING],
        "report": [
            police_report.pk,
            reports["health"].pk,
            reports["csc"].pk,
            reports["probation"].pk,
            reports["education"].pk,
            other_police.pk,
            MISSING,
        ],
        "child": [
            mia.pk,
            Child.objects.get(first_name="Esther").pk,
            Child.objects.get(first_name="Zofia").pk,
            Child.objects.get(first_name="Arjun").pk,
            MISSING,
        ],
        "invitation": [
            parent[0].pk,
            professional.pk if professional else MISSING,
            observer.pk,
            elsewhere.pk if elsewhere else MISSING,
            MISSING,
        ],
        "recording_request": [recording.pk, MISSING],
        "contribution": [contribution.pk, MISSING],
        "exclusion": [pending.pk, excluded.pk, MISSING],
        "closure_day": [closure.pk, MISSING],
        "sso_group": [sso_group, MISSING],
        "legal_hold": [hold, MISSING],
        "register_enquiry": [*enquiries, MISSING],
        "emergency_access": [*emergency, MISSING],
        "escalation": [escalation, MISSING],
        "escalation_stage": [1, 2, MISSING],
        "glossary_term": [glossary.pk, MISSING],
        "plan": [*plans["plan"], MISSING],
        "cin_plan": [*plans["cin_plan"], MISSING],
        "route": [Route.REVIEW.value, *(r.value for r in Route if r != Route.REVIEW), "nope"],
        "year": [year.label, year.previous.label, "2099-00", "abc"],
        "indicator": [Indicator.ICPC_WITHIN_15_WORKING_DAYS.slug]
        + [i.slug for i in Indicator if i != Indicator.ICPC_WITHIN_15_WORKING_DAYS]
        + ["abc"],
        "side": [Side.NUMERATOR.value, Side.DENOMINATOR.value, "abc"],
        # Someone else's account, the system administrator's own, none.
        "account": [users["social_worker"].pk, users["system_administrator"].pk, MISSING],
        "uidb64": [
            urlsafe_base64_encode(force_bytes(users["social_worker"].pk)),
            urlsafe_base64_encode(force_bytes(MISSING)),
            "abc",
        ],
        "password_token": [default_token_generator.make_token(users["social_worker"]), "abc-def"],
        **record,
        **plans,
        **challenges,
    }
    clients = {persona: signed_in_client(user) for persona, user in users.items()}
    clients["anonymous"] = Client()
    return World(
        users=users,
        clients=clients,
        samples=samples,
        police_reports=[police_report, other_police],
        conference=main,
        health_report=reports["health"],
    )


def _record_samples(held: Conference, chair: User, administrator: User) -> dict[str, list[Any]]:
    """The latest held conference (decided in Convene in the demo) with a signed decision
    letter sent, a record whose first version is signed and sent and whose second is a draft
    correction, and a request to amend it."""
    from convene.authority.selectors import authority_procedures
    from convene.conferences.letters import services as letters
    from convene.conferences.record import services as records
    from convene.core.services import Actor

    profile = authority_procedures()
    assert held.chair is not None
    by_chair, by_admin = Actor(held.chair), Actor(administrator)
    letters.letter_sign(conference=held, version=1, profile=profile, by=by_chair, today=TODAY)
    invitations = list(held.invitations.all())
    letters.letter_send(
        conference=held,
        invitations=invitations,
        by=by_admin,
        today=TODAY,
    )
    record = records.record_start(conference=held, by=by_chair, today=TODAY)
    first = record.versions.get()
    records.record_sign(record_version=first, version=first.version, by=by_chair, today=TODAY)
    (copy,) = records.record_send(
        record_version=first,
        invitations=invitations[:1],
        by=by_admin,
        today=TODAY,
    )
    amendment = records.amendment_add(
        record=record,
        copy=copy,
        request="Invented request",
        received_on=TODAY,
        profile=profile,
        by=by_admin,
        today=TODAY,
    )
    record.refresh_from_db()
    second = records.record_correct(
        record=record, reason="Invented correction", version=record.version, by=by_chair
    )
    return {
        "record_section": [
            second.sections.order_by("order").first().pk,  # type: ignore[union-attr]
            first.sections.order_by("order").first().pk,  # type: ignore[union-attr]
            MISSING,
        ],
        "record_version": [1, 2, MISSING],
        "amendment": [amendment.pk, MISSING],
    }


def _plans_and_what_follows() -> dict[str, list[int]]:
    """Plans in each state (Mia's open plan, the unborn Harlow baby's after the pre-birth
    conference, Joshua's ended at a review, the plan Callum had in another authority) and child
    in need plans, which the demo lacks: one following Joshua's plan, with a review; one decided
    for Esther at a conference, ended."""
    joshua = Plan.objects.get(child__first_name="Joshua")
    assert joshua.end_date is not None
    follows = ChildInNeedPlan.objects.create(
        child=joshua.child, start_date=joshua.end_date, follows=joshua
    )
    ChildInNeedPlanReview.objects.create(cin_plan=follows, date=joshua.end_date)
    esther = Child.objects.get(first_name="Esther")
    decided = ChildInNeedPlan.objects.create(
        child=esther,
        start_date=date(2026, 1, 5),
        end_date=date(2026, 6, 1),
        decided_at=esther.conferences.filter(outcome="cin_plan").first(),
    )
    return {
        "plan": [
            Plan.objects.get(child__first_name="Mia", end_date__isnull=True).pk,
            Plan.objects.get(child__date_of_birth__isnull=True).pk,
            joshua.pk,
            Plan.objects.get(child__first_name="Callum", other_authority=True).pk,
        ],
        "cin_plan": [follows.pk, decided.pk],
    }


def _plan_samples(mia: Child) -> dict[str, list[Any]]:
    """Mia's open plan (her social worker's) with what the demo lacks: objectives, a core
    group, actions and a meeting to come beside the held one; then her ended plan, another
    authority's plan, and a meeting, objective, member and action of another plan."""
    plan = Plan.objects.get(child=mia, end_date__isnull=True)
    ended = Plan.objects.filter(child=mia, end_date__isnull=False).first()
    elsewhere = Plan.objects.filter(other_authority=True).first()
    other = Plan.objects.exclude(child=mia).filter(end_date__isnull=True).first()
    assert ended is not None and elsewhere is not None and other is not None
    mother = CoreGroupMember.objects.create(
        plan=plan, kind=CoreGroupKind.PARENT_CARER, name="Kerry Harlow", role="Mother"
    )
    other_member = CoreGroupMember.objects.create(
        plan=other, kind=CoreGroupKind.PARENT_CARER, name="Someone Else", role="Carer"
    )
    objective = Objective.objects.create(plan=plan, text="Mia feels safe at home")
    other_objective = Objective.objects.create(plan=other, text="Another child's objective")
    action = Action.objects.create(
        plan=plan, objective=objective, text="Invented action", owner=mother, due=TODAY
    )
    other_action = Action.objects.create(
        plan=other, text="Another child's action", owner=other_member, due=TODAY
    )
    held = plan.core_group_meetings.order_by("date").last()
    other_held = other.core_group_meetings.order_by("date").last()
    assert held is not None and other_held is not None
    to_come = CoreGroupMeeting.objects.create(
        plan=plan, date=TODAY, status=MeetingStatus.SCHEDULED, venue="Family Centre"
    )
    return {
        "plan": [plan.pk, ended.pk, elsewhere.pk, other.pk, MISSING],
        "core_group_meeting": [
            to_come.pk,
            held.pk,
            other_held.pk,
            MISSING,
        ],
        "objective": [objective.pk, other_objective.pk, MISSING],
        "core_group_member": [mother.pk, other_member.pk, MISSING],
        "action": [action.pk, other_action.pk, MISSING],
    }


def _submit(report: Report, author: User | None, *, shared: bool = False) -> None:
    report.status = ReportStatus.SHARED if shared else ReportStatus.SUBMITTED
    report.author = author
    report.facts = report.opinions = report.recommendation = "Invented"
    report.signed_by = "An Author"
    report.submitted_on = TODAY
    report.shared_on = TODAY if shared else None
    report.save()


def is_test_database() -> bool:
    name = str(connection.settings_dict["NAME"])
    in_memory = connection.vendor == "sqlite" and getattr(connection, "is_in_memory_db", bool)()
    return in_memory or name.startswith("test_")


def signed_in_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def kwarg_sets(route: Page, world: World) -> list[dict[str, Any]]:
    """The usual value of every parameter, then each other value of one parameter at a time."""
    if not route.params:
        return [{}]
    values = {p: world.samples[kind_of(route, p)] for p in route.params}
    base = {p: v[0] for p, v in values.items()}
    sets = [base]
    for param, options in values.items():
        sets.extend({**base, param: option} for option in options[1:])
    return sets


def is_missing(kwargs: dict[str, Any]) -> bool:
    return any(value == MISSING for value in kwargs.values())
