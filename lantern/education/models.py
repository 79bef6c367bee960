"""A child's education (F07): where they are on roll (or that they are not), attendance figures,
absences, part-time timetables, suspensions and exclusions, and reports of a child missing
education. Every row keeps its history and none is ever deleted."""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from lantern.core.models import CaseRecord
from lantern.partnership.models import Agency

# Attendance below 90% (missing 10% or more of possible sessions) is persistent absence; missing
# half or more is severe absence (the Department for Education's definitions).
PERSISTENT_ABSENCE_BELOW = Decimal("90")
SEVERE_ABSENCE_AT_OR_BELOW = Decimal("50")
# A full-time school week in England is 32.5 hours.
FULL_TIME_HOURS = Decimal("32.5")


class ProvisionStatus(models.TextChoices):
    ON_ROLL = "on_roll", "On roll at a school, college or alternative provision"
    HOME_EDUCATED = "home_educated", "Not on roll: electively home educated"
    AWAITING_PLACE = "awaiting_place", "Not on roll: waiting for a school place"
    MISSING_EDUCATION = "missing_education", "Not on roll: missing education"
    NOT_IN_EDUCATION = "not_in_education", "Not on roll: over school age and not in education or training"


NOT_ON_ROLL = (
    ProvisionStatus.HOME_EDUCATED, ProvisionStatus.AWAITING_PLACE, ProvisionStatus.MISSING_EDUCATION,
    ProvisionStatus.NOT_IN_EDUCATION,
)


class Setting(models.TextChoices):
    SCHOOL = "school", "School"
    COLLEGE = "college", "College"
    ALTERNATIVE = "alternative", "Alternative provision or pupil referral unit"


class Provision(CaseRecord):
    """Where the child is educated from `started_on` until `ended_on` (None: now). On roll at an
    education agency of the partnership (`school`), or at a provision outside it
    (`provision_name`); or not on roll, and why. Recording the next one ends the current one."""

    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="education_provisions")
    status = models.CharField(max_length=20, choices=ProvisionStatus.choices)
    school = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="pupils_on_roll",
        verbose_name="School, college or provision in the partnership",
    )
    provision_name = models.CharField("Name of a school or provision outside the partnership", max_length=200, blank=True)
    setting = models.CharField("Type of provision", max_length=16, choices=Setting.choices, blank=True)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_on", "-id"]
        indexes = [models.Index(fields=["child", "ended_on"]), models.Index(fields=["school", "ended_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["child"], condition=models.Q(ended_on__isnull=True), name="one_current_education_provision"
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("started_on")),
                name="education_provision_ends_after_start",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(status="on_roll")
                    & ~models.Q(setting="")
                    & (models.Q(school__isnull=False, provision_name="") | models.Q(school__isnull=True) & ~models.Q(provision_name=""))
                )
                | (~models.Q(status="on_roll") & models.Q(school__isnull=True, provision_name="", setting="")),
                name="education_provision_on_roll_names_one_place",
            ),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def is_on_roll(self) -> bool:
        return self.status == ProvisionStatus.ON_ROLL

    @property
    def place_name(self) -> str:
        return self.school.name if self.school_id else self.provision_name

    @property
    def description(self) -> str:
        if self.is_on_roll:
            return f"On roll at {self.place_name}"
        return self.get_status_display()


class AttendanceRecord(CaseRecord):
    """Attendance figures for a period, in sessions (a morning or an afternoon). Every possible
    session was attended or missed with or without authorisation, so the four add up."""

    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="attendance_records")
    period_start = models.DateField()
    period_end = models.DateField()
    possible_sessions = models.PositiveIntegerField()
    attended_sessions = models.PositiveIntegerField()
    authorised_absences = models.PositiveIntegerField("Sessions missed with authorisation")
    unauthorised_absences = models.PositiveIntegerField("Sessions missed without authorisation")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-period_end", "-id"]
        indexes = [models.Index(fields=["child", "-period_end"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(period_end__gte=models.F("period_start")), name="attendance_period_in_order"),
            models.CheckConstraint(condition=models.Q(possible_sessions__gt=0), name="attendance_has_possible_sessions"),
            models.CheckConstraint(
                condition=models.Q(
                    possible_sessions=models.F("attended_sessions") + models.F("authorised_absences") + models.F("unauthorised_absences")
                ),
                name="attendance_sessions_add_up",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.percent}% attendance, {self.period_start:%d/%m/%Y} to {self.period_end:%d/%m/%Y}"

    @property
    def percent(self) -> Decimal:
        return attendance_percent(self.attended_sessions, self.possible_sessions)

    @property
    def persistent_absence(self) -> bool:
        return self.percent < PERSISTENT_ABSENCE_BELOW

    @property
    def severe_absence(self) -> bool:
        return self.percent <= SEVERE_ABSENCE_AT_OR_BELOW


def attendance_percent(attended: int, possible: int) -> Decimal:
    """Sessions attended as a percentage of those possible, to one decimal place."""
    if not possible:
        return Decimal("0.0")
    return (Decimal(attended) * 100 / Decimal(possible)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


class Absence(CaseRecord):
    """One absence from education: the day it started, how many sessions were missed."""

    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="education_absences")
    absent_on = models.DateField("Date the absence started")
    sessions = models.PositiveSmallIntegerField("Sessions missed")
    authorised = models.BooleanField()
    reason = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-absent_on", "-id"]
        indexes = [models.Index(fields=["child", "-absent_on"])]
        constraints = [models.CheckConstraint(condition=models.Q(sessions__gte=1), name="absence_at_least_one_session")]

    def __str__(self) -> str:
        return f"{'Authorised' if self.authorised else 'Unauthorised'} absence from {self.absent_on:%d/%m/%Y}"


class PartTimeTimetable(CaseRecord):
    """A reduced timetable: temporary, with a date to review it, ended when the child returns to
    full time (or leaves). At most one is current."""

    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="part_time_timetables")
    started_on = models.DateField()
    hours_per_week = models.DecimalField(max_digits=4, decimal_places=1)
    reason = models.TextField()
    review_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_on", "-id"]
        indexes = [models.Index(fields=["ended_on", "review_on"])]
        constraints = [
            models.UniqueConstraint(fields=["child"], condition=models.Q(ended_on__isnull=True), name="one_current_part_time_timetable"),
            models.CheckConstraint(condition=models.Q(review_on__gte=models.F("started_on")), name="timetable_review_after_start"),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("started_on")),
                name="timetable_ends_after_start",
            ),
            models.CheckConstraint(condition=models.Q(hours_per_week__gt=0), name="timetable_has_hours"),
        ]

    def __str__(self) -> str:
        return f"Part-time timetable of {self.hours_per_week} hours a week from {self.started_on:%d/%m/%Y}"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


class ExclusionKind(models.TextChoices):
    SUSPENSION = "suspension", "Suspension (fixed-term exclusion)"
    PERMANENT = "permanent", "Permanent exclusion"


class Exclusion(CaseRecord):
    """A suspension for a number of school days, or a permanent exclusion."""

    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="exclusions")
    kind = models.CharField(max_length=12, choices=ExclusionKind.choices)
    started_on = models.DateField()
    days = models.PositiveSmallIntegerField("School days", null=True, blank=True)
    reason = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_on", "-id"]
        indexes = [models.Index(fields=["child", "-started_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="suspension", days__gte=1) | models.Q(kind="permanent", days__isnull=True),
                name="exclusion_days_only_for_a_suspension",
            ),
        ]

    def __str__(self) -> str:
        if self.kind == ExclusionKind.PERMANENT:
            return f"Permanent exclusion from {self.started_on:%d/%m/%Y}"
        return f"Suspension for {self.days} day{'s' if self.days != 1 else ''} from {self.started_on:%d/%m/%Y}"


class MissingEducationOutcome(models.TextChoices):
    ON_ROLL = "on_roll", "Found and on roll at a school, college or alternative provision"
    HOME_EDUCATED = "home_educated", "Found and electively home educated"
    MOVED_AWAY = "moved_away", "Moved to another local authority, which has been told"
    LEFT_COUNTRY = "left_country", "Left the country"
    OTHER = "other", "Something else"


class MissingEducationReport(CaseRecord):
    """A referral of a child missing education (not on any roll and not educated otherwise, or
    whose whereabouts are not known), until it is resolved. At most one is open."""

    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="missing_education_reports")
    reported_on = models.DateField()
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    details = models.TextField()
    resolved_on = models.DateField(null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    outcome = models.CharField(max_length=16, choices=MissingEducationOutcome.choices, blank=True)
    outcome_detail = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-reported_on", "-id"]
        indexes = [models.Index(fields=["child", "resolved_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["child"], condition=models.Q(resolved_on__isnull=True), name="one_open_missing_education_report"
            ),
            models.CheckConstraint(
                condition=models.Q(resolved_on__isnull=True, outcome="")
                | (models.Q(resolved_on__gte=models.F("reported_on")) & ~models.Q(outcome="")),
                name="missing_education_resolved_with_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"Reported missing education on {self.reported_on:%d/%m/%Y}"

    @property
    def is_open(self) -> bool:
        return self.resolved_on is None
