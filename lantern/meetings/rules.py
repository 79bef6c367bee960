"""Who may run, open and read meetings.

- The hub and meeting chairs run meetings: create them, build agendas, record decisions, close
  them and publish minutes. They see every item.
- Anyone else opens a meeting only if their agency is invited to it (or has received minutes
  of it), and sees only the items about children their agency is involved with (need to know).
"""

import rules

from lantern.risk.rules import is_hub, is_meeting_chair

can_run_meetings = is_hub | is_meeting_chair


def agency_ids_for(user) -> frozenset:
    """The agencies a user acts for in meetings: those in which they hold a case role."""
    if not user.is_authenticated:
        return frozenset()
    return user.access.case_agency_ids


@rules.predicate
def is_invited(user, meeting) -> bool:
    from .models import Invitation, MinutesShare

    agency_ids = agency_ids_for(user)
    if not agency_ids:
        return False
    return (
        Invitation.objects.filter(meeting=meeting, agency_id__in=agency_ids, withdrawn_at__isnull=True).exists()
        or MinutesShare.objects.filter(release__meeting=meeting, agency_id__in=agency_ids).exists()
    )


can_open_meeting = can_run_meetings | is_invited

rules.add_perm("meetings.run", can_run_meetings)
