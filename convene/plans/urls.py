"""A child protection plan's pages, one folder per part of its life: the plan itself, its core
group meetings, its reviews, and its ending."""

from django.urls import URLPattern

from convene.plans.core_groups import views as core_groups
from convene.plans.ending import views as ending
from convene.plans.plan_page import views as plan_page
from convene.plans.reviews import views as reviews

app_name = "plans"

urlpatterns: list[URLPattern] = [
    *plan_page.urlpatterns,
    *core_groups.urlpatterns,
    *reviews.urlpatterns,
    *ending.urlpatterns,
]
