"""The agenda of an exploitation meeting at register scale: `propose_agenda` against the one
hand-written query that finds the same children for the same reasons (issue 5).

`build` adds, over the register and its missing episodes, with `bulk_create` (for volume, like
the rest of the register: no services, no history rows, no timeline events, no notifications,
invitations or minutes), from a fixed seed:

- Risk level decisions. `AT_RISK_SHARE` of the children (2,000 at 50,000), all with an open record
  and aged 10 or more, have a current medium or high level of sexual or criminal exploitation,
  counting any already there (the busy and quiet children `data.build_records` writes through the
  services). Children who have gone missing are more likely to be chosen. Each has a history of
  one to four decisions of each kind decided, the newest in the last 300 days. Other children
  have levels that do not bring them to the agenda: about as many again whose current levels are
  none or low (some came down from medium or high), some at medium or high risk to others only,
  and some whose record is closed although their last level was medium or high.
- Referrals: some sent to the exploitation meeting by the hub since the last meeting and not yet
  on an agenda, some sent earlier and discussed (their item is on a past agenda), two whose
  meeting was cancelled (so still to discuss), some sent to a strategy
  discussion or closed with another outcome, some still waiting for the hub, and a few of
  children whose record is now closed.
- A series of `PAST_MEETINGS` (12) closed exploitation meetings, 4 weeks apart, the two latest within
  the last 8 weeks (LANTERN_MEETING_REVIEW_WEEKS), each with about 40 child items: mostly
  children at medium or high risk, the referrals sent to it, children who have gone missing and a
  few children the chair added; one or two of those items removed. Between the two latest, a meeting
  that was cancelled with its agenda built (its items count for nothing). Most closed items
  agreed one to three actions, due one to four weeks after it; most of them are done, some still
  open, more of them from the latest meetings, a few of those not due yet.
- The planned meeting timed: an exploitation meeting starting now, with a few children already
  on its agenda (added by the chair).

None of the children the page measures open, the screening submissions' children, nor the busy and
quiet children are given any of this (`exclude`), so the page rows are unchanged by it.

`check_same` proves, before timing, that the selector and the baseline find the same children for
the same reasons.
"""

import datetime as dt
import random
import re
from collections import Counter
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from lantern.children.models import Child
from lantern.core.dates import LONDON
from lantern.meetings.conf import review_weeks
from lantern.meetings.models import (
    ActionStatus, AgendaItem, ItemReason, Meeting, MeetingAction, MeetingKind, MeetingSeries, MeetingStatus, Pathway,
)
from lantern.missing.conf import repeat_missing_count, repeat_missing_days
from lantern.missing.models import MissingEpisode
from lantern.referrals.models import Outcome, Referral
from lantern.risk.models import EXPLOITATION_KINDS, DecisionSource, Level, RiskDecision, RiskKind

from .data import BENCH_AGENCY, HUB_AGENCY, POLICE_AGENCY, SEED

AT_RISK_SHARE = 0.04  # 2,000 of 50,000 children at medium or high risk
SETTLED_SHARE = 0.05  # children whose levels are none or low now
OTHERS_ONLY_SHARE = 0.002  # medium or high risk to others, low exploitation
CLOSED_AT_RISK = 40  # at 50,000 children: closed records whose last level was medium or high
PAST_MEETINGS = 12
INTERVAL = dt.timedelta(weeks=4)
ITEMS_PER_MEETING = 40
CANCELLED_ITEMS = 10
ON_AGENDA_ALREADY = 6
NEW_REFERRALS = 60  # at 50,000 children: sent to the meeting since the last one
OTHER_REFERRALS = 400  # other outcomes, or none yet
SERIES = "Brackenford exploitation meeting (MACE)"

ACTIONS = [
    ("Share the names of the adults seen with the child with the police intelligence unit.", POLICE_AGENCY,
     "The police know who the child is with and can disrupt it."),
    ("Visit the child at home and talk about who they spend time with.", HUB_AGENCY,
     "The child's own account of their friendships is on the record."),
    ("Offer a place on the Friday youth club and a key worker.", "Brackenford Youth Service",
     "The child has somewhere safe to be on Friday evenings."),
    ("Check attendance every day for four weeks and report absences the same morning.", "Northgate Academy",
     "Absences are followed up on the day they happen."),
    ("Complete a new screening with the child.", BENCH_AGENCY, "An up-to-date picture of the risk."),
    ("Refer to the specialist exploitation worker.", "Safe Harbour Children's Charity",
     "The child has a trusted adult to talk to."),
]


@dataclass
class AgendaData:
    meeting_id: int
    counts: Counter = field(default_factory=Counter)


def _at_risk_now() -> set[int]:
    """Open children whose current sexual or criminal level is medium or high."""
    from lantern.risk.selectors import current_decisions

    return set(
        current_decisions().filter(kind__in=EXPLOITATION_KINDS, level__in=(Level.MEDIUM, Level.HIGH), child__closed_at__isnull=True)
        .values_list("child_id", flat=True)
    )


def _scaled(count: int, children: int, least: int = 1) -> int:
    return max(least, round(count * children / 50_000))


def build(world, episodes, *, exclude: set, seed: int = SEED + 20, progress=print) -> AgendaData:
    rng = random.Random(seed)
    now = timezone.now().replace(microsecond=0)
    today = timezone.localdate()
    hub = world.hub
    staff = world.staff
    agencies = {a.name: a for a in world.agencies}
    hub_staff = [u.pk for u in staff[HUB_AGENCY]] + [hub.pk]
    counts = Counter()

    rows = list(Child.objects.order_by("pk").values_list("pk", "date_of_birth", "closed_at"))
    children = len(rows)
    ten = today - dt.timedelta(days=3653)
    missing_children = episodes.children_with_episodes
    already = _at_risk_now()
    open_pool = [pk for pk, dob, closed in rows if closed is None and dob <= ten and pk not in exclude and pk not in already]
    closed_pool = [(pk, closed) for pk, dob, closed in rows if closed is not None and dob <= ten and pk not in exclude]
    # Children who have gone missing come first more often.
    keyed = sorted(open_pool, key=lambda pk: rng.random() * (0.35 if pk in missing_children else 1.0))
    at_risk_count = max(0, round(children * AT_RISK_SHARE) - len(already))
    at_risk = keyed[:at_risk_count]
    rest = keyed[at_risk_count:]
    settled = rest[: _scaled(round(50_000 * SETTLED_SHARE), children)]
    others_only = rest[len(settled): len(settled) + _scaled(round(50_000 * OTHERS_ONLY_SHARE), children)]
    closed_at_risk = rng.sample(closed_pool, min(len(closed_pool), _scaled(CLOSED_AT_RISK, children)))

    # --- Risk level decisions --------------------------------------------------------------
    decisions = []

    def history(child_id: int, kind: str, current: str, *, newest: dt.datetime, earlier=(Level.LOW, Level.MEDIUM, Level.HIGH)):
        count = rng.choices([1, 2, 3, 4], weights=[35, 30, 20, 15])[0]
        levels = [rng.choice(earlier) for _ in range(count - 1)] + [current]
        gaps = [dt.timedelta(days=rng.randint(28, 120)) for _ in range(count - 1)] + [dt.timedelta(0)]
        moment = newest - sum(gaps, dt.timedelta(0))
        for level, gap in zip(levels, gaps):
            decided = moment.replace(second=0)
            decisions.append(RiskDecision(
                child_id=child_id, kind=kind, level=level, decided_by_id=rng.choice(hub_staff), decided_at=decided,
                source=DecisionSource.MEETING if rng.random() < 0.4 else DecisionSource.HUB,
                reason="Agreed at the hub after reviewing the agencies' screenings and police intelligence.",
                next_review_on=decided.date() + dt.timedelta(days=rng.choice([28, 56, 90])),
            ))
            moment += gap
        return decisions[-1]

    def recent(days: int = 300) -> dt.datetime:
        return now - dt.timedelta(minutes=rng.randint(60, days * 24 * 60))

    for child_id in at_risk:
        shape = rng.random()
        kinds = [RiskKind.SEXUAL] if shape < 0.45 else [RiskKind.CRIMINAL] if shape < 0.8 else list(EXPLOITATION_KINDS)
        for kind in EXPLOITATION_KINDS:
            if kind in kinds:
                history(child_id, kind, Level.HIGH if rng.random() < 0.3 else Level.MEDIUM, newest=recent())
            elif rng.random() < 0.5:
                history(child_id, kind, rng.choice([Level.NONE, Level.LOW]), newest=recent())
    for child_id in settled:  # came down, or never went up
        for kind in EXPLOITATION_KINDS:
            if rng.random() < 0.7:
                history(child_id, kind, rng.choice([Level.NONE, Level.LOW, Level.LOW]), newest=recent(600))
    for child_id in others_only:
        history(child_id, RiskKind.RISK_TO_OTHERS, rng.choice([Level.MEDIUM, Level.HIGH]), newest=recent())
        history(child_id, rng.choice(EXPLOITATION_KINDS), Level.LOW, newest=recent(), earlier=(Level.NONE, Level.LOW))
    for child_id, closed in closed_at_risk:  # the level was never brought down before the record closed
        newest = closed - dt.timedelta(days=rng.randint(7, 200))
        history(child_id, rng.choice(EXPLOITATION_KINDS), rng.choice([Level.MEDIUM, Level.HIGH]), newest=newest)
    # Two decisions of the same child and kind may fall on the same minute: the later id wins, as
    # in `current_decisions`.
    with transaction.atomic():
        RiskDecision.objects.bulk_create(decisions, batch_size=2000)
    counts["decisions"] = len(decisions)
    at_risk_all = _at_risk_now()
    counts["at_risk"] = len(at_risk_all)
    counts["settled"] = len(settled)
    counts["others_only"] = len(others_only)
    counts["closed_at_risk"] = len(closed_at_risk)

    # --- Past meetings ----------------------------------------------------------------------
    series = MeetingSeries.objects.create(
        name=SERIES, kind=MeetingKind.EXPLOITATION, interval_weeks=4, chair=hub, venue="Brackenford Civic Centre, Room 2",
        created_by=hub,
    )
    # The planned meeting starts now; the past ones 4, 8, ... weeks before it, less an hour, so the
    # two latest are within the review window (LANTERN_MEETING_REVIEW_WEEKS, 8) of it.
    past_starts = [now - INTERVAL * k + dt.timedelta(hours=1) for k in range(PAST_MEETINGS, 0, -1)]
    meetings = Meeting.objects.bulk_create([
        Meeting(
            kind=MeetingKind.EXPLOITATION, title=SERIES, series=series, chair=hub, starts_at=starts, venue=series.venue,
            status=MeetingStatus.CLOSED, created_by=hub, closed_at=starts + dt.timedelta(hours=3), closed_by=hub,
            invitations_sent_at=starts - dt.timedelta(days=7),
        )
        for starts in past_starts
    ])
    cancelled_at = past_starts[-1] - dt.timedelta(weeks=2)
    cancelled, planned = Meeting.objects.bulk_create([
        Meeting(
            kind=MeetingKind.EXPLOITATION, title=f"{SERIES}, extra", chair=hub, starts_at=cancelled_at, venue=series.venue,
            status=MeetingStatus.CANCELLED, cancelled_reason="Too few agencies could attend; the children go to the next meeting.",
            created_by=hub,
        ),
        Meeting(kind=MeetingKind.EXPLOITATION, title=SERIES, series=series, chair=hub, starts_at=now, venue=series.venue, created_by=hub),
    ])
    counts["past_meetings"] = len(meetings)

    # --- Referrals --------------------------------------------------------------------------
    referring = [(u.pk, agencies[name].pk) for name in (POLICE_AGENCY, BENCH_AGENCY, "Northgate Academy", HUB_AGENCY)
                 for u in staff[name]]
    referral_pool = [pk for pk, dob, closed in rows if closed is None and dob <= ten and pk not in exclude]

    def referral(child_id: int, decided: dt.datetime | None, outcome: str = Outcome.EXPLOITATION_MEETING) -> Referral:
        received = (decided or now) - dt.timedelta(hours=rng.randint(2, 30))
        referrer, agency = rng.choice(referring)
        return Referral(
            child_id=child_id, referring_agency_id=agency, referrer_id=referrer, received_at=received,
            outcome_due_on=received.date() + dt.timedelta(days=1), concern="Seen with older adults in cars; going missing overnight.",
            indicator_ids=["MIS-02", "SEX-02", "CRIM-01"], catalogue_version=1, consent_sought=True,
            outcome=outcome if decided else "", outcome_reason="Concerns meet the threshold for this outcome." if decided else "",
            outcome_decided_at=decided, outcome_decided_by_id=hub.pk if decided else None,
        )

    # Referrals discussed at each past meeting, decided in the 4 weeks before it.
    per_meeting_referrals = []
    discussed_referrals = []
    for meeting in meetings:
        batch = [
            referral(child_id, meeting.starts_at - dt.timedelta(minutes=rng.randint(60, 27 * 24 * 60)))
            for child_id in rng.sample(referral_pool, 6)
        ]
        per_meeting_referrals.append(batch)
        discussed_referrals.extend(batch)
    cancelled_referrals = [
        referral(child_id, cancelled_at - dt.timedelta(minutes=rng.randint(60, 10 * 24 * 60))) for child_id in rng.sample(referral_pool, 2)
    ]
    last = past_starts[-1]
    new = [
        referral(child_id, last + dt.timedelta(minutes=rng.randint(60, int((now - last).total_seconds() // 60) - 60)))
        for child_id in rng.sample(referral_pool, _scaled(NEW_REFERRALS, children))
    ]
    # Sent to the meeting shortly before the child's record was closed, and never discussed.
    of_closed = [
        referral(child_id, closed - dt.timedelta(days=rng.randint(1, 20)))
        for child_id, closed in rng.sample(closed_pool, min(len(closed_pool), 5))
    ]
    others = []
    for child_id in rng.sample(referral_pool, _scaled(OTHER_REFERRALS, children)):
        outcome = rng.choice([Outcome.NO_FURTHER_ACTION, Outcome.SCREENING, Outcome.STRATEGY_DISCUSSION, Outcome.EARLY_HELP, Outcome.OTHER, ""])
        others.append(referral(child_id, recent(400) if outcome else None, outcome or Outcome.OTHER))
    with transaction.atomic():
        Referral.objects.bulk_create(discussed_referrals + cancelled_referrals + new + of_closed + others, batch_size=1000)
    counts["referrals"] = len(discussed_referrals) + len(cancelled_referrals) + len(new) + len(of_closed) + len(others)
    counts["referrals_new"] = len(new)

    # --- Agenda items and actions -----------------------------------------------------------
    at_risk_sorted = sorted(at_risk_all - exclude)
    missing_sorted = sorted((missing_children - exclude) & set(referral_pool))
    items = []
    removed_items = 0

    def item(meeting, child_id, reason, position, *, referral_obj=None, detail="", removed=False, closed=True):
        nonlocal removed_items
        row = AgendaItem(
            meeting=meeting, child_id=child_id, reason=reason, reason_detail=detail, referral=referral_obj, position=position,
            added_by=hub, discussion="Agencies shared what they know; the plan was agreed." if closed and not removed else "",
            pathway=rng.choice([Pathway.EXPLOITATION, Pathway.EXPLOITATION, Pathway.NONE, Pathway.STRATEGY]) if closed and not removed else "",
        )
        if removed:
            removed_items += 1
            row.removed_at = meeting.starts_at - dt.timedelta(days=1)
            row.removed_by = hub
            row.removed_reason = "Discussed at a strategy discussion this week instead."
        elif closed:
            row.closed_at = meeting.starts_at + dt.timedelta(minutes=5 * position)
            row.closed_by = hub
        items.append(row)
        return row

    for meeting, referrals in zip(meetings, per_meeting_referrals):
        chosen = {r.child_id for r in referrals}
        position = 0
        for r in referrals:
            position += 1
            item(meeting, r.child_id, ItemReason.NEW_REFERRAL, position, referral_obj=r, detail="Sent to this meeting by the hub")
        wanted = ITEMS_PER_MEETING - len(referrals)
        picks = (
            [(ItemReason.REVIEW_DUE, c) for c in rng.sample(at_risk_sorted, min(len(at_risk_sorted), wanted * 7 // 10))]
            + [(ItemReason.REPEAT_MISSING, c) for c in rng.sample(missing_sorted, min(len(missing_sorted), wanted * 2 // 10))]
            + [(ItemReason.ADDED, c) for c in rng.sample(referral_pool, wanted // 10)]
        )
        removal = rng.sample(range(len(picks)), rng.randint(1, 2))
        for index, (reason, child_id) in enumerate(picks):
            if child_id in chosen:
                continue
            chosen.add(child_id)
            position += 1
            item(meeting, child_id, reason, position, removed=index in removal)
    for r in cancelled_referrals:
        item(cancelled, r.child_id, ItemReason.NEW_REFERRAL, 0, referral_obj=r, closed=False)
    for position, child_id in enumerate(rng.sample(at_risk_sorted, min(len(at_risk_sorted), CANCELLED_ITEMS)), start=1):
        if child_id not in {r.child_id for r in cancelled_referrals}:
            item(cancelled, child_id, ItemReason.REVIEW_DUE, position, closed=False)
    # Already on the planned meeting's agenda: some children at risk, one with a new referral,
    # some added by the chair.
    on_agenda = rng.sample(at_risk_sorted, min(len(at_risk_sorted), ON_AGENDA_ALREADY // 2))
    on_agenda += [c for c in rng.sample(referral_pool, ON_AGENDA_ALREADY) if c not in on_agenda][: ON_AGENDA_ALREADY - len(on_agenda) - 1]
    for position, child_id in enumerate(on_agenda, start=1):
        item(planned, child_id, ItemReason.ADDED, position, closed=False)
    first_new = next(r for r in new if r.child_id not in on_agenda)
    item(planned, first_new.child_id, ItemReason.NEW_REFERRAL, len(on_agenda) + 1, referral_obj=first_new, closed=False)
    with transaction.atomic():
        AgendaItem.objects.bulk_create(items, batch_size=1000)
    counts["past_items"] = sum(1 for i in items if i.meeting_id not in (cancelled.pk, planned.pk))
    counts["removed_items"] = removed_items
    counts["cancelled_items"] = sum(1 for i in items if i.meeting_id == cancelled.pk)
    counts["on_agenda"] = sum(1 for i in items if i.meeting_id == planned.pk)

    owners = {name: [u.pk for u in staff[name]] for name in staff}
    actions = []
    latest = {m.pk for m in meetings[-2:]}
    for it in items:
        if it.closed_at is None:
            continue
        for _ in range(rng.choices([0, 1, 2, 3], weights=[20, 35, 30, 15])[0]):
            description, agency_name, outcome = rng.choice(ACTIONS)
            due = it.meeting.starts_at.date() + dt.timedelta(days=rng.choice([7, 14, 28]))
            open_share = 0.5 if it.meeting_id in latest else 0.04
            status = ActionStatus.OPEN if rng.random() < open_share else rng.choices(
                [ActionStatus.DONE, ActionStatus.NOT_POSSIBLE, ActionStatus.NOT_DONE], weights=[85, 8, 7])[0]
            marked = None if status == ActionStatus.OPEN else min(now, it.meeting.starts_at + dt.timedelta(days=rng.randint(3, 40)))
            actions.append(MeetingAction(
                item=it, child_id=it.child_id, description=description, owner_id=rng.choice(owners[agency_name]),
                agency_id=agencies[agency_name].pk, due_on=due, outcome=outcome, status=status,
                status_note="" if marked is None else "Recorded by the agency.", status_recorded_at=marked,
                status_recorded_by_id=None if marked is None else hub.pk, created_by=hub,
            ))
    with transaction.atomic():
        MeetingAction.objects.bulk_create(actions, batch_size=1000)
    counts["actions"] = len(actions)
    counts["actions_open"] = sum(1 for a in actions if a.status == ActionStatus.OPEN)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    progress(f"  {counts['at_risk']:,} children at medium or high risk, {counts['decisions']:,} level decisions,"
             f" {counts['referrals']:,} referrals, {counts['past_meetings']} past meetings with {counts['past_items']:,} items"
             f" and {counts['actions']:,} actions")
    return AgendaData(meeting_id=planned.pk, counts=counts)


# --- The baseline -----------------------------------------------------------------------------


def baseline_sql() -> str:
    """One statement: every (child id, reason) the agenda proposes, as `propose_agenda` decides them, with
    what the agenda shows of each child: legal first and last name, preferred name and date of birth."""
    t = {m.__name__: m._meta.db_table for m in (Child, RiskDecision, Referral, AgendaItem, Meeting, MeetingAction, MissingEpisode)}
    on_agenda = (
        f"SELECT child_id FROM {t['AgendaItem']} WHERE meeting_id = %s AND removed_at IS NULL AND child_id IS NOT NULL"
    )
    return f"""
SELECT r.child_id, 'referral', c.legal_first_name, c.legal_last_name, c.preferred_name, c.date_of_birth FROM {t['Referral']} r JOIN {t['Child']} c ON c.id = r.child_id
 WHERE r.outcome = 'exploitation_meeting' AND r.outcome_decided_at <= %s AND c.closed_at IS NULL
   AND NOT EXISTS (SELECT 1 FROM {t['AgendaItem']} i JOIN {t['Meeting']} m ON m.id = i.meeting_id
                    WHERE i.referral_id = r.id AND i.removed_at IS NULL AND m.status <> 'cancelled')
   AND r.child_id NOT IN ({on_agenda})
UNION
SELECT d.child_id, 'review', c.legal_first_name, c.legal_last_name, c.preferred_name, c.date_of_birth FROM {t['RiskDecision']} d JOIN {t['Child']} c ON c.id = d.child_id
 WHERE d.kind IN ('sexual', 'criminal') AND d.level IN ('medium', 'high') AND c.closed_at IS NULL
   AND NOT EXISTS (SELECT 1 FROM {t['RiskDecision']} l WHERE l.child_id = d.child_id AND l.kind = d.kind
                    AND (l.decided_at > d.decided_at OR (l.decided_at = d.decided_at AND l.id > d.id)))
   AND NOT EXISTS (SELECT 1 FROM {t['AgendaItem']} i JOIN {t['Meeting']} m ON m.id = i.meeting_id
                    WHERE i.child_id = d.child_id AND i.removed_at IS NULL AND m.starts_at > %s AND m.starts_at <= %s
                      AND m.status <> 'cancelled')
   AND d.child_id NOT IN ({on_agenda})
UNION
SELECT e.child_id, 'missing', c.legal_first_name, c.legal_last_name, c.preferred_name, c.date_of_birth FROM {t['MissingEpisode']} e JOIN {t['Child']} c ON c.id = e.child_id
 WHERE e.started_at > %s AND e.started_at <= %s AND c.closed_at IS NULL AND e.child_id NOT IN ({on_agenda})
 GROUP BY e.child_id, c.legal_first_name, c.legal_last_name, c.preferred_name, c.date_of_birth HAVING COUNT(*) >= %s
UNION
SELECT a.child_id, 'actions', c.legal_first_name, c.legal_last_name, c.preferred_name, c.date_of_birth FROM {t['MeetingAction']} a JOIN {t['AgendaItem']} i ON i.id = a.item_id
  JOIN {t['Meeting']} m ON m.id = i.meeting_id JOIN {t['Child']} c ON c.id = a.child_id
 WHERE a.status = 'open' AND m.starts_at < %s AND a.due_on <= %s AND c.closed_at IS NULL AND a.child_id NOT IN ({on_agenda})
"""


SQL = None


def baseline_rows(meeting) -> list[tuple]:
    """The baseline: the hand-written statement, every row fetched."""
    global SQL
    if SQL is None:
        SQL = baseline_sql()
    adapt = connection.ops.adapt_datetimefield_value
    at = meeting.starts_at
    params = [
        adapt(at), meeting.pk,
        adapt(at - dt.timedelta(weeks=review_weeks())), adapt(at), meeting.pk,
        adapt(at - dt.timedelta(days=repeat_missing_days())), adapt(at), meeting.pk, repeat_missing_count(),
        adapt(at), connection.ops.adapt_datefield_value(at.astimezone(LONDON).date()), meeting.pk,
    ]
    with connection.cursor() as cursor:
        cursor.execute(SQL, params)
        return cursor.fetchall()


def propose(meeting) -> list:
    from lantern.meetings.selectors import propose_agenda

    return propose_agenda(meeting)


# How each reason's detail is worded by `propose_agenda`, to read back the reasons of a proposal.
DETAILS = [
    (ItemReason.NEW_REFERRAL, re.compile(r"^Sent to this meeting by the hub on ")),
    (ItemReason.REVIEW_DUE, re.compile(r"^(Sexual|Criminal) exploitation: (medium|high), not discussed in the last \d+ weeks$")),
    (ItemReason.REPEAT_MISSING, re.compile(r"^\d+ missing episodes in the last \d+ days$")),
    (ItemReason.OUTSTANDING_ACTIONS, re.compile(r"^\d+ actions? from earlier meetings due and still open$")),
]


def _reason_of(detail: str) -> str:
    for reason, pattern in DETAILS:
        if pattern.search(detail):
            return reason
    raise AssertionError(f"Cannot tell the reason of the proposal detail {detail!r}: has propose_agenda's wording changed?")


def check_same(meeting) -> dict:
    """Fail unless `propose_agenda` and the baseline find the same children, each for the same
    reasons, and each proposal leads with its first reason. Returns the count of each reason."""
    from lantern.meetings.selectors import REASON_ORDER

    expected: dict[int, set] = {}
    shown: dict[int, tuple] = {}
    for child_id, reason, first, last, preferred, born in baseline_rows(meeting):
        expected.setdefault(child_id, set()).add(reason)
        shown[child_id] = (first, last, preferred, born if isinstance(born, dt.date) else dt.date.fromisoformat(born))
    found: dict[int, set] = {}
    for proposal in propose(meeting):
        reasons = {str(proposal.reason)} | {str(_reason_of(d)) for d in proposal.also}
        if str(_reason_of(proposal.detail)) != proposal.reason:
            raise AssertionError(f"Child {proposal.child.pk}: reason {proposal.reason} with the detail {proposal.detail!r}")
        if proposal.child.pk in found:
            raise AssertionError(f"Child {proposal.child.pk} proposed twice")
        found[proposal.child.pk] = reasons
        child = proposal.child
        if proposal.child.pk in shown and shown[child.pk] != (child.legal_first_name, child.legal_last_name, child.preferred_name, child.date_of_birth):
            raise AssertionError(f"Child {child.pk}: the baseline's name and date of birth {shown[child.pk]} differ from the proposal's")
        first = min(reasons, key=lambda r: REASON_ORDER.index(r))
        if proposal.reason != first:
            raise AssertionError(f"Child {proposal.child.pk}: led with {proposal.reason}, not {first}")
    if set(found) != set(expected):
        raise AssertionError(
            f"propose_agenda and the SQL baseline propose different children: {len(set(found) - set(expected))} only from"
            f" propose_agenda, {len(set(expected) - set(found))} only from the baseline. Has the selector changed?"
        )
    differ = [c for c in found if found[c] != expected[c]]
    if differ:
        raise AssertionError(f"{len(differ)} children proposed for different reasons, for example {differ[0]}:"
                             f" {sorted(found[differ[0]])} against {sorted(expected[differ[0]])}")
    counts = Counter(r for reasons in expected.values() for r in reasons)
    counts["children"] = len(expected)
    return counts


# --- Running the measures ---------------------------------------------------------------------


@dataclass
class AgendaResults:
    timings: dict  # "selector", "sql" -> Timing
    reasons: Counter  # reason -> children proposed for it; "children" -> children proposed
    queries: dict
    data: Counter
    reps: int = 0
    warmup: int = 0
    profile: str = ""


def run_measures(agenda: AgendaData, *, reps: int, warmup: int, profile_selector: bool = False, progress=print) -> AgendaResults:
    from .measure import count_queries, run_interleaved
    from .missing import profile

    meeting = Meeting.objects.get(pk=agenda.meeting_id)
    reasons = check_same(meeting)
    queries = {"selector": count_queries(propose, meeting), "sql": count_queries(baseline_rows, meeting)}
    progress(f"  timing the agenda ({reasons['children']:,} children proposed) ...", flush=True)
    timings = run_interleaved({"selector": propose, "sql": baseline_rows}, [meeting], reps=reps, warmup=warmup)
    results = AgendaResults(timings=timings, reasons=reasons, queries=queries, data=agenda.counts, reps=reps, warmup=warmup)
    if profile_selector:
        results.profile = profile(propose, meeting, top=20)
    return results
