"""`{% convening_links child as links %}`: the convening pages this person may open from a
child's record (decided by `convene.policy`, through the convening views)."""

from __future__ import annotations

from typing import Any

from django import template

from convene.access.models import User
from convene.people.models import Child

register = template.Library()


@register.simple_tag(takes_context=True)
def convening_links(context: dict[str, Any], child: Child) -> list[tuple[str, str]]:
    # Imported here: template libraries load during system checks, before the URLs.
    from convene.conferences.convening.views import child_links
    from convene.core.clock import today

    user = context["request"].user
    if not isinstance(user, User):
        return []
    return child_links(user, child, today=today())
