"""What the e-mail or letter says when a plan ends without a conference (London CP4 §10.9):
that it has ended, and why, in plain words. Like invitations, it never names the child: an
e-mail can be read by others, and everyone told knows which plan it is by its dates.

Pure reads; sending is `convene.plans.ending.services.plan_end_without_conference`."""

from __future__ import annotations

from datetime import date

from django.conf import settings

from convene.plans.ending import rules


def ending_message(
    *,
    name: str,
    reason: str,
    start_date: date,
    ended_on: date,
    cin_plan_follows: bool,
    cin_review_every: str,
    social_worker: str,
    reference: str,
) -> tuple[str, str]:
    """The subject and plain-English body of the message to one person."""
    subject = "A child protection plan has ended"
    follows = (
        "Support continues: a child in need plan starts now, and it will be reviewed at least "
        f"every {cin_review_every}."
        if cin_plan_follows
        else "No child in need plan follows it."
    )
    contact = (
        f"If you have any questions, please contact the social worker, {social_worker}."
        if social_worker
        else "If you have any questions, please contact children's social care."
    )
    why = rules.IN_WORDS.get(reason, "of a change in the child's life")
    body = "\n\n".join(
        [
            f"Dear {name},",
            f"The child protection plan that started on {start_date:%-d %B %Y} ended on "
            f"{ended_on:%-d %B %Y}, without a review conference.",
            f"It ended because {why}.",
            "Before deciding, a senior manager asked the agencies invited to the first "
            "conference and the core group for their views.",
            follows,
            contact,
            f"Our reference: {reference}",
            f"{settings.AUTHORITY_NAME} children's social care, {settings.DEFAULT_FROM_EMAIL}",
        ]
    )
    return subject, body
