"""Settings of the missing app, with their defaults.

- LANTERN_REPEAT_MISSING_COUNT (3) and LANTERN_REPEAT_MISSING_DAYS (90): a child with this many
  episodes starting within this many days raises the repeat-missing alert.
- LANTERN_RETURN_INTERVIEW_HOURS (72): a return interview is offered within this many elapsed
  hours of the child's return (F06).
- LANTERN_AFTER_CHANGE_OF_WORKER_DAYS (90): an episode starting within this many days after a
  change of worker is flagged (F19).
"""

from django.conf import settings


def repeat_missing_count() -> int:
    return int(getattr(settings, "LANTERN_REPEAT_MISSING_COUNT", 3))


def repeat_missing_days() -> int:
    return int(getattr(settings, "LANTERN_REPEAT_MISSING_DAYS", 90))


def return_interview_hours() -> int:
    return int(getattr(settings, "LANTERN_RETURN_INTERVIEW_HOURS", 72))


def after_change_of_worker_days() -> int:
    return int(getattr(settings, "LANTERN_AFTER_CHANGE_OF_WORKER_DAYS", 90))
