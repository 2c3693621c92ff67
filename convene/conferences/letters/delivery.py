"""Sending one copy of a letter or a record: by e-mail through the notifications gateway with
the document attached as PDF and Word, or printed for the post room; the files are drawn by
the dispatcher afterwards (convene.conferences.letters.drawing). The subject never names
a child or a family (issue 12): the e-mail says what it is; the document is attached."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from convene.access.enums import AuditVerb
from convene.conferences.enums import Delivery as InvitationDelivery
from convene.conferences.letters.enums import Delivery, DocumentKind
from convene.conferences.letters.models import DocumentCopy
from convene.conferences.models import Conference, Invitation
from convene.core.services import Actor, ServiceError, audit
from convene.notifications.dispatcher import schedule_dispatch

SUBJECTS = {
    DocumentKind.LETTER: "Decision letter from a child protection conference",
    DocumentKind.RECORD: "Record of a child protection conference",
}
FILE_NAMES = {DocumentKind.LETTER: "decision-letter", DocumentKind.RECORD: "conference-record"}


@dataclass(frozen=True)
class Route:
    delivery: Delivery
    email: str
    address: str


def route_for(invitation: Invitation) -> Route:
    """E-mail where the person asked for e-mail and gave an address; otherwise post."""
    if invitation.delivery == InvitationDelivery.EMAIL and invitation.email:
        return Route(Delivery.EMAIL, invitation.email, "")
    if invitation.address.strip():
        return Route(Delivery.POST, "", invitation.address.strip())
    if invitation.email:
        return Route(Delivery.EMAIL, invitation.email, "")
    raise ServiceError(
        f"There is no email or postal address for {invitation.display_name}: add one to their "
        "invitation first"
    )


def email_body(kind: DocumentKind, *, conference_date: date, translate_into: str) -> str:
    what = "the decision letter" if kind == DocumentKind.LETTER else "the record"
    lines = [
        "Hello,",
        f"Please find attached {what} of the child protection conference held on "
        f"{conference_date.day} {conference_date:%B %Y}, as a PDF and as a Word document.",
        "It is confidential. Please do not share it with anyone else.",
    ]
    if kind == DocumentKind.RECORD:
        lines.append("If something in the record is wrong, tell the conference team within 1 week.")
    if translate_into:
        lines.append(f"We are having it translated into {translate_into} and will send that too.")
    lines.append("Conference team")
    return "\n\n".join(lines)


def send_copy(copy: DocumentCopy, *, conference: Conference, what: str, by: Actor) -> None:
    """Record the sending, audited on each subject child's trail, and ask the dispatcher to
    draw the copy after the caller's transaction commits: it draws the PDF and the Word file
    and queues the e-mail, or puts a printed copy in the post room
    (convene.conferences.letters.drawing). Nothing is drawn while the sender waits."""
    assert conference.date is not None
    audit(
        by=by,
        verb=AuditVerb.CREATED,
        obj=copy,
        about=conference,
        reason=f"{what} sent to {copy.name} by {copy.get_delivery_display().lower()}",
    )
    schedule_dispatch()
