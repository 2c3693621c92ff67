"""Children in need episodes (referral to closure) and the section 47 enquiries within them."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from convene.people.models import Child

from .enums import ClosureReason, PrimaryNeed, ReferralSource


class Episode(models.Model):
    """A children in need episode: from the referral to the case's closure."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="episodes")
    referral_date = models.DateField()
    referral_source = models.CharField(max_length=2, choices=ReferralSource.choices, blank=True)
    primary_need = models.CharField(max_length=2, choices=PrimaryNeed.choices, blank=True)
    referral_nfa = models.BooleanField(
        "no further action on the referral",
        default=False,
        help_text="The referral was closed with no further action.",
    )
    closure_date = models.DateField(null=True, blank=True)
    closure_reason = models.CharField(max_length=3, choices=ClosureReason.choices, blank=True)
    team = models.CharField(max_length=200, blank=True)
    worker = models.CharField(max_length=200, blank=True)
    ssd_referral_id = models.CharField(max_length=48, unique=True, null=True, blank=True)

    class Meta:
        ordering = ["referral_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closure_date__isnull=True) | Q(closure_date__gte=F("referral_date")),
                name="episode_closes_after_referral",
            ),
        ]

    def __str__(self) -> str:
        return f"Referral of {self.referral_date:%-d %B %Y}"


class Section47Enquiry(models.Model):
    """Enquiries under section 47 of the Children Act 1989, started at a strategy discussion.

    The strategy discussion's date is the anchor of the initial conference's 15 working days.
    """

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="enquiries")
    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, related_name="enquiries", null=True, blank=True
    )
    strategy_discussion_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    conference_not_required = models.BooleanField(
        "no initial conference needed",
        default=False,
        help_text="The enquiry ended with no further action: no conference is needed.",
    )
    outcome_notes = models.TextField(blank=True)
    team = models.CharField(max_length=200, blank=True)
    worker = models.CharField(max_length=200, blank=True)
    ssd_enquiry_id = models.CharField(max_length=48, unique=True, null=True, blank=True)
    # The last day an initial conference counts as within 15 working days of the strategy
    # discussion in the national indicator, on the authority's calendar (decision 0032).
    # Kept by `returns.indicator_facts` (when the enquiry is recorded or imported, and when a
    # closure day or the nation changes); never edited by hand.
    icpc_indicator_due = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["strategy_discussion_date"]
        verbose_name = "section 47 enquiry"
        verbose_name_plural = "section 47 enquiries"
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("strategy_discussion_date")),
                name="enquiry_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"Section 47 enquiry from {self.strategy_discussion_date:%-d %B %Y}"
