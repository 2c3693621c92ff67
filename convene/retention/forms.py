from django import forms

from convene.authority.forms import WholeNumberField
from convene.core.forms import GovukForm


def _whole(label: str, help_text: str, low: int, high: int) -> WholeNumberField:
    return WholeNumberField(
        label=label,
        help_text=help_text,
        min_value=low,
        max_value=high,
        error_messages={
            "required": f"Enter {label.lower()}",
            "invalid": f"Enter {label.lower()} as a whole number",
            "min_value": f"{label} must be {low} or more",
            "max_value": f"{label} must be {high} or less",
        },
    )


class RetentionScheduleForm(GovukForm):
    case_record_until_age = _whole(
        "Keep a child protection case record until the child is",
        "An age in years, usually 25.",
        18,
        120,
    )
    case_record_older_at_closure = _whole(
        "Keep it one year longer if the child was at least this old when the case closed",
        "An age in years, usually 17.",
        0,
        25,
    )
    register_enquiry_months = _whole(
        "Months to keep enquiries about the list of children subject to a plan",
        "From the day the enquiry was recorded.",
        1,
        1200,
    )
    message_body_months = _whole(
        "Months to keep what e-mails and letters said",
        "From the day the message was queued. Who it went to and when is kept.",
        1,
        1200,
    )
    contribution_months = _whole(
        "Months to keep families' and children's uploaded contributions",
        "From the day it was uploaded.",
        1,
        1200,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class LegalHoldForm(GovukForm):
    la_child_id = forms.CharField(
        label="Local authority child ID",
        max_length=40,
        help_text="The child's ID in the case management system, for example NM100234.",
        error_messages={"required": "Enter the child's local authority child ID"},
    )
    reason = forms.CharField(
        label="Why must the child's records be kept?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: care proceedings, a court order, an inquiry, a complaint.",
        error_messages={"required": "Enter why the records must be kept"},
    )


class LiftHoldForm(GovukForm):
    reason = forms.CharField(
        label="Why can the hold be lifted?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Enter why the hold can be lifted"},
    )
