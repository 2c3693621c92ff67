"""The jargon a family's letter must explain or avoid (issue 12), as a start the authority
edits on the glossary page."""

from django.db import migrations

TERMS = [
    ("s47", "the enquiry children's services make when they think a child may be at risk", False),
    ("section 47", "the enquiry children's services make when a child may be at risk", False),
    ("ICPC", "the first child protection conference", False),
    ("RCPC", "the review child protection conference", False),
    ("CIN", "child in need", False),
    ("CP", "child protection", False),
    ("LAC", "a child in care", True),
    ("SUDI", "a baby dying suddenly and without warning", False),
    ("EPO", "an emergency protection order", False),
    ("PLO", "the public law outline: the steps before the council goes to court", False),
    ("IRO", "independent reviewing officer", False),
    ("core group", "the small group of people who meet to make the plan work", False),
    ("threshold", "the point at which the council must act to keep a child safe", True),
]


def add_terms(apps, schema_editor):
    GlossaryTerm = apps.get_model("authority", "GlossaryTerm")
    for term, meaning, avoid in TERMS:
        GlossaryTerm.objects.get_or_create(term=term, defaults={"meaning": meaning, "avoid": avoid})


class Migration(migrations.Migration):
    dependencies = [("authority", "0003_letters_and_glossary")]

    operations = [migrations.RunPython(add_terms, migrations.RunPython.noop)]
