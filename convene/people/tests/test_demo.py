from datetime import date

import pytest

from convene.access.enums import Role
from convene.access.models import RoleGrant, User
from convene.authority.models import ClosureDay
from convene.authority.selectors import authority_procedures
from convene.people.demo import load_demo
from convene.people.models import Child, Household

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_user_for_every_role_and_an_unborn_baby():
    summary = load_demo(today=date(2026, 11, 24))
    assert summary.loaded
    assert set(RoleGrant.objects.values_list("role", flat=True)) == set(Role)
    assert Child.objects.filter(date_of_birth__isnull=True).exists()
    assert Household.objects.count() >= 4
    assert all(user.email.endswith(".example") for user in User.objects.all())


def test_loading_the_demo_twice_changes_nothing():
    load_demo(today=date(2026, 11, 24))
    counts = (User.objects.count(), Child.objects.count())
    assert not load_demo(today=date(2026, 11, 25)).loaded
    assert (User.objects.count(), Child.objects.count()) == counts


def test_the_demo_authority_closes_between_christmas_and_new_year():
    load_demo(today=date(2026, 11, 24))
    days = list(ClosureDay.objects.values_list("day", flat=True))
    assert days == [date(2026, 12, 29), date(2026, 12, 30), date(2026, 12, 31)]
    # The closure moves a deadline: 15 working days after 14 December 2026 is 7 January
    # 2027 on England's calendar, and 3 working days later with the offices closed.
    icpc = authority_procedures().timescale("icpc")
    assert icpc.due(date(2026, 12, 14)) == date(2027, 1, 12)
