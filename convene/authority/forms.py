from django import forms

from convene.core.forms import GovukDateField, GovukForm
from convene.timescales import get_profile, profile_names

from .models import NATION_CHOICES


def _profile_choices() -> list[tuple[str, str]]:
    return [(name, get_profile(name).title) for name in profile_names()]


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
