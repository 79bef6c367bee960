"""Multi-agency case-file audits, dip samples and learning events (F34-F38).

One engine runs all three. A template (a versioned JSON document, see
docs/decisions/0019-audits.md) holds the themes and questions. An audit round picks cases,
sends one form per case to each agency, collects answers or nil returns, is moderated, and ends
in a report and a numbered set of recommendations tracked to completion.

Nothing here ever names a child outside the child's own record: each audited case keeps a
snapshot of the few facts the report counts (sex, age band, ethnicity, legal status, placement,
risk level) and is called "Child A", "Child B" ... in the round. An imported round has cases
with no child in this installation at all.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from lantern.core.models import CaseRecord, NeverDeleted
from lantern.partnership.models import Agency


class AuditKind(models.TextChoices):
    AUDIT = "audit", "Multi-agency case-file audit"
    DIP_SAMPLE = "dip_sample", "Dip sample"
    LEARNING_EVENT = "learning_event", "Practice learning event"


class QuestionType(models.TextChoices):
    """The kinds of question a template may ask."""

    YES_NO = "yes_no", "Yes, no, partly or not applicable"
    GRADE = "grade", "Grade (outstanding, good, requires improvement, inadequate)"
    NUMBER = "number", "Number"
    TEXT = "text", "Free text"
    FACTORS = "factors", "Checklist of contributory factors"


class YesNo(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    PARTLY = "partly", "Partly"
    NOT_APPLICABLE = "na", "Not applicable"


class Grade(models.IntegerChoices):
    """The four-point scale, best first."""

    OUTSTANDING = 1, "Outstanding"
    GOOD = 2, "Good"
    REQUIRES_IMPROVEMENT = 3, "Requires improvement"
    INADEQUATE = 4, "Inadequate"


class AuditTemplate(CaseRecord):
    """A template's identity. Its content lives in its versions; a round uses one version."""

    key = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=AuditKind.choices)
    is_active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AuditTemplateVersion(NeverDeleted):
    """One version of a template's document. Once a round uses it, it is never changed:
    editing a template in use publishes a new version instead."""

    template = models.ForeignKey(AuditTemplate, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    document = models.JSONField()
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    change_note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["template__name", "-number"]
        constraints = [models.UniqueConstraint(fields=["template", "number"], name="audit_template_version_unique")]

    def __str__(self) -> str:
        return f"{self.template.name}, version {self.number}"


class RoundStatus(models.TextChoices):
    DRAFT = "draft", "Being set up"
    OPEN = "open", "Open for returns"
    MODERATION = "moderation", "In moderation"
    CLOSED = "closed", "Closed"


class AuditRound(CaseRecord):
    """One audit, dip sample or learning event, from choosing cases to its report."""

    title = models.CharField(max_length=200)
    template_version = models.ForeignKey(AuditTemplateVersion, on_delete=models.PROTECT, related_name="rounds")
    kind = models.CharField(max_length=20, choices=AuditKind.choices)
    scope_start = models.DateField(help_text="The start of the period whose work is audited.")
    scope_end = models.DateField(help_text="The end of the period whose work is audited.")
    deadline = models.DateField(help_text="The date forms must be returned by.")
    status = models.CharField(max_length=16, choices=RoundStatus.choices, default=RoundStatus.DRAFT)
    lead_auditors = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="audits_led")
    sample_seed = models.BigIntegerField(null=True, blank=True, help_text="The random seed of the sample, so it can be drawn again.")
    sample_sizes = models.JSONField(default=dict, blank=True, help_text="Cases drawn at each risk level.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    imported_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[lead_auditors])

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(scope_end__gte=models.F("scope_start")), name="audit_round_scope_order"),
        ]

    def __str__(self) -> str:
        return self.title


class SelectedBy(models.TextChoices):
    HAND = "hand", "Chosen by hand"
    SAMPLE = "sample", "Random sample"


class AuditCase(CaseRecord):
    """A child's case in a round. The report reads only the snapshot, never the child."""

    round = models.ForeignKey(AuditRound, on_delete=models.PROTECT, related_name="cases")
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    label = models.CharField(max_length=8, help_text="A, B, C ...: how the case is named in the round and its report.")
    position = models.PositiveIntegerField()
    deep_dive = models.BooleanField(default=False)
    selected_by = models.CharField(max_length=10, choices=SelectedBy.choices)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.CharField(max_length=500, blank=True)
    # The snapshot, taken when the case is chosen.
    sex = models.CharField(max_length=1, blank=True)
    age_band = models.CharField(max_length=10, blank=True)
    ethnicity = models.CharField(max_length=4, blank=True)
    legal_status = models.CharField(max_length=32, blank=True)
    placement = models.CharField(max_length=40, blank=True)
    risk_level = models.CharField(max_length=10, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "position"]
        constraints = [
            models.UniqueConstraint(fields=["round", "label"], name="audit_case_label_unique"),
            models.UniqueConstraint(
                fields=["round", "child"], condition=models.Q(child__isnull=False, withdrawn_at__isnull=True),
                name="audit_case_child_once",
            ),
        ]

    def __str__(self) -> str:
        return f"Child {self.label}"

    @property
    def name(self) -> str:
        return f"Child {self.label}"


class FormStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    RETURNED = "returned", "Returned for changes"
    NIL_RETURN = "nil_return", "Nil return"
    SUBMITTED = "submitted", "Submitted"


class NilReason(models.TextChoices):
    NO_INVOLVEMENT = "no_involvement", "No involvement with the child"
    NOT_KNOWN = "not_known", "Child not known to the agency"
    OUT_OF_SCOPE = "out_of_scope", "Involvement outside the scope period"
    OTHER = "other", "Other"


class AuditForm(CaseRecord):
    """One agency's form about one case."""

    round = models.ForeignKey(AuditRound, on_delete=models.PROTECT, related_name="forms")
    case = models.ForeignKey(AuditCase, on_delete=models.PROTECT, related_name="forms")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="audit_forms")
    added_by_lead = models.BooleanField(default=False, help_text="Sent because a lead auditor added the agency, not from involvement.")
    status = models.CharField(max_length=16, choices=FormStatus.choices, default=FormStatus.NOT_STARTED)
    nil_reason = models.CharField(max_length=20, choices=NilReason.choices, blank=True)
    nil_reason_detail = models.CharField(max_length=500, blank=True)
    auditor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["case__position", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["case", "agency"], name="audit_form_one_per_case_agency"),
            models.CheckConstraint(
                condition=~models.Q(status="nil_return") | ~models.Q(nil_reason=""), name="audit_form_nil_return_has_reason"
            ),
        ]
        indexes = [models.Index(fields=["round", "status"]), models.Index(fields=["agency", "status"])]

    def __str__(self) -> str:
        return f"{self.case.name}: {self.agency.name}"

    @property
    def is_editable(self) -> bool:
        return self.status in (FormStatus.NOT_STARTED, FormStatus.IN_PROGRESS, FormStatus.RETURNED)


class AuditAnswer(CaseRecord):
    """One answer on a form. A checklist question has one row for each factor ticked
    (`option`), so the report counts them in the database."""

    form = models.ForeignKey(AuditForm, on_delete=models.PROTECT, related_name="answers")
    question_id = models.CharField(max_length=40)
    option = models.CharField(max_length=40, blank=True)
    choice = models.CharField(max_length=8, choices=YesNo.choices, blank=True)
    grade = models.PositiveSmallIntegerField(choices=Grade.choices, null=True, blank=True)
    number = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    text = models.TextField(blank=True)
    cleared_at = models.DateTimeField(null=True, blank=True, help_text="When the answer was taken back; kept, never deleted.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["form", "question_id", "option"]
        constraints = [
            models.UniqueConstraint(fields=["form", "question_id", "option"], name="audit_answer_unique"),
        ]
        indexes = [models.Index(fields=["question_id", "option"])]


class FormEvent(NeverDeleted):
    """What happened to a form and why: returned with comments, reopened, a change agreed."""

    class Kind(models.TextChoices):
        RETURNED = "returned", "Returned for changes"
        SUBMITTED = "submitted", "Submitted"
        NIL_RETURN = "nil_return", "Nil return"
        AGREED_CHANGE = "agreed_change", "Change agreed at review"
        REMINDED = "reminded", "Reminder sent"

    form = models.ForeignKey(AuditForm, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    comment = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    session = models.ForeignKey("ReviewSession", on_delete=models.PROTECT, null=True, blank=True, related_name="changes")
    question_id = models.CharField(max_length=40, blank=True)
    before = models.TextField(blank=True)
    after = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]


class ReviewSession(CaseRecord):
    """A moderation meeting of the round's auditors, at which changes to forms are agreed."""

    round = models.ForeignKey(AuditRound, on_delete=models.PROTECT, related_name="review_sessions")
    held_on = models.DateField()
    attendees = models.TextField(help_text="Who took part, by agency.")
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "held_on", "id"]


class AuditFinding(CaseRecord):
    """A key finding the lead auditors draw from the round, under a theme."""

    round = models.ForeignKey(AuditRound, on_delete=models.PROTECT, related_name="findings")
    number = models.PositiveIntegerField()
    theme_id = models.CharField(max_length=40, blank=True)
    text = models.TextField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "number"]
        constraints = [models.UniqueConstraint(fields=["round", "number"], name="audit_finding_number_unique")]


class Rag(models.TextChoices):
    RED = "red", "Red: not on track"
    AMBER = "amber", "Amber: some delay"
    GREEN = "green", "Green: on track"
    COMPLETE = "complete", "Complete"


class Recommendation(CaseRecord):
    """A numbered recommendation of a round, owned by an agency and tracked to completion (F36)."""

    round = models.ForeignKey(AuditRound, on_delete=models.PROTECT, related_name="recommendations")
    number = models.PositiveIntegerField()
    text = models.TextField()
    findings = models.ManyToManyField(AuditFinding, related_name="recommendations", blank=True)
    owner_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="audit_recommendations")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    due_on = models.DateField()
    rag = models.CharField(max_length=10, choices=Rag.choices, default=Rag.GREEN)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[findings])

    class Meta:
        ordering = ["round", "number"]
        constraints = [models.UniqueConstraint(fields=["round", "number"], name="audit_recommendation_number_unique")]
        indexes = [models.Index(fields=["due_on", "completed_at"])]

    def __str__(self) -> str:
        return f"Recommendation {self.number}"


class RecommendationUpdate(NeverDeleted):
    """Progress on a recommendation: a note, the RAG status it set, and any evidence."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.PROTECT, related_name="updates")
    note = models.TextField()
    rag = models.CharField(max_length=10, choices=Rag.choices)
    evidence = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recommendation", "at", "id"]


class LearningSession(CaseRecord):
    """One session of a learning event; held weekly, skipping breaks such as half term."""

    round = models.ForeignKey(AuditRound, on_delete=models.PROTECT, related_name="sessions")
    number = models.PositiveIntegerField()
    held_on = models.DateField()
    case = models.ForeignKey(AuditCase, on_delete=models.PROTECT, null=True, blank=True, related_name="sessions")
    venue = models.CharField(max_length=300, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "held_on", "number"]
        constraints = [models.UniqueConstraint(fields=["round", "number"], name="learning_session_number_unique")]


class LearningInvitation(CaseRecord):
    """A professional involved with a case, invited to the learning event's session about it."""

    round = models.ForeignKey(AuditRound, on_delete=models.PROTECT, related_name="learning_invitations")
    case = models.ForeignKey(AuditCase, on_delete=models.PROTECT, related_name="learning_invitations")
    professional = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    invited_at = models.DateTimeField(default=timezone.now)
    attended = models.BooleanField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "case__position", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["case", "professional"], name="learning_invitation_once"),
        ]


class Reminder(NeverDeleted):
    """A reminder that has been sent, so the daily run sends each one once."""

    key = models.CharField(max_length=120, unique=True)
    sent_at = models.DateTimeField(default=timezone.now)
