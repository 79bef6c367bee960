"""Rules of the standards engine that watch referrals: unanswered referrals age on the hub's
worklist (F04); referrals whose statutory checks are still missing are listed (F01)."""

from lantern.standards.models import Audience, Severity
from lantern.standards.registry import AlertSpec, rule

from .models import EXPECTABLE_CHECKS, CheckType, Referral
from .selectors import with_missing_checks
from lantern.core.dates import long_date


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


@rule(
    id="F04.referral-outcome-overdue",
    finding="F04",
    title="Referral without an outcome",
    severity=Severity.WARNING,
    audience=Audience.HUB,
)
def referral_outcome_overdue(today):
    """A referral still without an outcome after the working day it was due. One query."""
    rows = (
        Referral.objects.filter(outcome="", outcome_due_on__lt=today)
        .values_list("pk", "child_id", "received_at", "outcome_due_on", "referring_agency__name")
        .order_by("outcome_due_on", "pk")
    )
    for pk, child_id, received_at, due_on, agency_name in rows:
        overdue = (today - due_on).days
        yield AlertSpec(
            key=f"referral:{pk}",
            child_id=child_id,
            due_on=due_on,
            message=(
                f"The referral from {agency_name} received {long_date(received_at)} has no outcome: "
                f"{_days(overdue)} overdue. Record the hub's decision and the referrer will be told."
            ),
        )


@rule(
    id="F01.statutory-checks-missing",
    finding="F01",
    title="Statutory checks missing for a referral",
    severity=Severity.WARNING,
    audience=Audience.HUB,
)
def statutory_checks_missing(today):
    """A referral more than a working day old, about a child whose record is open, for which
    expected statutory checks are still not recorded. One query."""
    fields = [f"missing_{c}" for c in EXPECTABLE_CHECKS]
    rows = (
        with_missing_checks(Referral.objects.filter(outcome_due_on__lt=today, child__closed_at__isnull=True))
        .filter(missing_checks__gt=0)
        .values_list("pk", "child_id", "received_at", "outcome_due_on", "referring_agency__name", *fields)
        .order_by("outcome_due_on", "pk")
    )
    for pk, child_id, received_at, due_on, agency_name, *flags in rows:
        missing = [CheckType(c).label for c, flag in zip(EXPECTABLE_CHECKS, flags) if flag]
        yield AlertSpec(
            key=f"referral:{pk}",
            child_id=child_id,
            due_on=due_on,
            message=(
                f"Statutory checks not recorded for the referral from {agency_name} received {long_date(received_at)}: "
                f"{', '.join(missing)}."
            ),
        )
