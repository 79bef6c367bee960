from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from lantern.children.services import PossibleDuplicate
from lantern.core.dates import local_today
from lantern.core.views import apply_validation_error

from . import selectors, services
from .forms import CheckForm, OutcomeForm, ReferNewChildForm, ReferralForm
from .models import CheckType
from .rules import can_refer, can_see_dashboard


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page", 1)))
    except ValueError:
        return 1


def _referrer(request) -> None:
    if not can_refer(request.user):
        raise PermissionDenied("Your role does not let you refer children to the exploitation hub.")


@login_required
def referral_list(request):
    if not request.user.access.can_work_with_children:
        raise PermissionDenied("Your role does not include children's records.")
    awaiting_only = request.GET.get("status") == "awaiting"
    page = selectors.referral_list(request.user, page_number=_page_number(request), awaiting_only=awaiting_only)
    return render(
        request, "referrals/list.html",
        {"page": page, "awaiting_only": awaiting_only, "can_refer": can_refer(request.user), "today": local_today()},
    )


@login_required
def refer_new_child(request):
    _referrer(request)
    form = ReferNewChildForm(request.POST or None, user=request.user)
    duplicates = None
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.refer_new_child(
                by=request.user,
                child_details=form.details(),
                involvement_role=form.cleaned_data["involvement_role"],
                identifiers=form.identifiers(),
                confirmed_not_duplicate=form.cleaned_data["confirmed_not_duplicate"],
                **form.referral_data(),
            )
        except PossibleDuplicate as exc:
            duplicates = exc.check
            form.add_error(
                "confirmed_not_duplicate",
                "This child may already be on the register. Check the records listed, or confirm this is a different child",
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"{referral.child.display_name} has been added to the register and referred to the exploitation hub")
            return redirect("referrals:detail", referral.pk)
    return render(request, "referrals/refer_new_child.html", {"form": form, "duplicates": duplicates})


@login_required
def refer_child(request, child_id: int):
    child = selectors.referral_child_for(request.user, child_id, path=request.path)
    _referrer(request)
    form = ReferralForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.refer_child(by=request.user, child=child, **form.referral_data())
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"{child.display_name} has been referred to the exploitation hub")
            return redirect("referrals:detail", referral.pk)
    return render(request, "referrals/refer_child.html", {"form": form, "child": child})


def _render_detail(request, referral, *, check_form=None, outcome_form=None, status: int = 200):
    page = selectors.referral_page(request.user, referral)
    if check_form is None and page.recordable_check_types:
        check_form = CheckForm(check_types=page.recordable_check_types)
    if outcome_form is None and page.can_record_outcome:
        outcome_form = OutcomeForm()
    return render(
        request, "referrals/detail.html",
        {"page": page, "referral": referral, "child": referral.child, "check_form": check_form, "outcome_form": outcome_form},
        status=status,
    )


@login_required
def detail(request, referral_id: int):
    referral = selectors.access_referral(request.user, referral_id, path=request.path)
    return _render_detail(request, referral)


@login_required
def record_check(request, referral_id: int):
    referral = selectors.access_referral(request.user, referral_id, path=request.path)
    if request.method != "POST":
        return redirect("referrals:detail", referral.pk)
    page = selectors.referral_page(request.user, referral)
    # Any kind of check is accepted here, so that the service can say why one is refused.
    form = CheckForm(request.POST, check_types=CheckType.choices)
    if form.is_valid():
        try:
            check = services.record_check(by=request.user, referral=referral, **form.cleaned_data)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or "You cannot record this check")
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"The {check.get_check_type_display()} check has been recorded")
            return redirect("referrals:detail", referral.pk)
    form.fields["check_type"].choices = page.recordable_check_types
    return _render_detail(request, referral, check_form=form)


@login_required
def record_outcome(request, referral_id: int):
    referral = selectors.access_referral(request.user, referral_id, path=request.path)
    if request.method != "POST":
        return redirect("referrals:detail", referral.pk)
    form = OutcomeForm(request.POST)
    if form.is_valid():
        try:
            services.record_outcome(by=request.user, referral=referral, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "The outcome has been recorded and the referring agency has been told")
            return redirect("referrals:detail", referral.pk)
    elif not can_see_dashboard(request.user):
        raise PermissionDenied("Only the exploitation hub can record the outcome of a referral.")
    if referral.outcome:
        # Recorded meanwhile (by someone else, or twice): show it, with the message why not saved.
        messages.error(request, " ".join(form.non_field_errors()) or "The outcome of this referral has already been recorded")
        return redirect("referrals:detail", referral.pk)
    return _render_detail(request, referral, outcome_form=form)


@login_required
def dashboard(request):
    if not can_see_dashboard(request.user):
        raise Http404("Not found")
    from lantern.risk.selectors import at_risk_breakdown

    return render(request, "referrals/dashboard.html", {"dashboard": selectors.hub_dashboard(), "breakdown": at_risk_breakdown()})
