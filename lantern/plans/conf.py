"""Settings of the plans app, with their defaults (see lantern/settings/base.py).

- LANTERN_PLAN_REVIEW_MONTHS (3): a plan's next review is at most this many months ahead (F15).
- LANTERN_SERVICE_START_WEEKS (6): a service referral not started this many weeks after it was
  made is alerted (F21).
"""

from django.conf import settings


def plan_review_months() -> int:
    return int(getattr(settings, "LANTERN_PLAN_REVIEW_MONTHS", 3))


def service_start_weeks() -> int:
    return int(getattr(settings, "LANTERN_SERVICE_START_WEEKS", 6))
