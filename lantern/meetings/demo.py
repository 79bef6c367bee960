"""Demo meetings: a fortnightly exploitation meeting with four past meetings held and closed, a
strategy discussion that led to it, and today's meeting ready for the chair to build its agenda.

Everything is made through the services. The services stamp what they do with the present
moment, so the demo then moves the closing and sharing of past meetings back to the day they
were held (and the agencies' confirmations to the day after), as if they had happened then.
"""

import datetime as dt
import random

from django.db.models import Exists, OuterRef

from lantern.children.models import Child, Involvement
from lantern.core.dates import LONDON
from lantern.referrals.models import Outcome
from lantern.partnership.models import AGENCY_CASE_ROLES, Agency, Membership
from lantern.risk.models import EXPLOITATION_KINDS, Level
from lantern.risk.selectors import current_decisions

from . import services
from .models import ActionStatus, AgendaItem, ItemReason, Meeting, MeetingAction, MeetingStatus, MeetingKind, MinutesRelease, MinutesShare, Pathway

DISCUSSIONS = [
    "School reported three afternoons missed this month; police shared that the child was seen with older males near the station.",
    "Health shared a recent attendance at the sexual health clinic. The child told her youth worker she feels safer since the move.",
    "The child has been found twice in another town with new clothes and a second phone. Mother is worried and wants support.",
    "Attendance has improved to 85%. The child is engaging with the specialist worker and has named a trusted adult at school.",
]
ACTIONS = [
    ("Visit the child at home and talk with them about who they spend time with", "The child can name people who are safe and those who are not"),
    ("Share the child's photograph and known associates with the neighbourhood team", "Officers recognise the child and act if they see them at risk"),
    ("Arrange a part-time timetable review with the child and their mother", "The child is back in school full time"),
    ("Refer the child to the specialist exploitation service", "The child has a consistent trusted worker"),
]


def _meeting_time(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10, 0), tzinfo=LONDON)


def _as_if_then(meeting: Meeting) -> None:
    """Move the closing and sharing of a past meeting back to the day it was held."""
    then = meeting.starts_at + dt.timedelta(hours=3)
    Meeting.objects.filter(pk=meeting.pk).update(closed_at=then)
    MinutesRelease.objects.filter(meeting=meeting).update(released_at=then)
    MinutesShare.objects.filter(release__meeting=meeting).update(shared_at=then)


def _someone_in(agency_id, rng: random.Random):
    members = list(Membership.objects.filter(agency_id=agency_id, role__in=sorted(AGENCY_CASE_ROLES), ended_at__isnull=True).select_related("user"))
    return rng.choice(members).user if members else None


def _referral_for(child: Child, meeting: Meeting):
    """The child's referral the hub sent to the exploitation meeting before this one, if any."""
    heard = AgendaItem.objects.filter(referral=OuterRef("pk"), removed_at__isnull=True)
    return (
        child.referrals.filter(outcome=Outcome.EXPLOITATION_MEETING, outcome_decided_at__lte=meeting.starts_at)
        .exclude(Exists(heard)).order_by("outcome_decided_at").first()
    )


def _hold(rng: random.Random, *, chair, meeting: Meeting, children, today: dt.date) -> None:
    for child in children:
        referral = _referral_for(child, meeting)
        item = services.add_child_item(
            by=chair, meeting=meeting, child=child, referral=referral,
            reason=ItemReason.NEW_REFERRAL if referral else ItemReason.REVIEW_DUE,
        )
        services.record_discussion(by=chair, item=item, discussion=rng.choice(DISCUSSIONS))
        current = {d.kind: d for d in current_decisions().filter(child=child, kind__in=EXPLOITATION_KINDS)}
        kind = max(current, key=lambda k: Level.rank(current[k].level)) if current else EXPLOITATION_KINDS[0]
        level = current[kind].level if kind in current else Level.MEDIUM
        screenings = list(child.screenings.filter(screened_at__lt=meeting.starts_at).order_by("-screened_at")[:3])
        if not screenings:
            services.remove_item(by=chair, item=item, reason="Deferred: no agency has screened the child yet. The hub will ask for a screening.")
            continue
        services.decide_at_item(
            by=chair, item=item, kind=kind, level=level, screenings=screenings, next_review_on=today + dt.timedelta(weeks=8),
            reason="Confirmed by the meeting after each agency shared what it knows.",
            departure_reason="The meeting's judgement on everything shared, beyond the screening scores.",
        )
        involved = list(Involvement.objects.filter(child=child, ended_on__isnull=True).values_list("agency_id", flat=True))
        for description, outcome in rng.sample(ACTIONS, k=rng.randint(1, 2)):
            agency_id = rng.choice(involved)
            owner = _someone_in(agency_id, rng)
            if owner is None:
                continue
            services.add_action(
                by=chair, item=item, description=description, owner=owner, agency=Agency.objects.get(pk=agency_id),
                due_on=meeting.starts_at.astimezone(LONDON).date() + dt.timedelta(days=rng.choice([7, 14, 21])), outcome=outcome,
            )
        services.close_item(by=chair, item=item, no_actions_reason="The agencies' current work covers what is needed.")
    services.close_meeting(by=chair, meeting=meeting)
    _as_if_then(meeting)


def add_demo_meetings(*, rng: random.Random, today: dt.date, chair_user, hub_user) -> None:
    """A fortnightly exploitation meeting: each child at medium or high risk was discussed at one
    of the last four, so today's meeting reviews those discussed eight weeks ago, with new
    referrals, children repeatedly missing and actions still open."""
    at_risk = (
        current_decisions().filter(kind__in=EXPLOITATION_KINDS, level__in=(Level.MEDIUM, Level.HIGH), child__closed_at__isnull=True)
        .values_list("child_id", flat=True)
    )
    children = list(Child.objects.filter(pk__in=sorted(set(at_risk))).order_by("pk"))
    rng.shuffle(children)
    if len(children) < 8:
        return
    groups = [children[n::4] for n in range(4)]
    series = services.create_series(
        by=hub_user, name="Brackenford exploitation meeting", kind=MeetingKind.EXPLOITATION, interval_weeks=2,
        first_starts_at=_meeting_time(today - dt.timedelta(weeks=8)), chair=chair_user, venue="Committee room 2, Brackenford Town Hall",
        call_link="https://meet.example.org/brackenford-mace",
    )
    # A strategy discussion five weeks ago sent one child to the exploitation meeting (F10).
    sent_on = groups[2][0]
    strategy = services.create_meeting(
        by=hub_user, kind=MeetingKind.STRATEGY, title="Strategy discussion", starts_at=_meeting_time(today - dt.timedelta(weeks=5)),
        chair=chair_user, call_link="https://meet.example.org/strategy",
    )
    item = services.add_child_item(by=chair_user, meeting=strategy, child=sent_on)
    services.record_discussion(by=chair_user, item=item, discussion="Police and social care agreed the threshold for a section 47 enquiry is met.")
    services.set_pathway(by=chair_user, item=item, pathway=Pathway.SECTION_47)
    services.close_item(by=chair_user, item=item, no_actions_reason="The section 47 enquiry carries the actions.")

    held = []
    for number, group in enumerate(groups):
        meeting = Meeting.objects.filter(series=series, status=MeetingStatus.PLANNED).get()
        if number == 2:
            services.close_meeting(by=chair_user, meeting=strategy)
            _as_if_then(strategy)
        # Each meeting also hears the children the hub sent to it since the last one.
        referred = Child.objects.filter(
            referrals__outcome=Outcome.EXPLOITATION_MEETING, referrals__outcome_decided_at__lte=meeting.starts_at, closed_at__isnull=True,
        ).exclude(Exists(AgendaItem.objects.filter(referral__child=OuterRef("pk"), removed_at__isnull=True)))
        referred = referred.exclude(pk__in=[c.pk for c in group]).distinct().order_by("pk")
        _hold(rng, chair=chair_user, meeting=meeting, children=[*group, *referred], today=today)
        held.append(meeting)
    # Full minutes of all but the last were published within the ten working days.
    for meeting in held[:-1]:
        services.publish_minutes(by=chair_user, meeting=meeting)
        MinutesRelease.objects.filter(meeting=meeting, kind="full").update(released_at=meeting.starts_at + dt.timedelta(days=6))

    # Most actions due by now were done; the rest come back to today's meeting.
    for action in MeetingAction.objects.filter(item__meeting__in=held, due_on__lte=today).select_related("owner").order_by("pk"):
        if rng.random() < 0.8:
            services.mark_action(by=action.owner, action=action, status=ActionStatus.DONE, note="Done, and recorded on our own system.")

    # Agencies confirmed receipt the next day, but a few have not confirmed the last meeting's.
    shares = MinutesShare.objects.filter(release__meeting__in=[*held, strategy]).select_related("release").order_by("pk")
    for share in shares:
        if share.release.meeting_id == held[-1].pk and rng.random() < 0.3:
            continue
        someone = _someone_in(share.agency_id, rng)
        if someone is not None:
            services.acknowledge_share(by=someone, share=share)
            MinutesShare.objects.filter(pk=share.pk).update(acknowledged_at=share.shared_at + dt.timedelta(days=1))
    # Closing the last meeting arranged today's, with its agenda for the chair to build.
