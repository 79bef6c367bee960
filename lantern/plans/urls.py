from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("child/<int:child_id>/", views.plan, name="plan"),
    path("child/<int:child_id>/edit/", views.edit_plan, name="edit"),
    path("child/<int:child_id>/activate/", views.activate, name="activate"),
    path("child/<int:child_id>/history/", views.history, name="history"),
    path("child/<int:child_id>/actions/new/", views.add_action, name="add_action"),
    path("child/<int:child_id>/contingencies/new/", views.add_contingency, name="add_contingency"),
    path("child/<int:child_id>/cover/new/", views.add_cover, name="add_cover"),
    path("child/<int:child_id>/linked/new/", views.link_plan, name="link_plan"),
    path("child/<int:child_id>/services/new/", views.refer_to_service, name="refer_to_service"),
    path("child/<int:child_id>/review/", views.review, name="review"),
    path("child/<int:child_id>/end/", views.end_plan, name="end"),
    path("actions/<int:action_id>/edit/", views.edit_action, name="edit_action"),
    path("actions/<int:action_id>/finish/", views.finish_action, name="finish_action"),
    path("linked/<int:linked_id>/end/", views.end_linked_plan, name="end_linked_plan"),
    path("services/<int:service_id>/", views.update_service, name="update_service"),
]
