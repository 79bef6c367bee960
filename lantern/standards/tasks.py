"""The daily scan as a background task (django-tasks, database backend, run by `db_worker`).

Each run enqueues the next one for 06:00 London time the following day, so one enqueue keeps
the scan going every day. `manage.py run_standards --schedule` starts the chain;
`manage.py run_standards` runs a scan at once.
"""

import datetime as dt

from django.utils import timezone
from django_tasks import task

from lantern.core.dates import LONDON

SCAN_HOUR = 6


def next_scan_time(now: dt.datetime | None = None) -> dt.datetime:
    local = (now or timezone.now()).astimezone(LONDON)
    candidate = local.replace(hour=SCAN_HOUR, minute=0, second=0, microsecond=0)
    if candidate <= local:
        candidate = (local + dt.timedelta(days=1)).replace(hour=SCAN_HOUR, minute=0, second=0, microsecond=0)
    return candidate.astimezone(dt.timezone.utc)


def schedule_next_scan(*, now: dt.datetime | None = None):
    """Enqueue the next daily scan unless one is already waiting."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(task_path=daily_scan.module_path, status="READY").exists()
    if waiting:
        return None
    return daily_scan.using(run_after=next_scan_time(now)).enqueue(reschedule=True)


@task()
def daily_scan(reschedule: bool = True) -> dict:
    from .services import run_scan

    from lantern.notifications.services import send_pending_emails

    from .registry import daily_jobs

    outcomes = run_scan(trigger="daily")
    for job in daily_jobs():
        job(today=None)
    send_pending_emails()  # retry any email the mail server refused earlier
    if reschedule:
        schedule_next_scan()
    return {o.rule_id: {"opened": o.opened, "resolved": o.resolved, "open": o.open_now} for o in outcomes}
