"""Forms for core group meetings: when and where, and the record."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from convene.conferences.convening.forms import TimeField
from convene.core.forms import GovukDateField, GovukForm
from convene.plans.enums import ActionStatus
from convene.plans.models import Action, CoreGroupMember

TEXT = {"rows": 3}


class ScheduleForm(GovukForm):
    date = GovukDateField(
        label="Date of the meeting",
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date of the meeting"},
    )
    starts_at = TimeField(
        label="Start time",
        help_text="Use the 24-hour clock, for example 10:00",
        error_messages={
            "required": "Enter the start time",
            "invalid": "Start time must be a time, like 10:00",
        },
    )
    venue = forms.CharField(
        label="Where is the meeting?",
        help_text="The building and room, the family's home, or how to join online.",
        max_length=300,
        error_messages={"required": "Enter where the meeting is, or how to join it online"},
    )


class RescheduleForm(ScheduleForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class CancelForm(GovukForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


ATTENDED = [("yes", "Yes"), ("no", "No")]


class RecordForm(GovukForm):
    """The record of a meeting: a pair of fields for each member invited (`attended_<id>`,
    `views_<id>`), the decisions, a trio for each open action (`status_<id>`,
    `progress_<id>`, `version_<id>`), and a request for an early review."""

    decisions = forms.CharField(
        label="Decisions and agreements",
        help_text="In plain words the family can understand.",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter what the core group decided"},
    )
    early_review = forms.BooleanField(
        label="The core group asks for the review conference to be brought forward",
        required=False,
    )
    early_review_reason = forms.CharField(
        label="Why the core group asks for an early review",
        help_text="For example, a new incident, or the plan is not keeping the child safe.",
        required=False,
        widget=forms.Textarea(attrs=TEXT),
    )
    early_review_due = GovukDateField(
        label="Date the core group wants the review by (optional)",
        help_text="Leave blank for 20 working days after the meeting.",
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        members: Sequence[CoreGroupMember],
        actions: Sequence[Action],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.members, self.actions = list(members), list(actions)
        for member in self.members:
            self.add_field(
                f"attended_{member.pk}",
                forms.TypedChoiceField(
                    label=f"Did {member.name} ({member.role}) come?",
                    choices=ATTENDED,
                    coerce=lambda value: value == "yes",
                    empty_value=None,
                    widget=forms.RadioSelect,
                    error_messages={"required": f"Select whether {member.name} came"},
                ),
            )
            self.add_field(
                f"views_{member.pk}",
                forms.CharField(
                    label=f"Written views of {member.name}, if they did not come",
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 2}),
                ),
            )
        for action in self.actions:
            self.add_field(
                f"status_{action.pk}",
                forms.ChoiceField(label="Where is it up to?", choices=ActionStatus.choices),
            )
            self.add_field(
                f"progress_{action.pk}",
                forms.CharField(
                    label="Progress discussed at the meeting",
                    help_text="Leave blank if it was not discussed. When it is done, say how; "
                    "when it is no longer needed, say why.",
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 2}),
                ),
            )
            self.add_field(f"version_{action.pk}", forms.IntegerField(widget=forms.HiddenInput))
            self.initial.setdefault(f"status_{action.pk}", action.status)
            self.initial.setdefault(f"version_{action.pk}", action.version)
        # The order the page asks in: who came, then what was decided and done.
        order = [f"{kind}_{m.pk}" for m in self.members for kind in ("attended", "views")]
        order += ["decisions"]
        order += [
            f"{kind}_{a.pk}" for a in self.actions for kind in ("status", "progress", "version")
        ]
        order += ["early_review", "early_review_reason", "early_review_due", "version"]
        self.order_fields(order)

    def member_rows(self) -> list[tuple[CoreGroupMember, forms.BoundField, forms.BoundField]]:
        return [(m, self[f"attended_{m.pk}"], self[f"views_{m.pk}"]) for m in self.members]

    def action_rows(
        self,
    ) -> list[tuple[Action, forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [
            (a, self[f"status_{a.pk}"], self[f"progress_{a.pk}"], self[f"version_{a.pk}"])
            for a in self.actions
        ]
