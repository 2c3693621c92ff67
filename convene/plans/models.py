"""Child protection plans, their review conferences and statutory visits.

The database refuses what must never happen: two open plans for one child, a plan that ends
on or before its start (DfE rule 8840), and a review held on or before the plan's start
(rule 8841, a trigger in migration 0002, as it compares two tables).
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from convene.conferences.models import Conference, ConferenceChild
from convene.people.models import Child

from .enums import Category, PlanEndReason
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
