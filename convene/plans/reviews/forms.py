"""Forms for bringing a review forward and recording the birth. They check what was typed; the
rules are in `rules.py` and the services."""

from __future__ import annotations

from typing import Any

from django import forms

from convene.core.forms import GovukDateField, GovukForm
from convene.people.enums import Sex
from convene.plans.enums import BroughtForwardReason

YES_NO = [("yes", "Yes"), ("no", "No")]


class BringForwardForm(GovukForm):
    """London CP4 §1.23, §3.12, §12.4: why, what has happened, and the new date."""

    reason = forms.ChoiceField(
        label="Why is the review brought forward?",
        choices=BroughtForwardReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why the review is brought forward"},
    )
    details = forms.CharField(
        label="What has happened?",
        help_text="In plain words, with dates. For example, what the new incident was, or what "
        "the core group asked for and why.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter what has happened, in plain words"},
    )
    due = GovukDateField(
        label="Date the review is now due by",
        help_text="Before the date it is due by now, and not in the past. For example, 14 1 2027",
        error_messages={"required": "Enter the date the review is now due by"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class BirthForm(GovukForm):
    """London CP4 §1.21: the date of birth, and whether the mother is well enough to go to a
    meeting in the first 10 days."""

    date_of_birth = GovukDateField(
        label="Date of birth",
        help_text="For example, 3 2 2027",
        error_messages={"required": "Enter the baby's date of birth"},
    )
    mother_unwell = forms.ChoiceField(
        label="Is the mother not well enough to go to a meeting in the first 10 days after the "
        "birth?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        help_text="If she is not well enough, the review or core group meeting after the birth "
        "can be held within 20 days instead of 10.",
        error_messages={"required": "Select whether the mother is well enough to go to a meeting"},
    )
    first_name = forms.CharField(
        label="The baby's first name (if known)", max_length=100, required=False
    )
    sex = forms.ChoiceField(
        label="The baby's sex",
        choices=[
            (Sex.FEMALE.value, "Female"),
            (Sex.MALE.value, "Male"),
            (Sex.UNKNOWN.value, "Not known"),
        ],
        widget=forms.RadioSelect,
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["first_name"].widget.attrs["autocomplete"] = "off"
