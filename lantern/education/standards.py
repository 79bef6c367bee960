"""Rules of the standards engine that watch the education of children at risk (F07): where a
school-age child at risk is educated is not recorded; a child at medium or high risk is not on
roll anywhere; a part-time timetable has passed its review date. One query each."""

from django.db.models import Exists, OuterRef

from lantern.children.models import Child
from lantern.risk.models import Level
from lantern.risk.selectors import AT_RISK_LEVELS, current_decisions
from lantern.standards.models import Severity
from lantern.standards.registry import AlertSpec, rule

from .models import NOT_ON_ROLL, PartTimeTimetable, Provision, ProvisionStatus
from .selectors import school_age_births
from .services import day

NOT_ON_ROLL_WORDS = {
    ProvisionStatus.HOME_EDUCATED: "electively home educated",
    ProvisionStatus.AWAITING_PLACE: "waiting for a school place",
    ProvisionStatus.MISSING_EDUCATION: "missing education",
    ProvisionStatus.NOT_IN_EDUCATION: "not in education or training",
}


@rule(
    id="F07.education-not-recorded",
    finding="F07",
    title="Where a child at risk is educated is not recorded",
    severity=Severity.WARNING,
)
def education_not_recorded(today):
    """A child of compulsory school age, whose record is open, with a current low, medium or
    high level of any kind, and no current education provision recorded: nobody knows which
    school to tell, or whom to ask about attendance."""
    earliest, latest = school_age_births(today)
    flagged = current_decisions().filter(level__in=AT_RISK_LEVELS).values("child_id")
    rows = (
        Child.objects.filter(closed_at__isnull=True, date_of_birth__gte=earliest, date_of_birth__lte=latest, pk__in=flagged)
        .exclude(Exists(Provision.objects.filter(child=OuterRef("pk"), ended_on__isnull=True)))
        .values_list("pk", flat=True)
        .order_by("pk")
    )
    for pk in rows:
        yield AlertSpec(
            key=f"child:{pk}",
            child_id=pk,
            message=(
                "Record where the child is educated. The child is at risk of exploitation and of school age, but no school, "
                "college or other provision is recorded, so no school can be told and nobody is watching their attendance."
            ),
        )


@rule(
    id="F07.at-risk-not-on-roll",
    finding="F07",
    title="Child at medium or high risk is not on roll",
    severity=Severity.WARNING,
)
def at_risk_not_on_roll(today):
    """A child, whose record is open, at medium or high risk (any kind) whose current education
    provision says they are not on roll: home educated, waiting for a place, missing education or
    not in education or training. Urgent when missing education."""
    serious = current_decisions().filter(level__in=(Level.MEDIUM, Level.HIGH)).values("child_id")
    rows = (
        Provision.objects.filter(ended_on__isnull=True, status__in=NOT_ON_ROLL, child__closed_at__isnull=True, child_id__in=serious)
        .values_list("child_id", "status", "started_on")
        .order_by("child_id")
    )
    for child_id, status, started_on in rows:
        yield AlertSpec(
            key=f"child:{child_id}",
            child_id=child_id,
            severity=Severity.URGENT if status == ProvisionStatus.MISSING_EDUCATION else None,
            message=(
                f"The child is at medium or high risk of exploitation and not on roll anywhere ({NOT_ON_ROLL_WORDS[status]} "
                f"since {day(started_on)}). Agree with the local authority's education service how the child will be educated "
                "and seen, and record it."
            ),
        )


@rule(
    id="F07.part-time-timetable-review-overdue",
    finding="F07",
    title="Part-time timetable review overdue",
    severity=Severity.WARNING,
)
def part_time_timetable_review_overdue(today):
    """A current part-time timetable, of a child whose record is open, past its review date."""
    rows = (
        PartTimeTimetable.objects.filter(ended_on__isnull=True, review_on__lt=today, child__closed_at__isnull=True)
        .values_list("pk", "child_id", "hours_per_week", "started_on", "review_on")
        .order_by("pk")
    )
    for pk, child_id, hours, started_on, review_on in rows:
        yield AlertSpec(
            key=f"timetable:{pk}",
            child_id=child_id,
            due_on=review_on,
            message=(
                f"The part-time timetable of {hours} hours a week, since {day(started_on)}, was due for review on {day(review_on)}. "
                "Review it with the child and their family: record the review and the next date, or end it."
            ),
        )
