"""The network pages: who sees them, what each agency sees of a child's links, the link form, the
downloads and the network view's text equivalent."""

import csv
import datetime as dt
import io
import json

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lantern.children import services as child_services
from lantern.children.tests.factories import register_child
from lantern.core.dates import local_today
from lantern.network import services
from lantern.network.models import Disruption, Link, LinkType, LocationKind, NetworkAccess, Node, PersonOfConcern, SourceRecord

GUIDANCE = "Tell the police at once if the child is seen with this man."


def _section(page: str) -> str:
    """The "People and places" section of a child page."""
    return page.split('id="section-network"')[1].split("</section>")[0]


def grade(**kwargs):
    kwargs.setdefault("source_evaluation", "2")
    kwargs.setdefault("intelligence_assessment", "B")
    return kwargs


@pytest.fixture
def case(partnership):
    """A man who supplies three girls with drugs from the takeaway where he works; the school works
    with Ruby only; the police work with Ruby and Skye."""
    p = partnership
    ruby, skye, tia = (register_child(by=p.social_worker, first_name=name, last_name="Invented") for name in ("Ruby", "Skye", "Tia"))
    child_services.add_involvement(by=p.social_worker, child=ruby, agency=p.school, role="Designated safeguarding lead")
    for child in (ruby, skye):
        child_services.add_involvement(by=p.social_worker, child=child, agency=p.police, role="Exploitation officer")
    man = services.record_person(by=p.police_officer, name="Dev Madeup", estimated_age=24, police_reference="PR/26/100", guidance=GUIDANCE)
    takeaway = services.record_location(by=p.police_officer, name="Golden Fryer takeaway", kind=LocationKind.TAKEAWAY,
                                        address="High Street", latitude=53.71, longitude=-1.78)
    park = services.record_location(by=p.police_officer, name="Rec ground", kind=LocationKind.PARK)
    seen = local_today() - dt.timedelta(days=10)
    for girl in (ruby, skye, tia):
        services.link(by=p.police_officer, a=services.node_for_child(girl), b=man.node, link_type=LinkType.SUPPLIES, first_seen=seen,
                      source_record=SourceRecord.RETURN_INTERVIEW, source_detail="Return interview of 3 March", **grade())
    services.link(by=p.police_officer, a=man.node, b=takeaway.node, link_type=LinkType.WORKS_AT, first_seen=seen, **grade(intelligence_assessment="A"))
    services.link(by=p.police_officer, a=services.node_for_child(skye), b=takeaway.node, link_type=LinkType.FOUND_AT, first_seen=seen, **grade())
    services.link(by=p.police_officer, a=services.node_for_child(ruby), b=park.node, link_type=LinkType.FREQUENTS, first_seen=seen, **grade())
    return {"ruby": ruby, "skye": skye, "tia": tia, "man": man, "takeaway": takeaway, "park": park}


def _intelligence_urls(case) -> list[str]:
    man, takeaway = case["man"].node_id, case["takeaway"].node_id
    link = Link.objects.filter(a=case["man"].node).first() or Link.objects.filter(b=case["man"].node).first()
    return [
        reverse("network:index"), reverse("network:index") + "?q=Dev", reverse("network:record_person"), reverse("network:record_location"),
        reverse("network:record_vehicle"), reverse("network:record_business"), reverse("network:profile", args=[man]),
        reverse("network:profile", args=[takeaway]), reverse("network:edit_person", args=[man]), reverse("network:link_node", args=[man]) + "?q=Ruby",
        reverse("network:node_view", args=[man]), reverse("network:child_view", args=[case["ruby"].pk]),
        reverse("network:record_disruption", args=[man]), reverse("network:end_link", args=[link.pk]), reverse("network:shared"),
        reverse("network:groups"), reverse("network:hotspots"), reverse("network:hotspots_csv"), reverse("network:hotspots_geojson"),
    ]


@pytest.mark.parametrize("who", ["police_officer", "hub"])
def test_the_network_pages_render_for_the_police_and_the_hub(client, partnership, case, who):
    client.force_login(getattr(partnership, who))
    for url in _intelligence_urls(case):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    page = client.get(reverse("network:profile", args=[case["man"].node_id])).content.decode()
    assert ">Network</a>" in page  # the navigation
    assert "PR/26/100" in page and "Golden Fryer takeaway" in page and "Ruby Invented" in page


@pytest.mark.parametrize("who", ["school_lead", "nurse"])
def test_the_network_pages_are_not_found_for_other_agencies(client, partnership, case, who):
    client.force_login(getattr(partnership, who))
    for url in _intelligence_urls(case):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"reason": "x", "name": "x"}).status_code == 404, url
    assert not NetworkAccess.objects.exists()
    assert ">Network</a>" not in client.get(reverse("home")).content.decode()


@pytest.mark.finding("F02")
def test_the_school_sees_the_link_and_what_to_do_but_not_the_intelligence(client, partnership, case):
    p, ruby = partnership, case["ruby"]
    client.force_login(p.school_lead)
    page = _section(client.get(reverse("children:detail", args=[ruby.pk])).content.decode())
    assert "People and places" in page
    assert "Dev Madeup" in page and GUIDANCE in page and "Supplies drugs or alcohol to" in page and "Rec ground" in page
    for secret in ("2: Untested", "B: Known indirectly", "Return interview of 3 March", "Testshire Police", "PR/26/100",
                   reverse("network:profile", args=[case["man"].node_id]), reverse("network:child_view", args=[ruby.pk])):
        assert secret not in page, secret
    assert reverse("network:link_child", args=[ruby.pk]) in page
    assert "Only the police and the exploitation hub see the intelligence" in page


def test_the_police_see_the_grading_source_and_the_way_to_the_profile(client, partnership, case):
    p, ruby = partnership, case["ruby"]
    client.force_login(p.police_officer)
    page = _section(client.get(reverse("children:detail", args=[ruby.pk])).content.decode())
    for shown in ("Dev Madeup", GUIDANCE, "2: Untested", "B: Known indirectly, corroborated", "P: Lawful sharing permitted",
                  "Testshire Police: return interview (Return interview of 3 March)", reverse("network:profile", args=[case["man"].node_id]),
                  reverse("network:child_view", args=[ruby.pk]), reverse("network:link_child", args=[ruby.pk])):
        assert shown in page, shown


def _link_post(**overrides):
    data = {
        "record": "new_person", "person_name": "Kez", "person_estimated_age": "19", "person_description": "Drives a white car",
        "link_type": LinkType.SEEN_WITH, "first_seen_0": "1", "first_seen_1": "3", "first_seen_2": "2026",
        "source_record": SourceRecord.RETURN_INTERVIEW, "source_detail": "Return interview of 3 March",
        "source_evaluation": "2", "intelligence_assessment": "C", "handling_code": "P", "notes": "",
    }
    data.update(overrides)
    return data


def test_the_school_links_its_own_pupil_to_a_new_person_there_and_then(client, partnership, case):
    p, ruby = partnership, case["ruby"]
    client.force_login(p.school_lead)
    url = reverse("network:link_child", args=[ruby.pk])
    # Offered from a return interview: where it came from is filled in already.
    page = client.get(url, {"source": "return_interview", "detail": "Return interview of 3 March"}).content.decode()
    assert 'value="return_interview" checked' in page and 'value="Return interview of 3 March"' in page
    assert 'id="search-q"' not in page  # the school cannot search the intelligence
    response = client.post(url, _link_post())
    assert response.status_code == 302 and response["Location"] == reverse("children:detail", args=[ruby.pk])
    kez = PersonOfConcern.objects.get(name="Kez")
    assert kez.estimated_age == 19 and kez.created_by == p.school_lead
    link = Link.objects.get(Q(a=kez.node) | Q(b=kez.node))
    assert link.source_agency == p.school and link.first_seen == dt.date(2026, 3, 1) and link.intelligence_assessment == "C"
    assert "Kez" in client.get(reverse("children:detail", args=[ruby.pk])).content.decode()


def test_the_school_records_a_new_place(client, partnership, case):
    p, ruby = partnership, case["ruby"]
    client.force_login(p.school_lead)
    response = client.post(reverse("network:link_child", args=[ruby.pk]), _link_post(
        record="new_place", person_name="", place_name="Bus station", place_kind=LocationKind.TRANSPORT, link_type=LinkType.FREQUENTS,
    ))
    assert response.status_code == 302
    place = Node.objects.get(label="Bus station")
    assert place.location.kind == LocationKind.TRANSPORT


def test_the_link_form_is_not_found_for_a_child_the_school_does_not_work_with(client, partnership, case):
    client.force_login(partnership.school_lead)
    url = reverse("network:link_child", args=[case["skye"].pk])
    assert client.get(url).status_code == 404
    assert client.post(url, _link_post()).status_code == 404
    assert not PersonOfConcern.objects.filter(name="Kez").exists()


def test_bad_input_is_explained_and_nothing_is_saved(client, partnership, case):
    p, ruby = partnership, case["ruby"]
    client.force_login(p.school_lead)
    url = reverse("network:link_child", args=[ruby.pk])
    links, persons = Link.objects.count(), PersonOfConcern.objects.count()
    response = client.post(url, _link_post(person_name="", source_evaluation="", intelligence_assessment="Z", link_type=""))
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page and page.count("govuk-error-message") >= 4
    for message in ("Enter the person&#x27;s name, or the name the child uses for them", "Select how reliable the source is: 1, 2 or 3",
                    "Select the kind of link"):
        assert message in page, message
    assert response.context["form"].errors["intelligence_assessment"]
    # The form is valid but the service refuses (last seen before first seen): the new person is not kept either.
    response = client.post(url, _link_post(last_seen_0="1", last_seen_1="1", last_seen_2="2026"))
    assert response.status_code == 200 and "The last time seen must be on or after the first" in response.content.decode()
    assert (Link.objects.count(), PersonOfConcern.objects.count()) == (links, persons)


def test_the_police_search_the_records_and_link_one(client, partnership, case):
    p, ruby, takeaway = partnership, case["ruby"], case["takeaway"]
    client.force_login(p.police_officer)
    url = reverse("network:link_child", args=[ruby.pk])
    page = client.get(url, {"q": "golden"}).content.decode()
    assert "Golden Fryer takeaway (location)" in page
    response = client.post(url, _link_post(q="golden", record=str(takeaway.node_id), person_name="", link_type=LinkType.FREQUENTS))
    assert response.status_code == 302
    ends = {services.node_for_child(ruby).pk, takeaway.node_id}
    assert Link.objects.filter(a_id=min(ends), b_id=max(ends), link_type=LinkType.FREQUENTS, source_agency=p.police).exists()
    # A record not offered by the search cannot be slipped in.
    response = client.post(url, _link_post(q="golden", record=str(case["park"].node_id), person_name=""))
    assert response.status_code == 200 and "There is a problem" in response.content.decode()


def test_the_police_link_a_person_to_a_child_from_the_profile(client, partnership, case):
    p = partnership
    client.force_login(p.police_officer)
    other = services.record_person(by=p.police_officer, name="Lenny Fictional")
    url = reverse("network:link_node", args=[other.node_id])
    page = client.get(url, {"q": "Skye"}).content.decode()
    assert "Skye Invented (child" in page
    response = client.post(url, _link_post(q="Skye", record=f"child:{case['skye'].pk}", link_type=LinkType.EXPLOITS))
    assert response.status_code == 302 and response["Location"] == reverse("network:profile", args=[other.node_id])
    assert Link.objects.filter(link_type=LinkType.EXPLOITS, recorded_by=p.police_officer).count() == 1
    # Tia's police are not involved: the search does not find her.
    assert "Tia Invented" not in client.get(url, {"q": "Tia"}).content.decode()


def test_records_disruption_and_ending_a_link(client, partnership, case):
    p, man = partnership, case["man"]
    client.force_login(p.police_officer)
    response = client.post(reverse("network:record_person"), {"name": "Mo Pretend", "guidance": "Call 101"})
    created = PersonOfConcern.objects.get(name="Mo Pretend")
    assert response.status_code == 302 and response["Location"] == reverse("network:profile", args=[created.node_id])
    loaded = created.version
    response = client.post(reverse("network:edit_person", args=[created.node_id]),
                           {"name": "Mo Pretend", "aliases": "Mo", "guidance": "Call 999", "version": loaded})
    created.refresh_from_db()
    assert response.status_code == 302 and created.aliases == "Mo" and created.guidance == "Call 999"
    # A second officer working from the page as it was loaded is refused, and the first change stays.
    response = client.post(reverse("network:edit_person", args=[created.node_id]),
                           {"name": "Mo Pretend", "aliases": "Moe", "guidance": "", "version": loaded})
    created.refresh_from_db()
    assert response.status_code == 200 and "Someone else changed this record" in response.content.decode()
    assert created.aliases == "Mo" and created.guidance == "Call 999"
    today = local_today()
    response = client.post(reverse("network:record_disruption", args=[man.node_id]), {
        "kind": "warning_notice", "happened_on_0": str(today.day), "happened_on_1": str(today.month), "happened_on_2": str(today.year),
        "description": "Harbourer warning served", "outcome": "", "result": "achieved",
    })
    assert response.status_code == 302 and Disruption.objects.get(node=man.node).description == "Harbourer warning served"
    link = Link.objects.get(link_type=LinkType.WORKS_AT)
    url = reverse("network:end_link", args=[link.pk])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200 and "Enter why the link is ended" in response.content.decode()
    response = client.post(url, {"reason": "He left the takeaway in May"})
    link.refresh_from_db()
    assert response.status_code == 302 and link.ended_at is not None
    page = client.get(reverse("network:profile", args=[man.node_id])).content.decode()
    assert "Ended links (1)" in page and "He left the takeaway in May" in page and "Harbourer warning served" in page


def test_the_hotspot_downloads(client, partnership, case):
    client.force_login(partnership.hub)
    page = client.get(reverse("network:hotspots")).content.decode()
    assert "1 place has no coordinates" in page
    rows = list(csv.DictReader(io.StringIO(client.get(reverse("network:hotspots_csv")).content.decode())))
    assert [(r["rank"], r["name"], r["children"], r["episodes"]) for r in rows] == [("1", "Golden Fryer takeaway", "3", "1"), ("2", "Rec ground", "1", "0")]
    assert rows[0]["latitude"] == "53.71000" and rows[1]["latitude"] == ""
    response = client.get(reverse("network:hotspots_geojson"))
    assert response["Content-Type"] == "application/geo+json"
    collection = json.loads(response.content)
    assert collection["type"] == "FeatureCollection"
    (feature,) = collection["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [-1.78, 53.71]}
    assert feature["properties"] == {"rank": 1, "name": "Golden Fryer takeaway", "kind": "Takeaway or restaurant", "children": 3, "episodes": 1,
                                     "recent_links": 2}
    # A period before anything was seen: nothing recent, nothing found there.
    old = {"since_0": "1", "since_1": "1", "since_2": "2020", "until_0": "31", "until_1": "12", "until_2": "2020"}
    rows = list(csv.DictReader(io.StringIO(client.get(reverse("network:hotspots_csv"), old).content.decode())))
    assert [(r["name"], r["episodes"], r["recent_links"]) for r in rows] == [("Golden Fryer takeaway", "0", "0"), ("Rec ground", "0", "0")]


@pytest.mark.finding("F29")
def test_shared_persons_and_groups_are_written_out(client, partnership, case):
    client.force_login(partnership.hub)
    page = client.get(reverse("network:shared")).content.decode()
    assert "Dev Madeup" in page and "Ruby Invented" in page and "Tia Invented" in page
    page = client.get(reverse("network:groups")).content.decode()
    assert "Ruby Invented — supplies drugs — Dev Madeup — supplies drugs — Skye Invented" in page
    assert "Skye Invented — supplies drugs — Dev Madeup — supplies drugs — Tia Invented" in page


@pytest.mark.finding("F29")
def test_the_network_view_carries_the_data_and_the_same_in_tables(client, partnership, case):
    client.force_login(partnership.police_officer)
    response = client.get(reverse("network:child_view", args=[case["ruby"].pk]))
    page = response.content.decode()
    assert '<script id="network-data" type="application/json">' in page
    assert 'role="img"' in page and "network/network-view.js" in page
    data = response.context["data"]
    labels = {n["label"] for n in data["nodes"]}
    assert labels == {"Ruby Invented", "Dev Madeup", "Rec ground", "Skye Invented", "Tia Invented", "Golden Fryer takeaway"}
    assert json.loads(page.split('<script id="network-data" type="application/json">')[1].split("</script>")[0]) == data
    nodes_table = page.split('id="nodes-heading"')[1].split("</table>")[0]
    links_table = page.split('id="links-heading"')[1].split("</table>")[0]
    for label in labels:
        assert label in nodes_table, label
    assert links_table.count("<tr") - 1 == len(data["links"]) == 6
    assert "Supplies drugs or alcohol to" in links_table and "B: Known indirectly, corroborated" in links_table
    # Depth 1 and only supply links: the places drop out.
    response = client.get(reverse("network:child_view", args=[case["ruby"].pk]), {"depth": "1", "link_types": [LinkType.SUPPLIES]})
    assert {n["label"] for n in response.context["data"]["nodes"]} == {"Ruby Invented", "Dev Madeup"}
    # Only grade A links from the man: the takeaway where he works.
    response = client.get(reverse("network:node_view", args=[case["man"].node_id]), {"depth": "1", "grades": ["A"]})
    assert {n["label"] for n in response.context["data"]["nodes"]} == {"Dev Madeup", "Golden Fryer takeaway"}


def _profile_queries(client, node_id) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("network:profile", args=[node_id]))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_profile_queries_do_not_grow_with_the_links(client, partnership, case):
    p = partnership
    client.force_login(p.police_officer)
    lone = services.record_person(by=p.police_officer, name="Lone Person")
    services.link(by=p.police_officer, a=lone.node, b=case["park"].node, link_type=LinkType.FREQUENTS, **grade())
    services.record_disruption(by=p.police_officer, node=lone.node, kind="arrest", happened_on=local_today(), description="Arrested")
    busy = case["man"]
    for n in range(6):
        place = services.record_location(by=p.police_officer, name=f"Flat {n}", kind=LocationKind.PRIVATE_ADDRESS)
        link = services.link(by=p.police_officer, a=busy.node, b=place.node, link_type=LinkType.LIVES_AT, **grade())
        if n % 2:
            services.end_link(by=p.police_officer, link=link, reason="Moved")
        services.record_disruption(by=p.police_officer, node=busy.node, kind="premises_visit", happened_on=local_today(), description=f"Visit {n}")
    _profile_queries(client, lone.node_id)
    assert _profile_queries(client, lone.node_id) == _profile_queries(client, busy.node_id)


def test_a_peer_child_is_not_named_to_an_agency_that_only_works_with_one_of_them(client, partnership, case):
    p, ruby, skye = partnership, case["ruby"], case["skye"]
    services.link(by=p.police_officer, a=services.node_for_child(ruby), b=services.node_for_child(skye), link_type=LinkType.PEER, **grade())
    client.force_login(p.school_lead)
    page = _section(client.get(reverse("children:detail", args=[ruby.pk])).content.decode())
    assert "Another child" in page and "Skye Invented" not in page
    client.force_login(p.police_officer)
    page = _section(client.get(reverse("children:detail", args=[ruby.pk])).content.decode())
    assert "Skye Invented" in page and reverse("children:detail", args=[skye.pk]) in page


def test_screenings_and_return_interviews_offer_linking_there_and_then(client, partnership, case):
    from lantern.missing.tests.factories import at, hold_interview, record_episode
    from lantern.risk.services import submit_screening

    p, ruby = partnership, case["ruby"]
    client.force_login(p.school_lead)
    screening = submit_screening(by=p.school_lead, child=ruby, indicators=[])
    page = client.get(reverse("risk:screening", args=[screening.pk])).content.decode()
    link = reverse("network:link_child", args=[ruby.pk])
    assert f'{link}?source=screening&amp;detail=Screening%20by%20Testford%20Academy' in page
    episode = record_episode(by=p.school_lead, child=ruby, started_at=at(2026, 2, 1, 20), returned_at=at(2026, 2, 2, 8))
    hold_interview(by=p.school_lead, episode=episode, offered_at=at(2026, 2, 2, 9), held_at=at(2026, 2, 3, 16))
    page = client.get(reverse("missing:detail", args=[episode.pk])).content.decode()
    assert f'{link}?source=return_interview&amp;detail=Return%20interview%20of%203%20February%202026' in page
    # Followed, the form says where the information came from.
    page = client.get(link, {"source": "return_interview", "detail": "Return interview of 3 February 2026"}).content.decode()
    assert 'value="return_interview" checked' in page and 'value="Return interview of 3 February 2026"' in page


def test_meeting_items_offer_linking_there_and_then(client, partnership, case):
    from lantern.meetings import services as meetings
    from lantern.meetings.models import ItemReason
    from lantern.meetings.tests.factories import arrange

    p, ruby = partnership, case["ruby"]
    meeting = arrange(by=p.hub)
    child_item = meetings.add_child_item(by=p.hub, meeting=meeting, child=ruby)
    topic_item = meetings.add_topic_item(by=p.hub, meeting=meeting, reason=ItemReason.PERSON, topic="Dev Madeup")
    client.force_login(p.hub)
    page = client.get(reverse("meetings:item", args=[child_item.pk])).content.decode()
    assert f'{reverse("network:link_child", args=[ruby.pk])}?source=meeting_item&amp;detail=Testshire%20exploitation%20meeting' in page
    page = client.get(reverse("meetings:item", args=[topic_item.pk])).content.decode()
    assert f'{reverse("network:index")}?q=Dev%20Madeup' in page
    # A chair who does not see the intelligence is not offered the search.
    client.force_login(p.chair)
    response = client.get(reverse("meetings:item", args=[topic_item.pk]))
    assert response.status_code == 200 and "Dev Madeup" in response.content.decode()
    assert reverse("network:index") not in response.content.decode()
