"""Helpers for tests that look at pages as a user would."""

from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext


def main_content(response: HttpResponse) -> str:
    """The page's <main> element: what differs between pages, without tokens or headers."""
    body = response.content.decode()
    return body[body.index("<main") : body.index("</main>")]


def count_queries(client: Client, url: str) -> int:
    """How many database queries one GET of `url` makes (the page must load)."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)
