"""Every read of the network that leaves the app, scoped by who is asking.

The analysis (neighbourhoods, shared persons, connected groups, hotspots) is for those who see
the intelligence: the police and the hub. Other agencies see, on the page of a child they work
with, the persons of concern the child is linked to, by name, and what agencies must do.
"""

import datetime as dt
from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Count, Q
from django.http import Http404

from lantern.children.models import AccessPurpose, Child
from lantern.children.services import log_child_reads

from .models import Disruption, DisruptionKind, DisruptionResult, Link, NetworkAccess, Node, NodeKind, PersonOfConcern
from .rules import sees_disruption_summary, sees_intelligence

# Access -----------------------------------------------------------------------------------------


def access_node(user, node_id, *, path: str = "") -> Node:
    """A person, location, vehicle or business, for the police and the hub, with the view
    logged; otherwise 404. (A child's node is reached through the child's page.)"""
    try:
        pk = int(node_id)
    except (TypeError, ValueError):
        raise Http404("Not found") from None
    node = Node.objects.filter(pk=pk).exclude(kind=NodeKind.CHILD).first()
    if node is None or not user.is_authenticated or not sees_intelligence(user):
        raise Http404("Not found")
    NetworkAccess.objects.create(node=node, user=user, path=path[:300], full_intelligence=True)
    return node


class Shown(NamedTuple):
    """A record shown on a page, for `log_reads`, when its node is not at hand."""

    pk: int
    kind: str
    child_id: int | None = None


def log_reads(user, nodes, *, path: str = "", purpose: str = AccessPurpose.PAGE, exclude: int | None = None) -> None:
    """Log a read of every record a page or download shows: each child's in the children's access
    log (as every read of a child's record is), each person's, place's, vehicle's or business's in
    the network's. Two inserts at most, whatever the number shown. `nodes`: nodes, or anything
    with their `pk`, `kind` and `child_id`; `exclude`: a node whose read is already logged (the
    centre of a network view)."""
    if not user.is_authenticated:
        return
    children, others, seen = [], [], set()
    for node in nodes:
        if node.pk == exclude or node.pk in seen:
            continue
        seen.add(node.pk)
        if node.kind == NodeKind.CHILD:
            children.append(Child(pk=node.child_id))
        else:
            others.append(NetworkAccess(node_id=node.pk, user=user, path=path[:300], full_intelligence=True))
    if children:
        log_child_reads(user=user, children=children, purpose=purpose, path=path)
    if others:
        NetworkAccess.objects.bulk_create(others, batch_size=2000)


def live_links() -> "Link.objects":
    return Link.objects.filter(ended_at__isnull=True)


def search_records(user, text: str, *, limit: int = 50) -> list[Node]:
    """Persons, places, vehicles and businesses whose name, other names, address or registration
    contain the words searched for: for the police and the hub only. One query."""
    if not user.is_authenticated or not sees_intelligence(user):
        raise Http404("Not found")
    text = " ".join((text or "").split())
    if not text:
        return []
    registration = "".join(text.upper().split())
    condition = (
        Q(label__icontains=text) | Q(person__aliases__icontains=text) | Q(person__police_reference__iexact=text)
        | Q(location__address__icontains=text) | Q(vehicle__registration__icontains=registration)
    )
    return list(Node.objects.exclude(kind=NodeKind.CHILD).filter(condition).distinct().order_by("kind", "label", "pk")[:limit])


# The child's page -------------------------------------------------------------------------------


@dataclass
class ChildLink:
    node: Node
    link: Link
    guidance: str = ""


def child_links_section(user, child: Child) -> dict:
    """The "People and places" section of the child page: every live link from the child. The
    police and the hub see the grading and source; others see the name, the kind of link and
    what agencies must do. Two queries."""
    node = Node.objects.filter(child=child).first()
    full = bool(sees_intelligence(user))
    if node is None:
        return {"links": [], "full": full, "child": child}
    links = list(
        live_links().filter(Q(a=node) | Q(b=node)).select_related("a", "b", "a__person", "b__person", "source_agency").order_by("-last_seen", "-id")
    )
    rows = []
    for link in links:
        other = link.b if link.a_id == node.pk else link.a
        person = getattr(other, "person", None) if other.kind == NodeKind.PERSON else None
        rows.append(ChildLink(node=other, link=link, guidance=person.guidance if person else ""))
    return {"links": rows, "full": full, "child": child}


# Neighbourhood ----------------------------------------------------------------------------------


@dataclass
class Graph:
    nodes: list
    links: list
    centre: int
    truncated: bool = False


def _filtered(link_types=None, since: dt.date | None = None, until: dt.date | None = None, grades: set | None = None):
    qs = live_links()
    if link_types:
        qs = qs.filter(link_type__in=list(link_types))
    if since is not None:
        qs = qs.filter(Q(last_seen__isnull=True) | Q(last_seen__gte=since))
    if until is not None:
        qs = qs.filter(Q(first_seen__isnull=True) | Q(first_seen__lte=until))
    if grades:
        qs = qs.filter(intelligence_assessment__in=sorted(grades))
    return qs


LINK_COLUMNS = ("pk", "a_id", "b_id", "link_type", "intelligence_assessment", "source_evaluation", "first_seen", "last_seen")


def neighbourhood(node_id: int, *, depth: int = 2, link_types=None, since=None, until=None, grades=None, limit: int = 2000) -> Graph:
    """The nodes within `depth` links of a node and the links among them, breadth first: one
    query per step, whatever the size of the network. A step through a node with thousands of
    links (a bus station, a hub of the network) reads at most twice `limit` links, the most
    recently seen first, and the graph is then marked truncated: no one can read a drawing of
    thousands of nodes, and the filters narrow it."""
    links_qs = _filtered(link_types, since, until, grades).order_by("-last_seen", "-pk")
    budget = 2 * limit
    seen = {node_id}
    frontier = {node_id}
    found: dict[int, tuple] = {}
    truncated = False
    for _ in range(max(0, depth)):
        if not frontier:
            break
        rows = list(links_qs.filter(Q(a_id__in=frontier) | Q(b_id__in=frontier)).values_list(*LINK_COLUMNS)[:budget])
        next_frontier = set()
        for row in rows:
            found[row[0]] = row
            for end in (row[1], row[2]):
                if end not in seen:
                    next_frontier.add(end)
        seen |= next_frontier
        frontier = next_frontier
        if len(rows) >= budget or len(seen) > limit:
            truncated = True
            break
    # Links among the nodes found that were not on the way (a triangle closing at the last step):
    # the links of earlier steps' nodes are all found, so only those between the last step's are missing.
    if frontier and not truncated:
        for row in links_qs.filter(a_id__in=frontier, b_id__in=frontier).values_list(*LINK_COLUMNS)[:budget]:
            found[row[0]] = row
    nodes = {n.pk: n for n in Node.objects.filter(pk__in=seen)}
    links = [row for row in found.values() if row[1] in nodes and row[2] in nodes]
    return Graph(nodes=sorted(nodes.values(), key=lambda n: (n.pk != node_id, n.kind, n.label)), links=links, centre=node_id, truncated=truncated)


# Shared persons and groups (F29) ------------------------------------------------------------------


def _child_person_pairs(since: dt.date | None = None) -> list[tuple[int, int]]:
    """(child node, person node) for every live link between a child and a person. One query."""
    qs = live_links().filter(
        (Q(a__kind=NodeKind.CHILD) & Q(b__kind=NodeKind.PERSON)) | (Q(a__kind=NodeKind.PERSON) & Q(b__kind=NodeKind.CHILD))
    )
    if since is not None:
        qs = qs.filter(Q(last_seen__isnull=True) | Q(last_seen__gte=since))
    pairs = []
    for a, a_kind, b in qs.values_list("a_id", "a__kind", "b_id"):
        pairs.append((a, b) if a_kind == NodeKind.CHILD else (b, a))
    return pairs


@dataclass
class SharedPerson:
    person: PersonOfConcern
    children: list


def shared_persons(*, min_children: int = 2) -> list[SharedPerson]:
    """Persons of concern linked to `min_children` or more children, most children first. Three queries."""
    by_person: dict[int, set[int]] = defaultdict(set)
    for child_node, person_node in _child_person_pairs():
        by_person[person_node].add(child_node)
    wanted = {p: c for p, c in by_person.items() if len(c) >= min_children}
    persons = {p.node_id: p for p in PersonOfConcern.objects.filter(node_id__in=list(wanted))}
    children = {n.pk: n for n in Node.objects.filter(pk__in={c for cs in wanted.values() for c in cs}).select_related("child")}
    out = [SharedPerson(person=persons[p], children=sorted((children[c] for c in cs), key=lambda n: n.label)) for p, cs in wanted.items()]
    out.sort(key=lambda s: (-len(s.children), s.person.name))
    return out


@dataclass
class Group:
    children: list  # child nodes
    nodes: list  # every node in the group
    edges: list = field(default_factory=list)  # (a, b) node ids of the links that join it
    link_types: dict = field(default_factory=dict)  # (a, b) -> the link's type (the latest, if several)


def components(edges: list[tuple[int, int]]) -> list[set[int]]:
    """Connected components of an undirected graph given as edges (union-find)."""
    parent: dict[int, int] = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[rb] = ra
    groups: dict[int, set[int]] = defaultdict(set)
    for x in list(parent):
        groups[find(x)].add(x)
    return list(groups.values())


def shortest_path(edges: list[tuple[int, int]], start: int, goal: int) -> list[int]:
    """The nodes on a shortest path from start to goal (breadth first), or [] if none."""
    adjacent: dict[int, list[int]] = defaultdict(list)
    for a, b in edges:
        adjacent[a].append(b)
        adjacent[b].append(a)
    previous = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            path = []
            while node is not None:
                path.append(node)
                node = previous[node]
            return path[::-1]
        for nxt in adjacent[node]:
            if nxt not in previous:
                previous[nxt] = node
                queue.append(nxt)
    return []


DEFAULT_THROUGH = frozenset({NodeKind.PERSON, NodeKind.VEHICLE})


def groups_of_children(*, through=DEFAULT_THROUGH) -> list[Group]:
    """Groups of two or more children connected through the kinds of record in `through` (by
    default persons of concern and vehicles), or as peers: the connected components, holding two
    or more children, of the network of those records. A bus station or a park many children pass
    through would join nearly everyone, so places and businesses join groups only when asked.
    Two queries."""
    allowed = {NodeKind.CHILD, *through}
    kinds = dict(Node.objects.values_list("pk", "kind"))
    latest: dict[tuple[int, int], tuple] = {}  # (a, b) -> (last seen, id, type) of the pair's latest link
    for a, b, link_type, last_seen, pk in live_links().order_by().values_list("a_id", "b_id", "link_type", "last_seen", "id"):
        if kinds.get(a) in allowed and kinds.get(b) in allowed:
            key = (last_seen or dt.date.min, pk)
            held = latest.get((a, b))
            if held is None or key > held[:2]:
                latest[(a, b)] = (*key, link_type)
    rows = list(latest)
    link_types = {pair: held[2] for pair, held in latest.items()}
    found = []
    for members in components(rows):
        child_ids = [n for n in members if kinds.get(n) == NodeKind.CHILD]
        if len(child_ids) >= 2:
            found.append((members, child_ids))
    group_of = {n: index for index, (members, _) in enumerate(found) for n in members}
    nodes = {n.pk: n for n in Node.objects.filter(pk__in=list(group_of)).select_related("child")}
    edges: dict[int, list] = defaultdict(list)
    for a, b in rows:
        if a in group_of:
            edges[group_of[a]].append((a, b))
    out = []
    for index, (members, child_ids) in enumerate(found):
        out.append(Group(children=sorted((nodes[c] for c in child_ids), key=lambda n: n.label),
                         nodes=sorted((nodes[n] for n in members), key=lambda n: (n.kind, n.label)), edges=edges[index],
                         link_types={edge: link_types[edge] for edge in edges[index]}))
    out.sort(key=lambda g: (-len(g.children), g.children[0].label))
    return out


# Hotspots (F30) -----------------------------------------------------------------------------------


@dataclass
class Hotspot:
    node: Node
    children: int
    episodes: int
    recent_links: int


def hotspots(*, since: dt.date, until: dt.date) -> list[Hotspot]:
    """Locations and businesses ranked by the number of children linked to them, then the
    missing episodes in which a child was found there, then the links recorded in the period.
    A child counts for a place when linked to it directly, or through a person or vehicle linked
    to it. Three queries, and one pass over the links: each person's and vehicle's children are
    gathered once, whatever the number of places they are linked to."""
    kinds = dict(Node.objects.values_list("pk", "kind"))
    place_kinds = (NodeKind.LOCATION, NodeKind.BUSINESS)
    middle_kinds = (NodeKind.PERSON, NodeKind.VEHICLE)
    direct: dict[int, set[int]] = defaultdict(set)  # place -> children linked to it
    middles: dict[int, set[int]] = defaultdict(set)  # place -> persons and vehicles linked to it
    children_of: dict[int, set[int]] = defaultdict(set)  # person or vehicle -> children linked to them
    recent: dict[int, int] = defaultdict(int)
    episodes: dict[int, int] = defaultdict(int)
    for a, b, link_type, first_seen, last_seen, created_at in live_links().values_list(
        "a_id", "b_id", "link_type", "first_seen", "last_seen", "created_at"
    ).order_by():
        kind_a, kind_b = kinds.get(a), kinds.get(b)
        seen = last_seen or first_seen or created_at.date()
        in_period = since <= seen <= until
        for place, place_kind, other, other_kind in ((a, kind_a, b, kind_b), (b, kind_b, a, kind_a)):
            if place_kind in place_kinds:
                if in_period:
                    recent[place] += 1
                if other_kind == NodeKind.CHILD:
                    direct[place].add(other)
                    if link_type == "found_at" and in_period:
                        episodes[place] += 1
                elif other_kind in middle_kinds:
                    middles[place].add(other)
            elif place_kind in middle_kinds and other_kind == NodeKind.CHILD:
                children_of[place].add(other)
    counts = {}
    for place in set(direct) | set(middles) | set(recent):
        children = set(direct.get(place, ()))
        for middle in middles.get(place, ()):
            children |= children_of.get(middle, set())
        if children or episodes[place] or recent[place]:
            counts[place] = len(children)
    if not counts:
        return []
    nodes = {n.pk: n for n in Node.objects.filter(kind__in=place_kinds).select_related("location", "business") if n.pk in counts}
    out = [Hotspot(node=nodes[place], children=n, episodes=episodes[place], recent_links=recent[place]) for place, n in counts.items()]
    out.sort(key=lambda h: (-h.children, -h.episodes, -h.recent_links, h.node.label))
    return out


# Profiles and disruption (F31) ----------------------------------------------------------------------


def profile(node: Node) -> dict:
    """Everything linked to a person (or place), over time, and the disruption against them."""
    links = list(live_links().filter(Q(a=node) | Q(b=node)).select_related("a", "b", "source_agency", "recorded_by").order_by("-last_seen", "-id"))
    ended = list(Link.objects.filter(Q(a=node) | Q(b=node), ended_at__isnull=False).select_related("a", "b").order_by("-ended_at"))
    return {
        "node": node, "links": [(link, link.b if link.a_id == node.pk else link.a) for link in links], "ended": ended,
        "disruptions": list(Disruption.objects.filter(node=node).select_related("agency", "recorded_by")),
    }


def disruption_counts(*, since: dt.date, until: dt.date) -> list[tuple[str, int]]:
    """Disruption activity by kind in a period (F31). One query."""
    rows = dict(Disruption.objects.filter(happened_on__range=(since, until)).values_list("kind").annotate(n=Count("pk")))
    return [(label, rows.get(value, 0)) for value, label in DisruptionKind.choices]


# What disruption was against, in the board's words, and the outcomes counted (blank: not recorded).
TARGETS = [(NodeKind.PERSON, "Persons"), (NodeKind.LOCATION, "Locations"), (NodeKind.BUSINESS, "Businesses"), (NodeKind.VEHICLE, "Vehicles")]
RESULTS = [*DisruptionResult.choices, ("", "Outcome not recorded")]


@dataclass
class DisruptionRow:
    kind: str
    label: str
    against: list  # a count for each of TARGETS
    results: list  # a count for each of RESULTS
    total: int


@dataclass
class DisruptionSummary:
    since: dt.date
    until: dt.date
    rows: list  # one per kind of disruption, then the total
    total: DisruptionRow
    disrupted: list  # (target label, how many different records of that kind had any disruption)
    targets: list = field(default_factory=lambda: [label for _, label in TARGETS])
    results: list = field(default_factory=lambda: [label for _, label in RESULTS])


def disruption_summary(user, *, since: dt.date, until: dt.date) -> DisruptionSummary:
    """Disruption in a period for the board (F31): counts by kind of disruption, by what it was
    against (persons, locations, businesses, vehicles) and by outcome, and how many different
    persons, places and businesses were disrupted. Counts only, never a name: for board members,
    the police and the hub; "not found" to anyone else. Two queries."""
    if not user.is_authenticated or not sees_disruption_summary(user):
        raise Http404("Not found")
    in_period = Disruption.objects.filter(happened_on__range=(since, until))
    cells = in_period.values_list("kind", "node__kind", "result").annotate(n=Count("pk")).order_by()
    counts: dict[tuple, int] = defaultdict(int)
    for kind, target, result, n in cells:
        counts[(kind, target, result)] += n
    target_keys = [value for value, _ in TARGETS]
    result_keys = [value for value, _ in RESULTS]

    def row(kind, label, matches) -> DisruptionRow:
        mine = {key: n for key, n in counts.items() if matches(key[0])}
        return DisruptionRow(
            kind=kind, label=label,
            against=[sum(n for (_, t, _), n in mine.items() if t == target) for target in target_keys],
            results=[sum(n for (_, _, r), n in mine.items() if (r or "") == result) for result in result_keys],
            total=sum(mine.values()),
        )

    rows = [row(value, label, lambda k, value=value: k == value) for value, label in DisruptionKind.choices]
    disrupted = dict(in_period.values_list("node__kind").annotate(n=Count("node", distinct=True)).order_by())
    return DisruptionSummary(
        since=since, until=until, rows=rows, total=row("", "All disruption", lambda k: True),
        disrupted=[(label, disrupted.get(value, 0)) for value, label in TARGETS],
    )
