from django.apps import AppConfig


class ConferencesConfig(AppConfig):
    name = "convene.conferences"
    verbose_name = "Child protection conferences"
