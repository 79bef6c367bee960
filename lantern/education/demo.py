"""Demo education records for the fictional partnership, written through the services as users
would. Called by the demo generator for each child after their risk levels are decided, so
recording the school of a child already at risk tells the school, as it would in life.
Deterministic for a given random generator and date.

Most children are on roll at one of the demo's schools; a few are not on roll, and for a few
nothing is recorded yet. Children at
medium or high risk often have poor attendance and recent absences; some have a part-time
timetable or a suspension, and one or two a permanent exclusion or a report of missing education."""

import datetime as dt
import random

from lantern.partnership.models import AgencyType, User
from lantern.risk.models import Level
from lantern.risk.selectors import current_levels

from . import services
from .models import ExclusionKind, ProvisionStatus, Setting

ABSENCE_REASONS = {
    True: ["Illness: mum phoned in.", "Medical appointment.", "Family funeral, agreed with the head of year."],
    False: ["No reason given; phone not answered.", "Seen in town during the school day.", "Left school after registration.",
            "Said she overslept; arrived after the register closed.", "Not known. Home visit made; no answer."],
}
TIMETABLE_REASONS = ["Struggling in class after a managed move; building up hours.", "Anxiety about school; a phased return agreed.",
                     "Behaviour: mornings only while an assessment is done."]
EXCLUSION_REASONS = ["Persistent disruptive behaviour.", "Verbal abuse of a member of staff.", "Drug and alcohol related.",
                     "Physical assault against a pupil."]
NOT_ON_ROLL = [ProvisionStatus.HOME_EDUCATED, ProvisionStatus.AWAITING_PLACE, ProvisionStatus.MISSING_EDUCATION]


def _school_day(day: dt.date) -> dt.date:
    """The school day on or before `day` (Monday to Friday)."""
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


def _highest(child) -> str:
    levels = [d.level for d in current_levels(child).values() if d is not None]
    return max(levels, key=Level.rank, default=Level.NONE)


def add_demo_education(*, rng: random.Random, child, today: dt.date, staff_by_agency: dict[str, list[User]], hub_user) -> None:
    involvements = [inv for inv in child.involvements.select_related("agency").order_by("started_on", "pk") if inv.ended_on is None]
    school_inv = next((inv for inv in involvements if inv.agency.agency_type == AgencyType.EDUCATION), None)
    if rng.random() < 0.04:
        return  # nobody has recorded where the child is educated: the F07 rule asks for it
    level = _highest(child)
    serious = Level.rank(level) >= Level.rank(Level.MEDIUM)
    staff = staff_by_agency.get(school_inv.agency.name) if school_inv else None
    recorder = rng.choice(staff) if staff else hub_user
    year_start = dt.date(today.year if today.month >= 9 else today.year - 1, 9, 1)
    since = max(year_start - dt.timedelta(days=365 * rng.randint(0, 3)), child.date_of_birth + dt.timedelta(days=365 * 5))
    since = min(since, today)
    if school_inv is None or rng.random() < (0.12 if serious else 0.03):
        services.record_provision(by=hub_user, child=child, status=rng.choice(NOT_ON_ROLL), started_on=since)
        if rng.random() < 0.5:
            services.report_missing_education(
                by=hub_user, child=child, reported_on=min(since + dt.timedelta(days=rng.randint(5, 40)), today),
                details="Not on any school's roll since leaving the last school; family not engaging with the education service.",
            )
        return
    school = school_inv.agency
    setting = Setting.ALTERNATIVE if "Referral Unit" in school.name else (Setting.COLLEGE if child.age >= 16 else Setting.SCHOOL)
    services.record_provision(by=recorder, child=child, status=ProvisionStatus.ON_ROLL, school=school, setting=setting, started_on=since)

    # Attendance for the last two six-week periods, lower for children at risk.
    base = {Level.NONE: 96, Level.LOW: 91, Level.MEDIUM: 84, Level.HIGH: 74}[level]
    end = _school_day(today - dt.timedelta(days=1))
    for _ in range(2):
        start = end - dt.timedelta(days=39)
        if start < since:
            break
        possible = 60
        attended = max(10, min(possible, round(possible * rng.uniform(base - 10, base + 4) / 100)))
        missed = possible - attended
        unauthorised = rng.randint(0, missed) if serious else rng.randint(0, missed // 2)
        services.record_attendance(
            by=recorder, child=child, period_start=start, period_end=end, possible_sessions=possible, attended_sessions=attended,
            authorised_absences=missed - unauthorised, unauthorised_absences=unauthorised,
        )
        end = _school_day(start - dt.timedelta(days=3))

    # Recent absences recorded on the day, mostly for children at risk.
    count = rng.choices([0, 1, 2, 4], weights=[20, 30, 30, 20] if serious else [75, 15, 7, 3])[0]
    for days_ago in sorted(rng.sample(range(1, 30), count), reverse=True):
        on = _school_day(today - dt.timedelta(days=days_ago))
        authorised = rng.random() < (0.3 if serious else 0.6)
        services.record_absence(by=recorder, child=child, absent_on=max(on, since), sessions=rng.choice([1, 2, 2, 2]),
                                authorised=authorised, reason=rng.choice(ABSENCE_REASONS[authorised]))
    if serious and rng.random() < 0.2:
        started = max(since, today - dt.timedelta(days=rng.randint(5, 45)))
        services.start_part_time_timetable(
            by=recorder, child=child, started_on=started, hours_per_week=rng.choice([10, 12.5, 15, 20]),
            reason=rng.choice(TIMETABLE_REASONS), review_on=started + dt.timedelta(weeks=rng.choice([4, 6, 6])),
        )
    if rng.random() < (0.2 if serious else 0.04):
        permanent = level == Level.HIGH and rng.random() < 0.15
        services.record_exclusion(
            by=recorder, child=child, kind=ExclusionKind.PERMANENT if permanent else ExclusionKind.SUSPENSION,
            started_on=_school_day(max(since, today - dt.timedelta(days=rng.randint(5, 120)))),
            days=None if permanent else rng.choice([1, 2, 3, 5]), reason=rng.choice(EXCLUSION_REASONS),
        )
