"""Who may screen a child, decide a level and change the catalogue."""

import rules

from lantern.children.rules import agency_involved
from lantern.partnership.models import Role


@rules.predicate
def is_hub(user) -> bool:
    return user.is_authenticated and user.access.is_hub


@rules.predicate
def is_meeting_chair(user) -> bool:
    return user.is_authenticated and Role.MEETING_CHAIR in user.access.roles


@rules.predicate
def is_administrator(user) -> bool:
    return user.is_authenticated and user.access.is_administrator


# Any agency working with the child can screen them (F09); so can the hub.
can_screen_child = agency_involved | is_hub
# One level per child, owned by the partnership: only the hub or a meeting chair decides it (F03).
can_decide_level = is_hub | is_meeting_chair
can_administer_catalogue = is_administrator

rules.add_perm("risk.screen_child", can_screen_child)
rules.add_perm("risk.decide_level", can_decide_level)
rules.add_perm("risk.change_catalogue", can_administer_catalogue)
