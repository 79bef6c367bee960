"""Rules of the standards engine that watch missing episodes: a return interview not offered
within LANTERN_RETURN_INTERVIEW_HOURS (72) hours of the return (F06), and a child who keeps
going missing (F06). Both leave out children whose record is closed."""

import datetime as dt
import math


from lantern.core.dates import LONDON
from lantern.standards.models import Audience, Severity
from lantern.standards.registry import AlertSpec, rule

from .conf import repeat_missing_days, return_interview_hours
from .selectors import overdue_interviews, repeatedly_missing, scan_moment
from lantern.core.dates import when


@rule(
    id="F06.return-interview-overdue",
    finding="F06",
    title="Return interview overdue",
    severity=Severity.URGENT,
    audience=Audience.INVOLVED,
)
def return_interview_overdue(today):
    """A returned episode with no return interview offered (nor recorded as not held) more than
    LANTERN_RETURN_INTERVIEW_HOURS (72) elapsed hours after the return, for a child whose record
    is not closed. One query."""
    at = scan_moment(today)
    rows = (
        overdue_interviews(at=at)
        .filter(child__closed_at__isnull=True)
        .values_list("pk", "child_id", "returned_at")
        .order_by("returned_at", "pk")
    )
    for pk, child_id, returned_at in rows:
        due = returned_at + dt.timedelta(hours=return_interview_hours())
        hours = math.floor((at - due).total_seconds() / 3600)
        yield AlertSpec(
            key=f"episode:{pk}",
            child_id=child_id,
            due_on=due.astimezone(LONDON).date(),
            message=(
                f"No return interview offered after the return of {when(returned_at)}: due by {when(due)}, "
                f"{hours} hour{'s' if hours != 1 else ''} overdue. Offer an independent return interview and record it."
            ),
        )


@rule(
    id="F06.repeat-missing",
    finding="F06",
    title="Repeatedly missing",
    severity=Severity.WARNING,
    audience=Audience.INVOLVED,
)
def repeat_missing(today):
    """A child with LANTERN_REPEAT_MISSING_COUNT or more episodes starting in the last
    LANTERN_REPEAT_MISSING_DAYS days: propose them for the next exploitation meeting. One query."""
    days = repeat_missing_days()
    rows = repeatedly_missing(scan_moment(today))
    for child_id, n, first in rows:
        yield AlertSpec(
            key=f"child:{child_id}",
            child_id=child_id,
            message=(
                f"{n} missing episodes in the last {days} days (the first {when(first)}). "
                "Propose the child for the next exploitation risk meeting."
            ),
        )
