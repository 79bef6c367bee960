from django.conf import settings
from django.db import models
from django.utils import timezone

from lantern.core.dates import local_today
from lantern.core.models import CaseRecord, NeverDeleted
from lantern.partnership.models import Agency


class CatalogueVersion(NeverDeleted):
    """One published version of the indicator catalogue, kept whole as the JSON document.

    Version 1 is the file shipped with Lantern (lantern/risk/catalogue/catalogue-v1.json);
    the partnership's administrator publishes later versions by adding indicators. A version is
    never changed once published, so a screening made with it can always be read as it was made.
    """

    number = models.PositiveIntegerField(unique=True)
    document = models.JSONField()
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    change_note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"Indicator catalogue version {self.number}"


class Level(models.TextChoices):
    """The partnership's risk levels, lowest first: the order is used to compare them."""

    NONE = "none", "No identified risk"
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"

    @classmethod
    def rank(cls, value: str) -> int:
        return cls.values.index(value)


class RiskKind(models.TextChoices):
    """What a level is about. The two kinds of exploitation are scored by the screening tool;
    the risk the child poses to others (harmful sexual behaviour) is decided alongside them but
    never changes them (F08)."""

    SEXUAL = "sexual", "Sexual exploitation"
    CRIMINAL = "criminal", "Criminal exploitation"
    RISK_TO_OTHERS = "risk_to_others", "Risk to others (harmful sexual behaviour)"


EXPLOITATION_KINDS = (RiskKind.SEXUAL, RiskKind.CRIMINAL)


class When(models.TextChoices):
    CURRENT = "current", "Now"
    PAST_12_MONTHS = "past_12_months", "In the past 12 months"


class DecisionSource(models.TextChoices):
    HUB = "hub", "Exploitation hub"
    MEETING = "meeting", "Exploitation meeting"


class Screening(CaseRecord):
    """One agency's completed screening of a child with the indicator catalogue (F09).

    A screening is a record of what was seen on the day: it is never edited. Each indicator
    row keeps the wording, domain and weight it was scored with, so a later catalogue version
    never changes what an old screening says or scores.
    """

    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="screenings")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="screenings")
    screened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="screenings")
    screened_at = models.DateTimeField(default=timezone.now)
    catalogue_version = models.PositiveIntegerField()
    strengths = models.JSONField(default=list, blank=True, help_text="[{id, wording}] of the strengths seen, as worded then.")
    strengths_note = models.TextField(blank=True)
    childs_views = models.TextField("The child's views, in their own words", blank=True)
    analysis = models.TextField("The worker's analysis", blank=True)
    score_sexual = models.PositiveSmallIntegerField()
    score_criminal = models.PositiveSmallIntegerField()
    suggested_sexual = models.CharField(max_length=8, choices=Level.choices)
    suggested_criminal = models.CharField(max_length=8, choices=Level.choices)
    disability_added = models.BooleanField(default=False)
    disclosure = models.BooleanField(default=False, help_text="The child disclosed exploitation: suggested high at once.")
    risk_to_others = models.BooleanField(default=False, help_text="Harmful sexual behaviour by the child was seen.")
    must_refer_to_social_care = models.BooleanField(default=False)
    social_care_referral_reason = models.CharField(max_length=300, blank=True)
    referred_to_social_care = models.BooleanField(default=False)
    referral_confirmed_at = models.DateTimeField(null=True, blank=True)
    referral_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-screened_at", "-id"]
        indexes = [
            models.Index(fields=["child", "-screened_at"]),
            models.Index(fields=["child", "agency", "-screened_at"]),
        ]

    def __str__(self) -> str:
        return f"Screening by {self.agency} on {self.screened_at:%d/%m/%Y}"

    def score_for(self, kind: str) -> int:
        return getattr(self, f"score_{kind}")

    def suggested_for(self, kind: str) -> str:
        return getattr(self, f"suggested_{kind}")

    @property
    def referral_outstanding(self) -> bool:
        return self.must_refer_to_social_care and not self.referred_to_social_care


class ScreeningIndicator(NeverDeleted):
    """One indicator seen in a screening, as the catalogue described and weighted it then."""

    screening = models.ForeignKey(Screening, on_delete=models.PROTECT, related_name="indicators")
    indicator_id = models.CharField(max_length=20)
    when = models.CharField(max_length=16, choices=When.choices)
    evidence = models.TextField(blank=True)
    wording = models.CharField(max_length=500)
    domain = models.CharField(max_length=60)
    domain_label = models.CharField(max_length=200)
    weight = models.PositiveSmallIntegerField(help_text="The weight scored: the current or the past weight, as `when` says.")
    applies_to = models.JSONField(default=list)
    significant = models.BooleanField(default=False)

    class Meta:
        ordering = ["screening", "id"]
        constraints = [models.UniqueConstraint(fields=["screening", "indicator_id"], name="indicator_once_per_screening")]
        indexes = [models.Index(fields=["domain", "screening"])]

    def __str__(self) -> str:
        return f"{self.indicator_id} ({self.get_when_display()})"


class RiskDecision(CaseRecord):
    """The partnership's decision on one kind of risk for a child (F03). Decisions are never
    changed: a new one supersedes the last, so the list of them is the level's history. The
    newest decision of each kind is the child's current level."""

    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="risk_decisions")
    kind = models.CharField(max_length=16, choices=RiskKind.choices)
    level = models.CharField(max_length=8, choices=Level.choices)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=8, choices=DecisionSource.choices, default=DecisionSource.HUB)
    reason = models.TextField()
    screenings = models.ManyToManyField(Screening, related_name="decisions", blank=True)
    suggested_level = models.CharField(
        max_length=8, choices=Level.choices, blank=True, help_text="What the screenings it rests on suggested, if they score this kind."
    )
    departure_reason = models.TextField(blank=True)
    next_review_on = models.DateField()

    class Meta:
        ordering = ["-decided_at", "-id"]
        indexes = [
            models.Index(fields=["child", "kind", "-decided_at", "-id"]),
            models.Index(fields=["next_review_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.get_level_display()} ({self.decided_at:%d/%m/%Y})"

    @property
    def departs_from_suggestion(self) -> bool:
        return bool(self.suggested_level) and self.suggested_level != self.level

    @property
    def review_overdue(self) -> bool:
        return self.level != Level.NONE and self.next_review_on < local_today()
