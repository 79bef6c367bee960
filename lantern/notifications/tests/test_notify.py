import pytest
from django.core.management import call_command
from django.db import transaction

from lantern.children.tests.factories import register_child
from lantern.notifications.models import Notification
from lantern.notifications.services import emails_suppressed, mark_read, notify, send_pending_emails


def run_worker():
    """Run the real task worker until the queue is empty. The worker closes its database
    connection when it finishes, so tests that use it commit their data (transaction=True)."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")


worker_test = pytest.mark.django_db(transaction=True)


@worker_test
def test_inbox_and_email_over_real_smtp_without_the_childs_details(partnership, smtp_inbox, django_capture_on_commit_callbacks):
    p = partnership
    child = register_child(by=p.school_lead, first_name="Bryony", last_name="Larkspur")
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[p.nurse, p.nurse, p.school_lead], category="involvement", child=child, exclude=p.school_lead,
               subject="Bryony Larkspur has a new worker", url=f"/children/{child.pk}/")
    assert Notification.objects.filter(category="involvement").count() == 1
    assert smtp_inbox.messages == []  # nothing is sent inside the request: the task worker sends it
    run_worker()
    bodies = [b for b in smtp_inbox.bodies_to("nina@lantern.test") if f"/children/{child.pk}/" in b]
    assert len(bodies) == 1
    assert "Bryony" not in bodies[0] and "Larkspur" not in bodies[0]
    assert Notification.objects.get(category="involvement").emailed_at is not None


@worker_test
def test_mail_server_down_keeps_emails_pending_until_it_is_back(partnership, settings, smtp_inbox, django_capture_on_commit_callbacks):
    p = partnership
    real_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = 1  # nothing listens there
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[p.nurse], category="alert", subject="Something to see")
    run_worker()
    note = Notification.objects.get(category="alert")
    assert note.emailed_at is None and note.email_error
    settings.EMAIL_PORT = real_port
    assert send_pending_emails() >= 1
    note.refresh_from_db()
    assert note.emailed_at is not None
    assert len(smtp_inbox.bodies_to("nina@lantern.test")) >= 1


@worker_test
def test_suppressed_emails_still_reach_the_inbox(partnership, smtp_inbox, django_capture_on_commit_callbacks):
    run_worker()  # send what the partnership fixture queued, then start from an empty inbox
    smtp_inbox.messages.clear()
    with django_capture_on_commit_callbacks(execute=True), emails_suppressed():
        notify(recipients=[partnership.nurse], category="alert", subject="Quiet")
    run_worker()
    assert Notification.objects.filter(category="alert", recipient=partnership.nurse).exists()
    assert smtp_inbox.messages == []


def test_inactive_users_are_not_told(partnership):
    partnership.nurse.is_active = False
    partnership.nurse.save()
    with transaction.atomic():
        created = notify(recipients=[partnership.nurse], category="alert", subject="Hello", email=False)
    assert created == []


def test_mark_read_only_touches_your_own(partnership, client):
    notify(recipients=[partnership.nurse, partnership.school_lead], category="alert", subject="Hello", email=False)
    unread_before = Notification.objects.filter(recipient=partnership.nurse, read_at__isnull=True).count()
    assert mark_read(user=partnership.nurse) == unread_before
    assert not Notification.objects.filter(recipient=partnership.nurse, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=partnership.school_lead, category="alert", read_at__isnull=True).count() == 1
    client.force_login(partnership.school_lead)
    assert "Hello" in client.get("/messages/").content.decode()
