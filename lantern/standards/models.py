from django.db import models
from django.utils import timezone

from lantern.core.models import NeverDeleted


class Severity(models.TextChoices):
    URGENT = "urgent", "Urgent"
    WARNING = "warning", "Needs attention"
    INFO = "info", "For information"


class Audience(models.TextChoices):
    INVOLVED = "involved", "Everyone who works with the child"
    HUB = "hub", "The exploitation hub"


class Alert(NeverDeleted):
    """A guard that fired: one rule, about one child (or other record), until it is put right.

    The scan opens an alert when its rule first yields it and resolves it when the rule stops
    yielding it; the same (rule, key) is never open twice. Alerts are never deleted.
    """

    rule_id = models.CharField(max_length=60)
    finding = models.CharField(max_length=8, help_text="The finding in shared/domain/findings.md this rule guards.")
    key = models.CharField(max_length=120, help_text="What the alert is about, unique for the rule while open.")
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, null=True, blank=True, related_name="alerts")
    severity = models.CharField(max_length=16, choices=Severity.choices)
    audience = models.CharField(max_length=16, choices=Audience.choices, default=Audience.INVOLVED)
    message = models.CharField(max_length=500)
    due_on = models.DateField(null=True, blank=True)
    raised_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "-raised_at"]
        indexes = [models.Index(fields=["child", "resolved_at"]), models.Index(fields=["rule_id", "resolved_at"])]
        constraints = [
            models.UniqueConstraint(fields=["rule_id", "key"], condition=models.Q(resolved_at__isnull=True), name="one_open_alert_per_rule_key")
        ]


    def __str__(self) -> str:
        return f"{self.finding} {self.message}"


class ScanRun(NeverDeleted):
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    trigger = models.CharField(max_length=20)
    opened = models.PositiveIntegerField(default=0)
    resolved = models.PositiveIntegerField(default=0)
    still_open = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at"]
