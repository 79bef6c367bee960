"""Every read of missing episodes that leaves the app, scoped by who is asking. An episode is
visible to whoever may see its child; everyone else is told it is not found."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet
from django.utils import timezone

from lantern.children import timeline
from lantern.children.models import AccessPurpose, Child, Involvement, TimelineEvent
from lantern.children.selectors import access_child_record, access_child, children_visible_to
from lantern.core.dates import LONDON, local_today

from .conf import after_change_of_worker_days, repeat_missing_count, repeat_missing_days, return_interview_hours
from .models import MissingEpisode, ReturnInterview


# --- The return interview's status (F06) -------------------------------------------------------


class Status:
    OPEN = "open"
    DUE = "due"
    OVERDUE = "overdue"
    OFFERED = "offered"
    HELD_IN_TIME = "held_in_time"
    HELD_LATE = "held_late"
    DECLINED = "declined"
    NOT_HELD = "not_held"

    LABELS = {
        OPEN: ("Still missing", "govuk-tag--red"),
        DUE: ("Interview due", "govuk-tag--yellow"),
        OVERDUE: ("Interview overdue", "govuk-tag--red"),
        OFFERED: ("Offered, not yet held", "govuk-tag--blue"),
        HELD_IN_TIME: ("Offered in time and held", "govuk-tag--green"),
        HELD_LATE: ("Offered late, held", "govuk-tag--orange"),
        DECLINED: ("Declined by the child", "govuk-tag--grey"),
        NOT_HELD: ("Not held", "govuk-tag--grey"),
    }


def _interview(episode: MissingEpisode) -> ReturnInterview | None:
    try:
        return episode.interview
    except ReturnInterview.DoesNotExist:
        return None


def interview_status(episode: MissingEpisode, *, now: dt.datetime | None = None) -> str:
    """Where the episode's return interview stands at `now` (default: now). The interview must
    be offered within LANTERN_RETURN_INTERVIEW_HOURS (72) elapsed hours of the return; an
    interview offered later is 'late'."""
    now = now or timezone.now()
    if episode.returned_at is None:
        return Status.OPEN
    interview = _interview(episode)
    if interview is not None:
        if interview.not_held_at is not None:
            return Status.NOT_HELD
        if interview.offered_at is not None:
            if interview.accepted is False:
                return Status.DECLINED
            if interview.held_at is not None:
                return Status.HELD_IN_TIME if interview.offered_at <= episode.interview_due_at else Status.HELD_LATE
            return Status.OFFERED
    return Status.OVERDUE if now > episode.interview_due_at else Status.DUE


def _with_status(episodes, now: dt.datetime | None = None):
    now = now or timezone.now()
    for episode in episodes:
        episode.status = interview_status(episode, now=now)
        episode.status_label, episode.status_colour = Status.LABELS[episode.status]
    return episodes


def scan_moment(today: dt.date) -> dt.datetime:
    """The moment a scan 'for' `today` looks at: now when `today` is today in London; otherwise
    the end of that London day (so a scan for a past or future day is repeatable)."""
    now = timezone.now()
    if today == now.astimezone(LONDON).date():
        return now
    return dt.datetime.combine(today + dt.timedelta(days=1), dt.time(0), tzinfo=LONDON).astimezone(dt.timezone.utc)


def overdue_interviews(*, at: dt.datetime) -> QuerySet[MissingEpisode]:
    """Returned episodes for which no return interview had been offered (nor recorded as not
    held) by `at`, more than LANTERN_RETURN_INTERVIEW_HOURS (72) hours after the return. Done in
    the database. Children whose record is closed are included: the F06 rule leaves them out."""
    at = at.astimezone(dt.timezone.utc)  # elapsed hours: subtract in UTC, never on the London clock
    settled = ReturnInterview.objects.filter(episode=OuterRef("pk")).filter(Q(offered_at__lte=at) | Q(not_held_at__lte=at))
    return MissingEpisode.objects.filter(
        returned_at__isnull=False, returned_at__lt=at - dt.timedelta(hours=return_interview_hours())
    ).exclude(Exists(settled))


def _interview_due_filter(now: dt.datetime) -> Q:
    """Returned, nothing offered nor recorded as not held, still within the hours allowed."""
    now = now.astimezone(dt.timezone.utc)
    return Q(returned_at__gte=now - dt.timedelta(hours=return_interview_hours())) & _unsettled()


def _unsettled() -> Q:
    settled = ReturnInterview.objects.filter(episode=OuterRef("pk")).filter(Q(offered_at__isnull=False) | Q(not_held_at__isnull=False))
    return Q(returned_at__isnull=False) & ~Q(Exists(settled))


# --- Reading episodes ---------------------------------------------------------------------


def episodes_visible_to(user) -> QuerySet[MissingEpisode]:
    return MissingEpisode.objects.filter(child__in=children_visible_to(user).values("pk"))


def access_episode(user, episode_id, *, path: str = "") -> MissingEpisode:
    """The episode, if `user` may see its child, with the read written to the child's access
    log; otherwise 404, never a hint that it exists."""
    return access_child_record(
        user,
        MissingEpisode.objects.select_related(
            "reported_by", "reporting_agency", "return_recorded_by", "interview", "interview__offered_by",
            "interview__offered_by_agency", "interview__outcome_recorded_by",
        ),
        episode_id,
        path=path,
    )


def missing_child_for(user, child_id, *, path: str = "") -> Child:
    return access_child(user, child_id, purpose=AccessPurpose.PAGE, path=path)


FILTERS = {
    "open": "Still missing",
    "due": "Return interview due",
    "overdue": "Return interview overdue",
}


def episode_list(user, *, status: str = "", page_number: int = 1):
    """Episodes of the children `user` may see, newest first, optionally only those open, with an
    interview due or overdue. Two queries whatever the number: a count and one page."""
    now = timezone.now()
    qs = episodes_visible_to(user)
    if status == "open":
        qs = qs.filter(returned_at__isnull=True)
    elif status == "due":
        qs = qs.filter(_interview_due_filter(now))
    elif status == "overdue":
        qs = qs.filter(pk__in=overdue_interviews(at=now).values("pk"))
    qs = qs.select_related("child", "reporting_agency", "interview").order_by("-started_at", "-id")
    page = Paginator(qs, settings.LANTERN_PAGE_SIZE).get_page(page_number)
    page.object_list = _with_status(list(page.object_list), now)
    return page


# --- Episodes after a change of worker (F19) ------------------------------------------------


@dataclass(frozen=True)
class WorkerChange:
    at: dt.datetime
    description: str


def worker_changes(child: Child) -> list[WorkerChange]:
    """Changes of worker for the child, oldest first: each involvement that ended (from the day it
    ended) and each change of lead professional after the first lead was named. Three queries at most."""
    changes = [
        WorkerChange(
            at=dt.datetime.combine(inv.ended_on, dt.time(0), tzinfo=LONDON),
            description=f"{inv.agency.name} stopped working with the child ({inv.role})"
            + (f": {inv.end_reason}" if inv.end_reason else ""),
        )
        for inv in Involvement.objects.filter(child=child, ended_on__isnull=False).select_related("agency")
    ]
    leads = list(
        TimelineEvent.objects.filter(child=child, kind=timeline.LEAD_CHANGED.code).order_by("occurred_at", "id")
        .values_list("occurred_at", "summary")
    )
    if leads:
        # Naming the first lead is an allocation, not a change of worker: a change of lead is one
        # made once some other involvement has already been the lead.
        firsts = sorted(
            Involvement.history.filter(child_id=child.pk, is_lead=True).values("id").annotate(first=Min("history_date"))
            .order_by().values_list("first", flat=True)
        )
        changes.extend(
            WorkerChange(at=at, description=summary) for at, summary in leads if sum(1 for f in firsts if f <= at) >= 2
        )
    return sorted(changes, key=lambda c: c.at)


def flag_after_change_of_worker(episodes, changes: list[WorkerChange], *, days: int | None = None):
    """Mark each episode `after_change` with the most recent change of worker before it started,
    when that change was within `days` (default LANTERN_AFTER_CHANGE_OF_WORKER_DAYS); else None."""
    window = dt.timedelta(days=after_change_of_worker_days() if days is None else days)
    for episode in episodes:
        before = [c for c in changes if c.at <= episode.started_at]
        latest = before[-1] if before else None
        episode.after_change = latest if latest is not None and episode.started_at - latest.at <= window else None
    return episodes


def episodes_after_change_of_worker(child: Child) -> list[MissingEpisode]:
    episodes = list(MissingEpisode.objects.filter(child=child).order_by("-started_at", "-id"))
    return [e for e in flag_after_change_of_worker(episodes, worker_changes(child)) if e.after_change]


# --- The episode page and the child page section -----------------------------------------


@dataclass
class EpisodePage:
    episode: MissingEpisode
    interview: ReturnInterview | None
    shared_with: list
    status: str
    status_label: str
    status_colour: str
    due_at: dt.datetime | None
    after_change: WorkerChange | None


def episode_page(user, episode: MissingEpisode) -> EpisodePage:
    interview = _interview(episode)
    shared = list(interview.shared_with.order_by("name")) if interview is not None and interview.pk else []
    _with_status([episode])
    flag_after_change_of_worker([episode], worker_changes(episode.child))
    return EpisodePage(
        episode=episode, interview=interview, shared_with=shared, status=episode.status,
        status_label=episode.status_label, status_colour=episode.status_colour, due_at=episode.interview_due_at,
        after_change=episode.after_change,
    )


LATEST = 5


def child_missing_section(user, child: Child) -> dict:
    """The child page's Missing episodes section: one query for a child never missing (most
    children), at most four whatever the number of episodes otherwise. Episodes are counted over
    the repeat-missing period (LANTERN_REPEAT_MISSING_DAYS, 90 days)."""
    from .charts import episodes_by_month

    episodes = list(MissingEpisode.objects.filter(child=child).select_related("interview").order_by("-started_at", "-id"))
    recent_days = repeat_missing_days()
    context = {"episodes": [], "open_episode": None, "recent_count": 0, "recent_days": recent_days, "after_change": [],
               "chart": None, "total": 0}
    if not episodes:
        return context
    now = timezone.now()
    _with_status(episodes, now)
    flag_after_change_of_worker(episodes, worker_changes(child))
    since = now - dt.timedelta(days=recent_days)
    context.update(
        episodes=episodes[:LATEST],
        total=len(episodes),
        open_episode=next((e for e in episodes if e.returned_at is None), None),
        recent_count=sum(1 for e in episodes if e.started_at >= since),
        after_change=[e for e in episodes if e.after_change],
        chart=episodes_by_month(episodes, today=local_today()),
    )
    return context


def repeatedly_missing(at: dt.datetime) -> QuerySet:
    """(child id, number of episodes, first start) for each child whose record is open with
    LANTERN_REPEAT_MISSING_COUNT or more episodes starting in the LANTERN_REPEAT_MISSING_DAYS
    days up to `at`. One query: the repeat-missing rule and the meeting agenda both start here."""
    return (
        MissingEpisode.objects.filter(
            started_at__gt=at - dt.timedelta(days=repeat_missing_days()), started_at__lte=at, child__closed_at__isnull=True
        )
        .values("child_id")
        .annotate(n=Count("pk"), first=Min("started_at"))
        .filter(n__gte=repeat_missing_count())
        .order_by("child_id")
        .values_list("child_id", "n", "first")
    )
