"""Forms for the decision letter, the record and the post room."""

from __future__ import annotations

from typing import Any

from django import forms

from convene.conferences.letters.enums import CopyChoice
from convene.core.forms import GovukDateField, GovukForm


class VersionForm(GovukForm):
    """A button that changes one record: only its version, so a stale page is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class RecipientsForm(GovukForm):
    """Who to send to: everyone who has not had it is ticked."""

    recipients = forms.MultipleChoiceField(
        label="Send to",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select who to send it to"},
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["recipients"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = choices
        field.error_messages["invalid_choice"] = "Select people from the list"


class PostedForm(GovukForm):
    copies = forms.MultipleChoiceField(
        label="Letters you have printed and posted",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select the letters you have posted"},
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["copies"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = choices
        field.error_messages["invalid_choice"] = "Select letters from the list"


class SectionForm(GovukForm):
    body = forms.CharField(
        label="What the record says",
        widget=forms.Textarea(attrs={"rows": 12}),
        required=False,
        max_length=20000,
    )
    confidential = forms.BooleanField(
        label="Confidential: leave this section out of the family's copies",
        help_text="For example, police information or what a third party told the conference.",
        required=False,
    )
    confidential_reason = forms.CharField(
        label="Why it is confidential", required=False, max_length=300
    )
    during_exclusion = forms.BooleanField(
        label="Discussed while someone was excluded from the meeting",
        help_text="Left out of the copy of the part of the meeting they attended.",
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class CorrectForm(GovukForm):
    reason = forms.CharField(
        label="Why does the record need correcting?",
        help_text="Everyone who reads the new version sees this.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Say why the record is being corrected"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class CopyDecisionForm(GovukForm):
    invitation = forms.TypedChoiceField(
        label="Who is this decision for?", coerce=int, widget=forms.RadioSelect
    )
    choice = forms.ChoiceField(
        label="Should they get the record?",
        choices=CopyChoice.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether they get the record"},
    )
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Give the reason for your decision"},
    )

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["invitation"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = people
        field.error_messages |= {
            "required": "Select who the decision is for",
            "invalid_choice": "Select someone from the list",
        }


class RepresentativeForm(GovukForm):
    """The chair's decision on a request for the record from a child's legal representative
    who was not invited (London CP4 §14.8)."""

    child = forms.TypedChoiceField(
        label="Which child do they represent?", coerce=int, widget=forms.RadioSelect
    )
    name = forms.CharField(
        label="Their name",
        max_length=200,
        error_messages={"required": "Enter the legal representative's name"},
    )
    organisation = forms.CharField(
        label="Their firm or organisation",
        max_length=200,
        error_messages={"required": "Enter their firm or organisation"},
    )
    email = forms.EmailField(
        label="Email address",
        help_text="The record is emailed when there is one; otherwise it is posted.",
        required=False,
        max_length=254,
        error_messages={"invalid": "Enter an email address like name@example.org"},
    )
    address = forms.CharField(
        label="Postal address",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=1000,
    )
    choice = forms.ChoiceField(
        label="Should they get the record?",
        choices=[
            (CopyChoice.WHOLE.value, "Yes, send them the record without its confidential sections"),
            (CopyChoice.NONE.value, "No, do not send them a copy"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether they get the record"},
    )
    with_letter = forms.BooleanField(label="Send them the decision letter too", required=False)
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Give the reason for your decision"},
    )

    def __init__(self, *args: Any, children: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["child"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = children
        field.error_messages |= {
            "required": "Select which child they represent",
            "invalid_choice": "Select a child from the list",
        }


class AmendmentForm(GovukForm):
    copy = forms.TypedChoiceField(label="Who is asking?", coerce=int)
    received_on = GovukDateField(
        label="When did their request arrive?",
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date the request arrived"},
    )
    request = forms.CharField(
        label="What do they want changed?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={"required": "Enter what they want changed"},
    )

    def __init__(self, *args: Any, copies: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["copy"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "Select who is asking"), *copies]
        field.error_messages |= {
            "required": "Select who is asking",
            "invalid_choice": "Select someone from the list",
        }


class AnswerForm(GovukForm):
    accept = forms.TypedChoiceField(
        label="Will you change the record?",
        choices=[("yes", "Yes, accept the amendment"), ("no", "No, refuse it")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you accept the amendment"},
    )
    answer = forms.CharField(
        label="Your answer and the reason for it",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={"required": "Give your answer and the reason for it"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
