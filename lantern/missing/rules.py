"""Who may do what with missing episodes. Anyone who may see the child may record an episode,
a return and a return interview: the police, the carer's agency, the school and the missing team
all need to, and at any hour."""

import rules

from lantern.children.rules import can_view_child


@rules.predicate
def can_view_episode(user, episode) -> bool:
    return episode is not None and bool(can_view_child(user, episode.child))


@rules.predicate
def can_record_for_child(user, child) -> bool:
    return bool(user.is_authenticated and user.access.agency_ids and can_view_child(user, child))


def acting_agency_ids(user) -> frozenset:
    """The agencies a user may record for: every agency they belong to."""
    return user.access.agency_ids if user.is_authenticated else frozenset()


rules.add_perm("missing.view_missingepisode", can_view_episode)
rules.add_perm("missing.add_missingepisode", can_record_for_child)
