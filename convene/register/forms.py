"""Forms for enquiries: who is asking (first), then the child's details. They check what was
typed; the rules are in `rules.py` and the services."""

from __future__ import annotations

from typing import Any

from django import forms

from convene.core.forms import GovukDateField, GovukForm

from .models import IdentityCheck


class EnquirerForm(GovukForm):
    name = forms.CharField(
        label="Their full name",
        max_length=200,
        error_messages={"required": "Enter the full name of the person asking"},
    )
    organisation = forms.CharField(
        label="Their organisation",
        max_length=200,
        help_text="For example, Northmoor General Hospital emergency department",
        error_messages={"required": "Enter the organisation of the person asking"},
    )
    role = forms.CharField(
        label="Their job title or role",
        max_length=200,
        help_text="For example, emergency department nurse in charge",
        error_messages={"required": "Enter the job title or role of the person asking"},
    )
    contact_number = forms.CharField(
        label="Their contact telephone number",
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
        error_messages={"required": "Enter a telephone number for the person asking"},
    )
    reason = forms.CharField(
        label="Why are they asking?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example, a child has come to the emergency department with an injury",
        error_messages={"required": "Enter why they are asking"},
    )
    identity_check = forms.ChoiceField(
        label="How did you check who they are?",
        choices=IdentityCheck.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how you checked who they are"},
    )
    identity_details = forms.CharField(
        label="How you checked, if another way",
        max_length=300,
        required=False,
    )


class SearchForm(GovukForm):
    first_name = forms.CharField(
        label="Child's first name",
        max_length=100,
        help_text="Their full first name, as their parent or carer gives it",
        error_messages={"required": "Enter the child's first name"},
    )
    last_name = forms.CharField(
        label="Child's last name",
        max_length=100,
        error_messages={"required": "Enter the child's last name"},
    )
    date_of_birth = GovukDateField(
        label="Child's date of birth",
        help_text="For example, 27 3 2019",
        error_messages={"required": "Enter the child's date of birth"},
    )


class ReporterReferralForm(GovukForm):
    child = forms.TypedChoiceField(
        label="Which child is referred?",
        coerce=int,
        error_messages={"required": "Select the child who is referred"},
    )
    reasons = forms.CharField(
        label="Reasons for the referral",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Why compulsory measures of care may be needed. The reporter is sent these "
        "with the conference minutes.",
        error_messages={"required": "Enter the reasons for the referral"},
    )
    referred_on = GovukDateField(
        label="Date of the referral",
        help_text="For example, 2 12 2026",
        error_messages={"required": "Enter the date of the referral"},
    )
    report_sent = forms.BooleanField(
        label="The social work report (CP1) was sent with it", required=False
    )

    def __init__(self, *args: Any, children: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["child"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "Select a child"), *children]


class MinutesSentForm(GovukForm):
    sent_on = GovukDateField(
        label="Date the minutes were sent",
        help_text="For example, 14 12 2026",
        error_messages={"required": "Enter the date the minutes were sent"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
