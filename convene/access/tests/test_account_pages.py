"""A system administrator manages accounts through the pages (issue 14): list and search,
open, change, close, open again, unlock, reset the authenticator, send a password link. Every
refusal is tested: others get a 404, an administrator cannot lock themselves out, a stale edit
is refused."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from convene.access.accounts import account_change
from convene.access.enums import AuditVerb, Role
from convene.access.mfa import mfa_reset
from convene.access.models import AuditEvent, User
from convene.core.services import Actor, ServiceError, StaleEdit
from convene.notifications.models import OutboundMessage
from convene.testing.factories import TEST_PASSWORD, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def _url(name, account=None):
    return reverse(f"access:{name}", args=[account.pk] if account else [])


ACCOUNT_PAGES = [
    "account-detail",
    "account-change",
    "account-deactivate",
    "account-reactivate",
    "account-unlock",
    "account-reset-authenticator",
    "account-send-password-link",
]


def test_everyone_but_a_system_administrator_gets_a_404(
    as_user, chair, administrator, team_manager, senior_manager, outsider
):
    for person in (chair, administrator, team_manager, senior_manager, outsider):
        client = as_user(person)
        assert client.get(_url("accounts")).status_code == 404
        assert client.get(_url("account-create")).status_code == 404
        assert client.post(_url("account-create"), {}).status_code == 404
        for name in ACCOUNT_PAGES:
            assert client.get(_url(name, chair)).status_code == 404, name
            posted = client.post(_url(name, chair), {"reason": "x"}).status_code
            assert posted in (404, 405), name  # 405: the page takes no POST from anyone
    chair.refresh_from_db()
    assert chair.is_active
    assert not AuditEvent.objects.filter(verb=AuditVerb.ACCOUNT_DEACTIVATED).exists()


def test_an_account_that_does_not_exist_is_a_404(as_user, system_administrator):
    client = as_user(system_administrator)
    for name in ACCOUNT_PAGES:
        assert client.get(reverse(f"access:{name}", args=[999_999])).status_code == 404


def test_the_list_searches_and_takes_the_same_queries_however_many_accounts(
    as_user, system_administrator
):
    client = as_user(system_administrator)
    UserFactory.create(first_name="Wilhelmina", last_name="Quarry", roles=[Role.SOCIAL_WORKER])
    response = client.get(_url("accounts"), {"q": "wilhelmina"})
    assert "Wilhelmina Quarry" in response.content.decode()
    assert system_administrator.email not in response.content.decode()
    with CaptureQueriesContext(connection) as few:
        client.get(_url("accounts"))
    for _ in range(15):
        UserFactory.create(team=TeamFactory.create(), roles=[Role.SOCIAL_WORKER, Role.MINUTE_TAKER])
    with CaptureQueriesContext(connection) as many:
        response = client.get(_url("accounts"))
    assert response.content.decode().count("Minute-taker") == 15
    assert len(many) == len(few)


def test_opening_an_account_e_mails_a_link_and_never_asks_for_a_password(
    as_user, system_administrator, team
):
    client = as_user(system_administrator)
    page = client.get(_url("account-create")).content.decode()
    assert 'type="password"' not in page
    response = client.post(
        _url("account-create"),
        {
            "first_name": "Nadia",
            "last_name": "Fernsby",
            "email": "Nadia.Fernsby@Testshire.example",
            "job_title": "Social worker",
            "agency": team.agency.pk,
            "team": team.pk,
            "roles": [Role.SOCIAL_WORKER],
        },
    )
    assert response.status_code == 302
    nadia = User.objects.get(last_name="Fernsby")
    assert not nadia.has_usable_password()
    assert (nadia.team, nadia.roles) == (team, frozenset({Role.SOCIAL_WORKER}))
    message = OutboundMessage.objects.get(to=nadia.email)
    assert "set your password" in message.subject
    assert re.search(r"http://testserver/password-reset/\w+/[\w-]+/", message.body)
    row = AuditEvent.objects.get(verb=AuditVerb.ACCOUNT_CREATED)
    assert (row.actor, row.object_id) == (system_administrator, str(nadia.pk))
    assert "Social worker" in row.reason
    assert AuditEvent.objects.filter(verb=AuditVerb.PASSWORD_LINK_SENT, object_id=nadia.pk)


def test_an_address_already_used_is_refused(as_user, system_administrator, chair):
    response = as_user(system_administrator).post(
        _url("account-create"),
        {
            "first_name": "A",
            "last_name": "B",
            "email": chair.email.upper(),
            "agency": chair.agency.pk,
        },
    )
    assert "There is already an account with this email address" in response.content.decode()
    assert User.objects.filter(email__iexact=chair.email).count() == 1


def test_a_team_of_another_agency_is_refused(as_user, system_administrator, chair, police):
    team = TeamFactory.create(agency=police)
    response = as_user(system_administrator).post(
        _url("account-change", chair),
        {"agency": chair.agency.pk, "team": team.pk, "version": chair.version},
    )
    assert "is not a team of" in response.content.decode()
    chair.refresh_from_db()
    assert chair.team is None


def test_changing_roles_team_and_agency_is_audited(as_user, system_administrator, chair, team):
    response = as_user(system_administrator).post(
        _url("account-change", chair),
        {
            "job_title": "Team manager",
            "agency": team.agency.pk,
            "team": team.pk,
            "roles": [Role.TEAM_MANAGER],
            "version": chair.version,
        },
    )
    assert response.status_code == 302
    chair = User.objects.get(pk=chair.pk)
    assert (chair.agency, chair.team, chair.roles) == (
        team.agency,
        team,
        frozenset({Role.TEAM_MANAGER}),
    )
    row = AuditEvent.objects.get(verb=AuditVerb.ACCOUNT_CHANGED)
    assert "From Conference chair" in row.reason and "to Team manager" in row.reason


def test_a_stale_edit_is_refused_and_nothing_is_overwritten(
    as_user, system_administrator, chair, team
):
    opened_at = chair.version
    account_change(
        user=chair,
        version=opened_at,
        job_title="Chair",
        agency=chair.agency,
        team=None,
        roles=[Role.CONFERENCE_CHAIR, Role.MINUTE_TAKER],
        by=Actor(system_administrator),
    )
    response = as_user(system_administrator).post(
        _url("account-change", chair),
        {"agency": chair.agency.pk, "roles": [Role.SOCIAL_WORKER], "version": opened_at},
    )
    assert StaleEdit.MESSAGE in response.content.decode()
    chair = User.objects.get(pk=chair.pk)
    assert chair.roles == frozenset({Role.CONFERENCE_CHAIR, Role.MINUTE_TAKER})
    with pytest.raises(StaleEdit):
        account_change(
            user=chair,
            version=opened_at,
            job_title="",
            agency=chair.agency,
            team=None,
            roles=[],
            by=Actor(system_administrator),
        )


def test_an_administrator_cannot_take_away_their_own_administrator_role(
    as_user, system_administrator
):
    response = as_user(system_administrator).post(
        _url("account-change", system_administrator),
        {
            "agency": system_administrator.agency.pk,
            "roles": [Role.CONFERENCE_CHAIR],
            "version": system_administrator.version,
        },
    )
    assert "You cannot take away your own system administrator role" in response.content.decode()
    assert User.objects.get(pk=system_administrator.pk).has_role(Role.SYSTEM_ADMINISTRATOR)


def test_an_administrator_cannot_close_their_own_account_through_the_page(
    as_user, system_administrator
):
    client = as_user(system_administrator)
    detail = client.get(_url("account-detail", system_administrator)).content.decode()
    assert "Close this account" not in detail
    response = client.post(_url("account-deactivate", system_administrator), {"reason": "Oops"})
    assert "You cannot close your own account" in response.content.decode()
    assert User.objects.get(pk=system_administrator.pk).is_active
    assert client.get(_url("accounts")).status_code == 200


def test_closing_needs_a_reason_then_ends_their_sessions_and_opening_again_lets_them_in(
    as_user, system_administrator, chair
):
    theirs = Client()
    theirs.post(_url("sign-in"), {"username": chair.email, "password": TEST_PASSWORD})
    assert theirs.get("/").status_code == 200
    client = as_user(system_administrator)
    refused = client.post(_url("account-deactivate", chair), {"reason": ""})
    assert "Enter why, for the audit trail" in refused.content.decode()
    assert User.objects.get(pk=chair.pk).is_active
    response = client.post(_url("account-deactivate", chair), {"reason": "Left the authority"})
    assert response.status_code == 302
    assert theirs.get("/")["Location"].startswith(_url("sign-in"))
    row = AuditEvent.objects.get(verb=AuditVerb.ACCOUNT_DEACTIVATED)
    assert "Left the authority" in row.reason
    again = client.post(_url("account-deactivate", chair), {"reason": "Twice"})
    assert "This account is already closed" in again.content.decode()

    client.post(_url("account-reactivate", chair), {"reason": "Came back"})
    assert User.objects.get(pk=chair.pk).is_active
    assert AuditEvent.objects.filter(verb=AuditVerb.ACCOUNT_REACTIVATED).exists()
    signed_in = Client().post(_url("sign-in"), {"username": chair.email, "password": TEST_PASSWORD})
    assert signed_in.status_code == 302


def test_resetting_the_authenticator_removes_it_and_ends_sessions(
    as_user, system_administrator, chair
):
    TOTPDevice.objects.create(user=chair, name="app", confirmed=True)
    generation = chair.session_generation
    response = as_user(system_administrator).post(
        _url("account-reset-authenticator", chair), {"reason": "Lost phone"}
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=chair).exists()
    assert User.objects.get(pk=chair.pk).session_generation == generation + 1
    assert "Lost phone" in AuditEvent.objects.get(verb=AuditVerb.MFA_RESET).reason


def test_unlocking_through_the_page_is_audited(as_user, system_administrator, chair):
    response = as_user(system_administrator).post(
        _url("account-unlock", chair), {"reason": "Checked by phone"}
    )
    assert response.status_code == 302
    assert "Checked by phone" in AuditEvent.objects.get(verb=AuditVerb.ACCOUNT_UNLOCKED).reason


def test_a_password_link_for_someone_is_e_mailed_to_them_not_shown(
    as_user, system_administrator, chair
):
    response = as_user(system_administrator).post(
        _url("account-send-password-link", chair), {"reason": "Forgot it"}, follow=True
    )
    message = OutboundMessage.objects.get(to=chair.email)
    link = re.search(r"http://testserver(/password-reset/\S+)", message.body)
    assert link is not None
    assert link.group(1) not in response.content.decode()


def test_a_system_administrator_finds_accounts_from_home_and_navigation(
    as_user, system_administrator, chair
):
    home = as_user(system_administrator).get("/").content.decode()
    assert home.count(f'href="{_url("accounts")}"') >= 2
    assert _url("accounts") not in as_user(chair).get("/").content.decode()


def test_with_no_administrator_left_only_the_database_can_help_so_self_refusals_hold(
    system_administrator,
):
    with pytest.raises(ServiceError):
        account_change(
            user=system_administrator,
            version=system_administrator.version,
            job_title="",
            agency=system_administrator.agency,
            team=None,
            roles=[],
            by=Actor(system_administrator),
        )


def test_an_administrator_cannot_reset_their_own_authenticator(as_user, system_administrator):
    TOTPDevice.objects.create(user=system_administrator, name="app", confirmed=True)
    client = as_user(system_administrator)
    response = client.post(
        _url("account-reset-authenticator", system_administrator), {"reason": "New phone"}
    )
    assert "You cannot reset your own authenticator app" in response.content.decode()
    assert TOTPDevice.objects.filter(user=system_administrator).exists()
    with pytest.raises(ServiceError):
        mfa_reset(user=system_administrator, by=Actor(system_administrator))


def test_opening_an_account_page_is_audited_with_the_account_it_shows(
    as_user, system_administrator, chair
):
    as_user(system_administrator).get(_url("account-detail", chair))
    row = AuditEvent.objects.get(actor=system_administrator, verb=AuditVerb.VIEWED_PAGE)
    assert (row.object_type, row.object_id) == ("access.User", str(chair.pk))
