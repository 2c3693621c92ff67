# The stored indicator facts (decision 0032; the columns are plans 0005 and referrals 0002) for
# the records already held, worked out by the same functions the services use, on the
# historical models.

from django.db import migrations


def fill(apps, schema_editor):  # type: ignore[no-untyped-def]
    from convene.returns.indicator_facts import (
        conference_children_refresh,
        enquiries_refresh,
        plans_refresh,
    )
    from convene.timescales import Nation, calendar_for

    settings = apps.get_model("authority", "AuthoritySettings").objects.first()
    closures = apps.get_model("authority", "ClosureDay").objects.values_list("day", flat=True)
    calendar = calendar_for(
        settings.nation if settings is not None else Nation.ENGLAND_AND_WALES, closures=closures
    )
    plans_refresh(
        apps.get_model("plans", "Plan").objects.all(),
        reviews=apps.get_model("plans", "PlanReview").objects.all(),
    )
    enquiries_refresh(
        apps.get_model("referrals", "Section47Enquiry").objects.all(), calendar=calendar
    )
    conference_children_refresh(apps.get_model("conferences", "ConferenceChild").objects.all())


class Migration(migrations.Migration):
    dependencies = [
        ("authority", "0005_complaints_email"),
        ("conferences", "0012_held_initial_conference_date"),
        ("plans", "0005_indicator_facts"),
        ("referrals", "0002_indicator_facts"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
