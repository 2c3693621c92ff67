"""Print the deadlines that follow from some events, each with the rule and its source.

    manage.py timescales --profile london --from strategy_discussion=2026-11-02
    manage.py timescales --from initial_conference=2026-11-25 --json

Without --profile it uses the authority's chosen procedures, bank holidays and closure days;
without --from it lists the rules.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from convene.authority.selectors import authority_procedures
from convene.timescales import (
    Event,
    Profile,
    Timescale,
    UnknownProfile,
    calendar_for,
    get_profile,
)


def _event(text: str) -> tuple[Event, date]:
    name, _, when = text.partition("=")
    try:
        event = Event(name.strip())
    except ValueError:
        names = ", ".join(e.value for e in Event)
        raise CommandError(f"No event called {name!r}. The events are: {names}.") from None
    try:
        return event, date.fromisoformat(when.strip())
    except ValueError:
        raise CommandError(
            f"{text!r}: write the date as year-month-day, for example {name}=2026-11-02"
        ) from None


class Command(BaseCommand):
    help = "Print the deadlines that follow from the given events, with their explanations."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--profile", help="a shipped profile (default: the authority's)")
        parser.add_argument(
            "--nation", help="count working days in england-and-wales, scotland or northern-ireland"
        )
        parser.add_argument(
            "--from",
            dest="events",
            action="append",
            default=[],
            metavar="EVENT=DATE",
            help="an event and its date, e.g. strategy_discussion=2026-11-02 (repeatable)",
        )
        parser.add_argument("--json", action="store_true", help="print JSON for other programs")

    def handle(self, *args: Any, **options: Any) -> None:
        events = dict(_event(text) for text in options["events"])
        profile = self._profile(options["profile"], options["nation"])
        if events:
            rows: list[tuple[Timescale, date | None]] = list(profile.deadlines(events))
        else:
            rows = [(t, None) for t in profile]
        if options["json"]:
            self.stdout.write(json.dumps(self._json(profile, rows), indent=2))
            return
        self.stdout.write(
            f"{profile.title}, working days in {profile.calendar.nation.label}"
            + (
                f" less {len(profile.calendar.closures)} closure days"
                if profile.calendar.closures
                else ""
            )
        )
        if events and not rows:
            self.stdout.write("No timescale counts from those events.")
        for timescale, due in rows:
            when = f"{due:%a %d %b %Y}  " if due else ""
            self.stdout.write(f"  {when}{timescale.key:<40} {timescale.explain()}")

    def _profile(self, name: str | None, nation: str | None) -> Profile:
        try:
            profile = get_profile(name) if name else authority_procedures()
            if nation:
                profile = profile.with_calendar(
                    calendar_for(nation, closures=profile.calendar.closures)
                )
        except (UnknownProfile, ValueError) as error:
            raise CommandError(str(error)) from None
        return profile

    def _json(self, profile: Profile, rows: list[tuple[Timescale, date | None]]) -> dict[str, Any]:
        return {
            "profile": profile.name,
            "nation": profile.calendar.nation.value,
            "deadlines": [
                {
                    "key": t.key,
                    "title": t.title,
                    "due": due.isoformat() if due else None,
                    "counts_from": t.counts_from.value,
                    "amount": t.amount,
                    "unit": t.unit.value,
                    "direction": t.direction.value,
                    "explanation": t.explain(),
                    "plain": t.plain,
                    "source": {"seed": t.source.seed, "paragraph": t.source.paragraph},
                    "inherited_from": t.inherited_from,
                }
                for t, due in rows
            ],
        }
