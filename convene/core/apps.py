from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "convene.core"
    verbose_name = "Pages, layout and forms shared by every part of the service"
