"""The people, places, vehicles and businesses around the children, and the links between them
(F02, F29, F30, F31).

Every record that can be linked is a `Node`: a child on the register, a person of concern, a
location, a vehicle or a business. The details of each kind live in their own table, one to one
with its node, and a `Link` joins any two nodes. One table of nodes and one of links keep the
graph queries (neighbourhoods, connected groups, hotspots) to plain indexed joins.

Intelligence is graded with the national 3x5x2 system of the College of Policing (Authorised
Professional Practice, Intelligence management): source evaluation 1-3, intelligence assessment
A-E, handling code P or C.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from lantern.core.models import CaseRecord, NeverDeleted
from lantern.partnership.models import Agency


class NodeKind(models.TextChoices):
    CHILD = "child", "Child"
    PERSON = "person", "Person of concern"
    LOCATION = "location", "Location"
    VEHICLE = "vehicle", "Vehicle"
    BUSINESS = "business", "Business"


class Node(NeverDeleted):
    kind = models.CharField(max_length=10, choices=NodeKind.choices)
    child = models.OneToOneField("children.Child", on_delete=models.PROTECT, null=True, blank=True, related_name="network_node")
    label = models.CharField(max_length=200, help_text="What the node is called in lists and the network view.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["kind", "label"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind="child", child__isnull=False) | (~models.Q(kind="child") & models.Q(child__isnull=True)),
                                   name="node_child_iff_child_kind"),
        ]

    def __str__(self) -> str:
        return self.label


class PersonOfConcern(CaseRecord):
    node = models.OneToOneField(Node, on_delete=models.PROTECT, related_name="person")
    name = models.CharField(max_length=200)
    aliases = models.CharField(max_length=500, blank=True, help_text="Other names and nicknames, separated by commas.")
    date_of_birth = models.DateField(null=True, blank=True)
    estimated_age = models.PositiveSmallIntegerField(null=True, blank=True)
    description = models.TextField(blank=True)
    police_reference = models.CharField(max_length=60, blank=True)
    phone_numbers = models.CharField(max_length=300, blank=True)
    online_handles = models.CharField(max_length=300, blank=True)
    registered_sex_offender = models.BooleanField(default=False)
    subject_to_order = models.CharField("Subject to an order", max_length=200, blank=True, help_text="For example a sexual risk order.")
    guidance = models.TextField(
        "What agencies must do", blank=True,
        help_text="Shown to every agency working with a linked child: for example, tell the police at once if the child is seen with this person.",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "persons of concern"

    def __str__(self) -> str:
        return self.name


class LocationKind(models.TextChoices):
    PRIVATE_ADDRESS = "private_address", "Private address"
    HOTEL = "hotel", "Hotel or guest house"
    TAKEAWAY = "takeaway", "Takeaway or restaurant"
    SHOP = "shop", "Shop"
    PARK = "park", "Park or open space"
    TRANSPORT = "transport", "Transport hub (station, bus station)"
    SCHOOL = "school", "School or college"
    ONLINE = "online", "Online space (app, game, group)"
    OTHER = "other", "Other place"


class Location(CaseRecord):
    node = models.OneToOneField(Node, on_delete=models.PROTECT, related_name="location")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=LocationKind.choices)
    address = models.CharField(max_length=300, blank=True)
    latitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Vehicle(CaseRecord):
    node = models.OneToOneField(Node, on_delete=models.PROTECT, related_name="vehicle")
    registration = models.CharField(max_length=12)
    make = models.CharField(max_length=60, blank=True)
    colour = models.CharField(max_length=40, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["registration"]

    def __str__(self) -> str:
        return self.registration


class BusinessKind(models.TextChoices):
    TAXI = "taxi", "Taxi or private hire firm"
    HOTEL = "hotel", "Hotel or guest house"
    TAKEAWAY = "takeaway", "Takeaway or restaurant"
    SHOP = "shop", "Shop or off-licence"
    LICENSED = "licensed", "Pub, bar or club"
    OTHER = "other", "Other business"


class Business(CaseRecord):
    node = models.OneToOneField(Node, on_delete=models.PROTECT, related_name="business")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=BusinessKind.choices)
    licensing = models.TextField("Licensing details", blank=True, help_text="Licensing authority, licence numbers, conditions.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "businesses"

    def __str__(self) -> str:
        return self.name


class LinkType(models.TextChoices):
    ASSOCIATES = "associates", "Associates with"
    SEEN_WITH = "seen_with", "Seen with"
    EXPLOITS = "exploits", "Suspected of exploiting"
    SUPPLIES = "supplies", "Supplies drugs or alcohol to"
    FOUND_AT = "found_at", "Found at"
    FREQUENTS = "frequents", "Goes to"
    LIVES_AT = "lives_at", "Lives at"
    WORKS_AT = "works_at", "Works at"
    DRIVES = "drives", "Drives"
    REGISTERED_TO = "registered_to", "Registered to"
    PEER = "peer", "Friends with (peer)"
    CONTACTS_ONLINE = "contacts_online", "Contacts online"
    OTHER = "other", "Other link"


class SourceEvaluation(models.TextChoices):
    """3x5x2 source evaluation."""

    RELIABLE = "1", "1: Reliable"
    UNTESTED = "2", "2: Untested"
    NOT_RELIABLE = "3", "3: Not reliable"


class IntelligenceAssessment(models.TextChoices):
    """3x5x2 intelligence assessment."""

    KNOWN_DIRECTLY = "A", "A: Known directly"
    KNOWN_INDIRECTLY_CORROBORATED = "B", "B: Known indirectly, corroborated"
    KNOWN_INDIRECTLY = "C", "C: Known indirectly"
    NOT_KNOWN = "D", "D: Not known"
    SUSPECTED_FALSE = "E", "E: Suspected to be false"


class HandlingCode(models.TextChoices):
    """3x5x2 handling code."""

    LAWFUL_SHARING = "P", "P: Lawful sharing permitted"
    CONDITIONS = "C", "C: Lawful sharing permitted with conditions"


class SourceRecord(models.TextChoices):
    RETURN_INTERVIEW = "return_interview", "Return interview"
    MEETING_ITEM = "meeting_item", "Meeting item"
    SCREENING = "screening", "Screening"
    REFERRAL = "referral", "Referral"
    CONTACT = "contact", "Contact with the child"
    INTELLIGENCE = "intelligence", "Police intelligence"
    OTHER = "other", "Other"


class Link(CaseRecord):
    """A link between two nodes, with where it came from and how far it can be relied on. The
    pair is stored with the lower node id first, so a link is found from either end by the same
    two indexes."""

    a = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="links_as_a")
    b = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="links_as_b")
    link_type = models.CharField(max_length=20, choices=LinkType.choices)
    first_seen = models.DateField(null=True, blank=True)
    last_seen = models.DateField(null=True, blank=True)
    source_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    source_record = models.CharField(max_length=20, choices=SourceRecord.choices, default=SourceRecord.OTHER)
    source_detail = models.CharField(max_length=300, blank=True, help_text="Which record: for example the return interview of 3 March.")
    source_evaluation = models.CharField(max_length=1, choices=SourceEvaluation.choices)
    intelligence_assessment = models.CharField(max_length=1, choices=IntelligenceAssessment.choices)
    handling_code = models.CharField(max_length=1, choices=HandlingCode.choices, default=HandlingCode.LAWFUL_SHARING)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ended_at = models.DateTimeField(null=True, blank=True, help_text="Found to be wrong or no longer relevant: kept, but not drawn.")
    ended_reason = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-last_seen", "-id"]
        indexes = [
            models.Index(fields=["a", "b"]), models.Index(fields=["b", "a"]), models.Index(fields=["last_seen"]),
            # Both ends of every live link, read from the index alone: the connected groups read nothing else.
            models.Index(fields=["a", "b"], condition=models.Q(ended_at__isnull=True), name="link_live_pair"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(a__lt=models.F("b")), name="link_ordered_pair"),
            models.CheckConstraint(
                condition=models.Q(first_seen__isnull=True) | models.Q(last_seen__isnull=True) | models.Q(last_seen__gte=models.F("first_seen")),
                name="link_seen_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.a} {self.get_link_type_display().lower()} {self.b}"

    def other(self, node_id: int) -> int:
        return self.b_id if self.a_id == node_id else self.a_id


class DisruptionKind(models.TextChoices):
    WARNING_NOTICE = "warning_notice", "Warning notice (child abduction or harbourer)"
    ORDER = "order", "Order (for example a sexual risk or slavery and trafficking order)"
    ARREST = "arrest", "Arrest"
    CHARGE = "charge", "Charge"
    PROSECUTION = "prosecution", "Prosecution"
    LICENSING = "licensing", "Licensing action"
    PREMISES_VISIT = "premises_visit", "Premises visit"
    SEIZURE = "seizure", "Seizure"
    OTHER = "other", "Other disruption"


class DisruptionResult(models.TextChoices):
    """Whether a disruption achieved what it set out to, counted for the board (F31). Blank: not
    recorded (every disruption recorded before the question was asked)."""

    ACHIEVED = "achieved", "Achieved"
    NOT_ACHIEVED = "not_achieved", "Not achieved"
    AWAITED = "awaited", "Outcome awaited"


class Disruption(CaseRecord):
    """Disruption activity against a person, location or business (F31)."""

    node = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="disruptions")
    kind = models.CharField(max_length=20, choices=DisruptionKind.choices)
    happened_on = models.DateField()
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    description = models.TextField()
    outcome = models.TextField(blank=True)
    result = models.CharField(max_length=16, choices=DisruptionResult.choices, blank=True, help_text="Blank: not recorded.")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-happened_on", "-id"]
        indexes = [models.Index(fields=["happened_on"])]


class NetworkAccess(NeverDeleted):
    """One view of a person of concern, location, vehicle or business (logged as reads of a
    child's record are)."""

    node = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="access_log")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    path = models.CharField(max_length=300, blank=True)
    full_intelligence = models.BooleanField(default=False)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["node", "-at"])]
