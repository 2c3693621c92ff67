"""Personas: one signed-in person per role, shared by every app's tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from convene.access.enums import Role
from convene.access.models import User
from convene.people.enums import AgencyType
from convene.people.models import Agency, Child, Team
from convene.testing.browser import chromium, screenshot_folder
from convene.testing.factories import (
    AgencyFactory,
    ChildFactory,
    InvolvementFactory,
    ProfessionalFactory,
    TeamFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _audit_trail_flushable(request: pytest.FixtureRequest) -> Iterator[None]:
    """A transactional test ends by emptying every table, which the audit trail's triggers
    refuse: lift them just before (the flush's post_migrate puts them back)."""
    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in request.fixturenames or bool(
        marker and marker.kwargs.get("transaction")
    )
    yield
    if transactional:
        from django.db import connection

        from convene.access.chain import remove_protection

        remove_protection(connection)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """After every test that passed and touched the database: the stored open deadlines must
    be what the timescales engine computes from the record (issue 16: speed never costs
    correctness). Whatever the test did through services, factories or the pages, a change
    that left them stale fails here."""
    result = yield
    if _uses_database(item) and not item.get_closest_marker("stale_deadlines_expected"):
        from convene.returns.deadline_store import differences

        found = differences()
        if found:
            pytest.fail(
                "The stored open deadlines are not what the rules compute:\n  "
                + "\n  ".join(found[:10]),
                pytrace=False,
            )
    return result


def _uses_database(item: pytest.Item) -> bool:
    names = getattr(item, "fixturenames", ())
    return bool(
        item.get_closest_marker("django_db") or "db" in names or "transactional_db" in names
    )


@pytest.fixture
def police() -> Agency:
    return AgencyFactory.create(name="Testshire Police", type=AgencyType.POLICE)


@pytest.fixture
def team() -> Team:
    return TeamFactory.create(name="Assessment Team A")


@pytest.fixture
def administrator() -> User:
    return UserFactory.create(first_name="Ada", roles=[Role.CONFERENCE_ADMINISTRATOR])


@pytest.fixture
def chair() -> User:
    return UserFactory.create(first_name="Chris", roles=[Role.CONFERENCE_CHAIR])


@pytest.fixture
def team_manager(team: Team) -> User:
    manager = UserFactory.create(first_name="Tam", team=team, roles=[Role.TEAM_MANAGER])
    team.manager = manager
    team.save()
    return manager


@pytest.fixture
def social_worker(team: Team, team_manager: User) -> User:
    return UserFactory.create(first_name="Sol", team=team, roles=[Role.SOCIAL_WORKER])


@pytest.fixture
def police_officer(police: Agency) -> User:
    return UserFactory.create(first_name="Pip", agency=police, roles=[Role.AGENCY_PROFESSIONAL])


@pytest.fixture
def senior_manager() -> User:
    return UserFactory.create(first_name="Sen", roles=[Role.SENIOR_MANAGER])


@pytest.fixture
def data_officer() -> User:
    return UserFactory.create(first_name="Dat", roles=[Role.DATA_OFFICER])


@pytest.fixture
def system_administrator() -> User:
    return UserFactory.create(first_name="Sys", roles=[Role.SYSTEM_ADMINISTRATOR])


@pytest.fixture
def outsider() -> User:
    """Signed in, but with no role and no link to any child."""
    return UserFactory.create(first_name="Out")


@pytest.fixture
def child(social_worker: User) -> Child:
    return ChildFactory.create(first_name="Mina", last_name="Example", social_worker=social_worker)


@pytest.fixture
def child_known_to_police(child: Child, police_officer: User, police: Agency) -> Child:
    professional = ProfessionalFactory.create(
        name="Pip Officer", agency=police, job_title="Detective constable", user=police_officer
    )
    InvolvementFactory.create(professional=professional, child=child, role="Investigating officer")
    return child


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def as_user() -> Callable[[User], Client]:
    """as_user(person) -> a test client signed in as that person."""
    return signed_in


# Browser tests (convene/testing/browser.py) ---------------------------------------------


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Debian's Chromium, headless, driven by Playwright; skipped (or, when required, failed)
    where there is none."""
    yield from chromium(monkeypatch)


@pytest.fixture
def screenshots(request: pytest.FixtureRequest) -> Path:
    """var/test-artefacts/browser/<test>/, emptied: the numbered screenshots of each step."""
    return screenshot_folder(request.node.name)
