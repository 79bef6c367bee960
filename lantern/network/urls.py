from django.urls import path

from . import views

app_name = "network"

urlpatterns = [
    path("", views.index, name="index"),
    path("persons/new/", views.record_person, name="record_person"),
    path("places/new/", views.record_location, name="record_location"),
    path("vehicles/new/", views.record_vehicle, name="record_vehicle"),
    path("businesses/new/", views.record_business, name="record_business"),
    path("shared/", views.shared, name="shared"),
    path("groups/", views.groups, name="groups"),
    path("hotspots/", views.hotspots, name="hotspots"),
    path("hotspots.csv", views.hotspots_csv, name="hotspots_csv"),
    path("hotspots.geojson", views.hotspots_geojson, name="hotspots_geojson"),
    path("disruption/", views.disruption, name="disruption"),
    path("disruption.csv", views.disruption_csv, name="disruption_csv"),
    path("child/<int:child_id>/link/", views.link_child, name="link_child"),
    path("child/<int:child_id>/view/", views.child_view, name="child_view"),
    path("links/<int:link_id>/end/", views.end_link, name="end_link"),
    path("<int:node_id>/", views.profile, name="profile"),
    path("<int:node_id>/edit/", views.edit_person, name="edit_person"),
    path("<int:node_id>/link/", views.link_node, name="link_node"),
    path("<int:node_id>/view/", views.node_view, name="node_view"),
    path("<int:node_id>/disruption/", views.record_disruption, name="record_disruption"),
]
