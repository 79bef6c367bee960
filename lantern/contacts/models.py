"""Contacts with the child (F20) and supervision discussions of the child (F38).

A contact is one time a professional saw, spoke to or messaged the child, or tried to and did
not see them. A supervision record is a manager's discussion of the child with the worker:
their reflection on the exploitation risk and what was agreed. Every row keeps its history and
none is ever deleted. See docs/decisions/0015-contacts-and-supervision.md."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from lantern.core.models import CaseRecord
from lantern.partnership.models import Agency


class ContactKind(models.TextChoices):
    FACE_TO_FACE = "face_to_face", "Face to face"
    PHONE = "phone", "Phone call"
    VIDEO = "video", "Video call"
    MESSAGE = "message", "Online or text message"
    ATTEMPTED = "attempted", "Attempted: the child was not seen or spoken to"


# Contacts where the professional and the child were in the same place, or tried to be.
IN_PERSON_KINDS = (ContactKind.FACE_TO_FACE, ContactKind.ATTEMPTED)


class WithWhom(models.TextChoices):
    ALONE = "alone", "The child alone"
    PARENT_OR_CARER = "parent_or_carer", "With a parent or carer"
    OTHERS = "others", "With other people"


class Place(models.TextChoices):
    HOME = "home", "Home"
    SCHOOL = "school", "School or college"
    PLACEMENT = "placement", "Placement (foster or residential home)"
    COMMUNITY = "community", "In the community"
    OTHER = "other", "Somewhere else"


class Contact(CaseRecord):
    """One contact with the child by a professional of an agency working with them. Successful
    unless it was only attempted: an attempted contact (the child not seen or spoken to) never
    counts as the child being seen."""

    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="contacts")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="contacts")
    professional = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contacts_made")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    happened_at = models.DateTimeField()
    kind = models.CharField(max_length=16, choices=ContactKind.choices)
    successful = models.BooleanField(editable=False)
    with_whom = models.CharField("Who the child was with", max_length=16, choices=WithWhom.choices, blank=True)
    place = models.CharField("Where", max_length=12, choices=Place.choices, blank=True)
    place_detail = models.CharField("Where, in more detail", max_length=200, blank=True)
    summary = models.TextField("What happened")
    childs_words = models.TextField("The child's own words", blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-happened_at", "-id"]
        indexes = [
            models.Index(fields=["child", "-happened_at"], name="contact_child_newest"),
            # The F20 scan and the child page read the newest successful contact of each child.
            models.Index(fields=["child", "-happened_at"], condition=models.Q(successful=True), name="contact_child_successful"),
            models.Index(fields=["child", "agency", "-happened_at"], name="contact_child_agency_newest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="attempted", successful=False) | (~models.Q(kind="attempted") & models.Q(successful=True)),
                name="contact_successful_unless_attempted",
            ),
            models.CheckConstraint(
                condition=models.Q(successful=True) & ~models.Q(with_whom="") | models.Q(successful=False, with_whom=""),
                name="contact_with_whom_only_when_seen",
            ),
            models.CheckConstraint(
                condition=~models.Q(place="other") | ~models.Q(place_detail=""), name="contact_other_place_described",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.happened_at:%d/%m/%Y}"

    def save(self, *args, **kwargs):
        self.successful = self.kind != ContactKind.ATTEMPTED
        super().save(*args, **kwargs)

    @property
    def place_words(self) -> str:
        """'at home', 'in the community (Market Square)', 'at Nan's house' (somewhere else), '' when not recorded."""
        if not self.place:
            return ""
        if self.place == Place.OTHER:
            return f"at {self.place_detail}"
        words = {
            Place.HOME: "at home", Place.SCHOOL: "at school or college", Place.PLACEMENT: "at their placement",
            Place.COMMUNITY: "in the community",
        }[Place(self.place)]
        return f"{words} ({self.place_detail})" if self.place_detail else words


class SupervisionRecord(CaseRecord):
    """A supervision discussion of the child (F38): when it was held, the manager who supervised
    (in an agency working with the child, or the exploitation hub), the practitioner supervised
    if there was one, the reflection on the exploitation risk and what was agreed. Seen only by
    the managers of the agencies working with the child, the supervisor, the practitioner
    supervised and the exploitation hub."""

    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="supervision_records")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="supervision_records")
    supervisor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="supervisions_given")
    supervisee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="supervisions_received",
        verbose_name="Practitioner supervised",
    )
    held_on = models.DateField("Date of the supervision")
    reflection = models.TextField("Reflection on the exploitation risk")
    actions_agreed = models.TextField("Decisions and actions agreed", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["child", "-held_on"], name="supervision_child_newest")]

    def __str__(self) -> str:
        return f"Supervision on {self.held_on:%d/%m/%Y}"
