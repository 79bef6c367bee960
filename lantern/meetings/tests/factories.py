"""Meetings for tests, made through the services as a chair would."""

import datetime as dt

from django.utils import timezone

from lantern.core.dates import local_today
from lantern.meetings import services
from lantern.meetings.models import MeetingKind
from lantern.risk.tests.factories import screen


def arrange(*, by, kind=MeetingKind.EXPLOITATION, starts_at=None, chair=None, **kwargs):
    kwargs.setdefault("title", "Testshire exploitation meeting")
    kwargs.setdefault("venue", "Room 4, Testshire House")
    return services.create_meeting(
        by=by, kind=kind, starts_at=starts_at or timezone.now() + dt.timedelta(days=1), chair=chair or by, **kwargs
    )


def discuss(*, by, item, level="medium", kind="sexual", actions=1, owner, agency, no_actions_reason=""):
    """Decide a level (screening the child first if nobody has) and add `actions` actions, then close the item."""
    child = item.child
    if child is not None and not child.screenings.exists():
        screen(by=child.created_by, child=child, indicators=[])  # the worker who registered the child
    if child is not None:
        services.decide_at_item(
            by=by, item=item, kind=kind, level=level, reason="Agreed at the meeting after hearing from each agency",
            screenings=list(child.screenings.all()), next_review_on=local_today() + dt.timedelta(days=56),
            departure_reason="The meeting's judgement, on what each agency shared",
        )
    for n in range(actions):
        services.add_action(
            by=by, item=item, description=f"Action {n + 1}: visit and talk with the child about who they spend time with",
            owner=owner, agency=agency, due_on=local_today() + dt.timedelta(days=14), outcome="The child has a trusted adult to talk to",
        )
    return services.close_item(by=by, item=item, no_actions_reason=no_actions_reason)
