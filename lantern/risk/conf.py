"""Settings of the risk app, with their defaults, and the month arithmetic they need.

- LANTERN_SCREENING_THRESHOLDS: see lantern/risk/scoring.py.
- LANTERN_LEVEL_REVIEW_MONTHS (3): a risk level's next review is at most this many months after
  the decision (local practice: assessments reviewed at least every 3 months).
- LANTERN_SCREENING_RECENT_MONTHS (3): an involved agency that has not screened the child for
  this long is listed on the child page and, for medium and high risk children, alerted (F09).
"""

import calendar
import datetime as dt

from django.conf import settings


def review_months() -> int:
    return int(getattr(settings, "LANTERN_LEVEL_REVIEW_MONTHS", 3))


def recent_screening_months() -> int:
    return int(getattr(settings, "LANTERN_SCREENING_RECENT_MONTHS", 3))


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months later (or earlier), or the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
