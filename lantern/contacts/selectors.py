"""Every read of contacts and supervision records that leaves the app, scoped by who is asking.
Contacts are read by whoever may see the child; supervision records only by the exploitation
hub, the managers of the agencies working with the child and the people named in them
(lantern/contacts/rules.py). Each reader makes a fixed number of queries."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from lantern.children.models import AccessPurpose, Child, Involvement
from lantern.children.selectors import access_child
from lantern.core.dates import LONDON, local_today
from lantern.partnership.models import Agency, Membership, Role, User
from lantern.partnership.selectors import hub_membership

from .models import Contact, ContactKind, SupervisionRecord
from .rules import can_read_supervision, can_record_contact, can_record_supervision, names

SECTION_CONTACTS = 5
SECTION_SUPERVISION = 3


# --- The child -------------------------------------------------------------------------------


def contacts_child_for(user, child_id, *, path: str = "") -> Child:
    """The child, for the contacts pages; the read is logged; 404 to anyone who may not see it."""
    return access_child(user, child_id, purpose=AccessPurpose.PAGE, path=path)


def supervision_child_for(user, child_id, *, path: str = "", recording: bool = False) -> Child:
    """The child, for the supervision pages: 404 (and nothing logged) to anyone who may not read
    the child's supervision records, or, when `recording`, may not record one."""
    require = can_record_supervision if recording else can_read_supervision
    return access_child(user, child_id, purpose=AccessPurpose.PAGE, path=path, require=require)


def _may_record_contact(user, child: Child) -> bool:
    return child.user_may_edit if hasattr(child, "user_may_edit") else bool(can_record_contact(user, child))


# --- Latest contacts ---------------------------------------------------------------------------


def _local_day(value: dt.datetime | None) -> dt.date | None:
    return value.astimezone(LONDON).date() if value is not None else None


def latest_successful_contact(outer: str = "pk") -> dict:
    """Annotations for a queryset whose `outer` is a child's id: when (`last_seen_at`) and by
    which agency (`last_seen_agency`) the child was last successfully contacted, by anyone."""
    seen = Contact.objects.filter(child=OuterRef(outer), successful=True).order_by("-happened_at", "-id")
    return {
        "last_seen_at": Subquery(seen.values("happened_at")[:1]),
        "last_seen_agency": Subquery(seen.values("agency__name")[:1]),
    }


@dataclass(frozen=True)
class AgencyContact:
    """One agency working with the child and its latest contacts with them."""

    agency: Agency
    is_lead: bool
    last_successful_at: dt.datetime | None
    last_successful_kind: str
    last_successful_by: str
    last_attempt_at: dt.datetime | None
    today: dt.date

    @property
    def days_since_successful(self) -> int | None:
        day = _local_day(self.last_successful_at)
        return (self.today - day).days if day is not None else None

    @property
    def last_successful_kind_label(self) -> str:
        return ContactKind(self.last_successful_kind).label if self.last_successful_kind else ""

    @property
    def attempted_since(self) -> bool:
        """The agency's latest attempt came after its latest successful contact (or there was none)."""
        return self.last_attempt_at is not None and (self.last_successful_at is None or self.last_attempt_at > self.last_successful_at)


def last_contact_by_agency(child: Child, *, today: dt.date | None = None) -> list[AgencyContact]:
    """Each agency working with the child now (the lead professional's first, then by name), with
    its latest successful contact (when, what kind, by whom) and its latest attempted contact.
    One query, however many agencies and contacts."""
    today = today or local_today()
    contacts = Contact.objects.filter(child=child, agency=OuterRef("pk"))
    seen = contacts.filter(successful=True).order_by("-happened_at", "-id")
    tried = contacts.filter(successful=False).order_by("-happened_at", "-id")
    involved = Involvement.objects.filter(child=child, agency=OuterRef("pk"), ended_on__isnull=True)
    rows = (
        Agency.objects.filter(Exists(involved))
        .annotate(
            is_lead=Exists(involved.filter(is_lead=True)),
            seen_at=Subquery(seen.values("happened_at")[:1]),
            seen_kind=Subquery(seen.values("kind")[:1]),
            seen_by=Subquery(seen.values("professional__full_name")[:1]),
            tried_at=Subquery(tried.values("happened_at")[:1]),
        )
        .order_by("-is_lead", "name", "pk")
    )
    return [
        AgencyContact(
            agency=agency, is_lead=agency.is_lead, last_successful_at=agency.seen_at, last_successful_kind=agency.seen_kind or "",
            last_successful_by=agency.seen_by or "", last_attempt_at=agency.tried_at, today=today,
        )
        for agency in rows
    ]


def days_since_last_contact(child: Child, *, today: dt.date | None = None) -> int | None:
    """Whole days from the child's latest successful contact, by any agency, to `today` (London
    dates): 0 if seen today; None if no successful contact is recorded. One query."""
    latest = Contact.objects.filter(child=child, successful=True).order_by("-happened_at", "-id").values_list("happened_at", flat=True).first()
    if latest is None:
        return None
    return ((today or local_today()) - _local_day(latest)).days


def last_successful_contacts(child_ids) -> dict[int, tuple[dt.datetime, str]]:
    """For many children at once (a meeting's agenda): child id -> (when, agency name) of their
    latest successful contact by anyone; children never successfully contacted are left out.
    One query."""
    rows = (
        Child.objects.filter(pk__in=sorted(child_ids)).annotate(**latest_successful_contact())
        .filter(last_seen_at__isnull=False).values_list("pk", "last_seen_at", "last_seen_agency")
    )
    return {pk: (at, agency) for pk, at, agency in rows}



# --- Contacts pages ----------------------------------------------------------------------------


def contact_list(child: Child, *, agency_id: int | None = None, page_number: int = 1):
    """The child's contacts, newest first, a page at a time, of one agency or all. Two queries."""
    qs = Contact.objects.filter(child=child).select_related("agency", "professional", "recorded_by").order_by("-happened_at", "-id")
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    return Paginator(qs, settings.LANTERN_PAGE_SIZE).get_page(page_number)


def contact_filter_agencies(child: Child) -> QuerySet[Agency]:
    """The agencies to filter the child's contacts by: those working with the child now and any
    that recorded a contact with them. One query."""
    return Agency.objects.filter(
        Q(Exists(Contact.objects.filter(child=child, agency=OuterRef("pk"))))
        | Q(Exists(Involvement.objects.filter(child=child, agency=OuterRef("pk"), ended_on__isnull=True)))
    ).order_by("name")


def contact_professionals(agency_ids) -> QuerySet[User]:
    """The people who may be named as having had a contact: active members of the agencies."""
    held = Membership.objects.filter(user=OuterRef("pk"), agency_id__in=sorted(agency_ids), ended_at__isnull=True)
    return User.objects.filter(Exists(held), is_active=True).order_by("full_name", "pk")


def child_contacts_section(user, child: Child) -> dict:
    """The child page's Contacts section: each agency working with the child and when it last
    saw or spoke to the child (and last tried), the days since anyone did, and the latest
    contacts. Three queries, whatever the size of the record."""
    today = local_today()
    return {
        "agencies": last_contact_by_agency(child, today=today),
        "days_since": days_since_last_contact(child, today=today),
        "recent": list(
            Contact.objects.filter(child=child).select_related("agency", "professional").order_by("-happened_at", "-id")[:SECTION_CONTACTS]
        ),
        "can_record": _may_record_contact(user, child),
    }


# --- Supervision -------------------------------------------------------------------------------


def supervisor_options(child: Child, *, user: User | None = None) -> QuerySet[Membership]:
    """The memberships a supervisor of the child may give supervision in: manager of an agency
    working with the child now, or member of the exploitation hub; only `user`'s when given.
    One query."""
    involved = Involvement.objects.filter(child=child, agency=OuterRef("agency"), ended_on__isnull=True)
    qs = Membership.objects.filter(ended_at__isnull=True, agency__is_active=True, user__is_active=True).filter(
        Q(Exists(involved), role=Role.MANAGER) | Q(role=Role.HUB)
    )
    if user is not None:
        qs = qs.filter(user=user)
    return qs.select_related("user", "agency").order_by("user__full_name", "agency__name", "pk")


def supervisee_options(child: Child) -> QuerySet[User]:
    """The people who may be named as supervised: active members of an agency working with the
    child, and of the exploitation hub. One query."""
    involved = Involvement.objects.filter(child=child, agency=OuterRef("agency"), ended_on__isnull=True)
    member = Membership.objects.filter(user=OuterRef("pk"), ended_at__isnull=True, agency__is_active=True).filter(Exists(involved))
    return User.objects.filter(Q(Exists(member)) | Q(Exists(hub_membership())), is_active=True).order_by("full_name", "pk")


def _supervision_access(user, child: Child) -> tuple[bool, bool]:
    """(may read every supervision record of the child, may record one): the hub, or a manager of
    an agency working with the child. At most one query."""
    if not user.is_authenticated:
        return False, False
    if user.access.is_hub:
        return True, True
    managed = bool(user.access.manager_agency_ids) and Involvement.objects.filter(
        child=child, agency_id__in=sorted(user.access.manager_agency_ids), ended_on__isnull=True
    ).exists()
    return managed, managed


def _visible_supervision(user, child: Child, *, everything: bool) -> QuerySet[SupervisionRecord]:
    qs = SupervisionRecord.objects.filter(child=child)
    return qs if everything else qs.filter(names(user))


def child_supervision_section(user, child: Child) -> dict:
    """The child page's Supervision section: the latest supervision records the user may read
    (all of them for the hub and managers of agencies working with the child; those naming the
    user for anyone else). At most two queries, whatever the number of records."""
    everything, can_record = _supervision_access(user, child)
    records = list(
        _visible_supervision(user, child, everything=everything)
        .select_related("supervisor", "supervisee", "agency").order_by("-held_on", "-id")[:SECTION_SUPERVISION + 1]
    ) if user.is_authenticated else []
    return {
        "records": records[:SECTION_SUPERVISION],
        "more": len(records) > SECTION_SUPERVISION,
        "can_read": everything or bool(records),
        "can_record": can_record,
    }


@dataclass
class SupervisionPage:
    page: object
    can_record: bool


def supervision_list(user, child: Child, *, page_number: int = 1) -> SupervisionPage:
    """The supervision records of the child the user may read, newest first, a page at a time."""
    everything, can_record = _supervision_access(user, child)
    qs = (
        _visible_supervision(user, child, everything=everything)
        .select_related("supervisor", "supervisee", "agency", "recorded_by").order_by("-held_on", "-id")
    )
    return SupervisionPage(page=Paginator(qs, settings.LANTERN_PAGE_SIZE).get_page(page_number), can_record=can_record)
