from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy

from lantern.core.views import apply_validation_error

from . import selectors, services
from .forms import AgencyForm, LoginForm, NewPasswordForm, PersonForm, ResetForm, TeamForm
from .models import Agency, Membership, Team, User


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    form_class = ResetForm
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/lantern_password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = NewPasswordForm
    success_url = reverse_lazy("password_reset_complete")


def _administrator(request):
    if not request.user.access.is_administrator:
        raise Http404("Not found")


@login_required
def agencies(request):
    _administrator(request)
    form = AgencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            agency = services.create_agency(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"{agency.name} has been added")
            return redirect("partnership:agency", agency.pk)
    return render(request, "partnership/agencies.html", {"agencies": selectors.agencies_with_counts(), "form": form})


@login_required
def agency(request, agency_id: int):
    _administrator(request)
    agency = get_object_or_404(Agency, pk=agency_id)
    person_form = PersonForm(request.POST if request.POST.get("form") == "person" else None, agency=agency, prefix="person")
    team_form = TeamForm(request.POST if request.POST.get("form") == "team" else None, prefix="team")
    if request.method == "POST" and request.POST.get("form") == "person" and person_form.is_valid():
        data = person_form.cleaned_data
        try:
            with transaction.atomic():
                user = User.objects.filter(email__iexact=data["email"]).first()
                if user is None:
                    user = services.create_user(by=request.user, email=data["email"], full_name=data["full_name"], job_title=data["job_title"])
                services.add_membership(by=request.user, user=user, agency=agency, role=data["role"], team=data["team"])
        except ValidationError as exc:
            apply_validation_error(person_form, exc)
        else:
            messages.success(request, f"{user.full_name} has been given the role. They set their password with the 'Forgotten your password?' link")
            return redirect("partnership:agency", agency.pk)
    if request.method == "POST" and request.POST.get("form") == "team_missing":
        team = get_object_or_404(Team, pk=request.POST.get("team") or 0, agency=agency)
        services.set_team_handles_missing(by=request.user, team=team, handles_missing=request.POST.get("handles_missing") == "1")
        messages.success(request, f"{team.name} is {'now a' if team.handles_missing else 'no longer a'} missing team")
        return redirect("partnership:agency", agency.pk)
    if request.method == "POST" and request.POST.get("form") == "team" and team_form.is_valid():
        try:
            services.create_team(by=request.user, agency=agency, name=team_form.cleaned_data["name"],
                                 handles_missing=team_form.cleaned_data["handles_missing"])
        except ValidationError as exc:
            apply_validation_error(team_form, exc)
        else:
            messages.success(request, "The team has been added")
            return redirect("partnership:agency", agency.pk)
    return render(
        request,
        "partnership/agency.html",
        {"agency": agency, "people": selectors.people_in(agency), "teams": agency.teams.all(), "person_form": person_form, "team_form": team_form},
    )


@login_required
def end_membership(request, membership_id: int):
    _administrator(request)
    membership = get_object_or_404(Membership.objects.select_related("user", "agency"), pk=membership_id)
    if request.method == "POST":
        try:
            services.end_membership(by=request.user, membership=membership)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"{membership.user.full_name} no longer has that role in {membership.agency.name}")
        return redirect("partnership:agency", membership.agency_id)
    return render(request, "partnership/end_membership.html", {"membership": membership})
