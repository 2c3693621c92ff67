from django.urls import URLPattern, path

from .views import contributions, convening, exclusions, invitations, meeting, overview, reports

app_name = "conferences"

urlpatterns: list[URLPattern] = [
    path("conferences/<id:pk>/", overview.detail, name="detail"),
    *convening.urlpatterns,
    *invitations.urlpatterns,
    *reports.urlpatterns,
    *contributions.urlpatterns,
    *exclusions.urlpatterns,
    *meeting.urlpatterns,
]
