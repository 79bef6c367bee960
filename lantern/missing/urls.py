from django.urls import path

from . import views

app_name = "missing"

urlpatterns = [
    path("", views.episode_list, name="list"),
    path("child/<int:child_id>/new/", views.record_episode, name="record_episode"),
    path("exchange/", views.exchange, name="exchange"),
    path("exchange/import/", views.import_ssda903, name="import_ssda903"),
    path("exchange/ssda903-missing/", views.export_ssda903, name="export_ssda903"),
    path("exchange/annex-a-list-8/", views.export_annex_a, name="export_annex_a"),
    path("<int:episode_id>/", views.detail, name="detail"),
    path("<int:episode_id>/return/", views.record_return, name="record_return"),
    path("<int:episode_id>/interview/offer/", views.offer_interview, name="offer_interview"),
    path("<int:episode_id>/interview/", views.record_interview, name="record_interview"),
    path("<int:episode_id>/interview/not-held/", views.interview_not_held, name="interview_not_held"),
]
