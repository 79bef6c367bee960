from django.urls import path

from . import views

app_name = "transitions"

urlpatterns = [
    path("", views.young_people, name="list"),
    path("child/<int:child_id>/", views.child_record, name="child"),
    path("child/<int:child_id>/plan/", views.plan, name="plan"),
    path("child/<int:child_id>/placement/", views.record_placement, name="record_placement"),
    path("placement/<int:placement_id>/information/", views.record_information, name="record_information"),
    path("placement/<int:placement_id>/end/", views.end_placement, name="end_placement"),
]
