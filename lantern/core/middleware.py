from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    """Pages shown to a signed-in user are never kept in the browser's cache: council laptops
    are shared, and the back button must not show a child's record after sign-out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, " + response.get("Cache-Control", "")
        return response


SIGNED_IN_COOKIE = "lantern_signed_in"


class IdleTimeoutNoticeMiddleware:
    """Tell people why they are on the sign-in page when their session ran out.

    A harmless marker cookie (no session data) says the browser was signed in; if a request
    arrives with the marker but no session, the session timed out, so the sign-in page says so.
    Signing out removes the marker first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.shortcuts import redirect
        from django.urls import reverse
        from django.utils.http import urlencode

        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        login_url = reverse("login")
        if not signed_in and request.COOKIES.get(SIGNED_IN_COOKIE) and request.path != login_url and request.method == "GET":
            response = redirect(f"{login_url}?{urlencode({'timeout': 1, 'next': request.get_full_path()})}")
            response.delete_cookie(SIGNED_IN_COOKIE)
            return response
        response = self.get_response(request)
        if getattr(request, "_lantern_signed_out", False):
            response.delete_cookie(SIGNED_IN_COOKIE)
        elif signed_in and not request.COOKIES.get(SIGNED_IN_COOKIE):
            response.set_cookie(
                SIGNED_IN_COOKIE, "1", httponly=True, samesite="Lax", secure=settings.SESSION_COOKIE_SECURE
            )
        return response
