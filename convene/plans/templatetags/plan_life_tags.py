"""`{% cin_plans child as cin_plans %}`: the child's child in need plans, newest first, for the
child's record (London CP4 §10.10). Whoever may open the child's record may open them
(`convene.plans.ending.selectors.cin_plan_for`)."""

from __future__ import annotations

from django import template

from convene.people.models import Child
from convene.plans.models import ChildInNeedPlan

register = template.Library()


@register.simple_tag
def cin_plans(child: Child) -> list[ChildInNeedPlan]:
    return list(child.cin_plans.order_by("-start_date", "-pk"))
