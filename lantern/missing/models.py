"""Missing episodes of a child and the return interview that follows each one (F06, F19)."""

import datetime as dt

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from lantern.core.models import CaseRecord, NeverDeleted
from lantern.partnership.models import Agency

from .conf import return_interview_hours


class EpisodeKind(models.TextChoices):
    """The SSDA903 codes: missing, or away from placement without authorisation."""

    MISSING = "M", "Missing"
    AWAY = "A", "Away without authorisation (whereabouts known)"


class MissingFrom(models.TextChoices):
    HOME = "home", "Home"
    PLACEMENT = "placement", "Care placement"
    SCHOOL = "school", "School or college"
    OTHER = "other", "Somewhere else"


class MissingEpisode(CaseRecord):
    """One time a child went missing (or was away without authorisation), and their return."""

    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="missing_episodes")
    kind = models.CharField(max_length=1, choices=EpisodeKind.choices)
    missing_from = models.CharField(max_length=16, choices=MissingFrom.choices)
    started_at = models.DateTimeField(help_text="When the child was last seen or went missing.")
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reporting_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    police_reference = models.CharField(max_length=40, blank=True)
    circumstances = models.TextField(blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    return_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    found_where = models.CharField("Where the child was found", max_length=300, blank=True)
    returned_to = models.CharField("Where the child returned to", max_length=300, blank=True)
    found_with = models.CharField("Who the child was with", max_length=300, blank=True)
    condition_on_return = models.TextField("The child's condition on return", blank=True)
    exposed_to = models.TextField("What the child is believed to have been exposed to", blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["child", "-started_at"]),
            models.Index(fields=["returned_at"]),
            models.Index(fields=["started_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(returned_at__isnull=True) | models.Q(returned_at__gte=models.F("started_at")),
                name="missing_return_not_before_start",
            ),
            models.UniqueConstraint(
                fields=["child"], condition=models.Q(returned_at__isnull=True), name="one_open_missing_episode_per_child"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.started_at:%d/%m/%Y %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.returned_at is None

    @property
    def interview_due_at(self) -> dt.datetime | None:
        """LANTERN_RETURN_INTERVIEW_HOURS (72) elapsed hours after the return (worked in UTC, so
        a change of the clocks in between neither adds nor takes away an hour)."""
        if self.returned_at is None:
            return None
        return self.returned_at.astimezone(dt.timezone.utc) + dt.timedelta(hours=return_interview_hours())


class ReturnInterview(CaseRecord):
    """The independent return interview for one episode: the offer, and then either the
    interview held (or declined by the child), or the reason it was not held."""

    episode = models.OneToOneField(MissingEpisode, on_delete=models.PROTECT, related_name="interview")
    offered_at = models.DateTimeField(null=True, blank=True)
    offered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    offered_by_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    independent = models.BooleanField(
        default=False, help_text="The person offering is independent of the child's home or placement."
    )
    accepted = models.BooleanField(null=True, blank=True)
    declined_reason = models.TextField(blank=True)
    held_at = models.DateTimeField(null=True, blank=True)
    childs_account = models.TextField("The child's account", blank=True)
    push_factors = models.TextField(blank=True)
    pull_factors = models.TextField(blank=True)
    disclosures = models.TextField(blank=True)
    people_and_places = models.TextField("People and places named", blank=True)
    shared_with = models.ManyToManyField(Agency, blank=True, related_name="+")
    actions = models.TextField("Actions arising", blank=True)
    outcome_recorded_at = models.DateTimeField(null=True, blank=True)
    outcome_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    not_held_reason = models.TextField(blank=True)
    not_held_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[shared_with])

    class Meta:
        indexes = [models.Index(fields=["offered_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(held_at__isnull=True) | models.Q(accepted=True), name="interview_held_only_if_accepted"
            ),
            models.CheckConstraint(
                condition=~models.Q(accepted=False) | ~models.Q(declined_reason=""), name="interview_declined_with_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"Return interview for {self.episode}"


class OverdueInterviewNotice(NeverDeleted):
    """That the lead professional and the missing team were told, once, that an episode's return
    interview is overdue (F06). Kept so the daily job never tells them twice."""

    episode = models.OneToOneField(MissingEpisode, on_delete=models.PROTECT, related_name="overdue_notice")
    notified_at = models.DateTimeField()
    recipients = models.PositiveIntegerField(default=0, help_text="How many people were told.")

    def __str__(self) -> str:
        return f"Overdue return interview notice for episode {self.episode_id}"
