"""Rules of the standards engine for young people becoming adults (F23) and children placed out
of area (F26). One query each."""

import datetime as dt

from lantern.children.models import Child
from lantern.core.dates import long_date
from lantern.risk.selectors import AT_RISK_LEVELS, current_decisions
from lantern.standards.models import Audience, Severity
from lantern.standards.registry import AlertSpec, rule

from .models import LISTED_FROM_AGE, OutOfAreaPlacement, PlanStatus, birthday, born_on_or_before_for_age, default_due_on
from .selectors import plan_overdue


@rule(
    id="F23.transition-plan-missing",
    finding="F23",
    title="Transition plan not agreed by its due date",
    severity=Severity.WARNING,
)
def transition_plan_missing(today: dt.date):
    """A young person aged 17 or over, whose record is open, with a current low, medium or high
    level of any kind, whose transition plan is not agreed by its due date; with no plan
    recorded, by 6 months before their 18th birthday. (Always a warning: the engine keeps an open
    alert's severity, so growing urgency as 18 nears would show only on alerts raised late.)"""
    flagged = current_decisions().filter(level__in=AT_RISK_LEVELS).values("child_id")
    rows = (
        Child.objects.filter(
            closed_at__isnull=True, date_of_birth__lte=born_on_or_before_for_age(today, LISTED_FROM_AGE), pk__in=flagged,
        )
        .filter(plan_overdue(today))
        .values_list("pk", "date_of_birth", "transition_plan__due_on", "transition_plan__status")
        .order_by("pk")
    )
    for pk, dob, due_on, status in rows:
        eighteenth = birthday(dob, 18)
        if due_on is None:
            due_on = default_due_on(dob)
            state = "No transition plan is recorded"
        else:
            state = f"The transition plan is {PlanStatus(status).label.lower()}"
        yield AlertSpec(
            key=f"child:{pk}",
            child_id=pk,
            due_on=due_on,
            message=(
                f"{state}: it was due to be agreed by {long_date(due_on)}. The young person is at risk of exploitation and "
                f"{'turned' if eighteenth <= today else 'turns'} 18 on {long_date(eighteenth)}. Agree a plan with them and "
                "the adult services that will support them, and record it."
            ),
        )


@rule(
    id="F26.host-information-overdue",
    finding="F26",
    title="Information from the host authority overdue",
    severity=Severity.WARNING,
    audience=Audience.INVOLVED,
)
def host_information_overdue(today: dt.date):
    """A current placement out of area, of a child whose record is open, past the date the
    information asked of the host authority was due, with none recorded as received."""
    rows = (
        OutOfAreaPlacement.objects.filter(
            ended_on__isnull=True, information_received_on__isnull=True, information_due_on__lt=today,
            child__closed_at__isnull=True,
        )
        .values_list("pk", "child_id", "host_authority", "placement_area", "information_due_on")
        .order_by("pk")
    )
    for pk, child_id, host, area, due_on in rows:
        yield AlertSpec(
            key=f"placement:{pk}",
            child_id=child_id,
            due_on=due_on,
            message=(
                f"The information asked of {host} about the child's placement in {area} was due on {long_date(due_on)} and has not "
                "been recorded as received. Chase the host authority, and record what they send."
            )[:500],
        )

