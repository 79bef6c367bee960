from django.conf import settings


def user_sees_intelligence(user) -> bool:
    """Whether the user sees the network's intelligence (the police and the hub): worked out at most
    once per request (one query, none for the hub), and only when something asks."""
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_lantern_sees_intelligence", None)
    if cached is None:
        from lantern.network.rules import sees_intelligence

        cached = bool(sees_intelligence(user))
        user._lantern_sees_intelligence = cached
    return cached


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
        # A callable: the template asks only when it shows the navigation.
        context["sees_intelligence"] = lambda: user_sees_intelligence(user)
    return context
