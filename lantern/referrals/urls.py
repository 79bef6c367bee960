from django.urls import path

from . import views

app_name = "referrals"

urlpatterns = [
    path("", views.referral_list, name="list"),
    path("new/", views.refer_new_child, name="refer_new_child"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("child/<int:child_id>/new/", views.refer_child, name="refer_child"),
    path("<int:referral_id>/", views.detail, name="detail"),
    path("<int:referral_id>/checks/", views.record_check, name="record_check"),
    path("<int:referral_id>/outcome/", views.record_outcome, name="record_outcome"),
]
