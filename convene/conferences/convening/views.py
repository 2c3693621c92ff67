"""Pages for the convening stage of a conference: the strategy discussion, the decision to
convene, starting a conference on another route, the conferences list, and scheduling.

Access is decided only by `convene.policy`; a page someone may not use is a 404.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_http_methods

import convene.core.converters  # noqa: F401  (registers <id:…> when imported before the URLs)
from convene import policy
from convene.access.models import User
from convene.authority.selectors import authority_procedures
from convene.conferences import selectors
from convene.conferences.convening import rules, services
from convene.conferences.convening.forms import (
    CHOSEN_ELSEWHERE,
    CancelForm,
    DecideForm,
    EnquiryForm,
    RouteForm,
    ScheduleForm,
    StartForm,
)
from convene.conferences.enums import ConferenceStatus, MeetingMode, Route
from convene.conferences.models import Conference, ConferenceChild
from convene.conferences.rules import CONFERENCE, ConferenceAction
from convene.core.clock import now_local, today
from convene.core.forms_flow import error_on_form, posted, signed_in_user, submit
from convene.core.services import ServiceError
from convene.core.web import actor
from convene.people.models import Child
from convene.policy import ChildAction
from convene.timescales import Profile, is_overdue


def _deadline_text(deadline: rules.Deadline | None) -> str:
    if deadline is None:
        return "No statutory deadline"
    return f"{deadline.due:%-d %B %Y}: {deadline.explanation}"


# Start ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def enquiry_record(request: HttpRequest, child_pk: int) -> HttpResponse:
    """Record a strategy discussion and the section 47 enquiries it started (London CP4 §1.6)."""
    user, on = signed_in_user(request), today()
    child = policy.child_for(user, child_pk, today=on, action=ChildAction.RECORD_ENQUIRY)
    household = selectors.household_children(child)
    visible = set(
        policy.visible_children(user, today=on)
        .filter(pk__in=[kid.pk for kid in household])
        .values_list("pk", flat=True)
    )
    kids = [kid for kid in household if kid.pk in visible]
    form, saved = submit(
        request,
        EnquiryForm(posted(request), children=kids, initial={"children": [child.pk]}),
        lambda data: services.enquiry_record(
            household=child.household,
            children=list(data["children"]),
            strategy_discussion_date=data["strategy_discussion_date"],
            end_date=data["end_date"],
            outcome_notes=data["outcome_notes"],
            by=actor(request, user),
            today=on,
        ),
        success="Strategy discussion recorded",
    )
    if saved:
        return redirect("people:child-detail", child.pk)
    return render(request, "conferences/convening/enquiry.html", {"form": form, "child": child})


@require_http_methods(["GET", "POST"])
def decide(request: HttpRequest, child_pk: int) -> HttpResponse:
    """The children's social care manager decides whether to convene (London CP4 §1.5 to §1.6)."""
    user, on = signed_in_user(request), today()
    child = policy.child_for(user, child_pk, today=on, action=ChildAction.DECIDE_TO_CONVENE)
    kids = selectors.household_children(child)
    visible = policy.visible_children(user, today=on).filter(pk__in=[k.pk for k in kids])
    enquiries = list(selectors.enquiries_awaiting_decision(visible))
    form = DecideForm(
        request.POST if request.method == "POST" else None,
        enquiries=enquiries,
        children=kids,
        initial={"enquiries": [e.pk for e in enquiries], "decided_on": on},
    )
    if request.method == "POST" and enquiries and form.is_valid():
        try:
            conference = services.conference_decide(
                enquiries=list(form.cleaned_data["enquiries"]),
                convene=form.cleaned_data["convene"] == "yes",
                decided_on=form.cleaned_data["decided_on"],
                considered=form.considerations(),
                reason=form.cleaned_data["reason"],
                by=actor(request, user),
                today=on,
            )
        except ServiceError as error:
            error_on_form(form, error)
        else:
            if conference is None:
                messages.success(request, "Decision recorded: no conference is needed")
                return redirect("people:child-detail", child.pk)
            messages.success(request, "Decision recorded: the conference is ready to arrange")
            return redirect("conferences:detail", conference.pk)
    context = {
        "form": form,
        "child": child,
        "enquiries": enquiries,
        "kids": kids,
        "can_record_enquiry": ChildAction.RECORD_ENQUIRY in policy.permitted(user, child, today=on),
    }
    return render(request, "conferences/convening/decide.html", context)


def _startable_routes(permitted: frozenset[str], child: Child) -> list[Route]:
    """The routes (other than a section 47 enquiry) someone permitted these actions may start
    for this child's household: only those the service would accept for it (a review needs
    a child with a plan, a pre-birth conference an unborn baby)."""
    allowed = [
        r
        for r in Route
        if r not in CHOSEN_ELSEWHERE and policy.start_conference_action(r) in permitted
    ]
    if not allowed:
        return []
    kids = selectors.household_children(child)
    return [r for r in allowed if not services.route_refusal(r, kids)]


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, child_pk: int) -> HttpResponse:
    """Choose the route of a conference not called after a section 47 enquiry."""
    user, on = signed_in_user(request), today()
    child = policy.child_for(user, child_pk, today=on)
    permitted = policy.permitted(user, child, today=on)
    routes = _startable_routes(permitted, child)
    policy.require(bool(routes))
    form = RouteForm(request.POST if request.method == "POST" else None)
    route_field = form.fields["route"]
    assert isinstance(route_field, forms.ChoiceField)
    route_field.choices = [(r.value, r.label) for r in routes]
    if request.method == "POST" and form.is_valid():
        return redirect("conferences:start-route", child.pk, form.cleaned_data["route"])
    context = {
        "form": form,
        "child": child,
        "can_record_enquiry": ChildAction.RECORD_ENQUIRY in permitted,
        "can_decide": ChildAction.DECIDE_TO_CONVENE in permitted,
    }
    return render(request, "conferences/convening/start.html", context)


@require_http_methods(["GET", "POST"])
def start_route(request: HttpRequest, child_pk: int, route: str) -> HttpResponse:
    user, on = signed_in_user(request), today()
    if route not in Route.values or route in CHOSEN_ELSEWHERE:
        raise Http404("No such route")
    chosen = Route(route)
    child = policy.child_for(
        user, child_pk, today=on, action=policy.start_conference_action(chosen)
    )
    kids = selectors.household_children(child)
    initial: dict[str, Any] = {}
    if chosen == Route.PRE_BIRTH:
        initial["counts_from"] = next((k.expected_date_of_birth for k in kids if k.is_unborn), None)
    elif chosen == Route.REVIEW:
        initial["counts_from"] = selectors.review_counts_from(child)
    form = StartForm(
        request.POST if request.method == "POST" else None,
        route=chosen,
        children=kids,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            conference = services.conference_start(
                route=chosen,
                child=child,
                counts_from=form.cleaned_data["counts_from"],
                considered=form.considerations(),
                by=actor(request, user),
                today=on,
            )
        except ServiceError as error:
            error_on_form(form, error)
        else:
            messages.success(request, "Conference started: it is ready to arrange")
            return redirect("conferences:detail", conference.pk)
    context = {"form": form, "child": child, "route": chosen}
    return render(request, "conferences/convening/start_route.html", context)


# The conferences list ------------------------------------------------------------------


def conference_list(request: HttpRequest) -> HttpResponse:
    """Conferences to arrange and coming up, for administrators and chairs."""
    user, on = signed_in_user(request), today()
    policy.require(policy.can_list_conferences(user))
    profile = authority_procedures()
    conferences = (
        policy.visible_conferences(user, today=on)
        .filter(
            Q(status=ConferenceStatus.TO_ARRANGE)
            | Q(status=ConferenceStatus.SCHEDULED, date__gte=on)
        )
        .select_related("chair", "household")
        .annotate(first_review=selectors.first_review_annotation())
        .prefetch_related(
            Prefetch(
                "subjects",
                queryset=ConferenceChild.objects.filter(is_subject=True).select_related("child"),
                to_attr="listed_subjects",
            )
        )
    )
    rows = [_row(conference, profile, on) for conference in conferences]
    to_arrange = sorted(
        (r for r in rows if r["conference"].status == ConferenceStatus.TO_ARRANGE),
        key=lambda r: r["deadline"].due if r["deadline"] else date.max,
    )
    upcoming = sorted(
        (r for r in rows if r["conference"].status == ConferenceStatus.SCHEDULED),
        key=lambda r: (r["conference"].date, r["conference"].starts_at),
    )
    context = {"to_arrange": to_arrange, "upcoming": upcoming}
    return render(request, "conferences/list.html", context)


def _row(conference: Conference, profile: Profile, on: date) -> dict[str, Any]:
    deadline = selectors.conference_deadline(conference, profile)
    return {
        "conference": conference,
        "children": [s.child for s in getattr(conference, "listed_subjects", [])],
        "deadline": deadline,
        "overdue": deadline is not None and is_overdue(deadline.due, on),
        "late": conference.date is not None and rules.is_late(conference.date, deadline),
    }


# Schedule ------------------------------------------------------------------------------


def _schedule_initial(conference: Conference) -> dict[str, Any]:
    return {
        "date": conference.date,
        "starts_at": conference.starts_at,
        "ends_at": conference.ends_at,
        "mode": conference.mode,
        "venue": conference.venue,
        "virtual_link": conference.virtual_link,
        "chair": str(conference.chair_id) if conference.chair_id else None,
        "delay_reason": conference.delay_reason,
        "version": conference.version,
    }


def _schedule_form(
    conference: Conference, data: Any, candidates: selectors.ChairCandidates
) -> ScheduleForm:
    chairs, earlier, refused = candidates
    return ScheduleForm(
        data,
        chairs=chairs,
        earlier=earlier,
        refused=refused,
        initial=_schedule_initial(conference),
    )


def _arranged(request: HttpRequest, pk: int, action: ConferenceAction) -> Conference:
    """The conference, if this person may take the action on it and its status allows it now;
    404 otherwise."""
    user, on = signed_in_user(request), today()
    conference = policy.conference_for(user, pk, today=on, action=action)
    policy.require(CONFERENCE.allows(action, conference.status))
    return conference


@require_http_methods(["GET", "POST"])
def schedule(request: HttpRequest, pk: int) -> HttpResponse:
    """Date, time, place and chair, with a check step for warnings (London CP4 §3.6, §8.1)."""
    on = today()
    conference = _arranged(request, pk, ConferenceAction.SCHEDULE)
    profile = authority_procedures()
    deadline = selectors.conference_deadline(conference, profile)
    post = request.POST if request.method == "POST" else None
    candidates = selectors.chair_candidates(conference)
    form = _schedule_form(conference, post, candidates)
    context: dict[str, Any] = {"conference": conference, "deadline": deadline}
    if post is not None and form.is_valid():
        data = form.cleaned_data
        warnings = rules.schedule_warnings(
            data["date"], data["starts_at"], data["ends_at"], profile.calendar, now_local()
        )
        needs_reason = rules.is_late(data["date"], deadline) and not data["delay_reason"].strip()
        if warnings and "confirmed" not in post and "change" not in post and not needs_reason:
            hidden = [
                (name, value)
                for name, values in post.lists()
                if name not in ("csrfmiddlewaretoken", "confirmed", "change")
                for value in values
            ]
            context.update(
                {"warnings": warnings, "hidden": hidden, "data": data, "chair": form.chosen_chair()}
            )
            return render(request, "conferences/convening/schedule_check.html", context)
        if "change" not in post:

            def reload() -> ScheduleForm:
                """The latest saved arrangements, and the chairs for them, as the form."""
                nonlocal candidates
                latest = Conference.objects.get(pk=conference.pk)
                candidates = selectors.chair_candidates(latest)
                return _schedule_form(latest, _initial_as_data(latest), candidates)

            form, saved = submit(
                request,
                form,
                lambda data: services.conference_schedule(
                    conference=conference,
                    date=data["date"],
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    mode=MeetingMode(data["mode"]),
                    venue=data["venue"],
                    virtual_link=data["virtual_link"],
                    chair=form.chosen_chair(),
                    delay_reason=data["delay_reason"],
                    version=data["version"],
                    by=actor(request),
                    today=on,
                    profile=profile,
                ),
                success="The conference has been arranged",
                reload=reload,
            )
            if saved:
                return redirect("conferences:detail", conference.pk)
    context.update({"form": form, "refused": _refused_names(candidates[2])})
    return render(request, "conferences/convening/schedule.html", context)


def _initial_as_data(latest: Conference) -> dict[str, Any]:
    """The latest saved arrangements as form data, so a stale page shows what is saved now."""
    data: dict[str, Any] = {
        "mode": latest.mode,
        "venue": latest.venue,
        "virtual_link": latest.virtual_link,
        "chair": str(latest.chair_id or ""),
        "delay_reason": latest.delay_reason,
        "version": latest.version,
        "starts_at": f"{latest.starts_at:%H:%M}" if latest.starts_at else "",
        "ends_at": f"{latest.ends_at:%H:%M}" if latest.ends_at else "",
    }
    day = latest.date
    data.update(
        {
            "date_day": day.day if day else "",
            "date_month": day.month if day else "",
            "date_year": day.year if day else "",
        }
    )
    return data


def _refused_names(refused: dict[int, str]) -> list[tuple[str, str]]:
    users = {u.pk: u.get_full_name() for u in User.objects.filter(pk__in=refused)}
    return [(users[pk], why) for pk, why in refused.items() if pk in users]


@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    conference = _arranged(request, pk, ConferenceAction.CANCEL)
    form, saved = submit(
        request,
        CancelForm(posted(request), initial={"version": conference.version}),
        lambda data: services.conference_cancel(
            conference=conference,
            reason=data["reason"],
            version=data["version"],
            by=actor(request),
        ),
        success="The conference has been cancelled",
    )
    if saved:
        return redirect("conferences:detail", conference.pk)
    context = {"form": form, "conference": conference}
    return render(request, "conferences/convening/cancel.html", context)


urlpatterns: list[URLPattern] = [
    path("conferences/", conference_list, name="list"),
    path(
        "conferences/strategy-discussion/<id:child_pk>/",
        enquiry_record,
        name="enquiry-record",
    ),
    path("conferences/decide/<id:child_pk>/", decide, name="decide"),
    path("conferences/start/<id:child_pk>/", start, name="start"),
    path("conferences/start/<id:child_pk>/<slug:route>/", start_route, name="start-route"),
    path("conferences/<id:pk>/schedule/", schedule, name="schedule"),
    path("conferences/<id:pk>/cancel/", cancel, name="cancel"),
]


# The overview page ---------------------------------------------------------------------


def overview_context(conference: Conference, user: User, today: date) -> dict[str, Any]:
    """What the conference's overview page shows for this stage: the deadline and why, the
    route, what is still to do, and links to the pages that do it."""
    deadline = selectors.conference_deadline(conference, authority_procedures())
    offered = CONFERENCE.offered(conference.status, policy.permitted(user, conference, today=today))
    todo: list[str] = []
    if conference.status == ConferenceStatus.TO_ARRANGE:
        todo.append("Choose the date, time, place and chair")
    late = conference.date is not None and rules.is_late(conference.date, deadline)
    return {
        "convening": {
            "route": conference.get_route_display(),
            "deadline": deadline,
            "deadline_text": _deadline_text(deadline),
            "overdue": conference.status == ConferenceStatus.TO_ARRANGE
            and deadline is not None
            and is_overdue(deadline.due, today),
            "late": late,
            "todo": todo,
            # What this person may do to the conference now (convene.policy and CONFERENCE).
            "offered": offered,
            "list_url": reverse("conferences:list") if policy.can_list_conferences(user) else None,
        }
    }


def child_links(user: User, child: Child, *, today: date) -> list[tuple[str, str]]:
    """The convening pages this person may open from a child's record."""
    permitted = policy.permitted(user, child, today=today)
    links = []
    if ChildAction.RECORD_ENQUIRY in permitted:
        links.append(
            ("Record a strategy discussion", reverse("conferences:enquiry-record", args=[child.pk]))
        )
    if ChildAction.DECIDE_TO_CONVENE in permitted:
        links.append(("Decide whether to convene", reverse("conferences:decide", args=[child.pk])))
    if _startable_routes(permitted, child):
        links.append(("Start a conference", reverse("conferences:start", args=[child.pk])))
    return links
