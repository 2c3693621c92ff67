"""Shared by the letters and record tests: the demo's pre-birth conference for the unborn
Harlow baby, decided in Convene, with its chair and administrator."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from convene.access.models import User
from convene.authority.selectors import authority_procedures
from convene.conferences.enums import ConferenceStatus, ConferenceType
from convene.conferences.models import Conference
from convene.core.services import Actor
from convene.people.demo import load_demo
from convene.timescales import Profile

TODAY = date(2026, 11, 24)


@dataclass
class Demo:
    conference: Conference
    chair: Actor
    administrator: Actor
    profile: Profile
    today: date


@pytest.fixture
def demo(db: None) -> Demo:
    load_demo(today=TODAY)
    conference = Conference.objects.get(
        status=ConferenceStatus.HELD,
        type=ConferenceType.PRE_BIRTH,
        subjects__decided_on__isnull=False,
    )
    assert conference.chair is not None
    administrator = User.objects.get(email__startswith="dana.whitlock@")
    return Demo(
        conference=conference,
        chair=Actor(conference.chair),
        administrator=Actor(administrator),
        profile=authority_procedures(),
        today=TODAY,
    )
