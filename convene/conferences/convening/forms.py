"""Forms for starting and scheduling conferences. They check what was typed; the rules live in
`rules.py` and the services."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from convene.access.models import User
from convene.conferences.convening import rules
from convene.conferences.convening.services import Consideration
from convene.conferences.enums import MeetingMode, Route
from convene.core.forms import GovukDateField, GovukForm, govuk_class
from convene.people.models import Child
from convene.referrals.models import Section47Enquiry

YES_NO = [("yes", "Yes"), ("no", "No")]


class ChildrenChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class EnquiryForm(GovukForm):
    """London CP4 §1.6: the strategy discussion that starts section 47 enquiries."""

    children = ChildrenChoiceField(
        queryset=Child.objects.none(),
        label="Which children of the household was the strategy discussion about?",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select the children the strategy discussion was about"},
    )
    strategy_discussion_date = GovukDateField(
        label="Date of the strategy discussion",
        help_text="For example, 2 11 2026",
        error_messages={"required": "Enter the date of the strategy discussion"},
    )
    end_date = GovukDateField(
        label="Date the enquiry ended (if it has)",
        help_text="Leave blank while the enquiry is still going on",
        required=False,
    )
    outcome_notes = forms.CharField(
        label="Outcome of the enquiry (if known)",
        help_text="For example, whether the child is suffering, or likely to suffer, "
        "significant harm",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, children: Sequence[Child], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["children"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Child.objects.filter(pk__in=[c.pk for c in children])


class ConsiderChildrenMixin:
    """One yes/no question per child of the household, with a reason for each "no" (London
    CP4 §1.5: all children of the household are considered)."""

    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]
    household_children: Sequence[Child]

    def add_child_fields(self, kids: Sequence[Child], subjects: set[int]) -> None:
        self.household_children = kids
        for kid in kids:
            self.fields[f"subject_{kid.pk}"] = forms.ChoiceField(
                label=f"Is the conference about {kid.display_name}?",
                choices=YES_NO,
                widget=forms.RadioSelect,
                initial="yes" if kid.pk in subjects else "no",
                required=False,
            )
            self.fields[f"reason_{kid.pk}"] = forms.CharField(
                label=f"If not, why is {kid.display_name} not a subject of the conference?",
                max_length=300,
                required=False,
            )
        for name in (f"{prefix}_{kid.pk}" for kid in kids for prefix in ("subject", "reason")):
            widget = self.fields[name].widget
            widget.attrs["class"] = govuk_class(widget)

    def considerations(self) -> list[Consideration]:
        return [
            Consideration(
                child=kid,
                is_subject=self.cleaned_data.get(f"subject_{kid.pk}") == "yes",
                reason=self.cleaned_data.get(f"reason_{kid.pk}", ""),
            )
            for kid in self.household_children
        ]


class DecideForm(ConsiderChildrenMixin, GovukForm):
    """The children's social care manager's decision (London CP4 §1.6)."""

    enquiries = forms.ModelMultipleChoiceField(
        queryset=Section47Enquiry.objects.none(),
        label="Which enquiries are you deciding on?",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select the enquiries you are deciding on"},
    )
    convene = forms.ChoiceField(
        label="Do you decide to convene an initial child protection conference?",
        choices=[
            ("yes", "Yes: the child is suffering, or likely to suffer, significant harm"),
            ("no", "No: no conference is needed"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether to convene an initial conference"},
    )
    decided_on = GovukDateField(
        label="Date of your decision",
        error_messages={"required": "Enter the date of your decision"},
    )
    reason = forms.CharField(
        label="If no conference is needed, why not?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self,
        *args: Any,
        enquiries: Sequence[Section47Enquiry],
        children: Sequence[Child],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["enquiries"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Section47Enquiry.objects.filter(pk__in=[e.pk for e in enquiries])
        labels = {
            e.pk: f"{e.child.display_name}: strategy discussion on "
            f"{e.strategy_discussion_date:%-d %B %Y}"
            for e in enquiries
        }
        field.label_from_instance = lambda obj: labels.get(obj.pk, str(obj))  # type: ignore[method-assign]
        self.add_child_fields(children, {e.child_id for e in enquiries})


class StartForm(ConsiderChildrenMixin, GovukForm):
    counts_from = GovukDateField(error_messages={"required": "Enter the date"})

    def __init__(self, *args: Any, route: Route, children: Sequence[Child], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        label = rules.COUNTS_FROM_LABEL[route]
        self.fields["counts_from"].label = label
        self.fields["counts_from"].error_messages["required"] = (
            f"Enter the {label[0].lower()}" + (label[1:])
        )
        self.add_child_fields(children, {c.pk for c in children})


# Routes not chosen on the start page: an initial conference after a section 47 enquiry
# follows the manager's decision to convene; one reconvened after a complaint, its outcome.
CHOSEN_ELSEWHERE = frozenset({Route.SECTION_47, Route.AFTER_COMPLAINT})


class RouteForm(GovukForm):
    route = forms.ChoiceField(
        label="Why is the conference being called?",
        choices=[(r.value, r.label) for r in Route if r not in CHOSEN_ELSEWHERE],
        widget=forms.RadioSelect,
        error_messages={"required": "Select why the conference is being called"},
    )


class TimeField(forms.TimeField):
    widget = forms.TextInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(input_formats=["%H:%M", "%H.%M", "%H%M"], **kwargs)
        self.widget.attrs.update({"class": "govuk-input--width-5", "spellcheck": "false"})


class ChairField(forms.ChoiceField):
    """The chairs offered, which also accepts the ones not offered so that choosing one (from
    an old page) is refused with the reason rather than "not a valid choice"."""

    refused: dict[int, str]

    def valid_value(self, value: Any) -> bool:
        return (str(value).isdigit() and int(value) in self.refused) or super().valid_value(value)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if str(value).isdigit() and int(value) in self.refused:
            raise forms.ValidationError(self.refused[int(value)])


class ScheduleForm(GovukForm):
    date = GovukDateField(
        label="Date of the conference",
        help_text="For example, 23 11 2026",
        error_messages={"required": "Enter the date of the conference"},
    )
    starts_at = TimeField(
        label="Start time",
        help_text="Use the 24-hour clock, for example 10:00",
        error_messages={
            "required": "Enter the start time",
            "invalid": "Start time must be a time, like 10:00",
        },
    )
    ends_at = TimeField(
        label="End time",
        help_text="For example, 12:00",
        error_messages={
            "required": "Enter the end time",
            "invalid": "End time must be a time, like 12:00",
        },
    )
    mode = forms.ChoiceField(
        label="How will people take part?",
        choices=MeetingMode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how people will take part"},
    )
    venue = forms.CharField(
        label="Venue (in person or hybrid)",
        help_text="The building and room",
        max_length=300,
        required=False,
    )
    virtual_link = forms.URLField(
        label="Link to join online (online or hybrid)",
        max_length=500,
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "Enter a link that starts with https://"},
    )
    chair = ChairField(
        label="Who will chair the conference?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select who will chair the conference"},
    )
    delay_reason = forms.CharField(
        label="Reason for the delay (if the date is after the deadline)",
        help_text="Your team manager is told about the delay and its reason (London CP4 §1.10)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        chairs: Sequence[User],
        earlier: set[int],
        refused: dict[int, str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.chairs = {user.pk: user for user in chairs}
        field = self.fields["chair"]
        assert isinstance(field, ChairField)
        field.refused = refused
        field.choices = [
            (
                str(user.pk),
                f"{user.get_full_name()} (chaired the children's earlier conferences)"
                if user.pk in earlier
                else user.get_full_name(),
            )
            for user in chairs
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends:
            problem = rules.time_problem(starts, ends)
            if problem:
                self.add_error("ends_at", problem)
        if data.get("mode"):
            place = rules.meeting_place_problems(
                data["mode"], data.get("venue", ""), data.get("virtual_link", "")
            )
            for name, message in place.items():
                if name not in self.errors:
                    self.add_error(name, message)
        return data

    def chosen_chair(self) -> User:
        return self.chairs[int(self.cleaned_data["chair"])]


class CancelForm(GovukForm):
    reason = forms.CharField(
        label="Why is the conference cancelled?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why the conference is cancelled"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
