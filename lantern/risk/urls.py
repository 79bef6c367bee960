from django.urls import path

from . import views

app_name = "risk"

urlpatterns = [
    path("catalogue/", views.catalogue, name="catalogue"),
    path("children/<int:child_id>/screen/", views.screen, name="screen"),
    path("children/<int:child_id>/screenings/", views.screenings, name="screenings"),
    path("children/<int:child_id>/decide/", views.decide, name="decide"),
    path("screenings/<int:screening_id>/", views.screening, name="screening"),
    path("screenings/<int:screening_id>/referral/", views.confirm_referral, name="confirm_referral"),
]
