"""Fixtures for dissent, appeals and complaints: a chair whose team has a manager (the chair's
manager, who holds the second stage of an escalation and decides complaints)."""

from __future__ import annotations

import pytest

from convene.access.enums import Role
from convene.access.models import User
from convene.testing.factories import TeamFactory, UserFactory


@pytest.fixture
def chair() -> User:
    team = TeamFactory.create(name="Conference Service")
    manager = UserFactory.create(first_name="Cara", team=team, roles=[Role.TEAM_MANAGER])
    team.manager = manager
    team.save()
    return UserFactory.create(first_name="Chris", team=team, roles=[Role.CONFERENCE_CHAIR])
