"""The pages of findings, recommendations, the action plan and learning events (F36, F37).

Thin: every read through action_selectors, every write through services. Pages for a round's
lead auditors are "not found" to everyone else; the action plan is "not found" to anyone who
has no view of it (see action_selectors).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from lantern.core.views import run_service
from lantern.partnership.models import User

from . import action_selectors as selectors
from . import services
from .action_forms import AttendanceForm, FindingForm, PlanFilterForm, RecommendationForm, ScheduleForm, UpdateForm
from .models import LearningInvitation, RoundStatus
from .rules import updates_recommendation


def _round_url(audit_round) -> str:
    return reverse("audits:round", args=[audit_round.pk])


# Findings and recommendations --------------------------------------------------------------


@login_required
def finding_new(request, pk: int):
    audit_round = selectors.access_led_round(request.user, pk)
    template = services.template_of(audit_round)
    form = FindingForm(request.POST or None, themes=template.themes)
    if request.method == "POST" and form.is_valid():
        finding = run_service(form, lambda: services.add_finding(
            by=request.user, audit_round=audit_round, theme_id=form.cleaned_data["theme_id"], text=form.cleaned_data["text"],
        ))
        if finding is not None:
            messages.success(request, f"Finding {finding.number} is added")
            return redirect("audits:finding_new", audit_round.pk)
    themes = {t.id: t.title for t in template.themes}
    findings = selectors.findings_of(audit_round)
    for finding in findings:
        finding.theme_title = themes.get(finding.theme_id, "")
    return render(request, "audits/action_finding_form.html", {
        "form": form, "audit_round": audit_round, "findings": findings, "back_url": _round_url(audit_round),
        "heading": "Add a key finding", "button": "Add the finding",
    })


@login_required
def recommendation_new(request, pk: int):
    audit_round = selectors.access_led_round(request.user, pk)
    findings = selectors.findings_of(audit_round)
    owners = selectors.owner_choices()
    form = RecommendationForm(request.POST or None, findings=findings, owners=owners)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = {int(v) for v in data["findings"]}
        owner = User.objects.filter(pk=int(data["owner"])).first() if data["owner"] else None
        rec = run_service(form, lambda: services.add_recommendation(
            by=request.user, audit_round=audit_round, text=data["text"], owner_agency=data["owner_agency"], owner=owner,
            due_on=data["due_on"], findings=[f for f in findings if f.pk in chosen],
        ))
        if rec is not None:
            messages.success(request, f"Recommendation {rec.number} is added. The agency that owns it has been told")
            return redirect("audits:recommendation", rec.pk)
    return render(request, "audits/recommendation_form.html", {
        "form": form, "audit_round": audit_round, "findings": findings, "back_url": _round_url(audit_round),
        "heading": "Add a recommendation", "button": "Add the recommendation",
    })


@login_required
def action_plan(request):
    chosen = _plan_filters(request)
    plan = selectors.action_plan(request.user, **chosen, page_number=request.GET.get("page", 1))
    filters = PlanFilterForm(
        rounds=plan.rounds, agencies=plan.agencies,
        initial={"round": chosen["round_id"], "agency": chosen["agency_id"], "status": chosen["status"]},
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audits/action_plan.html", {
        "plan": plan, "filters": filters, "extra": query.urlencode(), "filtered": any(chosen.values()),
    })


def _plan_filters(request) -> dict:
    """The filters asked for. Values that are not numbers or statuses are ignored: the filter
    then shows everything, as an empty filter does."""
    def number(name):
        value = request.GET.get(name, "")
        return int(value) if value.isdigit() else None

    status = request.GET.get("status", "")
    return {
        "round_id": number("round"), "agency_id": number("agency"),
        "status": status if status in {value for value, _ in selectors.STATUS_FILTERS} else "",
    }


@login_required
def recommendation_detail(request, pk: int):
    rec = selectors.access_recommendation(request.user, pk)
    may_update = rec.completed_at is None and updates_recommendation(request.user, rec)
    form = UpdateForm(request.POST or None) if may_update else None
    if request.method == "POST":
        if not may_update:
            raise PermissionDenied("You cannot record progress on this recommendation.")
        if form.is_valid():
            data = form.cleaned_data
            update = run_service(form, lambda: services.update_recommendation(
                by=request.user, recommendation=rec, note=data["note"], rag=data["rag"], evidence=data["evidence"],
            ))
            if update is not None:
                messages.success(request, "The recommendation is complete" if rec.completed_at else "Its progress is recorded")
                return redirect("audits:recommendation", rec.pk)
    page = selectors.recommendation_page(rec)
    return render(request, "audits/recommendation_detail.html", {
        "page": page, "rec": rec, "form": form, "leads": rec.round.lead_auditors.filter(pk=request.user.pk).exists(),
    })


# Learning events ------------------------------------------------------------------------------


@login_required
def sessions(request, pk: int):
    audit_round = selectors.access_led_round(request.user, pk, learning_event=True)
    form = ScheduleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        made = run_service(form, lambda: services.schedule_sessions(
            by=request.user, audit_round=audit_round, first_on=data["first_on"], count=data["count"], breaks=data["breaks"],
            venue=data["venue"],
        ))
        if made is not None:
            messages.success(request, f"{len(made)} session{'s' if len(made) != 1 else ''} arranged")
            return redirect("audits:sessions", audit_round.pk)
    return render(request, "audits/learning_sessions.html", {
        "audit_round": audit_round, "sessions": selectors.sessions_of(audit_round), "form": form, "round_url": _round_url(audit_round),
    })


@login_required
def round_invitations(request, pk: int):
    audit_round = selectors.access_led_round(request.user, pk, learning_event=True)
    error_form = None
    if request.method == "POST":
        if request.POST.get("action") == "attendance":
            form = AttendanceForm(request.POST)
            invitation = None
            if form.is_valid():
                invitation = LearningInvitation.objects.filter(round=audit_round, pk=form.cleaned_data["invitation"]).first()
            if invitation is None:
                raise Http404("Not found")
            attended = form.cleaned_data["attended"] == "yes"
            if run_service(form, lambda: services.record_attendance(by=request.user, invitation=invitation, attended=attended)):
                who = invitation.professional.full_name
                messages.success(request, f"{who} {'came' if attended else 'did not come'}: recorded")
                return redirect("audits:round_invitations", audit_round.pk)
            error_form = form
        else:
            form = AttendanceForm()  # only for showing a refusal
            new = run_service(form, lambda: services.invite_professionals(by=request.user, audit_round=audit_round))
            if new is not None:
                messages.success(
                    request, f"{len(new)} professional{'s' if len(new) != 1 else ''} invited" if new
                    else "Everyone involved with the cases was invited already",
                )
                return redirect("audits:round_invitations", audit_round.pk)
            error_form = form
    return render(request, "audits/learning_invitations.html", {
        "audit_round": audit_round, "cases": selectors.invitations_by_case(audit_round), "error_form": error_form,
        "round_url": _round_url(audit_round), "open": audit_round.status != RoundStatus.CLOSED,
    })


@login_required
def my_invitations(request):
    return render(request, "audits/learning_my_invitations.html", {
        "invitations": selectors.my_invitations(request.user),
    })
