"""Every write to the child register. Keyword-only; each checks permission, validates, writes
in a transaction, keeps history and tells the people who need to know."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from lantern.core.concurrency import save_versioned
from lantern.core.dates import age_on, local_today
from lantern.notifications.services import notify
from lantern.partnership.models import Agency, Membership
from lantern.partnership.selectors import hub_members

from . import timeline
from .identifiers import clean_identifier
from .models import (
    AccessLogEntry,
    BreakGlassAttempt,
    BreakGlassGrant,
    Child,
    ChildIdentifier,
    IdentifierKind,
    Involvement,
    normalise_identifier,
)
from .rules import can_edit_child, can_end_involvement
from .selectors import DuplicateCheck, find_possible_duplicates

EDITABLE_CHILD_FIELDS = [
    "legal_first_name",
    "legal_middle_names",
    "legal_last_name",
    "preferred_name",
    "date_of_birth",
    "sex",
    "gender_identity",
    "gender_identity_description",
    "ethnicity",
    "first_language",
    "disability",
    "learning_disability",
    "send_status",
    "religion",
    "address_area",
    "legal_status",
    "is_transition_case",
]


class PossibleDuplicate(ValidationError):
    """The child may already be on the register. Raised before anything is saved."""

    def __init__(self, check: DuplicateCheck) -> None:
        self.check = check
        super().__init__(
            "This child may already be on the register. Check the records below before you add a new one.",
            code="possible_duplicate",
        )


def _require_case_user(user) -> None:
    if user is None or not user.is_authenticated or not user.access.can_work_with_children:
        raise PermissionDenied("Your role does not let you work with children's records.")


def validate_date_of_birth(date_of_birth: dt.date, *, is_transition_case: bool, on: dt.date | None = None) -> None:
    """F11: a date of birth in the future, or one that makes the child 18 or older (unless a
    transition case), is refused with a message that says why."""
    today = on or local_today()
    if date_of_birth > today:
        raise ValidationError({"date_of_birth": "Date of birth must be today or in the past"})
    age = age_on(date_of_birth, today)
    if age >= 25:
        raise ValidationError({"date_of_birth": "Date of birth makes the child 25 or older. Check the year"})
    if age >= 18 and not is_transition_case:
        raise ValidationError(
            {
                "date_of_birth": f"Date of birth makes the child {age}. Lantern records children under 18: "
                "check the year, or mark this as a transition case"
            }
        )


def _clean_identifiers(identifiers) -> list[tuple[str, str]]:
    cleaned, errors, kinds = [], {}, set()
    for kind, value in identifiers or []:
        if not value:
            continue
        if kind not in IdentifierKind.values:
            raise ValidationError("Choose a kind of identifier from the list")
        if kind in kinds:
            errors[kind] = f"Enter one {IdentifierKind(kind).label} only"
            continue
        kinds.add(kind)
        try:
            cleaned.append((kind, clean_identifier(kind, value)))
        except ValidationError as exc:
            errors[kind] = exc.messages[0]
    if errors:
        raise ValidationError(errors)
    return cleaned


def _agency_for(user, agency: Agency | None) -> Agency:
    """The agency a user acts for: the one they chose, which must be theirs, or their only one."""
    acting = user.access.case_agency_ids | user.access.hub_agency_ids
    if agency is not None:
        if agency.pk not in acting:
            raise PermissionDenied("You can only record this for an agency where you work with children.")
        return agency
    ids = acting
    if len(ids) != 1:
        raise ValidationError({"agency": "Choose which of your agencies you are recording this for"})
    return Agency.objects.get(pk=next(iter(ids)))


@transaction.atomic
def register_child(
    *,
    by,
    legal_first_name: str,
    legal_last_name: str,
    date_of_birth: dt.date,
    sex: str,
    involvement_role: str,
    agency: Agency | None = None,
    legal_middle_names: str = "",
    preferred_name: str = "",
    identifiers: list[tuple[str, str]] | None = None,
    confirmed_not_duplicate: bool = False,
    make_lead: bool = False,
    involvement_started_on: dt.date | None = None,
    **details,
) -> Child:
    """Add a child to the register, with the registering user's agency as the first involved
    agency. Raises PossibleDuplicate (saving nothing) when the child may already be recorded,
    unless the user has confirmed it is a different child."""
    _require_case_user(by)
    unknown = set(details) - set(EDITABLE_CHILD_FIELDS)
    if unknown:
        raise TypeError(f"Unknown child details: {', '.join(sorted(unknown))}")
    acting_for = _agency_for(by, agency)
    if not legal_first_name.strip() or not legal_last_name.strip():
        raise ValidationError({"legal_first_name": "Enter the child's legal first name and last name"})
    if not (involvement_role or "").strip():
        raise ValidationError({"involvement_role": "Enter your role with the child, for example social worker"})
    validate_date_of_birth(date_of_birth, is_transition_case=bool(details.get("is_transition_case")))
    cleaned_ids = _clean_identifiers(identifiers)

    check = find_possible_duplicates(
        by, first_name=legal_first_name, last_name=legal_last_name, date_of_birth=date_of_birth, identifiers=cleaned_ids
    )
    if check.visible_matches and not confirmed_not_duplicate:
        raise PossibleDuplicate(check)

    child = Child(
        legal_first_name=legal_first_name.strip(),
        legal_middle_names=legal_middle_names.strip(),
        legal_last_name=legal_last_name.strip(),
        preferred_name=preferred_name.strip(),
        date_of_birth=date_of_birth,
        sex=sex,
        created_by=by,
        **details,
    )
    child.full_clean(exclude=["search_name"])
    child._history_user = by
    child.save()
    for kind, value in cleaned_ids:
        ChildIdentifier.objects.create(child=child, kind=kind, value=value, recorded_by=by)
    started_on = _past_date("involvement_started_on", involvement_started_on or local_today(), label="Your involvement's start date",
                            earliest=date_of_birth, earliest_label="the child's date of birth")
    Involvement.objects.create(
        child=child, agency=acting_for, professional=by, role=involvement_role.strip(), is_lead=make_lead,
        recorded_by=by, started_on=started_on,
    )
    timeline.record_event(
        child=child, kind=timeline.CHILD_REGISTERED.code, actor=by, agency=acting_for,
        summary=f"Added to the register by {by.full_name} ({acting_for.name})",
    )
    return child


@transaction.atomic
def update_child_details(*, by, child: Child, expected_version: int, reason: str = "", **changes) -> Child:
    """Change a child's details. Refused, with nothing saved, if someone else saved the record
    since `expected_version` was read."""
    if not can_edit_child(by, child):
        raise PermissionDenied("You cannot change this child's details.")
    unknown = set(changes) - set(EDITABLE_CHILD_FIELDS)
    if unknown:
        raise TypeError(f"Unknown child details: {', '.join(sorted(unknown))}")
    changed = [name for name, value in changes.items() if getattr(child, name) != value]
    if not changed:
        return child
    for name in changed:
        setattr(child, name, changes[name])
    if "date_of_birth" in changed or "is_transition_case" in changed:
        validate_date_of_birth(child.date_of_birth, is_transition_case=child.is_transition_case)
    child.full_clean(exclude=["search_name"])
    child._history_user = by
    child._change_reason = reason or None
    save_versioned(child, expected_version=expected_version)
    labels = ", ".join(str(Child._meta.get_field(name).verbose_name) for name in changed)
    timeline.record_event(
        child=child, kind=timeline.DETAILS_CHANGED.code, actor=by,
        summary=f"{labels[0].upper()}{labels[1:]} changed by {by.full_name}", detail=reason,
        url=reverse("children:history", args=[child.pk]),
    )
    return child


@transaction.atomic
def record_identifier(*, by, child: Child, kind: str, value: str, reason: str = "") -> ChildIdentifier:
    """Record an identifier. A different current value of the same kind is ended, not lost."""
    if not can_edit_child(by, child):
        raise PermissionDenied("You cannot change this child's identifiers.")
    if kind not in IdentifierKind.values:
        raise ValidationError({"kind": "Choose a kind of identifier from the list"})
    try:
        cleaned = clean_identifier(kind, value)
    except ValidationError as exc:
        raise ValidationError({"value": exc.messages[0]}) from None
    current = ChildIdentifier.objects.select_for_update().filter(child=child, kind=kind, ended_at__isnull=True).first()
    if current is not None and current.normalised == normalise_identifier(cleaned):
        raise ValidationError({"value": f"This {IdentifierKind(kind).label} is already recorded for the child"})
    if current is not None:
        current.ended_at = timezone.now()
        current.end_reason = reason or "Replaced by a new value"
        current._history_user = by
        current.version += 1
        current.save()
    identifier = ChildIdentifier(child=child, kind=kind, value=cleaned, recorded_by=by)
    identifier._history_user = by
    identifier.save()
    label = IdentifierKind(kind).label
    timeline.record_event(
        child=child, kind=timeline.IDENTIFIER_RECORDED.code, actor=by,
        summary=f"{label} {'changed' if current else 'recorded'} by {by.full_name}", detail=reason,
    )
    return identifier


@transaction.atomic
def end_identifier(*, by, identifier: ChildIdentifier, reason: str) -> ChildIdentifier:
    if not can_edit_child(by, identifier.child):
        raise PermissionDenied("You cannot change this child's identifiers.")
    if identifier.ended_at is not None:
        raise ValidationError("This identifier has already been ended")
    if not (reason or "").strip():
        raise ValidationError({"reason": "Enter why this identifier no longer applies"})
    identifier.ended_at = timezone.now()
    identifier.end_reason = reason.strip()
    identifier._history_user = by
    identifier.version += 1
    identifier.save()
    timeline.record_event(
        child=identifier.child, kind=timeline.IDENTIFIER_ENDED.code, actor=by,
        summary=f"{identifier.get_kind_display()} ended by {by.full_name}", detail=reason,
    )
    return identifier


def _past_date(field: str, value: dt.date, *, label: str, earliest: dt.date, earliest_label: str) -> dt.date:
    """A date that must lie between `earliest` and today, or a message saying which way it is wrong."""
    if value > local_today():
        raise ValidationError({field: f"{label} must be today or in the past"})
    if value < earliest:
        raise ValidationError({field: f"{label} must be on or after {earliest_label}"})
    return value


def _demote_current_lead(*, by, child: Child) -> Involvement | None:
    """Take the lead off whoever holds it now (locked, so two changes cannot both succeed).
    Only someone who could end the current lead's involvement may take the lead from it: the
    lead's own agency or the hub. Otherwise any involved practitioner could make their agency
    lead and then end everyone else's involvement."""
    previous = Involvement.objects.select_for_update().filter(child=child, is_lead=True, ended_on__isnull=True).first()
    if previous is not None and not can_end_involvement(by, previous):
        raise PermissionDenied(
            f"{previous.agency.name} holds the lead. Only they or the exploitation hub can hand it to someone else."
        )
    if previous is not None:
        previous.is_lead = False
        previous._history_user = by
        previous.version += 1
        previous.save()
    return previous


def _lead_changed(*, by, child: Child, new_lead: Involvement, previous: Involvement | None) -> None:
    timeline.record_event(
        child=child, kind=timeline.LEAD_CHANGED.code, actor=by, agency=new_lead.agency,
        summary=f"Lead professional is now {new_lead.professional or 'a professional not yet named'} ({new_lead.agency.name})",
    )
    url = reverse("children:detail", args=[child.pk])
    recipients = [inv.professional for inv in (new_lead, previous) if inv is not None and inv.professional]
    notify(
        recipients=recipients, category="lead_professional", child=child, url=url, exclude=by,
        subject="The lead professional for a child you work with has changed",
        body=f"{new_lead.professional or 'A professional'} of {new_lead.agency.name} is now the lead professional.",
    )


@transaction.atomic
def add_involvement(
    *,
    by,
    child: Child,
    agency: Agency,
    role: str,
    professional=None,
    started_on: dt.date | None = None,
    is_lead: bool = False,
) -> Involvement:
    """Record that an agency (and, when known, a named professional) works with the child.
    From this moment the agency's practitioners and managers can see the child."""
    if not can_edit_child(by, child):
        raise PermissionDenied("You cannot change who works with this child.")
    if not agency.is_active:
        raise ValidationError({"agency": "This agency is no longer active in the partnership"})
    if not (role or "").strip():
        raise ValidationError({"role": "Enter the role, for example social worker or school safeguarding lead"})
    started_on = _past_date("started_on", started_on or local_today(), label="Start date",
                            earliest=child.date_of_birth, earliest_label="the child's date of birth")
    if professional is not None and not Membership.objects.filter(
        user=professional, agency=agency, ended_at__isnull=True
    ).exists():
        raise ValidationError({"professional": f"{professional.full_name} does not work for {agency.name}"})
    previous_lead = _demote_current_lead(by=by, child=child) if is_lead else None
    involvement = Involvement(
        child=child, agency=agency, professional=professional, role=role.strip(), started_on=started_on,
        is_lead=is_lead, recorded_by=by,
    )
    involvement._history_user = by
    involvement.save()
    timeline.record_event(
        child=child, kind=timeline.INVOLVEMENT_STARTED.code, actor=by, agency=agency,
        summary=f"{agency.name} involved: {professional.full_name + ', ' if professional else ''}{involvement.role}",
    )
    if professional is not None:
        notify(
            recipients=[professional], category="involvement", child=child, exclude=by,
            url=reverse("children:detail", args=[child.pk]),
            subject="You have been recorded as working with a child",
            body=f"{by.full_name} recorded you as {involvement.role} for {agency.name}.",
        )
    if is_lead:
        _lead_changed(by=by, child=child, new_lead=involvement, previous=previous_lead)
    return involvement


@transaction.atomic
def set_lead_professional(*, by, involvement: Involvement) -> Involvement:
    child = involvement.child
    if not can_edit_child(by, child):
        raise PermissionDenied("You cannot change who leads for this child.")
    if not involvement.is_active:
        raise ValidationError("An ended involvement cannot be the lead")
    if involvement.is_lead:
        return involvement
    previous = _demote_current_lead(by=by, child=child)
    involvement.is_lead = True
    involvement._history_user = by
    involvement.version += 1
    involvement.save()
    _lead_changed(by=by, child=child, new_lead=involvement, previous=previous)
    return involvement


@transaction.atomic
def end_involvement(*, by, involvement: Involvement, reason: str, expected_version: int, ended_on: dt.date | None = None) -> Involvement:
    """End an agency's involvement. A reason is always needed; it appears on the timeline."""
    child = involvement.child
    if not can_edit_child(by, child) or not can_end_involvement(by, involvement):
        raise PermissionDenied(
            "Only the agency itself, the lead professional's agency or the exploitation hub can end this involvement."
        )
    if not involvement.is_active:
        raise ValidationError("This involvement has already ended")
    if not (reason or "").strip():
        raise ValidationError({"reason": "Enter why the involvement is ending"})
    ended_on = _past_date("ended_on", ended_on or local_today(), label="End date",
                          earliest=involvement.started_on, earliest_label="the start date")
    was_lead = involvement.is_lead
    involvement.ended_on = ended_on
    involvement.end_reason = reason.strip()
    involvement.is_lead = False
    involvement._history_user = by
    save_versioned(involvement, expected_version=expected_version)
    timeline.record_event(
        child=child, kind=timeline.INVOLVEMENT_ENDED.code, actor=by, agency=involvement.agency,
        summary=f"{involvement.agency.name} involvement ended ({involvement.role}){' – was lead professional' if was_lead else ''}",
        detail=reason.strip(),
    )
    if was_lead:
        others = Involvement.objects.filter(child=child, ended_on__isnull=True, professional__isnull=False).select_related("professional")
        notify(
            recipients=[inv.professional for inv in others], category="involvement", child=child, exclude=by,
            url=reverse("children:detail", args=[child.pk]),
            subject="A child you work with no longer has a lead professional",
            body=f"The involvement of {involvement.agency.name} has ended. Agree who leads now and record it.",
        )
    return involvement


def log_child_access(*, user, child: Child, purpose: str, path: str = "", grant: BreakGlassGrant | None = None) -> AccessLogEntry:
    """Write one read of a child's record to the access log."""
    return AccessLogEntry.objects.create(
        child=child, user=user, purpose=purpose, path=path[:300],
        agency_names=", ".join(user.access.agency_names)[:500], break_glass=grant,
    )


def log_child_reads(*, user, children, purpose: str, path: str = "") -> None:
    """Write a read of each child's record to the access log, in one query (minutes and reports
    that show several children at once)."""
    agency_names = ", ".join(user.access.agency_names)[:500]
    AccessLogEntry.objects.bulk_create(
        AccessLogEntry(child=child, user=user, purpose=purpose, path=path[:300], agency_names=agency_names) for child in children
    )


@dataclass
class BreakGlassOutcome:
    granted: bool
    grant: BreakGlassGrant | None
    message: str


MIN_REASON_LENGTH = 20


@transaction.atomic
def request_break_glass(
    *, by, identifier_kind: str, identifier_value: str, date_of_birth: dt.date, reason: str
) -> BreakGlassOutcome:
    """Emergency access to a child the user's agency is not involved with. The user must know
    an identifier and the date of birth, and write why. Every request, granted or not, is kept
    and the hub is told."""
    _require_case_user(by)
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise ValidationError({"reason": f"Explain why you need emergency access, in at least {MIN_REASON_LENGTH} characters"})
    if identifier_kind not in IdentifierKind.values:
        raise ValidationError({"identifier_kind": "Choose a kind of identifier from the list"})
    if not (identifier_value or "").strip():
        raise ValidationError({"identifier_value": "Enter the identifier"})
    normalised = normalise_identifier(identifier_value)
    match = (
        Child.objects.filter(
            date_of_birth=date_of_birth,
            identifiers__kind=identifier_kind,
            identifiers__normalised=normalised,
        )
        .distinct()
        .first()
    )
    grant = None
    if match is not None:
        grant = BreakGlassGrant.objects.create(
            user=by, child=match, reason=reason,
            expires_at=timezone.now() + dt.timedelta(hours=settings.LANTERN_BREAK_GLASS_HOURS),
        )
        timeline.record_event(
            child=match, kind=timeline.BREAK_GLASS.code, actor=by,
            summary=f"Emergency access given to {by.full_name} for {settings.LANTERN_BREAK_GLASS_HOURS} hours", detail=reason,
        )
    BreakGlassAttempt.objects.create(
        user=by, identifier_kind=identifier_kind, identifier_value=identifier_value.strip()[:40],
        date_of_birth=date_of_birth, reason=reason, grant=grant,
    )
    notify(
        recipients=hub_members(), category="break_glass", exclude=by, url=reverse("children:break_glass_report"),
        subject=f"{by.full_name} asked for emergency access{' and was given it' if grant else ' (no record matched)'}",
        body=reason,
    )
    if grant is None:
        return BreakGlassOutcome(False, None, "No record matches those details. Check them, or contact the exploitation hub.")
    return BreakGlassOutcome(True, grant, f"You have emergency access to this record for {settings.LANTERN_BREAK_GLASS_HOURS} hours.")


@transaction.atomic
def revoke_break_glass(*, by, grant: BreakGlassGrant) -> BreakGlassGrant:
    if not by.access.is_hub:
        raise PermissionDenied("Only the exploitation hub can end emergency access.")
    if grant.revoked_at is None:
        grant.revoked_at = timezone.now()
        grant.revoked_by = by
        grant.save(update_fields=["revoked_at", "revoked_by"])
    return grant


@transaction.atomic
def review_break_glass(*, by, grant: BreakGlassGrant, note: str) -> BreakGlassGrant:
    """The hub records that it has looked at an emergency access and what it concluded."""
    if not by.access.is_hub:
        raise PermissionDenied("Only the exploitation hub can review emergency access.")
    if not (note or "").strip():
        raise ValidationError({"note": "Enter what the hub concluded"})
    if grant.reviewed_at is not None:
        raise ValidationError("This emergency access has already been reviewed")
    grant.reviewed_at = timezone.now()
    grant.reviewed_by = by
    grant.review_note = note.strip()
    grant.save(update_fields=["reviewed_at", "reviewed_by", "review_note"])
    return grant

