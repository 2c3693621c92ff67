from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "convene.referrals"
    verbose_name = "Children in need episodes and section 47 enquiries"
