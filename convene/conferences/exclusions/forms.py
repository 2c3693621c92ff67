"""Forms for asking the chair to exclude someone, the chair's decision and the excluded
person's views (London CP4 §5)."""

from __future__ import annotations

from typing import Any

from django import forms

from convene.conferences.enums import ExclusionDecision
from convene.conferences.models import Invitation
from convene.conferences.reports.forms import InvitationChoiceField, text_field
from convene.core.forms import GovukForm


class ExclusionRequestForm(GovukForm):
    """London CP4 §5.2 to §5.3: who, on which grounds, and on what evidence."""

    invitation = InvitationChoiceField(
        queryset=Invitation.objects.none(),
        label="Who do you want the chair to exclude?",
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Select who you want the chair to exclude"},
    )
    grounds = text_field(
        "Which grounds do you believe are met?",
        help_text="For example, a risk of violence to the people at the conference, or that "
        "the child could not speak freely.",
        required=True,
    )
    evidence = text_field(
        "What information or evidence is the request based on?",
        required=True,
    )

    def __init__(self, *args: Any, invitations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["invitation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = invitations
        self.fields["grounds"].error_messages["required"] = "Enter the grounds you believe are met"
        self.fields["evidence"].error_messages["required"] = (
            "Enter the information or evidence the request is based on"
        )


class ExclusionDecisionForm(GovukForm):
    """London CP4 §5.5, §5.8: the chair's decision, final, for the minimum duration."""

    decision = forms.ChoiceField(
        label="Your decision",
        choices=[
            (ExclusionDecision.REFUSED.value, "Do not exclude them"),
            (ExclusionDecision.PART.value, "Exclude them from part of the conference"),
            (ExclusionDecision.WHOLE.value, "Exclude them from the whole conference"),
        ],
        widget=forms.RadioSelect,
        help_text="Your decision is final and cannot be changed afterwards.",
        error_messages={"required": "Select your decision"},
    )
    parts = text_field(
        "If part, which parts of the conference?",
        help_text="Exclude them for the shortest time needed, for example while the police "
        "share their information.",
        rows=3,
    )
    reasons = text_field("Your reasons", required=True)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reasons"].error_messages["required"] = "Enter the reasons for your decision"


class ExclusionViewsForm(GovukForm):
    """London CP4 §5.10: the excluded person's views, presented to the conference."""

    views = text_field(
        "Their views",
        help_text="What they want the conference to know, in their words, however they gave "
        "them: in writing, through the social worker or through an advocate.",
        required=True,
        rows=8,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["views"].error_messages["required"] = "Enter their views"
