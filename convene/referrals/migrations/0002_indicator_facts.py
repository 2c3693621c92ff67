# Filled by referrals 0003_indicator_facts_fill (decision 0032).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="section47enquiry",
            name="icpc_indicator_due",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
    ]
