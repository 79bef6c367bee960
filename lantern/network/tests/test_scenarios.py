"""The network as the learning event's cases would build it (with fictional people): a man who
supplies a girl and her two friends with drugs from the takeaway where he works."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from lantern.children import services as child_services
from lantern.children.tests.factories import register_child
from lantern.core.dates import local_today
from lantern.network import selectors, services
from lantern.network.models import LinkType, LocationKind, NetworkAccess, SourceRecord


def grade(**kwargs):
    kwargs.setdefault("source_evaluation", "2")
    kwargs.setdefault("intelligence_assessment", "B")
    return kwargs


@pytest.fixture
def takeaway_case(partnership):
    p = partnership
    girls = []
    for name in ("Ruby", "Skye", "Tia"):
        child = register_child(by=p.social_worker, first_name=name, last_name="Invented")
        girls.append(child)
    child_services.add_involvement(by=p.social_worker, child=girls[0], agency=p.school, role="Designated safeguarding lead")
    man = services.record_person(by=p.police_officer, name="Dev Madeup", aliases="D", estimated_age=24, police_reference="PR/26/100",
                                 guidance="Tell the police at once if the child is seen with this man.")
    takeaway = services.record_location(by=p.police_officer, name="Golden Fryer takeaway", kind=LocationKind.TAKEAWAY, address="High Street",
                                        latitude=53.71, longitude=-1.78)
    seen = local_today() - dt.timedelta(days=10)
    for girl in girls:
        services.link(by=p.police_officer, a=services.node_for_child(girl), b=man.node, link_type=LinkType.SUPPLIES, first_seen=seen,
                      source_record=SourceRecord.RETURN_INTERVIEW, source_detail="Return interview", **grade())
    services.link(by=p.police_officer, a=man.node, b=takeaway.node, link_type=LinkType.WORKS_AT, first_seen=seen, **grade(intelligence_assessment="A"))
    services.link(by=p.police_officer, a=services.node_for_child(girls[1]), b=takeaway.node, link_type=LinkType.FOUND_AT, first_seen=seen, **grade())
    return girls, man, takeaway


@pytest.mark.finding("F29")
def test_the_shared_person_and_the_group_are_found_by_the_analysis(partnership, takeaway_case):
    girls, man, takeaway = takeaway_case
    shared = selectors.shared_persons()
    assert [(s.person, sorted(n.child_id for n in s.children)) for s in shared] == [(man, sorted(g.pk for g in girls))]
    (group,) = selectors.groups_of_children()
    assert sorted(n.child_id for n in group.children) == sorted(g.pk for g in girls)
    ruby, tia = (services.node_for_child(girls[0]).pk, services.node_for_child(girls[2]).pk)
    assert selectors.shortest_path(group.edges, ruby, tia) == [ruby, man.node_id, tia]
    graph = selectors.neighbourhood(ruby, depth=2)
    assert {n.pk for n in graph.nodes} == {ruby, man.node_id, takeaway.node_id, *(services.node_for_child(g).pk for g in girls[1:])}
    # Filtered to the supply links only, the takeaway drops out.
    graph = selectors.neighbourhood(ruby, depth=2, link_types=[LinkType.SUPPLIES])
    assert takeaway.node_id not in {n.pk for n in graph.nodes}


@pytest.mark.finding("F30")
def test_the_takeaway_is_the_top_hotspot(partnership, takeaway_case):
    p = partnership
    girls, man, takeaway = takeaway_case
    park = services.record_location(by=p.police_officer, name="Rec ground", kind=LocationKind.PARK)
    services.link(by=p.police_officer, a=services.node_for_child(girls[0]), b=park.node, link_type=LinkType.FREQUENTS, **grade())
    spots = selectors.hotspots(since=local_today() - dt.timedelta(days=90), until=local_today())
    assert [(h.node.label, h.children, h.episodes) for h in spots] == [("Golden Fryer takeaway", 3, 1), ("Rec ground", 1, 0)]


def test_other_agencies_see_the_link_and_what_to_do_but_not_the_intelligence(partnership, takeaway_case):
    p = partnership
    girls, man, _ = takeaway_case
    school_view = selectors.child_links_section(p.school_lead, girls[0])
    assert not school_view["full"]
    assert [(row.node.label, row.guidance) for row in school_view["links"]] == [(man.name, man.guidance)]
    with pytest.raises(Http404):
        selectors.access_node(p.school_lead, man.node_id)
    assert selectors.access_node(p.police_officer, man.node_id) == man.node
    assert NetworkAccess.objects.filter(node=man.node, user=p.police_officer).count() == 1
    assert selectors.child_links_section(p.hub, girls[0])["full"]
    # The school can link its own pupil, but not link records that do not touch her.
    services.link(by=p.school_lead, a=services.node_for_child(girls[0]), b=man.node, link_type=LinkType.SEEN_WITH, **grade())
    with pytest.raises(PermissionDenied):
        services.link(by=p.school_lead, a=services.node_for_child(girls[1]), b=man.node, link_type=LinkType.SEEN_WITH, **grade())


@pytest.mark.finding("F31")
def test_disruption_is_recorded_and_counted(partnership, takeaway_case):
    p = partnership
    _, man, takeaway = takeaway_case
    services.record_disruption(by=p.police_officer, node=man.node, kind="warning_notice", happened_on=local_today(), description="Harbourer warning served")
    services.record_disruption(by=p.police_officer, node=takeaway.node, kind="licensing", happened_on=local_today(), description="Licence review")
    with pytest.raises(PermissionDenied):
        services.record_disruption(by=p.school_lead, node=man.node, kind="arrest", happened_on=local_today(), description="x")
    counts = dict(selectors.disruption_counts(since=local_today() - dt.timedelta(days=30), until=local_today()))
    assert counts["Warning notice (child abduction or harbourer)"] == 1 and counts["Licensing action"] == 1 and counts["Arrest"] == 0


@pytest.mark.finding("F29")
def test_a_place_many_children_pass_through_joins_groups_only_when_asked(partnership):
    p = partnership
    a, b = (register_child(by=p.social_worker, first_name=name, last_name="Invented") for name in ("Uma", "Vic"))
    station = services.record_location(by=p.police_officer, name="Bus station", kind=LocationKind.TRANSPORT)
    for child in (a, b):
        services.link(by=p.police_officer, a=services.node_for_child(child), b=station.node, link_type=LinkType.FREQUENTS, **grade())
    assert selectors.groups_of_children() == []
    from lantern.network.models import NodeKind

    (group,) = selectors.groups_of_children(through={NodeKind.PERSON, NodeKind.LOCATION})
    assert sorted(n.child_id for n in group.children) == sorted([a.pk, b.pk])


@pytest.mark.finding("F29")
def test_groups_are_found_whether_record_ids_are_dense_or_far_apart(partnership, takeaway_case):
    """Union-find runs over the node ids themselves when they are dense, over positions when they
    are not: both find the same group, and a record of a kind left out made after the others is
    passed over."""
    from lantern.network.models import Node, NodeKind, Vehicle

    p = partnership
    girls, man, _ = takeaway_case
    dense = selectors.groups_of_children()
    # A vehicle with an id far beyond the others, driven by the man and seen with a fourth child.
    far = Node.objects.create(pk=10**7, kind=NodeKind.VEHICLE, label="FA12 RAW")
    Vehicle.objects.create(node=far, registration="FA12RAW", created_by=p.police_officer)
    zoe = register_child(by=p.social_worker, first_name="Zoe", last_name="Invented")
    services.link(by=p.police_officer, a=man.node, b=far, link_type=LinkType.DRIVES, **grade())
    services.link(by=p.police_officer, a=services.node_for_child(zoe), b=far, link_type=LinkType.SEEN_WITH, **grade())
    (sparse,) = selectors.groups_of_children()
    assert {n.pk for n in sparse.nodes} == {n.pk for n in dense[0].nodes} | {far.pk, services.node_for_child(zoe).pk}
    assert sorted(n.child.display_name for n in sparse.children) == ["Ruby Invented", "Skye Invented", "Tia Invented", "Zoe Invented"]
    # Through persons only, the vehicle (the highest id of all) is left out, and Zoe with it.
    (persons_only,) = selectors.groups_of_children(through={NodeKind.PERSON})
    assert {n.pk for n in persons_only.nodes} == {man.node_id, *(services.node_for_child(g).pk for g in girls)}
