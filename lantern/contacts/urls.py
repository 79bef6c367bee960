from django.urls import path

from . import views

app_name = "contacts"

urlpatterns = [
    path("child/<int:child_id>/", views.child_contacts, name="child"),
    path("child/<int:child_id>/new/", views.record_contact, name="record"),
    path("child/<int:child_id>/supervision/", views.supervision, name="supervision"),
    path("child/<int:child_id>/supervision/new/", views.record_supervision, name="record_supervision"),
]
