"""Missing episodes at register scale, and the overdue-return-interview scan (F06) against the one
hand-written query that finds the same episodes.

`build` adds about four missing episodes per child (200,000 at 50,000 children) with their return
interviews, written with plain `INSERT`s like the rest of the register (see data.py: no save(),
no signals, no history rows, no timeline events), and closes some children. From a fixed seed:

- About 28 % of the children aged 10 or more have gone missing in the last three years, some
  once, a few dozens of times (a log-normal spread, at most 120 each, at most one every four
  days on average). Episodes never overlap: each ends before the next begins. A child whose
  latest episode began in the last week may still be missing (at most one open episode each).
- 4 in 5 episodes are "missing", 1 in 5 "away without authorisation"; most reported by the
  police, the rest by children's social care or the child's school.
- The return interview, offered by the commissioned missing and return interview service (the
  voluntary agency, 4 in 5) or the youth service: for most returns offered within the 72 hours
  and held, some declined, some offered late, some recorded as not held with a reason, a few
  offered with the outcome never recorded, and 1.5 % never recorded at all (the backlog the
  overdue rule finds). Returns of the last fortnight are still in progress: more of them have
  nothing recorded yet. Nothing is dated in the future.
- About 5 % of children are closed (`Child.closed_at`): children never missing at any time in the
  last 2½ years, children who went missing some months after their last return.

`run_measures` gives what __main__ times: the rule `return_interview_overdue(today)` fully consumed
(a list of AlertSpecs), `run_scan` for that rule alone, and the baseline, one `SELECT` of (episode
id, child id, returned_at). `check_same_set` proves, before timing, that they find the same
episodes.
"""

import cProfile
import datetime as dt
import io
import pstats
import random
from collections import Counter
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from lantern.children.models import Child
from lantern.core.dates import LONDON
from lantern.missing.conf import return_interview_hours
from lantern.missing.models import EpisodeKind, MissingEpisode, MissingFrom, ReturnInterview

from .data import CHUNK, HUB_AGENCY, POLICE_AGENCY, SEED, RowInserter

RULE_ID = "F06.return-interview-overdue"
EPISODES_PER_CHILD = 4
MISSING_SHARE = 0.28  # of the children old enough
MAX_EPISODES = 120
YEARS = 3
MISSING_SERVICE = "Safe Harbour Children's Charity"  # the commissioned missing and return interview service
YOUTH_SERVICE = "Brackenford Youth Service"
SCHOOLS = ["Northgate Academy", "St Aldric's High School", "Brackenford Pupil Referral Unit"]
CLOSED_SHARE = 0.05

CIRCUMSTANCES = [
    "Did not come home after school.", "Left the placement after an argument with staff and did not come back.",
    "Went out to meet friends and stopped answering her phone.", "Seen getting into a car with older males near the station.",
    "Climbed out of the bedroom window during the night.", "Did not return from a supervised family visit.",
    "Left school at lunchtime and did not return.", "",
]
FOUND_WHERE = [
    "At a friend's house", "In the town centre", "At a flat on the Millbrook estate", "At the railway station",
    "In another town, 40 miles away", "Came back on their own", "At a relative's house", "",
]
RETURNED_TO = ["Home", "Placement", "Home", "Emergency placement", "Grandmother's house"]
FOUND_WITH = ["Alone", "Friends of the same age", "An older male not known to the family", "A group of older teenagers", ""]
CONDITION = ["Tired and hungry", "Smelled of cannabis", "New phone and clothes", "Intoxicated", "Well, no injuries", ""]
EXPOSED_TO = ["Drugs", "Older adults", "Alcohol", "Possible sexual exploitation", "Criminal activity", ""]
NOT_HELD = [
    "The child moved out of the area; the new authority was told.", "The child was remanded in custody.",
    "Returned from a short absence already explained; the manager agreed no interview was needed.",
    "The family moved away and could not be contacted.",
]
DECLINED = ["Did not want to talk about it.", "Said they were fine and it was nobody's business.", "Refused to meet any worker."]
ACCOUNTS = [
    "Stayed at a friend's flat; said nothing happened.", "Went to a party in town and lost track of time.",
    "Was with their boyfriend, who is older; would not give his name.", "Was asked to take a bag to another town.",
]


@dataclass
class MissingData:
    counts: Counter = field(default_factory=Counter)
    children_with_episodes: set = field(default_factory=set)
    closed_children: set = field(default_factory=set)


def _minutes(value: dt.datetime) -> dt.datetime:
    return value.replace(second=0, microsecond=0)


def _hours(rng: random.Random, low: float, high: float) -> dt.timedelta:
    return dt.timedelta(minutes=int(rng.uniform(low, high) * 60))


def _duration(rng: random.Random) -> dt.timedelta:
    r = rng.random()
    if r < 0.55:
        return _hours(rng, 1, 12)
    if r < 0.85:
        return _hours(rng, 12, 48)
    if r < 0.97:
        return _hours(rng, 48, 7 * 24)
    return _hours(rng, 7 * 24, 28 * 24)


def _allocate(rng: random.Random, caps: list[int], total: int) -> list[int]:
    """Spread `total` episodes over children (at least one each, at most their cap), in
    proportion to log-normal weights: most children go missing a few times, a few very often."""
    if total < len(caps) or total > sum(caps):
        raise ValueError(f"Cannot spread {total:,} episodes over {len(caps):,} children")
    weights = [rng.lognormvariate(0, 0.9) for _ in caps]
    counts = [1] * len(caps)
    remaining = total - len(caps)
    while remaining > 0:
        free = [i for i, cap in enumerate(caps) if counts[i] < cap]
        weight = sum(weights[i] for i in free)
        given = 0
        for i in free:
            add = min(caps[i] - counts[i], int(weights[i] / weight * remaining))
            counts[i] += add
            given += add
        remaining -= given
        if given == 0:  # the last few, one each
            for i in rng.sample(free, min(remaining, len(free))):
                counts[i] += 1
                remaining -= 1
    return counts


# What happened to the return interview of a returned episode, settled (more than a fortnight
# ago): (share, what, when offered). The shares add up to 1.
INTERVIEW_OUTCOMES = [
    (0.015, "nothing recorded", None),
    (0.090, "not held", None),
    (0.020, "offered, then not held", "in time"),
    (0.040, "offered, outcome not recorded", "mostly in time"),
    (0.130, "declined", "in time"),
    (0.030, "declined", "late"),
    (0.100, "held late", "late"),
    (0.575, "held in time", "in time"),
]


def _interview(rng: random.Random, episode_id: int, returned: dt.datetime, now: dt.datetime, workers: list) -> tuple[dict | None, str]:
    """The return interview row for one returned episode (or None), and what happened, for the
    counts. Nothing is dated after `now`: what would be is not recorded yet."""
    age = now - returned
    if age < dt.timedelta(hours=72) and rng.random() < 0.5:
        return None, "nothing yet (due)"
    if age < dt.timedelta(days=14) and rng.random() < 0.1:
        return None, "nothing recorded"
    r, outcome, offer = rng.random(), None, None
    for share, outcome, offer in INTERVIEW_OUTCOMES:
        if r < share:
            break
        r -= share
    worker, agency_id = rng.choice(workers)
    if outcome == "nothing recorded":
        return None, outcome
    if outcome == "not held":
        not_held = returned + _hours(rng, 6, 20 * 24)
        if not_held > now:
            return None, "nothing recorded"
        return {"episode_id": episode_id, "not_held_at": not_held, "not_held_reason": rng.choice(NOT_HELD),
                "outcome_recorded_by_id": worker}, outcome
    late = offer == "late" or (offer == "mostly in time" and rng.random() < 0.25)
    offered = returned + (_hours(rng, 73, 240) if late else _hours(rng, 1, 71))
    if offered > now:
        return None, "nothing recorded"
    row = {"episode_id": episode_id, "offered_at": offered, "offered_by_id": worker, "offered_by_agency_id": agency_id,
           "independent": True}
    if outcome == "offered, outcome not recorded":
        return row, outcome
    if outcome == "offered, then not held":
        not_held = offered + _hours(rng, 24, 240)
        if not_held > now:
            return row, "offered, outcome not recorded"
        row.update(not_held_at=not_held, not_held_reason=rng.choice(NOT_HELD), outcome_recorded_by_id=worker)
        return row, outcome
    if outcome == "declined":
        recorded = offered + _hours(rng, 1, 72)
        if recorded > now:
            return row, "offered, outcome not recorded"
        row.update(accepted=False, declined_reason=rng.choice(DECLINED), outcome_recorded_at=recorded, outcome_recorded_by_id=worker)
        return row, outcome
    held = offered + _hours(rng, 2, 5 * 24)
    recorded = held + _hours(rng, 0, 48)
    if recorded > now:
        return row, "offered, outcome not recorded"
    row.update(
        accepted=True, held_at=held, childs_account=rng.choice(ACCOUNTS), push_factors="Arguments at home",
        pull_factors="Older friends, money, somewhere to stay", people_and_places="'Jay', a flat above the takeaway on Mill Street",
        actions="Share the names with the police; discuss at the next exploitation meeting.",
        outcome_recorded_at=recorded, outcome_recorded_by_id=worker,
    )
    return row, outcome


def build(world, *, per_child: int = EPISODES_PER_CHILD, seed: int = SEED + 10, progress=print) -> MissingData:
    rng = random.Random(seed)
    now = _minutes(timezone.now())
    window_start = now - dt.timedelta(days=YEARS * 365)
    children = list(Child.objects.order_by("pk").values_list("pk", "date_of_birth"))
    total = len(children) * per_child
    # Old enough (10) to have gone missing for at least 60 days of the window.
    eligible = []
    for pk, dob in children:
        tenth = dt.datetime.combine(dob + dt.timedelta(days=3653), dt.time(0), tzinfo=LONDON)
        earliest = max(window_start, tenth)
        if now - earliest >= dt.timedelta(days=60):
            eligible.append((pk, earliest))
    chosen = sorted(rng.sample(eligible, min(len(eligible), max(1, round(len(children) * MISSING_SHARE)))))
    caps = [min(MAX_EPISODES, max(1, (now - earliest).days // 4)) for _, earliest in chosen]
    counts = _allocate(rng, caps, total)

    staff = world.staff
    agency_ids = {a.name: a.pk for a in world.agencies}
    reporters = (
        [(u.pk, agency_ids[POLICE_AGENCY]) for u in staff[POLICE_AGENCY]] * 7
        + [(u.pk, agency_ids[HUB_AGENCY]) for u in staff[HUB_AGENCY]] * 2
        + [(u.pk, agency_ids[name]) for name in SCHOOLS for u in staff[name]][:3]
    )
    workers = [(u.pk, agency_ids[MISSING_SERVICE]) for u in staff[MISSING_SERVICE]] * 4 + [
        (u.pk, agency_ids[YOUTH_SERVICE]) for u in staff[YOUTH_SERVICE]
    ]
    episode_inserter = RowInserter(MissingEpisode, now)
    interview_inserter = RowInserter(ReturnInterview, now)
    next_id = (MissingEpisode.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    data = MissingData()
    last_returns: dict[int, dt.datetime | None] = {}
    episodes, interviews = [], []

    def flush():
        with transaction.atomic():
            episode_inserter.insert(episodes)
            interview_inserter.insert(interviews)
        data.counts["episodes"] += len(episodes)
        data.counts["interviews"] += len(interviews)
        episodes.clear()
        interviews.clear()

    for (child_id, earliest), n in zip(chosen, counts):
        span = int((now - dt.timedelta(hours=1) - earliest).total_seconds() // 60)
        starts = sorted(earliest + dt.timedelta(minutes=m) for m in rng.sample(range(span), n))
        for index, started in enumerate(starts):
            following = starts[index + 1] if index + 1 < len(starts) else None
            returned = min(started + _duration(rng), following or now, now)
            is_last = following is None
            if is_last and now - started < dt.timedelta(days=7) and rng.random() < 0.3:
                returned = None
            reporter, reporting_agency = rng.choice(reporters)
            police = reporting_agency == agency_ids[POLICE_AGENCY]
            row = {
                "id": next_id, "child_id": child_id, "kind": EpisodeKind.AWAY if rng.random() < 0.2 else EpisodeKind.MISSING,
                "missing_from": rng.choices(MissingFrom.values, weights=[50, 35, 8, 7])[0], "started_at": started,
                "reported_by_id": reporter, "reporting_agency_id": reporting_agency,
                "police_reference": f"BP/{started:%y}/{next_id:06d}" if police or rng.random() < 0.5 else "",
                "circumstances": rng.choice(CIRCUMSTANCES), "returned_at": returned,
            }
            if returned is None:
                data.counts["open"] += 1
            else:
                row.update(
                    return_recorded_by_id=reporter, found_where=rng.choice(FOUND_WHERE), returned_to=rng.choice(RETURNED_TO),
                    found_with=rng.choice(FOUND_WITH), condition_on_return=rng.choice(CONDITION), exposed_to=rng.choice(EXPOSED_TO),
                )
                interview, kind = _interview(rng, next_id, returned, now, workers)
                data.counts[f"interview: {kind}"] += 1
                if interview is not None:
                    interviews.append(interview)
            episodes.append(row)
            next_id += 1
            if len(episodes) >= CHUNK:
                flush()
        last_returns[child_id] = returned
        data.children_with_episodes.add(child_id)
    flush()
    data.counts["children_with_episodes"] = len(data.children_with_episodes)
    progress(f"  {data.counts['episodes']:,} missing episodes of {len(chosen):,} children written")

    # Closed children: never missing, or some months after their last return; never one missing now.
    closures = []
    for child_id, _ in children:
        if rng.random() >= CLOSED_SHARE:
            continue
        if child_id in last_returns:
            last = last_returns[child_id]
            if last is None:
                continue
            closed = last + dt.timedelta(days=rng.randint(30, 400))
            if closed >= now:
                continue
        else:
            closed = now - dt.timedelta(days=rng.randint(14, 900))
        closures.append((connection.ops.adapt_datetimefield_value(closed), child_id))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {Child._meta.db_table} SET closed_at = %s WHERE id = %s", closures)
    data.closed_children = {child_id for _, child_id in closures}
    data.counts["closed_children"] = len(closures)
    data.counts["closed_with_episodes"] = sum(1 for _, child_id in closures if child_id in last_returns)
    if connection.vendor == "postgresql":
        from django.core.management.color import no_style

        with connection.cursor() as cursor:  # the ids were given explicitly: move the sequences on
            for sql in connection.ops.sequence_reset_sql(no_style(), [Child, MissingEpisode]):
                cursor.execute(sql)
    return data


# --- The measures ---------------------------------------------------------------------------

BASELINE_SQL = (
    "SELECT e.id, e.child_id, e.returned_at FROM missing_missingepisode e"
    " JOIN children_child c ON c.id = e.child_id"
    " WHERE e.returned_at IS NOT NULL AND e.returned_at < %s AND c.closed_at IS NULL"
    " AND NOT EXISTS (SELECT 1 FROM missing_returninterview r WHERE r.episode_id = e.id"
    " AND (r.offered_at <= %s OR r.not_held_at <= %s))"
    " ORDER BY e.returned_at, e.id"
)


def baseline_rows(at: dt.datetime) -> list[tuple]:
    """The baseline: one hand-written SELECT of (episode id, child id, returned_at) for the
    episodes returned more than 72 hours before `at` with nothing offered nor recorded as not
    held by `at`, of children whose record is not closed, in the rule's order, every row fetched."""
    at = at.astimezone(dt.timezone.utc)
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(BASELINE_SQL, [adapt(at - dt.timedelta(hours=return_interview_hours())), adapt(at), adapt(at)])
        return cursor.fetchall()


def baseline(day: dt.date) -> None:
    from lantern.missing.selectors import scan_moment

    baseline_rows(scan_moment(day))


def rule(day: dt.date) -> list:
    """The rule as `apply_rule` runs it: every AlertSpec made (here kept in a list)."""
    from lantern.missing.standards import return_interview_overdue

    return list(return_interview_overdue(day))


def scan(day: dt.date) -> None:
    """`run_scan` for the rule alone: the scan run row, the rule, the open alerts read and
    brought up to date (opened, resolved, wording and due date changed), in one transaction."""
    from lantern.standards.services import run_scan

    run_scan(trigger="bench", today=day, rule_ids=[RULE_ID])


def _aware(value) -> dt.datetime:
    if isinstance(value, str):
        from django.utils.dateparse import parse_datetime

        value = parse_datetime(value)
    return value if timezone.is_aware(value) else value.replace(tzinfo=dt.timezone.utc)


def _rule_query(at: dt.datetime):
    """The rule's query, as lantern.missing.standards builds it."""
    from lantern.missing.selectors import overdue_interviews

    return (
        overdue_interviews(at=at).filter(child__closed_at__isnull=True)
        .values_list("pk", "child_id", "returned_at").order_by("returned_at", "pk")
    )


def check_same_set(day: dt.date) -> int:
    """Fail unless the rule and the baseline find the same episodes at the moment a scan for
    `day` looks at: the rule's AlertSpecs (episode id, child id and the due date, which is worked
    out from returned_at) and its query's rows (episode id, child id, returned_at) against the
    baseline's. Returns how many."""
    from lantern.missing.selectors import scan_moment

    at = scan_moment(day)
    expected = {(pk, child_id, _aware(returned)) for pk, child_id, returned in baseline_rows(at)}
    hours = dt.timedelta(hours=return_interview_hours())
    specs = {(int(s.key.removeprefix("episode:")), s.child_id, s.due_on) for s in rule(day)}
    wanted = {(pk, child_id, (returned + hours).astimezone(LONDON).date()) for pk, child_id, returned in expected}
    if specs != wanted:
        raise AssertionError(
            f"The rule and the SQL baseline find different episodes at {at}: {len(specs - wanted)} only from the rule,"
            f" {len(wanted - specs)} only from the baseline. Has the rule changed? Change BASELINE_SQL to match."
        )
    found = set(_rule_query(at))
    if found != expected:
        raise AssertionError(f"The rule's query and the SQL baseline differ at {at}: {len(found ^ expected)} rows")
    return len(expected)


def overdue_of_closed_children(day: dt.date) -> int:
    """Episodes that would be overdue but for their child's record being closed: the rule leaves them out."""
    from lantern.missing.selectors import overdue_interviews, scan_moment

    return overdue_interviews(at=scan_moment(day)).filter(child__closed_at__isnull=False).count()


def profile(fn, value, *, top: int = 12) -> str:
    """cProfile of one call, the functions with the most time of their own first."""
    profiler = cProfile.Profile()
    profiler.enable()
    fn(value)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    return out.getvalue()


# --- Running the measures -------------------------------------------------------------------


@dataclass
class ScanResults:
    now: dict  # measure name -> Timing, the scan for today (now)
    daily: dict  # the scan as the next day's daily scan, every alert's wording changed
    first_scan: object  # Timing of the one scan that opened every alert
    overdue: int
    overdue_closed: int
    opened_first: int
    checked: list  # (day, episodes found by the rule and the baseline alike)
    queries: dict  # measure name -> statements
    reps: int = 0
    warmup: int = 0
    profile: str = ""


def query_only(day: dt.date) -> None:
    """The rule's query alone, through the ORM as the rule runs it, every row fetched; no AlertSpec made."""
    from lantern.missing.selectors import scan_moment

    for _ in _rule_query(scan_moment(day)):  # one plain query, as the rule reads it since a7d4d2d
        pass


def run_measures(*, reps: int, warmup: int, profile_rule: bool = False, progress=print) -> ScanResults:
    import time

    from lantern.core.dates import local_today

    from .measure import Timing, count_queries, run_interleaved

    today = local_today()
    # The same set, at two fixed moments (the end of yesterday and of tomorrow, London time),
    # before anything is timed.
    checked = [(day, check_same_set(day)) for day in (today - dt.timedelta(days=1), today + dt.timedelta(days=1))]
    first = Timing("first scan")
    started = time.perf_counter()
    from lantern.standards.services import run_scan

    outcome = run_scan(trigger="bench", today=today, rule_ids=[RULE_ID])[0]
    first.samples.append((time.perf_counter() - started) * 1000)
    queries = {
        "rule": count_queries(rule, today), "sql": count_queries(baseline, today), "query": count_queries(query_only, today),
        "scan": count_queries(scan, today),
    }
    progress(f"  timing the overdue-interview scan ({outcome.open_now:,} overdue) ...")
    now = run_interleaved({"rule": rule, "query": query_only, "scan": scan, "sql": baseline}, [today], reps=reps, warmup=warmup)
    progress("  timing the overdue-interview scan as the next days' daily scans ...")
    days = [today + dt.timedelta(days=1), today + dt.timedelta(days=2)]
    # For information only, and each repetition rewrites every alert: a third of the repetitions.
    daily = run_interleaved({"scan": scan, "sql": baseline}, days, reps=max(3, reps // 3), warmup=min(warmup, 2))
    results = ScanResults(
        now=now, daily=daily, first_scan=first, overdue=outcome.open_now, overdue_closed=overdue_of_closed_children(today),
        opened_first=outcome.opened, checked=checked, queries=queries, reps=reps, warmup=warmup,
    )
    if profile_rule:
        results.profile = profile(rule, today)
    return results
