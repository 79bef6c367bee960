"""Every write to referrals. Keyword-only; each checks permission, validates, writes in a
transaction, keeps history and tells the people who need to know."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from lantern.children import timeline
from lantern.children.models import Child
from lantern.children.rules import can_view_child
from lantern.children.services import register_child, validate_date_of_birth
from lantern.core.dates import LONDON, add_working_days, local_today, long_date
from lantern.notifications.services import notify
from lantern.partnership.models import AGENCY_CASE_ROLES, Agency, AgencyType, Membership
from lantern.partnership.selectors import hub_members

from .models import CHECK_AGENCY_TYPES, CheckType, Outcome, Referral, StatutoryCheck, Urgency, agency_may_make_check
from .rules import acting_agency_ids, can_record_outcome, can_refer

REFERRAL_MADE = timeline.register_kind("referral_made", "Referred to the exploitation hub")
REFERRAL_OUTCOME = timeline.register_kind("referral_outcome", "Referral outcome")
STATUTORY_CHECK = timeline.register_kind("statutory_check", "Statutory check recorded")

# The hub answers a referral within this many working days of receiving it (F04).
OUTCOME_WORKING_DAYS = 1


CHECKING_AGENCY_NAMES = {
    AgencyType.POLICE: "the police",
    AgencyType.SOCIAL_CARE: "children's social care",
    AgencyType.HEALTH: "a health service",
    AgencyType.CAMHS: "CAMHS",
    AgencyType.EDUCATION: "a school or education service",
    AgencyType.YOUTH_JUSTICE: "the youth justice service",
}


def outcome_due_on(received_at: dt.datetime) -> dt.date:
    """The day the outcome is due: one working day after the London date the hub received it."""
    if timezone.is_naive(received_at):
        raise ValueError("received_at must be an aware datetime")
    return add_working_days(received_at.astimezone(LONDON).date(), OUTCOME_WORKING_DAYS)


def _referring_agency(user, agency: Agency | None) -> Agency:
    allowed = acting_agency_ids(user)
    if agency is not None:
        if agency.pk not in allowed:
            raise PermissionDenied("You can only refer for an agency you work for.")
        return agency
    if len(allowed) != 1:
        raise ValidationError({"agency": "Select which of your agencies is making this referral"})
    return Agency.objects.get(pk=next(iter(allowed)))


def _clean_referral(
    *,
    concern: str,
    indicator_ids: list[str],
    childs_words: str,
    action_taken: str,
    consent_sought: bool | None,
    consent_not_sought_reason: str,
    urgency: str,
    received_at: dt.datetime | None,
    date_of_birth: dt.date,
) -> dict:
    """Check a referral's own details, all at once, so the referrer sees every problem."""
    from lantern.risk.catalogue import current_catalogue

    errors: dict[str, str] = {}
    concern = (concern or "").strip()
    if not concern:
        errors["concern"] = "Describe what worries you about the child"
    catalogue = current_catalogue()
    chosen: list[str] = []
    for indicator_id in indicator_ids or []:
        indicator_id = str(indicator_id)
        try:
            catalogue.indicator(indicator_id)
        except ValidationError as exc:
            errors["indicator_ids"] = exc.messages[0]
            break
        if indicator_id not in chosen:
            chosen.append(indicator_id)
    reason = (consent_not_sought_reason or "").strip()
    if consent_sought is None:
        errors["consent_sought"] = "Select whether you asked for consent to this referral"
    elif not consent_sought and not reason:
        errors["consent_not_sought_reason"] = "Enter why you did not ask for consent"
    if urgency and urgency not in Urgency.values:
        errors["urgency"] = "Select how urgent the referral is from the list"
    now = timezone.now()
    received_at = received_at or now
    if timezone.is_naive(received_at):
        raise ValueError("received_at must be an aware datetime")
    if received_at > now:
        errors["received_at"] = "The date the hub received the referral must be today or in the past"
    elif received_at.astimezone(LONDON).date() < date_of_birth:
        errors["received_at"] = "The date the hub received the referral must be on or after the child's date of birth"
    if errors:
        raise ValidationError(errors)
    return {
        "concern": concern,
        "indicator_ids": chosen,
        "catalogue_version": catalogue.version,
        "childs_words": (childs_words or "").strip(),
        "action_taken": (action_taken or "").strip(),
        "consent_sought": bool(consent_sought),
        "consent_not_sought_reason": "" if consent_sought else reason,
        "urgency": urgency or "",
        "received_at": received_at,
    }


def _save_referral(*, by, child: Child, agency: Agency, cleaned: dict) -> Referral:
    referral = Referral(
        child=child, referring_agency=agency, referrer=by, outcome_due_on=outcome_due_on(cleaned["received_at"]), **cleaned
    )
    referral.full_clean()
    referral._history_user = by
    referral.save()
    url = reverse("referrals:detail", args=[referral.pk])
    urgency = f" ({referral.get_urgency_display().split(':')[0].lower()})" if referral.urgency else ""
    timeline.record_event(
        child=child, kind=REFERRAL_MADE.code, actor=by, agency=agency, occurred_at=referral.received_at, url=url,
        summary=f"Referred to the exploitation hub by {by.full_name} ({agency.name}){urgency}",
        detail=referral.concern,
    )
    notify(
        recipients=hub_members(), category="referral", child=child, url=url, exclude=by,
        subject=f"New referral to the exploitation hub from {agency.name}{urgency}",
        body=f"{by.full_name} of {agency.name} has referred a child. The outcome is due by "
        f"{referral.outcome_due_on:%A} {long_date(referral.outcome_due_on)}.",
    )
    return referral


@transaction.atomic
def refer_child(
    *,
    by,
    child: Child,
    concern: str,
    consent_sought: bool | None,
    indicator_ids: list[str] | None = None,
    childs_words: str = "",
    action_taken: str = "",
    consent_not_sought_reason: str = "",
    urgency: str = "",
    agency: Agency | None = None,
    received_at: dt.datetime | None = None,
) -> Referral:
    """Refer a child already on the register, whom the user may see, to the exploitation hub.
    The hub is told; the referral goes on the child's timeline."""
    if not can_refer(by):
        raise PermissionDenied("Your role does not let you refer children to the exploitation hub.")
    if not can_view_child(by, child):
        raise PermissionDenied("You can only refer a child whose record you can see.")
    acting_for = _referring_agency(by, agency)
    cleaned = _clean_referral(
        concern=concern, indicator_ids=indicator_ids or [], childs_words=childs_words, action_taken=action_taken,
        consent_sought=consent_sought, consent_not_sought_reason=consent_not_sought_reason, urgency=urgency,
        received_at=received_at, date_of_birth=child.date_of_birth,
    )
    return _save_referral(by=by, child=child, agency=acting_for, cleaned=cleaned)


@transaction.atomic
def refer_new_child(
    *,
    by,
    child_details: dict,
    involvement_role: str,
    concern: str,
    consent_sought: bool | None,
    identifiers: list[tuple[str, str]] | None = None,
    confirmed_not_duplicate: bool = False,
    indicator_ids: list[str] | None = None,
    childs_words: str = "",
    action_taken: str = "",
    consent_not_sought_reason: str = "",
    urgency: str = "",
    agency: Agency | None = None,
    received_at: dt.datetime | None = None,
) -> Referral:
    """Refer a child who is not yet on the register. The child is added through the register's
    own service, so its duplicate check applies (PossibleDuplicate, saving nothing) and the
    referrer's agency becomes involved. Nothing is saved unless the whole referral is valid."""
    if not can_refer(by):
        raise PermissionDenied("Your role does not let you refer children to the exploitation hub.")
    acting_for = _referring_agency(by, agency)
    date_of_birth = child_details.get("date_of_birth")
    if date_of_birth is None:
        raise ValidationError({"date_of_birth": "Enter the child's date of birth"})
    validate_date_of_birth(date_of_birth, is_transition_case=bool(child_details.get("is_transition_case")))
    cleaned = _clean_referral(
        concern=concern, indicator_ids=indicator_ids or [], childs_words=childs_words, action_taken=action_taken,
        consent_sought=consent_sought, consent_not_sought_reason=consent_not_sought_reason, urgency=urgency,
        received_at=received_at, date_of_birth=date_of_birth,
    )
    started_on = cleaned["received_at"].astimezone(LONDON).date()
    child = register_child(
        by=by, agency=acting_for, involvement_role=involvement_role, identifiers=identifiers,
        confirmed_not_duplicate=confirmed_not_duplicate,
        involvement_started_on=started_on if started_on < local_today() else None,
        **child_details,
    )
    return _save_referral(by=by, child=child, agency=acting_for, cleaned=cleaned)


def _agency_recipients(agency: Agency):
    return [
        m.user
        for m in Membership.objects.filter(agency=agency, role__in=sorted(AGENCY_CASE_ROLES), ended_at__isnull=True).select_related("user")
    ]


@transaction.atomic
def record_outcome(
    *, by, referral: Referral, outcome: str, reason: str, decided_at: dt.datetime | None = None
) -> Referral:
    """The hub's decision on a referral (F04). Only the hub may record it, and only once. The
    referrer and every practitioner and manager of the referring agency are told."""
    if not can_record_outcome(by):
        raise PermissionDenied("Only the exploitation hub can record the outcome of a referral.")
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    if locked.outcome:
        raise ValidationError(
            f"The outcome of this referral was already recorded on {long_date(locked.outcome_decided_at)}. "
            "It cannot be recorded twice.",
            code="outcome_exists",
        )
    errors = {}
    if outcome not in Outcome.values:
        errors["outcome"] = "Select the outcome of the referral"
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = "Enter the reason for the outcome"
    now = timezone.now()
    decided_at = decided_at or now
    if decided_at > now:
        errors["decided_at"] = "The date of the decision must be today or in the past"
    elif decided_at < locked.received_at:
        errors["decided_at"] = "The date of the decision must be after the hub received the referral"
    if errors:
        raise ValidationError(errors)
    locked.outcome = outcome
    locked.outcome_reason = reason
    locked.outcome_decided_at = decided_at
    locked.outcome_decided_by = by
    locked.version += 1
    locked._history_user = by
    locked.save()
    url = reverse("referrals:detail", args=[locked.pk])
    agency = locked.referring_agency
    label = locked.get_outcome_display()
    timeline.record_event(
        child=locked.child, kind=REFERRAL_OUTCOME.code, actor=by, occurred_at=decided_at, url=url,
        summary=f"Referral from {agency.name}: {label}", detail=reason,
    )
    notify(
        recipients=[u for u in [locked.referrer, *_agency_recipients(agency)] if can_view_child(u, locked.child)],
        category="referral", child=locked.child, url=url, exclude=by,
        subject=f"The exploitation hub has decided on {agency.name}'s referral of {long_date(locked.received_at)}",
        body=f"Outcome: {label}. {reason}",
    )
    # Keep the caller's object in step with what was saved.
    for name in ("outcome", "outcome_reason", "outcome_decided_at", "outcome_decided_by", "version"):
        setattr(referral, name, getattr(locked, name))
    return locked


def _checking_agency(by, check_type: str, agency: Agency | None) -> Agency:
    """The user's agency that makes this kind of check, or a message saying why none can."""
    label = CheckType(check_type).label
    allowed_types = CHECK_AGENCY_TYPES.get(check_type)
    ids = acting_agency_ids(by)
    if agency is not None:
        if agency.pk not in ids:
            raise PermissionDenied("You can only record checks for an agency you work for.")
        candidates = [agency]
    else:
        candidates = list(Agency.objects.filter(pk__in=sorted(ids), is_active=True).order_by("name"))
    fitting = [a for a in candidates if agency_may_make_check(a.agency_type, check_type)]
    if not fitting:
        kinds = " or ".join(sorted(CHECKING_AGENCY_NAMES[t] for t in allowed_types or ()))
        raise PermissionDenied(f"Only {kinds} can record this check ({label}). Your agency cannot record it.")
    if len(fitting) > 1:
        raise ValidationError({"agency": "Select which of your agencies made the check"})
    return fitting[0]


@transaction.atomic
def record_check(
    *,
    by,
    referral: Referral,
    check_type: str,
    result_note: str,
    checked_on: dt.date | None = None,
    agency: Agency | None = None,
) -> StatutoryCheck:
    """Record a statutory check the user's agency made for a referral (F01). Only an agency of
    the kind that holds those records may record it (a school cannot record a PNC check), and
    each agency records each check once."""
    if not (by.is_authenticated and acting_agency_ids(by)) or not can_view_child(by, referral.child):
        raise PermissionDenied("You cannot record checks for this referral.")
    if check_type not in CheckType.values:
        raise ValidationError({"check_type": "Select the check your agency made"})
    acting_for = _checking_agency(by, check_type, agency)
    note = (result_note or "").strip()
    errors = {}
    if not note:
        errors["result_note"] = "Enter what the check found, for example 'nothing known' or 'information shared'"
    elif len(note) > 500:
        errors["result_note"] = "What the check found must be 500 characters or fewer"
    checked_on = checked_on or local_today()
    if checked_on > local_today():
        errors["checked_on"] = "The date of the check must be today or in the past"
    elif checked_on < referral.received_at.astimezone(LONDON).date():
        errors["checked_on"] = "The date of the check must be on or after the day the hub received the referral"
    if errors:
        raise ValidationError(errors)
    Referral.objects.select_for_update().filter(pk=referral.pk).values_list("pk").first()
    if StatutoryCheck.objects.filter(referral=referral, agency=acting_for, check_type=check_type).exists():
        raise ValidationError(
            {"check_type": f"{acting_for.name} has already recorded this check ({CheckType(check_type).label}) for this referral"}
        )
    check = StatutoryCheck(
        referral=referral, agency=acting_for, check_type=check_type, checked_by=by, checked_on=checked_on, result_note=note
    )
    check._history_user = by
    check.save()
    occurred_at = None if checked_on == local_today() else dt.datetime.combine(checked_on, dt.time(12), tzinfo=LONDON)
    timeline.record_event(
        child=referral.child, kind=STATUTORY_CHECK.code, actor=by, agency=acting_for, occurred_at=occurred_at,
        url=reverse("referrals:detail", args=[referral.pk]),
        summary=f"{check.get_check_type_display()} check by {acting_for.name} for the referral of "
        f"{long_date(referral.received_at)}",
        detail=note,
    )
    return check
