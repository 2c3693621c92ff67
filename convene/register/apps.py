from django.apps import AppConfig


class RegisterConfig(AppConfig):
    name = "convene.register"
    verbose_name = "Children subject to a plan, and enquiries"
