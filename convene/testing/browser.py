"""Browser tests: Playwright driving Debian's Chromium (headless), one fresh sign-in for each
person, a numbered full-page screenshot of each step, and the DfE census validator.

Without Chromium or the playwright package a browser test is skipped, unless
CONVENE_BROWSER_TESTS=required (as in CI), when it fails instead. The census check runs the
validator named by CONVENE_CIN_VALIDATOR (CI installs it in .venv-cin); where CI requires the
browser tests, it requires the validator too. The fixtures are in convene/conftest.py.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import connections
from django.urls import reverse

from convene.access.models import User
from convene.people.demo import DEMO_PASSWORD, demo_totp_code

CHROMIUM = os.environ.get("CONVENE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
ARTEFACTS = Path(settings.BASE_DIR) / "var" / "test-artefacts" / "browser"
LONDON = ZoneInfo("Europe/London")
CIN_VALIDATOR = os.environ.get("CONVENE_CIN_VALIDATOR", "")
REQUIRED = os.environ.get("CONVENE_BROWSER_TESTS") == "required"


def _why_no_browser() -> str | None:
    if importlib.util.find_spec("playwright") is None:
        return "the playwright package is not installed (make install)"
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        return f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    return None


def chromium(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    why = _why_no_browser()
    if why is not None:
        if REQUIRED:
            pytest.fail(f"The browser test is required here, but {why}")
        pytest.skip(f"Browser test skipped: {why}")
    # Playwright's sync API runs an event loop in this thread; the test's own database reads
    # between steps are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()
            # Inside Playwright's sync API the test's database reads get a connection of
            # their own (a context of its own); close it, or PostgreSQL cannot drop the
            # test database at the end of the run.
            connections.close_all()


def screenshot_folder(name: str) -> Path:
    """A folder of its own for one test's screenshots, emptied first."""
    folder = ARTEFACTS / name
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    return folder


class Journey:
    """One browser, a fresh context (so a fresh sign-in) for each person."""

    def __init__(self, browser: Any, base_url: str, folder: Path) -> None:
        self.browser = browser
        self.base_url = base_url
        self.folder = folder
        self.step = 0
        self.context: Any = None
        self.page: Any = None
        self._kept: list[Any] = []  # contexts left open by `alongside`, closed at the end

    def sign_in(self, user: User, *, alongside: bool = False) -> Any:
        """A fresh context, signed in as this person with the demo's password. With
        `alongside`, the previous person's context stays open too (two people at once, each
        with the page they had: keep it to go back to them)."""
        if self.context is not None:
            if alongside:
                self._kept.append(self.context)
            else:
                self.context.close()
        self.context = self.browser.new_context(
            base_url=self.base_url, viewport={"width": 1200, "height": 900}
        )
        self.context.set_default_timeout(10_000)
        page = self.context.new_page()
        page.goto(reverse("access:sign-in"))
        page.get_by_label("Email address").fill(user.email)
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        # The second factor: the code the demo's shared authenticator key shows now.
        page.get_by_role("heading", name="Enter the code from your authenticator app").wait_for()
        for _ in range(2):
            page.get_by_label("Code").fill(demo_totp_code())
            page.get_by_role("button", name="Continue").click()
            page.wait_for_load_state()
            if not page.get_by_text("The code is not right").count():
                break
            # A code is used once: the same person signing in again waits for the next one.
            time.sleep(30.5 - time.time() % 30)
        assert page.get_by_text(f"Signed in as {user.get_full_name()}").is_visible()
        self.page = page
        return page

    def shot(self, name: str) -> None:
        self.step += 1
        self.page.screenshot(path=self.folder / f"{self.step:02d}-{name}.png", full_page=True)

    def heading(self) -> str:
        return str(self.page.locator("h1").inner_text()).strip()

    def banner(self) -> str:
        return str(self.page.locator(".govuk-notification-banner__heading").inner_text()).strip()

    def summary(self, key: str) -> str:
        """The value in the first summary-list row with this key, as the page shows it."""
        row = self.page.locator(".govuk-summary-list__row").filter(
            has=self.page.locator("dt", has_text=re.compile(f"^{re.escape(key)}$"))
        )
        return str(row.first.locator("dd").first.inner_text()).strip()

    def fill_date(self, legend: str, day: date) -> None:
        group = self.page.get_by_role("group", name=legend)
        group.get_by_label("Day").fill(str(day.day))
        group.get_by_label("Month").fill(str(day.month))
        group.get_by_label("Year").fill(str(day.year))

    def choose(self, question: str | re.Pattern[str], answer: str) -> None:
        self.page.get_by_role("group", name=question).get_by_label(answer, exact=True).check()

    def close(self) -> None:
        for context in [*self._kept, self.context]:
            if context is not None:
                context.close()


def validate_census(xml: Path, *, ruleset: str, min_plans: int) -> None:
    """The DfE validator's child protection rules pass on this census file."""
    if not CIN_VALIDATOR:
        if REQUIRED:
            pytest.fail("The browser test is required here, but CONVENE_CIN_VALIDATOR is not set")
        return
    checked = subprocess.run(
        [
            CIN_VALIDATOR,
            str(Path(settings.BASE_DIR) / ".ci" / "validate_cin.py"),
            str(xml),
            "--ruleset",
            ruleset,
            "--min-plans",
            str(min_plans),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
