"""Who may record transition plans and placements out of area.

- A transition plan: anyone who may edit the child's record (practitioners and managers of an
  agency involved with the child, the hub and meeting chairs). Social care, the youth
  offending team, a college or a mental health worker may each be the one leading it.
- A placement out of area: children's social care practitioners and managers whose agency is
  involved with the child, and the hub. The local authority places children; others hear of
  it (everyone who works with the child is told).

Someone seeing the child only through emergency access may read both but record neither.
"""

import rules

from lantern.children.models import Involvement
from lantern.children.rules import can_edit_child, can_view_child
from lantern.partnership.models import AgencyType
from lantern.referrals.rules import is_hub

can_record_transition_plan = can_edit_child


@rules.predicate
def social_care_involved(user, child) -> bool:
    """One of the user's agencies (practitioner or manager) is a children's social care agency
    actively involved with the child."""
    if not user.is_authenticated or child is None or not user.access.case_agency_ids:
        return False
    return Involvement.objects.filter(
        child=child, ended_on__isnull=True, agency_id__in=sorted(user.access.case_agency_ids),
        agency__agency_type=AgencyType.SOCIAL_CARE,
    ).exists()


can_record_placement = is_hub | social_care_involved

rules.add_perm("transitions.view_transitionplan", can_view_child)
rules.add_perm("transitions.add_transitionplan", can_record_transition_plan)
rules.add_perm("transitions.view_outofareaplacement", can_view_child)
rules.add_perm("transitions.add_outofareaplacement", can_record_placement)
