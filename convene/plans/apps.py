from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "convene.plans"
    verbose_name = "Child protection plans, reviews and visits"
