"""Every page, for every kind of person, with good, empty and junk requests.

The product's ground rules, checked across the whole URL map rather than page by page:

* nothing ever answers with a 500: every request ends in 200, 302, 400, 404 or 405, and no
  exception escapes a view;
* access is deny-by-default and reveals nothing: signed-out visitors are sent to sign in, a
  signed-in person with no role finds no record-level page, nobody finds a record that does
  not exist, and a police report is hidden from everyone but the chair and the police.

One demo world (``load_demo``, plus the states the demo lacks: submitted and shared reports,
an observer, a request to record, a contribution, requests to exclude; built by
convene/testing/page_walk.py, shared with the accessibility walk in Chromium) is built once
for this module, inside a transaction rolled back when the module ends. Each request runs in
its own savepoint, rolled back afterwards, so every request sees the same world whatever the
requests before it did.

A new URL pattern is picked up automatically; if its path parameter is one this module cannot
fill with a real id, ``test_every_url_parameter_has_samples`` says so (the samples are in
convene/testing/page_walk.py).
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import time
from html.parser import HTMLParser
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from convene.access.models import User
from convene.conferences.enums import ConferenceStatus, ReportKind, ReportStatus
from convene.conferences.models import Conference
from convene.testing.page_walk import (
    NOW,
    PERSONAS,
    ROUTE_NAMES,
    ROUTES,
    TODAY,
    World,
    build_world,
    is_missing,
    is_test_database,
    kind_of,
    kwarg_sets,
    signed_in_client,
)

HUGE = "99999999999999999999"  # wider than any database integer column
LONG = "abc " * 2500  # 10,000 characters, longer than any field allows

# Marked so that pytest-django creates the test database even when only this module runs.
pytestmark = pytest.mark.django_db

# 204: the timeout warning's "stay signed in" answers with no content.
ALLOWED = {200, 204, 302, 400, 404, 405}
PUBLIC = {
    "core:accessibility",
    "access:sign-in",
    "access:signed-out",
    # A forgotten password: asking for a link, and the page the link opens.
    "access:password-reset",
    "access:password-reset-sent",
    "access:password-reset-confirm",
    # Single sign-on: off to the council's identity provider and back (404 when not set up).
    "access:sso-start",
    "access:sso-callback",
    "access:sso-refused",
    # Health checks, and GOV.UK Notify's delivery receipts (a bearer token, not a sign-in).
    "notifications:healthz",
    "notifications:readyz",
    "notifications:callback",
}
# Pages a signed-in person with no role may use; every other page is a 404 (or a 405 for a
# method the page never accepts) for them.
FOR_EVERYONE_SIGNED_IN = {
    "core:home",
    "core:keep-alive",
    "access:account",
    "access:password-change",
    # Their own authenticator app: setting it up, and the code after the password.
    "access:mfa-setup",
    "access:mfa-verify",
    "access:sign-out",
    "access:sign-out-everywhere",
    "authority:timescales",
    "people:child-list",
    # Only what is their own: the conferences they are invited to and the reports they owe.
    "conferences:yours",
}


# Pages inside convene/conferences/views/ that currently fail this module, left for whoever
# works on those views. Remove an entry once its page is fixed: the xfail is strict, so the
# suite fails as soon as the page passes. Note that an entry hides any other failure of the
# same page until it is removed.
KNOWN_FAILURES: dict[str, str] = {}


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    with django_db_blocker.unblock(), time_machine.travel(NOW, tick=False):
        assert is_test_database(), "The world must be built in a test database"
        with transaction.atomic():
            yield build_world()
            transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def signed_in_afresh(world: World) -> None:
    """Each test runs in a savepoint, so a session started in an earlier test (after a
    sign-out page ended one) is gone: sign everyone in again."""
    for persona, user in world.users.items():
        world.clients[persona].force_login(user)


# Requests ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    status: int | None
    error: str = ""
    location: str = ""
    body: str = ""
    # A problem in a page visited after the request, in the same savepoint: the page it
    # redirected to, or one of the WATCHED pages after it saved something.
    later: str = ""


# Pages that summarise many records, visited after a junk request saved something, to find
# pages broken by what it saved: (persona, URL name).
WATCHED = [
    ("administrator", "core:home"),
    ("administrator", "conferences:list"),
    ("administrator", "returns:work-list"),
    ("chair", "core:home"),
    ("team_manager", "core:home"),
    ("senior_manager", "returns:performance"),
    ("system_administrator", "authority:timescales"),
]


def _ask(
    world: World,
    persona: str,
    method: str,
    url: str,
    data: dict[str, Any],
    *,
    follow: bool = False,
    watch: bool = False,
) -> Outcome:
    """One request, in a savepoint rolled back afterwards. An exception is an outcome too.
    With follow, when the request redirects, the page it redirects to (and with watch, the
    WATCHED pages) are visited in the same savepoint, so a page broken by what the request
    saved is found."""
    client = world.clients[persona]
    step = ""
    try:
        with transaction.atomic():
            if method == "GET":
                outcome = _outcome(client.get(url))
            else:
                outcome = _outcome(client.post(url, data))
            if follow and outcome.status == 302:
                visits = [(persona, outcome.location)]
                visits += [(who, reverse(name)) for who, name in WATCHED if watch]
                for who, page in visits:
                    step = f"then GET {page} as {who}"
                    status = world.clients[who].get(page).status_code
                    if status not in ALLOWED:
                        outcome = replace(outcome, later=f"{step}: status {status}")
                        break
            transaction.set_rollback(True)
    except Exception as error:  # noqa: BLE001 (any exception escaping a view is the finding)
        frames = traceback.extract_tb(error.__traceback__)
        ours = [f for f in frames if "/convene/" in f.filename and "/tests/" not in f.filename]
        where = ours[-1] if ours else frames[-1]
        short = where.filename.split("/convene/")[-1]
        found = f"{type(error).__name__}: {error} (at {short}:{where.lineno})"
        return Outcome(None, f"{step}: {found}" if step else found)
    finally:
        for who in {persona, *(who for who, _ in WATCHED)}:
            _sign_in_again_if_signed_out(world, who)
    return outcome


def _outcome(response: Any) -> Outcome:
    """The parts of a test client's response the checks look at."""
    body = ""
    if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
        body = response.content.decode()
    return Outcome(response.status_code, location=response.get("Location", ""), body=body)


def _sign_in_again_if_signed_out(world: World, persona: str) -> None:
    client = world.clients[persona]
    cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
    if persona != "anonymous" and (cookie is None or not cookie.value):
        client.force_login(world.users[persona])


# Forms on the pages, for the junk ---------------------------------------------------------


@dataclass
class Field:
    kind: str  # "text", "hidden", "choice", "multi", "file", "button"
    values: list[str] = field(default_factory=list)


class _FormReader(HTMLParser):
    """The fields of the POST forms on a page."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, Field] = {}
        self._in_post_form = False
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._in_post_form = a.get("method", "").lower() == "post"
            return
        name = a.get("name", "")
        if not self._in_post_form:
            return
        if tag == "option" and self._select:
            if a.get("value"):
                self.fields[self._select].values.append(a["value"])
            return
        if not name or name == "csrfmiddlewaretoken":
            return
        if tag == "select":
            self._select = name
            self.fields.setdefault(name, Field("choice"))
        elif tag == "textarea":
            self.fields.setdefault(name, Field("text"))
        elif tag == "button":
            self.fields.setdefault(name, Field("button", [a.get("value", "")]))
        elif tag == "input":
            kind = a.get("type", "text").lower()
            value = a.get("value", "")
            if kind in ("radio", "checkbox"):
                multi = "multi" if kind == "checkbox" else "choice"
                self.fields.setdefault(name, Field(multi)).values.append(value or "on")
            elif kind == "hidden":
                self.fields.setdefault(name, Field("hidden", [value]))
            elif kind == "file":
                self.fields.setdefault(name, Field("file"))
            elif kind == "submit":
                self.fields.setdefault(name, Field("button", [value]))
            else:
                self.fields.setdefault(name, Field("text", [value] if value else []))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_post_form = False
        elif tag == "select":
            self._select = None


def _read_fields(body: str) -> dict[str, Field]:
    reader = _FormReader()
    reader.feed(body)
    return reader.fields


def _junk_file() -> SimpleUploadedFile:
    return SimpleUploadedFile("junk.exe", b"MZ\x90\x00not really a program", "application/x-junk")


def _strings(fields: dict[str, Field]) -> dict[str, Any]:
    """A string in every field: "abc" for dates, times, numbers, choices, files and versions."""
    return {name: "abc" for name in fields} | {"version": "abc"}


def _wrong(fields: dict[str, Field]) -> dict[str, Any]:
    """Real choices, with 31 February for every date, very long text, a junk file and a
    version that is not a number."""
    data: dict[str, Any] = {}
    for name, f in fields.items():
        if name.endswith(("_day", "_month", "_year")):
            data[name] = {"_day": "31", "_month": "2", "_year": "2026"}[name[name.rfind("_") :]]
        elif f.kind == "file":
            data[name] = _junk_file()
        elif f.kind == "multi":
            data[name] = f.values
        elif f.kind in ("choice", "hidden", "button"):
            data[name] = f.values[0] if f.values else ""
        else:
            data[name] = LONG
    return data | {"version": "abc"}


def _plausible(fields: dict[str, Field], *, year: str = "2026") -> dict[str, Any]:
    """What the page shows, filled in sensibly where empty, so the form is likely valid."""
    data: dict[str, Any] = {}
    for name, f in fields.items():
        part = name[name.rfind("_") :]
        if part in ("_day", "_month", "_year"):
            data[name] = (f.values[0] if f.values else "") or {
                "_day": "24",
                "_month": "11",
                "_year": "2026",
            }[part]
        elif f.kind == "file":
            data[name] = SimpleUploadedFile("words.txt", b"Our words", "text/plain")
        elif f.kind == "multi":
            data[name] = f.values[:1]
        elif f.kind == "button":
            continue
        elif f.values:
            data[name] = f.values[0]
        else:
            data[name] = _plausible_text(name)
    if year != "2026":
        data |= {name: year for name in data if name.endswith("_year")}
    return data


def _plausible_text(name: str) -> str:
    if "email" in name:
        return "someone@example.org"
    if name.startswith(("starts", "arrived")):
        return "10:00"
    if name.startswith(("ends", "left")):
        return "12:00"
    if "link" in name or "url" in name:
        return "https://meet.example.org/x"
    if "population" in name:
        return "48000"
    return "abc"


def _has_dates(fields: dict[str, Field]) -> bool:
    return any(name.endswith("_year") for name in fields)


# Junk built from the form a person sees: a label, when it applies, and the data.
JUNK: list[tuple[str, Callable[[dict[str, Field]], bool], Callable[..., dict[str, Any]]]] = [
    ("31 February, overlong text, a junk file", bool, _wrong),
    ("plausible", bool, _plausible),
    (
        "plausible, version beyond any integer",
        lambda f: "version" in f,
        lambda f: _plausible(f) | {"version": HUGE},
    ),
    ("plausible, year 9999", _has_dates, lambda f: _plausible(f, year="9999")),
    ("plausible, year 0001", _has_dates, lambda f: _plausible(f, year="0001")),
]
# Query strings for the pages that read them (search, filters, pages of a list).
JUNK_QUERIES = [
    f"?page=abc&q={LONG[:3000]}&team=abc&kind=abc&overdue=abc",
    f"?page={HUGE}&q=%25_&team=&kind=&overdue=1",
]


# The checks ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Failure:
    url_name: str
    url: str
    persona: str
    method: str
    data: str
    outcome: str

    def __str__(self) -> str:
        return (
            f"{self.url_name} {self.method} {self.url} as {self.persona}"
            f"{f' with {self.data}' if self.data else ''}: {self.outcome}"
        )


def _report(failures: list[Failure], what: str) -> str:
    lines = [f"{len(failures)} {what}:"]
    lines.extend(f"  {failure}" for failure in failures[:200])
    if len(failures) > 200:
        lines.append(f"  … and {len(failures) - 200} more")
    return "\n".join(lines)


def _problem(outcome: Outcome, *, missing: bool, persona: str) -> str:
    if outcome.status is None:
        return outcome.error
    if outcome.status not in ALLOWED:
        return f"status {outcome.status}"
    if outcome.later:
        return outcome.later
    if persona != "anonymous" and outcome.location.startswith(reverse("access:sign-in")):
        return "a signed-in person was sent to sign in"
    if missing and persona != "anonymous" and outcome.status not in (404, 405):
        return f"status {outcome.status} for a record that does not exist"
    return ""


def _marked(name: str) -> Any:
    if name in KNOWN_FAILURES:
        return pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=KNOWN_FAILURES[name]))
    return name


ROUTE_BY_NAME = {route.name: route for route in ROUTES}


def test_every_url_parameter_has_samples(world: World) -> None:
    unknown = [
        f"{route.name}: {param} ({kind_of(route, param)})"
        for route in ROUTES
        for param in route.params
        if kind_of(route, param) not in world.samples
    ]
    assert not unknown, "No sample ids for these path parameters:\n" + "\n".join(unknown)


@pytest.mark.parametrize("url_name", [_marked(name) for name in ROUTE_NAMES])
def test_every_page_answers_everyone_without_a_server_error(world: World, url_name: str) -> None:
    """GET, an empty POST and a POST of junk strings, for every persona and every sample id;
    for the personas who can open a page, junk query strings and more junk POSTs built from
    the form they see: wrong dates, overlong text and junk files, plausible answers, and
    plausible answers with an impossible version or a year of 9999 or 1."""
    route = ROUTE_BY_NAME[url_name]
    failures: list[Failure] = []
    opened: list[tuple[str, str, bool]] = []
    refused: dict[tuple[str, str], int | None] = {}
    fields: dict[str, Field] = {}  # every field seen on this page, for anyone
    page_fields: dict[tuple[str, str], dict[str, Field]] = {}  # what each person saw

    def check(persona: str, method: str, url: str, missing: bool, label: str, data: Any) -> None:
        follow = method == "POST" and persona != "anonymous" and label != "no data"
        watch = "year" in label or "February" in label
        outcome = _ask(world, persona, method, url, data, follow=follow, watch=watch)
        problem = _problem(outcome, missing=missing, persona=persona)
        if problem:
            failures.append(Failure(url_name, url, persona, method, label, problem))
        if method == "POST" and label == "no data":
            refused[persona, url] = outcome.status
        if method == "GET" and outcome.status == 200 and "?" not in url:
            opened.append((persona, url, missing))
            page_fields[persona, url] = _read_fields(outcome.body)
            for name, f in page_fields[persona, url].items():
                fields.setdefault(name, f)

    urls = [
        (reverse(url_name, kwargs=kwargs), is_missing(kwargs))
        for kwargs in kwarg_sets(route, world)
    ]
    for url, missing in urls:
        for persona in PERSONAS:
            check(persona, "GET", url, missing, "", {})
    for url, missing in urls:
        for persona in PERSONAS:
            check(persona, "POST", url, missing, "no data", {})
            check(persona, "POST", url, missing, "strings", _strings(fields))
    # The junk that gets past the first checks, for those who can open the page.
    for persona, url, missing in opened:
        if url == urls[0][0]:
            for query in JUNK_QUERIES:
                check(persona, "GET", url + query, missing, "", {})
        if refused.get((persona, url)) == 405:
            continue  # the page takes no POST
        seen = page_fields[persona, url]
        for label, applies, junk in JUNK:
            if applies(seen):
                check(persona, "POST", url, missing, label, junk(seen))
    assert not failures, _report(failures, "requests failed")


def test_the_public_pages_are_the_ones_meant_to_be() -> None:
    assert {route.name for route in ROUTES if route.public} == PUBLIC


def test_signed_out_visitors_are_sent_to_sign_in_from_every_other_page(world: World) -> None:
    sign_in = reverse("access:sign-in")
    failures = []
    for route in ROUTES:
        if route.public:
            continue
        for kwargs in kwarg_sets(route, world):
            url = reverse(route.name, kwargs=kwargs)
            for method in ("GET", "POST"):
                outcome = _ask(world, "anonymous", method, url, {})
                if outcome.status != 302 or not outcome.location.startswith(f"{sign_in}?next="):
                    shown = outcome.error or f"{outcome.status} {outcome.location}"
                    failures.append(Failure(route.name, url, "anonymous", method, "", shown))
    assert not failures, _report(failures, "pages did not send a signed-out visitor to sign in")


def test_someone_with_no_role_finds_no_page_beyond_their_own(world: World) -> None:
    """Every conference-, report-, child- and other page: 404 for the outsider (405 for a
    method the page never accepts), never 200 or a redirect."""
    failures = []
    for route in ROUTES:
        if route.public or route.name in FOR_EVERYONE_SIGNED_IN:
            continue
        for kwargs in kwarg_sets(route, world):
            url = reverse(route.name, kwargs=kwargs)
            for method, data in (("GET", {}), ("POST", {}), ("POST", {"version": "1"})):
                outcome = _ask(world, "outsider", method, url, data)
                if outcome.status not in (404, 405):
                    shown = outcome.error or f"status {outcome.status}"
                    failures.append(Failure(route.name, url, "outsider", method, "", shown))
    assert not failures, _report(failures, "pages were open to someone with no role")


def test_a_police_report_is_hidden_from_health_and_social_care(world: World) -> None:
    """London CP4 §7.10: the police report is for the chair and the police alone. Health and
    the social worker may see the conference and its other reports, but every page of the
    police report is a 404 for them."""
    hannah = signed_in_client(User.objects.get(email__startswith="hannah.pryce@"))
    world.clients["other_social_worker"] = hannah
    world.users["other_social_worker"] = User.objects.get(email__startswith="hannah.pryce@")
    report_pages = [route for route in ROUTES if route.route.startswith("reports/<id:pk>")]
    assert len(report_pages) >= 5
    # The personas can see the conference and its other reports, so a 404 below means the
    # police report is hidden, not that everything is.
    health, social_worker = "health_professional", "social_worker"
    main, health_report = world.conference, world.health_report
    for persona in (health, social_worker):
        assert _ask(world, persona, "GET", f"/conferences/{main.pk}/", {}).status == 200
        assert _ask(world, persona, "GET", f"/reports/{health_report.pk}/", {}).status == 200
    for persona in ("chair", "police_officer"):
        url = reverse("conferences:report-detail", args=[world.police_reports[0].pk])
        assert _ask(world, persona, "GET", url, {}).status == 200, persona

    failures = []
    for report in world.police_reports:
        assert report.kind == ReportKind.POLICE
        for route in report_pages:
            url = reverse(route.name, kwargs={"pk": report.pk})
            for persona in (health, social_worker, "other_social_worker"):
                for method in ("GET", "POST"):
                    outcome = _ask(world, persona, method, url, {"version": "1"})
                    if outcome.status not in (404, 405):
                        shown = outcome.error or f"status {outcome.status}"
                        failures.append(Failure(route.name, url, persona, method, "", shown))
    assert not failures, _report(failures, "police report pages were open to others")


def test_the_world_has_what_the_pages_need(world: World) -> None:
    """Guards the samples: if the demo changes, this says why the other tests got weaker."""
    main = world.conference
    assert main.status == ConferenceStatus.SCHEDULED and main.date and main.date > TODAY
    assert main.starts_at == time(10, 0)
    assert Conference.objects.filter(date=TODAY, status=ConferenceStatus.SCHEDULED).exists()
    assert {r.status for r in main.reports.all()} >= {
        ReportStatus.REQUESTED,
        ReportStatus.SUBMITTED,
        ReportStatus.SHARED,
    }
