"""Who sees what of the network.

- Police (practitioners and managers of a police agency) and the exploitation hub see the
  intelligence in full: persons' details, every link with its source and grading, the network
  view, shared persons, groups and hotspots.
- Every other agency sees, for a child it works with, that the child is linked to a person of
  concern, the person's name and what agencies must do: not the intelligence behind it.
- Anyone who works with a child can record a link from that child, and a person of concern to
  link them to.
- Board members, with the police and the hub, see the counts of disruption (F31): kinds,
  outcomes and what it was against, never a name.
"""

import rules

from lantern.children.rules import agency_involved, is_partnership_wide
from lantern.partnership.models import AgencyType, Role


@rules.predicate
def sees_intelligence(user) -> bool:
    if not user.is_authenticated:
        return False
    access = user.access
    if access.is_hub:
        return True
    return bool(access.case_agency_ids) and user.memberships.filter(
        agency_id__in=access.case_agency_ids, agency__agency_type=AgencyType.POLICE, ended_at__isnull=True
    ).exists()


@rules.predicate
def is_board_member(user) -> bool:
    return bool(user.is_authenticated and Role.BOARD_MEMBER in user.access.roles)


can_link_child = agency_involved | is_partnership_wide
# The counts of disruption, without a name in them, for the board (F31): board members, the police and the hub.
sees_disruption_summary = is_board_member | sees_intelligence
rules.add_perm("network.see_intelligence", sees_intelligence)
rules.add_perm("network.see_disruption_summary", sees_disruption_summary)
