"""State changes to messages in the outbox: sending a dead-lettered one again, and recording
what GOV.UK Notify says happened to one (its delivery receipt)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Q

from convene.access.enums import AuditVerb
from convene.core.services import Actor, ServiceError, audit

from .dispatcher import schedule_dispatch
from .enums import DeliveryStatus
from .models import OutboundMessage
from .rules import MESSAGE_ACTIONS


def message_send_again(*, message: OutboundMessage, now: datetime, by: Actor) -> None:
    """Put a dead-lettered message back in the queue, with its attempts counted afresh."""
    becomes = MESSAGE_ACTIONS.check("send_again", message.status)
    with transaction.atomic():
        # Compare and swap on the status, so two administrators pressing at once queue it once.
        changed = OutboundMessage.objects.filter(pk=message.pk, status=message.status).update(
            status=becomes, attempts=0, next_attempt_at=now
        )
        if not changed:
            raise ServiceError(MESSAGE_ACTIONS.table["send_again"].refusal)
        audit(
            by=by,
            verb=AuditVerb.CHANGED,
            obj=message,
            reason=f"Sent a message again after it failed: {message.last_error[:200]}",
        )
        schedule_dispatch()


def delivery_receipt_record(
    *, notify_id: str, reference: str, status: DeliveryStatus, at: datetime
) -> bool:
    """Record Notify's delivery receipt on the message it is about. False when Convene has no
    such message (Notify is told it was received anyway: there is nothing to retry)."""
    match = Q(provider_id=notify_id) if notify_id else Q(pk__in=[])
    if reference:
        match |= Q(idempotency_key=reference)
    updated = OutboundMessage.objects.filter(match).update(
        delivery_status=status, delivery_updated_at=at
    )
    return bool(updated)
