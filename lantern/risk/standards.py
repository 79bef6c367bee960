"""Rules of the standards engine that watch risk levels and screenings."""

from django.db.models import Count, Exists, OuterRef

from lantern.children.models import Involvement
from lantern.standards.models import Severity
from lantern.standards.registry import AlertSpec, rule

from .conf import recent_screening_months
from .models import EXPLOITATION_KINDS, Level, RiskKind, Screening
from .selectors import current_decisions, recent_since

AT_RISK = (Level.LOW, Level.MEDIUM, Level.HIGH)


@rule(
    id="F03.level-review-overdue",
    finding="F03",
    title="Risk level review overdue",
    severity=Severity.WARNING,
)
def level_review_overdue(today):
    """A child's current level (low, medium or high, of any kind) is past its next review date.
    One alert per child and kind, due on the review date; urgent when the level is high."""
    rows = (
        current_decisions()
        .filter(level__in=AT_RISK, next_review_on__lt=today, child__closed_at__isnull=True)
        .values_list("child_id", "kind", "level", "next_review_on")
        .order_by("child_id", "kind")
    )
    for child_id, kind, level, review_on in rows:
        yield AlertSpec(
            key=f"child:{child_id}:{kind}",
            child_id=child_id,
            due_on=review_on,
            severity=Severity.URGENT if level == Level.HIGH else None,
            message=(
                f"The {RiskKind(kind).label.lower()} risk level ({Level(level).label.lower()}) was due for review on "
                f"{review_on:%d/%m/%Y}. The hub or a meeting should review it and record the decision."
            ),
        )


@rule(
    id="F09.screening-missing",
    finding="F09",
    title="Involved agency has not screened a medium or high risk child",
    severity=Severity.WARNING,
)
def screening_missing(today):
    """A child at medium or high risk of exploitation, where an agency working with them has not
    contributed a screening in the last LANTERN_SCREENING_RECENT_MONTHS months. One alert per
    child, naming how many agencies."""
    months = recent_screening_months()
    since = recent_since(today)
    serious = current_decisions().filter(kind__in=EXPLOITATION_KINDS, level__in=(Level.MEDIUM, Level.HIGH)).values("child_id")
    recent = Screening.objects.filter(child=OuterRef("child"), agency=OuterRef("agency"), screened_at__gte=since)
    rows = (
        Involvement.objects.filter(ended_on__isnull=True, child__closed_at__isnull=True, child_id__in=serious)
        .exclude(Exists(recent))
        .values("child_id")
        .annotate(agencies=Count("agency", distinct=True))
        .values_list("child_id", "agencies")
        .order_by("child_id")
    )
    for child_id, agencies in rows:
        who = "1 agency working with this child has" if agencies == 1 else f"{agencies} agencies working with this child have"
        yield AlertSpec(
            key=f"child:{child_id}",
            child_id=child_id,
            message=f"{who} not contributed a screening in the last {months} months. Each involved agency should screen a child at medium or high risk.",
        )
