"""What the education app does when something happens elsewhere in Lantern."""

from lantern.risk.selectors import AT_RISK_LEVELS, current_decisions

from .models import Provision, ProvisionStatus
from .services import tell_school_child_is_at_risk


def tell_school_when_first_flagged(sender, *, child, decision, previous, **kwargs) -> None:
    """Receiver of lantern.risk.signals.level_decided (F07): when a child is first identified as
    at risk (a low, medium or high level of any kind, when no other kind was already at one of
    those levels), the school, college or provision the child is on roll at is told.

    "First" means the child was not at risk just before this decision: a later decision while
    the child is still at risk (another kind, or a change of level) does not tell the school
    again; the school hears of those as an involved agency, like everyone else. A child whose
    levels all went back to "no identified risk" and who is later at risk again is "first"
    identified again, and the school is told again."""
    if decision.level not in AT_RISK_LEVELS:
        return
    if previous is not None and previous.level in AT_RISK_LEVELS:
        return
    flagged = list(current_decisions().filter(child=child, level__in=AT_RISK_LEVELS).order_by("kind"))
    if any(d.kind != decision.kind for d in flagged):
        return
    provision = (
        Provision.objects.filter(child=child, ended_on__isnull=True, status=ProvisionStatus.ON_ROLL, school__isnull=False)
        .select_related("school")
        .first()
    )
    if provision is None:
        return  # nowhere to tell: the F07 rule asks for the provision to be recorded
    tell_school_child_is_at_risk(by=decision.decided_by, child=child, provision=provision, decisions=flagged)
