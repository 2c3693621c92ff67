"""Forms for keeping the plan up to date. The outline plan's forms (drafted at the conference)
are the starting point: the same questions, with the version of what they change."""

from __future__ import annotations

from typing import Any

from django import forms

from convene.conferences.decision.forms import ActionForm, MemberForm, ObjectiveForm, OutlineForm
from convene.core.forms import GovukDateField, GovukForm
from convene.plans.enums import ActionStatus
from convene.plans.models import Action, CoreGroupMember

__all__ = [
    "ActionChangeForm",
    "ActionForm",
    "LeaveForm",
    "MemberForm",
    "ObjectiveChangeForm",
    "ObjectiveForm",
    "OutlineForm",
    "ProgressForm",
]


class ObjectiveChangeForm(ObjectiveForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ActionChangeForm(ActionForm):
    """An action's words, owner, due date and objective. Its owner stays on offer even after
    they left the core group, so the rest of the action can change without moving it."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, action: Action, **kwargs: Any) -> None:
        super().__init__(*args, plan_pk=action.plan_id, **kwargs)
        self.fields["owner"].queryset = CoreGroupMember.objects.filter(  # type: ignore[attr-defined]
            plan_id=action.plan_id
        ).filter(left_on__isnull=True) | CoreGroupMember.objects.filter(pk=action.owner_id)
        self.fields["due"].help_text = (
            "For example, 27 3 2027. A new date must be today or later; an overdue action may "
            "keep its date."
        )

    @classmethod
    def initial_from(cls, action: Action) -> dict[str, Any]:
        return {
            "text": action.text,
            "owner": action.owner_id,
            "due": action.due,
            "objective": action.objective_id,
            "version": action.version,
        }


class ProgressForm(GovukForm):
    status = forms.ChoiceField(
        label="Where is the action up to?",
        choices=ActionStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select where the action is up to"},
    )
    progress = forms.CharField(
        label="Progress made",
        help_text="What has been done and what it has changed for the child: the evidence of "
        "progress. When the action is done, say how; when it is no longer needed, say why.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class LeaveForm(GovukForm):
    left_on = GovukDateField(
        label="Date they left the core group",
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date they left"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
