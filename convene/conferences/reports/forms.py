"""Forms for reports, contributions and exclusion requests. Input checks only: the rules live
in rules_reports.py and the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from convene.conferences.enums import ContributionKind, ExclusionDecision
from convene.conferences.models import ConferenceChild, Invitation
from convene.conferences.reports.rules import MAX_UPLOAD_BYTES, TOO_BIG
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


def _text(label: str, *, help_text: str = "", required: bool = False, rows: int = 5) -> Any:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class ReportForm(GovukForm):
    """The agreed pro forma (London CP4 §7.1, §7.9; Medway): facts, allegations and opinions
    kept apart."""

    facts = _text(
        "Facts",
        help_text="What you know happened, with dates, and how you know: what you saw, were "
        "told by the child, or found in records.",
    )
    allegations = _text(
        "Allegations",
        help_text="What someone has said happened that has not been shown to be true. Say who "
        "said it and when.",
    )
    opinions = _text(
        "Your professional opinion", help_text="Your analysis of what the facts mean for the child."
    )
    worries = _text("What are you worried about?")
    working_well = _text("What is working well?")
    recommendation = _text("Your recommendation to the conference", rows=3)
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
    why_not_alone = _text("If not alone, why not?", rows=3)

    def __init__(self, *args: Any, subjects: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["child"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = subjects


class FamilyCommentsForm(GovukForm):
    comments = _text(
        "The family's comments on the report",
        help_text="Include any factual errors they have pointed out.",
        required=True,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["comments"].error_messages["required"] = "Enter the family's comments"


class ChairSummaryForm(GovukForm):
    summary = _text(
        "Your summary of the police report",
        help_text="Others at the conference see this summary, not the police report. Leave out "
        "confidential information about third parties.",
        required=True,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["summary"].error_messages["required"] = "Enter your summary"


class ContributionForm(GovukForm):
    """London CP4 §4.16 to §4.17, §7.11: the family's and child's contributions in any form."""

    kind = forms.ChoiceField(
        label="What is it?",
        choices=ContributionKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the contribution is"},
    )
    from_whom = forms.CharField(
        label="Who is it from?",
        help_text="For example, Mina (the child), or her mother with help from an advocate",
        max_length=200,
        error_messages={"required": "Enter who the contribution is from"},
    )
    child = SubjectChoiceField(
        queryset=ConferenceChild.objects.none(),
        label="Which child is it about? (optional)",
        required=False,
        empty_label="All the children",
    )
    file = forms.FileField(
        label="Upload a file",
        help_text="A PDF, Word document, text file, picture (JPEG or PNG) or sound recording "
        "(MP3, M4A or WAV), smaller than 10MB",
        error_messages={
            "required": "Select a file",
            "empty": "The selected file is empty",
        },
    )

    def __init__(self, *args: Any, subjects: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["child"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = subjects

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        # Refused before it is read: the content checks are in rules_reports.upload_check.
        if (upload.size or 0) >= MAX_UPLOAD_BYTES:
            raise forms.ValidationError(TOO_BIG)
        return upload


class ExclusionRequestForm(GovukForm):
    """London CP4 §5.2 to §5.3: who, on which grounds, and on what evidence."""

    invitation = InvitationChoiceField(
        queryset=Invitation.objects.none(),
        label="Who do you want the chair to exclude?",
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Select who you want the chair to exclude"},
    )
    grounds = _text(
        "Which grounds do you believe are met?",
        help_text="For example, a risk of violence to the people at the conference, or that "
        "the child could not speak freely.",
        required=True,
    )
    evidence = _text(
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
    parts = _text(
        "If part, which parts of the conference?",
        help_text="Exclude them for the shortest time needed, for example while the police "
        "share their information.",
        rows=3,
    )
    reasons = _text("Your reasons", required=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reasons"].error_messages["required"] = "Enter the reasons for your decision"


class ExclusionViewsForm(GovukForm):
    """London CP4 §5.10: the excluded person's views, presented to the conference."""

    views = _text(
        "Their views",
        help_text="What they want the conference to know, in their words, however they gave "
        "them: in writing, through the social worker or through an advocate.",
        required=True,
        rows=8,
    )
    previous_views = forms.CharField(widget=forms.HiddenInput, required=False, strip=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["views"].error_messages["required"] = "Enter their views"
