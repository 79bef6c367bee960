"""Emails are sent by the task worker (`manage.py db_worker`), never inside a web request."""

from django_tasks import task


@task()
def send_notification_emails() -> int:
    """Send every notification email still waiting, including ones that failed before."""
    from .services import send_pending_emails

    return send_pending_emails()
