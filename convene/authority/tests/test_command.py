import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from convene.authority.models import AuthoritySettings, ClosureDay

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("timescales", *args, stdout=out)
    return out.getvalue()


def test_it_prints_the_deadline_and_its_explanation():
    out = run("--profile", "london", "--from", "strategy_discussion=2026-11-02")
    assert "Mon 23 Nov 2026" in out
    assert "15 working days after the strategy discussion (London CP4 §1.7)" in out


def test_it_prints_every_deadline_that_follows_from_several_events():
    out = run(
        "--profile", "cornwall",
        "--from", "initial_conference=2026-11-25",
        "--from", "birth=2026-12-01",
    )  # fmt: skip
    for key in ("reports_to_parents_initial", "decision_letter", "record", "post_birth_review"):
        assert key in out
    # Cornwall sends the record in 15 working days: Wednesday 16 December.
    assert "Wed 16 Dec 2026  record " in out


def test_without_a_profile_it_uses_the_authoritys_choices_and_closure_days():
    AuthoritySettings.objects.create(profile="register", nation="northern-ireland")
    ClosureDay.objects.create(day=date(2026, 11, 20), description="Office move")
    data = json.loads(run("--from", "strategy_discussion=2026-11-02", "--json"))
    assert (data["profile"], data["nation"]) == ("register", "northern-ireland")
    assert data["deadlines"][0]["key"] == "icpc"
    assert data["deadlines"][0]["due"] == "2026-11-24"


def test_a_nation_can_be_chosen_for_a_shipped_profile():
    out = run(
        "--profile", "london", "--nation", "scotland", "--from", "strategy_discussion=2026-11-16"
    )
    # St Andrew's Day, Monday 30 November, is not a working day in Scotland.
    assert "Tue 08 Dec 2026" in out


def test_without_events_it_lists_the_rules():
    out = run("--profile", "medway")
    assert "reports_to_chair_review" in out
    assert "3 working days before the review conference (Medway" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--profile", "atlantis"], "The profiles are: cornwall, derbyshire"),
        (
            ["--profile", "london", "--from", "tea=2026-11-02"],
            "The events are: strategy_discussion",
        ),
        (["--profile", "london", "--from", "birth=2/11/2026"], "year-month-day"),
        (["--profile", "london", "--from", "birth"], "year-month-day"),
        (["--profile", "london", "--nation", "wales"], "No nation called 'wales'"),
    ],
)
def test_bad_arguments_get_a_clear_message(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
