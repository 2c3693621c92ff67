"""Forms for the meeting's record and the chair's decision for each child."""

from __future__ import annotations

from typing import Any

from django import forms

from convene.access.models import User
from convene.conferences.decision.rules import SCORE_MAX, SCORE_MIN, outcomes_for
from convene.conferences.enums import AfterPlan, ChildOutcome, ParticipantGroup, PlanNeeded
from convene.conferences.models import Assessment
from convene.core.forms import GovukDateField, GovukForm
from convene.people.models import Agency
from convene.plans.enums import Category, CoreGroupKind, PlanEndReason
from convene.plans.models import CoreGroupMember, Objective

TEXT = {"rows": 4}


class AssessmentForm(GovukForm):
    """The four questions (Cornwall C:102 to C:111), with the danger statement and safety goal
    the chair writes from them (C:131)."""

    working_well = forms.CharField(
        label="What is working well?",
        help_text="Strengths and safety: what the family and others already do that keeps the "
        "child safe.",
        required=False,
        widget=forms.Textarea(attrs=TEXT),
    )
    worries_harm = forms.CharField(
        label="What are we worried about: the harm",
        help_text="What has happened to the child, and what harm it caused.",
        required=False,
        widget=forms.Textarea(attrs=TEXT),
    )
    worries_complicating = forms.CharField(
        label="What are we worried about: complicating factors",
        help_text="What makes the problems harder to solve, such as debt or poor housing.",
        required=False,
        widget=forms.Textarea(attrs=TEXT),
    )
    lived_experience = forms.CharField(
        label="What is life like for the child?",
        help_text="The child's lived experience: a day in their life, in their words where "
        "possible.",
        required=False,
        widget=forms.Textarea(attrs=TEXT),
    )
    needs_to_happen = forms.CharField(
        label="What needs to happen?",
        help_text="The next steps to make the child safe.",
        required=False,
        widget=forms.Textarea(attrs=TEXT),
    )
    danger_statement = forms.CharField(
        label="Danger statement",
        help_text="What everyone is worried will happen to the child if nothing changes.",
        required=False,
        widget=forms.Textarea(attrs=TEXT),
    )
    safety_goal = forms.CharField(
        label="Safety goal",
        help_text="What the family needs to be doing so that everyone is confident the child "
        "is safe.",
        required=False,
        widget=forms.Textarea(attrs=TEXT),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    @classmethod
    def initial_from(cls, assessment: Assessment | None) -> dict[str, Any]:
        if assessment is None:
            return {}
        return {name: getattr(assessment, name) for name in cls.base_fields} | {
            "version": assessment.version
        }

    def values(self) -> dict[str, str]:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class ScoresForm(GovukForm):
    """A 0 to 10 score for each child from each person who took part (fields added per
    person and child by the view: `score_<invitation>_<child>`). A short box for a whole
    number, as the GOV.UK Design System asks for numbers; blank when no score was given."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def add_score(self, name: str, label: str, initial: int | None) -> None:
        self.add_field(
            name,
            forms.IntegerField(
                label=label,
                min_value=SCORE_MIN,
                max_value=SCORE_MAX,
                required=False,
                widget=forms.TextInput(
                    attrs={
                        "class": "govuk-input--width-2",
                        "inputmode": "numeric",
                        "spellcheck": "false",
                    }
                ),
                error_messages={
                    "invalid": f"{label}: enter a whole number from 0 to 10",
                    "min_value": f"{label}: enter a whole number from 0 to 10",
                    "max_value": f"{label}: enter a whole number from 0 to 10",
                },
            ),
        )
        if initial is not None:
            self.initial[name] = initial


def agency_field(required: bool = False) -> forms.ModelChoiceField[Agency]:
    return forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.order_by("name"),
        required=required,
        empty_label="Select the agency",
        help_text="Leave blank for a parent, the child or a family member.",
    )


class ViewForm(GovukForm):
    """An agency's view on whether a plan is needed, or a parent's or the child's view."""

    child = forms.TypedChoiceField(label="Which child is the view about?", coerce=int)
    group = forms.ChoiceField(
        label="Whose view is it?",
        choices=[("", "Select who"), *list(ParticipantGroup.choices)],
        error_messages={"required": "Select whose view it is"},
    )
    agency = agency_field()
    name = forms.CharField(
        label="Name",
        help_text="The person who gave the view, for example Dr Ada Okafor or the child's mother.",
        max_length=200,
    )
    plan_needed = forms.ChoiceField(
        label="Does the agency think a child protection plan is needed?",
        choices=PlanNeeded.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text="Every agency gives its view (Register guidance). Leave blank for a parent or "
        "the child.",
    )
    category = forms.ChoiceField(
        label="Under which category, if a plan is needed?",
        choices=[("", "No category"), *list(Category.choices)],
        required=False,
    )
    view = forms.CharField(
        label="Their view, and why",
        help_text="In plain words, without jargon (Derbyshire procedures).",
        widget=forms.Textarea(attrs=TEXT),
        error_messages={"required": "Enter the view, in plain words"},
    )
    brought_by_social_worker = forms.BooleanField(
        label="Given by the social worker for someone not at the meeting",
        required=False,
    )

    def __init__(self, *args: Any, children: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["child"].choices = children  # type: ignore[attr-defined]
        if len(children) == 1:
            self.initial.setdefault("child", children[0][0])


class DecisionForm(GovukForm):
    """The chair's decision for one child (London CP4 §9.6; Register R:19 to R:21)."""

    outcome = forms.ChoiceField(
        label="What is the decision?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the decision"},
    )
    category = forms.ChoiceField(
        label="Category of abuse",
        choices=[("", "Select a category"), *list(Category.choices)],
        required=False,
        help_text="For a child protection plan only. Use multiple when more than one applies.",
    )
    reasons = forms.CharField(
        label="Reasons for the decision",
        help_text="In plain words the family can understand: the harm, the risk, and why this "
        "decision keeps the child safe.",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter the reasons for the decision, in plain words"},
    )
    recommendations = forms.CharField(
        label="Recommendations",
        help_text="Needed for no further action: the help to offer, and by whom.",
        required=False,
        widget=forms.Textarea(attrs=TEXT),
    )
    deferral_reasons = forms.CharField(
        label="Why is the decision put off?",
        help_text="Only when the decision is deferred. This should be very rare.",
        required=False,
        widget=forms.Textarea(attrs=TEXT),
    )
    interim_plan = forms.CharField(
        label="Interim plan",
        help_text="Only when the decision is deferred: how agencies and the family keep the "
        "child safe until the conference meets again.",
        required=False,
        widget=forms.Textarea(attrs=TEXT),
    )
    plan_end_reason = forms.ChoiceField(
        label="Why does the plan end?",
        choices=[("", "Select a reason")] + [(v, label) for v, label in PlanEndReason.choices if v],
        required=False,
    )
    after_plan = forms.ChoiceField(
        label="What follows the plan?",
        choices=AfterPlan.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, conference_type: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        outcomes = outcomes_for(conference_type)
        self.fields["outcome"].choices = [(o.value, o.label) for o in outcomes]  # type: ignore[attr-defined]
        if ChildOutcome.END_PLAN not in outcomes:
            del self.fields["plan_end_reason"]
            del self.fields["after_plan"]
        if ChildOutcome.DEFERRED not in outcomes:
            del self.fields["deferral_reasons"]
            del self.fields["interim_plan"]


class DissentForm(GovukForm):
    group = forms.ChoiceField(
        label="Who disagrees?",
        choices=[("", "Select who"), *list(ParticipantGroup.choices)],
        error_messages={"required": "Select who disagrees"},
    )
    agency = agency_field()
    name = forms.CharField(label="Name", max_length=200)
    reasons = forms.CharField(
        label="Why do they disagree?",
        widget=forms.Textarea(attrs=TEXT),
        error_messages={"required": "Enter why they disagree"},
    )


class OutlineForm(GovukForm):
    lead_social_worker = forms.ModelChoiceField(
        label="Lead social worker",
        queryset=User.objects.none(),
        empty_label="Select the lead social worker",
        error_messages={"required": "Select the lead social worker"},
    )
    contingency_plan = forms.CharField(
        label="Contingency plan",
        help_text="What will happen if the plan does not keep the child safe.",
        required=False,
        widget=forms.Textarea(attrs=TEXT),
    )
    sudi_discussion = forms.CharField(
        label="Safer sleeping: the discussion of sudden unexpected death in infancy (SUDI)",
        help_text="For an unborn child or a baby: what was discussed with the parents about "
        "safe sleep and the risks (London Child Protection Procedures §9.9).",
        required=False,
        widget=forms.Textarea(attrs=TEXT),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, workers: Any, baby: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_social_worker"].queryset = workers  # type: ignore[attr-defined]
        self.fields["lead_social_worker"].label_from_instance = (  # type: ignore[attr-defined]
            lambda user: user.get_full_name()
        )
        if not baby:
            del self.fields["sudi_discussion"]


class ObjectiveForm(GovukForm):
    text = forms.CharField(
        label="What the plan is to achieve",
        help_text="For example: Kai goes to school every day, clean and fed.",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Enter what the plan is to achieve"},
    )


class MemberForm(GovukForm):
    kind = forms.ChoiceField(
        label="Who are they?", choices=CoreGroupKind.choices, widget=forms.RadioSelect
    )
    name = forms.CharField(label="Name", max_length=200)
    role = forms.CharField(
        label="Role", help_text="For example: health visitor, mother, aunt.", max_length=200
    )
    agency = agency_field()


class ActionForm(GovukForm):
    text = forms.CharField(
        label="What is to be done",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Enter what is to be done"},
    )
    owner = forms.ModelChoiceField(
        label="Who will do it",
        queryset=CoreGroupMember.objects.none(),
        empty_label="Select a core group member",
        error_messages={"required": "Select who will do it, from the core group"},
    )
    due = GovukDateField(label="Due by", help_text="For example, 27 3 2027")
    objective = forms.ModelChoiceField(
        label="Which objective does it serve?",
        queryset=Objective.objects.none(),
        required=False,
        empty_label="None in particular",
    )

    def __init__(self, *args: Any, plan_pk: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = CoreGroupMember.objects.filter(  # type: ignore[attr-defined]
            plan_id=plan_pk, left_on__isnull=True
        )
        self.fields["objective"].queryset = Objective.objects.filter(plan_id=plan_pk)  # type: ignore[attr-defined]
