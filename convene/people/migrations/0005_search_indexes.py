"""Indexes for searching children (issue 16).

On every database: children in name order, so a page of the list reads a page of the index.
On PostgreSQL only: the pg_trgm extension and trigram (GIN) indexes on the upper-cased names a
search matches (`UPPER(name) LIKE UPPER('%word%')`, which is what `icontains` writes), so a
search reads the index instead of every child. SQLite has no such index; there the search reads
the table (see docs/decisions/0027-search-and-streaming.md).
"""

from typing import Any

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

TRIGRAM_INDEXES = {
    "child_first_name_trgm": ("people_child", "first_name"),
    "child_last_name_trgm": ("people_child", "last_name"),
    "household_name_trgm": ("people_household", "name"),
}


def create_trigram_indexes(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (table, column) in TRIGRAM_INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop_trigram_indexes(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRIGRAM_INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0004_agency_housing"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="child",
            index=models.Index(fields=["last_name", "first_name", "id"], name="child_name_order"),
        ),
        # Does nothing on databases other than PostgreSQL.
        TrigramExtension(),
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes, elidable=False),
    ]
