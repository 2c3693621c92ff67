from django.urls import path

from . import views

app_name = "authority"

urlpatterns = [
    path("timescales/", views.timescales, name="timescales"),
    path("authority/procedures/", views.settings_edit, name="settings"),
    path("authority/closure-days/", views.closure_days, name="closure-days"),
    path(
        "authority/closure-days/<id:pk>/remove/",
        views.closure_day_remove,
        name="closure-day-remove",
    ),
]
