from datetime import date

import pytest

from convene.access.enums import Role
from convene.access.models import RoleGrant, User
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
