from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "convene.returns"
    verbose_name = "Imports, statutory returns and indicators"

    def ready(self) -> None:
        from . import deadline_store

        deadline_store.connect()
