"""The only place the web layer asks what day it is. Rules take the date as an argument."""

from datetime import date, datetime

from django.utils import timezone


def today() -> date:
    """Today's date in the service's time zone (Europe/London)."""
    return timezone.localdate()


def now() -> datetime:
    """The current moment (aware), for the pages that pass the time to a rule or the policy."""
    return timezone.now()
