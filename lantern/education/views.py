from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from lantern.core.views import apply_validation_error

from . import selectors, services
from .forms import (
    AbsenceForm,
    AttendanceForm,
    EndTimetableForm,
    ExclusionForm,
    MissingEducationForm,
    ProvisionForm,
    ResolveMissingEducationForm,
    ReviewTimetableForm,
    TimetableForm,
)
from .rules import can_record_education

REFUSED = "Only an agency working with the child, or the exploitation hub, can record the child's education."


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page", 1)))
    except ValueError:
        return 1


def _form_page(request, *, child, form_class, heading: str, button: str, call, done: str, intro: str = "", **extra):
    """One question page about a child's education: the form, the service on a valid POST, its
    refusal or errors on the form, and back to the child's education record when saved."""
    if not (child.user_may_edit if hasattr(child, "user_may_edit") else can_record_education(request.user, child)):
        raise PermissionDenied(REFUSED)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            call(form)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or REFUSED)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, done)
            return redirect("education:child", child.pk)
    return render(request, "education/form.html", {
        "form": form, "child": child, "heading": heading, "button": button, "intro": intro,
        "back_url": reverse("education:child", args=[child.pk]), "back_text": f"Back to {child.display_name}'s education", **extra,
    })


@login_required
def at_risk_list(request):
    if not request.user.access.can_work_with_children:
        raise PermissionDenied("Your role does not include children's records.")
    page = selectors.at_risk_on_roll(request.user, page_number=_page_number(request))
    return render(request, "education/list.html", {"page": page, "recent_days": selectors.RECENT_ABSENCE_DAYS})


@login_required
def child_record(request, child_id: int):
    child = selectors.education_child_for(request.user, child_id, path=request.path)
    record = selectors.education_record(request.user, child, absence_page=_page_number(request))
    return render(request, "education/child.html", {"record": record, "child": child})


@login_required
def record_provision(request, child_id: int):
    child = selectors.education_child_for(request.user, child_id, path=request.path)
    return _form_page(
        request, child=child, form_class=ProvisionForm, heading="Record where the child is educated", button="Save",
        intro="This replaces the current record from the date you give; the earlier record is kept. If the child is at risk, "
        "the school, college or provision they are on roll at is told straight away.",
        call=lambda form: services.record_provision(by=request.user, child=child, **form.provision_data()),
        done="Where the child is educated has been recorded",
    )


@login_required
def record_attendance(request, child_id: int):
    child = selectors.education_child_for(request.user, child_id, path=request.path)
    return _form_page(
        request, child=child, form_class=AttendanceForm, heading="Add attendance figures", button="Add the figures",
        intro="Enter the figures in sessions for one period, for example a half term. The sessions attended and missed must "
        "add up to the possible sessions.",
        call=lambda form: services.record_attendance(by=request.user, child=child, **form.cleaned_data),
        done="The attendance figures have been added",
    )


@login_required
def record_absence(request, child_id: int):
    child = selectors.education_child_for(request.user, child_id, path=request.path)
    return _form_page(
        request, child=child, form_class=AbsenceForm, heading="Record an absence", button="Record the absence",
        intro="Record the absence on the day. If the child is at risk, their lead professional is told straight away. "
        "If you think the child is missing, call the police and record a missing episode too.",
        call=lambda form: services.record_absence(by=request.user, child=child, **form.absence_data()),
        done="The absence has been recorded",
    )


@login_required
def start_timetable(request, child_id: int):
    child = selectors.education_child_for(request.user, child_id, path=request.path)
    return _form_page(
        request, child=child, form_class=TimetableForm, heading="Record a part-time timetable", button="Record the timetable",
        call=lambda form: services.start_part_time_timetable(by=request.user, child=child, **form.cleaned_data),
        done="The part-time timetable has been recorded",
    )


@login_required
def record_exclusion(request, child_id: int):
    child = selectors.education_child_for(request.user, child_id, path=request.path)
    return _form_page(
        request, child=child, form_class=ExclusionForm, heading="Record a suspension or exclusion", button="Record it",
        call=lambda form: services.record_exclusion(by=request.user, child=child, **form.cleaned_data),
        done="The suspension or exclusion has been recorded",
    )


@login_required
def report_missing_education(request, child_id: int):
    child = selectors.education_child_for(request.user, child_id, path=request.path)
    return _form_page(
        request, child=child, form_class=MissingEducationForm, heading="Report the child as missing education",
        button="Record the report",
        intro="Record here that the child has been referred to the local authority as missing education: not on any school's "
        "roll and not educated otherwise, or not found after a long absence.",
        call=lambda form: services.report_missing_education(by=request.user, child=child, **form.cleaned_data),
        done="The report of missing education has been recorded",
    )


def _timetable_page(request, timetable_id, *, form_class, heading, button, call, done):
    timetable = selectors.access_timetable(request.user, timetable_id, path=request.path)
    if timetable.ended_on is not None:
        return redirect("education:child", timetable.child_id)
    return _form_page(request, child=timetable.child, form_class=form_class, heading=heading, button=button,
                      call=lambda form: call(timetable, form), done=done, timetable=timetable)


@login_required
def review_timetable(request, timetable_id: int):
    return _timetable_page(
        request, timetable_id, form_class=ReviewTimetableForm, heading="Record a review of the part-time timetable",
        button="Record the review", done="The review has been recorded",
        call=lambda timetable, form: services.review_part_time_timetable(by=request.user, timetable=timetable, **form.cleaned_data),
    )


@login_required
def end_timetable(request, timetable_id: int):
    return _timetable_page(
        request, timetable_id, form_class=EndTimetableForm, heading="End the part-time timetable", button="End the timetable",
        done="The part-time timetable has ended",
        call=lambda timetable, form: services.end_part_time_timetable(by=request.user, timetable=timetable, **form.cleaned_data),
    )


@login_required
def resolve_missing_education(request, cme_report_id: int):
    report = selectors.access_missing_education_report(request.user, cme_report_id, path=request.path)
    if report.resolved_on is not None:
        return redirect("education:child", report.child_id)
    return _form_page(
        request, child=report.child, form_class=ResolveMissingEducationForm, heading="Record how the report of missing education ended",
        button="Save", done="The outcome has been recorded",
        call=lambda form: services.resolve_missing_education(by=request.user, report=report, **form.cleaned_data),
    )
