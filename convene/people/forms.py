"""Forms for a child's record."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from convene.access.models import User
from convene.core.forms import GovukForm


class SocialWorkerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        team = f", {obj.team.name}" if obj.team is not None else ""
        return f"{obj.get_full_name()}{team}"


class AllocateForm(GovukForm):
    social_worker = SocialWorkerChoice(
        queryset=User.objects.none(),
        label="Who is the child's social worker?",
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Select the social worker",
            "invalid_choice": "Select a social worker from the list",
        },
    )
    # The social worker the page showed: a change made by someone else since is refused.
    was = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, workers: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["social_worker"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = workers
