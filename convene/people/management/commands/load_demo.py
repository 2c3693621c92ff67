from typing import Any

from django.core.management.base import BaseCommand

from convene.core.clock import today
from convene.people.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the fictional demo data set once, then print the demo sign-ins."

    def handle(self, *args: Any, **options: Any) -> None:
        summary = load_demo(today=today())
        if summary.loaded:
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        else:
            self.stdout.write("Demo data is already loaded.")
        self.stdout.write(f"\nDemo sign-ins (every password is {DEMO_PASSWORD}):\n")
        for user in summary.users:
            roles = ", ".join(role.label for role in user.roles)
            self.stdout.write(f"  {user.email:<34} {roles}")
        self.stdout.write("\nOpen http://127.0.0.1:8000 and sign in with one of them.\n")
