"""Forms for reports, contributions and exclusion requests. Input checks only: the rules live
in rules_reports.py and the services."""

from __future__ import annotations

from typing import Any

from django import forms

from convene.conferences.models import ConferenceChild
from convene.core.forms import GovukDateField, GovukForm

YES_NO = [("yes", "Yes"), ("no", "No")]


class SubjectChoiceField(forms.ModelChoiceField):
    """A child at the conference, by name."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.child.display_name)


class InvitationChoiceField(forms.ModelChoiceField):
    """Someone invited, by name and role."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_name} ({obj.get_role_display()})"


def text_field(label: str, *, help_text: str = "", required: bool = False, rows: int = 5) -> Any:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class ReportForm(GovukForm):
    """The agreed pro forma (London CP4 §7.1, §7.9; Medway): facts, allegations and opinions
    kept apart."""

    facts = text_field(
        "Facts",
        help_text="What you know happened, with dates, and how you know: what you saw, were "
        "told by the child, or found in records.",
    )
    allegations = text_field(
        "Allegations",
        help_text="What someone has said happened that has not been shown to be true. Say who "
        "said it and when.",
    )
    opinions = text_field(
        "Your professional opinion", help_text="Your analysis of what the facts mean for the child."
    )
    worries = text_field("What are you worried about?")
    working_well = text_field("What is working well?")
    recommendation = text_field("Your recommendation to the conference", rows=3)
    version = forms.IntegerField(widget=forms.HiddenInput)


class SignForm(GovukForm):
    signed_by = forms.CharField(
        label="Type your full name to sign the report",
        help_text="Typing your name is your signature. The report is dated today and cannot be "
        "changed once submitted.",
        max_length=200,
        error_messages={"required": "Type your full name to sign the report"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ChildSeenForm(GovukForm):
    """London CP4 §7.5: when the child was seen, and if not alone who was there and why."""

    child = SubjectChoiceField(
        queryset=ConferenceChild.objects.none(),
        label="Which child was seen?",
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Select which child was seen"},
    )
    date = GovukDateField(
        label="Date the child was seen",
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date the child was seen"},
    )
    seen_alone = forms.ChoiceField(
        label="Was the child seen alone?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the child was seen alone"},
    )
    who_was_there = forms.CharField(
        label="If not alone, who was there?", max_length=300, required=False
    )
    why_not_alone = text_field("If not alone, why not?", rows=3)

    def __init__(self, *args: Any, subjects: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["child"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = subjects


class FamilyCommentsForm(GovukForm):
    comments = text_field(
        "The family's comments on the report",
        help_text="Include any factual errors they have pointed out.",
        required=True,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["comments"].error_messages["required"] = "Enter the family's comments"


class ChairSummaryForm(GovukForm):
    summary = text_field(
        "Your summary of the police report",
        help_text="Others at the conference see this summary, not the police report. Leave out "
        "confidential information about third parties.",
        required=True,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["summary"].error_messages["required"] = "Enter your summary"
