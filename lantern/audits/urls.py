from django.urls import path

from . import action_views, report_views, views

app_name = "audits"

urlpatterns = [
    # Audits home, templates and rounds (views.py)
    path("", views.index, name="index"),
    path("templates/", views.template_list, name="templates"),
    path("templates/new/", views.template_new, name="template_new"),
    path("templates/<int:pk>/", views.template_detail, name="template"),
    path("templates/<int:pk>/themes/add/", views.template_add_theme, name="template_add_theme"),
    path("templates/<int:pk>/questions/add/", views.template_add_question, name="template_add_question"),
    path("templates/<int:pk>/questions/<str:question_id>/", views.template_edit_question, name="template_edit_question"),
    path("rounds/new/", views.round_new, name="round_new"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/cases/add/", views.round_add_case, name="round_add_case"),
    path("rounds/<int:pk>/sample/", views.round_sample, name="round_sample"),
    path("rounds/<int:pk>/cases/<int:case_pk>/deep-dive/", views.case_deep_dive, name="case_deep_dive"),
    path("rounds/<int:pk>/cases/<int:case_pk>/withdraw/", views.case_withdraw, name="case_withdraw"),
    path("rounds/<int:pk>/send/", views.round_open, name="round_open"),
    path("rounds/<int:pk>/agencies/add/", views.round_add_agency, name="round_add_agency"),
    path("rounds/<int:pk>/moderation/", views.round_moderation, name="round_moderation"),
    path("rounds/<int:pk>/review-sessions/new/", views.review_session_new, name="review_session_new"),
    path("rounds/<int:pk>/review-sessions/<int:session_pk>/", views.review_session, name="review_session"),
    path("rounds/<int:pk>/close/", views.round_close, name="round_close"),
    path("forms/", views.my_forms, name="my_forms"),
    path("forms/<int:pk>/", views.form_detail, name="form"),
    path("forms/<int:pk>/nil-return/", views.form_nil_return, name="form_nil_return"),
    path("forms/<int:pk>/return/", views.form_return, name="form_return"),
    # Report and exchange (report_views.py)
    path("rounds/<int:pk>/report/", report_views.report, name="report"),
    path("rounds/<int:pk>/report.docx", report_views.report_docx, name="report_docx"),
    path("rounds/<int:pk>/report.pdf", report_views.report_pdf, name="report_pdf"),
    path("rounds/<int:pk>/export.json", report_views.round_export, name="round_export"),
    path("import/", report_views.round_import, name="round_import"),
    # Findings, recommendations, the action plan and learning events (action_views.py)
    path("rounds/<int:pk>/findings/new/", action_views.finding_new, name="finding_new"),
    path("rounds/<int:pk>/recommendations/new/", action_views.recommendation_new, name="recommendation_new"),
    path("action-plan/", action_views.action_plan, name="action_plan"),
    path("recommendations/<int:pk>/", action_views.recommendation_detail, name="recommendation"),
    path("rounds/<int:pk>/sessions/", action_views.sessions, name="sessions"),
    path("rounds/<int:pk>/invitations/", action_views.round_invitations, name="round_invitations"),
    path("invitations/", action_views.my_invitations, name="invitations"),
]
