"""The network at scale (issue 8): 100,000 nodes and 1,000,000 links, and the depth-2
neighbourhood, the connected components and the hotspot ranking (F30) over them.

`build` writes, with plain `INSERT`s (`RowInserter`: no services, no history rows), from a fixed
seed, scaled with the number of children (at 50,000):

- 100,000 nodes: 10,000 of the register's children (the children at medium or high risk among
  them first), 45,000 persons of concern, 25,000 locations, 12,000 vehicles and 8,000 businesses,
  each kind with its own details row; every label is unique.
- 1,000,000 links with the lower node id first. Both ends are drawn by weight: each node's weight
  is Pareto-distributed (capped), so most nodes have a handful of links and some a few hundred,
  and 12 hubs (a bus station, the town centre, a retail park, a few prolific persons, a taxi
  firm, a takeaway, a car) have 2,000 to 8,000 links each. The link type follows the kinds of the
  two ends (a child and a place: found at, goes to, lives at; a person and a vehicle: drives;
  two children: peers ...). First and last seen within three years, about 3 % with neither
  (dated by when recorded); about 5 % ended.

The measures: `neighbourhood(node, depth=2)` for a node of median degree and for the busiest
node; `components` over every live link (read through the ORM, as `groups_of_children` reads
them), `groups_of_children` through every kind and through persons and vehicles only (the groups
page as it opens); `hotspots(since, until)` for the last 90 days
against one hand-written query ranking the same places the same way (checked equal first).
"""

import datetime as dt
import itertools
import random
import statistics
from collections import Counter
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from lantern.children.models import Child
from lantern.network.models import (
    Business, BusinessKind, HandlingCode, IntelligenceAssessment, Link, LinkType, Location, LocationKind, Node, NodeKind,
    PersonOfConcern, SourceEvaluation, SourceRecord, Vehicle,
)

from .data import AREAS, HUB_AGENCY, POLICE_AGENCY, SEED, RowInserter, surname

NODES = 100_000
LINKS = 1_000_000
SHARES = [(NodeKind.CHILD, 0.10), (NodeKind.PERSON, 0.45), (NodeKind.LOCATION, 0.25), (NodeKind.VEHICLE, 0.12), (NodeKind.BUSINESS, 0.08)]
HUBS = [  # kind, label, links (at full size)
    (NodeKind.LOCATION, "Brackenford bus station", 8000), (NodeKind.LOCATION, "Brackenford town centre", 6000),
    (NodeKind.LOCATION, "Millbrook retail park", 4000), (NodeKind.LOCATION, "Riverside skate park", 3000),
    (NodeKind.LOCATION, "Northgate railway station", 3000), (NodeKind.LOCATION, "Eastholme recreation ground", 2000),
    (NodeKind.PERSON, "Dean Harrowby", 5000), (NodeKind.PERSON, "Kyle Stanmoor", 3000), (NodeKind.PERSON, "Marcus Fenwick", 2000),
    (NodeKind.BUSINESS, "Star Cars private hire", 4000), (NodeKind.BUSINESS, "Chicken Spot takeaway", 2500),
    (NodeKind.VEHICLE, "BF19 XKR", 2000),
]
WEIGHT_CAP = 60.0
PERIOD_DAYS = 90

# The link types two kinds of node may have, either way round.
TYPES = {
    frozenset({NodeKind.CHILD}): [LinkType.PEER, LinkType.PEER, LinkType.CONTACTS_ONLINE],
    frozenset({NodeKind.CHILD, NodeKind.PERSON}): [LinkType.ASSOCIATES, LinkType.SEEN_WITH, LinkType.EXPLOITS, LinkType.SUPPLIES,
                                                   LinkType.CONTACTS_ONLINE],
    frozenset({NodeKind.CHILD, NodeKind.LOCATION}): [LinkType.FOUND_AT, LinkType.FOUND_AT, LinkType.FREQUENTS, LinkType.LIVES_AT],
    frozenset({NodeKind.CHILD, NodeKind.BUSINESS}): [LinkType.FREQUENTS, LinkType.FOUND_AT, LinkType.WORKS_AT],
    frozenset({NodeKind.CHILD, NodeKind.VEHICLE}): [LinkType.SEEN_WITH, LinkType.FOUND_AT],
    frozenset({NodeKind.PERSON}): [LinkType.ASSOCIATES, LinkType.SEEN_WITH],
    frozenset({NodeKind.PERSON, NodeKind.LOCATION}): [LinkType.LIVES_AT, LinkType.FREQUENTS, LinkType.SEEN_WITH],
    frozenset({NodeKind.PERSON, NodeKind.BUSINESS}): [LinkType.WORKS_AT, LinkType.FREQUENTS],
    frozenset({NodeKind.PERSON, NodeKind.VEHICLE}): [LinkType.DRIVES, LinkType.REGISTERED_TO],
}
LOCATION_WORDS = ["Road", "Street", "Close", "Lane", "Park", "Court", "Avenue", "Walk"]


@dataclass
class NetworkData:
    typical: int = 0
    typical_degree: int = 0
    busy: int = 0
    busy_degree: int = 0
    counts: Counter = field(default_factory=Counter)


def build(world, *, seed: int = SEED + 40, progress=print) -> NetworkData:
    from .agenda import _at_risk_now

    rng = random.Random(seed)
    now = timezone.now().replace(microsecond=0)
    today = timezone.localdate()
    scale = world.children / 50_000
    total_nodes = max(500, round(NODES * scale))
    total_links = max(5000, round(LINKS * scale))
    creator = world.hub.pk
    staff = {a.name: [u.pk for u in world.staff[a.name]] for a in world.agencies}
    agency_ids = {a.name: a.pk for a in world.agencies}
    sources = [(agency_ids[POLICE_AGENCY], u) for u in staff[POLICE_AGENCY]] * 3 + [(agency_ids[HUB_AGENCY], u) for u in staff[HUB_AGENCY]]

    children = list(Child.objects.order_by("pk").values_list("pk", "legal_first_name", "legal_last_name"))
    at_risk = _at_risk_now()
    wanted = round(total_nodes * SHARES[0][1])
    chosen = [c for c in children if c[0] in at_risk] + rng.sample([c for c in children if c[0] not in at_risk], len(children) - len(at_risk))
    chosen = chosen[:wanted]

    next_id = (Node.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    nodes, details = [], {PersonOfConcern: [], Location: [], Vehicle: [], Business: []}
    kinds: list[str] = []

    def add(kind, label, child_id=None):
        node_id = next_id + len(nodes)
        nodes.append({"id": node_id, "kind": kind, "child_id": child_id, "label": label})
        kinds.append(kind)
        if kind == NodeKind.PERSON:
            details[PersonOfConcern].append({"node_id": node_id, "name": label, "created_by_id": creator,
                                             "estimated_age": rng.randint(17, 45)})
        elif kind == NodeKind.LOCATION:
            details[Location].append({"node_id": node_id, "name": label, "kind": rng.choice(LocationKind.values), "created_by_id": creator,
                                      "address": label})
        elif kind == NodeKind.VEHICLE:
            details[Vehicle].append({"node_id": node_id, "registration": label, "created_by_id": creator, "make": "Ford", "colour": "Silver"})
        elif kind == NodeKind.BUSINESS:
            details[Business].append({"node_id": node_id, "name": label, "kind": rng.choice(BusinessKind.values), "created_by_id": creator})
        return node_id

    hub_ids = [(add(kind, label), links) for kind, label, links in HUBS]
    for child_id, first, last in chosen:
        add(NodeKind.CHILD, f"{first} {last}", child_id)
    serial = itertools.count(1)
    for kind, share in SHARES[1:]:
        for _ in range(round(total_nodes * share) - sum(1 for k, *_ in HUBS if k == kind)):
            n = next(serial)
            if kind == NodeKind.PERSON:
                label = f"{rng.choice(['Jay', 'Liam', 'Connor', 'Ryan', 'Tom', 'Amir', 'Leon', 'Shane', 'Kelly', 'Gemma'])} {surname(rng)} ({n})"
            elif kind == NodeKind.LOCATION:
                label = f"{n} {surname(rng)} {rng.choice(LOCATION_WORDS)}, {rng.choice(AREAS)}"
            elif kind == NodeKind.VEHICLE:
                label = f"B{n % 10}{n // 10 % 10} {n:05d}"
            else:
                label = f"{surname(rng)} {rng.choice(['Cars', 'Kebabs', 'Stores', 'Hotel', 'Bar', 'Vapes'])} ({n})"
            add(kind, label)
    with transaction.atomic():
        RowInserter(Node, now).insert(nodes)
        for model, rows in details.items():
            RowInserter(model, now).insert(rows)

    # Weights: Pareto, capped, with the hubs set to their number of links.
    count = len(nodes)
    weights = [min(WEIGHT_CAP, rng.paretovariate(1.3)) for _ in range(count)]
    base = sum(weights)
    hub_total = sum(round(links * scale) for _, links in hub_ids)
    per_weight = (2 * total_links - hub_total) / base  # link ends per unit of weight, outside the hubs
    for node_id, links in hub_ids:
        weights[node_id - next_id] = round(links * scale) / per_weight
    cum = list(itertools.accumulate(weights))
    ends = rng.choices(range(count), cum_weights=cum, k=2 * total_links + total_links // 10)
    inserter = RowInserter(Link, now)
    rows = []
    degree = Counter()
    data = NetworkData()
    pairs = iter(zip(ends[0::2], ends[1::2]))
    written = 0
    while written < total_links:
        x, y = next(pairs)
        if x == y:
            continue
        kx, ky = kinds[x], kinds[y]
        key = frozenset({kx, ky})
        if key not in TYPES:  # place-place, vehicle-vehicle ...: associated in some other way
            link_type = LinkType.OTHER
        else:
            link_type = rng.choice(TYPES[key])
        a, b = sorted((x + next_id, y + next_id))
        if rng.random() < 0.03:
            first = last = None
        else:
            first = today - dt.timedelta(days=rng.randint(0, 3 * 365))
            last = min(today, first + dt.timedelta(days=int(rng.expovariate(1 / 60))))
        ended = rng.random() < 0.05
        agency, recorder = rng.choice(sources)
        rows.append({
            "a_id": a, "b_id": b, "link_type": link_type, "first_seen": first, "last_seen": last, "source_agency_id": agency,
            "source_record": rng.choice(SourceRecord.values), "source_evaluation": rng.choice(SourceEvaluation.values),
            "intelligence_assessment": rng.choice(IntelligenceAssessment.values),
            "handling_code": HandlingCode.LAWFUL_SHARING if rng.random() < 0.9 else HandlingCode.CONDITIONS,
            "recorded_by_id": recorder, "ended_at": now - dt.timedelta(days=rng.randint(1, 300)) if ended else None,
            "ended_reason": "Found to be wrong." if ended else "",
            "created_at": now - dt.timedelta(days=rng.randint(0, 3 * 365)) if first is None else now,
        })
        written += 1
        data.counts["ended" if ended else "live"] += 1
        if not ended:
            degree[a] += 1
            degree[b] += 1
        if len(rows) >= 20_000:
            with transaction.atomic():
                inserter.insert(rows)
            rows.clear()
    with transaction.atomic():
        inserter.insert(rows)
    if connection.vendor == "postgresql":
        from django.core.management.color import no_style

        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [Node]):
                cursor.execute(sql)
            cursor.execute("ANALYZE")

    # The typical node: a node of median degree (of the nodes with any live link); the busy one: the busiest.
    linked = sorted(degree.values())
    median = linked[len(linked) // 2]
    data.typical = min(n for n, d in degree.items() if d == median and kinds[n - next_id] == NodeKind.PERSON)
    data.typical_degree = median
    data.busy, data.busy_degree = degree.most_common(1)[0]
    data.counts.update(nodes=count, links=written, linked=len(linked), hubs=len(hub_ids), children=len(chosen),
                       mean_degree=round(statistics.mean(linked)), over_1000=sum(1 for d in linked if d >= 1000),
                       at_most_10=sum(1 for d in linked if d <= 10))
    progress(f"  {count:,} nodes and {written:,} links ({data.counts['ended']:,} ended) written; median degree {median},"
             f" busiest {data.busy_degree:,}")
    return data


# --- The measures ---------------------------------------------------------------------------


def _seen_sql() -> str:
    created = "date(created_at)" if connection.vendor == "sqlite" else "(created_at AT TIME ZONE 'UTC')::date"
    return f"COALESCE(last_seen, first_seen, {created})"


def hotspot_sql() -> str:
    """One statement: the places, with the children linked to each directly or through a person or
    vehicle, the found-at links of children in the period and the links in the period, ranked."""
    link, node = Link._meta.db_table, Node._meta.db_table
    seen = _seen_sql()
    return f"""
WITH e AS (
  SELECT a_id AS x, b_id AS y, link_type, {seen} AS seen FROM {link} WHERE ended_at IS NULL
  UNION ALL
  SELECT b_id, a_id, link_type, {seen} FROM {link} WHERE ended_at IS NULL
),
place AS (SELECT id, label FROM {node} WHERE kind IN ('location', 'business')),
mid AS (
  SELECT DISTINCT e.x AS place_id, e.y AS m FROM e JOIN place p ON p.id = e.x
    JOIN {node} m ON m.id = e.y AND m.kind IN ('person', 'vehicle')
),
reached AS (
  SELECT e.x AS place_id, e.y AS child FROM e JOIN place p ON p.id = e.x JOIN {node} c ON c.id = e.y AND c.kind = 'child'
  UNION
  SELECT mid.place_id, l.b_id FROM mid JOIN {link} l ON l.a_id = mid.m AND l.ended_at IS NULL
    JOIN {node} c ON c.id = l.b_id AND c.kind = 'child'
  UNION
  SELECT mid.place_id, l.a_id FROM mid JOIN {link} l ON l.b_id = mid.m AND l.ended_at IS NULL
    JOIN {node} c ON c.id = l.a_id AND c.kind = 'child'
),
kids AS (SELECT place_id, COUNT(*) AS n FROM reached GROUP BY place_id),
stats AS (
  SELECT e.x AS place_id,
         SUM(CASE WHEN e.seen BETWEEN %s AND %s THEN 1 ELSE 0 END) AS recent,
         SUM(CASE WHEN e.seen BETWEEN %s AND %s AND e.link_type = 'found_at' AND o.kind = 'child' THEN 1 ELSE 0 END) AS found
    FROM e JOIN place p ON p.id = e.x JOIN {node} o ON o.id = e.y GROUP BY e.x
)
SELECT p.id, p.label, COALESCE(k.n, 0) AS children, COALESCE(s.found, 0) AS episodes, COALESCE(s.recent, 0) AS recent
  FROM place p LEFT JOIN kids k ON k.place_id = p.id LEFT JOIN stats s ON s.place_id = p.id
 WHERE COALESCE(k.n, 0) > 0 OR COALESCE(s.found, 0) > 0 OR COALESCE(s.recent, 0) > 0
 ORDER BY children DESC, episodes DESC, recent DESC, p.label, p.id
"""


def hotspot_rows(period: tuple) -> list[tuple]:
    since, until = period
    adapt = connection.ops.adapt_datefield_value
    with connection.cursor() as cursor:
        cursor.execute(hotspot_sql(), [adapt(since), adapt(until)] * 2)
        return cursor.fetchall()


def hotspots(period: tuple) -> list:
    from lantern.network.selectors import hotspots as ranked

    since, until = period
    return ranked(since=since, until=until)


def check_hotspots(period: tuple) -> int:
    mine = [(h.node.pk, h.children, h.episodes, h.recent_links) for h in hotspots(period)]
    theirs = [(pk, int(c), int(e), int(r)) for pk, _, c, e, r in hotspot_rows(period)]
    if mine != theirs:
        index = next((i for i, (m, t) in enumerate(zip(mine, theirs)) if m != t), min(len(mine), len(theirs)))
        raise AssertionError(
            f"hotspots and the SQL baseline rank differently: {len(mine)} against {len(theirs)} places; first difference at"
            f" {index}: {mine[index:index + 1]} against {theirs[index:index + 1]}. Has the selector changed?"
        )
    return len(mine)


def neighbourhood(node_id: int):
    from lantern.network.selectors import neighbourhood as around

    return around(node_id, depth=2)


def all_components(_=None) -> list:
    from lantern.network.selectors import components, live_links

    return components(list(live_links().values_list("a_id", "b_id")))


def groups_every_kind(_=None) -> list:
    from lantern.network.selectors import groups_of_children

    return groups_of_children(through={NodeKind.PERSON, NodeKind.VEHICLE, NodeKind.LOCATION, NodeKind.BUSINESS})


def groups_default(_=None) -> list:
    """The groups page as it opens: through persons of concern and vehicles only."""
    from lantern.network.selectors import groups_of_children

    return groups_of_children()


@dataclass
class NetworkResults:
    timings: dict
    facts: dict
    queries: dict
    data: NetworkData
    errors: dict = field(default_factory=dict)
    profile: str = ""


def _timed_once(fn, value=None) -> tuple:
    import time

    from .measure import Timing

    started = time.perf_counter()
    result = fn(value)
    timing = Timing(fn.__name__)
    timing.samples.append((time.perf_counter() - started) * 1000)
    return result, timing


PARTS = ("neighbourhood", "components", "groups", "hotspots")


def run_measures(built: NetworkData, *, reps: int, warmup: int, heavy_reps: int = 3, profile_hotspots: bool = False,
                 parts=PARTS, progress=print) -> NetworkResults:
    """Time the network's measures; `parts` (BENCH_NETWORK_PARTS) chooses which, to re-measure one
    after a change without the half hour of the hotspot ranking against its SQL baseline."""
    from .measure import count_queries, run_interleaved
    from .missing import profile

    today = timezone.localdate()
    period = (today - dt.timedelta(days=PERIOD_DAYS), today)
    facts = {"period": period}
    queries, timings, errors = {}, {}, {}
    if "hotspots" in parts:
        facts["places"] = check_hotspots(period)
    if "neighbourhood" in parts:
        typical, busy = neighbourhood(built.typical), neighbourhood(built.busy)
        facts.update(typical_nodes=len(typical.nodes), typical_links=len(typical.links), typical_truncated=typical.truncated,
                     busy_nodes=len(busy.nodes), busy_links=len(busy.links), busy_truncated=busy.truncated)
        queries.update(typical=count_queries(neighbourhood, built.typical), busy=count_queries(neighbourhood, built.busy))
        progress("  timing the neighbourhoods ...", flush=True)
        timings.update(run_interleaved({"typical": neighbourhood}, [built.typical], reps=reps, warmup=warmup))
        timings.update(run_interleaved({"busy": neighbourhood}, [built.busy], reps=max(3, reps // 3), warmup=min(warmup, 2)))
    if "components" in parts:
        progress("  timing the components ...", flush=True)
        found = all_components()
        facts.update(components=len(found), largest=max(len(c) for c in found))
        timings.update(run_interleaved({"components": all_components}, [None], reps=heavy_reps, warmup=1))
    if "groups" in parts:
        progress("  timing the groups ...", flush=True)
        try:
            groups = groups_every_kind()
            facts.update(groups=len(groups), largest_group=max((len(g.children) for g in groups), default=0))
            timings.update(run_interleaved({"groups": groups_every_kind}, [None], reps=heavy_reps, warmup=0))
        except Exception as error:  # noqa: BLE001 - reported as a finding, not a crash of the bench
            errors["groups"] = f"{type(error).__name__}: {error}"
            progress(f"  groups_of_children(through every kind) failed: {errors['groups']}")
        try:
            default = groups_default()
            facts.update(groups_default=len(default), largest_default=max((len(g.children) for g in default), default=0))
            timings.update(run_interleaved({"groups_default": groups_default}, [None], reps=heavy_reps, warmup=0))
        except Exception as error:  # noqa: BLE001 - reported as a finding, not a crash of the bench
            errors["groups_default"] = f"{type(error).__name__}: {error}"
            progress(f"  groups_of_children() (persons and vehicles) failed: {errors['groups_default']}")
    if "hotspots" in parts:
        queries.update(hotspots=count_queries(hotspots, period), sql=count_queries(hotspot_rows, period))
        progress(f"  timing the hotspots ({facts['places']:,} places ranked) ...", flush=True)
        timings.update(run_interleaved({"hotspots": hotspots, "sql": hotspot_rows}, [period], reps=heavy_reps + 2, warmup=1))
    results = NetworkResults(timings=timings, facts=facts, queries=queries, data=built, errors=errors)
    if profile_hotspots:
        results.profile = (profile(hotspots, period, top=15) if "hotspots" in parts else "") + profile(groups_every_kind, None, top=10)
    return results


def text(results: NetworkResults) -> str:
    d, f, c = results.data, results.facts, results.data.counts
    since, until = f["period"]
    out = (
        f"- Network (`bench/network.py`): {c['nodes']:,} nodes ({c['children']:,} of them children) and {c['links']:,} links"
        f" ({c['ended']:,} ended). Of the {c['linked']:,} nodes with live links, {c['at_most_10']:,} have 10 or fewer and"
        f" {c['over_1000']} have 1,000 or more (the {c['hubs']} hubs); mean {c['mean_degree']}, median {d.typical_degree}."
    )
    limit = " (truncated at the limit: 2,000 nodes, or 4,000 links read in a step)"
    if "typical_nodes" in f:
        out += (
            f" The typical node ({d.typical}, a person, {d.typical_degree} live links) has {f['typical_nodes']:,} nodes and"
            f" {f['typical_links']:,} links within 2 steps{limit if f['typical_truncated'] else ''};"
            f" the busiest ({d.busy}, {d.busy_degree:,} live links) {f['busy_nodes']:,} nodes and {f['busy_links']:,} links"
            f"{limit if f['busy_truncated'] else ''}."
        )
    if "components" in f:
        out += f" The live links form {f['components']:,} components, the largest of {f['largest']:,} nodes."
    if "groups" in f:
        out += f" `groups_of_children` through every kind found {f['groups']:,} groups (the largest with {f['largest_group']:,} children)."
    elif "groups" in results.errors:
        out += f" `groups_of_children` through every kind failed: {results.errors['groups']}."
    if "groups_default" in f:
        out += (f" Through persons and vehicles only (the groups page as it opens) it found {f['groups_default']:,} groups (the largest"
                f" with {f['largest_default']:,} children).")
    if "places" in f:
        out += (f" Before timing, `hotspots` and the SQL baseline ranked the same {f['places']:,} places the same way"
                f" ({since:%d %B} to {until:%d %B %Y}).")
    return out
