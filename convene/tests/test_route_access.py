"""Who gets what from every page: a table, generated from the URL configuration.

Every named route, for every demo persona (convene/testing/page_walk.py's `DEMO_PERSONAS`,
plus someone signed in with no role, and a signed-out visitor), has an expected answer to a
GET and to an empty POST of its usual address (the first sample of each path parameter). The
answers are written out below, by hand, in `EXPECTED`; a route that has no row fails the
suite, saying which row to add, so a new page cannot arrive without someone deciding who may
open it. A change to who may open a page shows as a changed row in review.

The demo world, the sample ids and the requests (each in a savepoint rolled back after it)
are test_every_page's own (the world built by convene/testing/page_walk.py), imported rather
than copied, so a sample added there serves here; the world is built once for this module.

Letters: O opens (200), n no content (204), . not found (404: the page does not exist for
them), s sent to sign in, r redirected elsewhere (302), b bad request (400), x method not
allowed (405).

To see a changed or a new row, run this module: each failure prints the row as observed. With
ROUTE_ACCESS_OBSERVED=<file> set, every observed row is also written to that file. Never
copy rows over without reading them: each letter is an access decision.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse

from convene.core.tests import test_every_page as every_page
from convene.testing import page_walk

pytestmark = pytest.mark.django_db

# The world and the sign-in before each test, from test_every_page.
world = every_page.world
signed_in_afresh = every_page.signed_in_afresh

PERSONAS = every_page.PERSONAS
# The column of each persona, in order.
COLUMNS = {
    "administrator": "a",
    "chair": "c",
    "other_chair": "C",
    "social_worker": "w",
    "team_manager": "t",
    "senior_manager": "m",
    "police_officer": "p",
    "health_professional": "h",
    "data_officer": "d",
    "system_administrator": "y",
    "register_manager": "R",
    "enquirer": "e",
    "outsider": "u",
    "anonymous": "-",
}
LETTERS = {200: "O", 204: "n", 404: ".", 400: "b", 405: "x"}

EXPECTED_TABLE = """
                                                   GET            POST (empty)
                                                   acCwtmphdyReu- acCwtmphdyReu-
access:account                                     OOOOOOOOOOOOOs OOOOOOOOOOOOOs
access:account-change                              .........O...s .........O...s
access:account-create                              .........O...s .........O...s
access:account-deactivate                          .........O...s .........O...s
access:account-detail                              .........O...s xxxxxxxxxxxxxs
access:account-reactivate                          .........O...s .........O...s
access:account-reset-authenticator                 .........O...s .........O...s
access:account-send-password-link                  .........O...s .........O...s
access:account-unlock                              .........O...s .........O...s
access:accounts                                    .........O...s xxxxxxxxxxxxxs
access:audit-lookup                                .........O...s .........O...s
access:child-audit-trail                           ....O....O...s ....O....O...s
access:mfa-setup                                   OOOOOOOOOOOOOs OOOOOOOOOOOOOs
access:mfa-verify                                  OOOOOOOOOOOOrs OOOOOOOOOOOOrs
access:password-change                             OOOOOOOOOOOOOs OOOOOOOOOOOOOs
access:password-reset                              OOOOOOOOOOOOOO OOOOOOOOOOOOOO
access:password-reset-confirm                      OOOOOOOOOOOOOO OOOOOOOOOOOOOO
access:password-reset-sent                         OOOOOOOOOOOOOO xxxxxxxxxxxxxx
access:sign-in                                     rrrrrrrrrrrrrO rrrrrrrrrrrrrO
access:sign-out                                    xxxxxxxxxxxxxs rrrrrrrrrrrrrs
access:sign-out-everywhere                         xxxxxxxxxxxxxs rrrrrrrrrrrrrs
access:signed-out                                  OOOOOOOOOOOOOO OOOOOOOOOOOOOO
access:sso-callback                                .............. ..............
access:sso-group-remove                            xxxxxxxxxxxxxs .........r...s
access:sso-groups                                  .........O...s .........O...s
access:sso-refused                                 .............. ..............
access:sso-start                                   .............. ..............
authority:closure-day-remove                       xxxxxxxxxxxxxs .........r...s
authority:closure-days                             .........O...s .........O...s
authority:glossary                                 .........O...s .........O...s
authority:glossary-remove                          xxxxxxxxxxxxxs .........r...s
authority:letters                                  .........O...s .........O...s
authority:letters-template                         .........O...s xxxxxxxxxxxxxs
authority:settings                                 .........O...s .........O...s
authority:timescales                               OOOOOOOOOOOOOs OOOOOOOOOOOOOs
breakglass:request                                 .......O.....s xxxxxxxxxxxxxs
breakglass:review                                  ....OO...O...s xxxxxxxxxxxxxs
breakglass:start                                   .OOOOOOO.....s .OOOOOOO.....s
challenge:appeal                                   O.OOOO.......s .............s
challenge:appeal-form                              .............s xxxxxxxxxxxxxs
challenge:appeal-letter                            O.OOOO.......s xxxxxxxxxxxxxs
challenge:appeal-new                               .............s .............s
challenge:complaint                                O.OOOO.......s .............s
challenge:complaint-letter                         O.OOOO.......s xxxxxxxxxxxxxs
challenge:complaint-new                            OO...........s OO...........s
challenge:conference                               OO.OOO.......s xxxxxxxxxxxxxs
challenge:escalation                               O.OOOO.......s ..O..........s
challenge:stage-remove                             xxxxxxxxxxxxxs .........r...s
challenge:stages                                   .........O...s .........O...s
challenge:waiting                                  .OO.OO.......s xxxxxxxxxxxxxs
conferences:cancel                                 O............s O............s
conferences:contribution-download                  OOOOOOOOO.O..s xxxxxxxxxxxxxs
conferences:contributions                          OOOOOOOOO.O..s OO.O..OO.....s
conferences:decide                                 ....OO.......s ....OO.......s
conferences:decision-assessment                    .O...........s .O...........s
conferences:decision-assessment-child              .O...........s .O...........s
conferences:decision-decide                        .O...........s .O...........s
conferences:decision-dissent                       .O...........s .O...........s
conferences:decision-outline                       .............s .............s
conferences:decision-record                        .O...........s .O...........s
conferences:decision-scores                        .O...........s .O...........s
conferences:decision-views                         .O...........s .O...........s
conferences:detail                                 OOOOOOOOO.O..s OOOOOOOOO.O..s
conferences:diary                                  .OO..........s xxxxxxxxxxxxxs
conferences:enquiry-record                         ...OO........s ...OO........s
conferences:exclusion-decide                       .O...........s .O...........s
conferences:exclusion-detail                       OO.....O.....s xxxxxxxxxxxxxs
conferences:exclusion-letter                       .............s xxxxxxxxxxxxxs
conferences:exclusion-new                          ...O..OO.....s ...O..OO.....s
conferences:exclusion-views                        .............s .............s
conferences:invitation-consent                     .............s .............s
conferences:invitation-edit                        O............s O............s
conferences:invitation-letter                      O............s O............s
conferences:invitation-response                    O............s O............s
conferences:invitations                            OO...........s OO...........s
conferences:invitations-add                        O............s O............s
conferences:invitations-add-other                  O............s O............s
conferences:invitations-add-professional           O............s O............s
conferences:invitations-send                       O............s O............s
conferences:letters-letter                         OO...........s OO...........s
conferences:letters-letter-download                .............s xxxxxxxxxxxxxs
conferences:letters-post-room                      O............s O............s
conferences:letters-post-room-print                O............s xxxxxxxxxxxxxs
conferences:list                                   OOO..........s OOO..........s
conferences:meeting-attendance                     OO...........s OO...........s
conferences:meeting-mark-held                      .O...........s .O...........s
conferences:meeting-quorum                         OO...........s OO...........s
conferences:record                                 OO...........s OO...........s
conferences:record-amendment                       .............s .............s
conferences:record-amendments                      .............s .............s
conferences:record-copies                          .............s .............s
conferences:record-download                        .............s xxxxxxxxxxxxxs
conferences:record-section                         .............s .............s
conferences:record-version                         .............s xxxxxxxxxxxxxs
conferences:recording-request-decide               .O...........s .O...........s
conferences:recording-requests                     OO...........s OO...........s
conferences:report-chair-summary                   .O...........s .O...........s
conferences:report-child-seen-add                  .............s .............s
conferences:report-detail                          .O....O......s xxxxxxxxxxxxxs
conferences:report-edit                            .............s .............s
conferences:report-family-comments                 .............s .............s
conferences:report-share                           .............s .............s
conferences:report-sign                            .............s .............s
conferences:reports                                OOOOOOOOO.O..s xxxxxxxxxxxxxs
conferences:reports-request                        xxxxxxxxxxxxxs r............s
conferences:schedule                               O............s O............s
conferences:start                                  O...OO.......s O...OO.......s
conferences:start-route                            O...OO.......s O...OO.......s
conferences:yours                                  OOOOOOOOOOOOOs OOOOOOOOOOOOOs
core:accessibility                                 OOOOOOOOOOOOOO OOOOOOOOOOOOOO
core:home                                          OOOOOOOOOOOOOs OOOOOOOOOOOOOs
core:keep-alive                                    xxxxxxxxxxxxxs nnnnnnnnnnnnns
notifications:callback                             xxxxxxxxxxxxxx ..............
notifications:healthz                              OOOOOOOOOOOOOO xxxxxxxxxxxxxx
notifications:operations                           .........O...s .........O...s
notifications:readyz                               OOOOOOOOOOOOOO xxxxxxxxxxxxxx
notifications:send-again                           xxxxxxxxxxxxxs .............s
people:child-allocate                              O...O........s O...O........s
people:child-detail                                OOOOOOOOO.O..s OOOOOOOOO.O..s
people:child-list                                  OOOOOOOOOOOOOs OOOOOOOOOOOOOs
plans:action-add                                   ...OO........s ...OO........s
plans:action-change                                ...OO........s ...OO........s
plans:action-progress                              ...OO........s ...OO........s
plans:birth                                        ...OO........s ...OO........s
plans:cin-plan                                     OOO.OO..O.O..s xxxxxxxxxxxxxs
plans:cin-plan-end                                 ....O........s ....O........s
plans:cin-plan-review                              ....O........s ....O........s
plans:core-group                                   OOOOOOO.O.O..s xxxxxxxxxxxxxs
plans:core-group-action-add                        .............s .............s
plans:core-group-action-change                     .............s .............s
plans:core-group-cancel                            ...OO........s ...OO........s
plans:core-group-change                            ...OO........s ...OO........s
plans:core-group-dissent                           .............s .............s
plans:core-group-record                            ...OO........s ...OO........s
plans:core-group-schedule                          ...OO........s ...OO........s
plans:end                                          .....O.......s .....O.......s
plans:long                                         .OO.OO..O....s xxxxxxxxxxxxxs
plans:member-add                                   ...OO........s ...OO........s
plans:member-leave                                 ...OO........s ...OO........s
plans:objective-add                                ...OO........s ...OO........s
plans:objective-change                             ...OO........s ...OO........s
plans:plain-words                                  OOOOOOO.O.O..s xxxxxxxxxxxxxs
plans:plan                                         OOOOOOO.O.O..s xxxxxxxxxxxxxs
plans:plan-change                                  ...OO........s ...OO........s
plans:review                                       OOOOOOO.O.O..s xxxxxxxxxxxxxs
plans:review-bring-forward                         O..OO........s O..OO........s
register:enquiries                                 ..........OO.s xxxxxxxxxxxxxs
register:enquiry                                   ..........OO.s xxxxxxxxxxxxxs
register:enquiry-search                            ...........r.s ...........r.s
register:enquiry-start                             ...........O.s ...........O.s
register:list                                      ..........O..s xxxxxxxxxxxxxs
register:reporter                                  .............s .............s
retention:hold-lift                                .........O...s .........O...s
retention:holds                                    .........O...s .........O...s
retention:schedule                                 .........O...s .........O...s
returns:performance                                ....OO..O....s ....OO..O....s
returns:performance-children                       ....OO..O....s ....OO..O....s
returns:work-list                                  O...OO.......s O...OO.......s
"""


def _parse(table: str) -> dict[str, tuple[str, str]]:
    rows: dict[str, tuple[str, str]] = {}
    for line in table.splitlines():
        if not line.strip() or line.startswith(" "):
            continue  # the headings
        name, get, post = line.split()
        assert name not in rows, f"Two rows for {name}"
        rows[name] = (get, post)
    return rows


EXPECTED = _parse(EXPECTED_TABLE)
ROUTE_NAMES = sorted(every_page.ROUTE_NAMES)


def _letter(outcome: Any) -> str:
    if outcome.status == 302:
        sign_in = reverse("access:sign-in")
        return "s" if outcome.location.startswith(sign_in) else "r"
    return LETTERS.get(outcome.status, "?")


def _row(name: str, get: str, post: str) -> str:
    return f"{name:<50} {get} {post}"


def _observed(world: Any, name: str) -> tuple[str, str]:
    route = every_page.ROUTE_BY_NAME[name]
    url = reverse(name, kwargs=page_walk.kwarg_sets(route, world)[0])
    answers = []
    for method in ("GET", "POST"):
        letters = ""
        for persona in PERSONAS:
            outcome = every_page._ask(world, persona, method, url, {})
            letters += "!" if outcome.error else _letter(outcome)
        answers.append(letters)
    return answers[0], answers[1]


@pytest.fixture(scope="module")
def observed_file() -> Iterator[Any]:
    path = os.environ.get("ROUTE_ACCESS_OBSERVED")
    if not path:
        yield None
        return
    with open(path, "w", encoding="utf-8") as out:
        yield out


def test_the_columns_are_every_persona_in_order() -> None:
    assert list(COLUMNS) == PERSONAS
    headings = [line for line in EXPECTED_TABLE.splitlines() if line.startswith(" ")]
    letters = "".join(COLUMNS.values())
    assert headings[-1].split() == [letters, letters]


def test_every_named_route_has_a_row_and_every_row_a_route() -> None:
    missing = [name for name in ROUTE_NAMES if name not in EXPECTED]
    gone = sorted(set(EXPECTED) - set(ROUTE_NAMES))
    assert not missing, (
        "These routes have no expected answers. Add a row for each to EXPECTED_TABLE in "
        "convene/tests/test_route_access.py (run this module to see the row as observed, and "
        "check every letter):\n" + "\n".join(f"  {name}" for name in missing)
    )
    assert not gone, "These rows name no route any more; remove them:\n" + "\n".join(gone)


@pytest.mark.parametrize("name", ROUTE_NAMES)
def test_each_route_answers_each_persona_as_expected(
    world: Any, name: str, observed_file: Any
) -> None:
    get, post = _observed(world, name)
    if observed_file is not None:
        observed_file.write(_row(name, get, post) + "\n")
    assert name in EXPECTED, f"No row for {name}; as observed:\n{_row(name, get, post)}"
    expected_get, expected_post = EXPECTED[name]
    differences = [
        f"  {method} as {persona}: expected {want!r}, got {got!r}"
        for method, wanted, seen in (("GET", expected_get, get), ("POST", expected_post, post))
        for persona, want, got in zip(PERSONAS, wanted, seen, strict=True)
        if want != got
    ]
    assert not differences, (
        f"{name} answered differently from its row:\n"
        + "\n".join(differences)
        + f"\nexpected: {_row(name, expected_get, expected_post)}"
        + f"\nobserved: {_row(name, get, post)}"
    )
