from django.urls import path

from . import views

app_name = "education"

urlpatterns = [
    path("", views.at_risk_list, name="list"),
    path("child/<int:child_id>/", views.child_record, name="child"),
    path("child/<int:child_id>/provision/", views.record_provision, name="record_provision"),
    path("child/<int:child_id>/attendance/", views.record_attendance, name="record_attendance"),
    path("child/<int:child_id>/absence/", views.record_absence, name="record_absence"),
    path("child/<int:child_id>/part-time-timetable/", views.start_timetable, name="start_timetable"),
    path("child/<int:child_id>/exclusion/", views.record_exclusion, name="record_exclusion"),
    path("child/<int:child_id>/missing-education/", views.report_missing_education, name="report_missing_education"),
    path("part-time-timetable/<int:timetable_id>/review/", views.review_timetable, name="review_timetable"),
    path("part-time-timetable/<int:timetable_id>/end/", views.end_timetable, name="end_timetable"),
    path("missing-education/<int:cme_report_id>/resolve/", views.resolve_missing_education, name="resolve_missing_education"),
]
