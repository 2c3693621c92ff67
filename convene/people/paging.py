"""A page of a list without counting the whole list.

Django's `Paginator` counts every matching row to say "page 3 of 2,000"; on a large table that
COUNT costs as much as the search itself. A `Window` fetches one row more than a page holds:
that row says whether there is a next page, and nothing else is counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from django.db.models import Model, QuerySet

T = TypeVar("T")
M = TypeVar("M", bound=Model)

# Beyond this page a list asks for a narrower search rather than skipping ever more rows.
LAST_PAGE = 1_000


@dataclass(frozen=True)
class Window(Generic[T]):
    object_list: list[T]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1


def page_number(text: str | None) -> int:
    """The page asked for: a whole number from 1 to LAST_PAGE, else the first page."""
    if text is None or not text.isdigit() or len(text) > 6:
        return 1
    return min(max(int(text), 1), LAST_PAGE)


def window(rows: QuerySet[M], number: int, size: int) -> Window[M]:
    """Page `number` of `rows`: a slice of size + 1 rows, so only those are read."""
    start = (number - 1) * size
    fetched = list(rows[start : start + size + 1])
    has_next = len(fetched) > size and number < LAST_PAGE
    return Window(object_list=fetched[:size], number=number, has_next=has_next)
