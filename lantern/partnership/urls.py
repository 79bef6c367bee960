from django.urls import path

from . import views

app_name = "partnership"

urlpatterns = [
    path("", views.agencies, name="agencies"),
    path("agencies/<int:agency_id>/", views.agency, name="agency"),
    path("roles/<int:membership_id>/end/", views.end_membership, name="end_membership"),
]
