"""Forms for inviting people to a conference. Rules live in `rules` and the services;
these only turn what was typed into values, with GOV.UK error messages."""

from __future__ import annotations

from typing import Any

from django import forms

from convene.conferences.enums import Delivery, InviteeRole, RecordingDecision, Response
from convene.conferences.invitations.selectors import SOMEONE_NEW
from convene.core.forms import GovukForm
from convene.people.models import Agency

# Whom the "someone else" form adds: people not recorded elsewhere in Convene.
OTHER_ROLES = [
    (InviteeRole.SUPPORTER.value, "Supporter or friend of the family"),
    (InviteeRole.ADVOCATE.value, "Advocate"),
    (InviteeRole.INTERPRETER.value, "Interpreter"),
    (InviteeRole.OBSERVER.value, "Professional observer (needs the chair's and family's consent)"),
]

YES_NO_UNKNOWN = [("yes", "Yes"), ("no", "No"), ("", "Not asked yet")]


def to_bool(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def from_bool(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


class SuggestedInviteesForm(GovukForm):
    invitees = forms.MultipleChoiceField(
        label="Who do you want to invite?",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one person to invite"},
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["invitees"].choices = choices  # type: ignore[attr-defined]


class _ContactMixin(forms.Form):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        delivery = data.get("delivery")
        if delivery == Delivery.EMAIL and not data.get("email"):
            self.add_error("email", "Enter an email address, or choose a printed letter")
        if delivery == Delivery.LETTER and not (data.get("address") or "").strip():
            self.add_error("address", "Enter a postal address, or choose email")
        return data


def _delivery_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="How should they be invited?",
        choices=Delivery.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how they should be invited"},
    )


def _email_field() -> forms.EmailField:
    return forms.EmailField(
        label="Email address",
        required=False,
        max_length=254,
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com"
        },
    )


def _address_field() -> forms.CharField:
    return forms.CharField(
        label="Postal address",
        help_text="For a printed letter. Put the postcode on the last line.",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class OtherInviteeForm(_ContactMixin, GovukForm):
    role = forms.ChoiceField(
        label="Who are they?",
        choices=OTHER_ROLES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who they are"},
    )
    name = forms.CharField(
        label="Full name",
        max_length=200,
        error_messages={"required": "Enter their full name"},
    )
    delivery = _delivery_field()
    email = _email_field()
    address = _address_field()


class NeedsForm(_ContactMixin, GovukForm):
    delivery = _delivery_field()
    email = _email_field()
    address = _address_field()
    interpreter_language = forms.CharField(
        label="Language they need an interpreter for (if any)",
        help_text="For example, Polish, or British Sign Language",
        required=False,
        max_length=100,
    )
    interpreter_booked = forms.BooleanField(label="The interpreter is booked", required=False)
    sensory_needs = forms.CharField(
        label="Sensory disability (if any)",
        help_text="For example, partially sighted: needs large print",
        required=False,
        max_length=300,
    )
    dyslexia = forms.BooleanField(label="Has dyslexia", required=False)
    virtual_access = forms.BooleanField(label="Needs help to join online", required=False)
    other_needs = forms.CharField(
        label="Anything else they need to take part",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("interpreter_booked") and not (data.get("interpreter_language") or "").strip():
            self.add_error(
                "interpreter_language", "Enter the language before marking an interpreter booked"
            )
        return data


class ResponseForm(GovukForm):
    response = forms.ChoiceField(
        label="What is their answer?",
        choices=[c for c in Response.choices if c[0] != Response.AWAITING],
        widget=forms.RadioSelect,
        help_text="A professional who cannot come must still send a report (London CP4 §3.4).",
        error_messages={"required": "Select their answer"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ConsentForm(GovukForm):
    chair_consents = forms.ChoiceField(
        label="Does the chair consent to the observer attending?",
        choices=YES_NO_UNKNOWN,
        widget=forms.RadioSelect,
        required=False,
    )
    family_consents = forms.ChoiceField(
        label="Does the family consent to the observer attending?",
        choices=YES_NO_UNKNOWN,
        widget=forms.RadioSelect,
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, chair: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not chair:
            del self.fields["chair_consents"]


class SendForm(GovukForm):
    again = forms.ChoiceField(
        label="Which invitations do you want to send?",
        choices=[
            ("no", "Only those not sent yet"),
            ("yes", "All of them again, because the date, time or place changed"),
        ],
        widget=forms.RadioSelect,
        initial="no",
        error_messages={"required": "Select which invitations to send"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class RecordingRequestForm(GovukForm):
    requested_by = forms.CharField(
        label="Who asked to record the meeting?",
        help_text="Their name and how they are connected to the child, for example: "
        "Sam Example, father",
        max_length=200,
        error_messages={"required": "Enter who asked to record the meeting"},
    )


class RecordingDecisionForm(GovukForm):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[
            (RecordingDecision.AGREED.value, "Agree, with limits"),
            (RecordingDecision.REFUSED.value, "Refuse"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you agree or refuse"},
    )
    limits = forms.CharField(
        label="The limits the family agreed to",
        help_text="For example: only for the family's own use and any family court proceedings; "
        "not to be shared or broadcast (London CP4 §3.9).",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reasons = forms.CharField(
        label="Reasons for refusing",
        help_text="Take legal advice before refusing (London CP4 §3.9).",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        decision = data.get("decision")
        if decision == RecordingDecision.AGREED and not (data.get("limits") or "").strip():
            self.add_error("limits", "Enter the limits the family agreed to")
        if decision == RecordingDecision.REFUSED and not (data.get("reasons") or "").strip():
            self.add_error("reasons", "Enter the reasons for refusing")
        return data


class AgencyForm(GovukForm):
    """The first question when inviting a professional: which agency they are from. Sent by
    GET, so the second page has an address of its own."""

    agency = forms.ChoiceField(
        label="Which agency are they from?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the agency they are from",
            "invalid_choice": "Select the agency they are from",
        },
    )

    def __init__(self, *args: Any, agencies: list[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [  # type: ignore[attr-defined]
            (str(a.pk), f"{a.name} ({a.get_type_display().lower()})") for a in agencies
        ]


class ProfessionalForm(GovukForm):
    """Who, from the agency, is invited, and their role with the children."""

    who = forms.ChoiceField(
        label="Who are you inviting?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select who you are inviting",
            "invalid_choice": "Select who you are inviting",
        },
    )
    name = forms.CharField(label="Full name", required=False, max_length=200)
    job_title = forms.CharField(
        label="Job title",
        help_text="For example, detective constable",
        required=False,
        max_length=200,
    )
    email = _email_field()
    role = forms.CharField(
        label="What is their role with the children?",
        help_text="For example, investigating officer or school nurse. It is recorded as their "
        "work with each child the conference is about, from today, unless they already work "
        "with the child.",
        required=False,
        max_length=200,
    )
    agency = forms.IntegerField(widget=forms.HiddenInput)
    q = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["who"].choices = [  # type: ignore[attr-defined]
            *choices,
            (SOMEONE_NEW, "Someone not listed here"),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("who") == SOMEONE_NEW:
            if not (data.get("name") or "").strip():
                self.add_error("name", "Enter their full name")
            if not (data.get("job_title") or "").strip():
                self.add_error("job_title", "Enter their job title")
        return data
