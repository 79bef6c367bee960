"""Every read of education records that leaves the app, scoped by who is asking. A record is
visible to whoever may see its child; everyone else is told it is not found."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Exists, IntegerField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

from lantern.children.models import AccessPurpose, Child
from lantern.children.selectors import access_child, access_child_record, children_visible_to
from lantern.core.dates import local_today
from lantern.risk.models import Level, RiskKind
from lantern.risk.selectors import AT_RISK_LEVELS, current_decisions

from .models import (
    Absence,
    AttendanceRecord,
    Exclusion,
    MissingEducationReport,
    PartTimeTimetable,
    Provision,
    ProvisionStatus,
    attendance_percent,
)
from .rules import can_record_education

RECENT_ABSENCE_DAYS = 28


# --- School age ----------------------------------------------------------------------------


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _last_friday_of_june(year: int) -> dt.date:
    last = dt.date(year, 6, 30)
    return last - dt.timedelta(days=(last.weekday() - 4) % 7)


def school_age_births(today: dt.date) -> tuple[dt.date, dt.date]:
    """The earliest and latest dates of birth (both included) of children of compulsory school
    age on `today`: aged 5 or more, and not past the last Friday in June of the school year
    (1 September to 31 August) in which they turn 16."""
    year_start = dt.date(today.year if today.month >= 9 else today.year - 1, 9, 1)
    if today <= _last_friday_of_june(year_start.year + 1):
        earliest = dt.date(year_start.year - 16, 9, 1)
    else:
        earliest = dt.date(year_start.year - 15, 9, 1)
    return earliest, _years_before(today, 5)


# --- Reading records ------------------------------------------------------------------------


def education_child_for(user, child_id, *, path: str = "") -> Child:
    return access_child(user, child_id, purpose=AccessPurpose.PAGE, path=path)


def access_timetable(user, timetable_id, *, path: str = "") -> PartTimeTimetable:
    return access_child_record(user, PartTimeTimetable.objects.all(), timetable_id, path=path)


def access_missing_education_report(user, report_id, *, path: str = "") -> MissingEducationReport:
    return access_child_record(user, MissingEducationReport.objects.all(), report_id, path=path)


def _may_record(user, child: Child) -> bool:
    return child.user_may_edit if hasattr(child, "user_may_edit") else bool(can_record_education(user, child))


SECTION_PROVISIONS = 4
SECTION_ATTENDANCE = 3
SECTION_ABSENCES = 5
SECTION_EXCLUSIONS = 3


def child_education_section(user, child: Child) -> dict:
    """The child page's Education section: the current provision and the ones before it, the
    latest attendance figures and absences, a current part-time timetable, the latest
    suspensions and exclusions, and an open report of missing education. Six queries, whatever
    the size of the record."""
    provisions = list(Provision.objects.filter(child=child).select_related("school").order_by("-started_on", "-id")[:SECTION_PROVISIONS])
    current = provisions[0] if provisions and provisions[0].ended_on is None else None
    return {
        "current": current,
        "earlier": [p for p in provisions if p is not current],
        "attendance": list(AttendanceRecord.objects.filter(child=child).order_by("-period_end", "-id")[:SECTION_ATTENDANCE]),
        "absences": list(Absence.objects.filter(child=child).order_by("-absent_on", "-id")[:SECTION_ABSENCES]),
        "timetable": PartTimeTimetable.objects.filter(child=child, ended_on__isnull=True).first(),
        "exclusions": list(Exclusion.objects.filter(child=child).order_by("-started_on", "-id")[:SECTION_EXCLUSIONS]),
        "missing_education": MissingEducationReport.objects.filter(child=child, resolved_on__isnull=True).first(),
        "can_record": _may_record(user, child),
        "today": local_today(),
    }


@dataclass
class EducationRecord:
    child: Child
    provisions: list
    attendance: list
    absences: object
    timetables: list
    exclusions: list
    missing_education: list
    can_record: bool

    @property
    def current(self) -> Provision | None:
        return next((p for p in self.provisions if p.ended_on is None), None)

    @property
    def current_timetable(self) -> PartTimeTimetable | None:
        return next((t for t in self.timetables if t.ended_on is None), None)

    @property
    def open_report(self) -> MissingEducationReport | None:
        return next((r for r in self.missing_education if r.resolved_on is None), None)


def education_record(user, child: Child, *, absence_page: int = 1) -> EducationRecord:
    """Everything recorded about the child's education; absences a page at a time. Seven queries."""
    return EducationRecord(
        child=child,
        provisions=list(Provision.objects.filter(child=child).select_related("school", "recorded_by").order_by("-started_on", "-id")),
        attendance=list(AttendanceRecord.objects.filter(child=child).select_related("recorded_by").order_by("-period_end", "-id")),
        absences=Paginator(
            Absence.objects.filter(child=child).select_related("recorded_by").order_by("-absent_on", "-id"), settings.LANTERN_PAGE_SIZE
        ).get_page(absence_page),
        timetables=list(PartTimeTimetable.objects.filter(child=child).select_related("recorded_by", "ended_by").order_by("-started_on", "-id")),
        exclusions=list(Exclusion.objects.filter(child=child).select_related("recorded_by").order_by("-started_on", "-id")),
        missing_education=list(
            MissingEducationReport.objects.filter(child=child).select_related("reported_by", "resolved_by").order_by("-reported_on", "-id")
        ),
        can_record=_may_record(user, child),
    )


# --- The list for schools -------------------------------------------------------------------


def at_risk_on_roll(user, *, page_number: int = 1, today: dt.date | None = None):
    """The children at risk (a current low, medium or high level of any kind) on roll at one of
    the user's agencies (every school of the partnership, for the hub and meeting chairs), among
    the children the user may see, by name, with the school, the risk levels, the latest
    attendance figures, the sessions missed in recorded absences of the last 28 days and whether
    they are on a part-time timetable. Three queries whatever the number: a count, one page, and
    the levels of the children on it."""
    today = today or local_today()
    on_roll = Provision.objects.filter(child=OuterRef("pk"), ended_on__isnull=True, status=ProvisionStatus.ON_ROLL, school__isnull=False)
    if not user.access.is_partnership_wide:
        on_roll = on_roll.filter(school_id__in=sorted(user.access.case_agency_ids))
    flagged = current_decisions().filter(child=OuterRef("pk"), level__in=AT_RISK_LEVELS)
    latest = AttendanceRecord.objects.filter(child=OuterRef("pk")).order_by("-period_end", "-id")
    recent = (
        Absence.objects.filter(child=OuterRef("pk"), absent_on__gte=today - dt.timedelta(days=RECENT_ABSENCE_DAYS))
        .order_by().values("child").annotate(total=Sum("sessions")).values("total")
    )
    qs = (
        children_visible_to(user)
        .filter(Exists(on_roll), Exists(flagged))
        .annotate(
            school_name=Subquery(on_roll.values("school__name")[:1]),
            latest_attended=Subquery(latest.values("attended_sessions")[:1]),
            latest_possible=Subquery(latest.values("possible_sessions")[:1]),
            latest_period_end=Subquery(latest.values("period_end")[:1]),
            recent_absence_sessions=Coalesce(Subquery(recent, output_field=IntegerField()), 0),
            part_time=Exists(PartTimeTimetable.objects.filter(child=OuterRef("pk"), ended_on__isnull=True)),
        )
        .only("id", "legal_first_name", "legal_last_name", "preferred_name", "date_of_birth")
        .order_by("legal_last_name", "legal_first_name", "id")
    )
    page = Paginator(qs, settings.LANTERN_PAGE_SIZE).get_page(page_number)
    children = list(page.object_list)
    levels: dict[int, list] = {}
    for child_id, kind, level in (
        current_decisions().filter(child_id__in=[c.pk for c in children], level__in=AT_RISK_LEVELS)
        .order_by("child_id", "kind").values_list("child_id", "kind", "level")
    ):
        levels.setdefault(child_id, []).append((RiskKind(kind).label, Level(level).label, level))
    for child in children:
        child.levels = levels.get(child.pk, [])
        child.highest_level = max((code for _, _, code in child.levels), key=Level.rank, default="")
        child.latest_percent = (
            attendance_percent(child.latest_attended, child.latest_possible) if child.latest_possible else None
        )
    page.object_list = children
    return page
