from django.conf import settings


def lantern(request):
    user = getattr(request, "user", None)
    context = {
        "LANTERN_ENVIRONMENT": settings.LANTERN_ENVIRONMENT,
        "IDLE_TIMEOUT_MINUTES": settings.LANTERN_IDLE_TIMEOUT_MINUTES,
    }
    if user is not None and user.is_authenticated:
        from lantern.notifications.selectors import unread_count_for

        context["access"] = user.access
        context["unread_notifications"] = unread_count_for(user)
    return context
