# A nullable column: SQLite adds it in place, so the triggers of 0002 stay as they are.
# Filled by referrals 0003_indicator_facts_fill (decision 0032).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0004_plan_life"),
    ]

    operations = [
        migrations.AddField(
            model_name="plan",
            name="reviews_on_time_until",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="plan",
            name="later_plan",
            field=models.BooleanField(blank=True, editable=False, null=True),
        ),
    ]
