"""The partnership: agencies, their teams, the people who work in them and their roles."""

from dataclasses import dataclass, field
from functools import cached_property

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from lantern.core.models import CaseRecord


class AgencyType(models.TextChoices):
    SOCIAL_CARE = "social_care", "Children's social care"
    POLICE = "police", "Police"
    HEALTH = "health", "Health"
    EDUCATION = "education", "Education"
    YOUTH_JUSTICE = "youth_justice", "Youth justice"
    YOUTH_SERVICE = "youth_service", "Youth service"
    DRUG_ALCOHOL = "drug_alcohol", "Drug and alcohol service"
    VOLUNTARY = "voluntary", "Voluntary sector"
    HOUSING = "housing", "Housing"
    CAMHS = "camhs", "Child and adolescent mental health (CAMHS)"
    OTHER = "other", "Other"


class Role(models.TextChoices):
    PRACTITIONER = "practitioner", "Practitioner"
    MANAGER = "manager", "Manager"
    HUB = "hub", "Exploitation hub (partnership-wide)"
    MEETING_CHAIR = "meeting_chair", "Meeting chair"
    AUDITOR = "auditor", "Auditor"
    BOARD_MEMBER = "board_member", "Board member"
    ADMINISTRATOR = "administrator", "Administrator"


# Roles that work on the records of the children their agency is involved with.
AGENCY_CASE_ROLES = frozenset({Role.PRACTITIONER, Role.MANAGER})
# Roles that see every child in the partnership (see docs/decisions/0002-need-to-know.md).
PARTNERSHIP_WIDE_ROLES = frozenset({Role.HUB, Role.MEETING_CHAIR})


class Agency(CaseRecord):
    name = models.CharField(max_length=200, unique=True)
    agency_type = models.CharField(max_length=32, choices=AgencyType.choices)
    is_active = models.BooleanField(default=True)
    email = models.EmailField(blank=True, help_text="Shared inbox for the agency, if it has one.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class Team(CaseRecord):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=200)
    is_active = models.BooleanField(default=True)
    handles_missing = models.BooleanField(
        "Missing team", default=False,
        help_text="The team offers return interviews after missing episodes: its members are told when one is overdue (F06).",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["agency__name", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="team_name_unique_in_agency")]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency.name})"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("Enter an email address")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


@dataclass(frozen=True)
class AccessProfile:
    """What a user may do, worked out once per request from their memberships."""

    user_id: int | None
    roles: frozenset = field(default_factory=frozenset)
    case_agency_ids: frozenset = field(default_factory=frozenset)
    manager_agency_ids: frozenset = field(default_factory=frozenset)
    hub_agency_ids: frozenset = field(default_factory=frozenset)
    agency_ids: frozenset = field(default_factory=frozenset)
    agency_names: tuple = ()

    @property
    def role_labels(self) -> list[str]:
        return [Role(role).label for role in sorted(self.roles)]

    @property
    def is_partnership_wide(self) -> bool:
        return bool(self.roles & PARTNERSHIP_WIDE_ROLES)

    @property
    def is_hub(self) -> bool:
        return Role.HUB in self.roles

    @property
    def is_administrator(self) -> bool:
        return Role.ADMINISTRATOR in self.roles

    @property
    def can_work_with_children(self) -> bool:
        return self.is_partnership_wide or bool(self.case_agency_ids)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @cached_property
    def access(self) -> AccessProfile:
        rows = list(
            Membership.objects.filter(user_id=self.pk, ended_at__isnull=True, agency__is_active=True).values_list(
                "agency_id", "role", "agency__name"
            )
        )
        return AccessProfile(
            user_id=self.pk,
            roles=frozenset(role for _, role, _ in rows),
            case_agency_ids=frozenset(agency for agency, role, _ in rows if role in AGENCY_CASE_ROLES),
            manager_agency_ids=frozenset(agency for agency, role, _ in rows if role == Role.MANAGER),
            hub_agency_ids=frozenset(agency for agency, role, _ in rows if role == Role.HUB),
            agency_ids=frozenset(agency for agency, _, _ in rows),
            agency_names=tuple(sorted({name for _, _, name in rows})),
        )


class Membership(CaseRecord):
    """A user's role in an agency. A user may hold several, in several agencies."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="memberships")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships")
    role = models.CharField(max_length=32, choices=Role.choices)
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["agency__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency", "role"],
                condition=models.Q(ended_at__isnull=True),
                name="membership_unique_while_active",
            )
        ]
        indexes = [models.Index(fields=["user", "ended_at"])]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}, {self.agency}"
