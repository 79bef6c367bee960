from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from lantern.children.api import ChildViewSet
from lantern.core import views as core_views
from lantern.partnership import views as partnership_views

router = SimpleRouter()
router.register("children", ChildViewSet, basename="api-children")

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("sign-in/", partnership_views.LoginView.as_view(), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("password-reset/", partnership_views.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("password-reset/<uidb64>/<token>/", partnership_views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("password-reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("children/", include("lantern.children.urls")),
    path("referrals/", include("lantern.referrals.urls")),
    path("risk/", include("lantern.risk.urls")),
    path("missing/", include("lantern.missing.urls")),
    path("meetings/", include("lantern.meetings.urls")),
    path("plans/", include("lantern.plans.urls")),
    path("contacts/", include("lantern.contacts.urls")),
    path("transitions/", include("lantern.transitions.urls")),
    path("network/", include("lantern.network.urls")),
    path("education/", include("lantern.education.urls")),
    path("audits/", include("lantern.audits.urls")),
    path("worklist/", include("lantern.standards.urls")),
    path("messages/", include("lantern.notifications.urls")),
    path("partnership/", include("lantern.partnership.urls")),
    path("api/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
]

handler404 = "lantern.core.views.not_found"
handler403 = "lantern.core.views.permission_denied"
handler500 = "lantern.core.views.server_error"
