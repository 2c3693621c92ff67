"""`{% plan_href plan as href %}`: the plan page's address when this person may open it (and
it is this authority's plan), else "" — for pages outside the plan's own, such as the
meeting record of the conference that started it. Decided by `convene.policy`; no query for
those who see every child's plan or none."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from convene.access.models import User
from convene.plans.models import Plan

register = template.Library()


@register.simple_tag(takes_context=True)
def plan_href(context: dict[str, Any], plan: Plan | None) -> str:
    # Imported here: template libraries load during system checks, before the policy's models.
    from convene import policy
    from convene.core.clock import today
    from convene.plans.rules import PlanAction

    user = context["request"].user
    if plan is None or plan.other_authority or not isinstance(user, User):
        return ""
    if not policy.allowed_pks(user, "plan", PlanAction.VIEW, [plan.pk], today=today()):
        return ""
    return reverse("plans:plan", args=[plan.pk])
