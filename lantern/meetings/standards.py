"""Rules of the standards engine that watch meetings and their minutes (F25): decisions and
actions not sent within LANTERN_DECISIONS_HOURS, full minutes not published within
LANTERN_MINUTES_WORKING_DAYS working days, and minutes an agency has not acknowledged."""

import datetime as dt

from django.db.models import Exists, OuterRef

from lantern.core.dates import LONDON, add_working_days, long_date, working_days_between
from lantern.standards.models import Audience, Severity
from lantern.standards.registry import AlertSpec, rule

from .conf import acknowledge_working_days, decisions_hours, minutes_working_days
from .models import Meeting, MeetingStatus, MinutesRelease, MinutesShare, ReleaseKind


def _end_of(today: dt.date) -> dt.datetime:
    return dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min, tzinfo=LONDON)


@rule(id="F25.decisions-not-sent", finding="F25", title="Decisions and actions not sent", severity=Severity.URGENT, audience=Audience.HUB)
def decisions_not_sent(today):
    """A meeting held more than LANTERN_DECISIONS_HOURS ago that is still not closed, so its
    decisions and actions have not reached the agencies. One query."""
    cutoff = _end_of(today) - dt.timedelta(hours=decisions_hours())
    for pk, title, starts_at in (
        Meeting.objects.filter(status=MeetingStatus.PLANNED, starts_at__lt=cutoff).order_by("starts_at").values_list("pk", "title", "starts_at")
    ):
        due = starts_at + dt.timedelta(hours=decisions_hours())
        yield AlertSpec(
            key=f"meeting:{pk}", due_on=due.astimezone(LONDON).date(),
            message=f"{title} on {long_date(starts_at.astimezone(LONDON).date())} is not closed, so its decisions and actions "
            f"have not gone to the agencies. They were due within {decisions_hours()} hours.",
        )


@rule(id="F25.minutes-overdue", finding="F25", title="Full minutes not published", severity=Severity.WARNING, audience=Audience.HUB)
def minutes_overdue(today):
    """A closed meeting whose full minutes are not published LANTERN_MINUTES_WORKING_DAYS
    working days after it. One query."""
    published = MinutesRelease.objects.filter(meeting=OuterRef("pk"), kind=ReleaseKind.FULL)
    rows = Meeting.objects.filter(status=MeetingStatus.CLOSED).exclude(Exists(published)).order_by("starts_at").values_list("pk", "title", "starts_at")
    for pk, title, starts_at in rows:
        due = add_working_days(starts_at.astimezone(LONDON).date(), minutes_working_days())
        if due < today:
            yield AlertSpec(
                key=f"meeting:{pk}", due_on=due,
                message=f"The full minutes of {title} on {long_date(starts_at.astimezone(LONDON).date())} were due by "
                f"{long_date(due)}. Publish them so every agency has them.",
            )


@rule(id="F25.minutes-unacknowledged", finding="F25", title="Minutes not acknowledged", severity=Severity.WARNING, audience=Audience.HUB)
def minutes_unacknowledged(today):
    """Minutes an agency has not confirmed receiving after LANTERN_MINUTES_ACKNOWLEDGE_WORKING_DAYS
    working days. One query."""
    limit = acknowledge_working_days()
    rows = (
        MinutesShare.objects.filter(acknowledged_at__isnull=True)
        .order_by("shared_at", "pk")
        .values_list("pk", "agency__name", "shared_at", "release__kind", "release__meeting__title", "release__meeting__starts_at")
    )
    for pk, agency, shared_at, kind, title, starts_at in rows:
        shared_on = shared_at.astimezone(LONDON).date()
        waiting = working_days_between(shared_on, today)
        if waiting > limit:
            yield AlertSpec(
                key=f"share:{pk}", due_on=add_working_days(shared_on, limit),
                message=f"{agency} has not confirmed it received the {ReleaseKind(kind).label.lower()} of {title} on "
                f"{long_date(starts_at.astimezone(LONDON).date())}, sent {waiting} working days ago. Check it has them.",
            )
