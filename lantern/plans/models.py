"""One multi-agency plan per child (F05, F12): its actions, contingencies, holiday cover, the
other plans it links to, the services it relies on, its reviews, and the checklist kept when a
child steps down or their record closes (F13-F17, F20, F21, F39, F41)."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from lantern.core.models import CaseRecord
from lantern.partnership.models import Agency


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    STEPPED_DOWN = "stepped_down", "Stepped down"
    CLOSED = "closed", "Closed"


LIVE_STATUSES = (PlanStatus.DRAFT, PlanStatus.ACTIVE)


class Plan(CaseRecord):
    """The child's one multi-agency plan. It is edited, never copied: each change is a new
    version in its history, and every involved agency is told."""

    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="plans")
    status = models.CharField(max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    worries = models.TextField("What we are worried about", blank=True)
    aims = models.TextField("What needs to change", blank=True)
    childs_words = models.TextField("The child's own words", blank=True)
    family_views = models.TextField("The family's views", blank=True)
    next_review_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    activated_at = models.DateTimeField(null=True, blank=True)
    activated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    ended_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_review_on"])]
        constraints = [
            # One plan per child at a time (F05, F12, F13): a new one only after the last has ended.
            models.UniqueConstraint(
                fields=["child"], condition=models.Q(status__in=["draft", "active"]), name="one_live_plan_per_child"
            ),
        ]

    def __str__(self) -> str:
        return f"Plan for child {self.child_id} ({self.get_status_display()})"

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES


class LinkedPlanKind(models.TextChoices):
    LOOKED_AFTER = "looked_after", "Looked-after child (care) plan"
    CHILD_PROTECTION = "child_protection", "Child protection plan"
    CHILD_IN_NEED = "child_in_need", "Child in need plan"
    HEALTH = "health", "Health plan"
    EHCP = "ehcp", "Education, health and care plan (EHCP)"
    YOUTH_JUSTICE = "youth_justice", "Youth justice plan"
    EARLY_HELP = "early_help", "Early help plan"
    SINGLE_AGENCY = "single_agency", "Single-agency plan"
    OTHER = "other", "Other plan"


class LinkedPlan(CaseRecord):
    """Another plan for the child, linked rather than copied (F13), with its owner and next review."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="linked_plans")
    kind = models.CharField(max_length=20, choices=LinkedPlanKind.choices)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    owner_name = models.CharField("Who owns it", max_length=200)
    reference = models.CharField(max_length=100, blank=True)
    next_review_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["next_review_on", "id"]

    def __str__(self) -> str:
        return self.get_kind_display()


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    HANDED_ON = "handed_on", "Handed on"
    NOT_NEEDED = "not_needed", "No longer needed"


class PlanAction(CaseRecord):
    """What, who, which agency, by when, the outcome it should achieve, and which indicators of
    the latest screening it addresses (F14, F17). It stays open until evidence of completion is
    recorded (F21)."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="actions")
    description = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="plan_actions")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    due_on = models.DateField(null=True, blank=True)
    outcome = models.TextField("The outcome it should achieve", blank=True)
    indicator_ids = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=16, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    evidence = models.TextField("Evidence it is done", blank=True)
    status_recorded_at = models.DateTimeField(null=True, blank=True)
    status_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["plan", "status"])]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def gaps(self) -> list[str]:
        """What the quality check finds missing (F14)."""
        missing = []
        if self.owner_id is None:
            missing.append("who owns it")
        if self.agency_id is None:
            missing.append("the agency")
        if self.due_on is None:
            missing.append("a due date")
        if not self.outcome.strip():
            missing.append("the outcome it should achieve")
        return missing


class Contingency(CaseRecord):
    """What an agency does if the risk rises, with an owner (F16)."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="contingencies")
    trigger = models.CharField("If this happens", max_length=300)
    response = models.TextField("What the agency will do")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ended_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["agency__name", "id"]
        verbose_name_plural = "contingencies"

    def __str__(self) -> str:
        return self.trigger


class Cover(CaseRecord):
    """Who sees the child while the usual worker is away, such as over Christmas (F20)."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="cover")
    starts_on = models.DateField()
    ends_on = models.DateField()
    usual_worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cover_worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    arrangements = models.TextField("How the child will be seen", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_on", "id"]
        verbose_name_plural = "cover"
        constraints = [models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="cover_ends_after_start")]


class ServiceKind(models.TextChoices):
    CAMHS = "camhs", "Child and adolescent mental health (CAMHS)"
    THERAPY = "therapy", "Therapy"
    SEXUAL_HEALTH = "sexual_health", "Sexual health"
    EXPLOITATION = "exploitation", "Specialist exploitation service"
    SUBSTANCE = "substance", "Drug and alcohol service"
    HSB = "hsb", "Harmful sexual behaviour assessment or service"
    OTHER = "other", "Other service"


class ServiceReferral(CaseRecord):
    """A service the plan relies on, tracked from referral to start (F21)."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="services")
    kind = models.CharField(max_length=16, choices=ServiceKind.choices)
    provider = models.CharField(max_length=200)
    referred_on = models.DateField()
    referred_by_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    accepted_on = models.DateField(null=True, blank=True)
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.TextField(blank=True, help_text="Declined, not accepted, or finished: what happened.")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["referred_on", "id"]
        indexes = [models.Index(fields=["started_on", "ended_on", "referred_on"])]


class PlanReview(CaseRecord):
    """A review of the plan, with the child's words and the family's views (F15, F39)."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="reviews")
    reviewed_on = models.DateField()
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    progress = models.TextField("What has changed")
    childs_words = models.TextField("The child's own words")
    family_views = models.TextField("The family's views")
    next_review_on = models.DateField()

    class Meta:
        ordering = ["-reviewed_on", "-id"]


class EndingKind(models.TextChoices):
    STEP_DOWN = "step_down", "Step down to another plan"
    CLOSE = "close", "Close the child's record"


class Ending(CaseRecord):
    """The transition checklist, kept with a step-down or a closure (F41, F05)."""

    plan = models.OneToOneField(Plan, on_delete=models.PROTECT, related_name="ending", null=True, blank=True)
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="endings")
    kind = models.CharField(max_length=16, choices=EndingKind.choices)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()
    reason = models.TextField()
    actions_note = models.TextField("How the remaining actions were completed or handed on", blank=True)
    persons_of_concern = models.TextField("Notes on the persons of concern", blank=True)
    # The persons of concern linked to the child in the network when the decision was made, as the
    # worker confirmed them (F41, F02): [{"node_id", "name", "link"}]. Empty with
    # `no_persons_known` when the worker confirmed that none are known.
    linked_persons = models.JSONField(default=list, blank=True)
    no_persons_known = models.BooleanField(default=False)
    childs_views = models.TextField("The child's views")
    family_views = models.TextField("The family's views")
    rereferral_triggers = models.TextField("What should bring the child back")
    continuing_plan = models.ForeignKey(LinkedPlan, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    no_further_work = models.BooleanField(default=False, help_text="No agency continues any work.")

    class Meta:
        ordering = ["-decided_at"]
