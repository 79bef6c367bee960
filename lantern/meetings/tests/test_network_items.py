"""Persons of concern and places on the agenda are records of the network (F29): proposed by the
network's analysis, chosen by the chair, with the police, the hub and the agencies working with
the children linked to them invited (F27) and sent the item's minutes (F25), and nobody else."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from lantern.children import services as child_services
from lantern.children.tests.factories import register_child
from lantern.core.dates import local_today
from lantern.meetings import selectors, services
from lantern.meetings.models import AgendaItem, ItemReason, MeetingKind, MinutesShare
from lantern.meetings.tests.factories import arrange, discuss
from lantern.network import services as network
from lantern.network.models import LinkType, LocationKind
from lantern.risk.tests.factories import decide, screen


def _link(p, a, b, link_type):
    return network.link(by=p.police_officer, a=a, b=b, link_type=link_type, first_seen=local_today() - dt.timedelta(days=10),
                        source_evaluation="2", intelligence_assessment="B")


@pytest.fixture
def network_case(partnership, children):
    """Dev supplies Amy (high risk; the school), Ben (medium; the police) and Cal (low) from the
    takeaway where he works; Dan (the health service) is found at the takeaway. Lee is linked to
    Amy and Cal, only one of them at medium or high risk."""
    p = partnership
    amy, ben, cal = children
    dan = register_child(by=p.social_worker, first_name="Dan", last_name="Fictional")
    child_services.add_involvement(by=p.social_worker, child=dan, agency=p.health, role="School nurse")
    for child, level in ((amy, "high"), (ben, "medium"), (cal, "low"), (dan, "low")):
        screen(by=p.social_worker, child=child)
        decide(by=p.hub, child=child, level=level)
    dev = network.record_person(by=p.police_officer, name="Dev Madeup", estimated_age=24, guidance="Tell the police at once if a child is seen with him.")
    lee = network.record_person(by=p.police_officer, name="Lee Notreal")
    takeaway = network.record_location(by=p.police_officer, name="Golden Fryer takeaway", kind=LocationKind.TAKEAWAY)
    for child in (amy, ben, cal):
        _link(p, network.node_for_child(child), dev.node, LinkType.SUPPLIES)
    for child in (amy, cal):
        _link(p, network.node_for_child(child), lee.node, LinkType.SEEN_WITH)
    _link(p, dev.node, takeaway.node, LinkType.WORKS_AT)
    _link(p, network.node_for_child(dan), takeaway.node, LinkType.FOUND_AT)
    return {"amy": amy, "ben": ben, "cal": cal, "dan": dan, "dev": dev, "lee": lee, "takeaway": takeaway}


@pytest.mark.finding("F29")
def test_the_agenda_proposes_shared_persons_and_hotspots_and_the_chair_adds_them(client, partnership, network_case):
    p, case = partnership, network_case
    meeting = arrange(by=p.chair)
    proposed = {r.name: r for r in selectors.propose_records(meeting)}
    # Dev: two of his children are at medium or high risk; Lee: only one. The takeaway: every child
    # linked to it directly or through Dev.
    assert set(proposed) == {"Dev Madeup", "Golden Fryer takeaway"}
    assert proposed["Dev Madeup"].detail == "Linked to 2 children at medium or high risk"
    assert proposed["Golden Fryer takeaway"].detail.startswith("Hotspot: 4 children linked; found there when missing 1 time;")
    assert [r.name for r in selectors.propose_records(meeting)][0] == "Dev Madeup"  # persons first
    # A strategy discussion is about one child: nothing is proposed.
    assert selectors.propose_records(arrange(by=p.chair, kind=MeetingKind.STRATEGY)) == []

    client.force_login(p.chair)
    page = client.get(reverse("meetings:agenda", args=[meeting.pk])).content.decode()
    assert "Proposed persons and places" in page and "Linked to 2 children at medium or high risk" in page
    response = client.post(reverse("meetings:agenda", args=[meeting.pk]), {"record": str(case["dev"].node_id)})
    assert response.status_code == 302
    item = AgendaItem.objects.get(meeting=meeting, node=case["dev"].node)
    assert (item.topic, item.reason, item.reason_detail) == ("Dev Madeup", ItemReason.PERSON, "Linked to 2 children at medium or high risk")
    assert [r.name for r in selectors.propose_records(meeting)] == ["Golden Fryer takeaway"]

    # The chair finds a record by name and chooses it.
    url = reverse("meetings:add_topic", args=[meeting.pk])
    page = client.get(url, {"q": "Lee"}).content.decode()
    assert "Lee Notreal (person of concern)" in page
    response = client.post(url, {"action": "record", "q": "Lee", "record": str(case["lee"].node_id), "detail": "Seen with Amy again"})
    assert response.status_code == 302
    assert AgendaItem.objects.get(meeting=meeting, node=case["lee"].node).reason_detail == "Seen with Amy again"
    twice = client.post(url, {"action": "record", "q": "Lee", "record": str(case["lee"].node_id)})
    assert twice.status_code == 200 and "Lee Notreal is already on this agenda" in twice.content.decode()
    missing = client.post(url, {"action": "record", "q": "Lee"})
    assert "Select the person or place to discuss" in missing.content.decode()
    # A named topic, for someone not recorded yet, still works.
    client.post(url, {"reason": "person", "topic": "A man called Tiny"})
    assert AgendaItem.objects.get(meeting=meeting, topic="A man called Tiny").node is None

    # The item page shows what agencies must do and how many children are linked; not the intelligence.
    page = client.get(reverse("meetings:item", args=[item.pk])).content.decode()
    assert "Person of concern, linked to 3 children." in page and "Tell the police at once if a child is seen with him." in page
    assert reverse("network:profile", args=[case["dev"].node_id]) not in page  # the chair does not see the intelligence
    client.force_login(p.hub)
    assert reverse("network:profile", args=[case["dev"].node_id]) in client.get(reverse("meetings:item", args=[item.pk])).content.decode()


def test_only_those_who_run_meetings_search_the_records(client, partnership, network_case):
    meeting = arrange(by=partnership.chair)
    services.add_child_item(by=partnership.chair, meeting=meeting, child=network_case["amy"])
    client.force_login(partnership.school_lead)
    assert client.get(reverse("meetings:add_topic", args=[meeting.pk]), {"q": "Dev"}).status_code == 404
    with pytest.raises(PermissionDenied):
        services.add_record_item(by=partnership.school_lead, meeting=meeting, node=network_case["dev"].node)


@pytest.mark.finding("F27")
@pytest.mark.finding("F29")
def test_a_person_or_place_invites_the_police_the_hub_and_the_agencies_of_its_children(partnership, network_case):
    p, case = partnership, network_case
    meeting = arrange(by=p.chair)
    services.add_record_item(by=p.chair, meeting=meeting, node=case["dev"].node)

    def invited():
        return set(meeting.invitations.filter(withdrawn_at__isnull=True).values_list("agency__name", flat=True))

    # Dev's children: Amy (social care, the school), Ben (social care, the police), Cal (social care); the police and the hub always.
    assert invited() == {p.social_care.name, p.police.name, p.school.name}
    place = services.add_record_item(by=p.chair, meeting=meeting, node=case["takeaway"].node)
    assert invited() == {p.social_care.name, p.police.name, p.school.name, p.health.name}  # Dan was found at the takeaway
    services.remove_item(by=p.chair, item=place, reason="Discussed at the licensing meeting")
    assert p.health.name not in invited()


@pytest.mark.finding("F25")
@pytest.mark.finding("F29")
def test_the_minutes_of_a_person_go_to_the_agencies_with_a_need_to_know(client, partnership, network_case):
    p, case = partnership, network_case
    meeting = arrange(by=p.chair, starts_at=timezone.now() - dt.timedelta(hours=3))
    lee = services.add_record_item(by=p.chair, meeting=meeting, node=case["lee"].node)
    ben = services.add_child_item(by=p.chair, meeting=meeting, child=case["ben"])
    topic = services.add_topic_item(by=p.chair, meeting=meeting, reason=ItemReason.LOCATION, topic="The underpass")
    discuss(by=p.chair, item=ben, owner=p.police_officer, agency=p.police)
    services.add_action(by=p.chair, item=lee, description="Serve a harbourer warning notice", owner=p.police_officer, agency=p.police,
                        due_on=local_today() + dt.timedelta(days=7), outcome="Lee stops seeing the children")
    services.close_item(by=p.chair, item=lee)
    services.close_item(by=p.chair, item=topic, no_actions_reason="For information")
    services.close_meeting(by=p.chair, meeting=meeting)

    shared = {share.agency.name: {i.topic or i.child.legal_first_name for i in share.items.select_related("child")}
              for share in MinutesShare.objects.filter(release__meeting=meeting).select_related("agency")}
    # Lee is linked to Amy (social care, the school) and Cal (social care): not to a child of the health service.
    assert shared == {
        p.police.name: {"Lee Notreal", "Ben"},  # the police always; Ben's too, as they work with him
        p.social_care.name: {"Lee Notreal", "Ben"},  # the hub's agency always, and involved with all the children
        p.school.name: {"Lee Notreal"},  # Amy's school: Lee, not Ben
    }
    # The school opens the meeting and sees Lee's item, not Ben's, nor the named topic.
    client.force_login(p.school_lead)
    page = selectors.meeting_page(p.school_lead, meeting)
    assert [i.topic for i in page.items] == ["Lee Notreal"] and page.withheld == 2
    share = MinutesShare.objects.get(agency=p.school)
    minutes = client.get(reverse("meetings:share", args=[share.pk])).content.decode()
    assert "Lee Notreal" in minutes and "Serve a harbourer warning notice" in minutes and "Ben Fictional" not in minutes
    # The health service has no child linked to Lee: the meeting is not found.
    client.force_login(p.nurse)
    assert client.get(reverse("meetings:detail", args=[meeting.pk])).status_code == 404
