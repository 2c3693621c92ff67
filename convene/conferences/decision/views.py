"""Pages for the meeting's record and the chair's decision for each child: the four questions,
the safety scores, the views of agencies and the family, the decision, dissent and the outline
plan (London CP4 §9.5 to §9.9, §10.1 to §10.4, §11.1; Cornwall; Register guidance).

Access is decided only by convene.policy; a page someone may not use is a 404."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_http_methods

from convene import policy
from convene.access.enums import Role
from convene.access.models import User
from convene.authority.selectors import authority_settings
from convene.conferences.decision import selectors, services
from convene.conferences.decision.forms import (
    ActionForm,
    AssessmentForm,
    DecisionForm,
    DissentForm,
    MemberForm,
    ObjectiveForm,
    OutlineForm,
    ScoresForm,
    ViewForm,
)
from convene.conferences.decision.rules import (
    CHART_H,
    CHART_PAD,
    CHART_W,
    DecisionEntry,
    chart_axis,
    chart_lines,
)
from convene.conferences.enums import ParticipantGroup
from convene.conferences.meeting.views import offered as meeting_offered
from convene.conferences.models import Conference, ConferenceChild
from convene.conferences.rules import ConferenceAction
from convene.core import converters  # noqa: F401 (registers <id:…> for urlpatterns below)
from convene.core.clock import today
from convene.core.forms_flow import posted, signed_in_user, submit, typed_again
from convene.core.web import actor
from convene.people.models import Child
from convene.plans.enums import CoreGroupKind
from convene.plans.models import Plan
from convene.register.services import REGISTER_PROFILE

A = ConferenceAction


def _conference(request: HttpRequest, pk: int, action: A) -> tuple[User, date, Conference]:
    user, on = signed_in_user(request), today()
    return user, on, policy.conference_for(user, pk, today=on, action=action)


def _subject(conference: Conference, child_pk: int) -> ConferenceChild:
    return get_object_or_404(
        ConferenceChild.objects.select_related("child", "conference"),
        conference=conference,
        child_id=child_pk,
        is_subject=True,
    )


def _context(conference: Conference, user: User, on: date, action: A) -> dict[str, Any]:
    offered = meeting_offered(conference, policy.permitted(user, conference, today=on), on)
    return {"conference": conference, "offered": offered, "open": action in offered}


# The record of the meeting ----------------------------------------------------------------


def record(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting at a glance: the four questions, scores, views and decisions."""
    user, on, conference = _conference(request, pk, A.RECORD_MEETING)
    context = _context(conference, user, on, A.RECORD_MEETING)
    context["record"] = selectors.meeting_record(conference)
    return render(request, "conferences/decision/record.html", context)


@require_http_methods(["GET", "POST"])
def assessment(request: HttpRequest, pk: int, child_pk: int | None = None) -> HttpResponse:
    user, on, conference = _conference(request, pk, A.RECORD_MEETING)
    child: Child | None = _subject(conference, child_pk).child if child_pk else None
    context = _context(conference, user, on, A.RECORD_MEETING) | {"child": child}
    if not context["open"]:
        return render(request, "conferences/decision/assessment.html", context)
    existing = conference.assessments.filter(child=child).first()
    form, saved = submit(
        request,
        AssessmentForm(posted(request), initial=AssessmentForm.initial_from(existing)),
        lambda data: services.assessment_save(
            conference=conference,
            child=child,
            values={k: v for k, v in data.items() if k != "version"},
            version=data.get("version"),
            by=actor(request, user),
        ),
        success="The four questions have been saved",
        reload=lambda: _assessment_again(request, conference, child),
    )
    if saved:
        return redirect("conferences:decision-record", pk=conference.pk)
    context["form"] = form
    return render(request, "conferences/decision/assessment.html", context)


def _assessment_again(
    request: HttpRequest, conference: Conference, child: Child | None
) -> AssessmentForm:
    latest = conference.assessments.filter(child=child).first()
    data = request.POST.copy()
    data["version"] = str(latest.version) if latest else ""
    return AssessmentForm(data)


@require_http_methods(["GET", "POST"])
def scores(request: HttpRequest, pk: int) -> HttpResponse:
    """A 0 to 10 score for each child from everyone who took part (Cornwall C:113)."""
    user, on, conference = _conference(request, pk, A.RECORD_MEETING)
    context = _context(conference, user, on, A.RECORD_MEETING)
    record = selectors.meeting_record(conference)
    people = selectors.participants(conference)
    context.update(record=record, people=people)
    if not context["open"] or not people or not record.children:
        return render(request, "conferences/decision/scores.html", context)

    def build(data: Any, version: int) -> tuple[ScoresForm, list[dict[str, Any]]]:
        form = ScoresForm(data, initial={"version": version})
        given = {(s.invitation_id, s.child_id): s.score for c in record.children for s in c.scores}
        rows = []
        for invitation, role, group in people:
            names = []
            for child_record in record.children:
                child = child_record.child
                name = f"score_{invitation.pk}_{child.pk}"
                form.add_score(
                    name,
                    f"{invitation.display_name}'s score for {child.display_name}",
                    given.get((invitation.pk, child.pk)),
                )
                names.append(name)
            rows.append({"invitation": invitation, "role": role, "group": group, "names": names})
        return form, rows

    form, rows = build(posted(request), conference.version)

    def save(data: dict[str, Any]) -> Conference:
        entries = [
            services.ScoreGiven(
                invitation=invitation,
                child=c.child,
                score=data.get(f"score_{invitation.pk}_{c.child.pk}"),
                group=ParticipantGroup(group),
                role=role,
            )
            for invitation, role, group in people
            for c in record.children
        ]
        return services.scores_record(
            conference=conference, scores=entries, version=data["version"], by=actor(request, user)
        )

    form, saved = submit(
        request,
        form,
        save,
        success="The safety scores have been saved",
        reload=lambda: build(typed_again(request, conference), conference.version)[0],
    )
    if saved:
        return redirect("conferences:decision-record", pk=conference.pk)
    context.update(form=form, rows=[{**r, "fields": [form[n] for n in r["names"]]} for r in rows])
    return render(request, "conferences/decision/scores.html", context)


@require_http_methods(["GET", "POST"])
def views(request: HttpRequest, pk: int) -> HttpResponse:
    """Each agency's view on whether a plan is needed, and the family's views."""
    user, on, conference = _conference(request, pk, A.RECORD_MEETING)
    context = _context(conference, user, on, A.RECORD_MEETING)
    record = selectors.meeting_record(conference)
    context["record"] = record
    children = [(c.child.pk, c.child.display_name) for c in record.children]
    if not context["open"] or not children:
        return render(request, "conferences/decision/views.html", context)
    by_pk = {c.child.pk: c.child for c in record.children}
    form, saved = submit(
        request,
        ViewForm(posted(request), children=children),
        lambda data: services.view_add(
            conference=conference,
            child=by_pk[data["child"]],
            group=ParticipantGroup(data["group"]),
            agency=data.get("agency"),
            name=data["name"],
            plan_needed=data.get("plan_needed", ""),
            category=data.get("category", ""),
            view=data["view"],
            brought_by_social_worker=data.get("brought_by_social_worker", False),
            by=actor(request, user),
        ),
        success="The view has been recorded",
    )
    if saved:
        return redirect("conferences:decision-views", pk=conference.pk)
    context["form"] = form
    return render(request, "conferences/decision/views.html", context)


# The decision ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def decide(request: HttpRequest, pk: int, child_pk: int) -> HttpResponse:
    """The chair's decision for one child (§9.6), with the scores and views it rests on."""
    user, on, conference = _conference(request, pk, A.DECIDE)
    subject = _subject(conference, child_pk)
    context = _context(conference, user, on, A.DECIDE)
    record = selectors.meeting_record(conference)
    context.update(
        subject=subject,
        child_record=next(c for c in record.children if c.subject.pk == subject.pk),
        household=record.household,
    )
    if not context["open"] or subject.outcome:
        return render(request, "conferences/decision/decide.html", context)
    form = DecisionForm(
        posted(request), conference_type=conference.type, initial={"version": subject.version}
    )
    current = _latest_category(context)
    if current:
        form.fields["category"].help_text = (
            f"If the plan continues. The category now is {current.lower()}: choose it again, "
            "or the category the plan now needs."
        )
    form, saved = submit(
        request,
        form,
        lambda data: services.decision_record(
            subject=subject,
            entry=DecisionEntry(
                **{k: v or "" for k, v in data.items() if k in DecisionEntry.__dataclass_fields__}
            ),
            version=data["version"],
            by=actor(request, user),
            today=on,
        ),
        success=f"The decision for {subject.child.display_name} has been recorded",
        reload=lambda: DecisionForm(typed_again(request, subject), conference_type=conference.type),
    )
    if saved:
        return redirect("conferences:decision-record", pk=conference.pk)
    context["form"] = form
    return render(request, "conferences/decision/decide.html", context)


def _latest_category(context: dict[str, Any]) -> str:
    """The category of the plan a review decides on, in words; empty at a first conference."""
    plan = context["child_record"].plan
    if plan is None or plan.end_date is not None:
        return ""
    return str(plan.get_latest_category_display())


@require_http_methods(["GET", "POST"])
def dissent(request: HttpRequest, pk: int, child_pk: int) -> HttpResponse:
    user, on, conference = _conference(request, pk, A.RECORD_DISSENT)
    subject = _subject(conference, child_pk)
    context = _context(conference, user, on, A.RECORD_DISSENT) | {"subject": subject}
    if not context["open"] or not subject.outcome:
        return render(request, "conferences/decision/dissent.html", context)
    form, saved = submit(
        request,
        DissentForm(posted(request)),
        lambda data: services.dissent_add(
            subject=subject,
            group=ParticipantGroup(data["group"]),
            agency=data.get("agency"),
            name=data["name"],
            reasons=data["reasons"],
            by=actor(request, user),
            today=on,
        ),
        success="The dissent has been recorded",
    )
    if saved:
        return redirect("conferences:decision-record", pk=conference.pk)
    context["form"] = form
    return render(request, "conferences/decision/dissent.html", context)


# The outline plan --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def outline(request: HttpRequest, pk: int, child_pk: int) -> HttpResponse:
    """The outline plan for a child whose plan this conference started (§9.7 to §9.9)."""
    user, on, conference = _conference(request, pk, A.DRAFT_OUTLINE_PLAN)
    subject = _subject(conference, child_pk)
    plan = Plan.objects.filter(started_by=conference, child=subject.child).first()
    if plan is None:
        raise Http404
    context = _context(conference, user, on, A.DRAFT_OUTLINE_PLAN) | {
        "subject": subject,
        "plan": plan,
    }
    context.update(_outline_lists(plan))
    child = subject.child
    baby = child.date_of_birth is None or (on - child.date_of_birth).days < 366
    workers = User.objects.filter(is_active=True, role_grants__role=Role.SOCIAL_WORKER).distinct()
    which = request.POST.get("which") if request.method == "POST" else None
    forms = {
        "outline": OutlineForm(
            posted(request) if which == "outline" else None,
            prefix="outline",
            workers=workers.order_by("last_name", "first_name"),
            baby=baby,
            initial={
                "lead_social_worker": plan.lead_social_worker_id,
                "contingency_plan": plan.contingency_plan,
                "sudi_discussion": plan.sudi_discussion,
                "version": plan.version,
            },
        ),
        # Four forms on one page: each with a prefix, so no two fields share an id.
        "objective": ObjectiveForm(
            posted(request) if which == "objective" else None, prefix="objective"
        ),
        "member": MemberForm(
            posted(request) if which == "member" else None,
            prefix="member",
            initial={"kind": CoreGroupKind.PROFESSIONAL},
        ),
        "action": ActionForm(
            posted(request) if which == "action" else None, prefix="action", plan_pk=plan.pk
        ),
    }
    context["forms"] = forms
    if not context["open"] or which not in forms:
        return render(request, "conferences/decision/outline.html", context)
    by = actor(request, user)
    saves: dict[str, tuple[Any, str]] = {
        "outline": (
            lambda d: services.outline_update(
                plan=plan,
                lead_social_worker=d["lead_social_worker"],
                contingency_plan=d["contingency_plan"],
                sudi_discussion=d.get("sudi_discussion", ""),
                version=d["version"],
                by=by,
            ),
            "The outline plan has been saved",
        ),
        "objective": (
            lambda d: services.objective_add(plan=plan, text=d["text"], by=by),
            "The objective has been added",
        ),
        "member": (
            lambda d: services.member_add(
                plan=plan,
                kind=CoreGroupKind(d["kind"]),
                name=d["name"],
                role=d["role"],
                agency=d.get("agency"),
                by=by,
            ),
            "The core group member has been added",
        ),
        "action": (
            lambda d: services.action_add(
                plan=plan,
                text=d["text"],
                owner=d["owner"],
                due=d["due"],
                objective=d.get("objective"),
                by=by,
                today=on,
            ),
            "The action has been added",
        ),
    }
    save, message = saves[which]
    form, saved = submit(request, forms[which], save, success=message)
    if saved:
        return redirect("conferences:decision-outline", pk=conference.pk, child_pk=child.pk)
    forms[which] = form
    context["form"] = form  # for the error summary and the page title
    return render(request, "conferences/decision/outline.html", context)


def _outline_lists(plan: Plan) -> dict[str, Any]:
    return {
        "objectives": list(plan.objectives.all()),
        "members": list(plan.core_group.select_related("agency")),
        "actions": list(plan.actions.select_related("owner", "objective")),
    }


urlpatterns: list[URLPattern] = [
    path("conferences/<id:pk>/meeting-record/", record, name="decision-record"),
    path("conferences/<id:pk>/four-questions/", assessment, name="decision-assessment"),
    path(
        "conferences/<id:pk>/four-questions/<id:child_pk>/",
        assessment,
        name="decision-assessment-child",
    ),
    path("conferences/<id:pk>/safety-scores/", scores, name="decision-scores"),
    path("conferences/<id:pk>/views/", views, name="decision-views"),
    path("conferences/<id:pk>/decision/<id:child_pk>/", decide, name="decision-decide"),
    path("conferences/<id:pk>/dissent/<id:child_pk>/", dissent, name="decision-dissent"),
    path("conferences/<id:pk>/outline-plan/<id:child_pk>/", outline, name="decision-outline"),
]


def overview_context(conference: Conference, user: User, today: date) -> dict[str, Any]:
    """What the conference's overview shows for this stage: each child's decision."""
    permitted = policy.permitted(user, conference, today=today)
    return {
        "decision": {
            "record": selectors.meeting_record(conference),
            "offered": meeting_offered(conference, permitted, today),
            "permitted": permitted,
            # Register guidance: referrals to the children's reporter, in register-based areas.
            "register_area": authority_settings().profile == REGISTER_PROFILE,
        }
    }


# The chart of safety scores on a child's record ----------------------------------------


def chart_context(child: Child, plans: list[Plan]) -> dict[str, Any]:
    over_time = selectors.scores_over_time_for(child, plans)
    y_ticks, x_ticks = chart_axis(over_time.dates)
    return {
        "scores": over_time,
        "lines": chart_lines(over_time.dates, over_time.series),
        "y_ticks": y_ticks,
        "x_ticks": x_ticks,
        "width": CHART_W,
        "height": CHART_H,
        "pad": CHART_PAD,
        "right": CHART_W - CHART_PAD,
    }
