"""The one way every part of Lantern tells people something: an inbox entry and an email."""

import contextvars
import logging
from collections.abc import Iterable
from contextlib import contextmanager

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from .models import Notification

log = logging.getLogger(__name__)

EMAIL_SUBJECT = "You have a new message in Lantern"

# What an email may say about a notification: its category, never its subject or body,
# which can name a child.
CATEGORY_LABELS = {
    "break_glass": "emergency access to a child's record",
    "involvement": "a child you work with",
    "lead_professional": "a child you are lead professional for",
    "alert": "a new alert",
    "account": "your Lantern account",
    "risk_level": "a change to a child's risk level",
    "screening": "a screening of a child you work with",
    "referral": "a referral to the exploitation hub",
    "missing": "a child you work with who is missing or has returned",
    "meetings": "a meeting about children your agency works with",
    "education": "the education of a child you work with",
    "plan": "the plan of a child you work with",
    "supervision": "supervision of a child you work with",
    "transitions": "a young person's transition to adulthood or a placement out of area",
}


def category_label(category: str) -> str:
    return CATEGORY_LABELS.get(category, "your work in Lantern")


_emails_off = contextvars.ContextVar("lantern_emails_off", default=False)


@contextmanager
def emails_suppressed():
    """Within this block notifications still reach inboxes but no email is sent (the demo
    generator uses it: its fictional people have no real addresses)."""
    token = _emails_off.set(True)
    try:
        yield
    finally:
        _emails_off.reset(token)


def notify(
    *,
    recipients: Iterable,
    category: str,
    subject: str,
    body: str = "",
    url: str = "",
    child=None,
    email: bool = True,
    exclude=None,
) -> list[Notification]:
    """Put a notification in each recipient's inbox and, after the transaction commits, email
    them a link. Inactive users and duplicates are skipped; `exclude` (usually the user who
    caused it) is not told about their own action."""
    email = email and not _emails_off.get()
    seen: set[int] = set()
    rows = []
    now = timezone.now()
    for user in recipients:
        if user is None or not user.is_active or user.pk in seen or (exclude is not None and user.pk == exclude.pk):
            continue
        seen.add(user.pk)
        rows.append(
            Notification(
                recipient=user, category=category, subject=subject[:200], body=body, url=url, child=child,
                created_at=now, email_wanted=email,
            )
        )
    created = Notification.objects.bulk_create(rows)
    if email and created:
        from .tasks import send_notification_emails

        transaction.on_commit(send_notification_emails.enqueue)
    return created


def send_pending_emails() -> int:
    """Email every notification that wants one and has not been sent. Safe to run again:
    a failure is recorded on the notification and retried by the next run (each new
    notification's task, and the daily scan)."""
    qs = Notification.objects.filter(email_wanted=True, emailed_at__isnull=True).select_related("recipient")
    sent = 0
    pending = list(qs[:500])
    if not pending:
        return 0
    try:
        connection = get_connection(fail_silently=False)
        connection.open()
    except Exception as exc:  # the mail server is down: keep them pending
        log.warning("Could not connect to the mail server: %s", exc)
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(email_error=str(exc)[:300])
        return 0
    try:
        for note in pending:
            link = f"{settings.LANTERN_BASE_URL.rstrip('/')}{note.url or '/messages/'}"
            message = EmailMessage(
                subject=EMAIL_SUBJECT,
                body=(
                    f"Dear {note.recipient.full_name},\n\n"
                    f"There is a new message for you in Lantern about {category_label(note.category)}.\n\n"
                    f"Sign in to read it:\n{link}\n\n"
                    "For the children's safety, this email does not contain their details.\n"
                    "Do not reply to this email.\n"
                ),
                to=[note.recipient.email],
                connection=connection,
            )
            try:
                message.send()
            except Exception as exc:
                log.warning("Could not email notification %s: %s", note.pk, exc)
                Notification.objects.filter(pk=note.pk).update(email_error=str(exc)[:300])
                continue
            Notification.objects.filter(pk=note.pk).update(emailed_at=timezone.now(), email_error="")
            sent += 1
    finally:
        connection.close()
    return sent


def mark_read(*, user, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's own notifications as read (all of them when no ids are given)."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    return qs.update(read_at=timezone.now())
