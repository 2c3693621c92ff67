"""Forms for answering a stage of an escalation and for the authority's stages."""

from __future__ import annotations

from django import forms

from convene.core.forms import GovukForm

from .models import StageHolder


class AnswerForm(GovukForm):
    resolved = forms.TypedChoiceField(
        label="Is the disagreement resolved?",
        choices=[
            ("yes", "Yes, it is resolved"),
            ("no", "No, pass it to the next stage"),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the disagreement is resolved"},
    )
    answer = forms.CharField(
        label="Your answer",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What you decided and why. The agency or family that disagreed is told this.",
        error_messages={"required": "Enter your answer"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class StageForm(GovukForm):
    name = forms.CharField(
        label="What happens at this stage",
        max_length=200,
        error_messages={"required": "Enter what happens at this stage"},
    )
    holder = forms.ChoiceField(
        label="Who answers",
        choices=StageHolder.choices,
        error_messages={"required": "Select who answers at this stage"},
    )
    days = forms.IntegerField(
        label="Days to answer",
        min_value=1,
        max_value=365,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={"required": "Enter the number of days to answer"},
    )
    working_days = forms.TypedChoiceField(
        label="Counted in",
        choices=[("yes", "Working days"), ("no", "Calendar days")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select working days or calendar days"},
    )
