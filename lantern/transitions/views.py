from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse

from lantern.core.dates import long_date
from lantern.core.views import run_service

from . import selectors, services
from .forms import EndPlacementForm, HostInformationForm, PlacementForm, TransitionPlanForm
from .models import PLANNING_FROM_AGE, birthday

PLAN_REFUSED = "Only an agency working with the young person, or the exploitation hub, can record their transition plan."
PLACEMENT_REFUSED = "Only children's social care working with the child, or the exploitation hub, can record a placement out of area."


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page", 1)))
    except ValueError:
        return 1


def _form_page(request, *, child, form, heading: str, button: str, call, done: str, intro: str = "", **extra):
    """One question page about a child: the service on a valid POST, its refusal or errors on
    the form (nothing saved), and back to the child's transitions record when saved."""
    if request.method == "POST" and form.is_valid() and run_service(form, lambda: call(form)) is not None:
        messages.success(request, done)
        return redirect("transitions:child", child.pk)
    return render(request, "transitions/form.html", {
        "form": form, "child": child, "heading": heading, "button": button, "intro": intro,
        "back_url": reverse("transitions:child", args=[child.pk]), "back_text": f"Back to {child.display_name}'s record", **extra,
    })


@login_required
def young_people(request):
    if not request.user.access.can_work_with_children:
        raise PermissionDenied("Your role does not include children's records.")
    show = request.GET.get("show", "")
    if show not in selectors.FILTERS:
        show = ""
    page = selectors.young_people(request.user, show=show, page_number=_page_number(request))
    return render(request, "transitions/list.html", {"page": page, "show": show, "filters": selectors.FILTERS})


@login_required
def child_record(request, child_id: int):
    child = selectors.transitions_child_for(request.user, child_id, path=request.path)
    record = selectors.transitions_record(request.user, child)
    return render(request, "transitions/child.html", {"record": record, "child": child})


@login_required
def plan(request, child_id: int):
    child = selectors.transitions_child_for(request.user, child_id, path=request.path)
    if not selectors.may_record_plan(request.user, child):
        raise PermissionDenied(PLAN_REFUSED)
    if selectors.too_young_for_plan(child):
        messages.info(request, f"A transition plan can be recorded from {child.display_name}'s 16th birthday, "
                               f"{long_date(birthday(child.date_of_birth, PLANNING_FROM_AGE))}.")
        return redirect("transitions:child", child.pk)
    current = selectors.plan_for(child)
    form = TransitionPlanForm(request.POST or None, child=child, plan=current)
    return _form_page(
        request, child=child, form=form,
        heading="Change the transition plan" if current else "Record a transition plan", button="Save the plan",
        intro="The plan for the young person's life after 18: where they will live, who will support them, and what they want. "
        "If someone else changes the plan while you are editing it, your change is not saved and you are told.",
        call=lambda form: services.save_transition_plan(by=request.user, child=child, **form.plan_data()),
        done="The transition plan has been saved",
    )


@login_required
def record_placement(request, child_id: int):
    child = selectors.transitions_child_for(request.user, child_id, path=request.path)
    if not selectors.may_record_placement(request.user, child):
        raise PermissionDenied(PLACEMENT_REFUSED)
    form = PlacementForm(request.POST or None, user=request.user, child=child)
    return _form_page(
        request, child=child, form=form, heading="Record a placement out of area", button="Record the placement",
        intro="Record where the child now lives outside the partnership's area, and what you asked the host local authority "
        "for. Everyone who works with the child is told. If the information has not been recorded by its due date, they "
        "are alerted.",
        call=lambda form: services.record_out_of_area_placement(by=request.user, child=child, **form.cleaned_data),
        done="The placement out of area has been recorded",
    )


def _placement_page(request, placement_id, *, done_already: str, form_class, heading: str, button: str, call, done: str):
    placement = selectors.access_placement(request.user, placement_id, path=request.path)
    if not selectors.may_record_placement(request.user, placement.child):
        raise PermissionDenied(PLACEMENT_REFUSED)
    if getattr(placement, done_already) is not None:
        return redirect("transitions:child", placement.child_id)
    return _form_page(request, child=placement.child, form=form_class(request.POST or None), heading=heading, button=button,
                      call=lambda form: call(placement, form), done=done, placement=placement)


@login_required
def record_information(request, placement_id: int):
    return _placement_page(
        request, placement_id, done_already="information_received_on", form_class=HostInformationForm,
        heading="Record the information from the host authority", button="Record the information",
        done="The information from the host authority has been recorded",
        call=lambda placement, form: services.record_host_information(by=request.user, placement=placement, **form.cleaned_data),
    )


@login_required
def end_placement(request, placement_id: int):
    return _placement_page(
        request, placement_id, done_already="ended_on", form_class=EndPlacementForm, heading="End the placement out of area",
        button="End the placement", done="The placement out of area has ended",
        call=lambda placement, form: services.end_out_of_area_placement(by=request.user, placement=placement, **form.cleaned_data),
    )
