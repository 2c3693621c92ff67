"""GOV.UK Design System rendering for Django forms.

Every form renders through `GovukFormRenderer`, whose field template draws the GOV.UK form
group, label, hint, error message and widget. `GovukForm` adds the GOV.UK classes to widgets
and marks fields in error, so a form needs no template code of its own. See
docs/decisions/0003-govuk-frontend-rendering.md.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core import validators
from django.forms.renderers import TemplatesSetting
from django.forms.widgets import Input

from convene.timescales.calendars import FIRST_DAY, LAST_DAY

# The dates a form accepts by default: a margin of years inside the calendars' range.
EARLIEST = date(2000, 1, 1)
LATEST = date(2099, 12, 31)
assert FIRST_DAY < EARLIEST and LATEST < LAST_DAY

# The GOV.UK class each kind of widget carries, and its error modifier.
_WIDGET_CLASSES: list[tuple[type[forms.Widget], str]] = [
    (forms.CheckboxSelectMultiple, "govuk-checkboxes__input"),
    (forms.RadioSelect, "govuk-radios__input"),
    (forms.CheckboxInput, "govuk-checkboxes__input"),
    (forms.Textarea, "govuk-textarea"),
    (forms.Select, "govuk-select"),
    (forms.ClearableFileInput, "govuk-file-upload"),
    (Input, "govuk-input"),
]
_ERROR_MODIFIER = {
    "govuk-textarea": "govuk-textarea--error",
    "govuk-select": "govuk-select--error",
    "govuk-file-upload": "govuk-file-upload--error",
    "govuk-input": "govuk-input--error",
}


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "govuk/forms/form.html"
    field_template_name = "govuk/forms/field.html"


def govuk_class(widget: forms.Widget) -> str:
    for widget_type, css_class in _WIDGET_CLASSES:
        if isinstance(widget, widget_type):
            return css_class
    return ""


class GovukDateWidget(forms.MultiWidget):
    """The GOV.UK date input: day, month and year boxes."""

    template_name = "govuk/widgets/date.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        def box(width: int) -> forms.TextInput:
            css = f"govuk-input govuk-date-input__input govuk-input--width-{width}"
            return forms.TextInput(attrs={"class": css, "inputmode": "numeric"})

        super().__init__({"day": box(2), "month": box(2), "year": box(4)}, attrs)

    def decompress(self, value: date | None) -> list[int | None]:
        if value is None:
            return [None, None, None]
        return [value.day, value.month, value.year]


class GovukDateField(forms.Field):
    """A date entered in three boxes, with the GOV.UK error messages for each mistake.

    Dates are kept well inside the years the working-day calendars know (1970 to 2100), so no
    date a person types, nor a deadline counted from it, falls outside them."""

    widget = GovukDateWidget

    def __init__(
        self, *args: Any, earliest: date = EARLIEST, latest: date = LATEST, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.earliest, self.latest = earliest, latest

    def to_python(self, value: Any) -> date | None:
        if isinstance(value, date):
            return value
        parts = [str(part or "").strip() for part in (value or ["", "", ""])]
        if not any(parts):
            return None
        name = str(self.label or "Date")
        missing = [
            unit for unit, part in zip(("day", "month", "year"), parts, strict=True) if not part
        ]
        if missing:
            raise forms.ValidationError(f"{name} must include a {' and '.join(missing)}")
        if not all(part.isdigit() for part in parts):
            raise forms.ValidationError(f"{name} must be a real date")
        day, month, year = (int(part) for part in parts)
        if len(parts[2]) != 4:
            raise forms.ValidationError("Year must include 4 numbers")
        try:
            value = date(year, month, day)
        except ValueError:
            raise forms.ValidationError(f"{name} must be a real date") from None
        if not self.earliest <= value <= self.latest:
            raise forms.ValidationError(
                f"{name} must be between {self.earliest:%-d %B %Y} and {self.latest:%-d %B %Y}"
            )
        return value


# Free text has a limit everywhere (issue 14, finding 9): a field that sets none gets these.
MAX_TEXT_AREA = 20_000  # about 3,000 words
MAX_TEXT_INPUT = 500


def limit_length(field: forms.Field) -> None:
    """Give a text field without a maximum length the service's default one."""
    if not isinstance(field, forms.CharField) or field.max_length is not None:
        return
    multi_line = isinstance(field.widget, forms.Textarea)
    limit = MAX_TEXT_AREA if multi_line else MAX_TEXT_INPUT
    field.max_length = limit
    label = str(field.label or "The answer")
    field.validators.append(
        validators.MaxLengthValidator(
            limit, message=f"{label} must be {limit:,} characters or fewer"
        )
    )
    if not multi_line:
        field.widget.attrs.setdefault("maxlength", str(limit))


class GovukForm(forms.Form):
    """A form whose widgets carry GOV.UK classes and point at their hint and error."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            self._dress(name, field)

    def add_field(self, name: str, field: forms.Field) -> None:
        """A field added after the form is made (one per person or per row), dressed as the
        form's own fields are."""
        self.fields[name] = field
        self._dress(name, field)

    def _dress(self, name: str, field: forms.Field) -> None:
        limit_length(field)
        if isinstance(field.widget, GovukDateWidget):
            return  # its boxes carry their classes; its fieldset is described instead
        css_class = govuk_class(field.widget)
        existing = field.widget.attrs.get("class", "")
        if css_class not in existing.split():
            field.widget.attrs["class"] = f"{css_class} {existing}".strip()
        if field.help_text:
            # The hint's id, with the form's prefix when it has one.
            field.widget.attrs["aria-describedby"] = f"{self._field_id(name)}-hint"

    def _field_id(self, name: str) -> str:
        """The id Django gives the field (BoundField.auto_id), without making the bound field
        before the form is finished."""
        html_name, auto_id = self.add_prefix(name), self.auto_id
        if auto_id and "%s" in str(auto_id):
            return str(auto_id) % html_name
        return html_name if auto_id else ""

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name not in self.fields:
                continue
            widget = self.fields[name].widget
            if isinstance(widget, GovukDateWidget):
                for box in widget.widgets:
                    if "govuk-input--error" not in box.attrs["class"]:
                        box.attrs["class"] += " govuk-input--error"
                continue
            field_id = self._field_id(name)
            described_by = [f"{field_id}-hint"] if self.fields[name].help_text else []
            widget.attrs["aria-describedby"] = " ".join([*described_by, f"{field_id}-error"])
            modifier = _ERROR_MODIFIER.get(govuk_class(widget))
            if modifier and modifier not in widget.attrs["class"]:
                widget.attrs["class"] += f" {modifier}"

    def error_summary_items(self) -> list[tuple[str, str]]:
        """(link target, message) pairs for the GOV.UK error summary, in field order."""
        items = [("#main-content", str(e)) for e in self.non_field_errors()]
        for name, field in self.fields.items():
            for error in self.errors.get(name, []):
                # The field's own id, with the form's prefix when it has one.
                target = f"#{self[name].auto_id}"
                if _is_choice_list(field.widget) or isinstance(field.widget, GovukDateWidget):
                    target = f"{target}_0"
                items.append((target, str(error)))
        return items


def _is_choice_list(widget: forms.Widget) -> bool:
    return isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple)
