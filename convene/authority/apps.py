from django.apps import AppConfig


class AuthorityConfig(AppConfig):
    name = "convene.authority"
    verbose_name = "The authority's own procedures: profile, calendar and closure days"
