"""The operations page for system administrators, GOV.UK Notify's delivery receipts, and the
health checks a load balancer or orchestrator asks."""

from __future__ import annotations

import hmac
import json
import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.db.utils import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from convene import policy
from convene.core.clock import today
from convene.core.services import ServiceError
from convene.core.web import actor

from . import selectors, services
from .enums import DeliveryStatus, OutboundStatus
from .models import OutboundMessage
from .rules import MESSAGE_ACTIONS, queue_is_healthy

logger = logging.getLogger(__name__)


def operations(request: HttpRequest) -> HttpResponse:
    policy.require(policy.can_manage_authority_settings(request.user))
    now = timezone.now()
    context = {
        "days": selectors.counts_by_day(today=today()),
        "dead": selectors.dead_letters()[:100],
        "stuck": selectors.stuck_sending(now=now)[:100],
        "permanent_failures": selectors.permanent_failures()[:100],
        "statuses": OutboundStatus,
        "max_attempts": settings.NOTIFY_MAX_ATTEMPTS,
    }
    return render(request, "notifications/operations.html", context)


@require_POST
def send_again(request: HttpRequest) -> HttpResponse:
    policy.require(policy.can_manage_authority_settings(request.user))
    pk = request.POST.get("message", "")
    if not pk.isdigit() or len(pk) > 18:
        raise Http404("No such message")
    message = get_object_or_404(OutboundMessage, pk=int(pk))
    if not MESSAGE_ACTIONS.allows("send_again", message.status):
        messages.error(request, MESSAGE_ACTIONS.table["send_again"].refusal)
        return redirect("notifications:operations")
    try:
        services.message_send_again(message=message, now=timezone.now(), by=actor(request))
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"The message to {message.to.splitlines()[0]} will be sent again")
    return redirect("notifications:operations")


@csrf_exempt
@login_not_required
@require_POST
def delivery_receipt(request: HttpRequest) -> HttpResponse:
    """GOV.UK Notify's callback: POSTs JSON with the notification's id, our reference and its
    status, with `Authorization: Bearer <NOTIFY_CALLBACK_TOKEN>`. Not there at all (404)
    unless the token is set."""
    token = settings.NOTIFY_CALLBACK_TOKEN
    if not token:
        raise Http404("No such page")
    given = request.headers.get("Authorization", "")
    if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return JsonResponse({"error": "not authorised"}, status=401)
    try:
        payload = json.loads(request.body)
        status = DeliveryStatus(payload["status"])
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"error": "expected JSON with a known status"}, status=400)
    if not isinstance(payload, dict):
        return JsonResponse({"error": "expected a JSON object"}, status=400)
    when = parse_datetime(str(payload.get("completed_at") or "")) or timezone.now()
    found = services.delivery_receipt_record(
        notify_id=str(payload.get("id") or "")[:100],
        reference=str(payload.get("reference") or "")[:255],
        status=status,
        at=when,
    )
    if not found:
        logger.warning("A delivery receipt for a message Convene does not have: %s", payload)
    return JsonResponse({"recorded": found})


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """The process is up and answering."""
    return JsonResponse({"status": "ok"})


@login_not_required
@require_GET
def readyz(request: HttpRequest) -> HttpResponse:
    """Ready for traffic: the database answers, Redis answers when Celery uses it, and the
    outbox is being emptied (its oldest waiting message is under 15 minutes overdue)."""
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
        oldest = selectors.oldest_queued_at()
        healthy = queue_is_healthy(oldest, timezone.now())
        checks["outbox"] = "ok" if healthy else "messages are waiting too long to be sent"
    except DatabaseError as error:
        checks["database"] = f"unreachable: {type(error).__name__}"
    if settings.CELERY_BROKER_URL:
        checks["broker"] = _broker_check(settings.CELERY_BROKER_URL)
    ready = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks},
        status=200 if ready else 503,
    )


def _broker_check(url: str) -> str:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2).ping()
    except redis.RedisError as error:
        return f"unreachable: {type(error).__name__}"
    return "ok"
