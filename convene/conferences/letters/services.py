"""Changes to the decision letter and to copies: the chair signs the letter (its words are
frozen then), the administrators send it to everyone invited (London CP4 §14.13, §14.5), the
post room marks printed copies posted, and every download is audited.

Each checks the conference's transition table and the letter's, refuses a stale edit and is
audited on each subject child's trail in the same transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import IntegrityError, transaction

from convene.access.enums import AuditVerb
from convene.conferences.letters import rules, selectors
from convene.conferences.letters.content import LetterFacts, day, letter_document
from convene.conferences.letters.delivery import route_for, send_copy
from convene.conferences.letters.document import Branding, Document
from convene.conferences.letters.enums import Delivery, DocumentKind, DocumentStatus, Reader
from convene.conferences.letters.models import DecisionLetter, DocumentCopy
from convene.conferences.letters.rules import LETTER, LetterAction
from convene.conferences.models import Conference, Invitation
from convene.conferences.record.models import LegalRepresentative
from convene.conferences.rules import CONFERENCE, ConferenceAction
from convene.core.services import (
    Actor,
    ServiceError,
    StaleEdit,
    audit,
    row_updated,
    versioned_update,
)
from convene.timescales import Profile

A = ConferenceAction


def letter_get_or_start(conference: Conference) -> DecisionLetter:
    """The conference's letter, started as a draft the first time it is asked for."""
    try:
        with transaction.atomic():
            letter, _ = DecisionLetter.objects.get_or_create(conference=conference)
    except IntegrityError as error:  # started by someone else at the same moment
        raise StaleEdit from error
    return letter


def letter_sign(
    *, conference: Conference, version: int, profile: Profile, by: Actor, today: date
) -> DecisionLetter:
    """The chair signs the letter once every child has a decision; what it says is frozen."""
    CONFERENCE.check(A.SIGN_DOCUMENTS, conference.status)
    waiting = selectors.decisions_outstanding(conference)
    if waiting:
        raise ServiceError(
            f"Record the decision for {', '.join(waiting)} first: the letter gives each child's"
        )
    letter = letter_get_or_start(conference)
    LETTER.check(LetterAction.SIGN, letter.status)
    facts = selectors.letter_facts(conference, profile)
    frozen = LetterFacts(**{**facts.__dict__, "signed_on": today.isoformat()}).as_json()
    with transaction.atomic():
        versioned_update(
            letter,
            version=version,
            status=DocumentStatus.SIGNED,
            facts=frozen,
            signed_by=by.user,
            signed_on=today,
        )
        audit(
            by=by,
            verb=AuditVerb.CHANGED,
            obj=letter,
            about=conference,
            reason="The chair signed the decision letter",
        )
    return letter


def letter_for_reader(
    letter: DecisionLetter,
    *,
    reader: Reader,
    branding: Branding,
    profile: Profile,
    copy: DocumentCopy | None = None,
    format: str = "standard",
) -> Document:
    """The letter as one reader reads it: the signed words, or today's draft."""
    if letter.status == DocumentStatus.SIGNED:
        facts = LetterFacts.from_json(letter.facts)
    else:
        facts = selectors.letter_facts(letter.conference, profile)
    document = letter_document(
        facts,
        reader=reader,
        branding=branding,
        format=copy.format if copy else format,  # type: ignore[arg-type]
        to_name=copy.name if copy else "",
        to_address=copy.address.splitlines() if copy and copy.address else [],
        dated=day(copy.sent_on.isoformat()) if copy else "",
        translate_into=copy.translate_into if copy else "",
    )
    if letter.status != DocumentStatus.SIGNED:
        return Document(**{**document.__dict__, "notice": "Draft: not signed by the chair yet."})
    return document


def _new_copy(
    invitation: Invitation,
    *,
    kind: DocumentKind,
    reader: Reader,
    by: Actor,
    today: date,
    **document: object,
) -> DocumentCopy:
    route = route_for(invitation)
    return DocumentCopy.objects.create(
        kind=kind,
        invitation=invitation,
        name=invitation.display_name,
        reader=reader,
        format=rules.format_for(
            reader=reader,
            dyslexia=invitation.dyslexia,
            sensory_needs=invitation.sensory_needs,
            other_needs=invitation.other_needs,
        ),
        translate_into=rules.translation_for(invitation.interpreter_language),
        delivery=route.delivery,
        email=route.email,
        address=route.address,
        sent_on=today,
        sent_by=by.user,
        **document,
    )


def representative_copy(
    representative: LegalRepresentative,
    *,
    kind: DocumentKind,
    by: Actor,
    today: date,
    **document: object,
) -> DocumentCopy:
    """A copy for a child's legal representative who was not invited (§14.8): by e-mail when
    they gave an address, otherwise by post; the professionals' letter, in standard print."""
    if representative.email:
        delivery, email, address = Delivery.EMAIL, representative.email, ""
    else:
        delivery, email, address = Delivery.POST, "", representative.address
    return DocumentCopy.objects.create(
        kind=kind,
        representative=representative,
        name=representative.display_name,
        reader=Reader.PROFESSIONAL,
        delivery=delivery,
        email=email,
        address=address,
        sent_on=today,
        sent_by=by.user,
        **document,
    )


def letter_send(
    *,
    conference: Conference,
    invitations: Sequence[Invitation],
    by: Actor,
    today: date,
    representatives: Sequence[LegalRepresentative] = (),
) -> list[DocumentCopy]:
    """Send the signed letter to each of these invited people who has not had it: the plain
    English family letter to the family, the full letter to professionals (§14.13, §14.5);
    and the full letter to each legal representative the chair decided gets it (§14.8)."""
    from convene.conferences.record.services import check_representative

    CONFERENCE.check(A.SEND_DOCUMENTS, conference.status)
    letter = letter_get_or_start(conference)
    LETTER.check(LetterAction.SEND, letter.status)
    if not invitations and not representatives:
        raise ServiceError("Select who to send the letter to", field="recipients")
    already = set(letter.copies.values_list("invitation_id", flat=True))
    already_represented = set(letter.copies.values_list("representative_id", flat=True))
    assert conference.date is not None
    sent = []
    with transaction.atomic():
        for invitation in invitations:
            if invitation.conference_id != conference.pk:
                raise ServiceError("Send the letter only to people invited to this conference")
            reader = rules.reader_for(invitation.role)
            if reader is None:
                raise ServiceError(
                    f"{invitation.display_name} is an {invitation.get_role_display().lower()}: "
                    "they do not get the decision letter"
                )
            if invitation.pk in already:
                continue
            copy = _new_copy(
                invitation,
                kind=DocumentKind.LETTER,
                reader=reader,
                by=by,
                today=today,
                letter=letter,
            )
            send_copy(
                copy,
                conference=conference,
                what="Decision letter",
                by=by,
            )
            sent.append(copy)
        for representative in representatives:
            check_representative(conference, representative)
            if not representative.with_letter:
                raise ServiceError(
                    f"The chair did not decide that {representative.display_name} gets the "
                    "decision letter"
                )
            if representative.pk in already_represented:
                continue
            copy = representative_copy(
                representative, kind=DocumentKind.LETTER, by=by, today=today, letter=letter
            )
            send_copy(
                copy,
                conference=conference,
                what="Decision letter (to a child's legal representative)",
                by=by,
            )
            sent.append(copy)
        if sent and letter.first_sent_on is None:
            DecisionLetter.objects.filter(pk=letter.pk).update(first_sent_on=today)
            row_updated.send(DecisionLetter, instance=letter, fields=["first_sent_on"])
    return sent


def copies_posted(*, copies: Sequence[DocumentCopy], by: Actor, today: date) -> int:
    """The post room has printed and posted these copies."""
    if not copies:
        raise ServiceError("Select the letters you have posted", field="copies")
    with transaction.atomic():
        for copy in copies:
            if copy.delivery != Delivery.POST or copy.posted_on is not None:
                raise ServiceError(f"The copy for {copy.name} is not waiting to be posted")
            DocumentCopy.objects.filter(pk=copy.pk).update(posted_on=today, posted_by=by.user)
            audit(
                by=by,
                verb=AuditVerb.CHANGED,
                obj=copy,
                about=copy.conference,
                reason=f"{copy.get_kind_display()} for {copy.name} posted",
            )
    return len(copies)


def document_downloaded(*, conference: Conference, what: str, by: Actor) -> None:
    """Every download of a letter or a record is on each subject child's trail."""
    with transaction.atomic():
        audit(by=by, verb=AuditVerb.DOWNLOADED, obj=conference, about=conference, reason=what)
