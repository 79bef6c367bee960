from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from .panels import load_panels
from .registry import all_rules
from .selectors import worklist_for


@login_required
def worklist(request):
    if not request.user.access.can_work_with_children:
        raise PermissionDenied("Your role does not include children's records.")
    try:
        page_number = max(1, int(request.GET.get("page", 1)))
    except ValueError:
        page_number = 1
    finding = request.GET.get("finding") or None
    rules = all_rules()
    if finding not in {r.finding for r in rules}:
        finding = None
    page = worklist_for(request.user, page_number=page_number, finding=finding)
    return render(request, "standards/worklist.html", {
        "page": page, "rules": rules, "finding": finding, "panels": load_panels(request.user),
    })
