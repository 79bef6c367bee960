from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.create_meeting, name="create"),
    path("series/new/", views.create_series, name="create_series"),
    path("<int:meeting_id>/", views.detail, name="detail"),
    path("<int:meeting_id>/agenda/", views.agenda, name="agenda"),
    path("<int:meeting_id>/agenda/add-child/", views.add_child, name="add_child"),
    path("<int:meeting_id>/agenda/add-topic/", views.add_topic, name="add_topic"),
    path("<int:meeting_id>/invitations/", views.invitations, name="invitations"),
    path("<int:meeting_id>/information/", views.send_information, name="send_information"),
    path("<int:meeting_id>/close/", views.close_meeting, name="close"),
    path("<int:meeting_id>/cancel/", views.cancel_meeting, name="cancel"),
    path("<int:meeting_id>/minutes/", views.minutes, name="minutes"),
    path("<int:meeting_id>/minutes/publish/", views.publish_minutes, name="publish"),
    path("<int:meeting_id>/minutes.docx", views.minutes_docx, name="minutes_docx"),
    path("<int:meeting_id>/minutes.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("items/<int:item_id>/", views.item, name="item"),
    path("items/<int:item_id>/remove/", views.remove_item, name="remove_item"),
    path("items/<int:item_id>/decision/", views.decide, name="decide"),
    path("items/<int:item_id>/action/", views.add_action, name="add_action"),
    path("items/<int:item_id>/close/", views.close_item, name="close_item"),
    path("items/<int:item_id>/reopen/", views.reopen_item, name="reopen_item"),
    path("actions/<int:action_id>/mark/", views.mark_action, name="mark_action"),
    path("shares/<int:share_id>/", views.share, name="share"),
    path("shares/<int:share_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("shares/<int:share_id>/minutes.docx", views.share_docx, name="share_docx"),
    path("shares/<int:share_id>/minutes.pdf", views.share_pdf, name="share_pdf"),
]
