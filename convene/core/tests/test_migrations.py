"""Every model change has its migration: a fresh database built from the migrations matches
the models (a missing one would only show on the next `makemigrations`)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_is_without_its_migration():
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as missing:
        pytest.fail(f"A migration is missing:\n{out.getvalue()}", pytrace=False)
        raise AssertionError from missing
