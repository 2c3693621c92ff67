"""The whole access table, action by action: who may, and that everyone else gets a 404.

The expectations are written out here by hand, from the procedure, independently of the table in
`convene.policy`; a change to the table that is not also made here fails. A new action or a new
kind of record must be added to both.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.db import models
from django.http import Http404

from convene import policy
from convene.access.enums import Role
from convene.access.models import User
from convene.breakglass.models import EmergencyAccess
from convene.conferences.enums import ConferenceStatus, ReportKind
from convene.people.enums import AgencyType
from convene.testing.factories import (
    AgencyFactory,
    ChildFactory,
    ConferenceChildFactory,
    ConferenceFactory,
    InvitationFactory,
    InvolvementFactory,
    PlanFactory,
    ProfessionalFactory,
    ReportFactory,
    TeamFactory,
    UserFactory,
)

TODAY = date(2026, 11, 27)
NOW = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)

CHILD_READERS = {
    "administrator",
    "chair",
    "other_chair",
    "social_worker",
    "team_manager",
    "police_officer",
    "senior_manager",
    "data_officer",
}
# Invited as professionals: the health visitor, and a police officer who has not worked with
# the child (the police officer above works with the child but is not invited).
CONFERENCE_READERS = CHILD_READERS | {"invited_health_visitor", "invited_police_officer"}
ADMIN = {"administrator"}
ADMIN_OR_CHAIR = {"administrator", "chair"}
CHAIR = {"chair"}
# A minute-taker writes the meeting's record for the chair; the decision is the chair's.
CHAIR_OR_MINUTES = {"chair", "minute_taker"}
# Readers who write reports and may ask for an exclusion (their job's capabilities).
READERS_WHO_WRITE_REPORTS = {
    "social_worker",
    "police_officer",
    "invited_health_visitor",
    "invited_police_officer",
}

# A social worker of another team holding an unexpired emergency (break-glass) grant for the
# child reads the record and does nothing else; one whose grant has expired, one whose grant is
# for another child, and a minute-taker holding a grant (no longer in a role that may ask)
# do not.
EMERGENCY_READER = {"emergency_social_worker"}

EXPECTED: dict[tuple[str, str], set[str]] = {
    ("child", "view"): CHILD_READERS | EMERGENCY_READER,
    ("child", "read_audit_trail"): {"system_administrator", "team_manager"},
    ("child", "record_enquiry"): {"social_worker", "team_manager"},
    ("child", "decide_to_convene"): {"team_manager", "senior_manager"},
    ("child", "start_conference"): {"team_manager", "senior_manager"},
    ("child", "start_follow_on_conference"): {"team_manager", "senior_manager", "administrator"},
    ("child", "allocate"): {"team_manager", "administrator"},
    ("conference", "view"): CONFERENCE_READERS | {"minute_taker"},
    ("conference", "schedule"): ADMIN,
    ("conference", "cancel"): ADMIN,
    ("conference", "see_invitations"): ADMIN_OR_CHAIR,
    ("conference", "invite"): ADMIN,
    ("conference", "update_invitation"): ADMIN,
    ("conference", "record_response"): ADMIN,
    ("conference", "send_invitations"): ADMIN,
    ("conference", "record_consent"): ADMIN_OR_CHAIR,
    ("conference", "record_chair_consent"): CHAIR,
    ("conference", "add_recording_request"): ADMIN_OR_CHAIR,
    ("conference", "decide_recording_request"): CHAIR,
    ("conference", "request_reports"): ADMIN,
    ("conference", "upload_contribution"): ADMIN_OR_CHAIR | READERS_WHO_WRITE_REPORTS,
    ("conference", "see_contributions"): CONFERENCE_READERS,
    ("conference", "request_exclusion"): READERS_WHO_WRITE_REPORTS,
    ("conference", "see_exclusions"): ADMIN_OR_CHAIR,
    ("conference", "take_attendance"): ADMIN_OR_CHAIR | {"minute_taker"},
    ("conference", "mark_held"): CHAIR,
    ("conference", "record_meeting"): CHAIR_OR_MINUTES,
    ("conference", "decide"): CHAIR,
    ("conference", "record_dissent"): CHAIR_OR_MINUTES,
    ("conference", "draft_outline_plan"): CHAIR_OR_MINUTES,
    # After the conference (§14.4 to §14.13): drafts for the chair, minute-taker and
    # administrators; the signed letter and record for whoever sees the conference.
    ("conference", "see_documents"): ADMIN_OR_CHAIR | {"minute_taker"},
    ("conference", "read_record"): CONFERENCE_READERS | {"minute_taker"},
    ("conference", "write_record"): CHAIR_OR_MINUTES,
    ("conference", "sign_documents"): CHAIR,
    ("conference", "send_documents"): ADMIN,
    # Appeals and complaints (§12; Register R:20): the social worker and their manager help
    # the family appeal; complaints go to the chair; the head of service sees them all.
    ("conference", "see_challenges"): ADMIN_OR_CHAIR
    | {"social_worker", "team_manager", "senior_manager"},
    ("conference", "record_appeal"): ADMIN_OR_CHAIR | {"social_worker", "team_manager"},
    ("conference", "record_complaint"): ADMIN_OR_CHAIR,
    ("conference", "refer_to_reporter"): ADMIN_OR_CHAIR,
    # The health visitor's agency wrote this report; they see the conference as an invitee.
    ("report", "view"): CONFERENCE_READERS,
    ("report", "read_draft"): {"invited_health_visitor"},
    ("report", "save_draft"): {"invited_health_visitor"},
    ("report", "add_child_seen"): {"invited_health_visitor"},
    ("report", "submit"): {"invited_health_visitor"},
    ("report", "share_with_family"): {"administrator", "invited_health_visitor"},
    ("report", "record_family_comments"): {"administrator", "invited_health_visitor"},
    ("report", "record_chair_summary"): set(),
    # London CP4 §7.10: the chair and the police alone; never shared. Of the police, the
    # officer invited to the conference (or the report's author), not every officer who sees
    # the conference: the officer who works with the child but is not invited may not.
    ("police_report", "view"): {"chair", "invited_police_officer"},
    ("police_report", "read_draft"): {"invited_police_officer"},
    ("police_report", "save_draft"): {"invited_police_officer"},
    ("police_report", "add_child_seen"): {"invited_police_officer"},
    ("police_report", "submit"): {"invited_police_officer"},
    ("police_report", "share_with_family"): set(),
    ("police_report", "record_family_comments"): set(),
    ("police_report", "record_chair_summary"): {"chair"},
    # The police officer asked for this exclusion.
    ("exclusion", "view"): {"administrator", "chair", "police_officer"},
    ("exclusion", "decide"): CHAIR,
    ("exclusion", "record_views"): ADMIN_OR_CHAIR,
    ("exclusion", "write_letter"): ADMIN_OR_CHAIR,
    ("contribution", "download"): CONFERENCE_READERS,
    # The child's plan: read as the child's record is; kept by the lead social worker and
    # their manager; a review brought forward by them or the conference service; ended
    # without a conference by a senior manager alone.
    ("plan", "view"): CHILD_READERS,
    ("plan", "edit"): {"social_worker", "team_manager"},
    ("plan", "update_actions"): {"social_worker", "team_manager"},
    ("plan", "schedule_core_group"): {"social_worker", "team_manager"},
    ("plan", "record_core_group"): {"social_worker", "team_manager"},
    ("plan", "bring_review_forward"): {"social_worker", "team_manager", "administrator"},
    ("plan", "record_birth"): {"social_worker", "team_manager"},
    ("plan", "end_without_conference"): {"senior_manager"},
}


@dataclass
class World:
    people: dict[str, User]
    records: dict[str, models.Model]


@pytest.fixture
def world() -> World:
    police = AgencyFactory.create(name="Testshire Police", type=AgencyType.POLICE)
    health = AgencyFactory.create(name="Testshire Health", type=AgencyType.HEALTH)
    team = TeamFactory.create()
    people = {
        "administrator": UserFactory.create(roles=[Role.CONFERENCE_ADMINISTRATOR]),
        "chair": UserFactory.create(roles=[Role.CONFERENCE_CHAIR]),
        "other_chair": UserFactory.create(roles=[Role.CONFERENCE_CHAIR]),
        "team_manager": UserFactory.create(team=team, roles=[Role.TEAM_MANAGER]),
        "social_worker": UserFactory.create(team=team, roles=[Role.SOCIAL_WORKER]),
        "police_officer": UserFactory.create(agency=police, roles=[Role.AGENCY_PROFESSIONAL]),
        "invited_health_visitor": UserFactory.create(
            agency=health, roles=[Role.AGENCY_PROFESSIONAL]
        ),
        "invited_police_officer": UserFactory.create(
            agency=police, roles=[Role.AGENCY_PROFESSIONAL]
        ),
        "senior_manager": UserFactory.create(roles=[Role.SENIOR_MANAGER]),
        "data_officer": UserFactory.create(roles=[Role.DATA_OFFICER]),
        "system_administrator": UserFactory.create(roles=[Role.SYSTEM_ADMINISTRATOR]),
        "outsider": UserFactory.create(),
        "other_social_worker": UserFactory.create(roles=[Role.SOCIAL_WORKER]),
        "minute_taker": UserFactory.create(roles=[Role.MINUTE_TAKER]),
        "emergency_social_worker": UserFactory.create(roles=[Role.SOCIAL_WORKER]),
        "expired_emergency_social_worker": UserFactory.create(roles=[Role.SOCIAL_WORKER]),
        "emergency_for_another_child": UserFactory.create(roles=[Role.SOCIAL_WORKER]),
    }
    team.manager = people["team_manager"]
    team.save()
    child = ChildFactory.create(social_worker=people["social_worker"])
    officer = ProfessionalFactory.create(agency=police, user=people["police_officer"])
    InvolvementFactory.create(professional=officer, child=child)
    conference = ConferenceFactory.create(
        status=ConferenceStatus.SCHEDULED, date=date(2026, 12, 14), chair=people["chair"]
    )
    ConferenceChildFactory.create(conference=conference, child=child)
    visitor = ProfessionalFactory.create(agency=health, user=people["invited_health_visitor"])
    InvitationFactory.create(conference=conference, professional=visitor)
    invited_officer = ProfessionalFactory.create(
        agency=police, user=people["invited_police_officer"]
    )
    InvitationFactory.create(conference=conference, professional=invited_officer)
    parent = InvitationFactory.create(
        conference=conference, professional=None, agency=None, role="parent", name="A Parent"
    )
    _grant(people["emergency_social_worker"], child, expires_at=NOW + timedelta(hours=1))
    _grant(people["expired_emergency_social_worker"], child, expires_at=NOW)
    _grant(people["emergency_for_another_child"], ChildFactory.create(), NOW + timedelta(hours=1))
    _grant(people["minute_taker"], child, expires_at=NOW + timedelta(hours=1))
    records: dict[str, models.Model] = {
        "child": child,
        "plan": PlanFactory.create(child=child, start_date=date(2026, 1, 5)),
        "conference": conference,
        "report": ReportFactory.create(conference=conference, agency=health),
        "police_report": ReportFactory.create(
            conference=conference, agency=police, kind=ReportKind.POLICE
        ),
        "exclusion": conference.exclusions.create(
            invitation=parent,
            requested_by=people["police_officer"],
            requested_on=TODAY,
            grounds="Risk of violence",
            evidence="Police log",
            decision="whole",
        ),
        "contribution": conference.contributions.create(
            kind="statement",
            from_whom="The child",
            content_type="text/plain",
            uploaded_by=people["administrator"],
            file="contributions/a.txt",
        ),
    }
    return World(people, records)


def _grant(user: User, child: Any, expires_at: datetime) -> None:
    EmergencyAccess.objects.create(
        user=user,
        child=child,
        identifier_kind="la_child_id",
        identifier=child.la_child_id,
        reason="Invented reason for the table",
        requested_at=expires_at - timedelta(hours=8),
        expires_at=expires_at,
    )


FETCH: dict[str, Callable[..., Any]] = {
    "child": policy.child_for,
    "conference": policy.conference_for,
    "report": policy.report_for,
    "police_report": policy.report_for,
    "exclusion": policy.exclusion_for,
    "contribution": policy.contribution_for,
    "plan": policy.plan_for,
}


def _may(user: User, resource: str, action: str, record: models.Model) -> bool:
    try:
        if (resource, action) == ("child", "read_audit_trail"):
            policy.child_audit_trail_for(user, record.pk, today=TODAY)
        elif resource == "child":
            # The child's record page passes the time, so emergency grants count there.
            policy.child_for(user, record.pk, today=TODAY, action=action, now=NOW)
        else:
            FETCH[resource](user, record.pk, today=TODAY, action=action)
    except Http404:
        return False
    return True


def test_every_action_of_the_table_is_tested_here_and_nothing_else():
    in_table = {
        (resource, str(action)) for resource, table in policy.ACCESS.items() for action in table
    }
    assert in_table == set(EXPECTED)


@pytest.mark.django_db
@pytest.mark.parametrize(("resource", "action"), sorted(EXPECTED))
def test_who_may_take_each_action(world, resource, action):
    record = world.records[resource]
    allowed = {name for name, user in world.people.items() if _may(user, resource, action, record)}
    assert allowed == EXPECTED[(resource, action)]


@pytest.mark.django_db
@pytest.mark.parametrize("resource", sorted(FETCH))
def test_pages_are_offered_exactly_what_the_fetch_allows(world, resource):
    """`permitted` (what pages offer) and the fetch (what pages allow) agree for everyone."""
    record = world.records[resource]
    for name, user in world.people.items():
        offered = policy.permitted(user, record, today=TODAY, now=NOW)
        for action in policy.ACCESS[resource]:
            if (resource, action) == ("child", "read_audit_trail"):
                continue
            may = name in EXPECTED[(resource, str(action))]
            assert (action in offered) == may, (name, action)


@pytest.mark.django_db
def test_a_signed_out_visitor_may_do_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    for resource, record in world.records.items():
        assert policy.permitted(AnonymousUser(), record, today=TODAY) == frozenset()
        with pytest.raises(Http404):
            FETCH[resource](AnonymousUser(), record.pk, today=TODAY)


# What a person's job lets them do, whatever the record: every `can_…(user)` of the policy.

EVERY_CHAIR = {"chair", "other_chair"}
CAPABILITY_EXPECTED: dict[str, set[str]] = {
    "can_chair": EVERY_CHAIR,
    "can_keep_register": set(),
    "can_list_conferences": ADMIN | EVERY_CHAIR,
    "can_look_up_any_audit_trail": {"system_administrator"},
    "can_make_register_enquiries": set(),
    # People's accounts: the system administrator alone (issue 14).
    "can_manage_accounts": {"system_administrator"},
    "can_manage_authority_settings": {"system_administrator"},
    # Single sign-on's groups and the retention schedule with its legal holds: the system
    # administrator's alone (issue 14), not the case workers' or managers'.
    "can_manage_single_sign_on": {"system_administrator"},
    "can_manage_retention": {"system_administrator"},
    # Emergency (break-glass) access is reviewed by the system administrator and senior
    # managers (all of it) and team managers (their teams').
    "can_review_emergency_access": {"system_administrator", "senior_manager", "team_manager"},
    "can_run_post_room": ADMIN,
    "can_see_all_children": ADMIN | EVERY_CHAIR | {"senior_manager", "data_officer"},
    "can_view_performance": {"team_manager", "senior_manager", "data_officer"},
    "can_view_work_list": ADMIN | {"team_manager", "senior_manager"},
}


def _capability_checks() -> set[str]:
    import inspect

    return {
        name
        for name, function in vars(policy).items()
        if name.startswith("can_")
        and inspect.isfunction(function)
        and list(inspect.signature(function).parameters) == ["user"]
    }


def test_every_capability_check_is_tested_here():
    assert _capability_checks() == set(CAPABILITY_EXPECTED)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(CAPABILITY_EXPECTED))
def test_who_holds_each_capability(world, name):
    check = getattr(policy, name)
    allowed = {person for person, user in world.people.items() if check(user)}
    assert allowed == CAPABILITY_EXPECTED[name]


@pytest.mark.django_db
def test_an_account_is_fetched_for_its_managers_alone_and_a_closed_one_manages_nothing(world):
    account = world.people["social_worker"]
    for name, user in world.people.items():
        if name in CAPABILITY_EXPECTED["can_manage_accounts"]:
            assert policy.account_for(user, account.pk) == account
        else:
            with pytest.raises(Http404):
                policy.account_for(user, account.pk)
    admin = world.people["system_administrator"]
    with pytest.raises(Http404):
        policy.account_for(admin, 999_999)
    admin.is_active = False
    with pytest.raises(Http404):
        policy.account_for(admin, account.pk)


@pytest.mark.django_db
def test_an_emergency_grant_counts_only_where_the_time_is_passed(world):
    """Lists, searches and every page other than the child's record (which pass no time) never
    show what an emergency grant opens; after it expires, the record is a 404 again."""
    child = world.records["child"]
    holder = world.people["emergency_social_worker"]
    assert not policy.visible_children(holder, today=TODAY).exists()
    with pytest.raises(Http404):
        policy.child_for(holder, child.pk, today=TODAY)
    with pytest.raises(Http404):
        policy.plan_for(holder, world.records["plan"].pk, today=TODAY)
    assert policy.child_for(holder, child.pk, today=TODAY, now=NOW) == child
    with pytest.raises(Http404):
        policy.child_for(holder, child.pk, today=TODAY, now=NOW + timedelta(hours=1))
