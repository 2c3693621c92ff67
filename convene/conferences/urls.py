from django.urls import URLPattern, path

from convene.conferences import overview
from convene.conferences.contributions import views as contributions
from convene.conferences.convening import views as convening
from convene.conferences.decision import views as decision
from convene.conferences.diary import views as diary
from convene.conferences.exclusions import views as exclusions
from convene.conferences.invitations import professional_views
from convene.conferences.invitations import views as invitations
from convene.conferences.letters import views as letters
from convene.conferences.meeting import views as meeting
from convene.conferences.record import views as record
from convene.conferences.reports import views as reports
from convene.conferences.yours import views as yours

app_name = "conferences"

urlpatterns: list[URLPattern] = [
    path("conferences/<id:pk>/", overview.detail, name="detail"),
    *convening.urlpatterns,
    *invitations.urlpatterns,
    *professional_views.urlpatterns,
    *reports.urlpatterns,
    *contributions.urlpatterns,
    *exclusions.urlpatterns,
    *meeting.urlpatterns,
    *decision.urlpatterns,
    *letters.urlpatterns,
    *record.urlpatterns,
    *yours.urlpatterns,
    *diary.urlpatterns,
]
