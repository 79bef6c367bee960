"""The rule of the standards engine about contact with the child: F20.no-recent-contact, a child
at medium or high risk of exploitation whom no one has seen or spoken to for
LANTERN_NO_CONTACT_DAYS days. One query. (The count of professionals, F18, is the children
app's.) See docs/decisions/0015-contacts-and-supervision.md."""

import datetime as dt

from django.db.models import Exists, OuterRef, Q, Subquery

from lantern.children.models import Child
from lantern.core.dates import LONDON, long_date
from lantern.risk.models import EXPLOITATION_KINDS, Level
from lantern.risk.selectors import current_decisions
from lantern.standards.models import Severity
from lantern.standards.registry import AlertSpec, rule

from .conf import no_contact_days
from .selectors import latest_successful_contact

SERIOUS = (Level.MEDIUM, Level.HIGH)


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=LONDON)


@rule(
    id="F20.no-recent-contact",
    finding="F20",
    title="No recent contact with a child at medium or high risk",
    severity=Severity.WARNING,
)
def no_recent_contact(today):
    """A child whose record is open, with a current medium or high level of sexual or criminal
    exploitation, whose latest successful contact (by any agency; an attempted contact does not
    count) was LANTERN_NO_CONTACT_DAYS days or more before `today` (London dates); or, with no
    successful contact recorded at all, whose earliest current medium or high level was decided
    that long ago. Due on the day the gap reached that many days; urgent for a child at high
    risk. Audience: everyone working with the child (the lead professional among them), and the
    hub, which sees every child. One query."""
    days = no_contact_days()
    cutoff = _start_of(today - dt.timedelta(days=days - 1))  # before this, at least `days` days ago
    serious = current_decisions().filter(kind__in=EXPLOITATION_KINDS, level__in=SERIOUS)
    rows = (
        Child.objects.filter(closed_at__isnull=True, pk__in=serious.values("child_id"))
        .annotate(
            **latest_successful_contact(),
            at_risk_since=Subquery(serious.filter(child=OuterRef("pk")).order_by("decided_at").values("decided_at")[:1]),
            high=Exists(serious.filter(child=OuterRef("pk"), level=Level.HIGH)),
        )
        .filter(Q(last_seen_at__lt=cutoff) | Q(last_seen_at__isnull=True, at_risk_since__lt=cutoff))
        .values_list("pk", "last_seen_at", "last_seen_agency", "at_risk_since", "high")
        .order_by("pk")
    )
    for pk, seen_at, agency, since, high in rows:
        if seen_at is not None:
            seen_on = seen_at.astimezone(LONDON).date()
            gap = (today - seen_on).days
            message = (
                f"No one has seen or spoken to the child for {gap} days: the last successful contact was by {agency} on "
                f"{long_date(seen_on)}. Agree with the lead professional who will see the child, and record the contact."
            )
        else:
            seen_on = since.astimezone(LONDON).date()
            gap = (today - seen_on).days
            message = (
                f"No successful contact with the child is recorded since their risk level was decided on {long_date(seen_on)}, "
                f"{gap} days ago. Agree with the lead professional who will see the child, and record the contact."
            )
        yield AlertSpec(
            key=f"child:{pk}",
            child_id=pk,
            due_on=seen_on + dt.timedelta(days=days),
            severity=Severity.URGENT if high else None,
            message=message,
        )

