"""Plans for tests, made through the services as practitioners would."""

import datetime as dt

from lantern.core.dates import local_today
from lantern.plans import services


def active_plan(*, by, child, owner, agency, contingency=True, review_in_days: int = 60):
    """A plan with one complete action (and a contingency), made active."""
    plan = services.start_plan(by=by, child=child)
    plan = services.update_plan(by=by, plan=plan, expected_version=plan.version, worries="Seen with older males at the station",
                                aims="The child is safe at home and back in school full time", childs_words="I want to go back to college")
    services.add_action(by=by, plan=plan, description="Weekly visits to talk about friendships", owner=owner, agency=agency,
                        due_on=local_today() + dt.timedelta(days=28), outcome="The child names a trusted adult")
    if contingency:
        services.add_contingency(by=by, plan=plan, trigger="A new missing episode", response="Call a strategy discussion the same day",
                                 agency=agency, owner=owner)
    plan.refresh_from_db()
    return services.activate_plan(by=by, plan=plan, expected_version=plan.version, next_review_on=local_today() + dt.timedelta(days=review_in_days))
