from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .selectors import inbox_for
from .services import mark_read


@login_required
def inbox(request):
    try:
        page_number = max(1, int(request.GET.get("page", 1)))
    except ValueError:
        page_number = 1
    return render(request, "notifications/inbox.html", {"page": inbox_for(request.user, page_number=page_number)})


@login_required
@require_POST
def read_all(request):
    count = mark_read(user=request.user)
    messages.success(request, f"{count} message{'s' if count != 1 else ''} marked as read")
    return redirect("notifications:inbox")
