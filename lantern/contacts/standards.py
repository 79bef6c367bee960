"""The rule of the standards engine about contact with the child: F20.no-recent-contact, a child
at medium or high risk of exploitation whom no one has seen or spoken to for
LANTERN_NO_CONTACT_DAYS days. Two queries. (The count of professionals, F18, is the children
app's.) See docs/decisions/0015-contacts-and-supervision.md."""

import datetime as dt

from django.db.models import Case, Max, Min, OuterRef, Subquery, When

from lantern.children.models import Child
from lantern.core.dates import LONDON, long_date
from lantern.risk.models import EXPLOITATION_KINDS, Level
from lantern.risk.selectors import current_decisions
from lantern.standards.models import Severity
from lantern.standards.registry import AlertSpec, rule

from .conf import no_contact_days
from .models import Contact
from .selectors import latest_successful_contact

SERIOUS = (Level.MEDIUM, Level.HIGH)


class _PerChild(Subquery):
    """A subquery on the grouped child (`OuterRef("child_id")`, which is grouped on), so it is
    worked out once per child in the grouped rows, not also made a grouping key: grouped on, it
    is worked out for every decision row and again for the output (SQLite), about twice the
    seeks of the index the baseline makes."""

    def get_group_by_cols(self):
        return []


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
    hub, which sees every child. Two queries: the children at risk with their latest successful
    contacts, and the agency of the last contact for those found."""
    days = no_contact_days()
    cutoff = _start_of(today - dt.timedelta(days=days - 1))  # before this, at least `days` days ago
    # The children at medium or high risk, each with when that was first decided, whether it is high,
    # and their latest successful contact (one seek of the partial index per child).
    newest = Contact.objects.filter(child=OuterRef("child_id"), successful=True).order_by("-happened_at").values("happened_at")[:1]
    serious = (
        current_decisions().filter(kind__in=EXPLOITATION_KINDS, level__in=SERIOUS, child__closed_at__isnull=True)
        .values("child_id").annotate(since=Min("decided_at"), high=Max(Case(When(level=Level.HIGH, then=1), default=0)), last=_PerChild(newest))
        .values_list("child_id", "since", "high", "last")
    )
    at_risk, last_seen = {}, {}
    for child_id, since, high, last in serious:
        at_risk[child_id] = (since, bool(high))
        if last is not None:
            last_seen[child_id] = last
    flagged = sorted(
        child_id for child_id, (since, _) in at_risk.items()
        if (last_seen[child_id] < cutoff if child_id in last_seen else since < cutoff)
    )
    # Which agency made the last contact, for the few children found.
    agencies = dict(
        Child.objects.filter(pk__in=[c for c in flagged if c in last_seen]).annotate(**latest_successful_contact())
        .values_list("pk", "last_seen_agency")
    )
    rows = [(pk, last_seen.get(pk), agencies.get(pk), *at_risk[pk]) for pk in flagged]
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

