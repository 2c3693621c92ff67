from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "convene.notifications"
    verbose_name = "Notifications (e-mails and letters)"
