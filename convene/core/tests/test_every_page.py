"""Every page, for every kind of person, with good, empty and junk requests.

The product's ground rules, checked across the whole URL map rather than page by page:

* nothing ever answers with a 500: every request ends in 200, 302, 400, 404 or 405, and no
  exception escapes a view;
* access is deny-by-default and reveals nothing: signed-out visitors are sent to sign in, a
  signed-in person with no role finds no record-level page, nobody finds a record that does
  not exist, and a police report is hidden from everyone but the chair and the police.

One demo world (``load_demo``, plus the states the demo lacks: submitted and shared reports,
an observer, a request to record, a contribution, requests to exclude) is built once for this
module, inside a transaction rolled back when the module ends. Each request runs in its own
savepoint, rolled back afterwards, so every request sees the same world whatever the requests
before it did.

A new URL pattern is picked up automatically; if its path parameter is one this module cannot
fill with a real id, ``test_every_url_parameter_has_samples`` says so.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, time
from html.parser import HTMLParser
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
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
HUGE = "99999999999999999999"  # wider than any database integer column
LONG = "abc " * 2500  # 10,000 characters, longer than any field allows

# Marked so that pytest-django creates the test database even when only this module runs.
pytestmark = pytest.mark.django_db

# 204: the timeout warning's "stay signed in" answers with no content.
ALLOWED = {200, 204, 302, 400, 404, 405}
PUBLIC = {
    "core:accessibility",
    "access:sign-in",
    "access:signed-out",
    # A forgotten password: asking for a link, and the page the link opens.
    "access:password-reset",
    "access:password-reset-sent",
    "access:password-reset-confirm",
    # Single sign-on: off to the council's identity provider and back (404 when not set up).
    "access:sso-start",
    "access:sso-callback",
    "access:sso-refused",
    # Health checks, and GOV.UK Notify's delivery receipts (a bearer token, not a sign-in).
    "notifications:healthz",
    "notifications:readyz",
    "notifications:callback",
}
# Pages a signed-in person with no role may use; every other page is a 404 (or a 405 for a
# method the page never accepts) for them.
FOR_EVERYONE_SIGNED_IN = {
    "core:home",
    "core:keep-alive",
    "access:account",
    "access:password-change",
    # Their own authenticator app: setting it up, and the code after the password.
    "access:mfa-setup",
    "access:mfa-verify",
    "access:sign-out",
    "access:sign-out-everywhere",
    "authority:timescales",
    "people:child-list",
    # Only what is their own: the conferences they are invited to and the reports they owe.
    "conferences:yours",
}

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

# Pages inside convene/conferences/views/ that currently fail this module, left for whoever
# works on those views. Remove an entry once its page is fixed: the xfail is strict, so the
# suite fails as soon as the page passes. Note that an entry hides any other failure of the
# same page until it is removed.
KNOWN_FAILURES: dict[str, str] = {}


# The URL map ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    name: str  # "namespace:name"
    route: str  # the whole route, e.g. "conferences/<id:pk>/schedule/"
    params: tuple[str, ...]
    public: bool


def _walk(
    patterns: list[URLPattern | URLResolver], prefix: str = "", namespace: str = ""
) -> Iterator[Page]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or ""
            if inner in ("admin", "djdt") or "static" in str(entry.pattern):
                continue
            yield from _walk(
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


ROUTES = list(_walk(get_resolver().url_patterns))
ROUTE_NAMES = [route.name for route in ROUTES]
assert len(set(ROUTE_NAMES)) == len(ROUTE_NAMES), "URL names must be unique"


def _kind_of(route: Page, param: str) -> str:
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


def _build_world() -> World:
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
        "glossary_term": [GlossaryTerm.objects.order_by("pk").first().pk, MISSING],  # type: ignore[union-attr]
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
    clients = {persona: _signed_in(user) for persona, user in users.items()}
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


def _is_test_database() -> bool:
    name = str(connection.settings_dict["NAME"])
    in_memory = connection.vendor == "sqlite" and getattr(connection, "is_in_memory_db", bool)()
    return in_memory or name.startswith("test_")


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    with django_db_blocker.unblock(), time_machine.travel(NOW, tick=False):
        assert _is_test_database(), "The world must be built in a test database"
        with transaction.atomic():
            yield _build_world()
            transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def signed_in_afresh(world: World) -> None:
    """Each test runs in a savepoint, so a session started in an earlier test (after a
    sign-out page ended one) is gone: sign everyone in again."""
    for persona, user in world.users.items():
        world.clients[persona].force_login(user)


# Requests ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    status: int | None
    error: str = ""
    location: str = ""
    body: str = ""
    # A problem in a page visited after the request, in the same savepoint: the page it
    # redirected to, or one of the WATCHED pages after it saved something.
    later: str = ""


# Pages that summarise many records, visited after a junk request saved something, to find
# pages broken by what it saved: (persona, URL name).
WATCHED = [
    ("administrator", "core:home"),
    ("administrator", "conferences:list"),
    ("administrator", "returns:work-list"),
    ("chair", "core:home"),
    ("team_manager", "core:home"),
    ("senior_manager", "returns:performance"),
    ("system_administrator", "authority:timescales"),
]


def _ask(
    world: World,
    persona: str,
    method: str,
    url: str,
    data: dict[str, Any],
    *,
    follow: bool = False,
    watch: bool = False,
) -> Outcome:
    """One request, in a savepoint rolled back afterwards. An exception is an outcome too.
    With follow, when the request redirects, the page it redirects to (and with watch, the
    WATCHED pages) are visited in the same savepoint, so a page broken by what the request
    saved is found."""
    client = world.clients[persona]
    step = ""
    try:
        with transaction.atomic():
            if method == "GET":
                outcome = _outcome(client.get(url))
            else:
                outcome = _outcome(client.post(url, data))
            if follow and outcome.status == 302:
                visits = [(persona, outcome.location)]
                visits += [(who, reverse(name)) for who, name in WATCHED if watch]
                for who, page in visits:
                    step = f"then GET {page} as {who}"
                    status = world.clients[who].get(page).status_code
                    if status not in ALLOWED:
                        outcome = replace(outcome, later=f"{step}: status {status}")
                        break
            transaction.set_rollback(True)
    except Exception as error:  # noqa: BLE001 (any exception escaping a view is the finding)
        frames = traceback.extract_tb(error.__traceback__)
        ours = [f for f in frames if "/convene/" in f.filename and "/tests/" not in f.filename]
        where = ours[-1] if ours else frames[-1]
        short = where.filename.split("/convene/")[-1]
        found = f"{type(error).__name__}: {error} (at {short}:{where.lineno})"
        return Outcome(None, f"{step}: {found}" if step else found)
    finally:
        for who in {persona, *(who for who, _ in WATCHED)}:
            _sign_in_again_if_signed_out(world, who)
    return outcome


def _outcome(response: Any) -> Outcome:
    """The parts of a test client's response the checks look at."""
    body = ""
    if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
        body = response.content.decode()
    return Outcome(response.status_code, location=response.get("Location", ""), body=body)


def _sign_in_again_if_signed_out(world: World, persona: str) -> None:
    client = world.clients[persona]
    cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
    if persona != "anonymous" and (cookie is None or not cookie.value):
        client.force_login(world.users[persona])


def _kwarg_sets(route: Page, world: World) -> list[dict[str, Any]]:
    """The usual value of every parameter, then each other value of one parameter at a time."""
    if not route.params:
        return [{}]
    values = {p: world.samples[_kind_of(route, p)] for p in route.params}
    base = {p: v[0] for p, v in values.items()}
    sets = [base]
    for param, options in values.items():
        sets.extend({**base, param: option} for option in options[1:])
    return sets


def _is_missing(kwargs: dict[str, Any]) -> bool:
    return any(value == MISSING for value in kwargs.values())


# Forms on the pages, for the junk ---------------------------------------------------------


@dataclass
class Field:
    kind: str  # "text", "hidden", "choice", "multi", "file", "button"
    values: list[str] = field(default_factory=list)


class _FormReader(HTMLParser):
    """The fields of the POST forms on a page."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, Field] = {}
        self._in_post_form = False
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._in_post_form = a.get("method", "").lower() == "post"
            return
        name = a.get("name", "")
        if not self._in_post_form:
            return
        if tag == "option" and self._select:
            if a.get("value"):
                self.fields[self._select].values.append(a["value"])
            return
        if not name or name == "csrfmiddlewaretoken":
            return
        if tag == "select":
            self._select = name
            self.fields.setdefault(name, Field("choice"))
        elif tag == "textarea":
            self.fields.setdefault(name, Field("text"))
        elif tag == "button":
            self.fields.setdefault(name, Field("button", [a.get("value", "")]))
        elif tag == "input":
            kind = a.get("type", "text").lower()
            value = a.get("value", "")
            if kind in ("radio", "checkbox"):
                multi = "multi" if kind == "checkbox" else "choice"
                self.fields.setdefault(name, Field(multi)).values.append(value or "on")
            elif kind == "hidden":
                self.fields.setdefault(name, Field("hidden", [value]))
            elif kind == "file":
                self.fields.setdefault(name, Field("file"))
            elif kind == "submit":
                self.fields.setdefault(name, Field("button", [value]))
            else:
                self.fields.setdefault(name, Field("text", [value] if value else []))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_post_form = False
        elif tag == "select":
            self._select = None


def _read_fields(body: str) -> dict[str, Field]:
    reader = _FormReader()
    reader.feed(body)
    return reader.fields


def _junk_file() -> SimpleUploadedFile:
    return SimpleUploadedFile("junk.exe", b"MZ\x90\x00not really a program", "application/x-junk")


def _strings(fields: dict[str, Field]) -> dict[str, Any]:
    """A string in every field: "abc" for dates, times, numbers, choices, files and versions."""
    return {name: "abc" for name in fields} | {"version": "abc"}


def _wrong(fields: dict[str, Field]) -> dict[str, Any]:
    """Real choices, with 31 February for every date, very long text, a junk file and a
    version that is not a number."""
    data: dict[str, Any] = {}
    for name, f in fields.items():
        if name.endswith(("_day", "_month", "_year")):
            data[name] = {"_day": "31", "_month": "2", "_year": "2026"}[name[name.rfind("_") :]]
        elif f.kind == "file":
            data[name] = _junk_file()
        elif f.kind == "multi":
            data[name] = f.values
        elif f.kind in ("choice", "hidden", "button"):
            data[name] = f.values[0] if f.values else ""
        else:
            data[name] = LONG
    return data | {"version": "abc"}


def _plausible(fields: dict[str, Field], *, year: str = "2026") -> dict[str, Any]:
    """What the page shows, filled in sensibly where empty, so the form is likely valid."""
    data: dict[str, Any] = {}
    for name, f in fields.items():
        part = name[name.rfind("_") :]
        if part in ("_day", "_month", "_year"):
            data[name] = (f.values[0] if f.values else "") or {
                "_day": "24",
                "_month": "11",
                "_year": "2026",
            }[part]
        elif f.kind == "file":
            data[name] = SimpleUploadedFile("words.txt", b"Our words", "text/plain")
        elif f.kind == "multi":
            data[name] = f.values[:1]
        elif f.kind == "button":
            continue
        elif f.values:
            data[name] = f.values[0]
        else:
            data[name] = _plausible_text(name)
    if year != "2026":
        data |= {name: year for name in data if name.endswith("_year")}
    return data


def _plausible_text(name: str) -> str:
    if "email" in name:
        return "someone@example.org"
    if name.startswith(("starts", "arrived")):
        return "10:00"
    if name.startswith(("ends", "left")):
        return "12:00"
    if "link" in name or "url" in name:
        return "https://meet.example.org/x"
    if "population" in name:
        return "48000"
    return "abc"


def _has_dates(fields: dict[str, Field]) -> bool:
    return any(name.endswith("_year") for name in fields)


# Junk built from the form a person sees: a label, when it applies, and the data.
JUNK: list[tuple[str, Callable[[dict[str, Field]], bool], Callable[..., dict[str, Any]]]] = [
    ("31 February, overlong text, a junk file", bool, _wrong),
    ("plausible", bool, _plausible),
    (
        "plausible, version beyond any integer",
        lambda f: "version" in f,
        lambda f: _plausible(f) | {"version": HUGE},
    ),
    ("plausible, year 9999", _has_dates, lambda f: _plausible(f, year="9999")),
    ("plausible, year 0001", _has_dates, lambda f: _plausible(f, year="0001")),
]
# Query strings for the pages that read them (search, filters, pages of a list).
JUNK_QUERIES = [
    f"?page=abc&q={LONG[:3000]}&team=abc&kind=abc&overdue=abc",
    f"?page={HUGE}&q=%25_&team=&kind=&overdue=1",
]


# The checks ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Failure:
    url_name: str
    url: str
    persona: str
    method: str
    data: str
    outcome: str

    def __str__(self) -> str:
        return (
            f"{self.url_name} {self.method} {self.url} as {self.persona}"
            f"{f' with {self.data}' if self.data else ''}: {self.outcome}"
        )


def _report(failures: list[Failure], what: str) -> str:
    lines = [f"{len(failures)} {what}:"]
    lines.extend(f"  {failure}" for failure in failures[:200])
    if len(failures) > 200:
        lines.append(f"  … and {len(failures) - 200} more")
    return "\n".join(lines)


def _problem(outcome: Outcome, *, missing: bool, persona: str) -> str:
    if outcome.status is None:
        return outcome.error
    if outcome.status not in ALLOWED:
        return f"status {outcome.status}"
    if outcome.later:
        return outcome.later
    if persona != "anonymous" and outcome.location.startswith(reverse("access:sign-in")):
        return "a signed-in person was sent to sign in"
    if missing and persona != "anonymous" and outcome.status not in (404, 405):
        return f"status {outcome.status} for a record that does not exist"
    return ""


def _marked(name: str) -> Any:
    if name in KNOWN_FAILURES:
        return pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=KNOWN_FAILURES[name]))
    return name


ROUTE_BY_NAME = {route.name: route for route in ROUTES}


def test_every_url_parameter_has_samples(world: World) -> None:
    unknown = [
        f"{route.name}: {param} ({_kind_of(route, param)})"
        for route in ROUTES
        for param in route.params
        if _kind_of(route, param) not in world.samples
    ]
    assert not unknown, "No sample ids for these path parameters:\n" + "\n".join(unknown)


@pytest.mark.parametrize("url_name", [_marked(name) for name in ROUTE_NAMES])
def test_every_page_answers_everyone_without_a_server_error(world: World, url_name: str) -> None:
    """GET, an empty POST and a POST of junk strings, for every persona and every sample id;
    for the personas who can open a page, junk query strings and more junk POSTs built from
    the form they see: wrong dates, overlong text and junk files, plausible answers, and
    plausible answers with an impossible version or a year of 9999 or 1."""
    route = ROUTE_BY_NAME[url_name]
    failures: list[Failure] = []
    opened: list[tuple[str, str, bool]] = []
    refused: dict[tuple[str, str], int | None] = {}
    fields: dict[str, Field] = {}  # every field seen on this page, for anyone
    page_fields: dict[tuple[str, str], dict[str, Field]] = {}  # what each person saw

    def check(persona: str, method: str, url: str, missing: bool, label: str, data: Any) -> None:
        follow = method == "POST" and persona != "anonymous" and label != "no data"
        watch = "year" in label or "February" in label
        outcome = _ask(world, persona, method, url, data, follow=follow, watch=watch)
        problem = _problem(outcome, missing=missing, persona=persona)
        if problem:
            failures.append(Failure(url_name, url, persona, method, label, problem))
        if method == "POST" and label == "no data":
            refused[persona, url] = outcome.status
        if method == "GET" and outcome.status == 200 and "?" not in url:
            opened.append((persona, url, missing))
            page_fields[persona, url] = _read_fields(outcome.body)
            for name, f in page_fields[persona, url].items():
                fields.setdefault(name, f)

    urls = [
        (reverse(url_name, kwargs=kwargs), _is_missing(kwargs))
        for kwargs in _kwarg_sets(route, world)
    ]
    for url, missing in urls:
        for persona in PERSONAS:
            check(persona, "GET", url, missing, "", {})
    for url, missing in urls:
        for persona in PERSONAS:
            check(persona, "POST", url, missing, "no data", {})
            check(persona, "POST", url, missing, "strings", _strings(fields))
    # The junk that gets past the first checks, for those who can open the page.
    for persona, url, missing in opened:
        if url == urls[0][0]:
            for query in JUNK_QUERIES:
                check(persona, "GET", url + query, missing, "", {})
        if refused.get((persona, url)) == 405:
            continue  # the page takes no POST
        seen = page_fields[persona, url]
        for label, applies, junk in JUNK:
            if applies(seen):
                check(persona, "POST", url, missing, label, junk(seen))
    assert not failures, _report(failures, "requests failed")


def test_the_public_pages_are_the_ones_meant_to_be() -> None:
    assert {route.name for route in ROUTES if route.public} == PUBLIC


def test_signed_out_visitors_are_sent_to_sign_in_from_every_other_page(world: World) -> None:
    sign_in = reverse("access:sign-in")
    failures = []
    for route in ROUTES:
        if route.public:
            continue
        for kwargs in _kwarg_sets(route, world):
            url = reverse(route.name, kwargs=kwargs)
            for method in ("GET", "POST"):
                outcome = _ask(world, "anonymous", method, url, {})
                if outcome.status != 302 or not outcome.location.startswith(f"{sign_in}?next="):
                    shown = outcome.error or f"{outcome.status} {outcome.location}"
                    failures.append(Failure(route.name, url, "anonymous", method, "", shown))
    assert not failures, _report(failures, "pages did not send a signed-out visitor to sign in")


def test_someone_with_no_role_finds_no_page_beyond_their_own(world: World) -> None:
    """Every conference-, report-, child- and other page: 404 for the outsider (405 for a
    method the page never accepts), never 200 or a redirect."""
    failures = []
    for route in ROUTES:
        if route.public or route.name in FOR_EVERYONE_SIGNED_IN:
            continue
        for kwargs in _kwarg_sets(route, world):
            url = reverse(route.name, kwargs=kwargs)
            for method, data in (("GET", {}), ("POST", {}), ("POST", {"version": "1"})):
                outcome = _ask(world, "outsider", method, url, data)
                if outcome.status not in (404, 405):
                    shown = outcome.error or f"status {outcome.status}"
                    failures.append(Failure(route.name, url, "outsider", method, "", shown))
    assert not failures, _report(failures, "pages were open to someone with no role")


def test_a_police_report_is_hidden_from_health_and_social_care(world: World) -> None:
    """London CP4 §7.10: the police report is for the chair and the police alone. Health and
    the social worker may see the conference and its other reports, but every page of the
    police report is a 404 for them."""
    hannah = _signed_in(User.objects.get(email__startswith="hannah.pryce@"))
    world.clients["other_social_worker"] = hannah
    world.users["other_social_worker"] = User.objects.get(email__startswith="hannah.pryce@")
    report_pages = [route for route in ROUTES if route.route.startswith("reports/<id:pk>")]
    assert len(report_pages) >= 5
    # The personas can see the conference and its other reports, so a 404 below means the
    # police report is hidden, not that everything is.
    health, social_worker = "health_professional", "social_worker"
    main, health_report = world.conference, world.health_report
    for persona in (health, social_worker):
        assert _ask(world, persona, "GET", f"/conferences/{main.pk}/", {}).status == 200
        assert _ask(world, persona, "GET", f"/reports/{health_report.pk}/", {}).status == 200
    for persona in ("chair", "police_officer"):
        url = reverse("conferences:report-detail", args=[world.police_reports[0].pk])
        assert _ask(world, persona, "GET", url, {}).status == 200, persona

    failures = []
    for report in world.police_reports:
        assert report.kind == ReportKind.POLICE
        for route in report_pages:
            url = reverse(route.name, kwargs={"pk": report.pk})
            for persona in (health, social_worker, "other_social_worker"):
                for method in ("GET", "POST"):
                    outcome = _ask(world, persona, method, url, {"version": "1"})
                    if outcome.status not in (404, 405):
                        shown = outcome.error or f"status {outcome.status}"
                        failures.append(Failure(route.name, url, persona, method, "", shown))
    assert not failures, _report(failures, "police report pages were open to others")


def test_the_world_has_what_the_pages_need(world: World) -> None:
    """Guards the samples: if the demo changes, this says why the other tests got weaker."""
    main = world.conference
    assert main.status == ConferenceStatus.SCHEDULED and main.date and main.date > TODAY
    assert main.starts_at == time(10, 0)
    assert Conference.objects.filter(date=TODAY, status=ConferenceStatus.SCHEDULED).exists()
    assert {r.status for r in main.reports.all()} >= {
        ReportStatus.REQUESTED,
        ReportStatus.SUBMITTED,
        ReportStatus.SHARED,
    }
