from typing import Any

from django import forms

from convene.core.forms import GovukDateField, GovukForm
from convene.timescales import get_profile, profile_names

from .models import NATION_CHOICES


def _profile_choices() -> list[tuple[str, str]]:
    return [(name, get_profile(name).title) for name in profile_names()]


class WholeNumberField(forms.IntegerField):
    """A whole number typed in a text box (GOV.UK asks for text inputs with a numeric keyboard,
    not number inputs); commas and spaces people type as thousands separators are allowed."""

    widget = forms.TextInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "spellcheck": "false"})

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str):
            value = value.replace(",", "").replace(" ", "")
        return super().to_python(value)


class AuthoritySettingsForm(GovukForm):
    profile = forms.ChoiceField(
        choices=_profile_choices,
        label="Which procedures does your authority follow?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the procedures your authority follows"},
    )
    nation = forms.ChoiceField(
        label="Whose bank holidays are not working days?",
        choices=NATION_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whose bank holidays your authority keeps"},
    )
    child_population = WholeNumberField(
        label="How many children live in your authority's area? (optional)",
        help_text="Children under 18, from the Office for National Statistics (ONS) mid-year "
        "population estimates, for example 48,000. The performance page uses it to show how many "
        "children in every 10,000 are on a child protection plan.",
        required=False,
        min_value=1,
        # More than the United Kingdom's children: a typing mistake, and too big to store.
        max_value=20_000_000,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
        error_messages={
            "invalid": "Number of children must be a whole number, like 48000",
            "min_value": "Number of children must be 1 or more",
            "max_value": "Number of children must be 20,000,000 or fewer",
        },
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ClosureDayForm(GovukForm):
    date = GovukDateField(
        label="Date the offices are closed",
        help_text="For example, 29 12 2026",
        error_messages={"required": "Enter the date the offices are closed"},
    )
    description = forms.CharField(
        label="Reason",
        max_length=200,
        help_text="For example, Christmas closure. Parents may see this.",
        error_messages={"required": "Enter the reason the offices are closed"},
    )


class LettersForm(GovukForm):
    """The letterhead, signature and contacts on every letter and record (issue 12)."""

    letter_name = forms.CharField(
        label="Name on letters",
        max_length=200,
        required=False,
        help_text="For example, Northmoor Borough Council, Children's Services.",
    )
    letter_address = forms.CharField(
        label="Postal address",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Families can reply to this address.",
    )
    letter_phone = forms.CharField(label="Phone number", max_length=40, required=False)
    letter_email = forms.EmailField(
        label="Email address",
        required=False,
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com"
        },
    )
    signature_block = forms.CharField(
        label="Signature block",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Printed under the chair's name, for example the team and its address.",
    )
    complaints_contact = forms.CharField(
        label="How to complain",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Who a family contacts to complain, and how.",
    )
    complaints_email = forms.EmailField(
        label="Complaints manager's email address",
        required=False,
        help_text="Told at once of every complaint about a conference (not shown to families).",
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com"
        },
    )
    appeals_contact = forms.CharField(
        label="How to appeal against a decision",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    logo = forms.FileField(
        label="Logo (optional)", required=False, help_text="A PNG or JPEG image, up to 1 MB."
    )
    word_template = forms.FileField(
        label="Word template (optional)",
        required=False,
        help_text="A .docx file made from the default template, keeping its {{ }} tags.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class GlossaryTermForm(GovukForm):
    term = forms.CharField(
        label="Word or abbreviation",
        max_length=100,
        error_messages={"required": "Enter the word or abbreviation"},
    )
    meaning = forms.CharField(
        label="What to say instead",
        max_length=300,
        error_messages={"required": "Enter the words a family would understand"},
    )
    avoid = forms.BooleanField(label="Never use it in a family's letter", required=False)
