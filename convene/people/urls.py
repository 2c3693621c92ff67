from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("", views.child_list, name="child-list"),
    path("<id:pk>/", views.child_detail, name="child-detail"),
    path("<id:pk>/social-worker/", views.child_allocate, name="child-allocate"),
]
