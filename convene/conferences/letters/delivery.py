"""Sending one copy of a letter or a record: by e-mail through the notifications gateway with
the document attached as PDF and Word, or printed for the post room. The subject never names
a child or a family (issue 12): the e-mail says what it is; the document is attached."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from convene.access.enums import AuditVerb
from convene.conferences.enums import Delivery as InvitationDelivery
from convene.conferences.letters.document import Document
from convene.conferences.letters.enums import Delivery, DocumentKind
from convene.conferences.letters.models import DocumentCopy
from convene.conferences.letters.render import DOCX, PDF, render_docx, render_pdf
from convene.conferences.models import Conference, Invitation
from convene.core.services import Actor, ServiceError, audit
from convene.notifications.gateway import gateway

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


def send_copy(
    copy: DocumentCopy,
    document: Document,
    *,
    conference: Conference,
    word_template: bytes | None,
    what: str,
    by: Actor,
) -> None:
    """Queue the e-mail in the caller's transaction, or leave a printed copy waiting in the
    post room (convene.conferences.letters.views.post_room); audited on each subject child's
    trail."""
    assert conference.date is not None
    audit(
        by=by,
        verb=AuditVerb.CREATED,
        obj=copy,
        about=conference,
        reason=f"{what} sent to {copy.name} by {copy.get_delivery_display().lower()}",
    )
    if copy.delivery != Delivery.EMAIL:
        return
    conference_date = conference.date
    kind = DocumentKind(copy.kind)
    name = FILE_NAMES[kind]
    gateway().send_email(
        to=copy.email,
        subject=SUBJECTS[kind],
        body=email_body(kind, conference_date=conference_date, translate_into=copy.translate_into),
        attachments=[
            (f"{name}.pdf", render_pdf(document), PDF),
            (f"{name}.docx", render_docx(document, word_template), DOCX),
        ],
        reference=f"{name}-copy-{copy.pk}",
    )
