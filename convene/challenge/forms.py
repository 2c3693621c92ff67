"""Forms for answering a stage of an escalation and for the authority's stages."""

from __future__ import annotations

from typing import Any

from django import forms

from convene.core.forms import GovukDateField, GovukForm
from convene.people.models import Agency

from .models import AppealHelp, AppealOutcome, Appellant, ComplaintOutcome, StageHolder


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


EMAIL_ERRORS = {"invalid": "Enter an email address in the correct format, like name@example.com"}


class _Person(GovukForm):
    """Who appealed or complained, and where the written answer goes."""

    name = forms.CharField(
        label="Their name", max_length=200, error_messages={"required": "Enter their name"}
    )
    address = forms.CharField(
        label="Postal address (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "off"}),
        help_text="Where the written answer is posted.",
    )
    email = forms.EmailField(
        label="Email address (optional)", required=False, error_messages=EMAIL_ERRORS
    )
    received_on = GovukDateField(
        label="Date it was received",
        help_text="For example, 2 12 2026",
        error_messages={"required": "Enter the date it was received"},
    )


class AppealForm(_Person):
    child = forms.TypedChoiceField(
        label="Which child's decision is it about?",
        coerce=int,
        error_messages={"required": "Select the child whose decision it is about"},
    )
    appellant = forms.ChoiceField(
        label="Who is appealing?",
        choices=Appellant.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who is appealing"},
    )
    helped_by = forms.ChoiceField(
        label="Who helped them appeal?",
        choices=AppealHelp.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who helped them appeal"},
    )
    helper_name = forms.CharField(
        label="Name of the advocate or other helper (optional)", max_length=200, required=False
    )
    grounds = forms.CharField(
        label="Why they disagree with the decision",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="In their words, from their letter or what they said.",
        error_messages={"required": "Enter why they disagree with the decision"},
    )

    field_order = [
        "child",
        "appellant",
        "name",
        "helped_by",
        "helper_name",
        "grounds",
        "received_on",
        "address",
        "email",
    ]

    def __init__(self, *args: Any, children: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["child"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "Select a child"), *children]


class AppealAnswerForm(GovukForm):
    outcome = forms.ChoiceField(
        label="Is the appeal upheld?",
        choices=AppealOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the appeal is upheld"},
    )
    answer = forms.CharField(
        label="Your answer",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Written to the person who appealed, in plain words. It goes in the letter.",
        error_messages={"required": "Enter your answer"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ComplaintForm(_Person):
    complainant = forms.ChoiceField(
        label="Who is complaining?",
        choices=Appellant.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who is complaining"},
    )
    about = forms.CharField(
        label="What the complaint is about",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="How the conference was run: in their words.",
        error_messages={"required": "Enter what the complaint is about"},
    )
    agency = forms.ModelChoiceField(
        label="Is it only about one agency? (optional)",
        queryset=Agency.objects.order_by("name"),
        required=False,
        empty_label="No, it is about the conference",
        help_text="A complaint about one agency goes to that agency's own complaints process "
        "(London CP4 §12.5).",
    )

    field_order = ["complainant", "name", "about", "agency", "received_on", "address", "email"]


class ComplaintDecisionForm(GovukForm):
    outcome = forms.ChoiceField(
        label="What is the outcome?",
        choices=[
            (c.value, c.label) for c in ComplaintOutcome if c != ComplaintOutcome.REFERRED_TO_AGENCY
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome of the complaint"},
    )
    date_chosen = GovukDateField(
        label="Date the conference is to be held by",
        required=False,
        help_text="For reconvening, the date to hold it by; for a review brought forward, the "
        "date it is now due by. For example, 14 12 2026",
    )
    explanation = forms.CharField(
        label="Explanation",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Sent to the person who complained, in plain words.",
        error_messages={"required": "Enter the explanation the person who complained is sent"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
