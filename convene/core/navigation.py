"""The service navigation: the links a signed-in person sees, by what they may do."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from convene import policy


def service_navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {"navigation": []}
    items = [("Home", reverse("core:home"))]
    caps = policy.capabilities(user)
    if caps & policy.CHILD_RECORD_CAPABILITIES:
        items.append(("Children", reverse("people:child-list")))
    if policy.does_case_work(user):
        items.append(("Your conferences", reverse("conferences:yours")))
    if policy.can_list_conferences(user):
        items.append(("Conferences", reverse("conferences:list")))
    if policy.can_run_post_room(user):
        items.append(("Post room", reverse("conferences:letters-post-room")))
    if policy.can_view_work_list(user):
        items.append(("Work list", reverse("returns:work-list")))
    if policy.can_view_performance(user):
        items.append(("Performance", reverse("returns:performance")))
    items.append(("Timescales", reverse("authority:timescales")))
    if policy.can_look_up_any_audit_trail(user):
        items.append(("Audit trail", reverse("access:audit-lookup")))
    if policy.can_manage_accounts(user):
        items.append(("Accounts", reverse("access:accounts")))
    if policy.can_manage_authority_settings(user):
        items.append(("E-mails and letters", reverse("notifications:operations")))
        items.append(("Letter settings", reverse("authority:letters")))
    if policy.can_manage_single_sign_on(user):
        items.append(("Single sign-on", reverse("access:sso-groups")))
    if policy.can_manage_retention(user):
        items.append(("Retention", reverse("retention:schedule")))
    path = request.path
    home = reverse("core:home")
    return {
        "navigation": [
            {
                "text": text,
                "href": href,
                "current": path == href or (href != home and path.startswith(href)),
            }
            for text, href in items
        ]
    }
