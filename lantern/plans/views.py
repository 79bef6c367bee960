"""The pages of the child's plan. Thin: every read through selectors, every write through services.

Who sees what (see rules.py): anyone who may see the child reads the plan; an agency working with
the child, the hub and meeting chairs change it; stepping down or closing is for the hub, a
meeting chair or a manager of an involved agency (others get a page saying so, with status 403).
A record of a plan (action, linked plan, service) is "not found" to anyone who may not see its
child. POST-only actions send a GET back to the plan, as do forms that no longer apply (a
finished action, a plan that is not a draft …).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from lantern.children.models import AccessPurpose
from lantern.children.selectors import access_child
from lantern.core.concurrency import CONCURRENT_EDIT_MESSAGE
from lantern.core.dates import local_today
from lantern.core.views import run_service
from lantern.network.rules import sees_intelligence

from . import selectors, services
from .conf import plan_review_months
from .forms import (
    ActionForm, ActivateForm, ConfirmForm, ContingencyForm, CoverForm, EditActionForm, EndForm, FinishActionForm, LinkPlanForm,
    PlanForm, ReviewForm, ServiceForm, UpdateServiceForm,
)
from .models import ActionStatus, EndingKind, PlanStatus
from .rules import can_end_plan, can_work_on_plan

NOT_ALLOWED = "Only an agency working with the child, the exploitation hub or a meeting chair can change the plan."


def _child(request, child_id, purpose=AccessPurpose.PAGE):
    return access_child(request.user, child_id, purpose=purpose, path=request.path)


def _may_work(request, child) -> None:
    if not can_work_on_plan(request.user, child):
        raise PermissionDenied(NOT_ALLOWED)


def _changeable(request, child_id):
    """The child and their live plan (None if they have none), for a page that changes the plan."""
    child = _child(request, child_id)
    _may_work(request, child)
    plan = selectors.live_plan(child)
    if plan is not None:
        plan.child = child
    return child, plan


def _back(child):
    return redirect("plans:plan", child.pk)


def _form_page(request, form, child, *, heading: str, button: str, template: str = "plans/form.html", **extra):
    return render(request, template, {
        "form": form, "child": child, "heading": heading, "button": button, "back_url": reverse("plans:plan", args=[child.pk]),
        **extra,
    })


# The plan ------------------------------------------------------------------------------------


def _render_plan(request, child, *, form=None):
    page = selectors.plan_page(request.user, child)
    return render(request, "plans/plan.html", {**page, "form": form, "today": local_today()})


@login_required
def plan(request, child_id: int):
    """The child's plan. A POST starts one."""
    child = _child(request, child_id)
    if request.method != "POST":
        return _render_plan(request, child)
    _may_work(request, child)
    form = ConfirmForm(request.POST)
    form.is_valid()
    if run_service(form, lambda: services.start_plan(by=request.user, child=child)) is not None:
        messages.success(request, "The plan has been started as a draft. Write what the agencies are worried about and what needs "
                         "to change, add the actions, then make it active")
        return _back(child)
    return _render_plan(request, child, form=form)


@login_required
def edit_plan(request, child_id: int):
    child, plan = _changeable(request, child_id)
    if plan is None:
        return _back(child)
    form = PlanForm(request.POST or None, initial={
        "version": plan.version, "worries": plan.worries, "aims": plan.aims, "childs_words": plan.childs_words, "family_views": plan.family_views,
    })
    saved_now = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = run_service(form, lambda: services.update_plan(
            by=request.user, plan=plan, expected_version=data["version"], worries=data["worries"], aims=data["aims"],
            childs_words=data["childs_words"], family_views=data["family_views"],
        ))
        if saved is not None:
            messages.success(request, "The plan has been saved" + (". Everyone working with the child has been told"
                                                                    if saved.status == PlanStatus.ACTIVE else ""))
            return _back(child)
        if CONCURRENT_EDIT_MESSAGE in form.non_field_errors():
            plan.refresh_from_db()  # the service changed the words in memory before it was refused
            saved_now = plan
    return _form_page(request, form, child, heading="Change the plan", button="Save the plan", template="plans/edit.html",
                      saved_now=saved_now)


@login_required
def activate(request, child_id: int):
    child, plan = _changeable(request, child_id)
    if plan is None or plan.status != PlanStatus.DRAFT:
        return _back(child)
    form = ActivateForm(request.POST or None, initial={"version": plan.version, "next_review_on": services.suggested_review_date(plan)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if run_service(form, lambda: services.activate_plan(
            by=request.user, plan=plan, expected_version=data["version"], next_review_on=data["next_review_on"],
        )) is not None:
            messages.success(request, "The plan is active. Everyone working with the child is told of each change to it")
            return _back(child)
    return _form_page(request, form, child, heading="Make the plan active", button="Make the plan active", template="plans/activate.html",
                      review_months=plan_review_months())


@login_required
def history(request, child_id: int):
    child = _child(request, child_id, purpose=AccessPurpose.HISTORY)
    plan = selectors.current_plan(child)
    if plan is None:
        return _back(child)
    return render(request, "plans/history.html", {"child": child, "plan": plan, "changes": selectors.plan_history(plan)})


# Actions (F14, F17, F21) ---------------------------------------------------------------------


@login_required
def add_action(request, child_id: int):
    child, plan = _changeable(request, child_id)
    if plan is None:
        return _back(child)
    indicators = selectors.indicators_seen(child)
    wanted = request.GET.get("indicator")
    form = ActionForm(request.POST or None, agency_ids=selectors.involved_agency_ids(child), indicators=indicators,
                      initial={"indicator_ids": [wanted] if wanted else []})
    if request.method == "POST" and form.is_valid():
        action = run_service(form, lambda: services.add_action(by=request.user, plan=plan, **form.action_data()))
        if action is not None:
            messages.success(request, "The action has been added" + (f". {action.owner.full_name} has been told"
                                                                      if action.owner and action.owner != request.user else ""))
            return _back(child)
    return _form_page(request, form, child, heading="Add an action", button="Add the action", template="plans/action_form.html")


def _open_action(request, action_id):
    action = selectors.access_action(request.user, action_id, path=request.path)
    child = action.plan.child
    _may_work(request, child)
    if action.status != ActionStatus.OPEN or not action.plan.is_live:
        messages.error(request, "This action is finished and can no longer be changed" if action.status != ActionStatus.OPEN
                       else "This plan has ended. Start a new plan to change it")
        return action, child, _back(child)
    return action, child, None


@login_required
def edit_action(request, action_id: int):
    action, child, gone = _open_action(request, action_id)
    if gone:
        return gone
    form = EditActionForm(
        request.POST or None, agency_ids=selectors.involved_agency_ids(child), indicators=selectors.indicators_seen(child),
        initial={"version": action.version, "description": action.description, "owner": action.owner_id, "agency": action.agency_id,
                 "due_on": action.due_on, "outcome": action.outcome, "indicator_ids": action.indicator_ids},
    )
    if request.method == "POST" and form.is_valid():
        saved = run_service(form, lambda: services.update_action(
            by=request.user, action=action, expected_version=form.cleaned_data["version"], **form.action_data(),
        ))
        if saved is not None:
            messages.success(request, "The action has been saved")
            return _back(child)
    return _form_page(request, form, child, heading="Change the action", button="Save the action", template="plans/action_form.html",
                      action=action)


@login_required
def finish_action(request, action_id: int):
    action, child, gone = _open_action(request, action_id)
    if gone:
        return gone
    form = FinishActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        finished = run_service(form, lambda: services.finish_action(by=request.user, action=action, **form.cleaned_data))
        if finished is not None:
            messages.success(request, f"The action is marked {finished.get_status_display().lower()}")
            return _back(child)
    return _form_page(request, form, child, heading="Finish the action", button="Save", template="plans/finish_action.html", action=action)


# Contingencies (F16) and cover (F20) ---------------------------------------------------------


@login_required
def add_contingency(request, child_id: int):
    child, plan = _changeable(request, child_id)
    if plan is None:
        return _back(child)
    form = ContingencyForm(request.POST or None, agency_ids=selectors.involved_agency_ids(child))
    if request.method == "POST" and form.is_valid():
        if run_service(form, lambda: services.add_contingency(by=request.user, plan=plan, **form.cleaned_data)) is not None:
            messages.success(request, "The contingency has been added")
            return _back(child)
    return _form_page(request, form, child, heading="Add a contingency", button="Add the contingency",
                      intro="What an agency will do if the risk to the child rises, and who owns it. A plan for a child at medium "
                      "or high risk cannot be made active without one.")


@login_required
def add_cover(request, child_id: int):
    child, plan = _changeable(request, child_id)
    if plan is None:
        return _back(child)
    form = CoverForm(request.POST or None, agency_ids=selectors.involved_agency_ids(child))
    if request.method == "POST" and form.is_valid():
        cover = run_service(form, lambda: services.add_cover(by=request.user, plan=plan, **form.cleaned_data))
        if cover is not None:
            messages.success(request, f"The cover has been added. {cover.cover_worker.full_name} has been told"
                             if cover.cover_worker != request.user else "The cover has been added")
            return _back(child)
    return _form_page(request, form, child, heading="Add holiday or absence cover", button="Add the cover",
                      intro="Who sees the child while their usual worker is away, for example over Christmas.")


# Linked plans (F13) and services (F21) -------------------------------------------------------


@login_required
def link_plan(request, child_id: int):
    child, plan = _changeable(request, child_id)
    if plan is None:
        return _back(child)
    form = LinkPlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        linked = run_service(form, lambda: services.link_plan(by=request.user, plan=plan, **form.cleaned_data))
        if linked is not None:
            messages.success(request, f"The {linked.get_kind_display().lower()} has been linked to the plan")
            return _back(child)
    return _form_page(request, form, child, heading="Link another plan", button="Link the plan",
                      intro="Another plan for the child, such as a child protection or education, health and care plan. It is "
                      "linked, not copied: its owner keeps it up to date.")


@login_required
def end_linked_plan(request, linked_id: int):
    linked = selectors.access_linked_plan(request.user, linked_id, path=request.path)
    child = linked.plan.child
    if request.method != "POST":
        return _back(child)
    _may_work(request, child)
    if linked.ended_on is not None:
        messages.error(request, f"The {linked.get_kind_display().lower()} has already ended")
        return _back(child)
    try:
        services.end_linked_plan(by=request.user, linked=linked)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"The {linked.get_kind_display().lower()} is marked ended")
    return _back(child)


@login_required
def refer_to_service(request, child_id: int):
    child, plan = _changeable(request, child_id)
    if plan is None:
        return _back(child)
    form = ServiceForm(request.POST or None, agency_ids=selectors.involved_agency_ids(child))
    if request.method == "POST" and form.is_valid():
        service = run_service(form, lambda: services.refer_to_service(by=request.user, plan=plan, **form.cleaned_data))
        if service is not None:
            messages.success(request, f"The referral to {service.provider} has been added")
            return _back(child)
    return _form_page(request, form, child, heading="Add a service the plan relies on", button="Add the service",
                      intro="A service the child has been referred to, such as CAMHS or therapy. It is tracked from the referral "
                      "until it starts.")


@login_required
def update_service(request, service_id: int):
    service = selectors.access_service(request.user, service_id, path=request.path)
    child = service.plan.child
    _may_work(request, child)
    form = UpdateServiceForm(request.POST or None, initial={
        "accepted_on": service.accepted_on, "started_on": service.started_on, "ended_on": service.ended_on, "end_reason": service.end_reason,
    })
    if request.method == "POST" and form.is_valid():
        if run_service(form, lambda: services.update_service(by=request.user, service=service, **form.cleaned_data)) is not None:
            messages.success(request, f"The service from {service.provider} has been updated")
            return _back(child)
    return _form_page(request, form, child, heading=f"Update the service: {service.get_kind_display()}", button="Save",
                      template="plans/update_service.html", service=service)


# Reviews (F15, F39) --------------------------------------------------------------------------


@login_required
def review(request, child_id: int):
    child, plan = _changeable(request, child_id)
    if plan is None or plan.status != PlanStatus.ACTIVE:
        return _back(child)
    form = ReviewForm(request.POST or None, initial={"reviewed_on": local_today(), "next_review_on": services.suggested_review_date(plan)})
    if request.method == "POST" and form.is_valid():
        if run_service(form, lambda: services.review_plan(by=request.user, plan=plan, **form.cleaned_data)) is not None:
            messages.success(request, "The review has been recorded. Everyone working with the child has been told")
            return _back(child)
    return _form_page(request, form, child, heading="Record a review", button="Record the review",
                      intro="What has changed, with the child's own words and the family's views. The next review is at most "
                      f"{plan_review_months()} months away; where another plan is reviewed sooner, review this one with it.")


# Step-down and closure (F41, F05) ------------------------------------------------------------


@login_required
def end_plan(request, child_id: int):
    child = _child(request, child_id)
    if not can_end_plan(request.user, child):
        return render(request, "plans/cannot_end.html", {"child": child}, status=403)
    if child.closed_at is not None:
        return _back(child)
    plan = selectors.live_plan(child)
    persons = services.linked_persons_of_concern(request.user, child)
    form = EndForm(request.POST or None, linked=selectors.current_linked_plans(plan), persons=persons)
    if request.method == "POST" and form.is_valid():
        ending = run_service(form, lambda: services.end_plan(by=request.user, child=child, **form.ending_data()))
        if ending is not None:
            if ending.kind == EndingKind.STEP_DOWN:
                messages.success(request, f"{child.display_name} has stepped down. Work continues under the "
                                 f"{ending.continuing_plan.get_kind_display().lower()}")
            else:
                messages.success(request, f"{child.display_name}'s record is closed. Everyone working with them has been told")
            return _back(child)
    return _form_page(request, form, child, heading="Step down or close", button="Save and end the plan", template="plans/end.html",
                      plan=plan, open_actions=selectors.open_actions(plan), warning=True, persons=persons,
                      persons_seen=",".join(str(pk) for pk in sorted({row.node.pk for row in persons})),
                      sees_intelligence=bool(sees_intelligence(request.user)))
