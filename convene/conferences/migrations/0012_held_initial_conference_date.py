# A year's held initial conferences for the national indicator, and each child's copy of the
# enquiry's due date (decision 0032; filled by referrals 0003_indicator_facts_fill).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("conferences", "0011_legal_representatives"),
    ]

    operations = [
        migrations.AddField(
            model_name="conferencechild",
            name="icpc_indicator_due",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name="conference",
            index=models.Index(
                condition=models.Q(("status", "held"), ("type__in", ("initial", "pre_birth"))),
                fields=["date"],
                name="held_initial_conference_date",
            ),
        ),
    ]
