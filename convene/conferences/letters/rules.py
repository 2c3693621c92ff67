"""Rules for the letters and the record's copies, on plain values: what each action may start
from, who reads which copy in which form, when it is due, and whether a family's letter is in
plain English (issue 12; London CP4 §14.4 to §14.13; Cornwall C:151 to C:155; Derbyshire D:21
to D:22)."""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import textstat

from convene.conferences.enums import InviteeRole
from convene.conferences.letters.enums import DocumentStatus, Format, Reader
from convene.core.services import Transition, Transitions
from convene.timescales import Profile, is_overdue

# Plain English: GOV.UK aims at a reading age of 9; a Flesch reading ease of 60 or more is
# "plain English" (issue 12).
READING_EASE_AIM = 60
textstat.set_lang("en_GB")


class LetterAction(enum.StrEnum):
    SIGN = "sign"
    SEND = "send"


Status = DocumentStatus
LETTER: Transitions[LetterAction, DocumentStatus] = Transitions(
    {
        LetterAction.SIGN: Transition(
            frozenset({Status.DRAFT}), "The letter is already signed", becomes=Status.SIGNED
        ),
        LetterAction.SEND: Transition(
            frozenset({Status.SIGNED}), "The chair must sign the letter before it is sent"
        ),
    }
)

# Who reads a letter or the record at all: interpreters help at the meeting and observers only
# watch it (London CP4 §3.3); neither receives what it decided.
NOT_READERS = frozenset({InviteeRole.INTERPRETER, InviteeRole.OBSERVER})
FAMILY_ROLES = frozenset(
    {InviteeRole.PARENT_CARER, InviteeRole.CHILD, InviteeRole.SUPPORTER, InviteeRole.ADVOCATE}
)
ENGLISH = {"", "english", "none"}


def reader_for(role: str) -> Reader | None:
    """The copy someone invited as `role` reads: None for those who get none."""
    if role in NOT_READERS:
        return None
    return Reader.FAMILY if role in FAMILY_ROLES else Reader.PROFESSIONAL


SIGHT_WORDS = ("sight", "visual", "visually", "blind", "large print")
EASY_READ_WORDS = ("easy read", "easy-read", "learning disab")


def format_for(*, reader: Reader, dyslexia: bool, sensory_needs: str, other_needs: str) -> Format:
    """The form a copy takes from the reader's recorded needs (Derbyshire D:21 to D:22):
    easy read where a family member asked for it or has a learning disability; large print for
    sight loss or dyslexia; otherwise standard."""
    needs = f"{sensory_needs} {other_needs}".lower()
    if reader == Reader.FAMILY and any(word in needs for word in EASY_READ_WORDS):
        return Format.EASY_READ
    if dyslexia or any(word in needs for word in SIGHT_WORDS):
        return Format.LARGE_PRINT
    return Format.STANDARD


def translation_for(interpreter_language: str) -> str:
    """The language a copy must be translated into (Cornwall C:151): the reader's, when an
    interpreter was needed for anything but English; "" for none."""
    language = interpreter_language.strip()
    return "" if language.lower() in ENGLISH else language


# Due dates ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    due: date
    late: bool
    rule: str


def letter_due(profile: Profile, *, conference_date: date, today: date) -> Due:
    """The decision letter: within 1 working day of the conference (London CP4 §14.13)."""
    timescale = profile.timescale("decision_letter")
    due = timescale.due(conference_date)
    return Due(due, is_overdue(due, today), timescale.explain())


def letter_to_parents_due(profile: Profile, *, conference_date: date) -> date:
    """To parents within 24 hours (§14.5)."""
    return profile.timescale("decision_letter_to_parents").due(conference_date)


def record_due(profile: Profile, *, conference_date: date, today: date) -> Due:
    """The signed record: within 20 working days (London CP4 §14.4; Cornwall 15)."""
    timescale = profile.timescale("record")
    due = timescale.due(conference_date)
    return Due(due, is_overdue(due, today), timescale.explain())


# Plain English -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    term: str
    meaning: str
    avoid: bool = False


@dataclass(frozen=True)
class Flagged:
    term: str
    meaning: str
    why: str


@dataclass(frozen=True)
class PlainEnglish:
    reading_ease: float
    grade: float
    flagged: list[Flagged]

    @property
    def easy_enough(self) -> bool:
        return self.reading_ease >= READING_EASE_AIM

    @property
    def passes(self) -> bool:
        return self.easy_enough and not self.flagged


def _pattern(term: str) -> re.Pattern[str]:
    # An abbreviation in capitals matches only in capitals ("CP", not "cp" in a word); a word
    # matches in any case.
    flags = 0 if term.isupper() else re.IGNORECASE
    return re.compile(rf"(?<![\w-]){re.escape(term)}(?![\w-])", flags)


def plain_english(text: str, glossary: Iterable[Term]) -> PlainEnglish:
    """The Flesch reading ease and grade of a family's letter, and the jargon in it that is
    neither explained (its meaning is in the letter too) nor allowed (the authority marked it
    to avoid)."""
    flagged = []
    for entry in glossary:
        if not entry.term.strip() or not _pattern(entry.term).search(text):
            continue
        if entry.avoid:
            flagged.append(Flagged(entry.term, entry.meaning, "Avoid this word"))
        elif entry.meaning.lower() not in text.lower():
            flagged.append(Flagged(entry.term, entry.meaning, "Explain it or use other words"))
    if not text.strip():
        return PlainEnglish(reading_ease=100.0, grade=0.0, flagged=flagged)
    return PlainEnglish(
        reading_ease=round(float(textstat.flesch_reading_ease(text)), 1),
        grade=round(float(textstat.flesch_kincaid_grade(text)), 1),
        flagged=flagged,
    )
