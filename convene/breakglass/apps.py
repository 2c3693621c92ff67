from django.apps import AppConfig


class BreakglassConfig(AppConfig):
    name = "convene.breakglass"
    verbose_name = "Emergency (break-glass) access to children's records"
