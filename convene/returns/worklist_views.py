"""The work list: open statutory deadlines of the children someone may see, soonest first."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from convene import policy
from convene.access.models import User
from convene.core.clock import today
from convene.core.forms import GovukForm

from .deadline_store import overdue_q
from .deadlines import DeadlineKind, filter_work_list, team_choices, work_items, work_list

WORK_LIST_PAGE_SIZE = 50


class WorkListFilterForm(GovukForm):
    team = forms.ChoiceField(label="Team", required=False)
    kind = forms.ChoiceField(
        label="What is due",
        required=False,
        choices=[("", "Anything"), *DeadlineKind.choices],
    )
    overdue = forms.BooleanField(label="Only show overdue", required=False)

    def __init__(self, *args: Any, teams: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        team = self.fields["team"]
        assert isinstance(team, forms.ChoiceField)
        team.choices = [("", "All teams"), *teams]
        self.fields["team"].error_messages["invalid_choice"] = "Select a team from the list"


def work_list_page(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    policy.require(policy.can_view_work_list(request.user))
    on = today()
    rows = work_list(request.user, as_of=on)
    form = WorkListFilterForm(request.GET, teams=team_choices(rows))
    filtered = rows
    if form.is_valid():
        filtered = filter_work_list(
            rows,
            as_of=on,
            team=form.cleaned_data["team"],
            kind=form.cleaned_data["kind"],
            overdue_only=form.cleaned_data["overdue"],
        )
    # The counts in one query (two with a filter), then the page: the database reads the
    # index in due order and stops at the page's end, however many deadlines are open.
    counts = filtered.order_by().aggregate(
        shown=Count("pk"), overdue=Count("pk", filter=overdue_q(on))
    )
    total = rows.count() if filtered is not rows else counts["shown"]
    paginator = Paginator(filtered, WORK_LIST_PAGE_SIZE)
    paginator.count = counts["shown"]  # already counted: not a second COUNT
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = work_items(page.object_list, as_of=on)  # type: ignore[assignment]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "today": on,
        "form": form,
        "page": page,
        "total": total,
        "shown": counts["shown"],
        "overdue": counts["overdue"],
        "filtered": any(request.GET.get(name) for name in ("team", "kind", "overdue")),
        "query": query.urlencode(),
    }
    return render(request, "returns/work_list.html", context)
