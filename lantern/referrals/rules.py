"""Who may do what with referrals. A referral is seen by whoever may see its child."""

import rules

from lantern.children.rules import can_view_child


@rules.predicate
def has_case_role(user) -> bool:
    """Practitioners and managers of any agency, and the hub: the people who refer children."""
    return bool(user.is_authenticated and (user.access.case_agency_ids or user.access.is_hub))


@rules.predicate
def is_hub(user, obj=None) -> bool:
    return bool(user.is_authenticated and user.access.is_hub)


@rules.predicate
def can_view_referral(user, referral) -> bool:
    return referral is not None and bool(can_view_child(user, referral.child))


def acting_agency_ids(user) -> frozenset:
    """The agencies a user may act for in a referral: those they hold a case role in, and for
    the hub also the agency in which they hold the hub role (not agencies where they hold, say,
    a board seat)."""
    if not user.is_authenticated:
        return frozenset()
    access = user.access
    return access.case_agency_ids | access.hub_agency_ids


can_refer = has_case_role
can_record_outcome = is_hub
can_see_dashboard = is_hub

rules.add_perm("referrals.add_referral", can_refer)
rules.add_perm("referrals.view_referral", can_view_referral)
rules.add_perm("referrals.record_outcome", can_record_outcome)
