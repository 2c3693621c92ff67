"""Work out again what the national indicators keep stored (decision 0032): each plan's last
day reviewed on time and each section 47 enquiry's last day for the initial conference.

manage.py indicator_facts          put right every stored value out of step
manage.py indicator_facts --check  only count them; exits with an error if any are

The services keep these current as they change; run it after a release that changes the bank
holidays, or after changing records outside Convene's services.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from convene.returns.indicator_facts import indicator_facts_refresh


class Command(BaseCommand):
    help = "Work out again the plans' and enquiries' stored indicator dates (or --check them)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check", action="store_true", help="only count what is out of step; change nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        check = options["check"]
        with transaction.atomic():
            found = indicator_facts_refresh(write=not check)
        words = (
            f"{found.plans:,} plan{'s' if found.plans != 1 else ''}, {found.enquiries:,} "
            f"section 47 enquir{'ies' if found.enquiries != 1 else 'y'} and "
            f"{found.conference_children:,} "
            f"child{'ren' if found.conference_children != 1 else ''} at conferences"
        )
        if check and (found.plans or found.enquiries or found.conference_children):
            raise CommandError(f"Out of step: {words}. Run manage.py indicator_facts.")
        self.stdout.write(f"{'Out of step' if check else 'Put right'}: {words}.")
