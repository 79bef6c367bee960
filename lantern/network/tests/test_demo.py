"""The demo network: built from the demo's own records, so the analysis finds the shared persons
and the hotspots rather than the page planting them."""

import datetime as dt
import random
import time

import pytest

from lantern.core.dates import local_today
from lantern.demo.generator import generate
from lantern.network import selectors
from lantern.network.demo import UNLINKED_ON_PURPOSE, add_demo_network
from lantern.network.models import Disruption, Link, LinkType, Location, Node, NodeKind, PersonOfConcern
from lantern.partnership.models import AgencyType, User
from lantern.standards.models import Alert
from lantern.standards.services import run_scan


@pytest.fixture
def demo(db):
    today = local_today()
    generate(children=45, seed=11, today=today)
    started = time.perf_counter()
    if not PersonOfConcern.objects.exists():  # until the generator calls it itself
        add_demo_network(rng=random.Random(11), today=today, hub_user=User.objects.get(email="hub@lantern.example"))
    return today, time.perf_counter() - started


def test_the_demo_network_is_found_by_the_analysis(demo):
    """One test, as the demo takes a while to build."""
    today, seconds = demo
    assert seconds < 5  # about 1 s for 150 children on a developer's machine
    shared = selectors.shared_persons()
    assert len(shared) >= 4 and any(2 <= len(s.children) <= 4 for s in shared)
    assert len(shared[0].children) >= 4
    spots = selectors.hotspots(since=today - dt.timedelta(days=548), until=today)
    top = [h.node.label for h in spots[:3]]
    assert "Golden Fryer takeaway" in top and "Canal View Guest House" in top
    takeaway = next(h for h in spots if h.node.label == "Golden Fryer takeaway")
    assert takeaway.children >= 5 and takeaway.episodes >= 1
    (rso,) = PersonOfConcern.objects.filter(registered_sex_offender=True)
    assert [n.kind for n in selectors.neighbourhood(rso.node_id, depth=1).nodes].count(NodeKind.CHILD) == 1
    assert selectors.groups_of_children()

    # The links: varied, dated, graded, some ended, recorded by the police.
    links = list(Link.objects.select_related("source_agency"))
    assert len(links) >= 60
    assert {link.link_type for link in links} >= {LinkType.PEER, LinkType.FOUND_AT, LinkType.ASSOCIATES, LinkType.DRIVES, LinkType.WORKS_AT}
    assert len({(link.source_evaluation, link.intelligence_assessment) for link in links}) >= 5
    assert {link.handling_code for link in links} == {"P", "C"}
    assert all(today - dt.timedelta(days=550) <= link.first_seen <= link.last_seen <= today for link in links)
    assert sum(link.ended_at is not None and bool(link.ended_reason) for link in links) >= 2
    assert {link.source_agency.agency_type for link in links} >= {AgencyType.POLICE}
    assert all(link.history.exists() for link in links[:10])
    for place in Location.objects.exclude(latitude=None):
        assert 53.6 <= place.latitude <= 53.8 and -1.9 <= place.longitude <= -1.6
    assert Node.objects.filter(kind=NodeKind.VEHICLE).count() >= 2 and Node.objects.filter(kind=NodeKind.BUSINESS).exists()

    # Disruption counted for the board; two children left for the F02 alert.
    counts = dict(selectors.disruption_counts(since=today - dt.timedelta(days=365), until=today))
    assert counts["Warning notice (child abduction or harbourer)"] >= 1 and counts["Licensing action"] >= 1 and counts["Arrest"] >= 1
    assert Disruption.objects.count() >= 8
    run_scan(rule_ids=["F02.perpetrator-not-linked"])
    alerts = Alert.objects.filter(rule_id="F02.perpetrator-not-linked", resolved_at__isnull=True)
    assert alerts.count() == UNLINKED_ON_PURPOSE
    assert all("return interview" in a.message for a in alerts)
