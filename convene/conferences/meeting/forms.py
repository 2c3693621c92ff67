"""Forms for the day of a conference: the attendance register and marking it held."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms

from convene.conferences.enums import Attendance
from convene.conferences.meeting.rules import attendance_problem
from convene.conferences.meeting.services import AttendanceEntry
from convene.conferences.models import Invitation
from convene.conferences.selectors import invitee_agency
from convene.core.forms import GovukForm, govuk_class

TIME_HINT = "Use the 24-hour clock, for example 10:30 or 14:05"


@dataclass(frozen=True)
class RegisterRow:
    invitation: Invitation
    attendance: forms.BoundField
    arrived_at: forms.BoundField
    left_at: forms.BoundField


def _who(invitation: Invitation) -> str:
    agency = invitee_agency(invitation)
    what = invitation.get_role_display()
    if agency is not None:
        what = f"{what}, {agency.name}"
    return f"{invitation.display_name or 'Unnamed invitee'} ({what})"


class AttendanceForm(GovukForm):
    """One question for each invitee: how did they attend? With times for part attendance."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, invitations: list[Invitation], **kwargs: Any) -> None:
        self.invitations = invitations
        initial = kwargs.setdefault("initial", {})
        for invitation in invitations:
            initial.setdefault(f"attendance_{invitation.pk}", invitation.attendance or None)
            initial.setdefault(f"arrived_{invitation.pk}", invitation.arrived_at)
            initial.setdefault(f"left_{invitation.pk}", invitation.left_at)
        super().__init__(*args, **kwargs)
        for invitation in invitations:
            who = _who(invitation)
            self.fields[f"attendance_{invitation.pk}"] = forms.ChoiceField(
                label=who,
                choices=Attendance.choices,
                widget=forms.RadioSelect,
                error_messages={"required": f"Select how {invitation.display_name} attended"},
            )
            for prefix, words in (("arrived", "arrived"), ("left", "left")):
                field = forms.TimeField(
                    label=f"Time they {words}",
                    required=False,
                    help_text=TIME_HINT,
                    widget=forms.TimeInput(format="%H:%M", attrs={"class": "govuk-input--width-5"}),
                    error_messages={"invalid": f"Enter the time they {words}, like 10:30"},
                )
                self.fields[f"{prefix}_{invitation.pk}"] = field
        # GovukForm styled the fields it was built with; these are added after.
        self._style_added_fields()

    def _style_added_fields(self) -> None:
        for name, field in self.fields.items():
            css = govuk_class(field.widget)
            existing = field.widget.attrs.get("class", "")
            if css and css not in existing.split():
                field.widget.attrs["class"] = f"{css} {existing}".strip()
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"id_{name}-hint"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for invitation in self.invitations:
            attendance = cleaned.get(f"attendance_{invitation.pk}")
            if attendance is None:
                continue
            problem = attendance_problem(
                attendance,
                cleaned.get(f"arrived_{invitation.pk}"),
                cleaned.get(f"left_{invitation.pk}"),
            )
            if problem is None:
                continue
            field, message = problem
            name = {"arrived_at": "arrived", "left_at": "left"}.get(field, "attendance")
            key = f"{name}_{invitation.pk}"
            if key not in self.errors:
                self.add_error(key, f"{invitation.display_name}: {message[0].lower()}{message[1:]}")
        return cleaned

    def rows(self) -> list[RegisterRow]:
        return [
            RegisterRow(
                invitation=i,
                attendance=self[f"attendance_{i.pk}"],
                arrived_at=self[f"arrived_{i.pk}"],
                left_at=self[f"left_{i.pk}"],
            )
            for i in self.invitations
        ]

    def entries(self) -> list[AttendanceEntry]:
        data = self.cleaned_data
        return [
            AttendanceEntry(
                invitation_id=i.pk,
                attendance=Attendance(data[f"attendance_{i.pk}"]),
                arrived_at=data.get(f"arrived_{i.pk}"),
                left_at=data.get(f"left_{i.pk}"),
            )
            for i in self.invitations
        ]


class MarkHeldForm(GovukForm):
    """The chair marks the conference held, with a reason when it was not quorate (§3.11)."""

    inquorate_reason = forms.CharField(
        label="Why did the conference go ahead without a quorum?",
        help_text="London Child Protection Procedures §3.11: an inquorate conference goes ahead "
        "only in exceptional circumstances, for reasons the chair records.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, inquorate: bool, **kwargs: Any) -> None:
        self.inquorate = inquorate
        super().__init__(*args, **kwargs)
        if not inquorate:
            del self.fields["inquorate_reason"]

    def clean_inquorate_reason(self) -> str:
        reason: str = self.cleaned_data.get("inquorate_reason", "").strip()
        if self.inquorate and not reason:
            raise forms.ValidationError("Enter why the conference went ahead without a quorum")
        return reason
