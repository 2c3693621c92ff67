"""Single sign-on with the council's identity provider, the provider faked: the token and
userinfo exchange of mozilla-django-oidc's backend are patched, so no request leaves."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from unittest import mock
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from convene.access.enums import AuditVerb, Role
from convene.access.models import AuditEvent, SsoGroupMapping, User
from convene.access.sso import (
    CouncilSignOnBackend,
    LocalPasswordBackend,
    groups_in,
    provider_checked_second_factor,
)
from convene.testing.factories import TEST_PASSWORD, AgencyFactory, TeamFactory, UserFactory

SSO = {
    "SSO_ENABLED": True,
    "OIDC_RP_CLIENT_ID": "convene",
    "OIDC_RP_CLIENT_SECRET": "not-a-real-secret",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://login.testshire.example/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": "https://login.testshire.example/token",
    "OIDC_OP_USER_ENDPOINT": "https://login.testshire.example/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": "https://login.testshire.example/keys",
    "SSO_PROVIDER_NAME": "Testshire Council",
    "SSO_TRUSTED_AMR": ["mfa"],
    "SSO_TRUSTED_ACR": [],
}

pytestmark = pytest.mark.django_db


@pytest.fixture
def sso() -> Iterator[None]:
    with override_settings(**SSO):
        yield


@pytest.fixture
def social_workers_group() -> SsoGroupMapping:
    team = TeamFactory.create(name="Assessment Team North")
    return SsoGroupMapping.objects.create(
        group="cp-social-workers", role=Role.SOCIAL_WORKER, agency=team.agency, team=team
    )


def _through_provider(
    client: Client,
    *,
    email: str,
    groups: list[str],
    id_token: dict[str, Any] | None = None,
    next_url: str = "",
    **info: Any,
) -> Any:
    """Start single sign-on, then come back from the faked provider with these claims."""
    start = client.get(reverse("access:sso-start") + (f"?next={next_url}" if next_url else ""))
    assert start.status_code == 302
    assert start["Location"].startswith(str(SSO["OIDC_OP_AUTHORIZATION_ENDPOINT"]))
    sent = parse_qs(urlparse(start["Location"]).query)
    assert sent["code_challenge_method"] == ["S256"]
    userinfo = {"email": email, "groups": groups, "given_name": "Rae", "family_name": "North"}
    with (
        mock.patch.object(
            CouncilSignOnBackend,
            "get_token",
            return_value={"id_token": "header.payload.signature", "access_token": "opaque"},
        ),
        mock.patch.object(
            CouncilSignOnBackend, "verify_token", return_value={"sub": "abc", **(id_token or {})}
        ),
        mock.patch.object(CouncilSignOnBackend, "get_userinfo", return_value={**userinfo, **info}),
    ):
        return client.get(
            reverse("access:sso-callback"), {"code": "from-provider", "state": sent["state"][0]}
        )


def _signed_in_as(client: Client) -> User | None:
    from django.contrib.auth import get_user

    user = get_user(client)
    return user if isinstance(user, User) else None


# The rules ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("claims", "trusted", "expected"),
    [
        ({"amr": ["pwd", "mfa"]}, {"amr": ["mfa"]}, True),
        ({"amr": "otp"}, {"amr": ["otp", "hwk"]}, True),
        ({"amr": ["pwd"]}, {"amr": ["mfa"]}, False),
        ({"acr": "urn:council:loa:2"}, {"acr": ["urn:council:loa:2"]}, True),
        ({"acr": "urn:council:loa:1"}, {"acr": ["urn:council:loa:2"]}, False),
        ({}, {"acr": ["x"], "amr": ["mfa"]}, False),
        # Nothing trusted: the provider is never taken for the second factor.
        ({"amr": ["mfa"], "acr": "x"}, {}, False),
    ],
)
def test_when_the_provider_is_trusted_for_the_second_factor(claims, trusted, expected):
    assert (
        provider_checked_second_factor(
            claims, trusted_acr=trusted.get("acr", []), trusted_amr=trusted.get("amr", [])
        )
        is expected
    )


def test_groups_are_read_as_a_list_or_one_name():
    assert groups_in({"groups": ["a", "b"]}, "groups") == ["a", "b"]
    assert groups_in({"roles": "a"}, "roles") == ["a"]
    assert groups_in({"groups": {"a": 1}}, "groups") == []
    assert groups_in({}, "groups") == []


# Signing in --------------------------------------------------------------------------------


def test_the_sign_in_page_offers_the_council_when_set_up(sso):
    page = Client().get(reverse("access:sign-in"))
    assert "Sign in with Testshire Council" in page.content.decode()
    assert 'name="password"' in page.content.decode()


def test_without_single_sign_on_its_pages_are_not_found_and_not_offered():
    client = Client()
    assert reverse("access:sso-start") not in client.get(reverse("access:sign-in")).content.decode()
    for name in ("access:sso-start", "access:sso-callback", "access:sso-refused"):
        assert client.get(reverse(name)).status_code == 404


def test_a_known_person_is_matched_by_email_and_given_their_groups_roles(sso, social_workers_group):
    person = UserFactory.create(email="rae.north@testshire.example", roles=[Role.DATA_OFFICER])
    client = Client()
    answer = _through_provider(
        client,
        email="Rae.North@Testshire.example",
        groups=["cp-social-workers", "all-staff"],
        id_token={"amr": ["mfa"]},
        next_url="/timescales/",
    )
    assert answer.status_code == 302 and answer["Location"] == "/timescales/"
    assert _signed_in_as(client) == person
    person.refresh_from_db()
    assert person.roles == {Role.SOCIAL_WORKER}
    assert person.team == social_workers_group.team
    verbs = list(AuditEvent.objects.filter(actor=person).values_list("verb", "reason"))
    assert (AuditVerb.SIGNED_IN, mock.ANY) in verbs
    changed = [why for verb, why in verbs if verb == AuditVerb.ACCOUNT_CHANGED]
    assert changed and "Social worker" in changed[0] and "before: Data officer" in changed[0]
    assert client.get("/timescales/").status_code == 200


def test_an_account_is_made_at_the_first_sign_in_when_a_group_maps(sso, social_workers_group):
    client = Client()
    _through_provider(client, email="new.starter@testshire.example", groups=["cp-social-workers"])
    made = User.objects.get(email="new.starter@testshire.example")
    assert _signed_in_as(client) == made
    assert (made.first_name, made.last_name) == ("Rae", "North")
    assert made.agency == social_workers_group.agency and made.team == social_workers_group.team
    assert made.roles == {Role.SOCIAL_WORKER}
    assert not made.has_usable_password()
    assert AuditEvent.objects.filter(actor=made, verb=AuditVerb.ACCOUNT_CREATED).exists()


def test_a_person_in_no_mapped_group_is_refused_and_no_account_is_made(sso, social_workers_group):
    client = Client()
    answer = _through_provider(client, email="visitor@testshire.example", groups=["all-staff"])
    assert answer.status_code == 302 and answer["Location"] == reverse("access:sso-refused")
    assert _signed_in_as(client) is None
    assert not User.objects.filter(email="visitor@testshire.example").exists()
    page = client.get(answer["Location"])
    assert "not in a group that gives access" in page.content.decode()
    refusal = AuditEvent.objects.get(verb=AuditVerb.SSO_REFUSED)
    assert "visitor@testshire.example" in refusal.reason and "all-staff" in refusal.reason


def test_a_known_person_in_no_mapped_group_keeps_their_roles_but_cannot_sign_in(sso):
    person = UserFactory.create(email="left@testshire.example", roles=[Role.CONFERENCE_CHAIR])
    client = Client()
    _through_provider(client, email="left@testshire.example", groups=["unknown"])
    assert _signed_in_as(client) is None
    assert person.roles == {Role.CONFERENCE_CHAIR}
    assert AuditEvent.objects.filter(actor=person, verb=AuditVerb.SSO_REFUSED).exists()


def test_a_closed_account_cannot_sign_in_by_single_sign_on(sso, social_workers_group):
    UserFactory.create(email="leaver@testshire.example", is_active=False)
    client = Client()
    answer = _through_provider(
        client, email="leaver@testshire.example", groups=["cp-social-workers"]
    )
    assert _signed_in_as(client) is None
    assert "closed" in client.get(answer["Location"]).content.decode()
    assert AuditEvent.objects.filter(verb=AuditVerb.SSO_REFUSED, reason__contains="closed").exists()


def test_an_unconfirmed_email_address_is_refused(sso, social_workers_group):
    client = Client()
    _through_provider(
        client,
        email="someone@testshire.example",
        groups=["cp-social-workers"],
        email_verified=False,
    )
    assert _signed_in_as(client) is None
    assert not User.objects.filter(email="someone@testshire.example").exists()


def test_refusals_do_not_lock_out_others_behind_the_same_address(sso, social_workers_group):
    for _ in range(6):
        _through_provider(Client(), email="visitor@testshire.example", groups=["nothing"])
    client = Client()
    _through_provider(client, email="rae@testshire.example", groups=["cp-social-workers"])
    assert _signed_in_as(client) is not None


# The second factor -------------------------------------------------------------------------


@override_settings(CONVENE_REQUIRE_MFA=True)
def test_the_providers_second_factor_is_trusted_when_its_token_says_so(sso, social_workers_group):
    client = Client()
    _through_provider(
        client,
        email="rae@testshire.example",
        groups=["cp-social-workers"],
        id_token={"amr": ["mfa"]},
    )
    assert client.get(reverse("core:home")).status_code == 200
    signed_in = AuditEvent.objects.get(verb=AuditVerb.SIGNED_IN)
    assert "the provider checked the second factor" in signed_in.reason


@override_settings(CONVENE_REQUIRE_MFA=True)
def test_without_the_providers_word_convene_asks_for_its_own_code(sso, social_workers_group):
    client = Client()
    # amr from the userinfo is not the ID token's: it does not count.
    _through_provider(
        client, email="rae@testshire.example", groups=["cp-social-workers"], amr=["mfa"]
    )
    home = client.get(reverse("core:home"))
    assert home.status_code == 302 and home["Location"].startswith(reverse("access:mfa-setup"))


# Local passwords ---------------------------------------------------------------------------


def test_with_local_passwords_off_no_password_signs_in(sso):
    person = UserFactory.create(email="pat@testshire.example", roles=[Role.SOCIAL_WORKER])
    with override_settings(CONVENE_LOCAL_PASSWORDS=False):
        client = Client()
        page = client.get(reverse("access:sign-in")).content.decode()
        assert "Sign in with Testshire Council" in page and 'name="password"' not in page
        client.post(
            reverse("access:sign-in"), {"username": person.email, "password": TEST_PASSWORD}
        )
        assert _signed_in_as(client) is None
        # Nor by any other way in that checks a password.
        assert (
            LocalPasswordBackend().authenticate(None, username=person.email, password=TEST_PASSWORD)
            is None
        )
    assert (
        LocalPasswordBackend().authenticate(None, username=person.email, password=TEST_PASSWORD)
        == person
    )


# The system administrator's page -----------------------------------------------------------


def test_the_system_administrator_maps_a_group_to_a_role(as_user, system_administrator):
    team = TeamFactory.create()
    client = as_user(system_administrator)
    page = client.get(reverse("access:sso-groups"))
    assert page.status_code == 200
    answer = client.post(
        reverse("access:sso-groups"),
        {
            "group": "cp-chairs",
            "role": Role.CONFERENCE_CHAIR,
            "agency": team.agency.pk,
            "team": team.pk,
        },
    )
    assert answer.status_code == 302
    mapping = SsoGroupMapping.objects.get(group="cp-chairs")
    assert AuditEvent.objects.filter(verb=AuditVerb.CREATED, object_id=str(mapping.pk)).exists()
    client.post(reverse("access:sso-group-remove", args=[mapping.pk]))
    assert not SsoGroupMapping.objects.exists()
    assert AuditEvent.objects.filter(verb=AuditVerb.DELETED, object_id=str(mapping.pk)).exists()


def test_a_team_of_another_agency_is_refused(as_user, system_administrator):
    team = TeamFactory.create()
    other = AgencyFactory.create(name="Testshire Police")
    answer = as_user(system_administrator).post(
        reverse("access:sso-groups"),
        {"group": "g", "role": Role.SOCIAL_WORKER, "agency": other.pk, "team": team.pk},
    )
    assert answer.status_code == 200 and "Choose a team in the agency" in answer.content.decode()
    assert not SsoGroupMapping.objects.exists()


def test_nobody_else_may_see_or_change_the_groups(
    as_user, team_manager, outsider, system_administrator
):
    mapping = SsoGroupMapping.objects.create(
        group="g", role=Role.SOCIAL_WORKER, agency=AgencyFactory.create()
    )
    for person in (team_manager, outsider):
        client = as_user(person)
        assert client.get(reverse("access:sso-groups")).status_code == 404
        assert client.post(reverse("access:sso-group-remove", args=[mapping.pk])).status_code == 404
    assert SsoGroupMapping.objects.exists()


def test_closing_an_account_ends_its_single_sign_on_session(sso, social_workers_group):
    client = Client()
    _through_provider(client, email="rae@testshire.example", groups=["cp-social-workers"])
    assert client.get(reverse("core:home")).status_code == 200
    User.objects.filter(email="rae@testshire.example").update(is_active=False)
    answer = client.get(reverse("core:home"))
    assert answer.status_code == 302 and answer["Location"].startswith(reverse("access:sign-in"))
