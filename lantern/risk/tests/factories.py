"""Screenings and decisions for tests, made through the services as users would."""

import datetime as dt

from lantern.core.dates import local_today
from lantern.risk import services
from lantern.risk.models import When

NOW, PAST = When.CURRENT.value, When.PAST_12_MONTHS.value


def screen(*, by, child, indicators=(), **kwargs):
    """Screen with (id, when) or (id, when, evidence); evidence is filled in when left out."""
    rows = [(row[0], row[1], row[2] if len(row) > 2 else f"Seen by the worker: {row[0]}") for row in indicators]
    return services.submit_screening(by=by, child=child, indicators=rows, **kwargs)


def review_in(days: int = 30) -> dt.date:
    return local_today() + dt.timedelta(days=days)


def decide(*, by, child, kind="sexual", level="high", screenings=None, reason="Agreed at the hub", **kwargs):
    if screenings is None:
        screenings = list(child.screenings.all())
    kwargs.setdefault("next_review_on", review_in())
    if "departure_reason" not in kwargs:
        kwargs["departure_reason"] = "Professional judgement, recorded in the test"
    return services.decide_risk_level(by=by, child=child, kind=kind, level=level, reason=reason, screenings=screenings, **kwargs)
