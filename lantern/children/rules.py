"""Who may do what with a child's record. `rules` predicates over the user's AccessProfile.

Need to know (docs/decisions/0002-need-to-know.md): a user sees a child while one of their
agencies is actively involved, while they hold a partnership-wide role, or during a current
emergency-access grant. Everyone else is told the child is not found.
"""

import rules
from django.db.models import Exists, OuterRef
from django.utils import timezone

from .models import BreakGlassGrant, Involvement


@rules.predicate
def is_partnership_wide(user, child=None) -> bool:
    return user.is_authenticated and user.access.is_partnership_wide


def _any_involved(user, child, agency_ids) -> bool:
    if not user.is_authenticated or child is None or not agency_ids:
        return False
    return Involvement.objects.filter(child=child, agency_id__in=agency_ids, ended_on__isnull=True).exists()


@rules.predicate
def agency_involved(user, child) -> bool:
    return user.is_authenticated and _any_involved(user, child, user.access.case_agency_ids)


@rules.predicate
def manages_involved_agency(user, child) -> bool:
    return user.is_authenticated and _any_involved(user, child, user.access.manager_agency_ids)


@rules.predicate
def has_current_break_glass(user, child) -> bool:
    if not user.is_authenticated or child is None or not user.access.case_agency_ids:
        return False  # emergency access ends with the user's last case role
    return current_break_glass(user, child) is not None


def current_break_glass(user, child):
    return (
        BreakGlassGrant.objects.filter(user=user, child=child, revoked_at__isnull=True, expires_at__gt=timezone.now())
        .order_by("-expires_at")
        .first()
    )


def active_involvement_exists(agency_ids, child_ref=None):
    """An EXISTS subquery: some agency in `agency_ids` is actively involved with the child."""
    return Exists(
        Involvement.objects.filter(
            child=child_ref if child_ref is not None else OuterRef("pk"), agency_id__in=agency_ids, ended_on__isnull=True
        )
    )


@rules.predicate
def owns_involvement_or_leads(user, involvement) -> bool:
    """The involvement is the user's own agency's, or the user's agency holds the lead."""
    if not user.is_authenticated or involvement is None:
        return False
    agencies = user.access.case_agency_ids
    if involvement.agency_id in agencies:
        return True
    return Involvement.objects.filter(
        child_id=involvement.child_id, agency_id__in=agencies, is_lead=True, ended_on__isnull=True
    ).exists()


can_view_child = is_partnership_wide | agency_involved | has_current_break_glass
can_edit_child = is_partnership_wide | agency_involved
can_see_access_log = is_partnership_wide | manages_involved_agency
# Ending an involvement: the agency itself, the lead professional's agency, or the hub.
can_end_involvement = is_partnership_wide | owns_involvement_or_leads

rules.add_perm("children.view_child", can_view_child)
rules.add_perm("children.change_child", can_edit_child)
rules.add_perm("children.view_access_log", can_see_access_log)
