"""Every read of the child register that leaves the app, scoped by who is asking."""

import datetime as dt
import difflib
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from .models import AccessLogEntry, AccessPurpose, BreakGlassGrant, Child, ChildIdentifier, Involvement, TimelineEvent, normalise_identifier, normalise_text
from .conf import max_professionals
from .rules import active_involvement_exists, can_edit_child, can_see_access_log, current_break_glass


def children_visible_to(user) -> QuerySet[Child]:
    """The children `user` may see. Every list of children starts here."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Child.objects.none()
    access = user.access
    if access.is_partnership_wide:
        return Child.objects.all()
    if not access.case_agency_ids:
        # Emergency access is for people who work with children: it ends with their last case role.
        return Child.objects.none()
    grant = Exists(
        BreakGlassGrant.objects.filter(
            child=OuterRef("pk"), user_id=user.pk, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )
    )
    return Child.objects.filter(active_involvement_exists(sorted(access.case_agency_ids)) | grant)


def access_child(user, child_id, *, purpose: str, path: str = "", require=None) -> Child:
    """The child, if `user` may see it, with the read written to the access log; otherwise 404.

    Callers cannot forget either half: there is no way to fetch a child for display without it.
    """
    from .services import log_child_access

    try:
        child_pk = int(child_id)
    except (TypeError, ValueError):
        raise Http404("Not found") from None
    access = user.access if user.is_authenticated else None
    qs = children_visible_to(user).filter(pk=child_pk)
    if access is not None and not access.is_partnership_wide and access.case_agency_ids:
        # Whether the user's own agency is involved comes back with the child, in the same query.
        qs = qs.annotate(user_agency_involved=active_involvement_exists(sorted(access.case_agency_ids)))
    child = qs.first()
    if child is None:
        raise Http404("Not found")
    if require is not None and not require(user, child):
        raise Http404("Not found")  # checked before the read is logged: a refused look is not a read
    involved = access.is_partnership_wide or bool(getattr(child, "user_agency_involved", False))
    grant = None if involved else current_break_glass(user, child)
    log_child_access(user=user, child=child, purpose=purpose, path=path, grant=grant)
    child.viewed_through_break_glass = grant
    child.user_may_edit = involved  # the same test as rules.can_edit_child, already answered
    return child


def access_child_record(user, queryset, record_id, *, path: str = ""):
    """A record about one child (a referral, a screening, a missing episode …) from `queryset`,
    if `user` may see its child, with the read written to the child's access log; otherwise 404,
    whether the record does not exist or is hidden."""
    try:
        pk = int(record_id)
    except (TypeError, ValueError):
        raise Http404("Not found") from None
    record = queryset.filter(pk=pk).first()
    if record is None:
        raise Http404("Not found")
    record.child = access_child(user, record.child_id, purpose=AccessPurpose.PAGE, path=path)
    return record


DATE_PATTERNS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d %m %Y")


def _parse_date(text: str) -> dt.date | None:
    for pattern in DATE_PATTERNS:
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


@dataclass
class SearchResult:
    query: str
    interpreted_as: str
    page: object
    total: int


def search_children(user, query: str, *, page_number: int = 1) -> SearchResult:
    """Search by name (partial, case- and accent-insensitive), date of birth or identifier,
    among the children `user` may see. Two queries whatever the number of matches: a count and
    one page."""
    text = " ".join((query or "").split())
    visible = children_visible_to(user)
    if not text:
        qs = visible.none()
        interpreted = "nothing"
    elif (date := _parse_date(text)) is not None:
        qs = visible.filter(date_of_birth=date)
        interpreted = f"date of birth {date:%d/%m/%Y}"
    else:
        name_filter = Q()
        for token in normalise_text(text).split():
            name_filter &= Q(search_name__contains=token)
        condition = name_filter
        ident = normalise_identifier(text)
        if ident and any(ch.isdigit() for ch in ident) and len(ident) >= 4:
            condition = condition | Q(Exists(ChildIdentifier.objects.filter(child=OuterRef("pk"), normalised=ident)))
            interpreted = "name or identifier"
        else:
            interpreted = "name"
        qs = visible.filter(condition)
    qs = qs.order_by("legal_last_name", "legal_first_name", "id").only(
        "id", "legal_first_name", "legal_last_name", "preferred_name", "date_of_birth", "sex", "legal_status", "address_area", "closed_at"
    )
    paginator = Paginator(qs, settings.LANTERN_PAGE_SIZE)
    page = paginator.get_page(page_number)
    return SearchResult(query=text, interpreted_as=interpreted, page=page, total=paginator.count)


@dataclass
class DuplicateCheck:
    visible_matches: list
    hidden_match_count: int

    @property
    def any(self) -> bool:
        return bool(self.visible_matches) or self.hidden_match_count > 0


def _similar(a: str, b: str) -> bool:
    return difflib.SequenceMatcher(None, a, b).ratio() >= 0.8


def find_possible_duplicates(
    user, *, first_name: str, last_name: str, date_of_birth: dt.date | None, identifiers: list[tuple[str, str]] = (),
    exclude_pk: int | None = None,
) -> DuplicateCheck:
    """Children who may be the same child: the same date of birth and a similar name, or the same
    identifier. Only matches the user may see are named; others are counted, never described."""
    candidate_ids: set[int] = set()
    if date_of_birth is not None:
        wanted_first, wanted_last = normalise_text(first_name), normalise_text(last_name)
        for pk, first, last, preferred in Child.objects.filter(date_of_birth=date_of_birth).values_list(
            "pk", "legal_first_name", "legal_last_name", "preferred_name"
        ):
            first_n, last_n, pref_n = normalise_text(first), normalise_text(last), normalise_text(preferred)
            same_last = _similar(last_n, wanted_last)
            same_first = _similar(first_n, wanted_first) or (pref_n and _similar(pref_n, wanted_first))
            if same_last or same_first:
                candidate_ids.add(pk)
    normalised = [normalise_identifier(value) for _, value in identifiers if value]
    if normalised:
        candidate_ids.update(
            ChildIdentifier.objects.filter(normalised__in=normalised).values_list("child_id", flat=True)
        )
    candidate_ids.discard(exclude_pk)
    if not candidate_ids:
        return DuplicateCheck(visible_matches=[], hidden_match_count=0)
    visible = list(children_visible_to(user).filter(pk__in=candidate_ids))
    return DuplicateCheck(visible_matches=visible, hidden_match_count=len(candidate_ids) - len(visible))


@dataclass
class ChildPage:
    child: Child
    identifiers: list
    past_identifiers: list
    involvements: list
    past_involvements: list
    lead: Involvement | None
    events: object
    alerts: list
    access_log: list | None
    can_edit: bool
    endable_ids: frozenset
    can_change_lead: bool
    sections: list
    professional_count: int = 0
    max_professionals: int = 6

    @property
    def too_many_professionals(self) -> bool:
        return self.professional_count > self.max_professionals

    @property
    def main_sections(self) -> list:
        return [s for s in self.sections if s.section.column == "main"]

    @property
    def side_sections(self) -> list:
        return [s for s in self.sections if s.section.column == "side"]


def professional_count(involvements) -> int:
    """The number of professionals working with the child (F18), from the active involvements
    already loaded: each named professional once, and each involvement naming no one as one
    more. No query."""
    active = [inv for inv in involvements if inv.ended_on is None]
    return len({inv.professional_id for inv in active if inv.professional_id}) + sum(1 for inv in active if not inv.professional_id)


def child_page(user, child: Child, *, timeline_page: int = 1) -> ChildPage:
    """All the child page shows, in a fixed number of queries whatever the size of the record."""
    from lantern.standards.selectors import open_alerts_for_child

    from .sections import load_sections

    identifiers = list(ChildIdentifier.objects.filter(child=child).order_by("kind", "-created_at"))
    involvements = list(
        Involvement.objects.filter(child=child).select_related("agency", "professional").order_by("-is_lead", "agency__name", "started_on")
    )
    events_qs = TimelineEvent.objects.filter(child=child).select_related("actor", "agency").order_by("-occurred_at", "-id")
    events = Paginator(events_qs, 20).get_page(timeline_page)
    active = [inv for inv in involvements if inv.is_active]
    can_edit = child.user_may_edit if hasattr(child, "user_may_edit") else bool(can_edit_child(user, child))
    if not can_edit:
        endable = frozenset()
    elif user.access.is_partnership_wide or any(inv.is_lead and inv.agency_id in user.access.case_agency_ids for inv in active):
        endable = frozenset(inv.pk for inv in active)
    else:
        endable = frozenset(inv.pk for inv in active if inv.agency_id in user.access.case_agency_ids)
    access_log = None
    if can_see_access_log(user, child):
        access_log = list(AccessLogEntry.objects.filter(child=child).select_related("user").order_by("-at")[:15])
    return ChildPage(
        child=child,
        identifiers=[i for i in identifiers if i.ended_at is None],
        past_identifiers=[i for i in identifiers if i.ended_at is not None],
        involvements=active,
        past_involvements=[inv for inv in involvements if not inv.is_active],
        lead=next((inv for inv in active if inv.is_lead), None),
        events=events,
        alerts=open_alerts_for_child(child, user),
        access_log=access_log,
        can_edit=can_edit,
        endable_ids=endable,
        # Handing on the lead takes the right to end the current lead's involvement (or no lead yet).
        can_change_lead=can_edit and (not any(inv.is_lead for inv in active) or any(inv.is_lead and inv.pk in endable for inv in active)),
        sections=load_sections(user, child),
        professional_count=professional_count(active),
        max_professionals=max_professionals(),
    )


def access_log_page(child: Child, *, page_number: int = 1):
    """Every read of the child's record, newest first, a page at a time."""
    qs = AccessLogEntry.objects.filter(child=child).select_related("user").order_by("-at", "-id")
    return Paginator(qs, 50).get_page(page_number)


def child_history(child: Child) -> list[dict]:
    """Every saved version of the child's details, newest first, with what changed."""
    records = list(child.history.select_related("history_user").order_by("-history_date", "-history_id"))
    changes = []
    for newer, older in zip(records, records[1:] + [None]):
        if older is None:
            changed = [("Record created", "", "")]
        else:
            delta = newer.diff_against(older, excluded_fields=["version", "updated_at", "created_at"])
            changed = [
                (Child._meta.get_field(c.field).verbose_name.capitalize(), _display(c.field, c.old), _display(c.field, c.new))
                for c in delta.changes
            ]
        changes.append({"when": newer.history_date, "who": newer.history_user, "changes": changed, "reason": newer.history_change_reason})
    return changes


def _display(field_name: str, value) -> str:
    field = Child._meta.get_field(field_name)
    if field.choices:
        return dict(field.choices).get(value, value or "")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return "" if value is None else str(value)


def break_glass_report(*, since: dt.datetime | None = None):
    """Emergency access for the hub: every attempt, granted or not, newest first."""
    from .models import BreakGlassAttempt

    qs = BreakGlassAttempt.objects.select_related("user", "grant", "grant__child", "grant__reviewed_by").order_by("-attempted_at")
    if since is not None:
        qs = qs.filter(attempted_at__gte=since)
    return qs


IDENTIFIER_LIKE = re.compile(r"^[A-Za-z0-9 /-]+$")


def my_children(user):
    """Children the user is named on as a professional, most recent first."""
    return (
        children_visible_to(user)
        .filter(involvements__professional=user, involvements__ended_on__isnull=True)
        .distinct()
        .order_by("legal_last_name", "legal_first_name")
    )
