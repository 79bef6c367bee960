"""Every write of contacts with the child (F20) and supervision records (F38). Keyword-only;
each checks permission, validates (every problem at once, nothing saved on error), writes in a
transaction and keeps history. Nothing here is ever deleted; a contact recorded in error is
corrected by recording what really happened (the history keeps both).

- A contact goes on the child's timeline. It tells no one: the F20 rule watches for gaps.
- A supervision record is not put on the timeline (everyone working with the child reads the
  timeline; supervision is for managers, the hub and the practitioner supervised). The
  practitioner supervised is told that it has been recorded.

See docs/decisions/0015-contacts-and-supervision.md."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from lantern.children import timeline
from lantern.children.models import Child, Involvement
from lantern.core.dates import LONDON, local_today, long_date
from lantern.notifications.services import notify
from lantern.partnership.models import Agency, Membership, User
from lantern.risk.selectors import screening_agencies_for

from .models import IN_PERSON_KINDS, Contact, ContactKind, Place, SupervisionRecord, WithWhom
from .rules import can_record_contact, can_record_supervision
from .selectors import supervisor_options

CONTACT_RECORDED = timeline.register_kind("contact", "Contact with the child")

NOTIFICATION_CATEGORY = "supervision"
MAX_PLACE_DETAIL = 200


def _text(value: str | None) -> str:
    return (value or "").strip()


def _is_member(user: User, agency: Agency) -> bool:
    return bool(user.is_active) and Membership.objects.filter(user=user, agency=agency, ended_at__isnull=True).exists()


def contact_agencies_for(user, child: Child) -> list[Agency]:
    """The agencies `user` may record a contact for: their agencies (as practitioner or manager)
    working with the child now, and the agency in which they hold the hub role. The same agencies
    they may screen for, so the one definition is used. One query."""
    return list(screening_agencies_for(user, child))


def _may_act_for(user, child: Child, agency: Agency) -> bool:
    """Whether `agency` is one of contact_agencies_for(user, child), answered for that one agency:
    the user's hub agency, or an agency they work for as practitioner or manager that works with
    the child now. At most one query."""
    if not agency.is_active:
        return False
    if agency.pk in user.access.hub_agency_ids:
        return True
    return agency.pk in user.access.case_agency_ids and Involvement.objects.filter(
        child=child, agency=agency, ended_on__isnull=True
    ).exists()


def contact_words(contact: Contact) -> str:
    """'Face to face at home, the child alone' or 'Attempted at home: the child was not seen or spoken to'."""
    where = f" {contact.place_words}" if contact.place else ""
    if not contact.successful:
        return f"Attempted contact{where}: the child was not seen or spoken to"
    with_whom = contact.get_with_whom_display()
    return f"{contact.get_kind_display()}{where}, {with_whom[0].lower()}{with_whom[1:]}"


@transaction.atomic
def record_contact(
    *,
    by,
    child: Child,
    happened_at: dt.datetime | None,
    kind: str,
    summary: str,
    with_whom: str = "",
    place: str = "",
    place_detail: str = "",
    childs_words: str = "",
    agency: Agency | None = None,
    professional: User | None = None,
) -> Contact:
    """Record a contact with the child (F20): when, what kind (face to face, phone, video, an
    online or text message, or an attempt that did not reach the child), who the child was with,
    where, what happened and, if they said something about how things are, the child's own words
    (F39). `professional` (who had the contact) is the person recording unless they name a
    colleague of the agency. Recorded for one of the recorder's agencies working with the child
    (or the hub's agency). An attempted contact is unsuccessful and never counts as the child
    being seen."""
    if by is None or not by.is_authenticated or not can_record_contact(by, child):
        raise PermissionDenied("You can only record a contact with a child your agency works with.")
    if happened_at is not None and timezone.is_naive(happened_at):
        raise ValueError("happened_at must be an aware datetime")
    errors: dict[str, str] = {}
    acting = None
    if agency is not None:
        if _may_act_for(by, child, agency):
            acting = agency
        else:
            errors["agency"] = "Select one of your agencies that works with the child"
    else:
        allowed = contact_agencies_for(by, child)
        if not allowed:
            raise PermissionDenied("You can record a contact only for one of your agencies that works with the child.")
        if len(allowed) == 1:
            acting = allowed[0]
        else:
            errors["agency"] = "Select which of your agencies you are recording for"

    if happened_at is None:
        errors["happened_at"] = "Enter the date and time of the contact"
    elif happened_at > timezone.now():
        errors["happened_at"] = "The contact must be now or in the past"
    elif happened_at.astimezone(LONDON).date() < child.date_of_birth:
        errors["happened_at"] = "The contact must be on or after the child's date of birth"

    if kind not in ContactKind.values:
        errors["kind"] = "Select the kind of contact"
    attempted = kind == ContactKind.ATTEMPTED
    if kind in ContactKind.values and not attempted and with_whom not in WithWhom.values:
        errors["with_whom"] = "Select who the child was with"
    if attempted:
        with_whom = ""
    detail = _text(place_detail)
    if place and place not in Place.values:
        errors["place"] = "Select where the contact was"
    elif not place and kind in IN_PERSON_KINDS:
        errors["place"] = "Select where the contact was, or was tried"
    if place == Place.OTHER and not detail:
        errors["place_detail"] = "Enter where the contact was"
    elif len(detail) > MAX_PLACE_DETAIL:
        errors["place_detail"] = f"Where the contact was must be {MAX_PLACE_DETAIL} characters or fewer"
    text = _text(summary)
    if not text:
        errors["summary"] = "Enter what happened" if not attempted else "Enter what was tried, and what happens next"
    words = _text(childs_words)
    if attempted and words:
        errors["childs_words"] = "The child's own words can only be recorded when someone saw or spoke to the child"

    who = professional or by
    if professional is not None and acting is not None and professional.pk != by.pk and not _is_member(professional, acting):
        errors["professional"] = f"Select someone who works for {acting.name}"
    if errors:
        raise ValidationError(errors)

    contact = Contact(
        child=child, agency=acting, professional=who, recorded_by=by, happened_at=happened_at, kind=kind, with_whom=with_whom,
        place=place, place_detail=detail, summary=text, childs_words=words,
    )
    contact._history_user = by
    contact.save()
    recorder = "" if who.pk == by.pk else f", recorded by {by.full_name}"
    timeline.record_event(
        child=child, kind=CONTACT_RECORDED.code, actor=by, agency=acting, occurred_at=happened_at,
        url=reverse("contacts:child", args=[child.pk]), detail=text,
        summary=f"{contact_words(contact)}. {who.full_name} ({acting.name}){recorder}",
    )
    return contact


@transaction.atomic
def record_supervision(
    *,
    by,
    child: Child,
    held_on: dt.date | None,
    reflection: str,
    actions_agreed: str = "",
    supervisor: User | None = None,
    agency: Agency | None = None,
    supervisee: User | None = None,
) -> SupervisionRecord:
    """Record a supervision discussion of the child (F38): the date, the supervisor, the
    practitioner supervised (if any), the reflection on the exploitation risk and the decisions
    and actions agreed.

    Only a manager of an agency working with the child, or the exploitation hub, records
    supervision. A manager records supervision they gave (`supervisor` is the person recording);
    the hub may record it for a manager of an agency working with the child, or for a member of
    the hub. The agency is the supervisor's: the one they manage that works with the child (or
    their hub agency); name it when there is more than one. The practitioner supervised, if
    named, works for that agency and is told it has been recorded."""
    if by is None or not by.is_authenticated or not can_record_supervision(by, child):
        raise PermissionDenied(
            "Only a manager of an agency working with the child, or the exploitation hub, can record supervision of the child."
        )
    supervisor = supervisor or by
    errors: dict[str, str] = {}
    acting = None
    if supervisor.pk != by.pk and not by.access.is_hub:
        errors["supervisor"] = "You can only record supervision you gave"
    else:
        options = list(supervisor_options(child, user=supervisor))
        agencies = list({m.agency_id: m.agency for m in options}.values())
        if agency is not None:
            acting = next((a for a in agencies if a.pk == agency.pk), None)
            if acting is None:
                errors["agency"] = (
                    f"{supervisor.full_name} is not a manager in {agency.name}, or {agency.name} does not work with the child"
                )
        elif len(agencies) == 1:
            acting = agencies[0]
        elif not agencies:
            errors["supervisor"] = (
                f"{supervisor.full_name} is not a manager in an agency working with the child, nor in the exploitation hub"
            )
        else:
            errors["agency"] = "Select the agency the supervision was given in"
    if held_on is None:
        errors["held_on"] = "Enter the date of the supervision"
    elif held_on > local_today():
        errors["held_on"] = "The date of the supervision must be today or in the past"
    elif held_on < child.date_of_birth:
        errors["held_on"] = "The date of the supervision must be on or after the child's date of birth"
    text = _text(reflection)
    if not text:
        errors["reflection"] = "Enter the reflection on the exploitation risk"
    if supervisee is not None:
        if supervisee.pk == supervisor.pk:
            errors["supervisee"] = "The practitioner supervised cannot be the supervisor"
        elif acting is not None and not _is_member(supervisee, acting):
            errors["supervisee"] = f"Select someone who works for {acting.name}"
    if errors:
        raise ValidationError(errors)
    record = SupervisionRecord(
        child=child, agency=acting, supervisor=supervisor, supervisee=supervisee, held_on=held_on, reflection=text,
        actions_agreed=_text(actions_agreed), recorded_by=by,
    )
    record._history_user = by
    record.save()
    if supervisee is not None:
        notify(
            recipients=[supervisee], category=NOTIFICATION_CATEGORY, child=child, exclude=by,
            url=reverse("contacts:supervision", args=[child.pk]),
            subject="A record of your supervision about a child has been added",
            body=f"{by.full_name} recorded the supervision {supervisor.full_name} gave you on {long_date(held_on)}. "
            "Read the reflection and the actions agreed, and tell your supervisor if anything is not right.",
        )
    return record
