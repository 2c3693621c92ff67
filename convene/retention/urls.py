from django.urls import path

from . import views

app_name = "retention"

urlpatterns = [
    path("authority/retention/", views.schedule, name="schedule"),
    path("authority/retention/holds/", views.holds, name="holds"),
    path("authority/retention/holds/<id:pk>/lift/", views.hold_lift, name="hold-lift"),
]
