"""Settings of the meetings app, with their defaults (see lantern/settings/base.py).

- LANTERN_MEETING_REVIEW_WEEKS (8): a child at medium or high risk is reviewed at a meeting at
  least this often; the agenda proposes every such child not discussed for this long.
- LANTERN_DECISIONS_HOURS (24): decisions and actions reach the agencies within this many hours.
- LANTERN_MINUTES_WORKING_DAYS (10): full minutes within this many working days of the meeting.
- LANTERN_MINUTES_ACKNOWLEDGE_WORKING_DAYS (3): minutes not acknowledged after this many
  working days are chased.
"""

from django.conf import settings


def review_weeks() -> int:
    return int(getattr(settings, "LANTERN_MEETING_REVIEW_WEEKS", 8))


def decisions_hours() -> int:
    return int(getattr(settings, "LANTERN_DECISIONS_HOURS", 24))


def minutes_working_days() -> int:
    return int(getattr(settings, "LANTERN_MINUTES_WORKING_DAYS", 10))


def acknowledge_working_days() -> int:
    return int(getattr(settings, "LANTERN_MINUTES_ACKNOWLEDGE_WORKING_DAYS", 3))
