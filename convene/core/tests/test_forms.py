from datetime import date

import pytest
from django import forms

from convene.core.forms import GovukDateField, GovukForm


class WhenForm(GovukForm):
    when = GovukDateField(label="Date of the conference")


@pytest.mark.parametrize(
    ("day", "month", "year", "error"),
    [
        ("31", "2", "2027", "Date of the conference must be a real date"),
        ("3", "", "2027", "Date of the conference must include a month"),
        ("3", "2", "27", "Year must include 4 numbers"),
        ("1", "1", "0001", "must be between 1 January 2000 and 31 December 2099"),
        ("31", "12", "9999", "must be between 1 January 2000 and 31 December 2099"),
    ],
)
def test_a_date_a_person_cannot_mean_is_refused_with_a_govuk_message(day, month, year, error):
    form = WhenForm({"when_day": day, "when_month": month, "when_year": year})
    assert not form.is_valid()
    assert error in form.errors["when"][0]


def test_a_date_inside_the_range_is_accepted():
    form = WhenForm({"when_day": "24", "when_month": "11", "when_year": "2026"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["when"] == date(2026, 11, 24)


class NoteForm(GovukForm):
    note = forms.CharField(label="Note", help_text="In plain words")


def _described_by(html: str) -> str:
    return html.split('aria-describedby="')[1].split('"')[0]


@pytest.mark.parametrize(
    ("prefix", "field_id"), [(None, "id_note"), ("objective", "id_objective-note")]
)
def test_a_hint_and_an_error_are_tied_to_their_field_with_the_forms_prefix(prefix, field_id):
    """Several forms on one page each have a prefix: the field must point at its own hint and
    error (WCAG 1.3.1), not at ids that are not on the page."""
    form = NoteForm(prefix=prefix)
    html = str(form["note"])
    assert _described_by(html) == f"{field_id}-hint"
    assert f'id="{field_id}-hint"' in form["note"].as_field_group()
    refused = NoteForm({}, prefix=prefix)
    assert not refused.is_valid()
    assert _described_by(str(refused["note"])) == f"{field_id}-hint {field_id}-error"


def test_a_field_added_later_is_dressed_as_the_others():
    form = NoteForm()
    form.add_field("more", forms.CharField(label="More", help_text="Optional", required=False))
    html = str(form["more"])
    assert 'class="govuk-input"' in html and _described_by(html) == "id_more-hint"
