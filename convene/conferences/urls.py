from django.urls import URLPattern, path

from .views import convening, invitations, meeting, overview, reports

app_name = "conferences"

urlpatterns: list[URLPattern] = [
    path("conferences/<id:pk>/", overview.detail, name="detail"),
    *convening.urlpatterns,
    *invitations.urlpatterns,
    *reports.urlpatterns,
    *meeting.urlpatterns,
]
