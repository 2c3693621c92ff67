from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ReturnsConfig(AppConfig):
    name = "convene.returns"
    verbose_name = "Imports, statutory returns and indicators"

    def ready(self) -> None:
        from . import deadline_store

        deadline_store.connect()
        post_migrate.connect(deadline_store.fill_after_migrating, sender=self)
