"""Statutory timescales: working-day calendars and procedure profiles, as plain Python.

    from convene.timescales import get_profile, calendar_for
    p = get_profile("london")
    p.timescale("icpc").due(date(2026, 11, 2))   # date(2026, 11, 23)
    p.timescale("icpc").explain()                # "15 working days after the strategy ..."
    p.calendar.add_working_days(d, n)
    calendar_for("scotland")

Nothing here imports Django; the service stores only which profile, nation and closure days an
authority has chosen (`convene.authority`).
"""

from .calendars import Calendar, Nation, OutOfRange, calendar_for
from .events import Event
from .profiles import (
    Profile,
    ProfileError,
    Timescale,
    UnknownProfile,
    UnknownTimescale,
    get_profile,
    load_profiles,
    profile_names,
)
from .rules import Direction, Unit, is_overdue

__all__ = [
    "Calendar",
    "Direction",
    "Event",
    "Nation",
    "OutOfRange",
    "Profile",
    "ProfileError",
    "Timescale",
    "Unit",
    "UnknownProfile",
    "UnknownTimescale",
    "calendar_for",
    "get_profile",
    "is_overdue",
    "load_profiles",
    "profile_names",
]
