"""Accessibility kept by a machine: every page of the demo, as every role, in Chromium.

The page walk of test_every_page (convene/testing/page_walk.py: the URL map, the demo world
with its samples, the personas) visited by a real browser: each page a persona can open (a
GET answering 200 with HTML, with the first sample of each path parameter) is loaded at 320
CSS pixels wide and checked

* with axe-core (node_modules/axe-core) for any violation of WCAG 2.0, 2.1 and 2.2 at levels
  A and AA;
* for reflow (WCAG 1.4.10): the document is no wider than the window, so nothing scrolls
  sideways on a phone or at 400% zoom.

One browser context per persona (signed in with the walk's session, not the sign-in form, so
the test takes minutes, not an hour); the public pages as a signed-out visitor; the "Page not
found" page once. Like every browser test it is skipped without Chromium, and fails instead
when CONVENE_BROWSER_TESTS=required (CI).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse

from convene.testing.page_walk import (
    DEMO_PERSONAS,
    NOW,
    ROUTES,
    Page,
    World,
    build_world,
    kwarg_sets,
)

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
WIDTH = 320  # WCAG 1.4.10: 1280 CSS pixels at 400% zoom
WCAG_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
# Pages whose GET ends or changes the visitor's session, so not visited with a shared one.
NOT_VISITED = {"access:sign-out", "access:sign-out-everywhere", "core:keep-alive"}

RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.slice(0, 3).map(n => n.target.join(' ')),
  }));
}"""
# What is wider than the window, when the page scrolls sideways: the outermost such elements.
OVERFLOW = """(width) => {
  const all = [...document.body.querySelectorAll('*')];
  const name = (el) => el.tagName.toLowerCase() + (typeof el.className === 'string' &&
    el.className.trim() ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  // Elements wider than the window (the outermost of them) ...
  const wide = [];
  for (const el of all) {
    const right = el.getBoundingClientRect().right;
    if (right > width + 1 && !wide.some(w => w.contains(el))) wide.push(el);
  }
  let shown = wide.map(el => name(el) + ' (' + Math.round(el.getBoundingClientRect().right) +
    'px)');
  // ... else those whose text overflows them (the innermost).
  if (!shown.length) {
    const over = all.filter(el => el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0);
    shown = over.filter(el => !over.some(o => o !== el && el.contains(o)))
      .map(el => name(el) + ' (text overflows)');
  }
  return {scrollWidth: document.documentElement.scrollWidth, wide: shown.slice(0, 3)};
}"""


@dataclass
class Findings:
    axe: dict[tuple[str, str], set[str]] = field(default_factory=dict)  # (page, rule) → who
    reflow: dict[str, set[str]] = field(default_factory=dict)  # page and what is wide → who
    other: list[str] = field(default_factory=list)
    pages: int = 0

    def report(self) -> str:
        lines = [f"{self.pages} pages checked."]
        if self.axe:
            lines.append(f"{len(self.axe)} accessibility violations (axe-core, WCAG 2.2 A/AA):")
            lines += [
                f"  {page}: {rule} as {', '.join(sorted(who))}"
                for (page, rule), who in sorted(self.axe.items())
            ]
        if self.reflow:
            lines.append(f"{len(self.reflow)} pages scroll sideways at {WIDTH}px:")
            lines += [
                f"  {what} as {', '.join(sorted(who))}" for what, who in sorted(self.reflow.items())
            ]
        lines += self.other
        return "\n".join(lines)

    @property
    def clean(self) -> bool:
        return not (self.axe or self.reflow or self.other)


def _first_url(route: Page, world: World) -> str:
    return reverse(route.name, kwargs=kwarg_sets(route, world)[0])


def _opens(client: Client, url: str) -> bool:
    """The page answers this person with HTML (not a redirect, a refusal or a download)."""
    response = client.get(url)
    return response.status_code == 200 and "text/html" in response.get("Content-Type", "")


def _check(page: Any, url: str, label: str, who: str, found: Findings) -> None:
    response = page.goto(url)
    if response is None or response.status != 200:
        found.other.append(f"  {label}: {response.status if response else 'no response'} as {who}")
        return
    if page.url.split("?")[0].endswith(reverse("access:sign-in")) and who != "anonymous":
        found.other.append(f"  {label}: sent to sign in as {who}")
        return
    found.pages += 1
    for violation in page.evaluate(RUN_AXE, WCAG_A_AA):
        key = (label, f"{violation['id']} ({violation['help']}: {'; '.join(violation['targets'])})")
        found.axe.setdefault(key, set()).add(who)
    overflow = page.evaluate(OVERFLOW, WIDTH)
    if overflow["scrollWidth"] > WIDTH:
        what = f"{label}: {overflow['scrollWidth']}px wide ({', '.join(overflow['wide'])})"
        found.reflow.setdefault(what, set()).add(who)


def _context(browser: Any, base_url: str, session: str | None) -> Any:
    # bypass_csp: axe-core is injected as a script the pages' Content Security Policy would
    # (rightly) refuse.
    context = browser.new_context(
        base_url=base_url, viewport={"width": WIDTH, "height": 640}, bypass_csp=True
    )
    context.set_default_timeout(20_000)
    context.add_init_script(path=str(AXE))
    if session:
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}]
        )
    return context


def test_every_page_has_no_accessibility_violation_and_reflows_at_320px(
    browser: Any, live_server: Any
) -> None:
    assert AXE.exists(), f"axe-core is not installed ({AXE}): run make install"
    with time_machine.travel(NOW, tick=False):
        world = build_world()
    found = Findings()
    pages = [route for route in ROUTES if route.name not in NOT_VISITED]

    anonymous = _context(browser, live_server.url, None)
    page = anonymous.new_page()
    for route in pages:
        if route.public:
            url = _first_url(route, world)
            if _opens(Client(), url):
                _check(page, url, route.name, "anonymous", found)
    anonymous.close()

    for persona in DEMO_PERSONAS:
        client = world.clients[persona]
        client.force_login(world.users[persona])  # a session of today, not the world's day
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        context = _context(browser, live_server.url, session)
        page = context.new_page()
        for route in pages:
            if route.public:
                continue
            url = _first_url(route, world)
            if _opens(client, url):
                _check(page, url, route.name, persona, found)
        if persona == "administrator":
            response = page.goto("/no-such-page/")
            assert response is not None and response.status == 404
            _check_not_found(page, found)
        context.close()

    assert found.pages > 100, found.report()
    assert found.clean, found.report()


def _check_not_found(page: Any, found: Findings) -> None:
    """The "Page not found" page, already loaded (a 404, so not through _check)."""
    found.pages += 1
    for violation in page.evaluate(RUN_AXE, WCAG_A_AA):
        found.axe.setdefault(("404", violation["id"]), set()).add("administrator")
    if page.evaluate(OVERFLOW, WIDTH)["scrollWidth"] > WIDTH:
        found.reflow.setdefault("404", set()).add("administrator")


def test_the_checks_find_what_they_look_for(browser: Any, live_server: Any) -> None:
    """The checker itself: an image without a text alternative and a page wider than the
    window are both found."""
    context = _context(browser, live_server.url, None)
    page = context.new_page()
    page.goto(reverse("core:accessibility"))
    page.set_content(
        '<!doctype html><html lang="en"><head><title>Test</title></head><body><main>'
        '<h1>Test</h1><img src="x.png"><div id="wide">x</div></main></body></html>'
    )
    page.add_script_tag(path=str(AXE))
    page.locator("#wide").evaluate("el => { el.style.width = '500px'; }")
    violations = page.evaluate(RUN_AXE, WCAG_A_AA)
    overflow = page.evaluate(OVERFLOW, WIDTH)
    context.close()
    assert "image-alt" in {v["id"] for v in violations}
    assert overflow["scrollWidth"] == 500 + 8 and overflow["wide"] == ["div (508px)"]
