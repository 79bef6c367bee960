"""Transition plans and placements out of area for tests, made through the services as users would."""

import datetime as dt

from lantern.core.dates import local_today
from lantern.transitions import services
from lantern.transitions.models import PlanStatus, default_due_on


def days_ago(n: int) -> dt.date:
    return local_today() - dt.timedelta(days=n)


def born_aged(years: int, *, days_past_birthday: int = 40) -> dt.date:
    """A date of birth `days_past_birthday` days after the `years`th birthday, counted back from today."""
    today = local_today()
    try:
        anniversary = today.replace(year=today.year - years)
    except ValueError:
        anniversary = today.replace(year=today.year - years, day=28)
    return anniversary - dt.timedelta(days=days_past_birthday)


def plan(*, by, child, owner=None, agency=None, status=PlanStatus.IN_PROGRESS, **kwargs):
    owner = owner or by
    agency = agency or owner.memberships.filter(ended_at__isnull=True).first().agency
    values = dict(due_on=default_due_on(child.date_of_birth), status=status, owner=owner, owner_agency=agency)
    if status == PlanStatus.AGREED:
        values.update(agreed_on=local_today(), receiving_services=["leaving_care"], summary="Supported flat at 18.",
                      young_persons_words="I want my own place.")
    values.update(kwargs)
    return services.save_transition_plan(by=by, child=child, **values)


def placement(*, by, child, agency, **kwargs):
    values = dict(
        placing_agency=agency, host_authority="Westmarsh Borough Council", placement_area="Saltby", started_on=days_ago(30),
        notified_host_on=days_ago(32), information_requested="Police intelligence about the area.", information_due_on=days_ago(2),
        host_contact_name="Robin Larchmoor", host_contact_email="robin@example.gov.uk", host_contact_phone="01632 960 001",
    )
    values.update(kwargs)
    return services.record_out_of_area_placement(by=by, child=child, **values)
