from django.core.paginator import Paginator

from .models import Notification


def unread_count_for(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def inbox_for(user, *, page_number: int = 1):
    return Paginator(Notification.objects.filter(recipient=user).order_by("-created_at", "-id"), 25).get_page(page_number)
