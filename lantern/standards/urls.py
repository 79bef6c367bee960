from django.urls import path

from . import views

app_name = "standards"

urlpatterns = [path("", views.worklist, name="worklist")]
