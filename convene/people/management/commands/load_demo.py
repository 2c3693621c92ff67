from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from convene.core.clock import today
from convene.people.demo import DEMO_PASSWORD, DEMO_TOTP_KEY, load_demo


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"--today {text!r}: write the date as year-month-day, for example 2026-04-14"
        ) from None


class Command(BaseCommand):
    help = "Load the fictional demo data set once, then print the demo sign-ins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today",
            help="date the demo's history as if today were this day, e.g. 2026-04-14 "
            "(default: today)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        summary = load_demo(today=_day(options["today"]) if options["today"] else today())
        if summary.loaded:
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        else:
            self.stdout.write("Demo data is already loaded.")
        self.stdout.write(f"\nDemo sign-ins (every password is {DEMO_PASSWORD}):\n")
        for user in summary.users:
            roles = ", ".join(role.label for role in user.roles)
            self.stdout.write(f"  {user.email:<34} {roles}")
        self.stdout.write(
            f"\nEvery demo account's authenticator app has the key {DEMO_TOTP_KEY}: add it to "
            "an authenticator app (or run `oathtool --totp -b KEY`) for the code asked for "
            "after the password.\n"
        )
        self.stdout.write("\nSign in with one of them (make run prints the address it serves).\n")
