"""Contacts with the children at register scale, and the no-recent-contact scan (F20,
`F20.no-recent-contact`) against the one hand-written query that finds the same children with
their last contact (issue 6).

`build` adds, after the agenda's risk levels (bench/agenda.py: the rule reads the children at
medium or high risk), `CONTACTS` (1,000,000 at 50,000 children) contacts with plain `INSERT`s
(`RowInserter`, as the rest of the register: no save(), no history rows), from a fixed seed:

- Each child at medium or high risk of sexual or criminal exploitation now has 30 to 90
  contacts; the rest are spread over the other children, a log-normal spread (most a handful,
  a few a hundred or more). All within the last 18 months, never in the future.
- Kinds: 45 % face to face, 25 % phone, 5 % video, 15 % messages, 10 % attempted (the child not
  seen; not a successful contact). Each by one of the agencies working with the child, by one of
  its staff.
- Of the children at risk, about 1 in 6 have had no successful contact for 15 to 90 days, and
  about 1 in 100 none at all (only attempts); the others were seen in the last 12 days.

`check_same` proves, before timing, that the rule's AlertSpecs and the baseline's rows name the
same children with the same last contact (its due date, worked out from the contact's London
date, or from the earliest current medium or high level when there is none).
"""

import datetime as dt
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from lantern.children.models import Child, Involvement
from lantern.contacts.conf import no_contact_days
from lantern.contacts.models import Contact, ContactKind, Place, WithWhom
from lantern.core.dates import LONDON
from lantern.partnership.models import Agency
from lantern.risk.models import RiskDecision

from .data import SEED, RowInserter

RULE_ID = "F20.no-recent-contact"
CONTACTS = 1_000_000  # at 50,000 children
WINDOW_DAYS = 548  # 18 months
KINDS = [ContactKind.FACE_TO_FACE, ContactKind.PHONE, ContactKind.VIDEO, ContactKind.MESSAGE, ContactKind.ATTEMPTED]
KIND_WEIGHTS = [45, 25, 5, 15, 10]
SUMMARIES = [
    "Visited at home; talked about school and who they spend time with.", "Phoned to check in after the weekend.",
    "Saw the child at school with the designated safeguarding lead.", "Messaged to arrange the next visit; the child replied.",
    "Called at the address; no answer.", "Met in the community for a walk and a meal.",
]
PLACES = [Place.HOME, Place.SCHOOL, Place.PLACEMENT, Place.COMMUNITY, ""]


@dataclass
class ContactData:
    counts: Counter = field(default_factory=Counter)


def build(world, *, seed: int = SEED + 30, progress=print) -> ContactData:
    from .agenda import _at_risk_now

    rng = random.Random(seed)
    now = timezone.now().replace(microsecond=0)
    children = list(Child.objects.order_by("pk").values_list("pk", flat=True))
    at_risk = _at_risk_now()
    total = round(CONTACTS * len(children) / 50_000)
    agencies_of: dict[int, list[int]] = defaultdict(list)
    for child_id, agency_id in Involvement.objects.filter(ended_on__isnull=True).values_list("child_id", "agency_id"):
        agencies_of[child_id].append(agency_id)
    names = dict(Agency.objects.values_list("pk", "name"))
    staff = {pk: [u.pk for u in world.staff[name]] for pk, name in names.items() if name in world.staff}
    any_agency = sorted(staff)

    counts: dict[int, int] = {}
    for child_id in at_risk:
        counts[child_id] = rng.randint(30, 90)
    others = [c for c in children if c not in at_risk]
    weights = [rng.lognormvariate(0, 1.1) for _ in others]
    scale = (total - sum(counts.values())) / sum(weights)
    for child_id, w in zip(others, weights):
        counts[child_id] = round(w * scale)

    data = ContactData()
    inserter = RowInserter(Contact, now)
    window = WINDOW_DAYS * 24 * 60
    rows = []

    def flush():
        with transaction.atomic():
            inserter.insert(rows)
        data.counts["contacts"] += len(rows)
        rows.clear()

    for child_id in children:
        n = counts.get(child_id, 0)
        if not n:
            continue
        agencies = [a for a in agencies_of.get(child_id, []) if a in staff] or [rng.choice(any_agency)]
        shape = "normal"
        if child_id in at_risk:
            r = rng.random()
            shape = "never" if r < 0.01 else "gap" if r < 0.17 else "seen"
            data.counts[f"at risk: {shape}"] += 1
        latest_minutes = rng.randint(15 * 24 * 60, 90 * 24 * 60) if shape == "gap" else 0
        for index in range(n):
            kind = rng.choices(KINDS, weights=KIND_WEIGHTS)[0]
            if shape == "never":
                kind = ContactKind.ATTEMPTED
            minutes = rng.randint(latest_minutes, window)
            if shape == "seen" and index == 0:  # seen recently
                minutes = rng.randint(60, 12 * 24 * 60)
                kind = ContactKind.FACE_TO_FACE
            agency = rng.choice(agencies)
            professional = rng.choice(staff[agency])
            successful = kind != ContactKind.ATTEMPTED
            rows.append({
                "child_id": child_id, "agency_id": agency, "professional_id": professional, "recorded_by_id": professional,
                "happened_at": now - dt.timedelta(minutes=minutes), "kind": kind, "successful": successful,
                "with_whom": rng.choice(WithWhom.values) if successful else "", "place": rng.choice(PLACES),
                "summary": rng.choice(SUMMARIES),
            })
            data.counts["attempted" if not successful else "successful"] += 1
        if len(rows) >= 20_000:
            flush()
    flush()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    progress(f"  {data.counts['contacts']:,} contacts ({data.counts['attempted']:,} attempted) written")
    return data


# --- The measures ---------------------------------------------------------------------------


def baseline_sql() -> str:
    t = {m.__name__: m._meta.db_table for m in (Child, Contact, RiskDecision, Agency)}
    return f"""
SELECT s.child_id, k.happened_at, a.name, s.since, s.high FROM (
  SELECT s.child_id, s.since, s.high,
         (SELECT k.id FROM {t['Contact']} k WHERE k.child_id = s.child_id AND k.successful
           ORDER BY k.happened_at DESC, k.id DESC LIMIT 1) AS last_id
    FROM (SELECT d.child_id, MIN(d.decided_at) AS since, MAX(CASE WHEN d.level = 'high' THEN 1 ELSE 0 END) AS high
            FROM {t['RiskDecision']} d
           WHERE d.kind IN ('sexual', 'criminal') AND d.level IN ('medium', 'high')
             AND NOT EXISTS (SELECT 1 FROM {t['RiskDecision']} l WHERE l.child_id = d.child_id AND l.kind = d.kind
                              AND (l.decided_at > d.decided_at OR (l.decided_at = d.decided_at AND l.id > d.id)))
           GROUP BY d.child_id) s
    JOIN {t['Child']} c ON c.id = s.child_id
   WHERE c.closed_at IS NULL) s
LEFT JOIN {t['Contact']} k ON k.id = s.last_id
LEFT JOIN {t['Agency']} a ON a.id = k.agency_id
WHERE k.happened_at < %s OR (k.id IS NULL AND s.since < %s)
ORDER BY s.child_id
"""


SQL = None


def _cutoff(today: dt.date) -> dt.datetime:
    return dt.datetime.combine(today - dt.timedelta(days=no_contact_days() - 1), dt.time.min, tzinfo=LONDON)


def baseline_rows(today: dt.date) -> list[tuple]:
    """The baseline: (child id, last successful contact's time and agency, at risk since, high),
    every row fetched."""
    global SQL
    if SQL is None:
        SQL = baseline_sql()
    cutoff = connection.ops.adapt_datetimefield_value(_cutoff(today))
    with connection.cursor() as cursor:
        cursor.execute(SQL, [cutoff, cutoff])
        return cursor.fetchall()


def rule(today: dt.date) -> list:
    from lantern.contacts.standards import no_recent_contact

    return list(no_recent_contact(today))


def _aware(value):
    if isinstance(value, str):
        from django.utils.dateparse import parse_datetime

        value = parse_datetime(value)
    return value if timezone.is_aware(value) else value.replace(tzinfo=dt.timezone.utc)


def check_same(today: dt.date) -> Counter:
    """Fail unless the rule and the baseline find the same children with the same last contact
    (as the due date each works out from it) and the same urgency."""
    days = no_contact_days()
    expected = {}
    for child_id, seen, agency, since, high in baseline_rows(today):
        moment = _aware(seen if seen is not None else since)
        expected[child_id] = (moment.astimezone(LONDON).date() + dt.timedelta(days=days), bool(high), agency)
    found = {spec.child_id: spec for spec in rule(today)}
    differ = sorted(set(found) ^ set(expected)) or [
        c for c, (due, high, agency) in expected.items()
        if found[c].due_on != due or (found[c].severity == "urgent") != high or (agency and f"by {agency} on" not in found[c].message)
    ]
    if differ:
        spec = found.get(differ[0])
        raise AssertionError(
            f"F20 rule and SQL baseline differ: {len(found)} against {len(expected)} children, for example child {differ[0]}:"
            f" {spec and (spec.due_on, spec.severity, spec.message)} against {expected.get(differ[0])}. Has the rule changed?"
        )
    counts = Counter(children=len(found), never=sum(1 for v in expected.values() if v[2] is None),
                     high=sum(1 for v in expected.values() if v[1]))
    return counts


@dataclass
class ContactResults:
    timings: dict
    found: Counter
    queries: dict
    data: Counter
    reps: int = 0
    warmup: int = 0
    profile: str = ""


def run_measures(built: ContactData, *, reps: int, warmup: int, profile_rule: bool = False, progress=print) -> ContactResults:
    from lantern.core.dates import local_today

    from .measure import count_queries, run_interleaved
    from .missing import profile

    today = local_today()
    found = check_same(today)
    check_same(today + dt.timedelta(days=7))
    queries = {"rule": count_queries(rule, today), "sql": count_queries(baseline_rows, today)}
    progress(f"  timing the no-contact scan ({found['children']:,} children found) ...", flush=True)
    timings = run_interleaved({"rule": rule, "sql": baseline_rows}, [today], reps=reps, warmup=warmup)
    results = ContactResults(timings=timings, found=found, queries=queries, data=built.counts, reps=reps, warmup=warmup)
    if profile_rule:
        results.profile = profile(rule, today)
    return results


def text(results: ContactResults) -> str:
    d, f = results.data, results.found
    return (
        f"- Contacts (`bench/contacts.py`): {d['contacts']:,} contacts over 18 months, {d['attempted']:,} of them attempted"
        f" (the child not seen). The children at medium or high risk have 30 to 90 each: {d['at risk: seen']:,} seen in the"
        f" last 12 days, {d['at risk: gap']:,} not for 15 to 90 days, {d['at risk: never']:,} never successfully. Before"
        f" timing, rule `F20.no-recent-contact` and the SQL baseline found the same {f['children']:,} children with the"
        f" same last contact and urgency ({f['never']:,} never seen, {f['high']:,} at high risk), today and a week on."
        f" The measures ran {results.reps} times each after {results.warmup} warm-up, interleaved."
    )
