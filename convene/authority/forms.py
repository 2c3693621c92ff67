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
