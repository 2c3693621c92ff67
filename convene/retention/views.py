from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from convene import policy
from convene.core.forms_flow import posted, submit, typed_again
from convene.core.services import ServiceError
from convene.core.web import actor
from convene.people.models import Child

from . import selectors, services
from .forms import LegalHoldForm, LiftHoldForm, RetentionScheduleForm
from .models import LegalHold


@require_http_methods(["GET", "POST"])
def schedule(request: HttpRequest) -> HttpResponse:
    """How long each kind of record is kept."""
    policy.require(policy.can_manage_retention(request.user))
    current = selectors.schedule()
    initial = {name: getattr(current, name) for name in services.SCHEDULE_FIELDS}
    form, saved = submit(
        request,
        RetentionScheduleForm(posted(request), initial={**initial, "version": current.version}),
        lambda d: services.retention_schedule_update(
            values=d, version=d["version"], by=actor(request)
        ),
        success="The retention schedule has been saved",
        reload=lambda: RetentionScheduleForm(typed_again(request, current)),
    )
    if saved:
        return redirect("retention:schedule")
    context = {"form": form, "holds": selectors.open_holds().count()}
    return render(request, "retention/schedule.html", context)


def _place(request: HttpRequest, data: dict[str, str]) -> LegalHold:
    child = Child.objects.filter(la_child_id__iexact=data["la_child_id"].strip()).first()
    if child is None:
        raise ServiceError(
            f"No child has the local authority child ID {data['la_child_id']}",
            field="la_child_id",
        )
    return services.legal_hold_place(
        child=child, reason=data["reason"], at=timezone.now(), by=actor(request)
    )


@require_http_methods(["GET", "POST"])
def holds(request: HttpRequest) -> HttpResponse:
    """Legal holds: while one is open, nothing about the child is removed or anonymised."""
    policy.require(policy.can_manage_retention(request.user))
    form, saved = submit(
        request,
        LegalHoldForm(posted(request)),
        lambda d: _place(request, d),
        success=lambda hold: f"The records of child {hold.child.la_child_id} are on hold",
    )
    if saved:
        return redirect("retention:holds")
    context = {
        "form": form,
        "holds": selectors.open_holds(),
        "lift_form": LiftHoldForm(),
    }
    return render(request, "retention/holds.html", context)


@require_http_methods(["GET", "POST"])
def hold_lift(request: HttpRequest, pk: int) -> HttpResponse:
    policy.require(policy.can_manage_retention(request.user))
    hold = get_object_or_404(selectors.open_holds(), pk=pk)
    form, saved = submit(
        request,
        LiftHoldForm(posted(request)),
        lambda d: services.legal_hold_lift(
            hold=hold, reason=d["reason"], at=timezone.now(), by=actor(request)
        ),
        success=f"The hold on child {hold.child.la_child_id}'s records has been lifted",
    )
    if saved:
        return redirect("retention:holds")
    return render(request, "retention/hold_lift.html", {"form": form, "hold": hold})
