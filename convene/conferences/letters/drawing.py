"""Drawing the copies that were sent, outside the request that sent them
(docs/decisions/0025-letters-drawn-in-background.md).

Sending a letter or a record records each copy (`DocumentCopy`, with `drawn_at` empty) and
asks the dispatcher to run. The dispatcher calls `draw_waiting` before it sends
(settings.NOTIFICATIONS_PREPARERS): for each copy not yet drawn it draws the PDF and the Word
file, then, in one transaction, marks the copy drawn and queues its e-mail in the outbox. A
printed copy needs no file (the post room prints the page), so it is only marked drawn: it
joins the post room's batch then.

Exactly once: the mark is a conditional UPDATE (`drawn_at IS NULL`) in the same transaction as
the outbox row, so two dispatchers drawing the same copy at once queue one e-mail; the outbox's
own key (the copy's reference) would refuse a second anyway."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from convene.authority.selectors import authority_procedures
from convene.conferences.letters import services
from convene.conferences.letters.branding import authority_branding, word_template
from convene.conferences.letters.delivery import FILE_NAMES, SUBJECTS, email_body
from convene.conferences.letters.document import Branding, Document
from convene.conferences.letters.enums import Delivery, DocumentKind, Reader, Scope
from convene.conferences.letters.models import DocumentCopy
from convene.conferences.letters.render import DOCX, PDF, render_docx, render_pdf
from convene.notifications.gateway import gateway
from convene.timescales import Profile

logger = logging.getLogger(__name__)

# Copies drawn in one round: the dispatcher sends what is queued between rounds.
BATCH = 20


def copy_document(copy: DocumentCopy, branding: Branding, profile: Profile) -> Document:
    """The letter or the record exactly as this copy holds it."""
    from convene.conferences.record.services import record_document

    if copy.letter is not None:
        return services.letter_for_reader(
            copy.letter, reader=Reader(copy.reader), branding=branding, profile=profile, copy=copy
        )
    assert copy.record_version is not None
    return record_document(
        copy.record_version,
        scope=Scope(copy.scope),
        branding=branding,
        format=copy.format,
        copy=copy,
    )


def waiting_to_draw(*, limit: int = BATCH, after: int = 0) -> list[DocumentCopy]:
    """Copies sent but not yet drawn, oldest first. One query."""
    return list(
        DocumentCopy.objects.filter(drawn_at__isnull=True, pk__gt=after)
        .select_related(
            "letter__conference",
            "record_version__record__conference",
            "record_version__signed_by",
        )
        .order_by("pk")[:limit]
    )


def draw_one(
    copy: DocumentCopy, *, branding: Branding, template: bytes | None, profile: Profile
) -> bool:
    """Draw one copy and queue its e-mail; False when another dispatcher drew it first."""
    attachments = []
    if copy.delivery == Delivery.EMAIL:
        document = copy_document(copy, branding, profile)
        name = FILE_NAMES[DocumentKind(copy.kind)]
        # The slow part (seconds for a long record), outside any transaction.
        attachments = [
            (f"{name}.pdf", render_pdf(document), PDF),
            (f"{name}.docx", render_docx(document, template), DOCX),
        ]
    with transaction.atomic():
        won = DocumentCopy.objects.filter(pk=copy.pk, drawn_at__isnull=True).update(
            drawn_at=timezone.now(), draw_error=""
        )
        if not won:
            return False
        if copy.delivery == Delivery.EMAIL:
            kind = DocumentKind(copy.kind)
            conference = copy.conference
            assert conference.date is not None
            gateway().send_email(
                to=copy.email,
                subject=SUBJECTS[kind],
                body=email_body(
                    kind, conference_date=conference.date, translate_into=copy.translate_into
                ),
                attachments=attachments,
                reference=f"{FILE_NAMES[kind]}-copy-{copy.pk}",
            )
    return True


def draw_waiting() -> int:
    """Draw every copy waiting (the dispatcher's preparer). A copy that cannot be drawn keeps
    its error, shown beside it, and is tried again in the next round. Returns how many were
    drawn."""
    drawn, after = 0, 0
    branding: Branding | None = None
    template: bytes | None = None
    profile: Profile | None = None
    while True:
        batch = waiting_to_draw(after=after)
        if not batch:
            return drawn
        if branding is None or profile is None:
            branding, template, profile = (
                authority_branding(),
                word_template(),
                authority_procedures(),
            )
        for copy in batch:
            after = copy.pk
            try:
                drawn += draw_one(copy, branding=branding, template=template, profile=profile)
            except Exception as error:
                logger.exception("Could not draw copy %s; it will be tried again", copy.pk)
                DocumentCopy.objects.filter(pk=copy.pk, drawn_at__isnull=True).update(
                    draw_error=(str(error) or type(error).__name__)[:500]
                )
