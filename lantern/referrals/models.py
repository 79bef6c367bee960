"""Referrals of children to the exploitation hub, their outcomes (F04) and the statutory checks
each agency made for them (F01)."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from lantern.core.models import CaseRecord
from lantern.partnership.models import Agency, AgencyType


class Urgency(models.TextChoices):
    ROUTINE = "routine", "Routine"
    URGENT = "urgent", "Urgent: the hub should look at it today"
    IMMEDIATE = "immediate", "Immediate: the child is at risk of harm now (you have also called the police on 999)"


class Outcome(models.TextChoices):
    NO_FURTHER_ACTION = "nfa", "No further action"
    SCREENING = "screening", "Exploitation screening"
    STRATEGY_DISCUSSION = "strategy", "Strategy discussion (section 47)"
    EXPLOITATION_MEETING = "exploitation_meeting", "Exploitation risk meeting"
    EARLY_HELP = "early_help", "Early help"
    OTHER = "other", "Other"


class CheckType(models.TextChoices):
    PNC = "pnc", "Police national computer (PNC)"
    POLICE_LOCAL = "police_local", "Police local systems"
    SOCIAL_CARE = "social_care", "Children's social care records"
    HEALTH = "health", "Health records"
    EDUCATION = "education", "Education records"
    YOUTH_JUSTICE = "youth_justice", "Youth justice records"
    OTHER = "other", "Other"


# Which kinds of agency may make each check. A check missing from this mapping ("other") may be
# recorded by any agency and is never expected.
CHECK_AGENCY_TYPES: dict[str, frozenset[str]] = {
    CheckType.PNC: frozenset({AgencyType.POLICE}),
    CheckType.POLICE_LOCAL: frozenset({AgencyType.POLICE}),
    CheckType.SOCIAL_CARE: frozenset({AgencyType.SOCIAL_CARE}),
    CheckType.HEALTH: frozenset({AgencyType.HEALTH, AgencyType.CAMHS}),
    CheckType.EDUCATION: frozenset({AgencyType.EDUCATION}),
    CheckType.YOUTH_JUSTICE: frozenset({AgencyType.YOUTH_JUSTICE}),
}

# The checks expected of each kind of agency actively involved with the referred child…
EXPECTED_CHECKS_BY_AGENCY_TYPE: dict[str, tuple[str, ...]] = {
    agency_type: tuple(check for check, types in CHECK_AGENCY_TYPES.items() if agency_type in types)
    for agency_type in AgencyType.values
}
# …and the agencies whose checks are expected for every referral, involved or not.
ALWAYS_CHECKING_AGENCY_TYPES = (AgencyType.POLICE, AgencyType.SOCIAL_CARE)
ALWAYS_EXPECTED_CHECKS = tuple(
    check for agency_type in ALWAYS_CHECKING_AGENCY_TYPES for check in EXPECTED_CHECKS_BY_AGENCY_TYPE[agency_type]
)
EXPECTABLE_CHECKS = tuple(CHECK_AGENCY_TYPES)


def agency_may_make_check(agency_type: str, check_type: str) -> bool:
    allowed = CHECK_AGENCY_TYPES.get(check_type)
    return allowed is None or agency_type in allowed


class Referral(CaseRecord):
    """One agency's referral of a child to the exploitation hub, and the hub's outcome."""

    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="referrals")
    referring_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="referrals_made")
    referrer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals_made")
    received_at = models.DateTimeField()
    outcome_due_on = models.DateField(help_text="One working day after the day the hub received the referral (F04).")
    concern = models.TextField()
    indicator_ids = models.JSONField(default=list, blank=True)
    catalogue_version = models.PositiveIntegerField(help_text="The version of the indicator catalogue the ids belong to.")
    childs_words = models.TextField("The child's own words", blank=True)
    action_taken = models.TextField("What the referrer has already done", blank=True)
    consent_sought = models.BooleanField()
    consent_not_sought_reason = models.TextField(blank=True)
    urgency = models.CharField(max_length=16, choices=Urgency.choices, blank=True)
    outcome = models.CharField(max_length=32, choices=Outcome.choices, blank=True)
    outcome_reason = models.TextField(blank=True)
    outcome_decided_at = models.DateTimeField(null=True, blank=True)
    outcome_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["child", "-received_at"]),
            models.Index(fields=["referring_agency", "-received_at"]),
            models.Index(fields=["outcome", "outcome_due_on"]),
            models.Index(fields=["outcome_decided_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(outcome="", outcome_decided_at__isnull=True, outcome_decided_by__isnull=True)
                    | (~models.Q(outcome="") & ~models.Q(outcome_reason="") & models.Q(outcome_decided_at__isnull=False))
                ),
                name="referral_outcome_whole_or_absent",
            ),
            models.CheckConstraint(
                condition=models.Q(consent_sought=True) | ~models.Q(consent_not_sought_reason=""),
                name="referral_consent_or_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Referral by {self.referring_agency} received {self.received_at:%d/%m/%Y}"

    @property
    def has_outcome(self) -> bool:
        return bool(self.outcome)


class StatutoryCheck(CaseRecord):
    """A check one agency made of its own records for a referral, and what it found (F01)."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="checks")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    check_type = models.CharField(max_length=16, choices=CheckType.choices)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    checked_on = models.DateField()
    result_note = models.CharField(max_length=500)
    history = HistoricalRecords()

    class Meta:
        ordering = ["check_type", "checked_on", "id"]
        indexes = [models.Index(fields=["referral", "check_type"])]
        constraints = [
            models.UniqueConstraint(fields=["referral", "agency", "check_type"], name="one_check_of_a_kind_per_agency")
        ]

    def __str__(self) -> str:
        return f"{self.get_check_type_display()} by {self.agency}"
