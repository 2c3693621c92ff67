"""The deadlines of a plan's life, worked by hand on the London profile: core groups (Cornwall
C:123), reviews brought forward (London CP4 §1.23), the review or core group after a birth
(§1.21) and child in need plan reviews (§10.10)."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from convene.access.enums import Role
from convene.authority.selectors import authority_procedures
from convene.conferences.enums import ConferenceType
from convene.plans.enums import BroughtForwardReason, MeetingStatus
from convene.plans.models import (
    ChildInNeedPlan,
    ChildInNeedPlanReview,
    CoreGroupMeeting,
    ReviewBroughtForward,
)
from convene.returns.deadlines import (
    BroughtForward,
    CinPlanFacts,
    DeadlineKind,
    OpenPlanFacts,
    cin_review_deadline,
    core_group_deadline,
    deadlines_as_of,
    plan_deadline,
    post_birth_deadline,
)
from convene.testing.factories import (
    ChildFactory,
    ConferenceFactory,
    PlanFactory,
    PlanReviewFactory,
    UserFactory,
)


@pytest.fixture
def london():
    return authority_procedures()


def _plan(**facts: object) -> OpenPlanFacts:
    facts.setdefault("child", "NM1")
    facts.setdefault("start_date", date(2026, 3, 9))
    return OpenPlanFacts(**facts)  # type: ignore[arg-type]


@pytest.mark.django_db
def test_the_first_core_group_is_due_10_working_days_after_the_plan_starts(london):
    found = core_group_deadline(
        _plan(keeps_core_groups=True), procedures=london, as_of=date(2026, 3, 9)
    )
    assert found is not None
    assert (found.kind, found.due) == (DeadlineKind.CORE_GROUP_FIRST, date(2026, 3, 23))
    assert found.explanation.startswith("10 working days after the initial conference")


@pytest.mark.django_db
def test_later_core_groups_are_due_6_weeks_after_the_last(london):
    found = core_group_deadline(
        _plan(keeps_core_groups=True, last_core_group=date(2026, 3, 20)),
        procedures=london,
        as_of=date(2026, 3, 20),
    )
    assert found is not None
    assert (found.kind, found.due) == (DeadlineKind.CORE_GROUP_NEXT, date(2026, 5, 1))


@pytest.mark.django_db
def test_no_core_group_deadline_for_a_plan_whose_core_groups_convene_does_not_keep(london):
    assert core_group_deadline(_plan(), procedures=london, as_of=date(2026, 3, 9)) is None


@pytest.mark.django_db
def test_a_review_brought_forward_is_due_on_its_new_date(london):
    brought = BroughtForward(date(2026, 2, 10), date(2026, 2, 24), "a new incident")
    later = BroughtForward(date(2026, 2, 11), date(2026, 5, 1), "another reason")
    found = plan_deadline(
        _plan(start_date=date(2026, 1, 5), brought_forward=(brought, later)),
        procedures=london,
        as_of=date(2026, 2, 25),
    )
    assert found is not None
    assert (found.kind, found.due, found.overdue) == (
        DeadlineKind.FIRST_REVIEW,
        date(2026, 2, 24),
        True,
    )
    assert found.explanation.startswith("brought forward on 10 February 2026 (a new incident)")
    # Before it was recorded, and after the review it brought forward, it does not count.
    before = plan_deadline(
        _plan(start_date=date(2026, 1, 5), brought_forward=(brought,)),
        procedures=london,
        as_of=date(2026, 2, 9),
    )
    assert before is not None and before.due == date(2026, 4, 5)
    reviewed = plan_deadline(
        _plan(
            start_date=date(2026, 1, 5),
            last_review=date(2026, 2, 20),
            brought_forward=(brought,),
        ),
        procedures=london,
        as_of=date(2026, 2, 25),
    )
    assert reviewed is not None
    assert (reviewed.kind, reviewed.due) == (DeadlineKind.NEXT_REVIEW, date(2026, 8, 20))


@pytest.mark.django_db
@pytest.mark.parametrize(("unwell", "due"), [(False, date(2026, 5, 14)), (True, date(2026, 5, 24))])
def test_after_a_pre_birth_conference_a_meeting_is_due_10_or_20_days_after_the_birth(
    london, unwell, due
):
    plan = _plan(start_date=date(2026, 3, 9), born=date(2026, 5, 4), mother_unwell=unwell)
    found = post_birth_deadline(plan, procedures=london, as_of=date(2026, 5, 5))
    assert found is not None and (found.kind, found.due) == (DeadlineKind.POST_BIRTH, due)
    met = _plan(start_date=date(2026, 3, 9), born=date(2026, 5, 4), met_since_birth=True)
    assert post_birth_deadline(met, procedures=london, as_of=date(2026, 5, 5)) is None
    # A plan that started after the birth was not made before it.
    after = _plan(start_date=date(2026, 6, 1), born=date(2026, 5, 4))
    assert post_birth_deadline(after, procedures=london, as_of=date(2026, 6, 2)) is None


@pytest.mark.django_db
def test_a_child_in_need_plan_is_reviewed_at_most_every_12_weeks(london):
    first = cin_review_deadline(
        CinPlanFacts(child="NM1", start_date=date(2026, 3, 27)),
        procedures=london,
        as_of=date(2026, 3, 27),
    )
    assert (first.kind, first.due) == (DeadlineKind.CIN_REVIEW, date(2026, 6, 19))
    later = cin_review_deadline(
        CinPlanFacts(child="NM1", start_date=date(2026, 3, 27), last_review=date(2026, 6, 1)),
        procedures=london,
        as_of=date(2026, 6, 1),
    )
    assert later.due == date(2026, 8, 24)


@pytest.mark.django_db
def test_the_command_lists_a_plans_core_groups_reviews_birth_and_child_in_need_reviews():
    """From the database, as `manage.py deadlines --format json` prints them."""
    manager = UserFactory.create(roles=[Role.TEAM_MANAGER])
    pre_birth = ConferenceFactory.create(type=ConferenceType.PRE_BIRTH, date=date(2026, 3, 9))
    baby = ChildFactory.create(date_of_birth=date(2026, 5, 4), la_child_id="NM-BABY")
    plan = PlanFactory.create(child=baby, start_date=date(2026, 3, 9), started_by=pre_birth)
    CoreGroupMeeting.objects.create(plan=plan, date=date(2026, 3, 20))
    CoreGroupMeeting.objects.create(
        plan=plan, date=date(2026, 4, 30), status=MeetingStatus.SCHEDULED
    )
    ReviewBroughtForward.objects.create(
        plan=plan,
        reason=BroughtForwardReason.BIRTH,
        details="Born early",
        due=date(2026, 5, 20),
        recorded_on=date(2026, 5, 4),
        recorded_by=manager,
    )
    other = ChildFactory.create(la_child_id="NM-CIN")
    cin = ChildInNeedPlan.objects.create(child=other, start_date=date(2026, 3, 27))
    ChildInNeedPlanReview.objects.create(cin_plan=cin, date=date(2026, 4, 24))
    # An imported plan with a review: its core groups are not Convene's to know.
    imported = PlanFactory.create(start_date=date(2025, 12, 1), ssd_plan_id="P9")
    PlanReviewFactory.create(plan=imported, date=date(2026, 3, 1))
    out = StringIO()
    call_command("deadlines", "--as-of", "2026-05-05", "--format", "json", stdout=out)
    found = {(d["child"], d["kind"]): d["due"] for d in json.loads(out.getvalue())}
    assert found == {
        ("NM-BABY", "core_group_next"): "2026-05-01",
        ("NM-BABY", "post_birth"): "2026-05-14",
        ("NM-BABY", "first_review"): "2026-05-20",
        ("NM-CIN", "cin_review"): "2026-07-17",
        (imported.child.la_child_id, "next_review"): "2026-09-01",
    }
    assert deadlines_as_of(as_of=date(2026, 5, 5), procedures=authority_procedures())
