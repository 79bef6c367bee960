"""Every write to transition plans (F23) and placements out of area (F26). Keyword-only; each
checks permission, validates (every problem at once, nothing saved on error), writes in a
transaction, keeps history, adds to the child's timeline and tells the people who need to know:

- the professional named responsible for a transition plan is told, unless they named themselves;
- everyone who works with the child (practitioners and managers of every involved agency, and
  the hub) is told when the child is placed out of area and when that placement ends.

See docs/decisions/0016-transitions-and-out-of-area.md.
"""

import datetime as dt
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from lantern.children import timeline
from lantern.children.models import Child, Involvement
from lantern.children.services import add_involvement
from lantern.core.concurrency import ConcurrentEditError, save_versioned
from lantern.core.dates import age_on, local_today, long_date
from lantern.notifications.services import notify
from lantern.partnership.models import Agency
from lantern.risk.selectors import people_to_tell

from .models import PLANNING_FROM_AGE, OutOfAreaPlacement, PlanStatus, ReceivingService, TransitionPlan, birthday
from .rules import can_record_placement, can_record_transition_plan
from .selectors import placing_agencies_for, possible_owners

PLAN_RECORDED = timeline.register_kind("transition_plan_recorded", "Transition plan recorded")
PLAN_CHANGED = timeline.register_kind("transition_plan_changed", "Transition plan changed")
PLAN_AGREED = timeline.register_kind("transition_plan_agreed", "Transition plan agreed")
PLACEMENT_STARTED = timeline.register_kind("out_of_area_placement", "Placed out of area")
HOST_INFORMATION_RECEIVED = timeline.register_kind("out_of_area_information", "Information received from the host authority")
PLACEMENT_ENDED = timeline.register_kind("out_of_area_placement_ended", "Placement out of area ended")

NOTIFICATION_CATEGORY = "transitions"
PLACING_ROLE = "Placing authority (placement out of area)"
# A full postcode ("LS1 4AP") or a house number at the start ("12 High Street"): the area is
# the town or district only.
FULL_POSTCODE = re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]?\s*[0-9][A-Z]{2}\b", re.IGNORECASE)
HOUSE_NUMBER = re.compile(r"^\s*(flat\s+)?\d+[a-z]?\b", re.IGNORECASE)
PHONE = re.compile(r"^[0-9 +()-]{6,40}$")


# --- Helpers ------------------------------------------------------------------------------


def _text(value: str | None) -> str:
    return (value or "").strip()


def _lock_child(child: Child) -> None:
    """One writer at a time per child, so two people cannot both pass the checks."""
    Child.objects.select_for_update().filter(pk=child.pk).values_list("pk").first()


def _record_url(child: Child) -> str:
    return reverse("transitions:child", args=[child.pk])


def _event(*, child: Child, kind, by, summary: str, detail: str = "", on: dt.date | None = None) -> None:
    occurred = None
    if on is not None and on < local_today():
        occurred = timezone.make_aware(dt.datetime.combine(on, dt.time(9)))
    timeline.record_event(child=child, kind=kind.code, actor=by, summary=summary, detail=detail, url=_record_url(child),
                          occurred_at=occurred)


def _past_date(errors: dict, field: str, value: dt.date | None, *, label: str, earliest: dt.date, earliest_label: str,
               missing: str | None = None) -> None:
    """A date between `earliest` and today; missing is an error only when `missing` says what to enter."""
    if value is None:
        if missing:
            errors[field] = missing
    elif value > local_today():
        errors[field] = f"{label} must be today or in the past"
    elif value < earliest:
        errors[field] = f"{label} must be on or after {earliest_label}"


def _max_length(errors: dict, field: str, value: str, limit: int, label: str) -> None:
    if field not in errors and len(value) > limit:
        errors[field] = f"{label} must be {limit} characters or fewer"


# --- Transition plans ---------------------------------------------------------------------------


def _require_plan(by, child: Child) -> None:
    if by is None or not by.is_authenticated or not can_record_transition_plan(by, child):
        raise PermissionDenied("You can only record a transition plan for a young person your agency works with.")


@transaction.atomic
def save_transition_plan(
    *,
    by,
    child: Child,
    due_on: dt.date | None,
    status: str,
    owner,
    owner_agency: Agency | None,
    receiving_services=(),
    receiving_other: str = "",
    summary: str = "",
    young_persons_words: str = "",
    agreed_on: dt.date | None = None,
    expected_version: int | None = None,
) -> TransitionPlan:
    """Record the young person's transition plan, or change it. There is one plan per young
    person, from their 16th birthday; `expected_version` is the version the change was made
    from (None when recording the first), so a change made meanwhile by someone else is never
    overwritten. An agreed plan needs the date it was agreed, the services that will support
    the young person, what the plan says and the young person's own words. The professional
    named responsible is told, unless they recorded it."""
    _require_plan(by, child)
    today = local_today()
    dob = child.date_of_birth
    turns_16, eighteenth = birthday(dob, PLANNING_FROM_AGE), birthday(dob, 18)
    if age_on(dob, today) < PLANNING_FROM_AGE:
        raise ValidationError(
            f"A transition plan is recorded from the young person's 16th birthday, {long_date(turns_16)}.", code="too_young"
        )
    errors: dict[str, str] = {}
    if due_on is None:
        errors["due_on"] = "Enter the date the plan must be in place"
    elif due_on < turns_16:
        errors["due_on"] = f"The due date must be on or after the young person's 16th birthday, {long_date(turns_16)}"
    elif due_on > eighteenth:
        errors["due_on"] = f"The due date must be on or before the young person's 18th birthday, {long_date(eighteenth)}"
    if status not in PlanStatus.values:
        errors["status"] = "Select how far the plan has got"
    if owner is None or owner_agency is None:
        errors["owner"] = "Select who is responsible for the plan"
    elif not possible_owners(child).filter(user=owner, agency=owner_agency).exists():
        errors["owner"] = (
            f"{owner.full_name} of {owner_agency.name} cannot be responsible for the plan: choose a practitioner or manager "
            "of an agency that works with the young person"
        )
    chosen = list(dict.fromkeys(receiving_services or ()))
    other = _text(receiving_other)
    if any(code not in ReceivingService.values for code in chosen):
        errors["receiving_services"] = "Select the services from the list"
    if other and ReceivingService.OTHER not in chosen:
        chosen.append(ReceivingService.OTHER)
    if ReceivingService.OTHER in chosen and not other:
        errors["receiving_other"] = "Enter the other service that will support the young person"
    _max_length(errors, "receiving_other", other, 200, "The other service")
    summary, words = _text(summary), _text(young_persons_words)
    if status == PlanStatus.AGREED:
        _past_date(errors, "agreed_on", agreed_on, label="The date the plan was agreed", earliest=turns_16,
                   earliest_label=f"the young person's 16th birthday, {long_date(turns_16)}", missing="Enter the date the plan was agreed")
        if not chosen and "receiving_services" not in errors:
            errors["receiving_services"] = "Select the services that will support the young person as an adult"
        if not summary:
            errors["summary"] = "Enter what the plan says: where the young person will live, who will support them and how"
        if not words:
            errors["young_persons_words"] = (
                "Enter what the young person says about the plan, in their own words. If they would not say, record that and why"
            )
    else:
        agreed_on = None
    if errors:
        raise ValidationError(errors)
    _lock_child(child)
    plan = TransitionPlan.objects.filter(child=child).first()  # the child is locked
    if plan is not None and expected_version is None:
        raise ConcurrentEditError()  # someone else recorded the plan while this one was being written
    values = dict(
        due_on=due_on, status=status, agreed_on=agreed_on, owner=owner, owner_agency=owner_agency,
        receiving_services=[code for code in ReceivingService.values if code in chosen], receiving_other=other, summary=summary,
        young_persons_words=words, updated_by=by,
    )
    if plan is None:
        previous_status, previous_owner = None, None
        plan = TransitionPlan(child=child, recorded_by=by, **values)
        plan._history_user = by
        plan.save()
    else:
        previous_status, previous_owner = plan.status, plan.owner_id
        for name, value in values.items():
            setattr(plan, name, value)
        plan._history_user = by
        save_versioned(plan, expected_version=expected_version)
    who = f"{owner.full_name} ({owner_agency.name}) responsible"
    if status == PlanStatus.AGREED and previous_status != PlanStatus.AGREED:
        kind, summary_line = PLAN_AGREED, f"Transition plan agreed on {long_date(agreed_on)}; {who}"
    elif previous_status is None:
        kind, summary_line = PLAN_RECORDED, f"Transition plan recorded: {plan.get_status_display().lower()}, due by {long_date(due_on)}; {who}"
    else:
        kind, summary_line = PLAN_CHANGED, f"Transition plan changed: {plan.get_status_display().lower()}, due by {long_date(due_on)}; {who}"
    services_line = f"Services as an adult: {', '.join(plan.receiving_labels)}." if chosen else ""
    _event(child=child, kind=kind, by=by, summary=f"{summary_line}. Recorded by {by.full_name}", detail=services_line)
    if owner.pk != previous_owner:
        notify(
            recipients=[owner], category=NOTIFICATION_CATEGORY, child=child, url=_record_url(child), exclude=by,
            subject="You are responsible for a young person's transition to adulthood plan",
            body=f"{by.full_name} named you ({owner_agency.name}) responsible for the young person's plan for becoming an adult. "
            f"It must be in place by {long_date(due_on)}; they turn 18 on {long_date(eighteenth)}. The plan is "
            f"{plan.get_status_display().lower()}.",
        )
    return plan


# --- Placements out of area ------------------------------------------------------------------


def _require_placement(by, child: Child) -> None:
    if by is None or not by.is_authenticated or not can_record_placement(by, child):
        raise PermissionDenied(
            "Only children's social care working with the child, or the exploitation hub, can record a placement out of area."
        )


def _tell_everyone(*, by, child: Child, subject: str, body: str) -> None:
    notify(recipients=people_to_tell(child), category=NOTIFICATION_CATEGORY, child=child, url=_record_url(child), exclude=by,
           subject=subject, body=body)


@transaction.atomic
def record_out_of_area_placement(
    *,
    by,
    child: Child,
    placing_agency: Agency | None,
    host_authority: str,
    placement_area: str,
    started_on: dt.date | None,
    information_requested: str,
    information_due_on: dt.date | None,
    notified_host_on: dt.date | None = None,
    host_contact_name: str = "",
    host_contact_email: str = "",
    host_contact_phone: str = "",
) -> OutOfAreaPlacement:
    """Record that the child has been placed to live in another local authority's area (the
    host), what information was asked of the host authority and by when. One current placement
    per child. The placing agency is made involved with the child if it is not, and everyone who
    works with the child is told."""
    _require_placement(by, child)
    errors: dict[str, str] = {}
    dob_label = "the child's date of birth"
    if placing_agency is None:
        errors["placing_agency"] = "Select the agency that placed the child"
    elif not placing_agencies_for(by, child).filter(pk=placing_agency.pk).exists():
        errors["placing_agency"] = "Select a children's social care agency you work for that works with the child"
    host = _text(host_authority)
    if not host:
        errors["host_authority"] = "Enter the name of the host local authority, for example Westmarsh Borough Council"
    _max_length(errors, "host_authority", host, 200, "The name of the host local authority")
    area = _text(placement_area)
    if not area:
        errors["placement_area"] = "Enter the town or district the child now lives in"
    elif FULL_POSTCODE.search(area) or HOUSE_NUMBER.search(area):
        errors["placement_area"] = "Enter the town or district only, not the address or the full postcode"
    _max_length(errors, "placement_area", area, 100, "The town or district")
    contact_name, email, phone = _text(host_contact_name), _text(host_contact_email), _text(host_contact_phone)
    _max_length(errors, "host_contact_name", contact_name, 200, "The contact's name")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["host_contact_email"] = "Enter an email address in the correct format, like name@example.gov.uk"
    if phone and not PHONE.match(phone):
        errors["host_contact_phone"] = "Enter a phone number, like 01632 960 001"
    _past_date(errors, "started_on", started_on, label="The start date", earliest=child.date_of_birth, earliest_label=dob_label,
               missing="Enter the date the placement started")
    _past_date(errors, "notified_host_on", notified_host_on, label="The date the host authority was told",
               earliest=child.date_of_birth, earliest_label=dob_label)
    requested = _text(information_requested)
    if not requested:
        errors["information_requested"] = (
            "Enter what you asked the host authority for, for example local police and exploitation intelligence about the area"
        )
    if information_due_on is None:
        errors["information_due_on"] = "Enter the date the information is due"
    elif notified_host_on is not None and "notified_host_on" not in errors and information_due_on < notified_host_on:
        errors["information_due_on"] = "The date the information is due must be on or after the date the host authority was told"
    elif notified_host_on is None and started_on is not None and "started_on" not in errors and information_due_on < started_on:
        errors["information_due_on"] = "The date the information is due must be on or after the start of the placement"
    _lock_child(child)
    current = OutOfAreaPlacement.objects.filter(child=child, ended_on__isnull=True).first()  # the child is locked
    if current is not None:
        errors["started_on"] = (
            f"The child is already placed out of area in {current.placement_area} ({current.host_authority}), since "
            f"{long_date(current.started_on)}. End that placement first"
        )
    if errors:
        raise ValidationError(errors)
    placement = OutOfAreaPlacement(
        child=child, placing_agency=placing_agency, host_authority=host, host_contact_name=contact_name, host_contact_email=email,
        host_contact_phone=phone, placement_area=area, started_on=started_on, notified_host_on=notified_host_on,
        information_requested=requested, information_due_on=information_due_on, recorded_by=by,
    )
    placement._history_user = by
    placement.save()
    if not Involvement.objects.filter(child=child, agency=placing_agency, ended_on__isnull=True).exists():
        add_involvement(by=by, child=child, agency=placing_agency, role=PLACING_ROLE, started_on=started_on)
    where = f"{area}, in the area of {host}"
    _event(child=child, kind=PLACEMENT_STARTED, by=by, on=started_on,
           summary=f"Placed out of area by {placing_agency.name} from {long_date(started_on)}: {where}. Information asked of the "
           f"host authority by {long_date(information_due_on)}. Recorded by {by.full_name}",
           detail=f"Information asked for: {requested}")
    _tell_everyone(
        by=by, child=child, subject="A child you work with has been placed out of area",
        body=f"{by.full_name} recorded that {placing_agency.name} has placed the child to live in {where}, from "
        f"{long_date(started_on)}. If your agency works with the child there, agree with the placing social worker who will "
        "keep in touch with them.",
    )
    return placement


def _lock_current_placement(by, placement: OutOfAreaPlacement) -> OutOfAreaPlacement:
    _require_placement(by, placement.child)
    return OutOfAreaPlacement.objects.select_for_update().select_related("child", "placing_agency").get(pk=placement.pk)


def _copy_back(placement: OutOfAreaPlacement, locked: OutOfAreaPlacement, names) -> None:
    for name in (*names, "version"):
        setattr(placement, name, getattr(locked, name))


@transaction.atomic
def record_host_information(*, by, placement: OutOfAreaPlacement, received_on: dt.date | None, information: str) -> OutOfAreaPlacement:
    """Record that the information asked of the host authority has come, when, and what it said.
    Recorded once; the placement may have ended since."""
    locked = _lock_current_placement(by, placement)
    if locked.information_received_on is not None:
        raise ValidationError(
            f"The host authority's information was already recorded as received on {long_date(locked.information_received_on)}.",
            code="already_received",
        )
    errors: dict[str, str] = {}
    asked = min(d for d in (locked.notified_host_on, locked.started_on) if d is not None)
    _past_date(errors, "received_on", received_on, label="The date the information was received", earliest=asked,
               earliest_label=f"{long_date(asked)}, when it could first have been asked for",
               missing="Enter the date the information was received")
    information = _text(information)
    if not information:
        errors["information"] = "Enter what the host authority sent, for example what their police know about the area"
    if errors:
        raise ValidationError(errors)
    locked.information_received_on = received_on
    locked.information_received = information
    locked.information_recorded_by = by
    locked.version += 1
    locked._history_user = by
    locked.save()
    late = received_on > locked.information_due_on
    _event(child=locked.child, kind=HOST_INFORMATION_RECEIVED, by=by, on=received_on,
           summary=f"Information received from {locked.host_authority} on {long_date(received_on)}"
           f"{', after it was due on ' + long_date(locked.information_due_on) if late else ''}. Recorded by {by.full_name}",
           detail=information)
    _copy_back(placement, locked, ("information_received_on", "information_received", "information_recorded_by"))
    return locked


@transaction.atomic
def end_out_of_area_placement(*, by, placement: OutOfAreaPlacement, ended_on: dt.date | None, reason: str) -> OutOfAreaPlacement:
    """End a placement out of area, for example when the child comes back to live in the area.
    Everyone who works with the child is told."""
    locked = _lock_current_placement(by, placement)
    if locked.ended_on is not None:
        raise ValidationError(f"This placement already ended on {long_date(locked.ended_on)}.", code="already_ended")
    errors: dict[str, str] = {}
    _past_date(errors, "ended_on", ended_on, label="The end date", earliest=locked.started_on,
               earliest_label=f"the start of the placement, {long_date(locked.started_on)}", missing="Enter the date the placement ended")
    reason = _text(reason)
    if not reason:
        errors["reason"] = "Enter why the placement ended, for example the child came back to live with their family"
    if errors:
        raise ValidationError(errors)
    locked.ended_on = ended_on
    locked.end_reason = reason
    locked.ended_by = by
    locked.version += 1
    locked._history_user = by
    locked.save()
    what = f"Placement out of area in {locked.placement_area} ({locked.host_authority}) ended on {long_date(ended_on)}"
    _event(child=locked.child, kind=PLACEMENT_ENDED, by=by, on=ended_on, summary=f"{what}. Recorded by {by.full_name}", detail=reason)
    _tell_everyone(by=by, child=locked.child, subject="A child you work with is no longer placed out of area",
                   body=f"{by.full_name} recorded: {what[0].lower()}{what[1:]}. Reason: {reason}")
    _copy_back(placement, locked, ("ended_on", "end_reason", "ended_by"))
    return locked
