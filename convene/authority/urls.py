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
    path("authority/letters/", views.letters_settings, name="letters"),
    path("authority/letters/template.docx", views.default_word_template, name="letters-template"),
    path("authority/glossary/", views.glossary, name="glossary"),
    path("authority/glossary/<id:pk>/remove/", views.glossary_remove, name="glossary-remove"),
]
