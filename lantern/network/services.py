"""Every write to the network. Keyword-only; each checks permission, validates (all problems at
once, nothing saved on error), writes in a transaction and keeps history. A link to a child goes
on the child's timeline without the intelligence behind it."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from lantern.children import timeline
from lantern.children.models import Child
from lantern.core.concurrency import save_versioned
from lantern.core.dates import local_today
from lantern.partnership.models import Agency

from .models import (
    Business, BusinessKind, Disruption, DisruptionKind, DisruptionResult, HandlingCode, IntelligenceAssessment, Link, LinkType, Location, LocationKind,
    Node, NodeKind, PersonOfConcern, SourceEvaluation, SourceRecord, Vehicle,
)
from .rules import can_link_child, sees_intelligence

LINKED = timeline.register_kind("network_linked", "Linked to a person of concern or place")


def _text(value) -> str:
    return (value or "").strip()


def _may_record(by) -> None:
    if by is None or not by.is_authenticated or not by.access.can_work_with_children:
        raise PermissionDenied("Only people who work with children can record people, places and links.")


def _intelligence(by, what: str) -> None:
    if by is None or not by.is_authenticated or not sees_intelligence(by):
        raise PermissionDenied(f"Only the police and the exploitation hub can {what}.")


def node_for_child(child: Child) -> Node:
    """The child's node in the network, made the first time it is needed."""
    node, _ = Node.objects.get_or_create(kind=NodeKind.CHILD, child=child, defaults={"label": child.display_name})
    return node


# Records ----------------------------------------------------------------------------------------


@transaction.atomic
def record_person(
    *, by, name: str, aliases: str = "", date_of_birth: dt.date | None = None, estimated_age: int | None = None, description: str = "",
    police_reference: str = "", phone_numbers: str = "", online_handles: str = "", registered_sex_offender: bool = False,
    subject_to_order: str = "", guidance: str = "",
) -> PersonOfConcern:
    """A person of concern. Anyone working with children may record one (to link a child to them);
    only the police and the hub see the details afterwards."""
    _may_record(by)
    errors = {}
    if not _text(name):
        errors["name"] = "Enter the person's name, or the name the child uses for them"
    if date_of_birth is not None and date_of_birth > local_today():
        errors["date_of_birth"] = "The date of birth must be in the past"
    if estimated_age is not None and not 10 <= estimated_age <= 100:
        errors["estimated_age"] = "Enter an age from 10 to 100"
    if errors:
        raise ValidationError(errors)
    node = Node.objects.create(kind=NodeKind.PERSON, label=_text(name)[:200])
    return PersonOfConcern.objects.create(
        node=node, name=_text(name), aliases=_text(aliases), date_of_birth=date_of_birth, estimated_age=estimated_age,
        description=_text(description), police_reference=_text(police_reference), phone_numbers=_text(phone_numbers),
        online_handles=_text(online_handles), registered_sex_offender=registered_sex_offender, subject_to_order=_text(subject_to_order),
        guidance=_text(guidance), created_by=by,
    )


@transaction.atomic
def update_person(*, by, person: PersonOfConcern, expected_version: int | None = None, **fields) -> PersonOfConcern:
    """Change a person's details: the police and the hub only. With `expected_version` (the
    version the form was loaded from), a second editor working from an older version is refused."""
    _intelligence(by, "change a person of concern's details")
    allowed = {"name", "aliases", "date_of_birth", "estimated_age", "description", "police_reference", "phone_numbers",
               "online_handles", "registered_sex_offender", "subject_to_order", "guidance"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"Unknown fields {sorted(unknown)}")
    if "name" in fields and not _text(fields["name"]):
        raise ValidationError({"name": "Enter the person's name"})
    for name, value in fields.items():
        setattr(person, name, _text(value) if isinstance(value, str) else value)
    person._history_user = by
    if expected_version is None:
        person.save()
    else:
        save_versioned(person, expected_version=expected_version)
    Node.objects.filter(pk=person.node_id).update(label=person.name[:200])
    return person


@transaction.atomic
def record_location(*, by, name: str, kind: str, address: str = "", latitude=None, longitude=None) -> Location:
    _may_record(by)
    errors = {}
    if not _text(name):
        errors["name"] = "Enter the name of the place, or its address"
    if kind not in LocationKind.values:
        errors["kind"] = "Choose the kind of place"
    if (latitude is None) != (longitude is None):
        errors["latitude"] = "Enter both the latitude and the longitude, or neither"
    elif latitude is not None and not (-90 <= float(latitude) <= 90 and -180 <= float(longitude) <= 180):
        errors["latitude"] = "Enter a latitude from -90 to 90 and a longitude from -180 to 180"
    if errors:
        raise ValidationError(errors)
    node = Node.objects.create(kind=NodeKind.LOCATION, label=_text(name)[:200])
    return Location.objects.create(node=node, name=_text(name), kind=kind, address=_text(address), latitude=latitude, longitude=longitude, created_by=by)


@transaction.atomic
def record_vehicle(*, by, registration: str, make: str = "", colour: str = "") -> Vehicle:
    _may_record(by)
    registration = "".join(_text(registration).upper().split())
    if not registration or len(registration) > 12 or not registration.isalnum():
        raise ValidationError({"registration": "Enter the registration, letters and numbers only, for example AB12CDE"})
    node = Node.objects.create(kind=NodeKind.VEHICLE, label=registration)
    return Vehicle.objects.create(node=node, registration=registration, make=_text(make), colour=_text(colour), created_by=by)


@transaction.atomic
def record_business(*, by, name: str, kind: str, licensing: str = "") -> Business:
    _may_record(by)
    errors = {}
    if not _text(name):
        errors["name"] = "Enter the business's name"
    if kind not in BusinessKind.values:
        errors["kind"] = "Choose the kind of business"
    if errors:
        raise ValidationError(errors)
    node = Node.objects.create(kind=NodeKind.BUSINESS, label=_text(name)[:200])
    return Business.objects.create(node=node, name=_text(name), kind=kind, licensing=_text(licensing), created_by=by)


# Links -----------------------------------------------------------------------------------------


def _acting_agency(by, agency: Agency | None) -> Agency:
    ids = by.access.case_agency_ids | by.access.hub_agency_ids
    if agency is not None:
        if agency.pk not in ids:
            raise PermissionDenied("You can only record for an agency you work for.")
        return agency
    if len(ids) != 1:
        raise ValidationError({"source_agency": "Choose which of your agencies the information comes from"})
    return Agency.objects.get(pk=next(iter(ids)))


@transaction.atomic
def link(
    *, by, a: Node, b: Node, link_type: str, source_evaluation: str, intelligence_assessment: str,
    handling_code: str = HandlingCode.LAWFUL_SHARING, first_seen: dt.date | None = None, last_seen: dt.date | None = None,
    source_record: str = SourceRecord.OTHER, source_detail: str = "", notes: str = "", agency: Agency | None = None,
) -> Link:
    """Link two records. Anyone working with a child may link that child; links that do not touch
    a child they work with are for the police and the hub."""
    _may_record(by)
    children = [n.child for n in (a, b) if n.kind == NodeKind.CHILD]
    if not children or any(not can_link_child(by, child) for child in children):
        if not sees_intelligence(by):
            raise PermissionDenied("You can link only a child your agency works with. The police and the hub link other records.")
    errors = {}
    if a.pk == b.pk:
        errors["b"] = "Choose two different records"
    if link_type not in LinkType.values:
        errors["link_type"] = "Choose the kind of link"
    if source_evaluation not in SourceEvaluation.values:
        errors["source_evaluation"] = "Grade the source: 1 reliable, 2 untested or 3 not reliable"
    if intelligence_assessment not in IntelligenceAssessment.values:
        errors["intelligence_assessment"] = "Grade the information: A to E"
    if handling_code not in HandlingCode.values:
        errors["handling_code"] = "Choose the handling code: P or C"
    if source_record not in SourceRecord.values:
        errors["source_record"] = "Choose where the information comes from"
    today = local_today()
    for field, value in (("first_seen", first_seen), ("last_seen", last_seen)):
        if value is not None and value > today:
            errors[field] = "The date must be today or in the past"
    if first_seen and last_seen and last_seen < first_seen:
        errors["last_seen"] = "The last time seen must be on or after the first"
    if errors:
        raise ValidationError(errors)
    source_agency = _acting_agency(by, agency)
    low, high = (a, b) if a.pk < b.pk else (b, a)
    created = Link.objects.create(
        a=low, b=high, link_type=link_type, first_seen=first_seen, last_seen=last_seen or first_seen, source_agency=source_agency,
        source_record=source_record, source_detail=_text(source_detail)[:300], source_evaluation=source_evaluation,
        intelligence_assessment=intelligence_assessment, handling_code=handling_code, notes=_text(notes), recorded_by=by,
    )
    for child, other in ((n.child, o) for n, o in ((a, b), (b, a)) if n.kind == NodeKind.CHILD):
        # The timeline says a link exists, and its kind; the intelligence stays with the link.
        timeline.record_event(
            child=child, kind=LINKED.code, actor=by, agency=source_agency,
            summary=f"Linked to a {other.get_kind_display().lower()} ({created.get_link_type_display().lower()})",
        )
    return created


@transaction.atomic
def end_link(*, by, link: Link, reason: str) -> Link:
    """A link found to be wrong or no longer relevant is ended, not deleted."""
    _intelligence(by, "end a link")
    if link.ended_at is not None:
        raise ValidationError("This link has already ended")
    if not _text(reason):
        raise ValidationError({"reason": "Enter why the link is ended"})
    link.ended_at, link.ended_reason = timezone.now(), _text(reason)
    link._history_user = by
    link.save(update_fields=["ended_at", "ended_reason", "updated_at"])
    return link


# Disruption (F31) --------------------------------------------------------------------------------


@transaction.atomic
def record_disruption(*, by, node: Node, kind: str, happened_on: dt.date | None, description: str, outcome: str = "",
                      result: str = "", agency: Agency | None = None) -> Disruption:
    """Disruption against a person, place, vehicle or business, with whether it achieved what it
    set out to (`result`: blank when not recorded), counted for the board (F31)."""
    _intelligence(by, "record disruption")
    errors = {}
    if node.kind == NodeKind.CHILD:
        errors["node"] = "Disruption is recorded against a person, a place, a vehicle or a business"
    if kind not in DisruptionKind.values:
        errors["kind"] = "Choose the kind of disruption"
    if happened_on is None:
        errors["happened_on"] = "Enter the date"
    elif happened_on > local_today():
        errors["happened_on"] = "The date must be today or in the past"
    if not _text(description):
        errors["description"] = "Enter what was done"
    if result and result not in DisruptionResult.values:
        errors["result"] = "Choose whether it achieved what it set out to"
    if errors:
        raise ValidationError(errors)
    return Disruption.objects.create(node=node, kind=kind, happened_on=happened_on, agency=_acting_agency(by, agency),
                                     description=_text(description), outcome=_text(outcome), result=result or "", recorded_by=by)
