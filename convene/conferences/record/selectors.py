"""Reads for the conference record: its versions, sections, copies, the chair's decisions on
copies, amendments, and each recipient's copy. Constant queries however long the record."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch

from convene.conferences.letters.enums import CopyChoice, DocumentStatus, Scope
from convene.conferences.letters.models import DocumentCopy
from convene.conferences.letters.rules import NOT_READERS
from convene.conferences.letters.selectors import excluded_invitations
from convene.conferences.models import Conference, Invitation
from convene.conferences.record import rules
from convene.conferences.record.models import (
    AmendmentRequest,
    ConferenceRecord,
    CopyDecision,
    LegalRepresentative,
    RecordSection,
    RecordVersion,
)


def record_of(conference: Conference) -> ConferenceRecord | None:
    return (
        ConferenceRecord.objects.filter(conference=conference)
        .select_related("conference", "conference__chair")
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=RecordVersion.objects.select_related("signed_by").order_by("number"),
                to_attr="all_versions",
            )
        )
        .first()
    )


def versions(record: ConferenceRecord) -> list[RecordVersion]:
    return list(record.all_versions)  # type: ignore[attr-defined]


def sections(record_version: RecordVersion) -> list[RecordSection]:
    return list(record_version.sections.order_by("order"))


def signed_versions(record: ConferenceRecord) -> list[RecordVersion]:
    return [v for v in versions(record) if v.status == DocumentStatus.SIGNED]


@dataclass(frozen=True)
class CopyRow:
    """One person invited: how much of the record they get, whether the chair must decide,
    and the copies of each version they have had."""

    invitation: Invitation
    scope: Scope | None
    excluded: bool
    needs_chair: bool
    decision: CopyDecision | None
    copies: list[DocumentCopy]

    @property
    def name(self) -> str:
        return self.invitation.display_name


def copy_rows(record: ConferenceRecord) -> list[CopyRow]:
    """Everyone invited who could read the record, with their copy. Four queries."""
    conference = record.conference
    excluded = excluded_invitations(conference)
    decisions = {d.invitation_id: d for d in record.copy_decisions.all()}
    sent: dict[int, list[DocumentCopy]] = {}
    for copy in (
        DocumentCopy.objects.filter(record_version__record=record)
        .select_related("record_version")
        .order_by("record_version__number", "pk")
    ):
        if copy.invitation_id is not None:
            sent.setdefault(copy.invitation_id, []).append(copy)
    rows = []
    for invitation in conference.invitations.select_related(
        "adult", "child", "professional", "agency"
    ).order_by("role", "pk"):
        if invitation.role in NOT_READERS:
            continue
        is_excluded = invitation.pk in excluded
        decision = decisions.get(invitation.pk)
        rows.append(
            CopyRow(
                invitation=invitation,
                scope=rules.record_scope(
                    invitation.role,
                    excluded=is_excluded,
                    choice=decision.choice if decision else None,
                ),
                excluded=is_excluded,
                needs_chair=rules.needs_chair(invitation.role, excluded=is_excluded),
                decision=decision,
                copies=sent.get(invitation.pk, []),
            )
        )
    return rows


def representatives(conference: Conference) -> list[LegalRepresentative]:
    """The children's legal representatives who were not invited and asked for the record,
    with the chair's decisions and the copies they were sent. Two queries."""
    return list(
        LegalRepresentative.objects.filter(conference=conference)
        .select_related("child", "decided_by")
        .prefetch_related(
            Prefetch(
                "copies",
                queryset=DocumentCopy.objects.select_related("record_version").order_by("pk"),
                to_attr="sent",
            )
        )
        .order_by("pk")
    )


def subject_choices(conference: Conference) -> list[tuple[int, str]]:
    """The children the conference was about, for choosing whose representative. One query."""
    return [
        (s.child_id, s.child.display_name)
        for s in conference.subjects.filter(is_subject=True)
        .select_related("child")
        .order_by("child__date_of_birth", "child__pk")
    ]


def record_copies(record: ConferenceRecord) -> list[DocumentCopy]:
    return list(
        DocumentCopy.objects.filter(record_version__record=record)
        .select_related("record_version")
        .order_by("record_version__number", "pk")
    )


def amendments(record: ConferenceRecord) -> list[AmendmentRequest]:
    return list(record.amendments.select_related("copy", "answered_by").order_by("pk"))


CHOICE_WORDS = dict(CopyChoice.choices)
