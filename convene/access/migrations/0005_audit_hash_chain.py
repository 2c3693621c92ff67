"""The audit trail becomes tamper-evident (docs/decisions/0018-tamper-evident-audit.md): every
row gets its place in a hash chain, and pgtrigger's protection, which `SET pgtrigger.ignore`
switches off, gives way to triggers that honour no session setting, TRUNCATE included."""

import pgtrigger.migrations
from django.db import migrations, models

from convene.access import chain


def chain_existing_rows(apps, schema_editor):
    AuditEvent = apps.get_model("access", "AuditEvent")
    previous = chain.GENESIS
    fields = [name for name in chain.HASHED_FIELDS if name != "prev_hash"]
    for row in AuditEvent.objects.order_by("id").values("id", *fields).iterator():
        row["prev_hash"] = previous
        digest = chain.row_hash(row)
        AuditEvent.objects.filter(pk=row["id"]).update(prev_hash=previous, hash=digest)
        previous = digest


def protect(apps, schema_editor):
    chain.install_protection(schema_editor.connection)


def unprotect(apps, schema_editor):
    chain.remove_protection(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0004_minute_taker_role"),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(
            model_name="auditevent",
            name="audit_event_append_only",
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(chain_existing_rows, migrations.RunPython.noop),
        migrations.RunPython(protect, unprotect),
    ]
