"""The list of children subject to a plan and enquiries about it (issue 13, London CP4 §14.14
to §14.15): the enquirer's details before any answer, one search per enquiry by full names and
date of birth, answers that say only whether the child has a plan, no way to list children, a
limit on searches, and an alert when a second enquiry about a child follows the first."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from convene.access.enums import AuditVerb, Role
from convene.access.models import AuditEvent, User
from convene.notifications.models import SentMessage
from convene.people.models import Child
from convene.plans.enums import Category
from convene.register import rules
from convene.register.models import EnquiryOutcome, RegisterEnquiry
from convene.testing.factories import ChildFactory, PlanFactory, UserFactory
from convene.testing.pages import count_queries, main_content

pytestmark = pytest.mark.django_db

NOW = "2026-12-01 22:30 +0000"
BORN = date(2019, 3, 27)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def enquirer() -> User:
    return UserFactory.create(first_name="Felix", roles=[Role.LEGITIMATE_ENQUIRER])


@pytest.fixture
def manager() -> User:
    return UserFactory.create(first_name="Rhona", roles=[Role.REGISTER_MANAGER])


@pytest.fixture
def on_plan(child: Child, social_worker: User) -> Child:
    child.date_of_birth = BORN
    child.save()
    PlanFactory.create(
        child=child,
        start_date=date(2026, 9, 14),
        lead_social_worker=social_worker,
        latest_category=Category.PHYSICAL,
    )
    return child


DETAILS = {
    "name": "Priya Example",
    "organisation": "Northmoor General Hospital emergency department",
    "role": "Nurse in charge",
    "contact_number": "01632 960 555",
    "reason": "A child has come in with a burn",
    "identity_check": "called_back",
}


def _enquire(client: Client, first: str, last: str, born: date = BORN, **details: str):
    """Record who is asking, then search: the page a user would see after each."""
    started = client.post(reverse("register:enquiry-start"), {**DETAILS, **details})
    assert started.status_code == 302, started.content.decode()[:2000]
    search = started["Location"]
    return client.post(
        search,
        {
            "first_name": first,
            "last_name": last,
            "date_of_birth_day": born.day,
            "date_of_birth_month": born.month,
            "date_of_birth_year": born.year,
        },
        follow=True,
    )


# Rules --------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["M", "Mi*", "%", "Mi%", "_ina", "M?na", "[A-Z]", "12", "Mi^"])
def test_partial_names_and_wildcards_cannot_be_searched(typed: str):
    assert rules.name_problem(typed, "first name") is not None


@pytest.mark.parametrize(
    "typed", ["Mina", "Zoë", "O'Neil", "Anne-Marie", "Mary Jane", "D\u2019Arcy"]
)
def test_real_names_can_be_searched(typed: str):
    assert rules.name_problem(typed, "first name") is None


def test_names_match_whatever_their_case_accents_and_punctuation():
    zoe = rules.Candidate(1, "Zoë", "O'Neil-Smith")
    assert rules.match("zoe", "ONEIL SMITH", [zoe]) == rules.Match(None, 1)


def test_a_near_spelling_or_two_children_alike_are_not_answered():
    mina = rules.Candidate(1, "Mina", "Example")
    assert rules.match("Minna", "Example", [mina]).outcome == EnquiryOutcome.NOT_MATCHED
    twin = rules.Candidate(2, "Mina", "Example")
    assert rules.match("Mina", "Example", [mina, twin]).outcome == EnquiryOutcome.NOT_MATCHED
    assert rules.match("Oscar", "Other", [mina]).outcome == EnquiryOutcome.NOT_FOUND


def test_ten_searches_an_hour_then_wait():
    now = datetime(2026, 12, 1, 22, 30, tzinfo=UTC)
    recent = [now - timedelta(minutes=n) for n in range(10)]
    assert rules.searches_left(recent, now) == 0
    assert rules.next_search_at(recent, now) == now - timedelta(minutes=9) + timedelta(hours=1)
    assert rules.searches_left([now - timedelta(hours=2)], now) == 10


# Enquiries through the pages -------------------------------------------------------------


def test_who_is_asking_is_recorded_before_anything_can_be_searched(enquirer: User, as_user):
    client = as_user(enquirer)
    response = client.post(reverse("register:enquiry-start"), {**DETAILS, "reason": ""})
    assert response.status_code == 200
    assert "Enter why they are asking" in main_content(response)
    assert not RegisterEnquiry.objects.exists()
    response = client.post(
        reverse("register:enquiry-start"), {**DETAILS, "identity_check": "other"}
    )
    assert "Say how you checked who they are" in main_content(response)
    assert not RegisterEnquiry.objects.exists()


def test_a_child_on_a_plan_is_answered_with_only_what_the_enquirer_needs(
    enquirer: User, on_plan: Child, social_worker: User, as_user
):
    page = main_content(_enquire(as_user(enquirer), "mina", "EXAMPLE"))
    assert "Mina Example is subject to a child protection plan" in page
    assert "14 September 2026" in page and "Physical abuse" in page
    assert social_worker.get_full_name() in page and social_worker.email in page
    enquiry = RegisterEnquiry.objects.get()
    assert enquiry.outcome == EnquiryOutcome.ON_PLAN and enquiry.child == on_plan
    answered = AuditEvent.objects.get(verb=AuditVerb.ENQUIRY_ANSWERED)
    assert answered.child == on_plan and "Priya Example" in answered.reason


def test_a_child_known_but_not_on_a_plan_gets_the_same_answer_as_a_stranger(
    enquirer: User, child: Child, as_user
):
    child.date_of_birth = BORN
    child.save()  # known to children's social care, but with no plan
    client = as_user(enquirer)
    known = main_content(_enquire(client, "Mina", "Example"))
    stranger = main_content(_enquire(client, "Oscar", "Nobody"))
    assert (
        "No child protection plan found" in known and "No child protection plan found" in stranger
    )
    assert (
        known.replace("Mina Example", "X").replace("Oscar Nobody", "X")[:400]
        == (stranger.replace("Mina Example", "X").replace("Oscar Nobody", "X")[:400])
    )


def test_a_near_match_shows_no_other_childs_details(enquirer: User, on_plan: Child, as_user):
    ChildFactory.create(first_name="Minna", last_name="Exampel", date_of_birth=BORN)
    page = main_content(_enquire(as_user(enquirer), "Mina", "Exampel"))
    assert "We cannot answer from these details" in page
    assert "Minna" not in page and "Mina Example" not in page
    assert RegisterEnquiry.objects.get().child is None


def test_one_search_per_enquiry(enquirer: User, on_plan: Child, as_user):
    client = as_user(enquirer)
    _enquire(client, "Mina", "Example")
    enquiry = RegisterEnquiry.objects.get()
    again = client.post(
        reverse("register:enquiry-search", args=[enquiry.pk]),
        {
            "first_name": "Oscar",
            "last_name": "Other",
            "date_of_birth_day": "1",
            "date_of_birth_month": "1",
            "date_of_birth_year": "2020",
        },
    )
    assert again.status_code == 302  # straight to the answer already given
    enquiry.refresh_from_db()
    assert enquiry.first_name == "Mina"


def test_searches_are_limited_so_the_list_cannot_be_walked(enquirer: User, as_user):
    client = as_user(enquirer)
    for n in range(rules.SEARCHES_PER_HOUR):
        _enquire(client, "Oscar", "Nobody", born=date(2019, 1, 1) + timedelta(days=n))
    page = main_content(_enquire(client, "Oscar", "Nobody"))
    assert "You have made the most searches allowed in an hour" in page
    assert RegisterEnquiry.objects.filter(searched_at__isnull=False).count() == 10


def test_a_second_enquiry_within_30_days_alerts_the_lead_social_worker_and_manager(
    enquirer: User,
    on_plan: Child,
    social_worker: User,
    team_manager: User,
    as_user,
    django_capture_on_commit_callbacks,
):
    client = as_user(enquirer)
    with django_capture_on_commit_callbacks(execute=True):
        _enquire(client, "Mina", "Example")
    assert not SentMessage.objects.exists()
    other = as_user(UserFactory.create(roles=[Role.LEGITIMATE_ENQUIRER]))
    with django_capture_on_commit_callbacks(execute=True):
        page = main_content(_enquire(other, "Mina", "Example", name="PC Lee Example"))
    told = set(SentMessage.objects.values_list("to", flat=True))
    assert told == {social_worker.email, team_manager.email}
    assert all("Mina" not in m.subject + m.body for m in SentMessage.objects.all())
    assert "has been told" in page or "have been told" in page
    # The lead social worker sees who asked on the child's record.
    record = main_content(
        as_user(social_worker).get(reverse("people:child-detail", args=[on_plan.pk]))
    )
    assert "PC Lee Example" in record and "Repeat enquiry" in record


# Who may see what -------------------------------------------------------------------------


def test_an_enquirer_sees_only_their_own_enquiries_and_never_the_list(
    enquirer: User, on_plan: Child, as_user
):
    _enquire(as_user(enquirer), "Mina", "Example")
    enquiry = RegisterEnquiry.objects.get()
    other = as_user(UserFactory.create(roles=[Role.LEGITIMATE_ENQUIRER]))
    assert other.get(reverse("register:enquiry", args=[enquiry.pk])).status_code == 404
    assert "Mina" not in main_content(other.get(reverse("register:enquiries")))
    assert as_user(enquirer).get(reverse("register:list")).status_code == 404


def test_case_workers_and_others_cannot_enquire_or_see_the_list(
    social_worker: User, outsider: User, as_user
):
    for user in (social_worker, outsider):
        client = as_user(user)
        assert client.get(reverse("register:enquiry-start")).status_code == 404
        assert client.get(reverse("register:list")).status_code == 404
        assert client.get(reverse("register:enquiries")).status_code == 404


def test_the_designated_manager_sees_the_list_and_every_enquiry(
    manager: User, enquirer: User, on_plan: Child, as_user
):
    _enquire(as_user(enquirer), "Mina", "Example")
    client = as_user(manager)
    listing = main_content(client.get(reverse("register:list")))
    assert "Example, Mina" in listing or "Mina Example" in listing
    assert "Priya Example" in main_content(client.get(reverse("register:enquiries")))
    assert AuditEvent.objects.filter(verb=AuditVerb.VIEWED_REGISTER, actor=manager).exists()
    # The manager reads the answer but cannot search on another's enquiry.
    enquiry = RegisterEnquiry.objects.get()
    assert client.get(reverse("register:enquiry", args=[enquiry.pk])).status_code == 200
    assert client.get(reverse("register:enquiry-search", args=[enquiry.pk])).status_code == 404


def test_the_list_takes_as_many_queries_however_many_children(manager: User, as_user):
    client = as_user(manager)
    PlanFactory.create(child=ChildFactory.create(date_of_birth=BORN))
    few = count_queries(client, reverse("register:list"))
    for _ in range(8):
        PlanFactory.create(child=ChildFactory.create(date_of_birth=BORN))
    assert count_queries(client, reverse("register:list")) == few


# Register-based areas -------------------------------------------------------------------


def test_in_a_register_area_the_keeper_and_out_of_hours_are_told_at_once(
    on_plan: Child, settings, django_capture_on_commit_callbacks
):
    from convene.register.services import register_changed

    settings.REGISTER_KEEPER_EMAIL = "register.keeper@northmoor.example"
    settings.OUT_OF_HOURS_EMAIL = "out.of.hours@northmoor.example"
    plan = on_plan.plans.get()
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            register_changed(
                plan, placed=True, on=date(2026, 9, 14), conference=None, profile_name="london"
            )
            == 0
        )
        assert (
            register_changed(
                plan, placed=True, on=date(2026, 9, 14), conference=None, profile_name="register"
            )
            == 2
        )
        register_changed(
            plan, placed=False, on=date(2026, 12, 1), conference=None, profile_name="register"
        )
    placed = SentMessage.objects.filter(subject__contains="placed on")
    assert set(placed.values_list("to", flat=True)) == {
        "register.keeper@northmoor.example",
        "out.of.hours@northmoor.example",
    }
    message = placed.first()
    assert message is not None and "Mina" not in message.subject
    assert "Category: Physical abuse" in message.body and "Mina Example" in message.body
    assert SentMessage.objects.filter(subject__contains="removed from").count() == 2
