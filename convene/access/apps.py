from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "convene.access"
    verbose_name = "Sign-in, roles, access policy and audit"
