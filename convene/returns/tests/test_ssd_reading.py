"""Normalising what real SSD extracts contain: dates, flags, categories and codes."""

from __future__ import annotations

from datetime import date

import pytest

from convene.people.enums import Ethnicity, Sex
from convene.plans.enums import Category
from convene.referrals.enums import ReferralSource
from convene.returns.ssd.reading import (
    BadValue,
    parse_category,
    parse_code,
    parse_date,
    parse_flag,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-05-22", date(2025, 5, 22)),
        ("2025-05-22 00:00:00", date(2025, 5, 22)),
        ("2025-05-22 14:30:00.000", date(2025, 5, 22)),
        ("2025-05-22T14:30:00", date(2025, 5, 22)),
        ("22/05/2025", date(2025, 5, 22)),
        ("2/5/2025", date(2025, 5, 2)),
        ("22/05/2025 00:00", date(2025, 5, 22)),
        ("", None),
    ],
)
def test_dates_are_read_in_iso_iso_date_time_and_uk_formats(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2025-02-29", "is not a real date"),
        ("31/04/2025", "is not a real date"),
        ("05/22/2025", "is not a real date"),  # American month first
        ("2025/05/22", "is not a date"),
        ("22-05-2025", "is not a date"),
        ("22 May 2025", "is not a date"),
    ],
)
def test_other_date_spellings_are_refused_with_a_reason(text, reason):
    with pytest.raises(BadValue, match=reason):
        parse_date(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        *[(t, True) for t in ("Y", "y", "1", "true", "TRUE", "True", "yes")],
        *[(t, False) for t in ("N", "n", "0", "false", "FALSE", "False", "no")],
        ("", None),
    ],
)
def test_flags_are_read_in_every_spelling(text, expected):
    assert parse_flag(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        *[(t, Category.NEGLECT) for t in ("NEG", "Neg", "neg", "Neglect", "neglect", "NEGLECT")],
        *[(t, Category.PHYSICAL) for t in ("PHY", "Physical", "Physical abuse", "physical_abuse")],
        *[(t, Category.EMOTIONAL) for t in ("EMO", "Emo", "Emotional", "Emotional Abuse")],
        *[(t, Category.SEXUAL) for t in ("SAB", "Sexual", "Sexual abuse")],
        *[(t, Category.MULTIPLE) for t in ("MUL", "Multiple", "multiple categories")],
        ("", None),
    ],
)
def test_categories_are_read_in_the_spellings_extracts_use(text, expected):
    assert parse_category(text) == expected


def test_codes_are_read_in_any_case_or_by_their_name():
    assert parse_code("f", Sex) == Sex.FEMALE
    assert parse_code("wbri", Ethnicity) == Ethnicity.WBRI
    assert parse_code("White British", Ethnicity) == Ethnicity.WBRI
    assert parse_code("5a", ReferralSource) == ReferralSource.LA_SOCIAL_CARE
    assert parse_code("", Sex) is None
    with pytest.raises(BadValue, match=r'"X" is not a known code \(the codes are M, F, U\)'):
        parse_code("X", Sex)
