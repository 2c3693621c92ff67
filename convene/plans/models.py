"""Child protection plans, their review conferences and statutory visits.

The database refuses what must never happen: two open plans for one child, a plan that ends
on or before its start (DfE rule 8840), and a review held on or before the plan's start
(rule 8841, a trigger in migration 0002, as it compares two tables).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from convene.conferences.models import Conference, ConferenceChild
from convene.people.models import Child

from .enums import (
    ActionStatus,
    BroughtForwardReason,
    Category,
    CoreGroupKind,
    MeetingStatus,
    PlanEndReason,
)
from .rules import PlanFacts


class Plan(models.Model):
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="plans")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    end_reason = models.CharField(
        max_length=20, choices=PlanEndReason.choices, blank=True, default=PlanEndReason.NOT_RECORDED
    )
    initial_category = models.CharField(max_length=3, choices=Category.choices)
    latest_category = models.CharField(max_length=3, choices=Category.choices)
    # A plan another authority held, recorded so it counts as a previous plan; never exported
    # as this authority's own.
    other_authority = models.BooleanField("held by another authority", default=False)
    previous_plans_elsewhere = models.PositiveSmallIntegerField(
        default=0,
        help_text="Plans the child had in other authorities before this one that Convene "
        "does not hold as plans of their own.",
    )
    started_by = models.ForeignKey(
        Conference,
        on_delete=models.PROTECT,
        related_name="plans_started",
        null=True,
        blank=True,
        help_text="The conference that decided the child needed this plan.",
    )
    ssd_plan_id = models.CharField(max_length=48, unique=True, null=True, blank=True)
    # The outline plan drafted at the conference (London CP4 §9.7 to §9.9; Derbyshire D:14 to
    # D:17): the lead social worker, a contingency plan, and for unborn children and babies
    # the discussion of sudden unexpected death in infancy.
    lead_social_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="plans_led",
        null=True,
        blank=True,
    )
    contingency_plan = models.TextField(blank=True)
    sudi_discussion = models.TextField(blank=True)
    # London CP4 §1.21: after a pre-birth conference, the review or core group after the birth
    # is due within 10 days of it, or 20 when the mother is not well enough.
    mother_unwell_after_birth = models.BooleanField(default=False)
    # Raised on every change, so an edit made from a stale page is refused.
    version = models.PositiveIntegerField(default=1)
    # The national indicator "reviewed on time" as a date (decision 0032): the plan counts as
    # reviewed on time at any reference date up to this one. Worked out from the start and the
    # reviews by `returns.indicators.reviews_on_time_until` and kept by
    # `returns.indicator_facts` whenever they change; never edited by hand.
    reviews_on_time_until = models.DateField(null=True, blank=True, editable=False)
    # Whether the child had a plan before this one, here or elsewhere (NumberOfPreviousCPP > 0,
    # `plans.rules.previous_plan_count`), for the same indicators; kept the same way.
    later_plan = models.BooleanField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["start_date"]
        verbose_name = "child protection plan"
        constraints = [
            models.UniqueConstraint(
                fields=["child"], condition=Q(end_date__isnull=True), name="one_open_plan_per_child"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=F("start_date")),
                name="plan_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"Child protection plan from {self.start_date:%-d %B %Y}"

    @property
    def is_open(self) -> bool:
        return self.end_date is None


class PlanReview(models.Model):
    """A review conference held for a plan: the statutory fact the census and indicators use."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="reviews")
    date = models.DateField(help_text="The day the review conference was held.")
    attendance = models.OneToOneField(
        ConferenceChild,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_review",
        help_text="The child's place at the review conference.",
    )
    plan_continues = models.BooleanField(null=True, blank=True)
    quorate = models.BooleanField(null=True, blank=True)
    participation = models.CharField(max_length=10, blank=True)
    ssd_review_id = models.CharField(max_length=48, unique=True, null=True, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "date"], name="one_review_per_plan_per_day")
        ]

    def __str__(self) -> str:
        return f"Review on {self.date:%-d %B %Y}"


class Objective(models.Model):
    """What the plan is to achieve for the child, in plain words."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="objectives")
    text = models.TextField()

    class Meta:
        ordering = ["plan", "id"]

    def __str__(self) -> str:
        return self.text


class CoreGroupMember(models.Model):
    """Who works together on the plan: professionals, parents, supportive family and friends
    (Cornwall C:115; Derbyshire D:16)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="core_group")
    kind = models.CharField(max_length=20, choices=CoreGroupKind.choices)
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=200)
    agency = models.ForeignKey(
        "people.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    professional = models.ForeignKey(
        "people.Professional", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    adult = models.ForeignKey(
        "people.Adult", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    left_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "kind", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"


class Action(models.Model):
    """Who does what by when (Medway M:58; Derbyshire D:14): each action has an owner in the
    core group and a due date."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    objective = models.ForeignKey(
        Objective, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    text = models.TextField()
    owner = models.ForeignKey(CoreGroupMember, on_delete=models.PROTECT, related_name="actions")
    due = models.DateField()
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    progress = models.TextField(blank=True)
    done_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["plan", "due", "id"]

    def __str__(self) -> str:
        return self.text


class CoreGroupMeeting(models.Model):
    """A core group meeting for the plan: the first within 10 working days of the initial
    conference, then about every 6 weeks (Cornwall C:123). Scheduled, then its record: who
    came, the written views of those who could not, decisions and progress (London CP4
    §14.3)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="core_group_meetings")
    date = models.DateField()
    starts_at = models.TimeField(null=True, blank=True)
    venue = models.CharField(max_length=300, blank=True)
    status = models.CharField(
        max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.HELD
    )
    decisions = models.TextField(blank=True)
    # The core group may ask for the review to be brought forward (§1.23).
    early_review_requested = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["plan", "date"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "date"], name="one_core_group_per_plan_per_day")
        ]

    def __str__(self) -> str:
        return f"Core group meeting on {self.date:%-d %B %Y}"


class CoreGroupAttendance(models.Model):
    """Whether a member came, and the written views of a member who did not (§14.3)."""

    meeting = models.ForeignKey(
        CoreGroupMeeting, on_delete=models.CASCADE, related_name="attendance"
    )
    member = models.ForeignKey(CoreGroupMember, on_delete=models.PROTECT, related_name="+")
    attended = models.BooleanField()
    written_views = models.TextField(blank=True)

    class Meta:
        ordering = ["meeting", "member__name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="member_once_per_meeting")
        ]

    def __str__(self) -> str:
        return f"{self.member} at the {self.meeting}"


class ActionUpdate(models.Model):
    """Progress on an action, at a core group meeting or between them."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    meeting = models.ForeignKey(
        CoreGroupMeeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_updates",
    )
    date = models.DateField()
    status = models.CharField(max_length=20, choices=ActionStatus.choices)
    progress = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["action", "date", "id"]

    def __str__(self) -> str:
        return f"Progress on {self.action} on {self.date:%-d %B %Y}"


class ReviewBroughtForward(models.Model):
    """A review conference brought forward, with why and the day it is now due (London CP4
    §1.23). It applies until a review conference is held after it was recorded."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="brought_forward")
    reason = models.CharField(max_length=20, choices=BroughtForwardReason.choices)
    details = models.TextField()
    due = models.DateField(help_text="The day the review is now due by.")
    recorded_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["plan", "recorded_on", "id"]

    def __str__(self) -> str:
        return f"Review brought forward to {self.due:%-d %B %Y}"


class PlanEnding(models.Model):
    """A plan ended without a conference by a senior manager, in an allowed case, after
    consulting the agencies invited to the initial conference and the core group (London CP4
    §10.5 to §10.6, §2.6)."""

    plan = models.OneToOneField(Plan, on_delete=models.CASCADE, related_name="ending")
    reason = models.CharField(max_length=20, choices=PlanEndReason.choices)
    details = models.TextField()
    consultation = models.TextField(
        help_text="Who was consulted (agencies invited to the initial conference, the core "
        "group), when, and what they said."
    )
    consulted_on = models.DateField()
    ended_on = models.DateField()
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"Plan ended without a conference on {self.ended_on:%-d %B %Y}"


class ChildInNeedPlan(models.Model):
    """A child in need plan, decided at a conference or following a child protection plan
    (London CP4 §10.10): reviewed at most every 12 weeks while it lasts."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="cin_plans")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    decided_at = models.ForeignKey(
        ConferenceChild,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cin_plans",
    )
    follows = models.ForeignKey(
        Plan, on_delete=models.SET_NULL, null=True, blank=True, related_name="cin_plans"
    )

    class Meta:
        ordering = ["start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["child"], condition=Q(end_date__isnull=True), name="one_open_cin_plan"
            ),
        ]

    def __str__(self) -> str:
        return f"Child in need plan from {self.start_date:%-d %B %Y}"


class ChildInNeedPlanReview(models.Model):
    cin_plan = models.ForeignKey(ChildInNeedPlan, on_delete=models.CASCADE, related_name="reviews")
    date = models.DateField()

    class Meta:
        ordering = ["cin_plan", "date"]

    def __str__(self) -> str:
        return f"Child in need plan review on {self.date:%-d %B %Y}"


class Visit(models.Model):
    """A statutory visit to a child on a plan."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="visits")
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="visits", null=True, blank=True
    )
    date = models.DateField()
    seen = models.BooleanField(null=True, blank=True)
    seen_alone = models.BooleanField(null=True, blank=True)
    bedroom_seen = models.BooleanField(null=True, blank=True)
    ssd_visit_id = models.CharField(max_length=48, unique=True, null=True, blank=True)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"Visit on {self.date:%-d %B %Y}"


def plan_facts(plan: Plan) -> PlanFacts:
    return PlanFacts(
        start_date=plan.start_date,
        end_date=plan.end_date,
        previous_plans_elsewhere=plan.previous_plans_elsewhere,
        other_authority=plan.other_authority,
    )
