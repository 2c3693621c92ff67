from django.urls import include, path

import convene.core.converters  # noqa: F401  (registers <id:…>)

urlpatterns = [
    path("", include("convene.core.urls")),
    path("", include("convene.access.urls")),
    path("children/", include("convene.people.urls")),
    path("", include("convene.authority.urls")),
    path("", include("convene.returns.urls")),
    path("", include("convene.conferences.urls")),
    path("", include("convene.plans.urls")),
    path("", include("convene.notifications.urls")),
    path("", include("convene.register.urls")),
    path("", include("convene.challenge.urls")),
    path("", include("convene.retention.urls")),
    path("", include("convene.breakglass.urls")),
]

handler404 = "convene.core.errors.not_found"
handler403 = "convene.core.errors.forbidden"
handler500 = "convene.core.errors.server_error"
