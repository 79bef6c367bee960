"""Contacts and supervision records for tests, made through the services as users would."""

import datetime as dt

from django.utils import timezone

from lantern.contacts import services
from lantern.contacts.models import ContactKind, Place, WithWhom
from lantern.core.dates import LONDON, local_today


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    """An aware London time."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=LONDON)


def hours_ago(hours: float) -> dt.datetime:
    return timezone.now() - dt.timedelta(hours=hours)


def contact(*, by, child, happened_at=None, kind=ContactKind.FACE_TO_FACE, **kwargs):
    defaults = dict(
        summary="Talked about school and friends. Seemed tired; said things at home are fine.",
        place=Place.HOME, with_whom="" if kind == ContactKind.ATTEMPTED else WithWhom.ALONE,
    )
    defaults.update(kwargs)
    return services.record_contact(by=by, child=child, happened_at=happened_at or hours_ago(2), kind=kind, **defaults)


def supervision(*, by, child, held_on=None, **kwargs):
    defaults = dict(reflection="The risk is rising: new older friends and a second phone. The plan is not yet reducing it.")
    defaults.update(kwargs)
    return services.record_supervision(by=by, child=child, held_on=held_on or local_today(), **defaults)
