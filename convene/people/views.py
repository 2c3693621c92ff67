from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from convene import policy
from convene.access.enums import AuditVerb
from convene.access.models import User
from convene.authority.selectors import authority_procedures
from convene.breakglass.selectors import grant_in_force
from convene.conferences.decision.views import chart_context
from convene.conferences.rules import ConferenceAction
from convene.core import clock
from convene.core.clock import today
from convene.core.forms_flow import posted, submit
from convene.core.services import audit
from convene.core.web import actor, signed_in_user
from convene.people.forms import AllocateForm
from convene.people.models import Child
from convene.policy import ChildAction
from convene.register.selectors import enquiries_about
from convene.returns.deadlines import deadlines_as_of

from . import selectors, services
from .paging import page_number

CHILDREN_PAGE_SIZE = 50


def child_list(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    # A NUL character cannot be searched for (PostgreSQL refuses it in a query): drop it.
    text = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    on = today()
    # No COUNT of every match: a page reads one row more than it shows (see paging.py).
    number = page_number(request.GET.get("page"))
    # From the conference service's home page: the children with no social worker.
    unallocated = request.GET.get("allocated") == "no"
    page = selectors.child_search(
        request.user,
        today=on,
        text=text,
        number=number,
        size=CHILDREN_PAGE_SIZE,
        unallocated=unallocated,
    )
    if not page.object_list and number > 1:  # beyond the end: the first page
        page = selectors.child_search(
            request.user, today=on, text=text, size=CHILDREN_PAGE_SIZE, unallocated=unallocated
        )
    query = {"q": text} if text else {}
    if unallocated:
        query["allocated"] = "no"
    context = {
        "page": page,
        "q": text,
        "unallocated": unallocated,
        "query": urlencode(query),
        "emergency_access": policy.may_use_emergency_access(request.user),
    }
    return render(request, "people/child_list.html", context)


def child_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assert isinstance(request.user, User)
    on, now = today(), clock.now()
    # The one page an emergency (break-glass) grant opens: it alone passes the time.
    child = policy.child_for(request.user, pk, today=on, now=now)
    # Read under an emergency grant alone (not also through a relationship to the child)?
    emergency = grant_in_force(request.user, child, now=now)
    if emergency is not None and not policy.reads_only_by_emergency_access(
        request.user, child, today=on, now=now
    ):
        emergency = None
    with transaction.atomic():
        if emergency is not None:
            audit(
                by=actor(request),
                verb=AuditVerb.VIEWED_CHILD_IN_EMERGENCY,
                obj=child,
                about=child,
                reason=f"Under emergency access request {emergency.pk}: {emergency.reason}",
            )
        else:
            audit(by=actor(request), verb=AuditVerb.VIEWED_CHILD, obj=child, about=child, reason="")
    history = selectors.child_case_history(child)
    context: dict[str, Any] = {
        "child": child,
        "emergency": emergency,
        "age": child.age_on(on),
        "relationships": selectors.child_relationships(child),
        "involvements": selectors.child_involvements(child),
        "siblings": selectors.household_siblings(child),
        "disabilities": list(child.disabilities.all()),
        "history": history,
        # The conferences this person may open: each is a link, the others plain text.
        "conferences_open": policy.allowed_pks(
            request.user,
            "conference",
            ConferenceAction.VIEW,
            [place.conference_id for place in history.conferences],
            today=on,
        ),
        "can_read_audit_trail": policy.can_read_child_audit_trail(request.user, child, today=on),
        "can_allocate": ChildAction.ALLOCATE in policy.permitted(request.user, child, today=on),
        # Who asked whether the child has a plan (London CP4 §14.15), the last 20.
        "enquiries": list(enquiries_about(child)[:20]),
    }
    context["chart"] = chart_context(child, sorted(history.plans, key=lambda p: p.start_date))
    # What is due for the child now: the conference an enquiry waits for, the next review,
    # the first core group, a reconvened conference or an early review.
    context["deadlines"] = deadlines_as_of(
        as_of=on, procedures=authority_procedures(), children=Child.objects.filter(pk=child.pk)
    )
    return render(request, "people/child_detail.html", context)


@require_http_methods(["GET", "POST"])
def child_allocate(request: HttpRequest, pk: int) -> HttpResponse:
    """The team manager, or the conference service, allocates the child's social worker."""
    user, on = signed_in_user(request), today()
    child = policy.child_for(user, pk, today=on, action=ChildAction.ALLOCATE)
    workers = selectors.social_workers_to_allocate(user)
    form, saved = submit(
        request,
        AllocateForm(
            posted(request),
            workers=workers,
            initial={"social_worker": child.social_worker_id, "was": child.social_worker_id},
        ),
        lambda data: services.child_allocate(
            child=child,
            social_worker=data["social_worker"],
            was=data["was"],
            allowed=list(workers),
            by=actor(request, user),
        ),
        success=lambda allocated: (
            f"{allocated.display_name} is allocated to "
            f"{allocated.social_worker.get_full_name() if allocated.social_worker else ''}"
        ),
        reload=lambda: _reloaded(request, child, workers),
    )
    if saved:
        return redirect("people:child-detail", child.pk)
    context = {"form": form, "child": child, "workers": workers}
    return render(request, "people/child_allocate.html", context)


def _reloaded(request: HttpRequest, child: Child, workers: Any) -> AllocateForm:
    """After a refused change: what they chose, against the allocation as it is now."""
    data = request.POST.copy()
    now = Child.objects.filter(pk=child.pk).values_list("social_worker_id", flat=True).first()
    data["was"] = str(now or "")
    return AllocateForm(data, workers=workers)
