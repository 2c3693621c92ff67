# A year's held initial conferences for the national indicator (decision 0030).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("conferences", "0011_legal_representatives"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="conference",
            index=models.Index(
                condition=models.Q(("status", "held"), ("type__in", ("initial", "pre_birth"))),
                fields=["date"],
                name="held_initial_conference_date",
            ),
        ),
    ]
