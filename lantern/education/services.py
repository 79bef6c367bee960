"""Every write to a child's education record (F07). Keyword-only; each checks permission,
validates (every problem at once, nothing saved on error), writes in a transaction, keeps
history, adds to the child's timeline and tells the people who need to know:

- the school a child is on roll at is told when the child is first identified as at risk
  (`tell_school_child_is_at_risk`, called from lantern/education/receivers.py), and when a
  school is recorded for a child who is already at risk;
- the lead professional of a child at risk is told at once of anything recorded that keeps the
  child out of education: an absence, attendance figures with unauthorised absence, a
  part-time timetable, a suspension or exclusion, a report of missing education.

See docs/decisions/0012-education.md.
"""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from lantern.children import timeline
from lantern.children.models import Child, Involvement
from lantern.children.services import add_involvement
from lantern.core.dates import local_today
from lantern.notifications.services import notify
from lantern.partnership.models import Agency, AgencyType
from lantern.partnership.selectors import case_workers
from lantern.partnership.selectors import hub_members
from lantern.risk.models import Level, RiskKind
from lantern.risk.selectors import AT_RISK_LEVELS, current_decisions

from .models import (
    FULL_TIME_HOURS,
    Absence,
    AttendanceRecord,
    Exclusion,
    ExclusionKind,
    MissingEducationOutcome,
    MissingEducationReport,
    PartTimeTimetable,
    Provision,
    ProvisionStatus,
    Setting,
)
from .rules import can_record_education

PROVISION_RECORDED = timeline.register_kind("education_provision", "Education provision recorded")
SCHOOL_TOLD = timeline.register_kind("education_school_told", "School on roll told the child is at risk")
ATTENDANCE_RECORDED = timeline.register_kind("education_attendance", "Attendance figures")
ABSENCE_RECORDED = timeline.register_kind("education_absence", "Absence from education")
TIMETABLE_STARTED = timeline.register_kind("education_timetable_started", "Part-time timetable")
TIMETABLE_REVIEWED = timeline.register_kind("education_timetable_reviewed", "Part-time timetable reviewed")
TIMETABLE_ENDED = timeline.register_kind("education_timetable_ended", "Part-time timetable ended")
EXCLUSION_RECORDED = timeline.register_kind("education_exclusion", "Suspension or exclusion")
MISSING_EDUCATION_REPORTED = timeline.register_kind("education_missing_reported", "Reported as missing education")
MISSING_EDUCATION_RESOLVED = timeline.register_kind("education_missing_resolved", "No longer missing education")

NOTIFICATION_CATEGORY = "education"
MAX_ABSENCE_SESSIONS = 20
MAX_SUSPENSION_DAYS = 45  # the most a pupil may be suspended for in a school year
TIMETABLE_REVIEW_WEEKS = 6
INVOLVEMENT_ROLES = {
    Setting.SCHOOL: "School the child is on roll at",
    Setting.COLLEGE: "College the child is on roll at",
    Setting.ALTERNATIVE: "Alternative provision the child is on roll at",
}


# --- Helpers ------------------------------------------------------------------------------


def day(value: dt.date) -> str:
    """'3 March 2026'."""
    return f"{value.day} {value:%B %Y}"


def _text(value: str | None) -> str:
    return (value or "").strip()


def _require(by, child: Child) -> None:
    if by is None or not by.is_authenticated or not can_record_education(by, child):
        raise PermissionDenied("You can only record education for a child your agency works with.")


def _lock_child(child: Child) -> None:
    """One writer at a time per child, so two people cannot both pass the checks."""
    Child.objects.select_for_update().filter(pk=child.pk).values_list("pk").first()


def _check_date(errors: dict, field: str, value: dt.date | None, child: Child, *, label: str, missing: str) -> None:
    """A date that must lie between the child's date of birth and today."""
    if value is None:
        errors[field] = missing
    elif value > local_today():
        errors[field] = f"{label} must be today or in the past"
    elif value < child.date_of_birth:
        errors[field] = f"{label} must be on or after the child's date of birth"


def _record_url(child: Child) -> str:
    return reverse("education:child", args=[child.pk])


def _event(*, child: Child, kind, by, summary: str, detail: str = "", on: dt.date | None = None) -> None:
    occurred = None
    if on is not None and on < local_today():
        occurred = timezone.make_aware(dt.datetime.combine(on, dt.time(9)))
    timeline.record_event(child=child, kind=kind.code, actor=by, summary=summary, detail=detail, url=_record_url(child),
                          occurred_at=occurred)


def _risk_words(kind: str, level: str) -> str:
    what = RiskKind(kind).label if kind == RiskKind.RISK_TO_OTHERS else f"{RiskKind(kind).label} risk"
    return f"{what}: {Level(level).label.lower()}"


def flagged_decisions(child: Child) -> list:
    """The child's current risk decisions at low, medium or high, of any kind. One query."""
    return list(current_decisions().filter(child=child, level__in=AT_RISK_LEVELS).order_by("kind"))


def is_flagged(child: Child) -> bool:
    return current_decisions().filter(child=child, level__in=AT_RISK_LEVELS).exists()


def tell_lead_professional(*, by, child: Child, subject: str, body: str) -> list:
    """Tell the lead professional of a child at risk (any current low, medium or high level) at
    once. When the lead involvement names no professional, its agency's practitioners and
    managers are told; when no lead is named, the exploitation hub is. Nobody is told about a
    child not at risk, and the person recording is never told of their own record."""
    if not is_flagged(child):
        return []
    lead = Involvement.objects.filter(child=child, is_lead=True, ended_on__isnull=True).select_related("professional").first()
    if lead is not None and lead.professional is not None:
        recipients, note = [lead.professional], ""
    elif lead is not None:
        recipients, note = case_workers([lead.agency_id]), " No lead professional is named on your agency's involvement."
    else:
        recipients, note = list(hub_members()), " No lead professional is named for this child, so the exploitation hub is told."
    return notify(
        recipients=recipients, category=NOTIFICATION_CATEGORY, child=child, url=_record_url(child), exclude=by,
        subject=subject, body=body + note,
    )


def _ensure_school_involved(*, by, child: Child, school: Agency, setting: str, started_on: dt.date) -> None:
    """The school on roll is made an involved agency, so it can see the child it must be told about."""
    if Involvement.objects.filter(child=child, agency=school, ended_on__isnull=True).exists():
        return
    add_involvement(by=by, child=child, agency=school, role=INVOLVEMENT_ROLES.get(setting, INVOLVEMENT_ROLES[Setting.SCHOOL]),
                    started_on=started_on)


def tell_school_child_is_at_risk(*, by, child: Child, provision: Provision, decisions: list) -> list:
    """Tell the practitioners and managers of the school the child is on roll at that the child
    has been identified as at risk (F07), and note it on the timeline. The school is made
    involved first if it is not, so it can open the child's page."""
    school = provision.school
    if school is None or not school.is_active or not decisions:
        return []
    _ensure_school_involved(by=by, child=child, school=school, setting=provision.setting, started_on=provision.started_on)
    words = "; ".join(_risk_words(d.kind, d.level) for d in decisions)
    timeline.record_event(
        child=child, kind=SCHOOL_TOLD.code, actor=by, agency=school, url=_record_url(child),
        summary=f"{school.name}, where the child is on roll, told the child is at risk of exploitation ({words})",
    )
    return notify(
        recipients=case_workers([school.pk]), category=NOTIFICATION_CATEGORY, child=child, exclude=by,
        url=reverse("children:detail", args=[child.pk]),
        subject="A child on roll with you has been identified as at risk of exploitation",
        body=f"The partnership has decided the child's level of risk ({words}). You are told because the child is on roll at "
        f"{school.name}. Your designated safeguarding lead should read the child's page, and record absences from school "
        "in Lantern on the day they happen.",
    )


# --- Where the child is educated --------------------------------------------------------------


@transaction.atomic
def record_provision(
    *,
    by,
    child: Child,
    status: str,
    started_on: dt.date | None,
    school: Agency | None = None,
    provision_name: str = "",
    setting: str = "",
) -> Provision:
    """Record where the child is educated from `started_on`: on roll at a school, college or
    alternative provision of the partnership (`school`) or outside it (`provision_name`), or not
    on roll and why. The current provision ends that day. A school of the partnership is made
    involved with the child, and told at once if the child is already at risk."""
    _require(by, child)
    errors: dict[str, str] = {}
    name = _text(provision_name)
    if status not in ProvisionStatus.values:
        errors["status"] = "Select where the child is educated, or why they are not on roll"
    _check_date(errors, "started_on", started_on, child, label="The start date", missing="Enter the date this started")
    if status == ProvisionStatus.ON_ROLL:
        if school is None and not name:
            errors["school"] = "Select the school, college or provision in the partnership, or enter the name of one outside it"
        elif school is not None and name:
            errors["provision_name"] = "Select a provision in the partnership or enter the name of one outside it, not both"
        elif school is not None and (school.agency_type != AgencyType.EDUCATION or not school.is_active):
            errors["school"] = "Select a school, college or provision that is active in the partnership"
        if len(name) > 200:
            errors["provision_name"] = "The name must be 200 characters or fewer"
        if setting not in Setting.values:
            errors["setting"] = "Select the type of provision: school, college or alternative provision"
    else:
        school, name, setting = None, "", ""
    _lock_child(child)
    current = Provision.objects.filter(child=child, ended_on__isnull=True).select_related("school").first()  # the child is locked
    if current is not None and not errors:
        if (current.status, current.school_id, current.provision_name) == (status, school.pk if school else None, name):
            errors["status"] = f"This is already recorded: {current.description.lower()} since {day(current.started_on)}"
        elif started_on < current.started_on:
            errors["started_on"] = (
                f"The start date must be on or after {day(current.started_on)}, when the current record "
                f"({current.description.lower()}) started"
            )
    if errors:
        raise ValidationError(errors)
    if current is not None:
        current.ended_on = started_on
        current.version += 1
        current._history_user = by
        current.save()
    provision = Provision(
        child=child, status=status, school=school, provision_name=name, setting=setting, started_on=started_on, recorded_by=by,
    )
    provision._history_user = by
    provision.save()
    _event(child=child, kind=PROVISION_RECORDED, by=by, on=started_on,
           summary=f"{provision.description} from {day(started_on)}, recorded by {by.full_name}"
           + (f" (previously {current.description.lower()})" if current else ""))
    if school is not None:
        _ensure_school_involved(by=by, child=child, school=school, setting=setting, started_on=started_on)
        decisions = flagged_decisions(child)
        if decisions:
            tell_school_child_is_at_risk(by=by, child=child, provision=provision, decisions=decisions)
    return provision


# --- Attendance and absence -----------------------------------------------------------------


def _count(errors: dict, field: str, value, *, label: str, minimum: int = 0, maximum: int | None = None) -> int | None:
    if value is None or value == "":
        errors[field] = f"Enter {label}"
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors[field] = f"{label[0].upper()}{label[1:]} must be a whole number"
        return None
    if number < minimum:
        errors[field] = f"{label[0].upper()}{label[1:]} must be {minimum} or more"
    elif maximum is not None and number > maximum:
        errors[field] = f"{label[0].upper()}{label[1:]} must be {maximum} or fewer"
    return number


@transaction.atomic
def record_attendance(
    *,
    by,
    child: Child,
    period_start: dt.date | None,
    period_end: dt.date | None,
    possible_sessions,
    attended_sessions,
    authorised_absences,
    unauthorised_absences,
) -> AttendanceRecord:
    """Record attendance figures for a period, in sessions (a morning or an afternoon). The
    sessions attended and missed must add up to the sessions possible. If the child is at risk
    and missed any session without authorisation, the lead professional is told at once."""
    _require(by, child)
    errors: dict[str, str] = {}
    _check_date(errors, "period_start", period_start, child, label="The start of the period", missing="Enter the start of the period")
    _check_date(errors, "period_end", period_end, child, label="The end of the period", missing="Enter the end of the period")
    if "period_start" not in errors and "period_end" not in errors and period_end < period_start:
        errors["period_end"] = "The end of the period must be on or after its start"
    possible = _count(errors, "possible_sessions", possible_sessions, label="the number of possible sessions", minimum=1)
    attended = _count(errors, "attended_sessions", attended_sessions, label="the number of sessions attended")
    authorised = _count(errors, "authorised_absences", authorised_absences, label="the number of sessions missed with authorisation")
    unauthorised = _count(errors, "unauthorised_absences", unauthorised_absences,
                          label="the number of sessions missed without authorisation")
    if "possible_sessions" not in errors and "period_start" not in errors and "period_end" not in errors:
        most = 2 * ((period_end - period_start).days + 1)
        if possible > most:
            errors["possible_sessions"] = f"There are at most {most} sessions (2 a day) between those dates"
    counts = (possible, attended, authorised, unauthorised)
    if not any(f in errors for f in ("possible_sessions", "attended_sessions", "authorised_absences", "unauthorised_absences")):
        if attended + authorised + unauthorised != possible:
            errors["possible_sessions"] = (
                f"The sessions attended and missed must add up to the possible sessions: {attended} + {authorised} + "
                f"{unauthorised} is {attended + authorised + unauthorised}, not {possible}"
            )
    if errors:
        raise ValidationError(errors)
    record = AttendanceRecord(
        child=child, period_start=period_start, period_end=period_end, possible_sessions=counts[0], attended_sessions=counts[1],
        authorised_absences=counts[2], unauthorised_absences=counts[3], recorded_by=by,
    )
    record._history_user = by
    record.save()
    summary = (f"Attendance {record.percent}% from {day(period_start)} to {day(period_end)}: {unauthorised} session"
               f"{'s' if unauthorised != 1 else ''} missed without authorisation")
    _event(child=child, kind=ATTENDANCE_RECORDED, by=by, on=period_end, summary=f"{summary}, recorded by {by.full_name}")
    if unauthorised:
        tell_lead_professional(
            by=by, child=child, subject="A child at risk you lead for has missed school without authorisation",
            body=f"{by.full_name} recorded attendance figures. {summary}.",
        )
    return record


@transaction.atomic
def record_absence(*, by, child: Child, absent_on: dt.date | None, sessions, authorised: bool | None, reason: str) -> Absence:
    """Record an absence from education: the day it started, the sessions missed, whether it was
    authorised and why. If the child is at risk, the lead professional is told at once."""
    _require(by, child)
    errors: dict[str, str] = {}
    _check_date(errors, "absent_on", absent_on, child, label="The date of the absence", missing="Enter the date the absence started")
    count = _count(errors, "sessions", sessions, label="the number of sessions missed", minimum=1, maximum=MAX_ABSENCE_SESSIONS)
    if authorised is None:
        errors["authorised"] = "Select whether the absence was authorised"
    reason = _text(reason)
    if not reason:
        errors["reason"] = "Enter the reason for the absence, or say that it is not known"
    if errors:
        raise ValidationError(errors)
    absence = Absence(child=child, absent_on=absent_on, sessions=count, authorised=bool(authorised), reason=reason, recorded_by=by)
    absence._history_user = by
    absence.save()
    what = (f"{'Authorised' if authorised else 'Unauthorised'} absence from {day(absent_on)}: {count} session"
            f"{'s' if count != 1 else ''} missed")
    _event(child=child, kind=ABSENCE_RECORDED, by=by, on=absent_on, summary=f"{what}, recorded by {by.full_name}", detail=reason)
    tell_lead_professional(
        by=by, child=child, subject="A child at risk you lead for has been absent from education",
        body=f"{by.full_name} recorded an absence. {what}. Reason given: {reason}",
    )
    return absence


# --- Part-time timetables ----------------------------------------------------------------------


def _hours(errors: dict, value) -> Decimal | None:
    if value is None or value == "":
        errors["hours_per_week"] = "Enter the hours a week the child is taught"
        return None
    try:
        hours = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        errors["hours_per_week"] = "Hours a week must be a number, for example 12.5"
        return None
    if hours <= 0:
        errors["hours_per_week"] = "Hours a week must be more than 0"
    elif hours >= FULL_TIME_HOURS:
        errors["hours_per_week"] = f"Hours a week must be less than {FULL_TIME_HOURS}, a full-time week"
    return hours


def _check_review(errors: dict, review_on: dt.date | None, *, after: dt.date, after_label: str) -> None:
    if review_on is None:
        errors["review_on"] = "Enter the date the timetable will be reviewed"
    elif review_on < after:
        errors["review_on"] = f"The review date must be on or after {after_label}"
    elif review_on > after + dt.timedelta(weeks=TIMETABLE_REVIEW_WEEKS):
        errors["review_on"] = (
            f"The review date must be within {TIMETABLE_REVIEW_WEEKS} weeks of {after_label}: a part-time timetable must be temporary"
        )


@transaction.atomic
def start_part_time_timetable(
    *, by, child: Child, started_on: dt.date | None, hours_per_week, reason: str, review_on: dt.date | None
) -> PartTimeTimetable:
    """Record a part-time timetable, with the reason and a review within 6 weeks. One at a time.
    If the child is at risk, the lead professional is told at once."""
    _require(by, child)
    errors: dict[str, str] = {}
    _check_date(errors, "started_on", started_on, child, label="The start date", missing="Enter the date the timetable started")
    hours = _hours(errors, hours_per_week)
    reason = _text(reason)
    if not reason:
        errors["reason"] = "Enter why the child is on a part-time timetable"
    if "started_on" not in errors:
        _check_review(errors, review_on, after=started_on, after_label="the start date")
    _lock_child(child)
    current = PartTimeTimetable.objects.filter(child=child, ended_on__isnull=True).first()
    if current is not None:
        errors["started_on"] = (
            f"The child is already on a part-time timetable, since {day(current.started_on)}. End that one first"
        )
    if errors:
        raise ValidationError(errors)
    timetable = PartTimeTimetable(child=child, started_on=started_on, hours_per_week=hours, reason=reason, review_on=review_on,
                                  recorded_by=by)
    timetable._history_user = by
    timetable.save()
    what = f"Part-time timetable of {hours} hours a week from {day(started_on)}, to be reviewed by {day(review_on)}"
    _event(child=child, kind=TIMETABLE_STARTED, by=by, on=started_on, summary=f"{what}, recorded by {by.full_name}", detail=reason)
    tell_lead_professional(
        by=by, child=child, subject="A child at risk you lead for is on a part-time timetable",
        body=f"{by.full_name} recorded a {what[0].lower()}{what[1:]}. Reason: {reason}",
    )
    return timetable


def _lock_current_timetable(by, timetable: PartTimeTimetable) -> PartTimeTimetable:
    _require(by, timetable.child)
    locked = PartTimeTimetable.objects.select_for_update().select_related("child").get(pk=timetable.pk)
    if locked.ended_on is not None:
        raise ValidationError(f"This part-time timetable already ended on {day(locked.ended_on)}.", code="already_ended")
    return locked


@transaction.atomic
def review_part_time_timetable(*, by, timetable: PartTimeTimetable, review_on: dt.date | None, note: str = "") -> PartTimeTimetable:
    """Record that the timetable was reviewed today and continues, with the next review date
    (within 6 weeks)."""
    locked = _lock_current_timetable(by, timetable)
    errors: dict[str, str] = {}
    today = local_today()
    _check_review(errors, review_on, after=today, after_label="today")
    if errors:
        raise ValidationError(errors)
    locked.review_on = review_on
    locked.version += 1
    locked._history_user = by
    locked.save()
    _event(child=locked.child, kind=TIMETABLE_REVIEWED, by=by,
           summary=f"Part-time timetable reviewed by {by.full_name}; it continues, next review by {day(review_on)}", detail=_text(note))
    timetable.review_on, timetable.version = locked.review_on, locked.version
    return locked


@transaction.atomic
def end_part_time_timetable(*, by, timetable: PartTimeTimetable, ended_on: dt.date | None, reason: str) -> PartTimeTimetable:
    """End a part-time timetable, for example when the child returns to full time."""
    locked = _lock_current_timetable(by, timetable)
    errors: dict[str, str] = {}
    if ended_on is None:
        errors["ended_on"] = "Enter the date the timetable ended"
    elif ended_on > local_today():
        errors["ended_on"] = "The end date must be today or in the past"
    elif ended_on < locked.started_on:
        errors["ended_on"] = f"The end date must be on or after the start, {day(locked.started_on)}"
    reason = _text(reason)
    if not reason:
        errors["reason"] = "Enter why the timetable ended, for example the child is back to full time"
    if errors:
        raise ValidationError(errors)
    locked.ended_on = ended_on
    locked.end_reason = reason
    locked.ended_by = by
    locked.version += 1
    locked._history_user = by
    locked.save()
    _event(child=locked.child, kind=TIMETABLE_ENDED, by=by, on=ended_on,
           summary=f"Part-time timetable ended on {day(ended_on)}, recorded by {by.full_name}", detail=reason)
    for name in ("ended_on", "end_reason", "ended_by", "version"):
        setattr(timetable, name, getattr(locked, name))
    return locked


# --- Suspensions and exclusions ----------------------------------------------------------------


@transaction.atomic
def record_exclusion(*, by, child: Child, kind: str, started_on: dt.date | None, reason: str, days=None) -> Exclusion:
    """Record a suspension (for a number of school days) or a permanent exclusion. If the child
    is at risk, the lead professional is told at once."""
    _require(by, child)
    errors: dict[str, str] = {}
    if kind not in ExclusionKind.values:
        errors["kind"] = "Select whether this is a suspension or a permanent exclusion"
    _check_date(errors, "started_on", started_on, child, label="The start date", missing="Enter the date it started")
    count = None
    if kind == ExclusionKind.SUSPENSION:
        count = _count(errors, "days", days, label="the number of school days", minimum=1, maximum=MAX_SUSPENSION_DAYS)
    reason = _text(reason)
    if not reason:
        errors["reason"] = "Enter the reason the school gave"
    if errors:
        raise ValidationError(errors)
    exclusion = Exclusion(child=child, kind=kind, started_on=started_on, days=count, reason=reason, recorded_by=by)
    exclusion._history_user = by
    exclusion.save()
    what = str(exclusion)
    _event(child=child, kind=EXCLUSION_RECORDED, by=by, on=started_on, summary=f"{what}, recorded by {by.full_name}", detail=reason)
    tell_lead_professional(
        by=by, child=child,
        subject=f"A child at risk you lead for has been {'permanently excluded' if kind == ExclusionKind.PERMANENT else 'suspended'}",
        body=f"{by.full_name} recorded a {what[0].lower()}{what[1:]}. Reason: {reason}",
    )
    return exclusion


# --- Children missing education --------------------------------------------------------------


@transaction.atomic
def report_missing_education(*, by, child: Child, reported_on: dt.date | None, details: str) -> MissingEducationReport:
    """Record that the child was reported as missing education. One report is open at a time.
    If the child is at risk, the lead professional is told at once."""
    _require(by, child)
    errors: dict[str, str] = {}
    _check_date(errors, "reported_on", reported_on, child, label="The date of the report", missing="Enter the date it was reported")
    details = _text(details)
    if not details:
        errors["details"] = "Enter what is known: when the child was last in education, and what has been done to find them"
    _lock_child(child)
    current = MissingEducationReport.objects.filter(child=child, resolved_on__isnull=True).first()
    if current is not None:
        errors["reported_on"] = f"The child was already reported as missing education on {day(current.reported_on)}. Record how that ended first"
    if errors:
        raise ValidationError(errors)
    report = MissingEducationReport(child=child, reported_on=reported_on, reported_by=by, details=details)
    report._history_user = by
    report.save()
    _event(child=child, kind=MISSING_EDUCATION_REPORTED, by=by, on=reported_on,
           summary=f"Reported as missing education on {day(reported_on)} by {by.full_name}", detail=details)
    tell_lead_professional(
        by=by, child=child, subject="A child at risk you lead for has been reported as missing education",
        body=f"{by.full_name} reported the child as missing education on {day(reported_on)}. {details}",
    )
    return report


@transaction.atomic
def resolve_missing_education(
    *, by, report: MissingEducationReport, resolved_on: dt.date | None, outcome: str, outcome_detail: str = ""
) -> MissingEducationReport:
    """Record how a report of missing education ended: where the child was found, or that they moved away."""
    _require(by, report.child)
    locked = MissingEducationReport.objects.select_for_update().select_related("child").get(pk=report.pk)
    if locked.resolved_on is not None:
        raise ValidationError(f"This report was already resolved on {day(locked.resolved_on)}.", code="already_resolved")
    errors: dict[str, str] = {}
    if resolved_on is None:
        errors["resolved_on"] = "Enter the date it was resolved"
    elif resolved_on > local_today():
        errors["resolved_on"] = "The date must be today or in the past"
    elif resolved_on < locked.reported_on:
        errors["resolved_on"] = f"The date must be on or after the report, {day(locked.reported_on)}"
    if outcome not in MissingEducationOutcome.values:
        errors["outcome"] = "Select the outcome"
    detail = _text(outcome_detail)
    if outcome == MissingEducationOutcome.OTHER and not detail:
        errors["outcome_detail"] = "Enter what happened"
    if errors:
        raise ValidationError(errors)
    locked.resolved_on = resolved_on
    locked.resolved_by = by
    locked.outcome = outcome
    locked.outcome_detail = detail
    locked.version += 1
    locked._history_user = by
    locked.save()
    _event(child=locked.child, kind=MISSING_EDUCATION_RESOLVED, by=by, on=resolved_on,
           summary=f"No longer missing education from {day(resolved_on)}: {locked.get_outcome_display().lower()}", detail=detail)
    for name in ("resolved_on", "resolved_by", "outcome", "outcome_detail", "version"):
        setattr(report, name, getattr(locked, name))
    return locked
