from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render

from lantern.children.models import AccessPurpose
from lantern.children.selectors import access_child
from lantern.core.views import apply_validation_error

from . import selectors, services
from .catalogue import current_catalogue
from .forms import CatalogueAdditionForm, ConfirmReferralForm, DecideLevelForm, ScreeningForm
from .models import CatalogueVersion
from .rules import can_administer_catalogue, can_decide_level, can_screen_child
from .scoring import thresholds


def _child(request, child_id):
    return access_child(request.user, child_id, purpose=AccessPurpose.PAGE, path=request.path)


@login_required
def catalogue(request):
    """The partnership administrator's page: the current catalogue, and adding an indicator."""
    if not can_administer_catalogue(request.user):
        raise Http404("Not found")
    current = current_catalogue()
    form = CatalogueAdditionForm(request.POST or None, catalogue=current)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.publish_catalogue_addition(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"Version {version.number} of the catalogue is published with {form.cleaned_data['indicator_id'].upper()}")
            return redirect("risk:catalogue")
    versions = CatalogueVersion.objects.select_related("published_by").order_by("-number")[:50]
    return render(request, "risk/catalogue.html", {"catalogue": current, "form": form, "versions": versions})


@login_required
def screen(request, child_id: int):
    child = _child(request, child_id)
    if not can_screen_child(request.user, child):
        raise PermissionDenied("Only an agency working with the child, or the exploitation hub, can screen them.")
    agencies = selectors.screening_agencies_for(request.user, child)
    current = current_catalogue()
    form = ScreeningForm(request.POST or None, catalogue=current, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        try:
            screening = services.submit_screening(
                by=request.user, child=child, agency=form.cleaned_data.get("agency"),
                indicators=form.indicators(), strengths=form.cleaned_data["strengths"],
                strengths_note=form.cleaned_data["strengths_note"], childs_views=form.cleaned_data["childs_views"],
                analysis=form.cleaned_data["analysis"], referred_to_social_care=form.cleaned_data["referred_to_social_care"],
                expected_catalogue_version=form.cleaned_data["catalogue_version"],
            )
        except services.CatalogueChanged as exc:
            # Show the new catalogue with everything the worker entered, and say why.
            data = request.POST.copy()
            data["catalogue_version"] = exc.version
            form = ScreeningForm(data, catalogue=current_catalogue(), agencies=agencies)
            form.is_valid()
            form.add_error(None, exc.messages[0])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "The screening has been saved and the exploitation hub has been told")
            return redirect("risk:screening", screening.pk)
    return render(request, "risk/screen.html", {"form": form, "child": child})


@login_required
def screening(request, screening_id: int):
    item = selectors.screening_for(request.user, screening_id, path=request.path)
    can_confirm = item.referral_outstanding and (item.screened_by_id == request.user.pk or request.user.access.is_hub)
    groups: dict[str, list] = {}
    for indicator in item.indicators.all():
        groups.setdefault(indicator.domain_label, []).append(indicator)
    return render(request, "risk/screening.html", {
        "screening": item, "child": item.child, "can_confirm": can_confirm, "groups": list(groups.items()),
        "bands": thresholds(), "confirm_form": ConfirmReferralForm(initial={"version": item.version}),
    })


@login_required
def confirm_referral(request, screening_id: int):
    item = selectors.screening_for(request.user, screening_id, path=request.path)
    form = ConfirmReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.confirm_social_care_referral(by=request.user, screening=item, expected_version=form.cleaned_data["version"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "The referral to children's social care is recorded")
    return redirect("risk:screening", item.pk)


@login_required
def screenings(request, child_id: int):
    child = _child(request, child_id)
    page = selectors.screenings_of(child, page_number=request.GET.get("page", 1))
    return render(request, "risk/screenings.html", {"child": child, "page": page})


@login_required
def decide(request, child_id: int):
    child = _child(request, child_id)
    if not can_decide_level(request.user):
        return render(request, "risk/cannot_decide.html", {"child": child}, status=403)
    current = selectors.current_levels(child)
    available = selectors.screenings_to_decide_on(child)
    form = DecideLevelForm(request.POST or None, screenings=available, current=current, user=request.user)
    if request.method == "POST" and form.is_valid():
        recorded = record_level_decisions(form, lambda kind, level, departure_reason, data: services.decide_risk_level(
            by=request.user, child=child, kind=kind, level=level, departure_reason=departure_reason,
            reason=data["reason"], screenings=data["screenings"], next_review_on=data["next_review_on"],
            source=data["source"], expected_current=data[f"current_{kind}"],
        ))
        if recorded:
            messages.success(request, "The decision is recorded and everyone working with the child has been told")
            return redirect("children:detail", child.pk)
    return render(request, "risk/decide.html", {"form": form, "child": child, "current": current, "screenings": available})


def record_level_decisions(form, decide) -> bool:
    """Record each level chosen on a valid DecideLevelForm with `decide(kind, level,
    departure_reason, data)`: all of them or none. A refusal is shown on the form against the
    kind it concerns. True when every decision was recorded."""
    failed = False
    data = dict(form.cleaned_data)  # errors added below remove fields from cleaned_data
    with transaction.atomic():
        for kind, level, departure in form.decisions():
            try:
                decide(kind, level, departure, data)
            except ValidationError as exc:
                failed = True
                _apply_kind_errors(form, exc, kind)
        if failed:
            transaction.set_rollback(True)
    return not failed


def _apply_kind_errors(form, exc: ValidationError, kind: str) -> None:
    """A decision's errors by the form's fields: the level and departure reason of its kind,
    and each error about the shared fields (reason, review date …) once."""
    by_field = exc.error_dict.items() if hasattr(exc, "error_dict") else [(NON_FIELD_ERRORS, exc.error_list)]
    for field, errors in by_field:
        name = {"level": f"level_{kind}", "departure_reason": f"departure_reason_{kind}"}.get(field, field)
        name = name if name in form.fields else NON_FIELD_ERRORS
        for error in errors:
            message = error.message % error.params if error.params else error.message
            if message not in form.errors.get(name, []):
                form.add_error(None if name == NON_FIELD_ERRORS else name, message)
