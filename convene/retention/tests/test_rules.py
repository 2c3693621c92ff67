from datetime import date

import pytest

from convene.retention import rules


@pytest.mark.parametrize(
    ("born", "age", "expected"),
    [
        (date(2001, 6, 15), 25, date(2026, 6, 15)),
        # Born on 29 February: the birthday in other years is taken as 1 March.
        (date(2004, 2, 29), 25, date(2029, 3, 1)),
        (date(2004, 2, 29), 24, date(2028, 2, 29)),
    ],
)
def test_birthday(born, age, expected):
    assert rules.birthday(born, age) == expected


@pytest.mark.parametrize(
    ("closed_on", "expected"),
    [
        # The case never closed (or closed before the child was 17): the 25th birthday.
        (None, date(2026, 6, 15)),
        (date(2010, 1, 1), date(2026, 6, 15)),
        (date(2018, 6, 14), date(2026, 6, 15)),
        # 17 or older when the case closed: the 26th birthday.
        (date(2018, 6, 15), date(2027, 6, 15)),
        (date(2019, 9, 1), date(2027, 6, 15)),
    ],
)
def test_a_case_record_is_kept_until_the_25th_birthday_or_the_26th_if_17_at_closure(
    closed_on, expected
):
    kept = rules.case_record_kept_until(
        born=date(2001, 6, 15), closed_on=closed_on, until_age=25, older_at_closure=17
    )
    assert kept == expected


def test_the_ages_are_the_authoritys_to_choose():
    kept = rules.case_record_kept_until(
        born=date(2001, 6, 15), closed_on=date(2017, 1, 1), until_age=30, older_at_closure=15
    )
    assert kept == date(2032, 6, 15)


@pytest.mark.parametrize(
    ("today", "months", "expected"),
    [
        (date(2026, 11, 28), 12, date(2025, 11, 28)),
        (date(2026, 11, 28), 72, date(2020, 11, 28)),
        (date(2026, 3, 31), 1, date(2026, 2, 28)),
    ],
)
def test_cutoff(today, months, expected):
    assert rules.cutoff(today, months) == expected


def test_a_period_ends_on_its_last_day():
    assert not rules.is_past(date(2026, 6, 15), date(2026, 6, 14))
    assert rules.is_past(date(2026, 6, 15), date(2026, 6, 15))
