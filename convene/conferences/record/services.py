"""Changes to the conference record: drafted from the meeting, edited, signed by the chair,
corrected only by a new signed version with its reason, copies decided by the chair and sent
by the administrators, amendments asked for within a week and answered by the chair (London
CP4 §4.1, §5.10, §14.4 to §14.8).

Each checks the conference's and the version's transition tables, refuses a stale edit and is
audited on each subject child's trail in the same transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import IntegrityError, transaction

from convene.access.enums import AuditVerb
from convene.conferences.letters.branding import glossary
from convene.conferences.letters.content import day
from convene.conferences.letters.delivery import send_copy
from convene.conferences.letters.document import Branding, Document, Section
from convene.conferences.letters.enums import (
    AmendmentStatus,
    CopyChoice,
    DocumentKind,
    DocumentStatus,
    Format,
    Reader,
    Scope,
)
from convene.conferences.letters.models import DocumentCopy
from convene.conferences.letters.rules import Term, reader_for
from convene.conferences.letters.selectors import excluded_invitations
from convene.conferences.letters.services import _new_copy, representative_copy
from convene.conferences.models import Conference, Invitation
from convene.conferences.record import rules
from convene.conferences.record.drafting import draft_sections
from convene.conferences.record.easy_read import easy_read_sections
from convene.conferences.record.models import (
    AmendmentRequest,
    ConferenceRecord,
    CopyDecision,
    LegalRepresentative,
    RecordSection,
    RecordVersion,
)
from convene.conferences.record.rules import VERSION, VersionAction
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
V = VersionAction


def record_start(*, conference: Conference, by: Actor, today: date) -> ConferenceRecord:
    """The first draft, written from what the meeting recorded."""
    CONFERENCE.check(A.WRITE_RECORD, conference.status)
    drafts = draft_sections(conference)
    try:
        with transaction.atomic():
            record = ConferenceRecord.objects.create(
                conference=conference, started_on=today, started_by=by.user
            )
            first = RecordVersion.objects.create(record=record, number=1)
            RecordSection.objects.bulk_create(
                RecordSection(record_version=first, order=n, **draft.__dict__)
                for n, draft in enumerate(drafts, start=1)
            )
            audit(
                by=by,
                verb=AuditVerb.CREATED,
                obj=record,
                about=conference,
                reason="Record drafted from the meeting",
            )
    except IntegrityError as error:
        raise ServiceError("The record has been started already") from error
    return record


def section_update(
    *,
    section: RecordSection,
    body: str,
    confidential: bool,
    confidential_reason: str,
    during_exclusion: bool,
    version: int,
    by: Actor,
) -> RecordSection:
    """Edit a section of a draft version; mark it confidential (left out of the family's
    copies, §14.5) or discussed while someone was excluded (left out of theirs, §4.1)."""
    record_version = section.record_version
    conference = record_version.record.conference
    CONFERENCE.check(A.WRITE_RECORD, conference.status)
    VERSION.check(V.EDIT, record_version.status)
    if confidential and not confidential_reason.strip():
        raise ServiceError(
            "Say why the section is confidential, for example police information",
            field="confidential_reason",
        )
    with transaction.atomic():
        versioned_update(
            section,
            version=version,
            body=body.strip(),
            confidential=confidential,
            confidential_reason=confidential_reason.strip() if confidential else "",
            during_exclusion=during_exclusion,
        )
        marked = " (confidential)" if confidential else ""
        audit(
            by=by,
            verb=AuditVerb.CHANGED,
            obj=section,
            about=conference,
            reason=f"Record version {record_version.number}: {section.heading}{marked} edited",
        )
    return section


def record_sign(
    *, record_version: RecordVersion, version: int, by: Actor, today: date
) -> RecordVersion:
    """The chair signs a draft version; it can never change again."""
    conference = record_version.record.conference
    CONFERENCE.check(A.SIGN_DOCUMENTS, conference.status)
    VERSION.check(V.SIGN, record_version.status)
    with transaction.atomic():
        versioned_update(
            record_version,
            version=version,
            status=DocumentStatus.SIGNED,
            signed_by=by.user,
            signed_on=today,
        )
        audit(
            by=by,
            verb=AuditVerb.CHANGED,
            obj=record_version,
            about=conference,
            reason=f"The chair signed version {record_version.number} of the record",
        )
    return record_version


def latest_version(record: ConferenceRecord) -> RecordVersion:
    found = record.versions.order_by("-number").first()
    assert found is not None
    return found


def record_correct(
    *, record: ConferenceRecord, reason: str, version: int, by: Actor
) -> RecordVersion:
    """A correction after sign-off: a new draft version, copied from the last, with why; the
    signed versions stay as they were, readable by those allowed."""
    conference = record.conference
    CONFERENCE.check(A.SIGN_DOCUMENTS, conference.status)
    last = latest_version(record)
    VERSION.check(V.CORRECT, last.status)
    if not reason.strip():
        raise ServiceError("Say why the record is being corrected", field="reason")
    with transaction.atomic():
        versioned_update(record, version=version)
        try:
            with transaction.atomic():
                new = RecordVersion.objects.create(
                    record=record, number=last.number + 1, reason=reason.strip()
                )
        except IntegrityError as error:
            raise StaleEdit from error
        RecordSection.objects.bulk_create(
            RecordSection(
                record_version=new,
                order=s.order,
                key=s.key,
                heading=s.heading,
                body=s.body,
                confidential=s.confidential,
                confidential_reason=s.confidential_reason,
                during_exclusion=s.during_exclusion,
            )
            for s in last.sections.all()
        )
        audit(
            by=by,
            verb=AuditVerb.CREATED,
            obj=new,
            about=conference,
            reason=f"Version {new.number} of the record started to correct it: {new.reason}",
        )
    return new


# Copies ----------------------------------------------------------------------------------


def copy_decide(
    *,
    record: ConferenceRecord,
    invitation: Invitation,
    choice: CopyChoice,
    reason: str,
    by: Actor,
    today: date,
) -> CopyDecision:
    """The chair decides whether someone excluded (§5.10), the child (§14.8) or a supporter or
    advocate (§14.6) gets the record, and how much of it (§4.1)."""
    conference = record.conference
    CONFERENCE.check(A.SIGN_DOCUMENTS, conference.status)
    if invitation.conference_id != conference.pk:
        raise ServiceError("Decide only for people invited to this conference")
    excluded = invitation.pk in excluded_invitations(conference)
    if not rules.needs_chair(invitation.role, excluded=excluded):
        raise ServiceError(
            f"{invitation.display_name} gets the record without the chair deciding", field="choice"
        )
    if not reason.strip():
        raise ServiceError("Give the reason for your decision", field="reason")
    with transaction.atomic():
        decision, _ = CopyDecision.objects.update_or_create(
            record=record,
            invitation=invitation,
            defaults={
                "choice": choice,
                "reason": reason.strip(),
                "decided_by": by.user,
                "decided_on": today,
            },
        )
        audit(
            by=by,
            verb=AuditVerb.CHANGED,
            obj=decision,
            about=conference,
            reason=f"The chair decided the record's copy for {invitation.display_name}: "
            f"{choice.label.lower()}",
        )
    return decision


def representative_add(
    *,
    conference: Conference,
    child_id: int,
    name: str,
    organisation: str,
    email: str,
    address: str,
    choice: CopyChoice,
    with_letter: bool,
    reason: str,
    by: Actor,
    today: date,
) -> LegalRepresentative:
    """The chair decides whether a child's legal representative who was not invited gets the
    record (§14.8: on request), and the decision letter too; refused or not, the decision is
    recorded with its reason. Someone invited has their copy decided with the invited, and
    someone excluded from the meeting cannot be given the record this way (§5.10)."""
    CONFERENCE.check(A.SIGN_DOCUMENTS, conference.status)
    if not conference.subjects.filter(is_subject=True, child_id=child_id).exists():
        raise ServiceError("Select a child this conference was about", field="child")
    name, organisation = name.strip(), organisation.strip()
    email, address = email.strip(), address.strip()
    if not name:
        raise ServiceError("Enter the legal representative's name", field="name")
    if not organisation:
        raise ServiceError("Enter their firm or organisation", field="organisation")
    if not (email or address):
        raise ServiceError("Enter an email address or a postal address for them", field="email")
    if choice not in (CopyChoice.WHOLE, CopyChoice.NONE):
        raise ServiceError("Select whether they get the record", field="choice")
    if not reason.strip():
        raise ServiceError("Give the reason for your decision", field="reason")
    _not_invited(conference, name=name, email=email)
    with transaction.atomic():
        representative = LegalRepresentative.objects.create(
            conference=conference,
            child_id=child_id,
            name=name,
            organisation=organisation,
            email=email,
            address=address,
            choice=choice,
            with_letter=with_letter and choice != CopyChoice.NONE,
            reason=reason.strip(),
            decided_by=by.user,
            decided_on=today,
        )
        what = "the record" + (" and the decision letter" if representative.with_letter else "")
        audit(
            by=by,
            verb=AuditVerb.CREATED,
            obj=representative,
            about=representative.child,
            reason=f"The chair decided on a request from {representative.display_name}, a "
            f"child's legal representative, for {what}: {choice.label.lower()}",
        )
    return representative


def _not_invited(conference: Conference, *, name: str, email: str) -> None:
    """Refuse a representative who is someone invited: above all someone the chair excluded,
    whose copy is the chair's decision as someone excluded (§5.10)."""
    invited = next(
        (
            i
            for i in conference.invitations.select_related("adult", "child", "professional")
            if i.display_name.strip().lower() == name.lower()
            or (
                email
                and email.lower()
                in {e.lower() for e in (i.email, getattr(i.professional, "email", "") or "") if e}
            )
        ),
        None,
    )
    if invited is None:
        return
    if invited.pk in excluded_invitations(conference):
        raise ServiceError(
            f"{invited.display_name} was excluded from the meeting: they cannot be sent the "
            "record as a legal representative. Decide their copy as someone excluded",
            field="name",
        )
    raise ServiceError(
        f"{invited.display_name} was invited: their copy is decided with everyone invited",
        field="name",
    )


def check_representative(conference: Conference, representative: LegalRepresentative) -> None:
    """Whether this representative may be sent a copy now."""
    if representative.conference_id != conference.pk:
        raise ServiceError("Send only to this conference's legal representatives")
    if representative.choice == CopyChoice.NONE:
        raise ServiceError(
            f"{representative.display_name} does not get a copy: the chair decided so"
        )
    _not_invited(conference, name=representative.name, email=representative.email)


def scope_of(record: ConferenceRecord, invitation: Invitation) -> Scope | None:
    """How much of the record this invited person gets (None: the chair has to decide)."""
    excluded = invitation.pk in excluded_invitations(record.conference)
    decision = record.copy_decisions.filter(invitation=invitation).first()
    return rules.record_scope(
        invitation.role, excluded=excluded, choice=decision.choice if decision else None
    )


def record_document(
    record_version: RecordVersion,
    *,
    scope: Scope,
    branding: Branding,
    format: str = Format.STANDARD,
    copy: DocumentCopy | None = None,
    terms: Sequence[Term] | None = None,
) -> Document:
    """The record as a copy of this scope shows it: confidential sections only in the whole
    record; what was said while someone was excluded not in the part they attended. In easy
    read, its sections are rewritten plainly (`record.easy_read`), with the authority's
    glossary (`terms`; read when not given)."""
    record = record_version.record
    conference = record.conference
    shown = [
        s
        for s in record_version.sections.all()
        if rules.shows(scope, confidential=s.confidential, during_exclusion=s.during_exclusion)
    ]
    sections = [
        Section(
            heading=s.heading,
            paragraphs=[p for p in s.body.split("\n\n") if p.strip()],
            confidential=s.confidential,
        )
        for s in shown
    ]
    easy = format == Format.EASY_READ
    if easy:
        terms = glossary() if terms is None else terms
        sections = easy_read_sections(
            [(s.key, section) for s, section in zip(shown, sections, strict=True)], terms
        )
    notices = [] if record_version.status == DocumentStatus.SIGNED else ["Draft: not signed yet."]
    if record_version.number > 1:
        notices.append(f"Version {record_version.number}, corrected: {record_version.reason}")
    if scope != Scope.WHOLE:
        notices.append(f"This copy holds {Scope(scope).label.lower()}.")
    signer = record_version.signed_by
    assert conference.date is not None
    return Document(
        title=(
            f"What happened at the meeting on {day(conference.date.isoformat())}"
            if easy
            else f"Record of the {conference.get_type_display().lower()} on "
            f"{day(conference.date.isoformat())}"
        ),
        branding=branding,
        dated=day(record_version.signed_on.isoformat()) if record_version.signed_on else "",
        sections=sections,
        to_name=copy.name if copy else "",
        to_address=copy.address.splitlines() if copy and copy.address else [],
        signature=[
            f"Signed by {signer.get_full_name()}, independent chair" if signer else "",
            *branding.signature.splitlines(),
        ],
        format=Format(format),
        notice=" ".join(notices),
        translate_into=copy.translate_into if copy else "",
    )


def record_send(
    *,
    record_version: RecordVersion,
    invitations: Sequence[Invitation],
    by: Actor,
    today: date,
    representatives: Sequence[LegalRepresentative] = (),
) -> list[DocumentCopy]:
    """Send a signed version to each of these people who has not had it, each their copy; and
    to each legal representative the chair decided gets it (§14.8), without what is
    confidential."""
    record = record_version.record
    conference = record.conference
    CONFERENCE.check(A.SEND_DOCUMENTS, conference.status)
    VERSION.check(V.SEND, record_version.status)
    if not invitations and not representatives:
        raise ServiceError("Select who to send the record to", field="recipients")
    already = set(record_version.copies.values_list("invitation_id", flat=True))
    already_represented = set(record_version.copies.values_list("representative_id", flat=True))
    assert conference.date is not None
    sent = []
    with transaction.atomic():
        for invitation in invitations:
            if invitation.conference_id != conference.pk:
                raise ServiceError("Send the record only to people invited to this conference")
            scope = scope_of(record, invitation)
            if scope is None:
                raise ServiceError(
                    f"The chair has not decided yet whether {invitation.display_name} gets a "
                    "copy of the record"
                )
            if scope == Scope.NONE:
                raise ServiceError(
                    f"{invitation.display_name} does not get a copy of the record: "
                    + (
                        "the chair decided so"
                        if rules.needs_chair(invitation.role, excluded=True)
                        else f"they were an {invitation.get_role_display().lower()}"
                    )
                )
            if invitation.pk in already:
                continue
            reader = reader_for(invitation.role) or Reader.PROFESSIONAL
            copy = _new_copy(
                invitation,
                kind=DocumentKind.RECORD,
                reader=reader,
                by=by,
                today=today,
                record_version=record_version,
                scope=scope,
            )
            send_copy(
                copy,
                conference=conference,
                what=f"Record version {record_version.number} ({Scope(scope).label.lower()})",
                by=by,
            )
            sent.append(copy)
        for representative in representatives:
            check_representative(conference, representative)
            if representative.pk in already_represented:
                continue
            copy = representative_copy(
                representative,
                kind=DocumentKind.RECORD,
                by=by,
                today=today,
                record_version=record_version,
                scope=Scope.WITHOUT_CONFIDENTIAL,
            )
            send_copy(
                copy,
                conference=conference,
                what=f"Record version {record_version.number} (to a child's legal representative)",
                by=by,
            )
            sent.append(copy)
        if sent and record.first_sent_on is None:
            ConferenceRecord.objects.filter(pk=record.pk).update(first_sent_on=today)
            row_updated.send(ConferenceRecord, instance=record, fields=["first_sent_on"])
    return sent


# Amendments ----------------------------------------------------------------------------------


def amendment_add(
    *,
    record: ConferenceRecord,
    copy: DocumentCopy,
    request: str,
    received_on: date,
    profile: Profile,
    by: Actor,
    today: date,
) -> AmendmentRequest:
    """Someone who received the record asks for a change: within a week of receiving it
    (§14.4)."""
    conference = record.conference
    CONFERENCE.check(A.SEND_DOCUMENTS, conference.status)
    if copy.record_version is None or copy.record_version.record_id != record.pk:
        raise ServiceError("Select someone who was sent this record", field="copy")
    if not request.strip():
        raise ServiceError("Enter what they want changed", field="request")
    if received_on > today:
        raise ServiceError(
            "The date the request came must be today or earlier", field="received_on"
        )
    got = copy.received_on
    if got is None:
        raise ServiceError(
            f"{copy.name}'s copy has not been posted yet, so they cannot have asked", field="copy"
        )
    closes = rules.amendments_close(profile, received_on=got)
    if received_on > closes:
        raise ServiceError(
            f"Amendments must be asked for within 1 week of receiving the record: {copy.name} "
            f"received it on {day(got.isoformat())}, so the last day was {day(closes.isoformat())}",
            field="received_on",
        )
    with transaction.atomic():
        amendment = AmendmentRequest.objects.create(
            record=record,
            copy=copy,
            received_on=received_on,
            request=request.strip(),
            recorded_by=by.user,
        )
        audit(
            by=by,
            verb=AuditVerb.CREATED,
            obj=amendment,
            about=conference,
            reason=f"Request from {copy.name} to amend the record",
        )
    return amendment


def amendment_answer(
    *,
    amendment: AmendmentRequest,
    accept: bool,
    answer: str,
    version: int,
    by: Actor,
    today: date,
) -> AmendmentRequest:
    """The chair accepts (then corrects the record with a new version) or refuses, with why."""
    conference = amendment.record.conference
    CONFERENCE.check(A.SIGN_DOCUMENTS, conference.status)
    if amendment.status != AmendmentStatus.PENDING:
        raise ServiceError("This request has been answered already")
    if not answer.strip():
        raise ServiceError("Give your answer and the reason for it", field="answer")
    status = AmendmentStatus.ACCEPTED if accept else AmendmentStatus.REFUSED
    with transaction.atomic():
        versioned_update(
            amendment,
            version=version,
            status=status,
            answer=answer.strip(),
            answered_by=by.user,
            answered_on=today,
        )
        audit(
            by=by,
            verb=AuditVerb.CHANGED,
            obj=amendment,
            about=conference,
            reason=f"Request from {amendment.copy.name} to amend the record {status.label.lower()}",
        )
    return amendment
