"""The child register: children, their identifiers, the agencies involved, who looked."""

import unicodedata

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from lantern.core.dates import age_on, local_today
from lantern.core.models import CaseRecord, NeverDeleted
from lantern.partnership.models import Agency


def normalise_text(value: str) -> str:
    """Lower case, accents removed, spaces folded: the form names are searched in."""
    decomposed = unicodedata.normalize("NFKD", value or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().replace("-", " ").replace("'", "").split())


def normalise_identifier(value: str) -> str:
    return "".join(ch for ch in (value or "").upper() if ch.isalnum())


class Sex(models.TextChoices):
    FEMALE = "F", "Female"
    MALE = "M", "Male"
    INDETERMINATE = "I", "Indeterminate"
    NOT_KNOWN = "U", "Not known"


class GenderIdentity(models.TextChoices):
    SAME_AS_SEX = "same", "Same as sex registered at birth"
    DIFFERENT = "different", "Different from sex registered at birth"
    NOT_KNOWN = "not_known", "Not known"
    NOT_STATED = "not_stated", "Prefers not to say"


class Ethnicity(models.TextChoices):
    """Ethnicity codes of the Children in Need census."""

    WBRI = "WBRI", "White British"
    WIRI = "WIRI", "White Irish"
    WIRT = "WIRT", "Traveller of Irish heritage"
    WOTH = "WOTH", "Any other White background"
    WROM = "WROM", "Gypsy or Roma"
    MWBC = "MWBC", "White and Black Caribbean"
    MWBA = "MWBA", "White and Black African"
    MWAS = "MWAS", "White and Asian"
    MOTH = "MOTH", "Any other mixed background"
    AIND = "AIND", "Indian"
    APKN = "APKN", "Pakistani"
    ABAN = "ABAN", "Bangladeshi"
    AOTH = "AOTH", "Any other Asian background"
    BCRB = "BCRB", "Black Caribbean"
    BAFR = "BAFR", "Black African"
    BOTH = "BOTH", "Any other Black background"
    CHNE = "CHNE", "Chinese"
    OOTH = "OOTH", "Any other ethnic group"
    REFU = "REFU", "Refused"
    NOBT = "NOBT", "Information not yet obtained"


class Disability(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_KNOWN = "not_known", "Not known"


class SendStatus(models.TextChoices):
    NONE = "none", "No special educational needs"
    SEN_SUPPORT = "sen_support", "SEN support"
    EHC_PLAN = "ehc_plan", "Education, health and care plan"
    NOT_KNOWN = "not_known", "Not known"


class LegalStatus(models.TextChoices):
    LOOKED_AFTER = "looked_after", "Looked after"
    CHILD_PROTECTION = "child_protection", "Child protection plan"
    CHILD_IN_NEED = "child_in_need", "Child in need"
    SPECIAL_GUARDIANSHIP = "special_guardianship", "Special guardianship"
    EARLY_HELP = "early_help", "Early help"
    NONE = "none", "None"


def display_name(preferred_name: str, legal_first_name: str, legal_last_name: str) -> str:
    """The name a child is shown by: their preferred first name, if they have one, and their last name."""
    if preferred_name and preferred_name != legal_first_name:
        return f"{preferred_name} {legal_last_name}"
    return f"{legal_first_name} {legal_last_name}"


class Child(CaseRecord):
    legal_first_name = models.CharField("Legal first name", max_length=100)
    legal_middle_names = models.CharField("Legal middle names", max_length=200, blank=True)
    legal_last_name = models.CharField("Legal last name", max_length=100)
    preferred_name = models.CharField("Preferred name", max_length=100, blank=True)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=1, choices=Sex.choices)
    gender_identity = models.CharField(max_length=16, choices=GenderIdentity.choices, default=GenderIdentity.NOT_KNOWN)
    gender_identity_description = models.CharField(max_length=100, blank=True)
    ethnicity = models.CharField(max_length=4, choices=Ethnicity.choices, default=Ethnicity.NOBT)
    first_language = models.CharField(max_length=60, blank=True)
    disability = models.CharField(max_length=16, choices=Disability.choices, default=Disability.NOT_KNOWN)
    learning_disability = models.BooleanField(default=False)
    send_status = models.CharField("SEND", max_length=16, choices=SendStatus.choices, default=SendStatus.NOT_KNOWN)
    religion = models.CharField(max_length=60, blank=True)
    address_area = models.CharField("Area", max_length=100, blank=True, help_text="Town, ward or postcode district, not the full address.")
    legal_status = models.CharField(max_length=32, choices=LegalStatus.choices, default=LegalStatus.NONE)
    is_transition_case = models.BooleanField(
        default=False, help_text="Aged 18 or over but still supported as a child, for example a care leaver in transition."
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    search_name = models.CharField(max_length=500, editable=False, db_index=True)
    history = HistoricalRecords(excluded_fields=["search_name"])

    class Meta:
        ordering = ["legal_last_name", "legal_first_name", "id"]
        verbose_name_plural = "children"
        indexes = [
            models.Index(fields=["date_of_birth"]),
            # search_name is in the index so a name search ordered by name tests LIKE on the index
            # entry and reads a row only for a match (docs/performance.md).
            models.Index(fields=["legal_last_name", "legal_first_name", "search_name"], name="child_name_order_search"),
        ]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, **kwargs):
        self.search_name = normalise_text(
            " ".join([self.legal_first_name, self.legal_middle_names, self.legal_last_name, self.preferred_name])
        )
        if "update_fields" in kwargs and kwargs["update_fields"] is not None:
            kwargs["update_fields"] = set(kwargs["update_fields"]) | {"search_name"}
        super().save(*args, **kwargs)

    @property
    def legal_name(self) -> str:
        return " ".join(part for part in [self.legal_first_name, self.legal_middle_names, self.legal_last_name] if part)

    @property
    def display_name(self) -> str:
        return display_name(self.preferred_name, self.legal_first_name, self.legal_last_name)

    @property
    def age(self) -> int:
        return age_on(self.date_of_birth, local_today())


class IdentifierKind(models.TextChoices):
    NHS = "nhs", "NHS number"
    UPN = "upn", "Unique pupil number (UPN)"
    LA_CHILD_ID = "la_child_id", "Local authority child ID"
    POLICE_REF = "police_ref", "Police reference"


class ChildIdentifier(CaseRecord):
    """One identifier of a child. Changing an identifier ends this row and starts another, so
    the history of every identifier is kept and old numbers still find the child."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="identifiers")
    kind = models.CharField(max_length=16, choices=IdentifierKind.choices)
    value = models.CharField(max_length=40)
    normalised = models.CharField(max_length=40, editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "-created_at"]
        indexes = [models.Index(fields=["normalised"]), models.Index(fields=["child", "ended_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "kind"], condition=models.Q(ended_at__isnull=True), name="one_current_identifier_per_kind"
            )
        ]

    def save(self, *args, **kwargs):
        self.normalised = normalise_identifier(self.value)
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"


class Involvement(CaseRecord):
    """An agency (and usually a named professional) working with a child, from and to when."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="involvements")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="involvements")
    professional = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="involvements"
    )
    role = models.CharField(max_length=120, help_text="For example: social worker, school safeguarding lead, missing team.")
    started_on = models.DateField(default=local_today)
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=500, blank=True)
    is_lead = models.BooleanField("Lead professional", default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-is_lead", "agency__name", "started_on"]
        indexes = [
            models.Index(fields=["child", "agency", "ended_on"]),
            models.Index(fields=["agency", "ended_on", "child"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["child"], condition=models.Q(is_lead=True, ended_on__isnull=True), name="one_lead_professional_per_child"
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("started_on")),
                name="involvement_ends_after_it_starts",
            ),
        ]

    @property
    def is_active(self) -> bool:
        return self.ended_on is None

    def __str__(self) -> str:
        who = self.professional or "No named professional"
        return f"{who}, {self.role}, {self.agency}"


class BreakGlassGrant(NeverDeleted):
    """Emergency access to one child, for a user whose agency is not involved. Time-limited,
    with a written reason, and reported to the hub. Never deleted; revoked or expired."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass_grants")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="break_glass_grants")
    reason = models.TextField()
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    review_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-granted_at"]
        indexes = [models.Index(fields=["child", "user", "expires_at"])]


    @property
    def is_current(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class BreakGlassAttempt(NeverDeleted):
    """Every request for emergency access, granted or not, is kept for the hub to see."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    identifier_kind = models.CharField(max_length=16, choices=IdentifierKind.choices)
    identifier_value = models.CharField(max_length=40)
    date_of_birth = models.DateField()
    reason = models.TextField()
    attempted_at = models.DateTimeField(default=timezone.now)
    grant = models.OneToOneField(BreakGlassGrant, on_delete=models.PROTECT, null=True, blank=True, related_name="attempt")

    class Meta:
        ordering = ["-attempted_at"]


class AccessPurpose(models.TextChoices):
    PAGE = "page", "Opened the child's page"
    HISTORY = "history", "Looked at the change history"
    ACCESS_LOG = "access_log", "Looked at who has seen the record"
    API = "api", "Read through the API"
    EXPORT = "export", "Exported"
    AUDIT = "audit", "Looked up for a case-file audit"


class AccessLogEntry(NeverDeleted):
    """One read of a child's record. Written for every view; never changed or deleted."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="access_log")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    purpose = models.CharField(max_length=16, choices=AccessPurpose.choices)
    path = models.CharField(max_length=300, blank=True)
    agency_names = models.CharField(max_length=500, blank=True, help_text="The user's agencies at the time.")
    break_glass = models.ForeignKey(BreakGlassGrant, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["child", "-at"]), models.Index(fields=["user", "-at"])]



class TimelineEvent(NeverDeleted):
    """One thing that happened to or for a child. Every part of Lantern adds its events here
    through `lantern.children.timeline.record_event`, so the child page reads them in one query."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="timeline_events")
    kind = models.CharField(max_length=60)
    occurred_at = models.DateTimeField()
    summary = models.CharField(max_length=500)
    detail = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    url = models.CharField(max_length=300, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["child", "-occurred_at", "-id"])]

