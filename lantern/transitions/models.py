"""Transition to adulthood (F23) and placements out of area (F26).

A young person's transition plan says by when a plan for their life after 18 must be in place,
who is responsible for it, which adult services will take over and what the young person says
about it. A placement out of area records where a child placed by the partnership lives, the
host local authority, and what information we asked that authority for and by when. Every row
keeps its history and none is ever deleted. See docs/decisions/0016-transitions-and-out-of-area.md.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from lantern.core.dates import age_on
from lantern.core.models import CaseRecord
from lantern.partnership.models import Agency
from lantern.risk.conf import add_months

# Planning is shown from 16; the list and the F23 rule start at 17.
PLANNING_FROM_AGE = 16
LISTED_FROM_AGE = 17
# A plan must be in place this many months before the young person's 18th birthday, so adult
# services have time to assess and arrange support before childhood services stop.
DUE_MONTHS_BEFORE_18 = 6


def birthday(date_of_birth: dt.date, age: int) -> dt.date:
    """The day the child turns `age` (1 March for 29 February in a year that has none, as in law)."""
    try:
        return date_of_birth.replace(year=date_of_birth.year + age)
    except ValueError:
        return dt.date(date_of_birth.year + age, 3, 1)


def default_due_on(date_of_birth: dt.date) -> dt.date:
    """When a transition plan is due if nobody has set another date: 6 months before the 18th birthday."""
    return add_months(birthday(date_of_birth, 18), -DUE_MONTHS_BEFORE_18)


def born_on_or_before_for_age(today: dt.date, age: int) -> dt.date:
    """The latest date of birth of a child who is `age` or older on `today`."""
    latest = dt.date(today.year - age, today.month, min(today.day, 28))
    while age_on(latest + dt.timedelta(days=1), today) >= age:
        latest += dt.timedelta(days=1)
    return latest


def born_on_or_before_for_default_due_before(today: dt.date) -> dt.date:
    """The latest date of birth whose default due date is before `today` (the default due date
    only moves later as the date of birth does)."""
    latest = add_months(today, -(18 * 12 - DUE_MONTHS_BEFORE_18)) - dt.timedelta(days=3)
    while default_due_on(latest + dt.timedelta(days=1)) < today:
        latest += dt.timedelta(days=1)
    return latest


class PlanStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    AGREED = "agreed", "Agreed"


class ReceivingService(models.TextChoices):
    ADULT_SOCIAL_CARE = "adult_social_care", "Adult social care"
    LEAVING_CARE = "leaving_care", "Leaving care team"
    ADULT_MENTAL_HEALTH = "adult_mental_health", "Adult mental health services"
    HOUSING = "housing", "Housing"
    OTHER = "other", "Other"


class TransitionPlan(CaseRecord):
    """The young person's plan for becoming an adult: one per child, changed in place with its
    version checked, every version kept."""

    child = models.OneToOneField("children.Child", on_delete=models.PROTECT, related_name="transition_plan")
    due_on = models.DateField("Date the plan must be in place")
    status = models.CharField(max_length=12, choices=PlanStatus.choices, default=PlanStatus.NOT_STARTED)
    agreed_on = models.DateField("Date the plan was agreed", null=True, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name="Professional responsible for the plan")
    owner_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name="Their agency")
    receiving_services = models.JSONField(default=list, blank=True, help_text="Codes of ReceivingService.")
    receiving_other = models.CharField("Other service", max_length=200, blank=True)
    summary = models.TextField("What the plan says", blank=True)
    young_persons_words = models.TextField("The young person's own words", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="agreed", agreed_on__isnull=False) | (~models.Q(status="agreed") & models.Q(agreed_on__isnull=True)),
                name="transition_plan_agreed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Transition plan due {self.due_on:%d/%m/%Y}: {self.get_status_display().lower()}"

    @property
    def is_agreed(self) -> bool:
        return self.status == PlanStatus.AGREED

    def is_overdue(self, today: dt.date) -> bool:
        return not self.is_agreed and self.due_on < today

    @property
    def receiving_labels(self) -> list[str]:
        labels = [ReceivingService(code).label for code in self.receiving_services if code != ReceivingService.OTHER]
        if ReceivingService.OTHER in self.receiving_services:
            labels.append(self.receiving_other or ReceivingService.OTHER.label)
        return labels


class OutOfAreaPlacement(CaseRecord):
    """A child placed by an agency of the partnership to live in another local authority's
    area, from `started_on` until `ended_on` (None: now), and the information asked of the host
    authority: what, by when, and when it came. At most one is current per child."""

    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="out_of_area_placements")
    placing_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    host_authority = models.CharField("Host local authority", max_length=200)
    host_contact_name = models.CharField("Contact at the host authority", max_length=200, blank=True)
    host_contact_email = models.EmailField("Contact's email address", blank=True)
    host_contact_phone = models.CharField("Contact's phone number", max_length=40, blank=True)
    placement_area = models.CharField("Town or district", max_length=100, help_text="Not the full address.")
    started_on = models.DateField("Date the placement started")
    notified_host_on = models.DateField("Date the host authority was told", null=True, blank=True)
    information_requested = models.TextField("Information asked of the host authority")
    information_due_on = models.DateField("Date the information is due")
    information_received_on = models.DateField("Date the information was received", null=True, blank=True)
    information_received = models.TextField("What the host authority sent", blank=True)
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    information_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_on", "-id"]
        indexes = [
            models.Index(fields=["child", "ended_on"]),
            models.Index(fields=["ended_on", "information_received_on", "information_due_on"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["child"], condition=models.Q(ended_on__isnull=True), name="one_current_out_of_area_placement"),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("started_on")),
                name="out_of_area_placement_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(information_received_on__isnull=True, information_received="")
                | (models.Q(information_received_on__isnull=False) & ~models.Q(information_received="")),
                name="out_of_area_information_received_with_summary",
            ),
        ]

    def __str__(self) -> str:
        return f"Placed out of area in {self.placement_area} ({self.host_authority}) from {self.started_on:%d/%m/%Y}"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None

    @property
    def host_contact(self) -> str:
        """'Robin Larchmoor, robin@example.gov.uk, 01632 960 001', or what of it is recorded."""
        return ", ".join(part for part in (self.host_contact_name, self.host_contact_email, self.host_contact_phone) if part)

    def information_overdue(self, today: dt.date) -> bool:
        return self.is_current and self.information_received_on is None and self.information_due_on < today
