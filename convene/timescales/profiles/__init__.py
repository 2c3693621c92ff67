"""Procedure profiles: an authority's timescales as data, one TOML file each in this folder.

A file has a `[profile]` table and one `[timescales.<key>]` table per timescale::

    [profile]
    title = "Medway Safeguarding Children Board guidance (2008)"
    citation = "Medway"                   # how explanations name the source
    seed = "000_88818c9b44650522.txt"     # the source text in shared/seeds/
    nation = "england-and-wales"          # whose bank holidays
    inherits = "london"                   # where this seed is silent

    [timescales.reports_to_chair_initial]
    from = "initial_conference"
    amount = 1
    unit = "days"                         # working_days, days, weeks or months
    direction = "before"                  # or after
    paragraph = "What happens before the conference?"
    plain = "Professionals must give their reports to the chair at least 24 hours before …"

A timescale given in a file replaces the inherited one whole. Files are checked when loaded:
any problem stops the load with a message naming the file, the key and what is wrong.
"""

from __future__ import annotations

import dataclasses
import functools
import tomllib
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from ..calendars import Calendar, Nation, calendar_for, nation_from
from ..events import EVENT_IMPLIES, TIMESCALE_TITLES, Event
from ..rules import Direction, Unit, count

PROFILES_DIR = Path(__file__).resolve().parent

_PROFILE_FIELDS = {"title", "citation", "seed", "nation", "inherits", "description"}
_REQUIRED_PROFILE_FIELDS = ("title", "citation", "seed", "nation")
_TIMESCALE_FIELDS = {
    "from",
    "amount",
    "unit",
    "direction",
    "paragraph",
    "seed",
    "citation",
    "plain",
}
_REQUIRED_TIMESCALE_FIELDS = ("from", "amount", "unit", "direction", "paragraph", "plain")


class ProfileError(ValueError):
    """A profile file that cannot be used, with where and why."""

    def __init__(self, file: Path | str, key: str, problem: str) -> None:
        self.file, self.key, self.problem = str(file), key, problem
        super().__init__(f"{Path(file).name}: {key}: {problem}")


class UnknownProfile(LookupError):
    def __init__(self, name: str, names: list[str]) -> None:
        super().__init__(
            f"No procedure profile called {name!r}. The profiles are: {', '.join(names)}."
        )


class UnknownTimescale(LookupError):
    def __init__(self, key: str) -> None:
        super().__init__(
            f"No timescale called {key!r}. The timescales are: {', '.join(TIMESCALE_TITLES)}."
        )


@dataclasses.dataclass(frozen=True)
class Source:
    seed: str
    citation: str
    paragraph: str

    def __str__(self) -> str:
        # "London CP4 §1.7", but "Cornwall, “What happens after the Conference?”".
        joiner = " " if self.paragraph.startswith("§") else ", "
        return f"{self.citation}{joiner}{self.paragraph}"


@dataclasses.dataclass(frozen=True)
class Timescale:
    """One deadline: `amount` `unit`s `direction` the event it counts from."""

    key: str
    counts_from: Event
    amount: int
    unit: Unit
    direction: Direction
    source: Source
    plain: str
    calendar: Calendar = dataclasses.field(repr=False, compare=False)
    # The profile this rule was taken from when the profile's own seed is silent.
    inherited_from: str | None = None

    @property
    def title(self) -> str:
        return TIMESCALE_TITLES[self.key]

    def due(self, event_date: date) -> date:
        """The last day on which the thing may happen and still be on time."""
        return count(event_date, self.amount, self.unit, self.direction, calendar=self.calendar)

    def is_met(self, event_date: date, happened_on: date) -> bool:
        """A deadline is met when the thing happens on or before the due date."""
        return happened_on <= self.due(event_date)

    def rule(self) -> str:
        """The rule in words: "15 working days after the strategy discussion"."""
        return (
            f"{self.unit.amount_in_words(self.amount)} {self.direction} {self.counts_from.phrase}"
        )

    def explain(self) -> str:
        """The rule with its source: "15 working days after the strategy discussion (London
        CP4 §1.7)"."""
        return f"{self.rule()} ({self.source})"


@dataclasses.dataclass(frozen=True)
class Profile:
    name: str
    title: str
    citation: str
    seed: str
    nation: Nation
    inherits: str | None
    description: str
    timescales: Mapping[str, Timescale] = dataclasses.field(repr=False)

    @property
    def calendar(self) -> Calendar:
        """The working-day calendar the timescales count on."""
        return next(iter(self.timescales.values())).calendar

    def timescale(self, key: str) -> Timescale:
        try:
            return self.timescales[key]
        except KeyError:
            raise UnknownTimescale(key) from None

    def __iter__(self) -> Any:
        return iter(self.timescales.values())

    def with_calendar(self, calendar: Calendar) -> Profile:
        """The same rules counted on another calendar (another nation, or closure days)."""
        timescales = {
            key: dataclasses.replace(t, calendar=calendar) for key, t in self.timescales.items()
        }
        return dataclasses.replace(self, timescales=timescales)

    def deadlines(self, events: Mapping[Event, date]) -> list[tuple[Timescale, date]]:
        """Every deadline that follows from the events given, soonest first. An initial or
        review conference also counts as "the conference"."""
        known = dict(events)
        for event, when in events.items():
            for implied in EVENT_IMPLIES.get(event, ()):
                known.setdefault(implied, when)
        found = [(t, t.due(known[t.counts_from])) for t in self if t.counts_from in known]
        return sorted(found, key=lambda pair: (pair[1], pair[0].key))


# Loading -------------------------------------------------------------------------------


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except tomllib.TOMLDecodeError as error:
        raise ProfileError(path, "(file)", f"is not valid TOML: {error}") from None


def _check_fields(
    path: Path, where: str, table: Any, allowed: set[str], required: tuple[str, ...]
) -> None:
    if not isinstance(table, dict):
        raise ProfileError(path, where, "must be a table")
    for field in table:
        if field not in allowed:
            raise ProfileError(
                path,
                f"{where}.{field}",
                f"unknown key; expected one of {', '.join(sorted(allowed))}",
            )
    for field in required:
        if field not in table:
            raise ProfileError(path, f"{where}.{field}", "is missing")
        if isinstance(table[field], str) and not table[field].strip():
            raise ProfileError(path, f"{where}.{field}", "is empty")


def _choice(path: Path, where: str, value: Any, choices: type[Any]) -> Any:
    try:
        return choices(value)
    except ValueError:
        names = ", ".join(str(c.value) for c in choices)
        raise ProfileError(path, where, f"{value!r} is not one of {names}") from None


def _timescale(
    path: Path, key: str, table: Any, header: Mapping[str, Any], calendar: Calendar
) -> Timescale:
    where = f"timescales.{key}"
    if key not in TIMESCALE_TITLES:
        raise ProfileError(path, where, "is not a timescale Convene knows")
    _check_fields(path, where, table, _TIMESCALE_FIELDS, _REQUIRED_TIMESCALE_FIELDS)
    amount = table["amount"]
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 1:
        raise ProfileError(path, f"{where}.amount", f"{amount!r} is not a whole number above 0")
    for field in ("paragraph", "plain", "seed", "citation"):
        if field in table and not isinstance(table[field], str):
            raise ProfileError(path, f"{where}.{field}", "must be text")
    return Timescale(
        key=key,
        counts_from=_choice(path, f"{where}.from", table["from"], Event),
        amount=amount,
        unit=_choice(path, f"{where}.unit", table["unit"], Unit),
        direction=_choice(path, f"{where}.direction", table["direction"], Direction),
        source=Source(
            seed=table.get("seed", header["seed"]),
            citation=table.get("citation", header["citation"]),
            paragraph=table["paragraph"].strip(),
        ),
        plain=" ".join(table["plain"].split()),
        calendar=calendar,
    )


def load_profiles(directory: Path = PROFILES_DIR) -> dict[str, Profile]:
    """Every `*.toml` profile in `directory`, checked, with inheritance resolved."""
    raw: dict[str, tuple[Path, dict[str, Any]]] = {}
    for path in sorted(directory.glob("*.toml")):
        data = _read(path)
        for section in data:
            if section not in ("profile", "timescales"):
                raise ProfileError(path, section, "unknown key; expected profile or timescales")
        _check_fields(
            path, "profile", data.get("profile"), _PROFILE_FIELDS, _REQUIRED_PROFILE_FIELDS
        )
        if not isinstance(data.get("timescales", {}), dict):
            raise ProfileError(path, "timescales", "must be a table")
        raw[path.stem] = (path, data)

    profiles: dict[str, Profile] = {}

    def resolve(name: str, chain: tuple[str, ...]) -> Profile:
        if name in profiles:
            return profiles[name]
        path, data = raw[name]
        header = data["profile"]
        nation = _nation(path, header["nation"])
        calendar = calendar_for(nation)
        timescales: dict[str, Timescale] = {}
        parent_name = header.get("inherits")
        if parent_name is not None:
            if parent_name not in raw:
                raise ProfileError(path, "profile.inherits", f"no profile called {parent_name!r}")
            if parent_name in chain:
                raise ProfileError(path, "profile.inherits", "profiles inherit from each other")
            parent = resolve(parent_name, (*chain, name))
            for key, inherited in parent.timescales.items():
                timescales[key] = dataclasses.replace(
                    inherited,
                    calendar=calendar,
                    inherited_from=inherited.inherited_from or parent_name,
                )
        for key, table in data.get("timescales", {}).items():
            timescales[key] = _timescale(path, key, table, header, calendar)
        missing = [key for key in TIMESCALE_TITLES if key not in timescales]
        if missing:
            raise ProfileError(path, f"timescales.{missing[0]}", "is missing")
        profiles[name] = Profile(
            name=name,
            title=header["title"],
            citation=header["citation"],
            seed=header["seed"],
            nation=nation,
            inherits=parent_name,
            description=" ".join(header.get("description", "").split()),
            timescales={key: timescales[key] for key in TIMESCALE_TITLES},
        )
        return profiles[name]

    for name in raw:
        resolve(name, ())
    return profiles


def _nation(path: Path, value: Any) -> Nation:
    try:
        return nation_from(value)
    except ValueError as error:
        raise ProfileError(path, "profile.nation", str(error)) from None


@functools.cache
def _shipped() -> dict[str, Profile]:
    return load_profiles(PROFILES_DIR)


def profile_names() -> list[str]:
    return sorted(_shipped())


def get_profile(name: str) -> Profile:
    """The shipped profile called `name` ("london", "cornwall", …) on its nation's calendar."""
    try:
        return _shipped()[name]
    except KeyError:
        raise UnknownProfile(name, profile_names()) from None
