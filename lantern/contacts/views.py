from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse

from lantern.core.views import run_service

from . import selectors, services
from .forms import ContactForm, SupervisionForm


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page", 1)))
    except ValueError:
        return 1


def _agency_id(request) -> int | None:
    try:
        return int(request.GET.get("agency", "")) or None
    except ValueError:
        return None


@login_required
def child_contacts(request, child_id: int):
    child = selectors.contacts_child_for(request.user, child_id, path=request.path)
    agency_id = _agency_id(request)
    agencies = list(selectors.contact_filter_agencies(child))
    if agency_id not in {a.pk for a in agencies}:
        agency_id = None
    return render(request, "contacts/child.html", {
        "child": child, "page": selectors.contact_list(child, agency_id=agency_id, page_number=_page_number(request)),
        "agencies": agencies, "agency_id": agency_id, "by_agency": selectors.last_contact_by_agency(child),
        "can_record": child.user_may_edit, "extra": f"agency={agency_id}" if agency_id else "",
    })


@login_required
def record_contact(request, child_id: int):
    child = selectors.contacts_child_for(request.user, child_id, path=request.path)
    if not child.user_may_edit:
        raise PermissionDenied("Only an agency working with the child, or the exploitation hub, can record a contact with the child.")
    agencies = services.contact_agencies_for(request.user, child)
    if not agencies:
        raise PermissionDenied("You can record a contact only for one of your agencies that works with the child.")
    form = ContactForm(request.POST or None, user=request.user, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        if run_service(form, lambda: services.record_contact(by=request.user, child=child, **form.contact_data())) is not None:
            messages.success(request, "The contact has been recorded")
            return redirect("contacts:child", child.pk)
    return render(request, "contacts/form.html", {
        "form": form, "child": child, "heading": "Record a contact with the child", "button": "Record the contact",
        "back_url": reverse("contacts:child", args=[child.pk]), "back_text": f"Back to {child.display_name}'s contacts",
        "intro": "Record every time you see, speak to or message the child, and every time you try and do not reach them. "
        "An attempted contact does not count as the child being seen.",
    })


@login_required
def supervision(request, child_id: int):
    child = selectors.supervision_child_for(request.user, child_id, path=request.path)
    listing = selectors.supervision_list(request.user, child, page_number=_page_number(request))
    return render(request, "contacts/supervision.html", {"child": child, "page": listing.page, "can_record": listing.can_record})


@login_required
def record_supervision(request, child_id: int):
    child = selectors.supervision_child_for(request.user, child_id, path=request.path, recording=True)
    form = SupervisionForm(request.POST or None, user=request.user, child=child)
    if request.method == "POST" and form.is_valid():
        if run_service(form, lambda: services.record_supervision(by=request.user, child=child, **form.supervision_data())) is not None:
            messages.success(request, "The supervision has been recorded")
            return redirect("contacts:supervision", child.pk)
    return render(request, "contacts/form.html", {
        "form": form, "child": child, "heading": "Record supervision of the child", "button": "Record the supervision",
        "back_url": reverse("contacts:supervision", args=[child.pk]), "back_text": f"Back to {child.display_name}'s supervision records",
        "intro": "Supervision records are seen only by the managers of the agencies working with the child, the supervisor, "
        "the practitioner supervised and the exploitation hub.",
    })
