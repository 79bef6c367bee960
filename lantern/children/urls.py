from django.urls import path

from . import views

app_name = "children"

urlpatterns = [
    path("", views.search, name="search"),
    path("add/", views.register, name="register"),
    path("emergency-access/", views.break_glass, name="break_glass"),
    path("emergency-access/report/", views.break_glass_report, name="break_glass_report"),
    path("emergency-access/<int:grant_id>/review/", views.review_break_glass, name="review_break_glass"),
    path("<int:child_id>/", views.detail, name="detail"),
    path("<int:child_id>/history/", views.history, name="history"),
    path("<int:child_id>/access-log/", views.access_log, name="access_log"),
    path("<int:child_id>/edit/", views.edit, name="edit"),
    path("<int:child_id>/identifiers/add/", views.add_identifier, name="add_identifier"),
    path("<int:child_id>/identifiers/<int:identifier_id>/end/", views.end_identifier, name="end_identifier"),
    path("<int:child_id>/involvements/add/", views.add_involvement, name="add_involvement"),
    path("<int:child_id>/involvements/<int:involvement_id>/end/", views.end_involvement, name="end_involvement"),
    path("<int:child_id>/involvements/<int:involvement_id>/lead/", views.make_lead, name="make_lead"),
]
