"""Education records for tests, made through the services as users would."""

import datetime as dt

from lantern.core.dates import local_today
from lantern.education import services
from lantern.education.models import ProvisionStatus, Setting
from lantern.risk.tests.factories import decide, screen


def days_ago(n: int) -> dt.date:
    return local_today() - dt.timedelta(days=n)


def on_roll(*, by, child, school, started_on=None, setting=Setting.SCHOOL):
    return services.record_provision(by=by, child=child, status=ProvisionStatus.ON_ROLL, school=school, setting=setting,
                                     started_on=started_on or days_ago(200))


def flag(*, hub, child, kind="sexual", level="medium"):
    """The hub screens the child and decides a level, as it would."""
    screening = screen(by=hub, child=child, indicators=[("SEX-02", "current")])
    return decide(by=hub, child=child, kind=kind, level=level, screenings=[screening])


def absence(*, by, child, absent_on=None, **kwargs):
    defaults = dict(sessions=2, authorised=False, reason="No reason given; phone not answered.")
    defaults.update(kwargs)
    return services.record_absence(by=by, child=child, absent_on=absent_on or local_today(), **defaults)
