from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from lantern.core.views import apply_validation_error

from . import selectors, services
from .forms import (
    BreakGlassForm,
    EditChildForm,
    EndIdentifierForm,
    EndInvolvementForm,
    IdentifierForm,
    InvolvementForm,
    RegisterChildForm,
    ReviewBreakGlassForm,
    SearchForm,
)
from .models import AccessPurpose, BreakGlassGrant, ChildIdentifier, Involvement
from .rules import can_edit_child, can_see_access_log


def _case_user(request):
    if not request.user.access.can_work_with_children:
        raise PermissionDenied("Your role does not include children's records.")


def _child_form(request, template: str, form, child, *, heading: str, button: str, warning: bool = False, **extra):
    """Render one of the child's question pages (lantern/form_page.html) with a way back to the child."""
    return render(request, template, {
        "form": form, "child": child, "heading": heading, "button": button, "warning": warning,
        "back_url": reverse("children:detail", args=[child.pk]), "back_text": f"Back to {child.display_name}", **extra,
    })


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page", 1)))
    except ValueError:
        return 1


@login_required
def search(request):
    _case_user(request)
    form = SearchForm(request.GET or None)
    result = None
    if form.is_valid() and form.cleaned_data["q"]:
        result = selectors.search_children(request.user, form.cleaned_data["q"], page_number=_page_number(request))
    return render(request, "children/search.html", {"form": form, "result": result})


@login_required
def register(request):
    _case_user(request)
    form = RegisterChildForm(request.POST or None, user=request.user)
    duplicates = None
    if request.method == "POST" and form.is_valid():
        try:
            child = services.register_child(
                by=request.user,
                agency=form.cleaned_data.get("agency"),
                involvement_role=form.cleaned_data["involvement_role"],
                identifiers=form.identifiers(),
                confirmed_not_duplicate=form.cleaned_data["confirmed_not_duplicate"],
                make_lead=form.cleaned_data["make_lead"],
                **form.details(),
            )
        except services.PossibleDuplicate as exc:
            duplicates = exc.check
            form.add_error("confirmed_not_duplicate", "This child may already be on the register. Check the records listed, or confirm this is a different child")
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"{child.display_name} has been added to the register")
            return redirect("children:detail", child.pk)
    return render(request, "children/register.html", {"form": form, "duplicates": duplicates})


@login_required
def detail(request, child_id: int):
    child = selectors.access_child(request.user, child_id, purpose=AccessPurpose.PAGE, path=request.path)
    page = selectors.child_page(request.user, child, timeline_page=_page_number(request))
    return render(request, "children/detail.html", {"page": page, "child": child})


@login_required
def history(request, child_id: int):
    child = selectors.access_child(request.user, child_id, purpose=AccessPurpose.HISTORY, path=request.path)
    return render(request, "children/history.html", {"child": child, "changes": selectors.child_history(child)})


@login_required
def access_log(request, child_id: int):
    child = selectors.access_child(
        request.user, child_id, purpose=AccessPurpose.ACCESS_LOG, path=request.path, require=can_see_access_log
    )
    page = selectors.access_log_page(child, page_number=_page_number(request))
    return render(request, "children/access_log.html", {"child": child, "page": page})


def _editable_child(request, child_id):
    child = selectors.access_child(request.user, child_id, purpose=AccessPurpose.PAGE, path=request.path)
    if not can_edit_child(request.user, child):
        raise PermissionDenied("You cannot change this child's record.")
    return child


@login_required
def edit(request, child_id: int):
    child = _editable_child(request, child_id)
    initial = {name: getattr(child, name) for name in EditChildForm.base_fields if hasattr(child, name)}
    form = EditChildForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_child_details(
                by=request.user, child=child, expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"], **form.details(),
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "The child's details have been saved")
            return redirect("children:detail", child.pk)
    return _child_form(request, "children/edit.html", form, child, heading=f"Change {child.display_name}'s details", button="Save changes")


@login_required
def add_identifier(request, child_id: int):
    child = _editable_child(request, child_id)
    form = IdentifierForm(request.POST or None, initial={"kind": request.GET.get("kind")})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_identifier(by=request.user, child=child, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "The identifier has been recorded")
            return redirect("children:detail", child.pk)
    return _child_form(request, "children/identifier_form.html", form, child,
                       heading=f"Record an identifier for {child.display_name}", button="Save identifier")


@login_required
def end_identifier(request, child_id: int, identifier_id: int):
    child = _editable_child(request, child_id)
    identifier = get_object_or_404(ChildIdentifier, pk=identifier_id, child=child)
    form = EndIdentifierForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.end_identifier(by=request.user, identifier=identifier, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "The identifier has been ended")
            return redirect("children:detail", child.pk)
    return _child_form(request, "children/end_identifier.html", form, child, warning=True, identifier=identifier,
                       heading=f"End {identifier.get_kind_display()} {identifier.value}", button="End identifier")


@login_required
def add_involvement(request, child_id: int):
    child = _editable_child(request, child_id)
    form = InvolvementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_involvement(by=request.user, child=child, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"{form.cleaned_data['agency'].name} has been recorded as involved")
            return redirect("children:detail", child.pk)
    return _child_form(request, "children/involvement_form.html", form, child,
                       heading=f"Add an agency or professional for {child.display_name}", button="Add")


@login_required
def end_involvement(request, child_id: int, involvement_id: int):
    child = _editable_child(request, child_id)
    involvement = get_object_or_404(Involvement.objects.select_related("agency", "professional"), pk=involvement_id, child=child)
    form = EndInvolvementForm(request.POST or None, initial={"version": involvement.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.end_involvement(
                by=request.user, involvement=involvement, reason=form.cleaned_data["reason"],
                ended_on=form.cleaned_data["ended_on"], expected_version=form.cleaned_data["version"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            if not selectors.children_visible_to(request.user).filter(pk=child.pk).exists():
                messages.success(request, f"Your agency's involvement has ended, so you can no longer see {child.display_name}'s record")
                return redirect("children:search")
            messages.success(request, "The involvement has been ended")
            return redirect("children:detail", child.pk)
    return _child_form(request, "children/end_involvement.html", form, child, warning=True, involvement=involvement,
                       heading=f"End the involvement of {involvement.agency.name}", button="End involvement")


@login_required
def make_lead(request, child_id: int, involvement_id: int):
    child = _editable_child(request, child_id)
    involvement = get_object_or_404(Involvement, pk=involvement_id, child=child)
    if request.method != "POST":
        return redirect("children:detail", child.pk)
    try:
        services.set_lead_professional(by=request.user, involvement=involvement)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
    else:
        messages.success(request, "The lead professional has been changed")
    return redirect("children:detail", child.pk)


@login_required
def break_glass(request):
    _case_user(request)
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services.request_break_glass(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            if outcome.granted:
                messages.success(request, outcome.message)
                return redirect("children:detail", outcome.grant.child_id)
            form.add_error(None, outcome.message)
    return render(request, "children/break_glass.html", {
        "form": form, "heading": "Ask for emergency access", "button": "Ask for emergency access", "warning": True,
    })


@login_required
def break_glass_report(request):
    if not request.user.access.is_hub:
        raise Http404("Not found")
    attempts = selectors.break_glass_report()[:200]
    return render(request, "children/break_glass_report.html", {"attempts": attempts})


@login_required
def review_break_glass(request, grant_id: int):
    if not request.user.access.is_hub:
        raise Http404("Not found")
    grant = get_object_or_404(BreakGlassGrant.objects.select_related("user", "child"), pk=grant_id)
    form = ReviewBreakGlassForm(request.POST or None)
    if request.method == "POST" and request.POST.get("revoke") == "yes":
        # Ending access never waits on the review: it may be needed after the review is recorded.
        services.revoke_break_glass(by=request.user, grant=grant)
        if grant.reviewed_at is not None:
            messages.success(request, "The emergency access has been ended")
            return redirect(reverse("children:break_glass_report"))
    if request.method == "POST" and form.is_valid():
        try:
            services.review_break_glass(by=request.user, grant=grant, note=form.cleaned_data["note"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "Your review has been recorded")
            return redirect(reverse("children:break_glass_report"))
    return render(request, "children/review_break_glass.html", {"form": form, "grant": grant})
