"""The shipped procedure profiles, their deadlines, and how a broken profile is refused."""

import shutil
from datetime import date

import pytest

from convene.timescales import (
    Event,
    ProfileError,
    UnknownProfile,
    UnknownTimescale,
    get_profile,
    load_profiles,
    profile_names,
)
from convene.timescales.events import TIMESCALE_TITLES
from convene.timescales.profiles import PROFILES_DIR
from convene.timescales.rules import add_months

# Every deadline of London's profile counted from Monday 14 December 2026, worked out by hand
# on a paper calendar: 25 and 28 December 2026 and 1 January 2027 are bank holidays.
EVENT = date(2026, 12, 14)
LONDON = {
    "icpc": ("15 working days after the strategy discussion", date(2027, 1, 7)),
    "transfer_in_conference": (
        "15 working days after the notice that the child has moved in on a plan",
        date(2027, 1, 7),
    ),
    "icpc_after_looked_after_review": (
        "15 days after the looked-after review's decision to ask for a conference",
        date(2026, 12, 29),
    ),
    "emergency_protection_order_conference": (
        "1 day before the day the emergency protection order ends",
        date(2026, 12, 13),
    ),
    "prebirth_conference": ("10 weeks before the baby's due date", date(2026, 10, 5)),
    "first_review": ("3 months after the initial conference", date(2027, 3, 14)),
    "next_review": ("6 months after the review conference", date(2027, 6, 14)),
    "post_birth_review": ("10 days after the baby's birth", date(2026, 12, 24)),
    "post_birth_review_mother_unwell": ("20 days after the baby's birth", date(2027, 1, 3)),
    "reconvene_deferred": (
        "10 working days after the conference that put off its decision",
        date(2026, 12, 30),
    ),
    "early_review": ("1 month after the conference", date(2027, 1, 14)),
    "reports_to_parents_initial": (
        "2 working days before the initial conference",
        date(2026, 12, 10),
    ),
    "reports_to_parents_review": ("5 working days before the review conference", date(2026, 12, 7)),
    "reports_to_chair_initial": (
        "2 working days before the initial conference",
        date(2026, 12, 10),
    ),
    "reports_to_chair_review": ("5 working days before the review conference", date(2026, 12, 7)),
    "exclusion_request": ("3 working days before the conference", date(2026, 12, 9)),
    "decision_letter": ("1 working day after the conference", date(2026, 12, 15)),
    "decision_letter_to_parents": ("1 day after the conference", date(2026, 12, 15)),
    "record": ("20 working days after the conference", date(2027, 1, 14)),
    "record_to_parents": ("20 working days after the conference", date(2027, 1, 14)),
    "record_amendments": ("1 week after receiving the conference record", date(2026, 12, 21)),
    "core_group_first": ("10 working days after the initial conference", date(2026, 12, 30)),
    "core_group_next": ("6 weeks after the last core group meeting", date(2027, 1, 25)),
    "cin_plan_review": ("12 weeks after the last child in need plan review", date(2027, 3, 8)),
    "appeal_lodged": ("5 working days after the conference", date(2026, 12, 21)),
    "appeal_response": ("28 days after receiving the appeal", date(2027, 1, 11)),
    "long_plan_review": (
        "24 months after the start of the child protection plan",
        date(2028, 12, 14),
    ),
}
# Where each profile's own guidance differs from London's.
DIFFERENCES = {
    "london": {},
    "derbyshire": {
        "prebirth_conference": ("12 weeks before the baby's due date", date(2026, 9, 21)),
    },
    "medway": {
        "reports_to_chair_initial": ("1 day before the initial conference", date(2026, 12, 13)),
        "reports_to_chair_review": (
            "3 working days before the review conference",
            date(2026, 12, 9),
        ),
    },
    "cornwall": {
        "record": ("15 working days after the conference", date(2027, 1, 7)),
        "record_to_parents": ("15 working days after the conference", date(2027, 1, 7)),
    },
    # Scotland keeps 2 January (moved to Monday 4 January 2027): a day later than England.
    "register": {
        "icpc": ("15 working days after the strategy discussion", date(2027, 1, 8)),
        "transfer_in_conference": (
            "15 working days after the notice that the child has moved in on a plan",
            date(2027, 1, 8),
        ),
        "record": ("20 working days after the conference", date(2027, 1, 15)),
        "record_to_parents": ("20 working days after the conference", date(2027, 1, 15)),
    },
}
CASES = [
    (name, key, *(DIFFERENCES[name].get(key) or LONDON[key]))
    for name in DIFFERENCES
    for key in TIMESCALE_TITLES
]


def test_the_five_profiles_are_shipped():
    assert profile_names() == ["cornwall", "derbyshire", "london", "medway", "register"]


def test_the_table_covers_every_timescale():
    assert set(LONDON) == set(TIMESCALE_TITLES)


@pytest.mark.parametrize(
    ("name", "key", "rule", "due"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES]
)
def test_every_timescale_of_every_profile(name, key, rule, due):
    timescale = get_profile(name).timescale(key)
    assert timescale.rule() == rule
    assert timescale.due(EVENT) == due
    assert timescale.is_met(EVENT, due)
    assert not timescale.is_met(EVENT, date.fromordinal(due.toordinal() + 1))


def test_the_explanation_names_the_rule_and_its_source():
    london = get_profile("london")
    assert london.timescale("icpc").due(date(2026, 11, 2)) == date(2026, 11, 23)
    assert london.timescale("icpc").explain() == (
        "15 working days after the strategy discussion (London CP4 §1.7)"
    )
    assert get_profile("cornwall").timescale("record").explain() == (
        "15 working days after the conference (Cornwall, “What can you expect from us?”)"
    )


@pytest.mark.parametrize(
    ("name", "key", "inherited_from", "citation"),
    [
        ("medway", "record", "london", "London CP4"),
        ("medway", "reports_to_chair_initial", None, "Medway"),
        ("derbyshire", "icpc", "london", "London CP4"),
        ("register", "appeal_lodged", None, "Register guidance"),
        ("cornwall", "core_group_first", None, "Cornwall"),
        # London is silent on core groups: its rule names the seed it came from.
        ("london", "core_group_first", None, "Cornwall"),
    ],
)
def test_a_profile_says_which_rules_it_borrows_from_london(name, key, inherited_from, citation):
    timescale = get_profile(name).timescale(key)
    assert timescale.inherited_from == inherited_from
    assert timescale.source.citation == citation


@pytest.mark.parametrize(
    ("name", "nation"),
    [
        ("london", "england-and-wales"),
        ("derbyshire", "england-and-wales"),
        ("medway", "england-and-wales"),
        ("cornwall", "england-and-wales"),
        ("register", "scotland"),
    ],
)
def test_each_profile_counts_on_its_nations_calendar(name, nation):
    assert get_profile(name).calendar.nation == nation


def test_every_timescale_has_a_source_and_a_sentence_a_parent_can_read():
    for name in profile_names():
        for timescale in get_profile(name):
            assert timescale.source.seed.endswith(".txt")
            assert timescale.source.paragraph
            assert timescale.plain.endswith(".")
            assert "  " not in timescale.plain


def test_deadlines_lists_everything_that_follows_from_the_events_soonest_first():
    london = get_profile("london")
    found = london.deadlines({Event.INITIAL_CONFERENCE: date(2026, 11, 25)})
    keys = [t.key for t, _ in found]
    # An initial conference is also "the conference": its letter and record are due too.
    assert keys[:3] == [
        "exclusion_request",
        "reports_to_chair_initial",
        "reports_to_parents_initial",
    ]
    assert {"decision_letter", "record", "first_review", "core_group_first"} <= set(keys)
    assert "reports_to_parents_review" not in keys
    dues = [d for _, d in found]
    assert dues == sorted(dues)


def test_an_unknown_profile_is_refused_with_the_names_there_are():
    with pytest.raises(UnknownProfile, match="cornwall, derbyshire, london, medway, register"):
        get_profile("atlantis")


def test_an_unknown_timescale_is_refused_with_the_keys_there_are():
    with pytest.raises(UnknownTimescale, match="icpc"):
        get_profile("london").timescale("icpcc")


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2027, 11, 30), 3, date(2028, 2, 29)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2027, 1, 31), 1, date(2027, 2, 28)),
        (date(2026, 12, 14), 24, date(2028, 12, 14)),
        (date(2027, 5, 31), -3, date(2027, 2, 28)),
        (date(2026, 1, 15), -1, date(2025, 12, 15)),
    ],
)
def test_months_are_calendar_months_clamped_to_the_months_last_day(start, months, expected):
    assert add_months(start, months) == expected


def test_the_first_review_clamps_at_the_end_of_the_month():
    first_review = get_profile("london").timescale("first_review")
    assert first_review.due(date(2026, 11, 30)) == date(2027, 2, 28)
    assert first_review.due(date(2027, 11, 30)) == date(2028, 2, 29)


# Broken profiles -------------------------------------------------------------------------

GOOD_RULE = """
[timescales.icpc]
from = "strategy_discussion"
amount = 10
unit = "working_days"
direction = "after"
paragraph = "§1"
plain = "Ten working days."
"""
HEADER = """
[profile]
title = "Testshire"
citation = "Testshire"
seed = "testshire.txt"
nation = "england-and-wales"
inherits = "london"
"""


def write_profiles(tmp_path, text):
    """A folder holding the shipped London profile and a test profile with `text`."""
    shutil.copy(PROFILES_DIR / "london.toml", tmp_path / "london.toml")
    (tmp_path / "testshire.toml").write_text(text, encoding="utf-8")
    return load_profiles(tmp_path)


def test_a_good_profile_overrides_one_rule_and_inherits_the_rest(tmp_path):
    profiles = write_profiles(tmp_path, HEADER + GOOD_RULE)
    testshire = profiles["testshire"]
    assert testshire.timescale("icpc").due(date(2026, 11, 2)) == date(2026, 11, 16)
    assert testshire.timescale("icpc").inherited_from is None
    assert testshire.timescale("record").inherited_from == "london"


@pytest.mark.parametrize(
    ("text", "key", "problem"),
    [
        (
            GOOD_RULE.replace('"working_days"', '"fortnights"'),
            "timescales.icpc.unit",
            "'fortnights' is not one of working_days, days, weeks, months",
        ),
        (
            GOOD_RULE.replace("amount = 10", "amount = 0"),
            "timescales.icpc.amount",
            "0 is not a whole number above 0",
        ),
        (
            GOOD_RULE.replace("amount = 10", 'amount = "10"'),
            "timescales.icpc.amount",
            "'10' is not a whole number above 0",
        ),
        (
            GOOD_RULE.replace("amount = 10", "amount = 1.5"),
            "timescales.icpc.amount",
            "1.5 is not a whole number above 0",
        ),
        (
            GOOD_RULE.replace("amount = 10", "amount = true"),
            "timescales.icpc.amount",
            "True is not a whole number",
        ),
        (GOOD_RULE.replace('paragraph = "§1"\n', ""), "timescales.icpc.paragraph", "is missing"),
        (
            GOOD_RULE.replace('paragraph = "§1"', 'paragraph = " "'),
            "timescales.icpc.paragraph",
            "is empty",
        ),
        (
            GOOD_RULE.replace('plain = "Ten working days."', ""),
            "timescales.icpc.plain",
            "is missing",
        ),
        (GOOD_RULE.replace("amount = 10", "amout = 10"), "timescales.icpc.amout", "unknown key"),
        (
            GOOD_RULE.replace('"after"', '"around"'),
            "timescales.icpc.direction",
            "'around' is not one of before, after",
        ),
        (
            GOOD_RULE.replace('"strategy_discussion"', '"tea_break"'),
            "timescales.icpc.from",
            "'tea_break' is not one of strategy_discussion",
        ),
        (
            GOOD_RULE.replace("timescales.icpc", "timescales.icpcc"),
            "timescales.icpcc",
            "is not a timescale Convene knows",
        ),
        (GOOD_RULE + "\n[extra]\nx = 1\n", "extra", "unknown key"),
        (GOOD_RULE.replace("amount = 10", "amount = "), "(file)", "is not valid TOML"),
    ],
)
def test_a_malformed_profile_names_the_file_the_key_and_the_problem(tmp_path, text, key, problem):
    with pytest.raises(ProfileError) as error:
        write_profiles(tmp_path, HEADER + text)
    assert error.value.key == key
    assert problem in error.value.problem
    assert str(error.value).startswith(f"testshire.toml: {key}: ")


@pytest.mark.parametrize(
    ("header", "key", "problem"),
    [
        (
            HEADER.replace('inherits = "london"', 'inherits = "atlantis"'),
            "profile.inherits",
            "no profile called 'atlantis'",
        ),
        (
            HEADER.replace('inherits = "london"', 'inherits = "testshire"'),
            "profile.inherits",
            "inherit from each other",
        ),
        (
            HEADER.replace('inherits = "london"\n', ""),
            "timescales.transfer_in_conference",
            "is missing",
        ),
        (
            HEADER.replace('nation = "england-and-wales"', 'nation = "wales"'),
            "profile.nation",
            "No nation called 'wales'",
        ),
        (HEADER.replace('seed = "testshire.txt"\n', ""), "profile.seed", "is missing"),
        (HEADER.replace("title", "titel"), "profile.titel", "unknown key"),
    ],
)
def test_a_malformed_profile_header_is_refused(tmp_path, header, key, problem):
    with pytest.raises(ProfileError) as error:
        write_profiles(tmp_path, header + GOOD_RULE)
    assert (error.value.file.endswith("testshire.toml"), error.value.key) == (True, key)
    assert problem in error.value.problem


def test_the_rules_need_no_django():
    """Other programs use the package without Convene's service around it."""
    import subprocess
    import sys

    code = (
        "import sys; from convene.timescales import get_profile; get_profile('london'); "
        "print(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    env = {"PATH": "/usr/bin:/bin"}
    root = PROFILES_DIR.parents[2]
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=root
    )
    assert result.stdout.strip() == "False", result.stderr
