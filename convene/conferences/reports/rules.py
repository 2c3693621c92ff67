"""Pure rules for reports, the family's contributions and exclusion requests.

Plain values in, plain values out: no database, no clock. Callers pass `today`.
"""

from __future__ import annotations

import dataclasses
import io
import zipfile
from datetime import date

from convene.conferences.enums import ConferenceStatus, ConferenceType, ReportKind
from convene.timescales import Profile

# Deadlines ------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ReportDeadlines:
    """When a report is due to the chair and to the family, with the rule in words."""

    to_chair: date
    to_chair_rule: str
    # None: not shared with the family (London CP4 §7.10: the police report is the chair's).
    to_family: date | None
    to_family_rule: str


def report_deadline_keys(conference_type: str) -> tuple[str, str]:
    """The profile's timescale keys (to the chair, to the parents) for a type of conference.

    London CP4 §7.7 to §7.9: 2 working days before an initial conference, 5 before a review.
    Every conference that is not a review is an initial one for this purpose (pre-birth,
    transfer-in and reconvened conferences make a first decision about a plan)."""
    if conference_type == ConferenceType.REVIEW:
        return "reports_to_chair_review", "reports_to_parents_review"
    return "reports_to_chair_initial", "reports_to_parents_initial"


def report_deadlines(
    profile: Profile, *, conference_type: str, conference_date: date, kind: str
) -> ReportDeadlines:
    chair_key, family_key = report_deadline_keys(conference_type)
    to_chair = profile.timescale(chair_key)
    to_family = profile.timescale(family_key)
    shared = kind != ReportKind.POLICE
    return ReportDeadlines(
        to_chair=to_chair.due(conference_date),
        to_chair_rule=to_chair.explain(),
        to_family=to_family.due(conference_date) if shared else None,
        to_family_rule=to_family.explain() if shared else "",
    )


def is_late(*, due: date | None, done_on: date | None, today: date) -> bool:
    """Late when done after the due date, or not done and the due date has passed.

    The due date is the last day on which it is still on time, so on the day itself nothing is
    late yet."""
    if due is None:
        return False
    if done_on is not None:
        return done_on > due
    return today > due


def report_late_to_chair(*, due: date, submitted_on: date | None, today: date) -> bool:
    return is_late(due=due, done_on=submitted_on, today=today)


def report_late_to_family(*, due: date | None, shared_on: date | None, today: date) -> bool:
    return is_late(due=due, done_on=shared_on, today=today)


# What a report needs -----------------------------------------------------------------


def child_seen_problems(
    *,
    seen_on: date | None,
    seen_alone: bool | None,
    who_was_there: str,
    why_not_alone: str,
    today: date,
) -> dict[str, str]:
    """What is wrong with an entry of when a child was seen (London CP4 §7.5: if the child was
    not seen alone, who was present and for what reasons). Field name to message."""
    problems: dict[str, str] = {}
    if seen_on is None:
        problems["date"] = "Enter the date the child was seen"
    elif seen_on > today:
        problems["date"] = "The date the child was seen must be today or in the past"
    if seen_alone is None:
        problems["seen_alone"] = "Select whether the child was seen alone"
    elif not seen_alone:
        if not who_was_there.strip():
            problems["who_was_there"] = "Enter who was there when the child was seen"
        if not why_not_alone.strip():
            problems["why_not_alone"] = "Enter why the child was not seen alone"
    return problems


def report_submit_problems(
    *,
    kind: str,
    facts: str,
    opinions: str,
    recommendation: str,
    signed_by: str,
    children_not_seen: list[str],
) -> dict[str, str]:
    """What stops a report being signed and submitted. Field name to message.

    London CP4 §7.1, §7.9: a signed report that distinguishes facts and opinions; §7.5: the
    children's social care report says when each child was seen."""
    problems: dict[str, str] = {}
    if not facts.strip():
        problems["facts"] = "Enter the facts: what you know happened and how you know"
    if not opinions.strip():
        problems["opinions"] = "Enter your professional opinion"
    if not recommendation.strip():
        problems["recommendation"] = "Enter your recommendation to the conference"
    if not signed_by.strip():
        problems["signed_by"] = "Type your full name to sign the report"
    if kind == ReportKind.CHILDRENS_SOCIAL_CARE:
        for name in children_not_seen:
            problems[f"seen_{name}"] = f"Add when {name} was seen during the enquiry"
    return problems


# Uploads -----------------------------------------------------------------------------

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
WRONG_TYPE = "The selected file must be a PDF, Word document, picture or sound recording"
TOO_BIG = "The selected file must be smaller than 10MB"
EMPTY = "The selected file is empty"

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT = "text/plain"
JPEG = "image/jpeg"
PNG = "image/png"
MP3 = "audio/mpeg"
M4A = "audio/mp4"
WAV = "audio/wav"

# Which file name endings each content type may have: the name must agree with the content.
EXTENSIONS: dict[str, tuple[str, ...]] = {
    PDF: (".pdf",),
    DOCX: (".docx",),
    TEXT: (".txt",),
    JPEG: (".jpg", ".jpeg"),
    PNG: (".png",),
    MP3: (".mp3",),
    M4A: (".m4a", ".mp4"),
    WAV: (".wav",),
}
_M4A_BRANDS = (b"M4A ", b"M4B ", b"mp41", b"mp42", b"isom", b"iso2")


def sniff_content_type(data: bytes) -> str | None:
    """The content type the file's own bytes show, or None when not one we accept."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return WAV
    if data[4:8] == b"ftyp" and data[8:12] in _M4A_BRANDS:
        return M4A
    if data.startswith(b"ID3") or (len(data) > 1 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0):
        return MP3
    if data.startswith(b"PK\x03\x04"):
        return DOCX if _is_word_document(data) else None
    if _is_plain_text(data):
        return TEXT
    return None


def _is_word_document(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return False
    return "[Content_Types].xml" in names and "word/document.xml" in names


def _is_plain_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@dataclasses.dataclass(frozen=True)
class UploadCheck:
    content_type: str | None
    error: str | None


def upload_check(*, name: str, size: int, data: bytes) -> UploadCheck:
    """Whether an upload may be kept: not empty, under 10MB, and its content one of the kinds
    we accept, with a name that agrees (London CP4 §4.16 to §4.17, §7.11: a written statement,
    a drawing, a recording)."""
    if size == 0:
        return UploadCheck(None, EMPTY)
    if size >= MAX_UPLOAD_BYTES:
        return UploadCheck(None, TOO_BIG)
    content_type = sniff_content_type(data)
    if content_type is None or not name.lower().endswith(EXTENSIONS[content_type]):
        return UploadCheck(None, WRONG_TYPE)
    return UploadCheck(content_type, None)


# Exclusion ---------------------------------------------------------------------------


def exclusion_request_due(profile: Profile, *, conference_date: date) -> date:
    """London CP4 §5.2: asked for, if possible, at least 3 working days before the conference."""
    return profile.timescale("exclusion_request").due(conference_date)


def exclusion_request_is_late(*, due: date, requested_on: date) -> bool:
    """A late request is still recorded (§5.2 says "if possible"); it is flagged for the chair."""
    return requested_on > due


# Reports, contributions and exclusion requests are gathered while a conference is being
# prepared: not for one that has been held or cancelled.
PREPARING = frozenset({ConferenceStatus.TO_ARRANGE, ConferenceStatus.SCHEDULED})
NOT_PREPARING = "This conference has been held or cancelled: nothing more can be added to it"


def is_preparing(status: str) -> bool:
    return status in PREPARING
