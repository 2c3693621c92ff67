"""The authority's procedures as the rest of Convene uses them."""

from __future__ import annotations

from datetime import date

from convene.timescales import Profile, Timescale, calendar_for, get_profile

from .models import AuthoritySettings, ClosureDay

# How the timescales page groups the rules, in the order a conference happens.
TIMESCALE_GROUPS = [
    (
        "Holding a conference",
        [
            "icpc",
            "transfer_in_conference",
            "icpc_after_looked_after_review",
            "emergency_protection_order_conference",
            "prebirth_conference",
            "reconvene_deferred",
        ],
    ),
    (
        "Before a conference",
        [
            "reports_to_parents_initial",
            "reports_to_parents_review",
            "reports_to_chair_initial",
            "reports_to_chair_review",
            "exclusion_request",
        ],
    ),
    (
        "After a conference",
        [
            "decision_letter",
            "decision_letter_to_parents",
            "record",
            "record_to_parents",
            "record_amendments",
            "appeal_lodged",
            "appeal_response",
        ],
    ),
    (
        "Child protection plans and reviews",
        [
            "core_group_first",
            "core_group_next",
            "first_review",
            "next_review",
            "post_birth_review",
            "post_birth_review_mother_unwell",
            "long_plan_review",
            "cin_plan_review",
        ],
    ),
]


def authority_settings() -> AuthoritySettings:
    """The authority's choices, or the defaults (London, England and Wales) before a system
    administrator has made any. Reading never creates the row: only a change does. One query."""
    return AuthoritySettings.objects.filter(singleton=True).first() or AuthoritySettings()


def authority_procedures() -> Profile:
    """The authority's chosen profile, counting working days on its own calendar: its nation's
    bank holidays plus its closure days. Two queries."""
    settings = authority_settings()
    closures = frozenset(ClosureDay.objects.values_list("day", flat=True))
    calendar = calendar_for(settings.nation, closures=closures)
    return get_profile(settings.profile).with_calendar(calendar)


def timescale_groups(profile: Profile) -> list[tuple[str, list[Timescale]]]:
    return [(title, [profile.timescale(key) for key in keys]) for title, keys in TIMESCALE_GROUPS]


def days_off(profile: Profile, *, start: date, end: date) -> list[tuple[date, str]]:
    """The weekdays between `start` and `end` that are not working days, with why, using the
    authority's closure day descriptions. One query."""
    descriptions = dict(
        ClosureDay.objects.filter(day__range=(start, end)).values_list("day", "description")
    )
    return [
        (day, f"Closure day: {descriptions[day]}" if day in descriptions else why)
        for day, why in profile.calendar.days_off(start, end)
    ]
