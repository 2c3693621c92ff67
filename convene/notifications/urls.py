from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("operations/messages/", views.operations, name="operations"),
    path("operations/messages/send-again/", views.send_again, name="send-again"),
    path("notifications/callback/", views.delivery_receipt, name="callback"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
]
