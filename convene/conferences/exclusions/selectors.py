"""Reads for exclusion (London CP4 §5)."""

from __future__ import annotations

from convene.access.models import User
from convene.conferences.exclusions.rules import EXCLUDED
from convene.conferences.models import Conference, ExclusionRequest
from convene.people.models import Adult, Child


def is_excluded(
    *, conference: Conference, adult: Adult | None = None, child: Child | None = None
) -> bool:
    """Whether this person is excluded (wholly or in part) from this conference. Looks only at
    this conference: an exclusion never carries over to the next (§5.11)."""
    if (adult is None) == (child is None):
        raise ValueError("Give exactly one of adult or child")
    found = ExclusionRequest.objects.filter(conference=conference, decision__in=EXCLUDED)
    if adult is not None:
        return found.filter(invitation__adult=adult).exists()
    return found.filter(invitation__child=child).exists()


def letter_social_worker(conference: Conference) -> User | None:
    """Whom the letter to an excluded person names to contact (§5.10): the allocated social
    worker of the first subject child who has one."""
    for child in conference.subject_children():
        if child.social_worker_id is not None:
            return child.social_worker
    return None
