"""The open statutory deadlines kept as rows, so that pages read one page of them in due-date
order instead of working out every deadline of the authority on each request (issue 16 item 1,
decision 0030). What each row says is worked out by the rules in `returns.deadlines` (the
timescales engine stays the one source of every due date); `returns.deadline_store` keeps the
rows current in the same transaction as the change that moves them."""

from __future__ import annotations

from django.db import models

from convene.people.models import Child

from .enums import DeadlineKind


class OpenDeadline(models.Model):
    """One open deadline of one child, as `returns.deadlines` works it out from everything
    recorded. Whether it is overdue depends on the day it is read, so it is not stored."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="open_deadlines")
    kind = models.CharField(max_length=32, choices=DeadlineKind.choices)
    due = models.DateField()
    # The day of the event the rule counts from, and that event, as "the strategy discussion".
    counts_from = models.DateField()
    event = models.CharField(max_length=200, blank=True)
    # The rule that set it, with its source.
    explanation = models.TextField()

    class Meta:
        indexes = [
            # The work list and the reminders: soonest first, one page at a time.
            models.Index(fields=["due", "child"], name="open_deadline_due"),
            models.Index(fields=["kind", "due"], name="open_deadline_kind_due"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for child {self.child_id}, due by {self.due}"
