from django.urls import URLPattern, path

from . import performance_views, worklist_views

app_name = "returns"

urlpatterns: list[URLPattern] = [
    path("work-list/", worklist_views.work_list_page, name="work-list"),
    path("performance/", performance_views.performance, name="performance"),
    path(
        "performance/<str:year>/<str:indicator>/<str:side>/",
        performance_views.performance_children,
        name="performance-children",
    ),
]
