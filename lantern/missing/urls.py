from django.urls import path

from . import views

app_name = "missing"

urlpatterns = [
    path("", views.episode_list, name="list"),
    path("child/<int:child_id>/new/", views.record_episode, name="record_episode"),
    path("<int:episode_id>/", views.detail, name="detail"),
    path("<int:episode_id>/return/", views.record_return, name="record_return"),
    path("<int:episode_id>/interview/offer/", views.offer_interview, name="offer_interview"),
    path("<int:episode_id>/interview/", views.record_interview, name="record_interview"),
    path("<int:episode_id>/interview/not-held/", views.interview_not_held, name="interview_not_held"),
]
