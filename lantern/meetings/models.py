"""Multi-agency meetings about children: exploitation meetings (MACE), strategy discussions and
reviews; their agendas, decisions and actions, who was invited and came, and the minutes each
agency received (F10, F22, F24, F25, F27, F28)."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from lantern.core.models import CaseRecord, NeverDeleted
from lantern.partnership.models import Agency

DEFAULT_CONFIDENTIALITY = (
    "This meeting shares confidential information to protect children from exploitation, under the "
    "partnership's information-sharing agreement. Do not pass it on, except to protect a child from harm "
    "or with the chair's agreement."
)


class MeetingKind(models.TextChoices):
    """Distinct types, so a strategy discussion is never mistaken for an exploitation meeting (F10)."""

    EXPLOITATION = "exploitation", "Exploitation meeting (MACE)"
    STRATEGY = "strategy", "Strategy discussion (section 47)"
    REVIEW = "review", "Review meeting"


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    CLOSED = "closed", "Closed"
    CANCELLED = "cancelled", "Cancelled"


class MeetingSeries(CaseRecord):
    """Meetings held at a regular interval, such as the exploitation meeting every 4 weeks."""

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=MeetingKind.choices)
    interval_weeks = models.PositiveSmallIntegerField()
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    venue = models.CharField(max_length=300, blank=True)
    call_link = models.URLField(max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ended_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "meeting series"

    def __str__(self) -> str:
        return self.name


class Meeting(CaseRecord):
    kind = models.CharField(max_length=16, choices=MeetingKind.choices)
    title = models.CharField(max_length=200)
    series = models.ForeignKey(MeetingSeries, on_delete=models.PROTECT, null=True, blank=True, related_name="meetings")
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField()
    venue = models.CharField(max_length=300, blank=True)
    call_link = models.URLField(max_length=500, blank=True)
    confidentiality = models.TextField(default=DEFAULT_CONFIDENTIALITY)
    status = models.CharField(max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    cancelled_reason = models.TextField(blank=True)
    invitations_sent_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["status", "starts_at"]), models.Index(fields=["starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="closed") | models.Q(closed_at__isnull=False), name="meeting_closed_when"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%d/%m/%Y})"

    @property
    def is_closed(self) -> bool:
        return self.status == MeetingStatus.CLOSED

    @property
    def is_open_for_changes(self) -> bool:
        return self.status == MeetingStatus.PLANNED


class ItemReason(models.TextChoices):
    NEW_REFERRAL = "referral", "New referral sent to the meeting"
    REVIEW_DUE = "review", "Medium or high risk: due for review"
    REPEAT_MISSING = "missing", "Repeatedly missing"
    OUTSTANDING_ACTIONS = "actions", "Actions from an earlier meeting due and still open"
    ADDED = "added", "Added by the chair"
    PERSON = "person", "Person of concern to discuss"
    LOCATION = "location", "Location to discuss"
    BUSINESS = "business", "Business to discuss"
    VEHICLE = "vehicle", "Vehicle to discuss"


CHILD_REASONS = (ItemReason.NEW_REFERRAL, ItemReason.REVIEW_DUE, ItemReason.REPEAT_MISSING, ItemReason.OUTSTANDING_ACTIONS, ItemReason.ADDED)
# The reason of an item about a record of the network, by the record's kind.
RECORD_REASONS = {"person": ItemReason.PERSON, "location": ItemReason.LOCATION, "business": ItemReason.BUSINESS, "vehicle": ItemReason.VEHICLE}
TOPIC_REASONS = (ItemReason.PERSON, ItemReason.LOCATION, ItemReason.BUSINESS, ItemReason.VEHICLE)


class Pathway(models.TextChoices):
    """Where the child's case goes from this meeting: the path between meeting types (F10)."""

    SECTION_47 = "s47", "Section 47 enquiry to start"
    STRATEGY = "strategy", "Strategy discussion to be held"
    EXPLOITATION = "exploitation", "To the exploitation meeting"
    REVIEW = "review", "Review meeting to be held"
    NONE = "none", "No further multi-agency meeting needed"


class AgendaItem(CaseRecord):
    """One child, or one person of concern, place, vehicle or business of the network, on a
    meeting's agenda, with what was said and decided about them. Removed items are kept, with the
    reason. An item about a record keeps the record's name in `topic` as it stood when added;
    items added before the network existed are a named topic only (no `node`)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="items")
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, null=True, blank=True, related_name="meeting_items")
    node = models.ForeignKey("network.Node", on_delete=models.PROTECT, null=True, blank=True, related_name="meeting_items",
                             help_text="The person of concern, place, vehicle or business the item is about.")
    topic = models.CharField(max_length=300, blank=True, help_text="What a person or location item is about.")
    reason = models.CharField(max_length=16, choices=ItemReason.choices)
    reason_detail = models.CharField(max_length=300, blank=True)
    referral = models.ForeignKey("referrals.Referral", on_delete=models.PROTECT, null=True, blank=True, related_name="meeting_items")
    position = models.PositiveIntegerField(default=0)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    removed_reason = models.TextField(blank=True)
    discussion = models.TextField(blank=True)
    decisions = models.ManyToManyField("risk.RiskDecision", blank=True, related_name="meeting_items")
    pathway = models.CharField(max_length=16, choices=Pathway.choices, blank=True)
    no_actions_reason = models.TextField(blank=True)
    summary = models.JSONField(default=list, blank=True, help_text="The prepared summary, kept as it stood when the item closed.")
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    history = HistoricalRecords(m2m_fields=[decisions])

    class Meta:
        ordering = ["meeting", "position", "id"]
        indexes = [models.Index(fields=["child", "removed_at"]), models.Index(fields=["referral"]), models.Index(fields=["node", "removed_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "child"], condition=models.Q(removed_at__isnull=True, child__isnull=False),
                name="child_once_per_agenda",
            ),
            models.UniqueConstraint(
                fields=["meeting", "node"], condition=models.Q(removed_at__isnull=True, node__isnull=False),
                name="record_once_per_agenda",
            ),
            models.CheckConstraint(condition=models.Q(child__isnull=True) | models.Q(node__isnull=True), name="item_child_or_record"),
            models.CheckConstraint(condition=~models.Q(child__isnull=True, topic=""), name="item_child_or_topic"),
        ]

    def __str__(self) -> str:
        return self.topic or f"Item {self.position}"

    @property
    def is_active(self) -> bool:
        return self.removed_at is None

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    NOT_POSSIBLE = "not_possible", "Not possible: circumstances changed"
    NOT_DONE = "not_done", "Not done: the agency did not do it"


class MeetingAction(CaseRecord):
    """An action agreed at a meeting: what, who, which agency, by when, and the outcome it should
    achieve (F24). It comes back to the next meeting about the child until it is marked."""

    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="actions")
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, null=True, blank=True, related_name="meeting_actions")
    description = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="meeting_actions")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="meeting_actions")
    due_on = models.DateField()
    outcome = models.TextField("The outcome it should achieve")
    status = models.CharField(max_length=16, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    status_note = models.TextField(blank=True)
    status_recorded_at = models.DateTimeField(null=True, blank=True)
    status_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reviewed_at_item = models.ForeignKey(
        AgendaItem, on_delete=models.PROTECT, null=True, blank=True, related_name="reviewed_actions",
        help_text="The later meeting item at which the action was marked.",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["child", "status"]), models.Index(fields=["status", "due_on"]), models.Index(fields=["owner", "status"])]

    def __str__(self) -> str:
        return self.description[:80]


class Attendance(models.TextChoices):
    NOT_RECORDED = "", "Not recorded"
    ATTENDED = "attended", "Attended"
    APOLOGIES = "apologies", "Sent apologies"
    ABSENT = "absent", "Did not attend"


class Invitation(CaseRecord):
    """An agency invited to a meeting: because it is involved with a child on the agenda (F27),
    or because the chair added it. Also what it sent in if it could not come."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="invitations")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="meeting_invitations")
    added_by_chair = models.BooleanField(default=False)
    chair_reason = models.CharField(max_length=300, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True, help_text="No child on the agenda concerns the agency any more.")
    notified_at = models.DateTimeField(null=True, blank=True)
    attendance = models.CharField(max_length=16, choices=Attendance.choices, blank=True, default=Attendance.NOT_RECORDED)
    attendees = models.CharField(max_length=500, blank=True)
    information_sent = models.TextField(blank=True)
    information_sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    information_sent_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["agency__name"]
        constraints = [models.UniqueConstraint(fields=["meeting", "agency"], name="one_invitation_per_agency")]

    def __str__(self) -> str:
        return f"{self.agency} to {self.meeting}"


class ReleaseKind(models.TextChoices):
    DECISIONS = "decisions", "Decisions and actions"
    FULL = "full", "Full minutes"


class MinutesRelease(NeverDeleted):
    """The decisions and actions (sent when the meeting closes), or the full minutes (published
    by the chair), sent to the agencies (F25)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="releases")
    kind = models.CharField(max_length=16, choices=ReleaseKind.choices)
    released_at = models.DateTimeField()
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["released_at"]
        constraints = [models.UniqueConstraint(fields=["meeting", "kind"], name="one_release_of_each_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.meeting}"


class MinutesShare(NeverDeleted):
    """What one agency received of a release: only the items about children it is involved with,
    and when (and by whom) it acknowledged receipt (F25, F28)."""

    release = models.ForeignKey(MinutesRelease, on_delete=models.PROTECT, related_name="shares")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="minutes_shares")
    items = models.ManyToManyField(AgendaItem, related_name="shares")
    shared_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["agency__name"]
        indexes = [models.Index(fields=["agency", "acknowledged_at"]), models.Index(fields=["acknowledged_at", "shared_at"])]
        constraints = [models.UniqueConstraint(fields=["release", "agency"], name="one_share_per_agency")]

    def __str__(self) -> str:
        return f"{self.release} to {self.agency}"
