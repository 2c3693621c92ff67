from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "convene.people"
    verbose_name = "Children, families, agencies and professionals"
