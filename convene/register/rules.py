"""Pure rules for enquiries about the list of children subject to a plan: what a search must
contain, when two names are the same, when a search is one too many, and when an enquiry
repeats an earlier one. No clock is read here."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from difflib import SequenceMatcher

from .models import EnquiryOutcome

# Enough letters that a name cannot be a fragment to fish with.
SHORTEST_NAME = 2
# Characters that would make a search a pattern rather than a name.
WILDCARDS = re.compile(r"[*%_?\[\]^$\\|]")
NAME_PATTERN = re.compile(r"^[^\W\d_]+(?:[ '\-.\u2019][^\W\d_]+)*\.?$")
# An enquirer may search this many times in any hour: enough for a busy night, too few to
# walk the list.
SEARCHES_PER_HOUR = 10
SEARCH_WINDOW = timedelta(hours=1)
# A second enquiry about the same child within this time alerts the lead social worker and
# their team manager: someone else is worried too. Convene's default; the procedures say only
# that enquiries are recorded.
REPEAT_WINDOW = timedelta(days=30)
# How alike two spellings must be to count as a near match (a ratio from 0 to 1).
NEAR = 0.8

PARTIAL = (
    "Enter the child's full {part}: part of a name, or a wildcard such as * or %, is not accepted"
)


def name_problem(value: str, part: str) -> str | None:
    """Why a typed name cannot be searched for, or None."""
    stripped = value.strip()
    if WILDCARDS.search(stripped):
        return PARTIAL.format(part=part)
    if len(normalise(stripped)) < SHORTEST_NAME or not NAME_PATTERN.match(stripped):
        return PARTIAL.format(part=part)
    return None


def normalise(name: str) -> str:
    """Lower case, without accents, spaces, hyphens or apostrophes: "Zoë O'Neil-Smith" and
    "zoe oneil smith" are the same name."""
    decomposed = unicodedata.normalize("NFKD", name)
    letters = (c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z]", "", "".join(letters).casefold())


def _near(a: str, b: str) -> bool:
    return a == b or SequenceMatcher(None, a, b).ratio() >= NEAR


@dataclass(frozen=True)
class Candidate:
    """A child born on the searched date: only its names are compared."""

    pk: int
    first_name: str
    last_name: str


@dataclass(frozen=True)
class Match:
    outcome: EnquiryOutcome | None  # None: one child matched; the plan decides the answer
    child_pk: int | None = None


def match(first_name: str, last_name: str, candidates: Iterable[Candidate]) -> Match:
    """One child whose names are exactly those searched (ignoring case, accents and
    punctuation) is a match. Several, or none but a near spelling, cannot be answered safely:
    the enquirer is asked to call the duty team, and no other child's details are shown."""
    first, last = normalise(first_name), normalise(last_name)
    exact: list[int] = []
    near = False
    for candidate in candidates:
        c_first, c_last = normalise(candidate.first_name), normalise(candidate.last_name)
        if c_first == first and c_last == last:
            exact.append(candidate.pk)
        elif _near(c_first, first) and _near(c_last, last):
            near = True
    if len(exact) == 1:
        return Match(None, exact[0])
    if exact or near:
        return Match(EnquiryOutcome.NOT_MATCHED)
    return Match(EnquiryOutcome.NOT_FOUND)


def searches_left(recent: Sequence[datetime], now: datetime) -> int:
    """How many more searches an enquirer may make now, given when they searched before."""
    within = [t for t in recent if now - t < SEARCH_WINDOW]
    return max(SEARCHES_PER_HOUR - len(within), 0)


def next_search_at(recent: Sequence[datetime], now: datetime) -> datetime:
    """When the oldest search in the last hour stops counting."""
    within = sorted(t for t in recent if now - t < SEARCH_WINDOW)
    return within[0] + SEARCH_WINDOW if within else now


def is_repeat(earlier: Iterable[datetime], now: datetime) -> bool:
    """Whether an enquiry now about a child follows another within the repeat window."""
    return any(now - t <= REPEAT_WINDOW for t in earlier)
