from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "convene.reminders"
    verbose_name = "Daily reminders"
