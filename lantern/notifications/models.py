from django.conf import settings
from django.db import models
from django.utils import timezone

from lantern.core.models import NeverDeleted


class Notification(NeverDeleted):
    """A message to one user: shown in their Lantern inbox and, where asked, sent by email.

    The email never carries a child's name or details: only that there is something to read,
    with a link back into Lantern, where need-to-know is checked again.
    """

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notifications")
    category = models.CharField(max_length=60)
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    email_wanted = models.BooleanField(default=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"])]

