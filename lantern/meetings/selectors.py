"""Every read of meetings that leaves the app, scoped by who is asking. Each makes a fixed
number of queries, whatever the number of meetings, items or children."""

import datetime as dt
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from lantern.children.models import AccessPurpose, Child, Involvement, display_name
from lantern.children.services import log_child_reads
from lantern.core.dates import LONDON, local_today, long_date, working_days_between
from lantern.missing.conf import repeat_missing_days
from lantern.missing.models import MissingEpisode
from lantern.missing.selectors import repeatedly_missing
from lantern.contacts.selectors import last_contact_by_agency
from lantern.network.models import Node, NodeKind
from lantern.network.selectors import hotspots, linked_children, shared_persons
from lantern.partnership.models import Agency, AgencyType, Membership, Role
from lantern.plans.selectors import plan_status
from lantern.referrals.models import Outcome, Referral
from lantern.risk.models import EXPLOITATION_KINDS, Level, RiskDecision, RiskKind
from lantern.risk.selectors import _current_from, current_decisions, latest_screenings, level_history

from .conf import acknowledge_working_days, review_weeks
from .minutes import Minutes, MinutesAction, MinutesAttendance, MinutesItem
from .models import (
    RECORD_REASONS, ActionStatus, AgendaItem, Invitation, ItemReason, Meeting, MeetingAction, MeetingKind, MeetingStatus, MinutesRelease,
    MinutesShare, ReleaseKind,
)
from .rules import agency_ids_for, can_open_meeting, can_run_meetings

# Meetings -------------------------------------------------------------------------------------


def meetings_visible_to(user) -> QuerySet[Meeting]:
    """Every meeting for the hub and chairs; otherwise those the user's agencies are invited to
    or have received minutes of."""
    if not user.is_authenticated:
        return Meeting.objects.none()
    if can_run_meetings(user):
        return Meeting.objects.all()
    agency_ids = sorted(agency_ids_for(user))
    if not agency_ids:
        return Meeting.objects.none()
    invited = Invitation.objects.filter(meeting=OuterRef("pk"), agency_id__in=agency_ids, withdrawn_at__isnull=True)
    shared = MinutesShare.objects.filter(release__meeting=OuterRef("pk"), agency_id__in=agency_ids)
    return Meeting.objects.filter(Exists(invited) | Exists(shared))


def meeting_list(user, *, upcoming: bool, page_number: int = 1):
    now = timezone.now()
    qs = meetings_visible_to(user).select_related("chair").annotate(
        item_count=Count("items", filter=Q(items__removed_at__isnull=True))
    )
    if upcoming:
        qs = qs.filter(status=MeetingStatus.PLANNED).order_by("starts_at", "id")
    else:
        qs = qs.exclude(status=MeetingStatus.PLANNED, starts_at__gte=now - dt.timedelta(days=1)).order_by("-starts_at", "-id")
    return Paginator(qs, 25).get_page(page_number)


def access_meeting(user, meeting_id) -> Meeting:
    """The meeting, if `user` may open it; otherwise 404, whether it exists or not."""
    try:
        pk = int(meeting_id)
    except (TypeError, ValueError):
        raise Http404("Not found") from None
    meeting = Meeting.objects.select_related("chair", "series").filter(pk=pk).first()
    if meeting is None or not user.is_authenticated or not can_open_meeting(user, meeting):
        raise Http404("Not found")
    return meeting


def _need_to_know_items(user, meeting: Meeting) -> QuerySet[AgendaItem]:
    """The active items of a meeting the user may read: all for the hub and chairs; otherwise
    the items about children one of the user's agencies is involved with."""
    items = AgendaItem.objects.filter(meeting=meeting, removed_at__isnull=True)
    if can_run_meetings(user):
        return items
    agency_ids = agency_ids_for(user)
    about_children = Q(child__isnull=False) & Q(
        Exists(Involvement.objects.filter(child=OuterRef("child"), agency_id__in=sorted(agency_ids), ended_on__isnull=True))
    )
    records = [item for item, told in record_item_agency_ids(meeting).items() if told & agency_ids]
    return items.filter(about_children | Q(pk__in=records))


@dataclass
class MeetingPage:
    meeting: Meeting
    items: list
    withheld: int
    removed: list
    invitations: list
    releases: list
    can_run: bool
    my_invitations: list
    open_items: int


def meeting_page(user, meeting: Meeting) -> MeetingPage:
    """What the meeting page shows `user`. Six queries."""
    visible = list(
        _need_to_know_items(user, meeting).select_related("child", "referral", "node")
        .annotate(action_count=Count("actions", distinct=True), decision_count=Count("decisions", distinct=True))
        .order_by("position", "id")
    )
    total = AgendaItem.objects.filter(meeting=meeting, removed_at__isnull=True).count()
    run = bool(can_run_meetings(user))
    removed = list(AgendaItem.objects.filter(meeting=meeting, removed_at__isnull=False).select_related("child", "removed_by")) if run else []
    invitations = list(meeting.invitations.filter(withdrawn_at__isnull=True).select_related("agency", "information_sent_by"))
    releases = list(
        MinutesRelease.objects.filter(meeting=meeting).select_related("released_by").prefetch_related(
            Prefetch("shares", queryset=MinutesShare.objects.select_related("agency", "acknowledged_by").annotate(item_count=Count("items")))
        )
    )
    mine = agency_ids_for(user)
    return MeetingPage(
        meeting=meeting, items=visible, withheld=total - len(visible), removed=removed, invitations=invitations,
        releases=releases, can_run=run, my_invitations=[i for i in invitations if i.agency_id in mine],
        open_items=sum(1 for i in visible if not i.is_closed),
    )


def access_item(user, item_id) -> AgendaItem:
    """An agenda item the user may read (its meeting open to them and, for a child, their agency
    involved or the user partnership-wide), with the read of the child logged; otherwise 404."""
    from lantern.children.selectors import access_child

    try:
        pk = int(item_id)
    except (TypeError, ValueError):
        raise Http404("Not found") from None
    item = AgendaItem.objects.select_related("meeting", "meeting__chair", "referral", "node").filter(pk=pk).first()
    if item is None or not user.is_authenticated or not can_open_meeting(user, item.meeting):
        raise Http404("Not found")
    if not _need_to_know_items(user, item.meeting).filter(pk=item.pk).exists():
        raise Http404("Not found")
    if item.child_id is not None:
        item.child = access_child(user, item.child_id, purpose="page", path=f"/meetings/items/{item.pk}/")
    return item


# The agenda -----------------------------------------------------------------------------------


@dataclass(slots=True)
class ProposedChild:
    """What a proposal shows of a child: read through the join of the query that found them,
    without building a whole record for each of thousands of children."""

    pk: int
    legal_first_name: str
    legal_last_name: str
    preferred_name: str
    date_of_birth: dt.date

    @property
    def display_name(self) -> str:
        return display_name(self.preferred_name, self.legal_first_name, self.legal_last_name)


@dataclass
class Proposal:
    child: ProposedChild
    reason: str
    detail: str
    referral_id: int | None = None
    also: list[str] = field(default_factory=list)


REASON_ORDER = [ItemReason.NEW_REFERRAL, ItemReason.REPEAT_MISSING, ItemReason.REVIEW_DUE, ItemReason.OUTSTANDING_ACTIONS]


# The child's columns a proposal shows, read through the join each query already makes.
CHILD_COLUMNS = ("child__legal_first_name", "child__legal_last_name", "child__preferred_name", "child__date_of_birth")


def propose_agenda(meeting: Meeting) -> list[Proposal]:
    """The children the chair should discuss who are not on the agenda yet: new referrals sent to
    this type of meeting; for exploitation and review meetings also every child at medium or
    high risk not discussed for LANTERN_MEETING_REVIEW_WEEKS weeks, children repeatedly missing,
    and children with actions from earlier meetings due by this one and still open. Four
    queries, whatever the size of the partnership: each reads the child's name and date of birth
    through its own join."""
    at = meeting.starts_at
    on_agenda = AgendaItem.objects.filter(meeting=meeting, removed_at__isnull=True, child__isnull=False).values("child_id")
    found: dict[int, list[tuple[str, str, int | None]]] = {}
    children: dict[int, ProposedChild] = {}

    def add(child_id, columns, reason, detail, referral_id=None):
        if child_id not in children:
            children[child_id] = ProposedChild(child_id, *columns)
        found.setdefault(child_id, []).append((reason, detail, referral_id))

    outcome = Outcome.STRATEGY_DISCUSSION if meeting.kind == MeetingKind.STRATEGY else Outcome.EXPLOITATION_MEETING
    taken = AgendaItem.objects.filter(referral=OuterRef("pk"), removed_at__isnull=True).exclude(meeting__status=MeetingStatus.CANCELLED)
    referrals = (
        Referral.objects.filter(outcome=outcome, outcome_decided_at__lte=at, child__closed_at__isnull=True)
        .exclude(Exists(taken)).exclude(child_id__in=on_agenda)
        .order_by("outcome_decided_at", "pk").values_list("pk", "child_id", "outcome_decided_at", *CHILD_COLUMNS)
    )
    for pk, child_id, decided_at, *columns in referrals:
        add(child_id, columns, ItemReason.NEW_REFERRAL, f"Sent to this meeting by the hub on {long_date(decided_at)}", pk)

    if meeting.kind != MeetingKind.STRATEGY:
        weeks = review_weeks()
        since = at - dt.timedelta(weeks=weeks)
        discussed = AgendaItem.objects.filter(
            child=OuterRef("child"), removed_at__isnull=True, meeting__starts_at__gt=since, meeting__starts_at__lte=at,
        ).exclude(meeting__status=MeetingStatus.CANCELLED)
        due = (
            current_decisions().filter(kind__in=EXPLOITATION_KINDS, level__in=(Level.MEDIUM, Level.HIGH), child__closed_at__isnull=True)
            .exclude(Exists(discussed)).exclude(child_id__in=on_agenda)
            .order_by("child_id", "kind").values_list("child_id", "kind", "level", *CHILD_COLUMNS)
        )
        for child_id, kind, level, *columns in due:
            add(child_id, columns, ItemReason.REVIEW_DUE, f"{RiskKind(kind).label}: {Level(level).label.lower()}, not discussed in the last {weeks} weeks")

        days = repeat_missing_days()
        for child_id, n, _first, *columns in repeatedly_missing(at).exclude(child_id__in=on_agenda).values_list(
            "child_id", "n", "first", *CHILD_COLUMNS
        ):
            add(child_id, columns, ItemReason.REPEAT_MISSING, f"{n} missing episodes in the last {days} days")

        outstanding = (
            MeetingAction.objects.filter(
                status=ActionStatus.OPEN, child__isnull=False, item__meeting__starts_at__lt=at, due_on__lte=at.astimezone(LONDON).date(),
                child__closed_at__isnull=True,
            )
            .exclude(child_id__in=on_agenda).values("child_id", *CHILD_COLUMNS).annotate(n=Count("pk")).order_by("child_id")
            .values_list("child_id", "n", *CHILD_COLUMNS)
        )
        for child_id, n, *columns in outstanding:
            add(child_id, columns, ItemReason.OUTSTANDING_ACTIONS, f"{n} action{'s' if n != 1 else ''} from earlier meetings due and still open")

    order = {reason: index for index, reason in enumerate(REASON_ORDER)}
    proposals = []
    for child_id, reasons in found.items():
        reasons.sort(key=lambda r: order[r[0]])
        reason, detail, referral_id = reasons[0]
        # One item per child; a second referral or reason is shown beside the first.
        also = [d for r, d, _ in reasons[1:] if r != reason or d != detail]
        proposals.append(Proposal(child=children[child_id], reason=reason, detail=detail, referral_id=referral_id, also=also))
    proposals.sort(key=lambda p: (order[p.reason], p.child.legal_last_name, p.child.legal_first_name, p.child.pk))
    return proposals


# Each child's item ----------------------------------------------------------------------------


@dataclass
class ItemSummary:
    """The one-page summary prepared for a child's item: what the meeting needs in front of it."""

    levels: list
    history: list
    screenings: list
    emotional: list
    episodes: list
    episodes_since: dt.datetime
    outstanding: list
    earlier_items: list
    involvements: list
    plan: str = ""
    contacts: list = field(default_factory=list)

    def lines(self) -> list[str]:
        """The summary as plain lines, kept with the item when it closes and printed in the minutes."""
        out = []
        for label, decision in self.levels:
            out.append(f"{label}: {decision.get_level_display().lower() if decision else 'no level decided'}"
                       + (f" (decided {long_date(decision.decided_at.astimezone(LONDON).date())})" if decision else ""))
        if self.screenings:
            out.append("Latest screenings: " + "; ".join(
                f"{s.agency.name} on {long_date(s.screened_at.astimezone(LONDON).date())}" for s in self.screenings
            ))
        else:
            out.append("No screening recorded")
        if self.emotional:
            out.append("Emotional health and self-harm: " + "; ".join(
                f"{indicator.wording} ({indicator.get_when_display().lower()}, {screening.agency.name})" for screening, indicator in self.emotional
            ))
        else:
            out.append("Emotional health and self-harm: no indicator seen in the latest screenings")
        since = long_date(self.episodes_since.astimezone(LONDON).date())
        out.append(f"Missing episodes since {since}: {len(self.episodes)}")
        out.append(f"Plan: {self.plan}")
        for contact in self.contacts:
            when_ = (f"{long_date(contact.last_successful_at)} ({contact.days_since_successful} days before the meeting)"
                     if contact.last_successful_at else "no successful contact recorded")
            out.append(f"Last contact by {contact.agency.name}: {when_}")
        out.append(f"Actions outstanding from earlier meetings: {len(self.outstanding)}")
        out.append("Agencies involved: " + (", ".join(
            f"{i.agency.name}{' (lead professional)' if i.is_lead else ''}" for i in self.involvements
        ) or "none"))
        return out


def item_summary(item: AgendaItem) -> ItemSummary | None:
    """The summary for a child's item. Eleven queries whatever the size of the child's record."""
    if item.child_id is None:
        return None
    child = item.child
    at = item.meeting.starts_at
    earlier = list(
        AgendaItem.objects.filter(child=child, removed_at__isnull=True, meeting__starts_at__lt=at)
        .exclude(meeting__status=MeetingStatus.CANCELLED).select_related("meeting").order_by("meeting__starts_at", "id")
    )
    since = earlier[-1].meeting.starts_at if earlier else at - dt.timedelta(weeks=review_weeks())
    history = level_history(child)
    current = _current_from(history)
    screenings = latest_screenings(child)
    return ItemSummary(
        levels=[(RiskKind(kind).label, current[kind]) for kind in RiskKind.values if current[kind] or kind in EXPLOITATION_KINDS],
        history=history[::-1][:6],
        screenings=screenings,
        emotional=[(s, indicator) for s in screenings for indicator in s.emotional],
        episodes=list(MissingEpisode.objects.filter(child=child, started_at__gt=since, started_at__lte=max(at, timezone.now())).order_by("started_at")),
        episodes_since=since,
        outstanding=list(
            MeetingAction.objects.filter(child=child, status=ActionStatus.OPEN).exclude(item=item)
            .select_related("owner", "agency", "item__meeting").order_by("due_on", "id")
        ),
        earlier_items=earlier,
        involvements=list(Involvement.objects.filter(child=child, ended_on__isnull=True).select_related("agency", "professional").order_by("agency__name")),
        plan=plan_status(child),
        contacts=last_contact_by_agency(child, today=at.astimezone(LONDON).date()),
    )


def record_summary(item: AgendaItem) -> dict | None:
    """What an item about a person, place, vehicle or business shows of the record: its kind, how
    many children are linked to it and, for a person, what agencies must do. Not the intelligence
    behind it, which the police and the hub open from the network. Three queries at most."""
    if item.node_id is None:
        return None
    from lantern.network.models import PersonOfConcern

    node = item.node
    guidance = PersonOfConcern.objects.filter(node=node).values_list("guidance", flat=True).first() if node.kind == NodeKind.PERSON else ""
    return {"node": node, "kind": node.get_kind_display(), "children": len(linked_children([node.pk])[node.pk]), "guidance": guidance or ""}


def item_page(user, item: AgendaItem) -> dict:
    return {
        "record": record_summary(item),
        "item": item,
        "meeting": item.meeting,
        "summary": item_summary(item),
        "decisions": list(item.decisions.select_related("decided_by").order_by("decided_at", "id")),
        "actions": list(item.actions.select_related("owner", "agency").order_by("due_on", "id")),
        "reviewed": list(item.reviewed_actions.select_related("owner", "agency", "item__meeting").order_by("due_on", "id")),
        "can_run": bool(can_run_meetings(user)) and item.meeting.is_open_for_changes,
    }


# The child page: the path between meetings (F10) ------------------------------------------------


def child_meetings_section(user, child: Child) -> dict:
    """The "Meetings" section of the child page: every meeting the child was discussed at, in
    order, with its type, decision and where the case went next (F10), and the actions still
    open. Three queries."""
    items = list(
        AgendaItem.objects.filter(child=child, removed_at__isnull=True).exclude(meeting__status=MeetingStatus.CANCELLED)
        .select_related("meeting").prefetch_related(Prefetch("decisions", queryset=RiskDecision.objects.order_by("decided_at")))
        .order_by("meeting__starts_at", "id")
    )
    actions = list(
        MeetingAction.objects.filter(child=child, status=ActionStatus.OPEN).select_related("owner", "agency").order_by("due_on", "id")
    )
    return {"items": items, "open_actions": actions, "can_run": bool(can_run_meetings(user))}


# Minutes --------------------------------------------------------------------------------------


def _minutes_action(action: MeetingAction) -> MinutesAction:
    return MinutesAction(
        description=action.description, owner=action.owner.full_name, agency=action.agency.name, due_on=action.due_on,
        outcome=action.outcome, status=action.get_status_display(), status_note=action.status_note,
    )


def _decision_words(decision: RiskDecision) -> str:
    return f"{decision.get_kind_display()}: {decision.get_level_display().lower()}. Reason: {decision.reason}"


def minutes_for(meeting: Meeting, *, kind: str, agency=None, items=None, reader=None, path: str = "", purpose: str = AccessPurpose.PAGE) -> Minutes:
    """The minutes of a closed meeting for one reader: `agency` (only `items`, the items shared
    with it) or, when no agency is given, the chair's copy with every item. When a `reader` is
    given, their read of each child in it is logged. Fixed queries."""
    full = kind == ReleaseKind.FULL
    all_active = AgendaItem.objects.filter(meeting=meeting, removed_at__isnull=True)
    chosen = all_active if items is None else all_active.filter(pk__in=[getattr(i, "pk", i) for i in items])
    chosen = list(
        chosen.select_related("child").prefetch_related(
            Prefetch("decisions", queryset=RiskDecision.objects.order_by("decided_at", "id")),
            Prefetch("actions", queryset=MeetingAction.objects.select_related("owner", "agency").order_by("due_on", "id")),
            Prefetch("reviewed_actions", queryset=MeetingAction.objects.select_related("owner", "agency").order_by("due_on", "id")),
        ).order_by("position", "id")
    )
    total = all_active.count()
    if reader is not None:
        log_child_reads(user=reader, children=[i.child for i in chosen if i.child_id], purpose=purpose, path=path)
    attendance = [
        MinutesAttendance(agency=i.agency.name, status=i.get_attendance_display(), attendees=i.attendees,
                          information_sent=i.information_sent if full else "")
        for i in meeting.invitations.filter(withdrawn_at__isnull=True).select_related("agency")
    ]
    minutes_items = []
    for number, item in enumerate(chosen, start=1):
        heading = (f"{item.child.display_name}, born {long_date(item.child.date_of_birth)}" if item.child_id else item.topic)
        minutes_items.append(MinutesItem(
            number=number, heading=heading, reason=item.get_reason_display() + (f": {item.reason_detail}" if item.reason_detail else ""),
            summary=list(item.summary) if full else [], discussion=item.discussion if full else "",
            decisions=[_decision_words(d) for d in item.decisions.all()],
            pathway=item.get_pathway_display() if item.pathway else "",
            actions=[_minutes_action(a) for a in item.actions.all()], no_actions_reason=item.no_actions_reason,
            reviewed_actions=[_minutes_action(a) for a in item.reviewed_actions.all()],
        ))
    return Minutes(
        title=meeting.title, kind=meeting.get_kind_display(), version=ReleaseKind(kind).label, held_at=meeting.starts_at,
        venue=meeting.venue or meeting.call_link or "Not recorded", chair=meeting.chair.full_name,
        confidentiality=meeting.confidentiality, reader=agency.name if agency is not None else "All agencies (chair's copy)",
        prepared_at=timezone.now(), attendance=attendance, items=minutes_items,
        items_withheld=total - len(minutes_items) if agency is not None else 0,
    )


def access_action(user, action_id) -> MeetingAction:
    """A meeting action its owner, or someone who runs meetings, may mark (the read of its child
    logged for the latter); otherwise 404."""
    try:
        pk = int(action_id)
    except (TypeError, ValueError):
        raise Http404("Not found") from None
    action = MeetingAction.objects.select_related("owner", "agency", "child", "item", "item__meeting").filter(pk=pk).first()
    if action is None or not user.is_authenticated or (action.owner_id != user.pk and not can_run_meetings(user)):
        raise Http404("Not found")
    if action.owner_id != user.pk:
        access_item(user, action.item_id)
    return action


def access_share(user, share_id) -> MinutesShare:
    """Minutes shared with an agency: for its case-role members, and for the hub and chairs; else 404."""
    try:
        pk = int(share_id)
    except (TypeError, ValueError):
        raise Http404("Not found") from None
    share = MinutesShare.objects.select_related("release", "release__meeting", "release__meeting__chair", "agency", "acknowledged_by").filter(pk=pk).first()
    if share is None or not user.is_authenticated:
        raise Http404("Not found")
    if not (can_run_meetings(user) or share.agency_id in agency_ids_for(user)):
        raise Http404("Not found")
    return share


def share_minutes(share: MinutesShare, **reading) -> Minutes:
    """The minutes one agency received (`reading`: reader, path and purpose, to log the read)."""
    return minutes_for(
        share.release.meeting, kind=share.release.kind, agency=share.agency, items=list(share.items.values_list("pk", flat=True)), **reading,
    )


# Worklists ------------------------------------------------------------------------------------


def minutes_waiting_for(user) -> list[MinutesShare]:
    """Minutes shared with the user's agencies that nobody there has acknowledged yet."""
    agency_ids = sorted(agency_ids_for(user))
    if not agency_ids:
        return []
    return list(
        MinutesShare.objects.filter(agency_id__in=agency_ids, acknowledged_at__isnull=True)
        .select_related("release", "release__meeting", "agency").order_by("shared_at", "id")[:50]
    )


def unacknowledged_minutes(*, sent_by=None) -> list[MinutesShare]:
    """Minutes not yet acknowledged, oldest first, each with `.working_days_waiting` and
    `.overdue` (past LANTERN_MINUTES_ACKNOWLEDGE_WORKING_DAYS). For the sender's worklist."""
    qs = MinutesShare.objects.filter(acknowledged_at__isnull=True).select_related("release", "release__meeting", "agency")
    if sent_by is not None:
        qs = qs.filter(Q(release__released_by=sent_by) | Q(release__meeting__chair=sent_by))
    shares = list(qs.order_by("shared_at", "id")[:200])
    today = local_today()
    for share in shares:
        share.working_days_waiting = working_days_between(share.shared_at.astimezone(LONDON).date(), today)
        share.overdue = share.working_days_waiting > acknowledge_working_days()
    return shares


def actions_owned_by(user) -> list[MeetingAction]:
    """Open meeting actions the user owns, soonest due first."""
    if not user.is_authenticated:
        return []
    return list(
        MeetingAction.objects.filter(owner=user, status=ActionStatus.OPEN).select_related("child", "agency", "item__meeting").order_by("due_on", "id")[:50]
    )


def involved_agency_ids(meeting: Meeting) -> dict[int, set[int]]:
    """For each active item of the meeting, the agencies told of it: for a child's item, those
    involved with the child on the day of the meeting or since; for an item about a person, place,
    vehicle or business, those of `record_item_agency_ids`. Fixed queries."""
    day = meeting.starts_at.astimezone(LONDON).date()
    rows = (
        Involvement.objects.filter(
            child__meeting_items__meeting=meeting, child__meeting_items__removed_at__isnull=True, started_on__lte=max(day, timezone.localdate()),
        ).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day))
        .values_list("child__meeting_items__pk", "agency_id").distinct()
    )
    out: dict[int, set[int]] = {}
    for item_id, agency_id in rows:
        out.setdefault(item_id, set()).add(agency_id)
    out.update(record_item_agency_ids(meeting))
    return out


def always_told_agency_ids() -> set[int]:
    """The agencies told of every item about a person, place, vehicle or business: every active
    police agency, and the agencies of the exploitation hub's members. One query."""
    police = Agency.objects.filter(is_active=True, agency_type=AgencyType.POLICE).values("pk")
    hub = Membership.objects.filter(role=Role.HUB, ended_at__isnull=True, agency__is_active=True).values("agency_id")
    return set(Agency.objects.filter(Q(pk__in=police) | Q(pk__in=hub)).values_list("pk", flat=True))


def record_item_agency_ids(meeting: Meeting, *, current: bool = False) -> dict[int, set[int]]:
    """For each active item of the meeting about a person, place, vehicle or business, the
    agencies with a need to know: the police and the hub always, and every agency involved with a
    child linked to the record (on the day of the meeting or since; `current`: involved now).
    Nothing for an item named before the network existed (no record): the police and the hub see
    it as they run the meeting. At most six queries, none when there is no such item."""
    items = dict(AgendaItem.objects.filter(meeting=meeting, removed_at__isnull=True, node__isnull=False).values_list("pk", "node_id"))
    if not items:
        return {}
    children = linked_children(set(items.values()))
    wanted = set().union(*children.values())
    by_child: dict[int, set[int]] = {}
    if wanted:
        involvements = Involvement.objects.filter(child_id__in=sorted(wanted), agency__is_active=True)
        if current:
            involvements = involvements.filter(ended_on__isnull=True)
        else:
            day = meeting.starts_at.astimezone(LONDON).date()
            involvements = involvements.filter(started_on__lte=max(day, timezone.localdate())).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day))
        for child_id, agency_id in involvements.values_list("child_id", "agency_id").distinct():
            by_child.setdefault(child_id, set()).add(agency_id)
    always = always_told_agency_ids()
    return {item: always.union(*(by_child.get(c, set()) for c in children[node])) for item, node in items.items()}


# Persons and places to discuss (F29) ------------------------------------------------------------


@dataclass
class RecordProposal:
    """A person of concern or a place the chair should consider discussing, found by the network's
    analysis: a person linked to two or more children at medium or high risk, or a hotspot."""

    node_id: int
    name: str
    kind: str
    reason: str
    detail: str

    @property
    def kind_label(self) -> str:
        return NodeKind(self.kind).label


HOTSPOTS_PROPOSED = 5


def propose_records(meeting: Meeting) -> list[RecordProposal]:
    """For an exploitation meeting, the persons of concern linked to two or more children at
    medium or high risk, most such children first, then the top hotspots (up to 5 places or
    businesses linked to two or more children, ranked as the hotspot list ranks them over the
    review period before the meeting), none already on the agenda. Fixed queries."""
    if meeting.kind != MeetingKind.EXPLOITATION or not meeting.is_open_for_changes:
        return []
    on_agenda = set(AgendaItem.objects.filter(meeting=meeting, removed_at__isnull=True, node__isnull=False).values_list("node_id", flat=True))
    shared = [s for s in shared_persons(min_children=2) if s.person.node_id not in on_agenda]
    child_ids = {n.child_id for s in shared for n in s.children}
    at_risk = set(
        current_decisions().filter(kind__in=EXPLOITATION_KINDS, level__in=(Level.MEDIUM, Level.HIGH), child_id__in=sorted(child_ids),
                                   child__closed_at__isnull=True).values_list("child_id", flat=True)
    ) if child_ids else set()
    persons = []
    for s in shared:
        n = sum(1 for c in s.children if c.child_id in at_risk)
        if n >= 2:
            persons.append((n, RecordProposal(s.person.node_id, s.person.name, NodeKind.PERSON, RECORD_REASONS[NodeKind.PERSON],
                                              f"Linked to {n} children at medium or high risk")))
    persons.sort(key=lambda p: (-p[0], p[1].name))
    day = meeting.starts_at.astimezone(LONDON).date()
    since = day - dt.timedelta(weeks=review_weeks())
    places = []
    for spot in hotspots(since=since, until=day):
        if len(places) == HOTSPOTS_PROPOSED or spot.children < 2:
            break
        if spot.node.pk in on_agenda:
            continue
        found = f"; found there when missing {spot.episodes} time{'s' if spot.episodes != 1 else ''}" if spot.episodes else ""
        places.append(RecordProposal(spot.node.pk, spot.node.label, spot.node.kind, RECORD_REASONS[spot.node.kind],
                                     f"Hotspot: {spot.children} children linked{found}; {spot.recent_links} "
                                     f"link{'s' if spot.recent_links != 1 else ''} recorded since {long_date(since)}"))
    return [p for _, p in persons] + places


def agenda_records(user, text: str, *, limit: int = 25) -> list[Node]:
    """Persons of concern, places, vehicles and businesses whose name contains the words searched
    for, for the chair to put on the agenda: for those who run meetings. Names only: the
    intelligence behind a record stays with the police and the hub. One query."""
    if not user.is_authenticated or not can_run_meetings(user):
        raise Http404("Not found")
    text = " ".join((text or "").split())
    if not text:
        return []
    return list(Node.objects.exclude(kind=NodeKind.CHILD).filter(label__icontains=text).order_by("kind", "label", "pk")[:limit])
