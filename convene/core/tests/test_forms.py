from datetime import date

import pytest

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
