from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "convene.retention"
    verbose_name = "Retention of records"
