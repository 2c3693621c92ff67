from datetime import date

import pytest
from django.urls import reverse

from convene.access.enums import AuditVerb
from convene.access.models import AuditEvent
from convene.authority.models import AuthoritySettings, ClosureDay
from convene.authority.selectors import authority_procedures
from convene.authority.services import authority_settings_get, authority_settings_update
from convene.core.services import Actor
from convene.timescales import Nation

pytestmark = pytest.mark.django_db


def test_a_new_installation_uses_london_with_england_and_wales():
    settings = authority_settings_get()
    assert (settings.profile, settings.nation) == ("london", Nation.ENGLAND_AND_WALES)
    # London CP4 §1.7: 15 working days after the strategy discussion.
    icpc = authority_procedures().timescale("icpc")
    assert icpc.due(date(2026, 11, 2)) == date(2026, 11, 23)


@pytest.mark.parametrize("persona", ["chair", "social_worker", "police_officer", "outsider"])
def test_anyone_signed_in_can_read_the_timescales(as_user, persona, request):
    body = as_user(request.getfixturevalue(persona)).get(reverse("authority:timescales"))
    text = body.content.decode()
    assert body.status_code == 200
    assert "initial child protection conference" in text.lower()
    assert "§1.7" in text


def test_the_timescales_page_says_which_rules_are_borrowed_from_london(as_user, chair):
    authority_settings_get()
    AuthoritySettings.objects.update(profile="medway")
    text = as_user(chair).get(reverse("authority:timescales")).content.decode()
    assert "Medway Safeguarding Children Board (2008)" in text
    assert "the rule comes from the London Safeguarding Children Procedures" in text
    # Medway sets 4 of the 26 rules; the other 22 are marked as London's.
    assert text.count("From London CP4") == 22
    assert "1 day before the initial conference" in text
    assert "Medway, “What happens before the conference?”" in text


@pytest.mark.parametrize(
    "url", ["authority:settings", "authority:closure-days"], ids=["settings", "closures"]
)
@pytest.mark.parametrize("persona", ["chair", "administrator", "team_manager", "outsider"])
def test_only_a_system_administrator_may_change_the_procedures(as_user, persona, url, request):
    client = as_user(request.getfixturevalue(persona))
    assert client.get(reverse(url)).status_code == 404
    assert client.post(reverse(url), {"profile": "cornwall"}).status_code == 404
    assert authority_settings_get().profile == "london"


def test_a_system_administrator_chooses_the_profile_and_nation(as_user, system_administrator):
    client = as_user(system_administrator)
    response = client.post(
        reverse("authority:settings"), {"profile": "cornwall", "nation": "scotland", "version": 1}
    )
    assert response.status_code == 302
    settings = authority_settings_get()
    assert (settings.profile, settings.nation, settings.version) == ("cornwall", "scotland", 2)
    assert AuditEvent.objects.filter(verb=AuditVerb.CHANGED, actor=system_administrator).exists()
    # Cornwall sends the record in 15 working days; Scotland keeps St Andrew's Day (30 Nov 2026).
    record = authority_procedures().timescale("record")
    assert record.due(date(2026, 11, 23)) == date(2026, 12, 15)


def test_a_stale_settings_form_is_refused_and_nothing_is_lost(as_user, system_administrator):
    client = as_user(system_administrator)
    client.post(
        reverse("authority:settings"), {"profile": "medway", "nation": "scotland", "version": 1}
    )
    response = client.post(
        reverse("authority:settings"),
        {"profile": "cornwall", "nation": "england-and-wales", "version": 1},
    )
    assert response.status_code == 200
    assert "This changed since you opened it" in response.content.decode()
    assert authority_settings_get().profile == "medway"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Select the procedures your authority follows"),
        ({"profile": "atlantis", "nation": "scotland", "version": 1}, "Select a valid choice"),
        ({"profile": "london", "nation": "wales", "version": 1}, "Select a valid choice"),
        ({"profile": "london", "nation": "scotland", "version": "x"}, "There is a problem"),
    ],
)
def test_a_malformed_settings_form_shows_an_error_summary(
    as_user, system_administrator, data, message
):
    response = as_user(system_administrator).post(reverse("authority:settings"), data)
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert message in response.content.decode()


def test_a_closure_day_moves_working_day_deadlines(as_user, system_administrator):
    client = as_user(system_administrator)
    response = client.post(
        reverse("authority:closure-days"),
        {"date_day": "20", "date_month": "11", "date_year": "2026", "description": "Office move"},
    )
    assert response.status_code == 302, response.content.decode()
    assert ClosureDay.objects.get().day == date(2026, 11, 20)
    # Without the closure: 2026-11-23. With Friday 20 November closed: one day later.
    assert authority_procedures().timescale("icpc").due(date(2026, 11, 2)) == date(2026, 11, 24)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"description": "x"}, "Enter the date the offices are closed"),
        (
            {"date_day": "31", "date_month": "2", "date_year": "2027", "description": "x"},
            "must be a real date",
        ),
        ({"date_day": "3", "date_year": "2027", "description": "x"}, "must include a month"),
        (
            {"date_day": "3", "date_month": "2", "date_year": "27", "description": "x"},
            "Year must include 4",
        ),
        ({"date_day": "3", "date_month": "2", "date_year": "2027"}, "Enter the reason"),
    ],
)
def test_a_malformed_closure_day_shows_an_error_summary(
    as_user, system_administrator, data, message
):
    response = as_user(system_administrator).post(reverse("authority:closure-days"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "govuk-error-summary" in response.content.decode()
    assert not ClosureDay.objects.exists()


def test_the_same_closure_day_cannot_be_added_twice(as_user, system_administrator):
    ClosureDay.objects.create(day=date(2026, 12, 29), description="Christmas")
    data = {"date_day": "29", "date_month": "12", "date_year": "2026", "description": "Again"}
    response = as_user(system_administrator).post(reverse("authority:closure-days"), data)
    assert "That date is already a closure day" in response.content.decode()


def test_a_closure_day_can_be_removed(as_user, system_administrator):
    closure = ClosureDay.objects.create(day=date(2026, 12, 29), description="Christmas")
    client = as_user(system_administrator)
    client.post(reverse("authority:closure-day-remove", args=[closure.pk]))
    assert not ClosureDay.objects.exists()
    assert AuditEvent.objects.filter(verb=AuditVerb.DELETED, object_repr__contains="Christmas")


def test_a_system_administrator_sets_the_number_of_children_in_the_area(
    as_user, system_administrator
):
    client = as_user(system_administrator)
    form = client.get(reverse("authority:settings")).content.decode()
    assert "How many children live in your authority" in form
    assert 'inputmode="numeric"' in form
    data = {"profile": "london", "nation": "england-and-wales", "version": 1}
    response = client.post(reverse("authority:settings"), {**data, "child_population": "48,000"})
    assert response.status_code == 302
    assert authority_settings_get().child_population == 48_000
    assert AuditEvent.objects.filter(reason__contains="child population 48,000").exists()
    # Emptying the box means the number is not known.
    client.post(reverse("authority:settings"), {**data, "version": 2, "child_population": ""})
    assert authority_settings_get().child_population is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("lots", "Number of children must be a whole number"),
        ("0", "Number of children must be 1 or more"),
        ("48000.5", "Number of children must be a whole number"),
        ("99999999999", "Number of children must be 20,000,000 or fewer"),
    ],
)
def test_a_child_population_that_is_not_a_number_is_refused(
    as_user, system_administrator, value, message
):
    data = {"profile": "london", "nation": "scotland", "version": 1, "child_population": value}
    response = as_user(system_administrator).post(reverse("authority:settings"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert authority_settings_get().nation == "england-and-wales"


def test_changing_the_procedures_alone_keeps_the_child_population(system_administrator):
    authority_settings_get()
    AuthoritySettings.objects.update(child_population=31_000)
    authority_settings_update(
        profile="medway", nation=Nation.ENGLAND_AND_WALES, version=1, by=Actor(system_administrator)
    )
    assert authority_settings_get().child_population == 31_000


@pytest.mark.parametrize("persona", ["chair", "administrator", "team_manager", "outsider"])
def test_only_a_system_administrator_may_remove_a_closure_day(as_user, persona, request):
    closure = ClosureDay.objects.create(day=date(2026, 12, 29), description="Christmas")
    client = as_user(request.getfixturevalue(persona))
    response = client.post(reverse("authority:closure-day-remove", args=[closure.pk]))
    assert response.status_code == 404
    assert ClosureDay.objects.filter(pk=closure.pk).exists()


def test_reading_the_timescales_changes_nothing(as_user, chair):
    as_user(chair).get(reverse("authority:timescales"))
    assert not AuthoritySettings.objects.exists()
