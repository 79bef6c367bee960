"""Property tests: on small random graphs, the network analysis agrees with a brute-force
computation written here, independently of the selectors (a transitive closure for connected
groups, edge relaxation for shortest distances, a scan of every node for shared persons and
hotspots)."""

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from lantern.children.models import Child
from lantern.network import selectors
from lantern.network.models import Link, LinkType, Node, NodeKind, PersonOfConcern

TODAY = dt.date(2026, 6, 1)

# Small graphs: nodes 0..11, edges between any two (self-loops and repeats included).
_node = st.integers(min_value=0, max_value=11)
_edges = st.lists(st.tuples(_node, _node), max_size=25)


def _closure_components(edges) -> set[frozenset]:
    """Connected components by transitive closure: two nodes are together when one reaches the
    other. Deliberately unlike union-find."""
    nodes = {x for edge in edges for x in edge}
    reach = {x: {x} for x in nodes}
    for a, b in edges:
        reach[a].add(b)
        reach[b].add(a)
    changed = True
    while changed:
        changed = False
        for x in nodes:
            grown = set().union(*(reach[y] for y in reach[x]))
            if grown != reach[x]:
                reach[x], changed = grown, True
    return {frozenset(r) for r in reach.values()}


def _distances(edges, start) -> dict[int, int]:
    """Shortest distances from start by relaxing every edge until nothing changes."""
    dist = {start: 0}
    changed = True
    while changed:
        changed = False
        for a, b in edges:
            for x, y in ((a, b), (b, a)):
                if x in dist and dist[x] + 1 < dist.get(y, 10**9):
                    dist[y], changed = dist[x] + 1, True
    return dist


@pytest.mark.finding("F29")
@hsettings(max_examples=200, deadline=None)
@given(edges=_edges)
def test_components_are_the_connected_groups(edges):
    found = selectors.components(edges)
    assert {frozenset(c) for c in found} == _closure_components(edges)
    # Each node in exactly one group.
    assert sum(len(c) for c in found) == len({x for edge in edges for x in edge})


@hsettings(max_examples=200, deadline=None)
@given(edges=_edges, start=_node, goal=_node)
def test_shortest_path_is_a_path_of_the_least_length(edges, start, goal):
    path = selectors.shortest_path(edges, start, goal)
    dist = _distances(edges, start)
    if goal not in dist:
        assert path == []
        return
    assert path[0] == start and path[-1] == goal
    assert len(path) - 1 == dist[goal]
    joined = {frozenset(edge) for edge in edges}
    assert all(frozenset((x, y)) in joined for x, y in zip(path, path[1:]))
    assert len(set(path)) == len(path)


# Random networks in the database ---------------------------------------------------------------

_kind = st.sampled_from([NodeKind.CHILD, NodeKind.CHILD, NodeKind.PERSON, NodeKind.PERSON, NodeKind.LOCATION, NodeKind.VEHICLE, NodeKind.BUSINESS])
_link = st.tuples(
    st.integers(min_value=0, max_value=13), st.integers(min_value=0, max_value=13),
    st.sampled_from([LinkType.ASSOCIATES, LinkType.FOUND_AT, LinkType.FREQUENTS, LinkType.PEER, LinkType.DRIVES]),
    st.one_of(st.none(), st.integers(min_value=0, max_value=400)),  # days before TODAY last seen, or no dates
    st.booleans(),  # ended
)
_network = st.tuples(st.lists(_kind, min_size=2, max_size=14), st.lists(_link, max_size=30))


def _build(partnership, kinds, links):
    """Nodes of the given kinds and the links among them (written directly: the services are not
    under test here). Returns the nodes in order and the links kept."""
    p = partnership
    nodes = []
    for n, kind in enumerate(kinds):
        child = None
        if kind == NodeKind.CHILD:
            child = Child.objects.create(legal_first_name="Prop", legal_last_name=f"Child{n}", date_of_birth=dt.date(2012, 1, 1), sex="F")
        nodes.append(Node(kind=kind, child=child, label=f"{kind} {n:02d}"))
    Node.objects.bulk_create(nodes)
    PersonOfConcern.objects.bulk_create(
        [PersonOfConcern(node=node, name=node.label, created_by=p.police_officer) for node in nodes if node.kind == NodeKind.PERSON]
    )
    made = []
    for x, y, link_type, days, ended in links:
        x, y = x % len(nodes), y % len(nodes)
        if x == y:
            continue
        a, b = sorted((nodes[x], nodes[y]), key=lambda node: node.pk)
        last = TODAY - dt.timedelta(days=days) if days is not None else None
        made.append(Link(
            a=a, b=b, link_type=link_type, first_seen=last and last - dt.timedelta(days=days % 7), last_seen=last, source_agency=p.police,
            source_evaluation="2", intelligence_assessment="C", recorded_by=p.police_officer, ended_at=TODAY_AT if ended else None,
        ))
    Link.objects.bulk_create(made)
    return nodes, made


TODAY_AT = dt.datetime(2026, 6, 1, 12, tzinfo=dt.timezone.utc)


def _live_pairs(made):
    return [(link.a_id, link.b_id) for link in made if link.ended_at is None]


@pytest.mark.finding("F29")
@hsettings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(network=_network, min_children=st.integers(min_value=1, max_value=3))
def test_shared_persons_and_groups_match_brute_force(partnership, network, min_children):
    with transaction.atomic():
        nodes, made = _build(partnership, *network)
        kind = {node.pk: node.kind for node in nodes}
        live = _live_pairs(made)
        # Shared persons: for every person, the children with a live link to them.
        expected = {}
        for person in (n.pk for n in nodes if n.kind == NodeKind.PERSON):
            children = {a if b == person else b for a, b in live if person in (a, b) and kind[a if b == person else b] == NodeKind.CHILD}
            if len(children) >= min_children:
                expected[person] = children
        found = selectors.shared_persons(min_children=min_children)
        assert {s.person.node_id: {c.pk for c in s.children} for s in found} == expected
        assert [len(s.children) for s in found] == sorted((len(c) for c in expected.values()), reverse=True)
        # Groups: the components holding two or more children, of the live links among the kinds
        # of record groups are joined through (by default persons and vehicles; then every kind).
        every_kind = {NodeKind.PERSON, NodeKind.VEHICLE, NodeKind.LOCATION, NodeKind.BUSINESS}
        for through in (selectors.DEFAULT_THROUGH, every_kind):
            allowed = {NodeKind.CHILD, *through}
            among = [(a, b) for a, b in live if kind[a] in allowed and kind[b] in allowed]
            groups = {frozenset(c for c in comp if kind[c] == NodeKind.CHILD) for comp in _closure_components(among)}
            found = selectors.groups_of_children(through=through)
            found_groups = {frozenset(c.pk for c in g.children) for g in found}
            assert found_groups == {g for g in groups if len(g) >= 2}
            # Each group holds every record of its component, and every live link within it.
            expected = {frozenset(comp) for comp in _closure_components(among) if sum(kind[n] == NodeKind.CHILD for n in comp) >= 2}
            assert {frozenset(n.pk for n in g.nodes) for g in found} == expected
            for g in found:
                members = {n.pk for n in g.nodes}
                assert sorted(g.edges) == sorted((a, b) for a, b in among if a in members)
            assert [len(g.children) for g in found] == sorted((len(g.children) for g in found), reverse=True)
        transaction.set_rollback(True)


@pytest.mark.finding("F30")
@hsettings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(network=_network, span=st.integers(min_value=0, max_value=400))
def test_hotspots_count_children_directly_or_through_a_person_or_vehicle(partnership, network, span):
    with transaction.atomic():
        nodes, made = _build(partnership, *network)
        kind = {node.pk: node.kind for node in nodes}
        live = [link for link in made if link.ended_at is None]
        since = TODAY - dt.timedelta(days=span)
        # (A link with no dates counts on the day it was recorded: today, after TODAY here.)
        expected = {}
        for place in (n.pk for n in nodes if n.kind in (NodeKind.LOCATION, NodeKind.BUSINESS)):
            def near(x):
                return {lk.b_id if lk.a_id == x else lk.a_id for lk in live if x in (lk.a_id, lk.b_id)}
            children = {n for n in near(place) if kind[n] == NodeKind.CHILD}
            for middle in near(place):
                if kind[middle] in (NodeKind.PERSON, NodeKind.VEHICLE):
                    children |= {n for n in near(middle) if kind[n] == NodeKind.CHILD}
            touching = [lk for lk in live if place in (lk.a_id, lk.b_id) and since <= (lk.last_seen or lk.created_at.date()) <= TODAY]
            episodes = sum(1 for lk in touching if lk.link_type == LinkType.FOUND_AT and kind[lk.b_id if lk.a_id == place else lk.a_id] == NodeKind.CHILD)
            if children or episodes or touching:
                expected[place] = (len(children), episodes, len(touching))
        found = selectors.hotspots(since=since, until=TODAY)
        assert {h.node.pk: (h.children, h.episodes, h.recent_links) for h in found} == expected
        assert [(h.children, h.episodes, h.recent_links) for h in found] == sorted(expected.values(), key=lambda v: (-v[0], -v[1], -v[2]))
        transaction.set_rollback(True)


@pytest.mark.finding("F29")
@hsettings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(network=_network, centre=st.integers(min_value=0, max_value=13), depth=st.integers(min_value=0, max_value=3))
def test_the_neighbourhood_is_every_node_within_depth_and_every_link_among_them(partnership, network, centre, depth):
    with transaction.atomic():
        nodes, made = _build(partnership, *network)
        start = nodes[centre % len(nodes)].pk
        live = [link for link in made if link.ended_at is None]
        dist = _distances([(link.a_id, link.b_id) for link in live], start)
        within = {n for n, d in dist.items() if d <= depth}
        graph = selectors.neighbourhood(start, depth=depth)
        assert {n.pk for n in graph.nodes} == within and graph.nodes[0].pk == start
        assert sorted(row[0] for row in graph.links) == sorted(link.pk for link in live if link.a_id in within and link.b_id in within)
        transaction.set_rollback(True)
