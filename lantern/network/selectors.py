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

from lantern.children.models import AccessPurpose, Child, display_name
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


@dataclass(slots=True)
class GroupChild:
    """What a group shows of a child: the name, read with the node."""

    pk: int
    display_name: str


@dataclass(slots=True)
class GroupNode:
    """A record in a group: the columns shown, read as plain values (a group can hold tens of
    thousands of records, and a whole `Node` built for each would cost more than finding them)."""

    pk: int
    kind: str
    label: str
    child_id: int | None = None
    child: GroupChild | None = None

    def get_kind_display(self) -> str:
        return NodeKind(self.kind).label


@dataclass
class Group:
    children: list  # child nodes (GroupNode)
    nodes: list  # every node in the group (GroupNode)
    edges: list = field(default_factory=list)  # (a, b) node ids of each live link within it (a pair linked twice, twice)


def components(edges) -> list[set[int]]:
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


def adjacency(edges) -> dict[int, list[int]]:
    adjacent: dict[int, list[int]] = defaultdict(list)
    for a, b in edges:
        adjacent[a].append(b)
        adjacent[b].append(a)
    return adjacent


def shortest_path(edges, start: int, goal: int, *, adjacent: dict | None = None) -> list[int]:
    """The nodes on a shortest path from start to goal (breadth first), or [] if none. Pass
    `adjacent` (see `adjacency`) to search the same edges for several paths."""
    if adjacent is None:
        adjacent = adjacency(edges)
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
        for nxt in adjacent.get(node, ()):
            if nxt not in previous:
                previous[nxt] = node
                queue.append(nxt)
    return []


DEFAULT_THROUGH = frozenset({NodeKind.PERSON, NodeKind.VEHICLE})
CHUNK = 20_000


def live_pairs():
    """(a, b) of every live link, as plain tuples read in chunks: no model objects. The partial
    index on (a, b) of the live links covers the query, so the database reads the index alone."""
    return live_links().order_by().values_list("a_id", "b_id").iterator(chunk_size=CHUNK)


def groups_of_children(*, through=DEFAULT_THROUGH) -> list[Group]:
    """Groups of two or more children connected through the kinds of record in `through` (by
    default persons of concern and vehicles), or as peers: the connected components, holding two
    or more children, of the network of those records. A bus station or a park many children pass
    through would join nearly everyone, so places and businesses join groups only when asked.

    Three queries: the ids and kinds of the records of those kinds; every live link's two ends,
    read in chunks as plain tuples and joined by union-find over list positions (the node ids
    themselves when they are dense, as they are); then the names of the records in the groups
    found. The type of the link joining two records on a path is read when a path is shown
    (`latest_link_types`)."""
    allowed = sorted({NodeKind.CHILD, *through})
    nodes = list(Node.objects.filter(kind__in=allowed).order_by().values_list("pk", "kind").iterator(chunk_size=CHUNK))
    if not nodes:
        return []
    top = max(pk for pk, _ in nodes)
    if top <= 4 * len(nodes) + 1024:  # dense ids: a node's position is its id
        index, size = None, top + 1
        positions = [pk for pk, _ in nodes]
    else:  # sparse ids: positions 0..n-1
        index = {pk: i for i, (pk, _) in enumerate(nodes)}
        size = len(nodes)
        positions = list(range(size))
    ok = bytearray(size + 1)  # 1 where the record is of an allowed kind; the last, never, stands for "not found"
    for position in positions:
        ok[position] = 1
    parent = list(range(size + 1))
    kept, starts = [], []  # every live link among allowed records, and the position of its first end
    for row in live_pairs():
        a, b = row
        if index is not None:
            a, b = index.get(a, size), index.get(b, size)
        elif b > top:  # a record of a kind left out, made after the others (a < b always)
            continue
        if not (ok[a] and ok[b]):
            continue
        kept.append(row)
        starts.append(a)
        while parent[a] != a:  # find, halving the path
            parent[a] = a = parent[parent[a]]
        while parent[b] != b:
            parent[b] = b = parent[parent[b]]
        if a != b:
            parent[b] = a
    root_of = {}
    children_in: dict[int, int] = defaultdict(int)
    for position, (_, kind) in zip(positions, nodes):
        x = position
        while parent[x] != x:
            parent[x] = x = parent[parent[x]]
        root_of[position] = x
        if kind == NodeKind.CHILD:
            children_in[x] += 1
    wanted = {root for root, n in children_in.items() if n >= 2}
    if not wanted:
        return []
    members: dict[int, list[int]] = defaultdict(list)
    for position, (pk, _) in zip(positions, nodes):
        root = root_of[position]
        if root in wanted:
            members[root].append(pk)
    edges: dict[int, list] = defaultdict(list)
    for row, start in zip(kept, starts):
        root = root_of[start]
        if root in wanted:
            edges[root].append(row)
    shown = _group_nodes([pk for group in members.values() for pk in group], allowed, total=len(nodes))
    out = []
    for root, group in members.items():
        found = [shown[pk] for pk in group]
        out.append(Group(
            children=sorted((n for n in found if n.kind == NodeKind.CHILD), key=lambda n: n.label),
            nodes=sorted(found, key=lambda n: (n.kind, n.label)), edges=edges[root],
        ))
    out.sort(key=lambda g: (-len(g.children), g.children[0].label))
    return out


def _group_nodes(pks: list[int], kinds, *, total: int) -> dict[int, GroupNode]:
    """The records in the groups, with each child's name: one query (every record of the kinds,
    when the groups hold most of them, rather than a list of tens of thousands of ids)."""
    qs = Node.objects.filter(kind__in=kinds) if len(pks) > total // 2 or len(pks) > 20_000 else Node.objects.filter(pk__in=pks)
    wanted = set(pks)
    out = {}
    for pk, kind, label, child_id, preferred, first, last in qs.order_by().values_list(
        "pk", "kind", "label", "child_id", "child__preferred_name", "child__legal_first_name", "child__legal_last_name"
    ).iterator(chunk_size=CHUNK):
        if pk in wanted:
            child = GroupChild(child_id, display_name(preferred, first, last)) if child_id else None
            out[pk] = GroupNode(pk, kind, label, child_id, child)
    return out


def latest_link_types(pairs) -> dict[tuple[int, int], str]:
    """For each (a, b) pair (lower id first), the type of its most recently seen live link. One
    query, for the pairs on the paths a page shows."""
    pairs = {(min(a, b), max(a, b)) for a, b in pairs}
    if not pairs:
        return {}
    ends = {a for a, _ in pairs}
    held: dict[tuple[int, int], tuple] = {}
    rows = live_links().filter(a_id__in=sorted(ends), b_id__in=sorted({b for _, b in pairs})).order_by()
    for a, b, link_type, last_seen, pk in rows.values_list("a_id", "b_id", "link_type", "last_seen", "pk"):
        if (a, b) in pairs:
            key = (last_seen or dt.date.min, pk)
            if (a, b) not in held or key > held[(a, b)][:2]:
                held[(a, b)] = (*key, link_type)
    return {pair: value[2] for pair, value in held.items()}


def linked_children(node_ids) -> dict[int, set[int]]:
    """For each person, place, vehicle or business, the children (`Child` ids) linked to it by a
    live link: directly, or, for a place or business, through a person or vehicle linked to it
    (as the hotspots count them). For who is told about a meeting's item on the record. Three
    queries at most."""
    wanted = set(node_ids)
    out: dict[int, set[int]] = {n: set() for n in wanted}
    if not wanted:
        return out
    places = set(Node.objects.filter(pk__in=wanted, kind__in=(NodeKind.LOCATION, NodeKind.BUSINESS)).values_list("pk", flat=True))
    middles: dict[int, set[int]] = defaultdict(set)  # person or vehicle -> the places of `wanted` it is linked to
    around = live_links().filter(Q(a_id__in=wanted) | Q(b_id__in=wanted)).order_by()
    for a, b, a_kind, b_kind, a_child, b_child in around.values_list("a_id", "b_id", "a__kind", "b__kind", "a__child_id", "b__child_id"):
        for here, other_kind, other, other_child in ((a, b_kind, b, b_child), (b, a_kind, a, a_child)):
            if here not in wanted:
                continue
            if other_kind == NodeKind.CHILD:
                out[here].add(other_child)
            elif here in places and other_kind in (NodeKind.PERSON, NodeKind.VEHICLE):
                middles[other].add(here)
    if middles:
        through = live_links().filter(
            (Q(a_id__in=list(middles)) & Q(b__kind=NodeKind.CHILD)) | (Q(b_id__in=list(middles)) & Q(a__kind=NodeKind.CHILD))
        ).order_by()
        for a, b, a_child, b_child in through.values_list("a_id", "b_id", "a__child_id", "b__child_id"):
            middle, child = (a, b_child) if a in middles else (b, a_child)
            for place in middles[middle]:
                out[place].add(child)
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
