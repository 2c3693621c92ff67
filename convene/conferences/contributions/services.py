"""The family's and child's own contributions to a conference, in any form (London CP4 §4.16
to §4.17, §7.11). Access is decided before these are called (convene.policy)."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction

from convene.access.enums import AuditVerb
from convene.conferences.enums import ContributionKind
from convene.conferences.models import Conference, Contribution
from convene.conferences.rules import CONFERENCE, ConferenceAction
from convene.core.services import Actor, ServiceError, audit
from convene.core.uploads import WRONG_TYPE, upload_check
from convene.people.models import Child


def contribution_upload(
    *,
    conference: Conference,
    kind: ContributionKind,
    from_whom: str,
    child: Child | None,
    name: str,
    data: bytes,
    by: Actor,
) -> Contribution:
    """Keep a family member's or child's own contribution in any form (§4.16 to §4.17, §7.11),
    once its content has been checked: not empty, under 10MB, a kind we accept."""
    CONFERENCE.check(ConferenceAction.UPLOAD_CONTRIBUTION, conference.status)
    check = upload_check(name=name, size=len(data), data=data)
    if check.error is not None or check.content_type is None:
        raise ServiceError(check.error or WRONG_TYPE, field="file")
    with transaction.atomic():
        contribution = Contribution(
            conference=conference,
            child=child,
            kind=kind,
            from_whom=from_whom.strip(),
            content_type=check.content_type,
            uploaded_by=by.user,
        )
        contribution.file.save(name, ContentFile(data), save=False)
        contribution.save()
        audit(
            by=by,
            verb=AuditVerb.CREATED,
            obj=contribution,
            about=conference,
            reason=f"Contribution uploaded for the {conference}",
        )
    return contribution


def contribution_record_download(*, contribution: Contribution, by: Actor) -> None:
    """Who opened a family's contribution is on the children's audit trails."""
    with transaction.atomic():
        audit(
            by=by,
            verb=AuditVerb.DOWNLOADED,
            obj=contribution,
            about=contribution.conference,
            reason="Downloaded the family's contribution",
        )
