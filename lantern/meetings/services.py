"""Every write to meetings. Keyword-only; each checks permission, validates (all problems at
once, nothing saved on error), writes in a transaction, keeps history, adds to the timeline of
each child concerned and tells the people who need to know."""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from lantern.children import timeline
from lantern.children.models import Child, Involvement
from lantern.core.dates import LONDON, long_date
from lantern.network.models import Node
from lantern.notifications.services import notify
from lantern.partnership.models import Agency, Membership
from lantern.partnership.selectors import case_workers
from lantern.risk.models import DecisionSource, RiskDecision
from lantern.risk.services import UNCHECKED, decide_risk_level

from .models import (
    DEFAULT_CONFIDENTIALITY, CHILD_REASONS, RECORD_REASONS, ActionStatus, AgendaItem, Attendance, Invitation, ItemReason, Meeting, MeetingAction,
    MeetingKind, MeetingSeries, MeetingStatus, MinutesRelease, MinutesShare, Pathway, ReleaseKind,
)
from .rules import agency_ids_for, can_run_meetings
from .selectors import involved_agency_ids, item_summary, propose_agenda, record_item_agency_ids

ON_AGENDA = timeline.register_kind("meeting_agenda", "On a meeting agenda")
DISCUSSED = timeline.register_kind("meeting_discussed", "Discussed at a meeting")
MINUTES_SHARED = timeline.register_kind("minutes_shared", "Minutes shared")
MINUTES_ACKNOWLEDGED = timeline.register_kind("minutes_acknowledged", "Minutes acknowledged")
ACTION_MARKED = timeline.register_kind("meeting_action_marked", "Meeting action marked")

CATEGORY = "meetings"


def _run(by, what: str) -> None:
    if by is None or not by.is_authenticated or not can_run_meetings(by):
        raise PermissionDenied(f"Only the exploitation hub or a meeting chair can {what}.")


def _still_open(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.CLOSED:
        raise ValidationError("This meeting is closed. Its record can no longer be changed")
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError("This meeting was cancelled")


def _text(value) -> str:
    return (value or "").strip()


def _meeting_words(meeting: Meeting) -> str:
    """'the exploitation meeting (MACE) on 3 November 2026'"""
    return f"the {meeting.get_kind_display()[0].lower()}{meeting.get_kind_display()[1:]} on {long_date(meeting.starts_at.astimezone(LONDON).date())}"


def _meeting_url(meeting: Meeting) -> str:
    return reverse("meetings:detail", args=[meeting.pk])


# Meetings and series --------------------------------------------------------------------------


def _check_meeting_fields(*, kind, title, starts_at, chair) -> dict:
    errors = {}
    if kind not in MeetingKind.values:
        errors["kind"] = "Choose the type of meeting"
    if not _text(title):
        errors["title"] = "Enter a title for the meeting"
    if starts_at is None:
        errors["starts_at"] = "Enter the date and time of the meeting"
    elif timezone.is_naive(starts_at):
        raise ValueError("starts_at must be an aware datetime")
    if chair is None:
        errors["chair"] = "Choose who chairs the meeting"
    elif not chair.is_active or not can_run_meetings(chair):
        errors["chair"] = "The chair must be a meeting chair or a member of the exploitation hub"
    return errors


@transaction.atomic
def create_meeting(
    *, by, kind: str, title: str, starts_at: dt.datetime, chair, venue: str = "", call_link: str = "",
    confidentiality: str = "", series: MeetingSeries | None = None,
) -> Meeting:
    _run(by, "arrange a meeting")
    errors = _check_meeting_fields(kind=kind, title=title, starts_at=starts_at, chair=chair)
    if not _text(venue) and not _text(call_link):
        errors["venue"] = "Enter where the meeting is held, or a link to the call"
    if errors:
        raise ValidationError(errors)
    return Meeting.objects.create(
        kind=kind, title=_text(title), starts_at=starts_at, chair=chair, venue=_text(venue), call_link=_text(call_link),
        confidentiality=_text(confidentiality) or DEFAULT_CONFIDENTIALITY, series=series, created_by=by,
    )


@transaction.atomic
def create_series(
    *, by, name: str, kind: str, interval_weeks: int | None, first_starts_at: dt.datetime, chair, venue: str = "", call_link: str = "",
) -> MeetingSeries:
    """A series of meetings every `interval_weeks` weeks, and its first meeting. Each later
    meeting is arranged when the one before it closes."""
    _run(by, "arrange a series of meetings")
    errors = _check_meeting_fields(kind=kind, title=name, starts_at=first_starts_at, chair=chair)
    if "title" in errors:
        errors["name"] = "Enter a name for the series"
        del errors["title"]
    if "starts_at" in errors:
        errors["first_starts_at"] = "Enter the date and time of the first meeting"
        del errors["starts_at"]
    if interval_weeks is None or not 1 <= int(interval_weeks) <= 26:
        errors["interval_weeks"] = "Enter how many weeks apart the meetings are, from 1 to 26"
    if not _text(venue) and not _text(call_link):
        errors["venue"] = "Enter where the meetings are held, or a link to the call"
    if errors:
        raise ValidationError(errors)
    series = MeetingSeries.objects.create(
        name=_text(name), kind=kind, interval_weeks=int(interval_weeks), chair=chair, venue=_text(venue),
        call_link=_text(call_link), created_by=by,
    )
    create_meeting(by=by, kind=kind, title=series.name, starts_at=first_starts_at, chair=chair, venue=series.venue,
                   call_link=series.call_link, series=series)
    return series


def schedule_next(*, by, meeting: Meeting) -> Meeting | None:
    """The next meeting of the series, arranged if it is not already (same wall-clock time in
    London, `interval_weeks` later)."""
    series = meeting.series
    if series is None or series.ended_at is not None:
        return None
    later = Meeting.objects.filter(series=series, starts_at__gt=meeting.starts_at).exclude(status=MeetingStatus.CANCELLED).order_by("starts_at").first()
    if later is not None:
        return later
    local = meeting.starts_at.astimezone(LONDON)
    starts_at = (local.replace(tzinfo=None) + dt.timedelta(weeks=series.interval_weeks)).replace(tzinfo=LONDON)
    return create_meeting(by=by, kind=series.kind, title=series.name, starts_at=starts_at, chair=series.chair, venue=series.venue,
                          call_link=series.call_link, confidentiality=meeting.confidentiality, series=series)


@transaction.atomic
def cancel_meeting(*, by, meeting: Meeting, reason: str) -> Meeting:
    _run(by, "cancel a meeting")
    _still_open(meeting)
    if not _text(reason):
        raise ValidationError({"reason": "Enter why the meeting is cancelled"})
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancelled_reason = _text(reason)
    meeting.save(update_fields=["status", "cancelled_reason", "updated_at"])
    notify(
        recipients=case_workers(meeting.invitations.filter(withdrawn_at__isnull=True, notified_at__isnull=False).values("agency_id")),
        category=CATEGORY, subject="A meeting you were invited to is cancelled", url=_meeting_url(meeting), exclude=by,
        body=f"{meeting.title} on {long_date(meeting.starts_at.astimezone(LONDON).date())} is cancelled: {meeting.cancelled_reason}",
    )
    return meeting


# The agenda -----------------------------------------------------------------------------------


def _next_position(meeting: Meeting) -> int:
    return (AgendaItem.objects.filter(meeting=meeting).aggregate(n=Max("position"))["n"] or 0) + 1


@transaction.atomic
def add_child_item(
    *, by, meeting: Meeting, child: Child, reason: str = ItemReason.ADDED, detail: str = "", referral=None,
) -> AgendaItem:
    _run(by, "change a meeting's agenda")
    Meeting.objects.select_for_update().filter(pk=meeting.pk).values_list("pk", flat=True).first()
    _still_open(meeting)
    if reason not in CHILD_REASONS:
        raise ValidationError({"reason": "Choose why the child is on the agenda"})
    if child.closed_at is not None:
        raise ValidationError({"child": f"{child.display_name}'s record is closed"})
    if AgendaItem.objects.filter(meeting=meeting, child=child, removed_at__isnull=True).exists():
        raise ValidationError({"child": f"{child.display_name} is already on this agenda"})
    if referral is not None and referral.child_id != child.pk:
        raise ValidationError({"referral": "The referral is about another child"})
    item = AgendaItem.objects.create(
        meeting=meeting, child=child, reason=reason, reason_detail=_text(detail)[:300], referral=referral,
        position=_next_position(meeting), added_by=by,
    )
    timeline.record_event(
        child=child, kind=ON_AGENDA.code, actor=by, url=_meeting_url(meeting),
        summary=f"Added to the agenda of {_meeting_words(meeting)} ({item.get_reason_display().lower()})",
    )
    refresh_invitations(meeting)
    return item


@transaction.atomic
def add_topic_item(*, by, meeting: Meeting, reason: str, topic: str) -> AgendaItem:
    """A person or place to discuss that is not recorded in the network: a named topic. The police
    and the hub see it; invite any other agency that should hear about it."""
    _run(by, "change a meeting's agenda")
    _still_open(meeting)
    errors = {}
    if reason not in (ItemReason.PERSON, ItemReason.LOCATION):
        errors["reason"] = "Choose whether the item is about a person or a location"
    if not _text(topic):
        errors["topic"] = "Enter who or what the item is about"
    if errors:
        raise ValidationError(errors)
    return AgendaItem.objects.create(meeting=meeting, topic=_text(topic)[:300], reason=reason, position=_next_position(meeting), added_by=by)


@transaction.atomic
def add_record_item(*, by, meeting: Meeting, node: Node, detail: str = "") -> AgendaItem:
    """A person of concern, place, vehicle or business of the network to discuss (F29). The item
    keeps the record's name as it stands now; the police, the hub and every agency working with a
    child linked to the record are invited (F27) and, later, sent the item's minutes (F25)."""
    _run(by, "change a meeting's agenda")
    Meeting.objects.select_for_update().filter(pk=meeting.pk).values_list("pk", flat=True).first()
    _still_open(meeting)
    if node.kind not in RECORD_REASONS:
        raise ValidationError({"node": "Choose a person of concern, a place, a vehicle or a business"})
    if AgendaItem.objects.filter(meeting=meeting, node=node, removed_at__isnull=True).exists():
        raise ValidationError({"node": f"{node.label} is already on this agenda"})
    item = AgendaItem.objects.create(
        meeting=meeting, node=node, topic=node.label[:300], reason=RECORD_REASONS[node.kind], reason_detail=_text(detail)[:300],
        position=_next_position(meeting), added_by=by,
    )
    refresh_invitations(meeting)
    return item


@transaction.atomic
def build_agenda(*, by, meeting: Meeting) -> list[AgendaItem]:
    """Add every proposed child (see selectors.propose_agenda) to the agenda."""
    _run(by, "change a meeting's agenda")
    _still_open(meeting)
    added = []
    proposals = propose_agenda(meeting)
    children = Child.objects.in_bulk([p.child.pk for p in proposals])
    for proposal in proposals:
        added.append(add_proposal(by=by, meeting=meeting, proposal=proposal, child=children[proposal.child.pk]))
    return added


def add_proposal(*, by, meeting: Meeting, proposal, child: Child | None = None) -> AgendaItem:
    """Add one proposed child (see selectors.propose_agenda), with the referral that sent them
    and every reason they were proposed for."""
    child = child or Child.objects.get(pk=proposal.child.pk)
    referral = child.referrals.filter(pk=proposal.referral_id).first() if proposal.referral_id else None
    return add_child_item(by=by, meeting=meeting, child=child, reason=proposal.reason,
                          detail="; ".join([proposal.detail, *proposal.also]), referral=referral)


@transaction.atomic
def remove_item(*, by, item: AgendaItem, reason: str) -> AgendaItem:
    _run(by, "change a meeting's agenda")
    _still_open(item.meeting)
    if item.removed_at is not None:
        return item
    if item.is_closed:
        raise ValidationError("This item has been discussed and closed, so it stays on the record")
    if not _text(reason):
        raise ValidationError({"reason": "Enter why the item is taken off the agenda"})
    item.removed_at, item.removed_by, item.removed_reason = timezone.now(), by, _text(reason)
    item.save(update_fields=["removed_at", "removed_by", "removed_reason", "updated_at"])
    refresh_invitations(item.meeting)
    return item


# Invitations (F27) ----------------------------------------------------------------------------


def refresh_invitations(meeting: Meeting) -> list[Invitation]:
    """Invite every agency actively involved with a child on the agenda, and for an item about a
    person, place, vehicle or business the police, the hub and every agency working with a child
    linked to it (F27); withdraw the
    invitation of an agency no child on the agenda concerns any more, unless the chair added it."""
    wanted = set(
        Involvement.objects.filter(
            child__meeting_items__meeting=meeting, child__meeting_items__removed_at__isnull=True, ended_on__isnull=True,
            agency__is_active=True,
        ).values_list("agency_id", flat=True)
    )
    # Items about a person or place: the police, the hub and the agencies of the children linked to it.
    wanted = wanted.union(*record_item_agency_ids(meeting, current=True).values())
    now = timezone.now()
    existing = {i.agency_id: i for i in Invitation.objects.filter(meeting=meeting)}
    for agency_id in wanted - existing.keys():
        existing[agency_id] = Invitation.objects.create(meeting=meeting, agency_id=agency_id)
    for agency_id, invitation in existing.items():
        if agency_id in wanted and invitation.withdrawn_at is not None:
            invitation.withdrawn_at = None
            invitation.save(update_fields=["withdrawn_at", "updated_at"])
        elif agency_id not in wanted and not invitation.added_by_chair and invitation.withdrawn_at is None:
            invitation.withdrawn_at = now
            invitation.save(update_fields=["withdrawn_at", "updated_at"])
    return [i for i in existing.values() if i.withdrawn_at is None]


@transaction.atomic
def invite_agency(*, by, meeting: Meeting, agency: Agency, reason: str) -> Invitation:
    """The chair invites an agency no child on the agenda involves, such as a licensing team."""
    _run(by, "invite an agency")
    _still_open(meeting)
    if not _text(reason):
        raise ValidationError({"reason": "Enter why the agency is invited"})
    invitation, _ = Invitation.objects.get_or_create(meeting=meeting, agency=agency)
    invitation.added_by_chair, invitation.chair_reason, invitation.withdrawn_at = True, _text(reason)[:300], None
    invitation.save(update_fields=["added_by_chair", "chair_reason", "withdrawn_at", "updated_at"])
    return invitation


@transaction.atomic
def send_invitations(*, by, meeting: Meeting) -> int:
    """Tell each invited agency not told yet. Returns the number of agencies told."""
    _run(by, "send invitations")
    _still_open(meeting)
    fresh = list(meeting.invitations.filter(withdrawn_at__isnull=True, notified_at__isnull=True))
    if not fresh:
        return 0
    local = meeting.starts_at.astimezone(LONDON)
    notify(
        recipients=case_workers([i.agency_id for i in fresh]), category=CATEGORY, exclude=by, url=_meeting_url(meeting),
        subject=f"Your agency is invited to a meeting on {long_date(local.date())}",
        body=f"{meeting.title} ({meeting.get_kind_display().lower()}) on {long_date(local.date())} at {local:%H:%M}. "
        "Open the meeting to see the children on the agenda that your agency works with. If nobody can come, "
        "send in what your agency knows before the meeting.",
    )
    now = timezone.now()
    Invitation.objects.filter(pk__in=[i.pk for i in fresh]).update(notified_at=now, updated_at=now)
    meeting.invitations_sent_at = now
    meeting.save(update_fields=["invitations_sent_at", "updated_at"])
    return len(fresh)


@transaction.atomic
def record_attendance(*, by, invitation: Invitation, attendance: str, attendees: str = "") -> Invitation:
    _run(by, "record attendance")
    _still_open(invitation.meeting)
    if attendance not in Attendance.values or attendance == Attendance.NOT_RECORDED:
        raise ValidationError({"attendance": "Choose whether the agency attended, sent apologies or did not attend"})
    if attendance == Attendance.ATTENDED and not _text(attendees):
        raise ValidationError({"attendees": "Enter who attended for the agency"})
    invitation.attendance, invitation.attendees = attendance, _text(attendees)[:500]
    invitation.save(update_fields=["attendance", "attendees", "updated_at"])
    return invitation


@transaction.atomic
def send_information(*, by, invitation: Invitation, information: str) -> Invitation:
    """What an invited agency that cannot come sends in for the meeting."""
    if by is None or not by.is_authenticated or invitation.agency_id not in agency_ids_for(by):
        raise PermissionDenied("You can only send information for an agency you work for.")
    _still_open(invitation.meeting)
    if not _text(information):
        raise ValidationError({"information": "Enter the information your agency wants the meeting to have"})
    invitation.information_sent, invitation.information_sent_by, invitation.information_sent_at = _text(information), by, timezone.now()
    invitation.save(update_fields=["information_sent", "information_sent_by", "information_sent_at", "updated_at"])
    notify(
        recipients=[invitation.meeting.chair], category=CATEGORY, url=_meeting_url(invitation.meeting), exclude=by,
        subject="An agency has sent information for your meeting",
        body=f"{invitation.agency.name} has sent information for {invitation.meeting.title}.",
    )
    return invitation


# Each item: discussion, decision, actions (F24) ------------------------------------------------


def _item_open(item: AgendaItem) -> None:
    _still_open(item.meeting)
    if item.removed_at is not None:
        raise ValidationError("This item was taken off the agenda")
    if item.is_closed:
        raise ValidationError("This item is closed. Reopen it to change it")


@transaction.atomic
def record_discussion(*, by, item: AgendaItem, discussion: str) -> AgendaItem:
    _run(by, "record the discussion")
    _item_open(item)
    item.discussion = _text(discussion)
    item.save(update_fields=["discussion", "updated_at"])
    return item


@transaction.atomic
def decide_at_item(
    *, by, item: AgendaItem, kind: str, level: str, reason: str, screenings: Iterable, next_review_on: dt.date | None,
    departure_reason: str = "", expected_current=UNCHECKED,
) -> RiskDecision:
    """The meeting confirms or changes one of the child's risk levels, through the partnership's
    level-decision service (so the same checks and notifications apply)."""
    _run(by, "record the meeting's decision")
    _item_open(item)
    if item.child_id is None:
        raise ValidationError("Risk levels are decided for children only")
    decision = decide_risk_level(
        by=by, child=item.child, kind=kind, level=level, reason=reason, screenings=screenings, next_review_on=next_review_on,
        departure_reason=departure_reason, source=DecisionSource.MEETING, expected_current=expected_current,
    )
    item.decisions.add(decision)
    return decision


@transaction.atomic
def set_pathway(*, by, item: AgendaItem, pathway: str) -> AgendaItem:
    _run(by, "record where the case goes next")
    _item_open(item)
    if pathway not in Pathway.values:
        raise ValidationError({"pathway": "Choose where the child's case goes from this meeting"})
    item.pathway = pathway
    item.save(update_fields=["pathway", "updated_at"])
    return item


@transaction.atomic
def add_action(*, by, item: AgendaItem, description: str, owner, agency: Agency | None, due_on: dt.date | None, outcome: str) -> MeetingAction:
    """An action with its owner, agency, due date and the outcome it should achieve (F24). All
    four are required; the owner must work for the agency."""
    _run(by, "record an action")
    _item_open(item)
    errors = {}
    if not _text(description):
        errors["description"] = "Enter what needs to be done"
    if owner is None:
        errors["owner"] = "Choose who owns the action"
    if agency is None:
        errors["agency"] = "Choose the agency responsible for the action"
    elif owner is not None and not Membership.objects.filter(user=owner, agency=agency, ended_at__isnull=True).exists():
        errors["owner"] = f"{owner.full_name} does not work for {agency.name}. Choose someone who does"
    elif owner is not None and not owner.is_active:
        errors["owner"] = f"{owner.full_name} can no longer sign in. Choose someone else"
    meeting_day = item.meeting.starts_at.astimezone(LONDON).date()
    if due_on is None:
        errors["due_on"] = "Enter the date the action is due"
    elif due_on < meeting_day:
        errors["due_on"] = "The due date must be on or after the day of the meeting"
    if not _text(outcome):
        errors["outcome"] = "Enter the outcome the action should achieve for the child"
    if errors:
        raise ValidationError(errors)
    action = MeetingAction.objects.create(
        item=item, child=item.child, description=_text(description), owner=owner, agency=agency, due_on=due_on,
        outcome=_text(outcome), created_by=by,
    )
    notify(
        recipients=[owner], category=CATEGORY, exclude=by, url=_meeting_url(item.meeting),
        subject=f"You have an action from a meeting, due {long_date(due_on)}",
        body=f"An action was agreed for you at {item.meeting.title}. Open the meeting to see it.",
    )
    return action


@transaction.atomic
def mark_action(*, by, action: MeetingAction, status: str, note: str = "", at_item: AgendaItem | None = None) -> MeetingAction:
    """Mark an action done, not possible (circumstances changed) or not done (the agency did not
    do it). At a meeting (`at_item`, a later item about the same child) the chair marks it; between
    meetings its owner may mark it done."""
    if status not in (ActionStatus.DONE, ActionStatus.NOT_POSSIBLE, ActionStatus.NOT_DONE):
        raise ValidationError({"status": "Choose done, not possible or not done"})
    if at_item is not None:
        _run(by, "review actions")
        _item_open(at_item)
        if at_item.child_id is None or at_item.child_id != action.child_id or at_item.pk == action.item_id:
            raise ValidationError("Review an action at a later item about the same child")
    elif not (can_run_meetings(by) or (action.owner_id == by.pk and status == ActionStatus.DONE)):
        raise PermissionDenied("Only the action's owner can mark it done between meetings.")
    if action.status != ActionStatus.OPEN:
        raise ValidationError("This action has already been marked")
    if status != ActionStatus.DONE and not _text(note):
        raise ValidationError({"note": "Explain what happened"})
    if status == ActionStatus.DONE and not _text(note):
        raise ValidationError({"note": "Say what was done: the evidence that the action is complete"})
    action.status, action.status_note, action.status_recorded_at, action.status_recorded_by = status, _text(note), timezone.now(), by
    action.reviewed_at_item = at_item
    action.save(update_fields=["status", "status_note", "status_recorded_at", "status_recorded_by", "reviewed_at_item", "updated_at"])
    if action.child_id:
        timeline.record_event(
            child=action.child, kind=ACTION_MARKED.code, actor=by,
            summary=f"Action \u201c{action.description[:120]}\u201d marked {action.get_status_display().lower()}", detail=action.status_note,
        )
    return action


@transaction.atomic
def close_item(*, by, item: AgendaItem, no_actions_reason: str = "") -> AgendaItem:
    """Close a discussed item. A child's item needs a decision: a risk level confirmed or changed
    (or, at a strategy discussion, where the case goes next); and every item needs at least one
    action or a recorded reason for none (F24). The prepared summary is kept with it."""
    _run(by, "close an item")
    _item_open(item)
    errors = {}
    has_actions = item.actions.exists()
    if item.child_id is not None:
        has_decision = item.decisions.exists()
        if item.meeting.kind == MeetingKind.STRATEGY and not (has_decision or item.pathway):
            errors["decision"] = "Record the meeting's decision: where the case goes next, or the child's risk level"
        elif item.meeting.kind != MeetingKind.STRATEGY and not has_decision:
            errors["decision"] = "Record the meeting's decision on the child's risk level: confirm it or change it"
    if not has_actions and not _text(no_actions_reason):
        errors["no_actions_reason"] = "Add at least one action, or explain why there are none"
    if errors:
        raise ValidationError(errors)
    summary = item_summary(item)
    item.summary = summary.lines() if summary else []
    item.no_actions_reason = "" if has_actions else _text(no_actions_reason)
    item.closed_at, item.closed_by = timezone.now(), by
    item.save(update_fields=["summary", "no_actions_reason", "closed_at", "closed_by", "updated_at"])
    if item.child_id:
        decisions = "; ".join(f"{d.get_kind_display()}: {d.get_level_display().lower()}" for d in item.decisions.all())
        actions = item.actions.count()
        parts = [p for p in [decisions, item.get_pathway_display() if item.pathway else "",
                             f"{actions} action{'s' if actions != 1 else ''}" if actions else "no actions"] if p]
        timeline.record_event(
            child=item.child, kind=DISCUSSED.code, actor=by, url=_meeting_url(item.meeting), occurred_at=item.meeting.starts_at,
            summary=f"Discussed at {_meeting_words(item.meeting)}: " + "; ".join(parts),
        )
    return item


@transaction.atomic
def reopen_item(*, by, item: AgendaItem) -> AgendaItem:
    _run(by, "reopen an item")
    _still_open(item.meeting)
    item.closed_at, item.closed_by = None, None
    item.save(update_fields=["closed_at", "closed_by", "updated_at"])
    return item


# Closing and minutes (F25, F28) ---------------------------------------------------------------


@transaction.atomic
def close_meeting(*, by, meeting: Meeting) -> Meeting:
    """Close the meeting once every item is closed; the decisions and actions go at once to every
    agency involved with each child discussed (F25), and the next meeting of a series is arranged."""
    _run(by, "close a meeting")
    Meeting.objects.select_for_update().filter(pk=meeting.pk).values_list("pk", flat=True).first()
    meeting.refresh_from_db()
    _still_open(meeting)
    active = list(AgendaItem.objects.filter(meeting=meeting, removed_at__isnull=True).select_related("child"))
    if not active:
        raise ValidationError("Add at least one item to the agenda, or cancel the meeting")
    still_open = [i for i in active if not i.is_closed]
    if still_open:
        names = ", ".join((i.child.display_name if i.child_id else i.topic) for i in still_open[:5])
        more = f" and {len(still_open) - 5} more" if len(still_open) > 5 else ""
        raise ValidationError(
            f"{len(still_open)} item{'s' if len(still_open) != 1 else ''} still need a decision and actions: {names}{more}"
        )
    meeting.status, meeting.closed_at, meeting.closed_by = MeetingStatus.CLOSED, timezone.now(), by
    meeting.save(update_fields=["status", "closed_at", "closed_by", "updated_at"])
    release_minutes(by=by, meeting=meeting, kind=ReleaseKind.DECISIONS)
    schedule_next(by=by, meeting=meeting)
    return meeting


@transaction.atomic
def publish_minutes(*, by, meeting: Meeting) -> MinutesRelease:
    """Send the full minutes (summaries and discussion as well as decisions and actions)."""
    _run(by, "publish minutes")
    if not meeting.is_closed:
        raise ValidationError("Close the meeting before publishing its full minutes")
    return release_minutes(by=by, meeting=meeting, kind=ReleaseKind.FULL)


def release_minutes(*, by, meeting: Meeting, kind: str) -> MinutesRelease:
    """Share a release with every agency involved with a child discussed, on the day of the
    meeting or since, whether it attended or not; each gets only the items about children it is
    involved with (F25). An item about a person, place, vehicle or business goes to the police and
    the hub, and to every agency involved with a child linked to the record (need to know); a
    named topic of before the network goes to no agency. Every share is recorded and shown on each
    child's timeline (F28)."""
    if MinutesRelease.objects.filter(meeting=meeting, kind=kind).exists():
        raise ValidationError(f"The {ReleaseKind(kind).label.lower()} of this meeting have already been sent")
    now = timezone.now()
    release = MinutesRelease.objects.create(meeting=meeting, kind=kind, released_at=now, released_by=by)
    by_item = involved_agency_ids(meeting)
    items_by_agency: dict[int, list[int]] = {}
    for item_id, agency_ids in by_item.items():
        for agency_id in agency_ids:
            items_by_agency.setdefault(agency_id, []).append(item_id)
    agencies = Agency.objects.in_bulk(list(items_by_agency))
    for agency_id, item_ids in sorted(items_by_agency.items()):
        share = MinutesShare.objects.create(release=release, agency_id=agency_id, shared_at=now)
        share.items.set(item_ids)
        notify(
            recipients=case_workers([agency_id]), category=CATEGORY, exclude=by, url=reverse("meetings:share", args=[share.pk]),
            subject=f"{ReleaseKind(kind).label} from a meeting are ready for your agency",
            body=f"The {ReleaseKind(kind).label.lower()} of {meeting.title} on {long_date(meeting.starts_at.astimezone(LONDON).date())} "
            f"are ready for {agencies[agency_id].name}. Open them and confirm you have received them.",
        )
    words = _meeting_words(meeting)
    children = {i.pk: i.child for i in AgendaItem.objects.filter(pk__in=list(by_item), child__isnull=False).select_related("child")}
    for item_id, agency_ids in sorted(by_item.items()):
        if item_id not in children:
            continue  # an item about a person or place: the share itself is the record of who got it
        names = ", ".join(sorted(agencies[a].name for a in agency_ids))
        timeline.record_event(
            child=children[item_id], kind=MINUTES_SHARED.code, actor=by, url=_meeting_url(meeting),
            summary=f"{ReleaseKind(kind).label} of {words} shared with {names}",
        )
    return release


@transaction.atomic
def acknowledge_share(*, by, share: MinutesShare) -> MinutesShare:
    """Someone in the receiving agency confirms it has the minutes (F25)."""
    if by is None or not by.is_authenticated or share.agency_id not in agency_ids_for(by):
        raise PermissionDenied("Only someone in the agency the minutes were sent to can confirm it received them.")
    if share.acknowledged_at is not None:
        return share
    share.acknowledged_at, share.acknowledged_by = timezone.now(), by
    share.save(update_fields=["acknowledged_at", "acknowledged_by"])
    words = _meeting_words(share.release.meeting)
    for item in share.items.filter(child__isnull=False).select_related("child"):
        timeline.record_event(
            child=item.child, kind=MINUTES_ACKNOWLEDGED.code, actor=by, agency=share.agency,
            summary=f"{share.agency.name} confirmed it received the {share.release.get_kind_display().lower()} of {words}",
        )
    return share
