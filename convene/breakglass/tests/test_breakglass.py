"""Emergency (break-glass) access (issue 14): a professional with no relationship to a child
opens the child's record only by naming the child exactly and giving a reason; the grant is
read-only and ends after a shift; the managers are told at once; every reading under it is
marked on the audit trail; and every refusal looks the same as "no such child"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from convene import policy
from convene.access.enums import AuditVerb, Role
from convene.access.models import AuditEvent, User
from convene.breakglass import rules
from convene.breakglass.models import EmergencyAccess
from convene.notifications.models import SentMessage
from convene.people.models import Child, Team
from convene.testing.factories import ChildFactory, TeamFactory, UserFactory
from convene.testing.pages import main_content

pytestmark = pytest.mark.django_db

NOW = "2026-12-01 22:30 +0000"
TODAY = datetime(2026, 12, 1, 22, 30, tzinfo=UTC).date()
REASON = "The child is in the emergency department tonight with an injury"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def other_team() -> Team:
    return TeamFactory.create(name="Assessment Team B")


@pytest.fixture
def other_manager(other_team: Team) -> User:
    manager = UserFactory.create(first_name="Odette", team=other_team, roles=[Role.TEAM_MANAGER])
    other_team.manager = manager
    other_team.save()
    return manager


@pytest.fixture
def stranger(other_team: Team, other_manager: User) -> User:
    """A social worker of another team, with no relationship to the child."""
    return UserFactory.create(first_name="Stella", team=other_team, roles=[Role.SOCIAL_WORKER])


def _ask(client: Client, identifier: str, reason: str = REASON, kind: str = "la_child_id"):
    return client.post(
        reverse("breakglass:start"),
        {"identifier_kind": kind, "identifier": identifier, "reason": reason},
    )


def _main(response: Any) -> str:
    return main_content(response)


def _record(client: Client, child: Child) -> int:
    return client.get(reverse("people:child-detail", args=[child.pk])).status_code


# Rules ---------------------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   ", "Emergency", "need it now please"])
def test_a_reason_of_a_word_or_two_is_not_enough(reason: str):
    assert rules.reason_problem(reason) is not None


def test_a_reason_that_says_what_the_emergency_is_is_enough():
    assert rules.reason_problem(REASON) is None


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("943 476 5919", "9434765919"), ("9434765919", "9434765919"), ("943-476-5919", "9434765919")],
)
def test_an_nhs_number_may_be_typed_with_spaces(typed: str, expected: str):
    assert rules.normalise_identifier("nhs_number", typed) == expected


@pytest.mark.parametrize("typed", ["9434765918", "943476591", "94347659190", "abc", ""])
def test_an_nhs_number_that_fails_its_own_check_is_not_one(typed: str):
    assert rules.normalise_identifier("nhs_number", typed) is None


@pytest.mark.parametrize("typed", ["TS-*", "%", "TS_1", "TS 1", ""])
def test_wildcards_are_never_a_local_authority_child_id(typed: str):
    assert rules.normalise_identifier("la_child_id", typed) is None


def test_a_grant_lasts_eight_hours_and_not_a_moment_more():
    at = datetime(2026, 12, 1, 22, 30, tzinfo=UTC)
    ends = rules.expiry(at)
    assert ends == at + timedelta(hours=8)
    assert rules.is_active(ends, ends - timedelta(seconds=1))
    assert not rules.is_active(ends, ends)
    assert not rules.is_active(None, at)


def test_five_requests_an_hour_then_wait():
    now = datetime(2026, 12, 1, 22, 30, tzinfo=UTC)
    recent = [now - timedelta(minutes=n) for n in (1, 5, 10, 20, 50)]
    assert rules.requests_left(recent, now) == 0
    assert rules.next_request_at(recent, now) == now - timedelta(minutes=50) + timedelta(hours=1)
    assert rules.requests_left(recent[:4], now) == 1


# Who may ask ---------------------------------------------------------------------------


def test_the_roles_that_may_ask_are_case_work_chairs_and_managers():
    assert {
        Role.SOCIAL_WORKER,
        Role.TEAM_MANAGER,
        Role.SENIOR_MANAGER,
        Role.AGENCY_PROFESSIONAL,
        Role.CONFERENCE_CHAIR,
    } == policy.EMERGENCY_ACCESS_ROLES


@pytest.mark.parametrize(
    "roles",
    [
        [],  # a family member or anyone without a role in the service
        [Role.LEGITIMATE_ENQUIRER],
        [Role.MINUTE_TAKER],
        [Role.SYSTEM_ADMINISTRATOR],
    ],
)
def test_people_without_a_case_work_role_cannot_use_it(child: Child, roles: list[Role]):
    person = UserFactory.create(roles=roles)
    client = Client()
    client.force_login(person)
    assert client.get(reverse("breakglass:start")).status_code == 404
    assert _ask(client, child.la_child_id).status_code == 404
    assert _record(client, child) == 404
    assert not EmergencyAccess.objects.exists()


# Asking --------------------------------------------------------------------------------


def test_a_professional_without_a_relationship_gets_404_then_reads_with_a_reason(
    child: Child,
    stranger: User,
    team_manager: User,
    other_manager: User,
    django_capture_on_commit_callbacks,
):
    client = Client()
    client.force_login(stranger)
    assert _record(client, child) == 404

    with django_capture_on_commit_callbacks(execute=True):
        asked = _ask(client, child.la_child_id)
    access = EmergencyAccess.objects.get()
    assert asked.status_code == 302 and asked["Location"] == f"/emergency-access/{access.pk}/"
    assert access.child == child and access.user == stranger
    assert access.expires_at == datetime(2026, 12, 2, 6, 30, tzinfo=UTC)
    page = _main(client.get(asked["Location"]))
    assert f"You have emergency access to {child.display_name}'s record" in page

    response = client.get(reverse("people:child-detail", args=[child.pk]))
    assert response.status_code == 200
    assert "under emergency access until 06:30" in _main(response)

    # The grantee's manager and the child's team manager, at once; no child in the subject.
    sent = {m.to: m for m in SentMessage.objects.all()}
    assert set(sent) == {team_manager.email, other_manager.email}
    for message in sent.values():
        assert child.first_name not in message.subject and child.last_name not in message.subject
        assert child.first_name not in message.body and child.la_child_id not in message.body
    assert access.alerted == f"{other_manager.get_full_name()}, {team_manager.get_full_name()}"

    # The grant, the page that named the child, and the reading under the grant, marked, all
    # on the child's trail.
    verbs = list(
        AuditEvent.objects.filter(child=child, actor=stranger).values_list("verb", flat=True)
    )
    assert sorted(verbs) == sorted(
        [
            AuditVerb.EMERGENCY_ACCESS_GRANTED,
            AuditVerb.VIEWED_PAGE,
            AuditVerb.VIEWED_CHILD_IN_EMERGENCY,
        ]
    )
    viewed = AuditEvent.objects.get(verb=AuditVerb.VIEWED_CHILD_IN_EMERGENCY)
    assert REASON in viewed.reason


def test_the_grant_lets_them_read_and_never_write(child: Child, stranger: User):
    client = Client()
    client.force_login(stranger)
    _ask(client, child.la_child_id)
    now = datetime(2026, 12, 1, 22, 31, tzinfo=UTC)
    allowed = policy.permitted(stranger, child, today=TODAY, now=now)
    assert allowed == {policy.ChildAction.VIEW}
    # The child's list, search and every other page do not show what a grant opens.
    assert not policy.visible_children(stranger, today=TODAY).exists()
    assert child.la_child_id not in _main(client.get(reverse("people:child-list")))


def test_the_grant_ends_after_eight_hours_and_the_record_is_404_again(
    child: Child, stranger: User, _frozen
):
    client = Client()
    client.force_login(stranger)
    _ask(client, child.la_child_id)
    _frozen.shift(timedelta(hours=8))
    client.force_login(stranger)  # a session does not last a shift
    assert _record(client, child) == 404
    access = EmergencyAccess.objects.get()
    page = _main(client.get(reverse("breakglass:request", args=[access.pk])))
    assert "This emergency access has ended" in page


def test_the_reason_is_required_and_must_say_something(child: Child, stranger: User):
    client = Client()
    client.force_login(stranger)
    for reason in ("", "urgent"):
        response = _ask(client, child.la_child_id, reason=reason)
        assert response.status_code == 200
        assert "There is a problem" in response.content.decode()
    assert not EmergencyAccess.objects.exists()
    assert _record(client, child) == 404


def test_a_wrong_identifier_answers_exactly_as_no_child_does(child: Child, stranger: User):
    """A mistyped ID, a wildcard and the ID of no child: the same page, nothing about any
    child, each request kept on the trail of nobody."""
    client = Client()
    client.force_login(stranger)
    ChildFactory.create(la_child_id="NM2001")
    pages = []
    for typed in ("NM2002", "NM200*", child.la_child_id + "X"):
        response = _ask(client, typed)
        assert response.status_code == 302
        page = _main(client.get(response["Location"]))
        pk = response["Location"].strip("/").rsplit("/", 1)[-1]
        pages.append(page.replace(typed, "<typed>").replace(f"from={pk}", "from=<pk>"))
    assert pages[0] == pages[1] == pages[2]
    assert "No child matched" in pages[0] and "NM2001" not in pages[0]
    refused = AuditEvent.objects.filter(verb=AuditVerb.EMERGENCY_ACCESS_REFUSED)
    assert refused.count() == 3 and not refused.filter(child__isnull=False).exists()
    assert not SentMessage.objects.exists()
    assert _record(client, child) == 404


def test_an_nhs_number_opens_the_record_of_the_one_child_who_has_it(child: Child, stranger: User):
    child.nhs_number = "9434765919"
    child.save()
    client = Client()
    client.force_login(stranger)
    _ask(client, "943 476 5919", kind="nhs_number")
    assert EmergencyAccess.objects.get().child == child
    assert _record(client, child) == 200


def test_two_children_sharing_an_nhs_number_match_neither(child: Child, stranger: User):
    child.nhs_number = "9434765919"
    child.save()
    ChildFactory.create(nhs_number="9434765919")
    client = Client()
    client.force_login(stranger)
    _ask(client, "9434765919", kind="nhs_number")
    assert EmergencyAccess.objects.get().child is None
    assert _record(client, child) == 404


def test_five_requests_an_hour_then_refused(child: Child, stranger: User):
    client = Client()
    client.force_login(stranger)
    for n in range(rules.REQUESTS_PER_HOUR):
        assert _ask(client, f"NM90{n}").status_code == 302
    page = client.get(reverse("breakglass:start")).content.decode()
    assert "the most times allowed in an hour" in page
    response = _ask(client, child.la_child_id)
    assert response.status_code == 200 and "You can ask again from" in response.content.decode()
    assert not EmergencyAccess.objects.filter(child=child).exists()


def test_someone_who_can_already_read_the_record_is_told_so(child: Child, social_worker: User):
    client = Client()
    client.force_login(social_worker)
    response = _ask(client, child.la_child_id)
    assert "You can already open this child" in response.content.decode()
    assert not EmergencyAccess.objects.exists() and not SentMessage.objects.exists()


def test_a_request_is_its_makers_alone(child: Child, stranger: User, social_worker: User):
    client = Client()
    client.force_login(stranger)
    _ask(client, child.la_child_id)
    access = EmergencyAccess.objects.get()
    other = Client()
    other.force_login(social_worker)
    assert other.get(reverse("breakglass:request", args=[access.pk])).status_code == 404


def test_a_grant_ends_when_its_holder_no_longer_has_a_role_that_may_ask(
    child: Child, stranger: User
):
    client = Client()
    client.force_login(stranger)
    _ask(client, child.la_child_id)
    stranger.role_grants.all().delete()
    stranger = User.objects.get(pk=stranger.pk)
    client.force_login(stranger)
    assert _record(client, child) == 404


# Review --------------------------------------------------------------------------------


def test_reviewers_see_the_requests_they_are_responsible_for(
    child: Child,
    stranger: User,
    team_manager: User,
    other_manager: User,
    system_administrator: User,
    senior_manager: User,
    social_worker: User,
):
    client = Client()
    client.force_login(stranger)
    _ask(client, child.la_child_id)
    _ask(client, "NM404")
    unrelated = TeamFactory.create()
    far_manager = UserFactory.create(team=unrelated, roles=[Role.TEAM_MANAGER])
    unrelated.manager = far_manager
    unrelated.save()

    def rows(user: User) -> int:
        viewer = Client()
        viewer.force_login(user)
        response = viewer.get(reverse("breakglass:review"))
        if response.status_code != 200:
            return -response.status_code
        return _main(response).count(stranger.get_full_name())

    # The system administrator and senior managers see all; the grantee's manager both; the
    # child's team manager the one about their team's child; another team's manager none.
    assert rows(system_administrator) == 2
    assert rows(senior_manager) == 2
    assert rows(other_manager) == 2
    assert rows(team_manager) == 1
    assert rows(far_manager) == 0
    assert rows(social_worker) == -404
    assert rows(stranger) == -404
    signed_out = Client().get(reverse("breakglass:review"))
    assert signed_out.status_code == 302 and signed_out["Location"].startswith("/sign-in/")
