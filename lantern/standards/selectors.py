from django.core.paginator import Paginator
from django.db.models import Q

from .models import Alert, Audience


def open_alerts_for_child(child, user) -> list[Alert]:
    """Open alerts about the child that `user` should see: hub-only alerts only for the hub."""
    qs = Alert.objects.filter(child=child, resolved_at__isnull=True)
    if not user.access.is_hub:
        qs = qs.filter(audience=Audience.INVOLVED)
    return list(qs.order_by("due_on", "-raised_at"))


def worklist_for(user, *, page_number: int = 1, finding: str | None = None):
    """Open alerts about the children `user` may see; the hub also sees alerts meant for it."""
    from lantern.children.selectors import children_visible_to

    if not user.access.can_work_with_children:
        return Paginator(Alert.objects.none(), 25).get_page(1)
    visible = children_visible_to(user).values("pk")
    condition = Q(child__in=visible, audience=Audience.INVOLVED)
    if user.access.is_hub:
        condition |= Q(audience=Audience.HUB)
    qs = Alert.objects.filter(condition, resolved_at__isnull=True).select_related("child")
    if finding:
        qs = qs.filter(finding=finding)
    return Paginator(qs.order_by("due_on", "-raised_at", "id"), 25).get_page(page_number)
