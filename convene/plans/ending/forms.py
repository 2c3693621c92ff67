"""Forms for ending a plan without a conference and for child in need plans. They check what was
typed; the rules are in `rules.py` and the services."""

from __future__ import annotations

from typing import Any

from django import forms

from convene.core.forms import GovukDateField, GovukForm
from convene.plans.ending.rules import NOT_ALLOWED, EndingFacts
from convene.plans.enums import ENDS_WITHOUT_CONFERENCE, PlanEndReason

# The allowed cases, as a senior manager reads them (London CP4 §10.5 to §10.6, §2.6).
REASON_CHOICES = [
    (PlanEndReason.TURNED_18.value, "The young person has turned 18"),
    (PlanEndReason.DIED.value, "The child has died"),
    (PlanEndReason.LEFT_COUNTRY.value, "The child has left the country"),
    (
        PlanEndReason.TRANSFERRED.value,
        "The child has moved, and the receiving authority has held its transfer-in conference",
    ),
    (PlanEndReason.CARE_ORDER.value, "The child is looked after under a care order"),
]
assert {value for value, _label in REASON_CHOICES} == set(ENDS_WITHOUT_CONFERENCE)


class EndingForm(GovukForm):
    reason = forms.ChoiceField(
        label="Why is the plan ending without a conference?",
        choices=REASON_CHOICES,
        widget=forms.RadioSelect,
        help_text="In any other case, the plan ends at a review conference.",
        error_messages={"required": "Select why the plan is ending", "invalid_choice": NOT_ALLOWED},
    )
    details = forms.CharField(
        label="Details",
        help_text="For example, the date of the care order and the court, or the authority the "
        "child moved to and the date of its conference.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the details of why the plan is ending"},
    )
    consultation = forms.CharField(
        label="Who did you consult, and what did they say?",
        help_text="The agencies invited to the initial conference and the core group. This is "
        "recorded on the child's record.",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": "Record who you consulted (the agencies invited to the initial "
            "conference and the core group) and what they said"
        },
    )
    consulted_on = GovukDateField(
        label="Date you consulted them",
        help_text="For example, 20 11 2026",
        error_messages={"required": "Enter the date you consulted the agencies and the core group"},
    )
    ended_on = GovukDateField(
        label="Date the plan ends",
        help_text="Today or earlier, and after the plan started",
        error_messages={"required": "Enter the date the plan ends"},
    )
    cin_plan_follows = forms.BooleanField(
        label="Support continues: a child in need plan follows",
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    @staticmethod
    def facts(data: dict[str, Any]) -> EndingFacts:
        """What was typed, for the rules and the service."""
        return EndingFacts(
            reason=data["reason"],
            details=data["details"],
            consultation=data["consultation"],
            consulted_on=data["consulted_on"],
            ended_on=data["ended_on"],
            cin_plan_follows=bool(data.get("cin_plan_follows")),
        )


class CinReviewForm(GovukForm):
    date = GovukDateField(
        label="Date of the review",
        help_text="For example, 20 11 2026",
        error_messages={"required": "Enter the date of the review"},
    )


class CinEndForm(GovukForm):
    end_date = GovukDateField(
        label="Date the child in need plan ends",
        help_text="For example, 20 11 2026",
        error_messages={"required": "Enter the date the plan ends"},
    )
