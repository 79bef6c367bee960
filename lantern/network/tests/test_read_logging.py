"""Every read of a record the network's pages and downloads show is logged: each child's in the
children's access log, as every read of a child's record is; each person's, place's, vehicle's and
business's in the network's own log."""

import pytest
from django.urls import reverse

from lantern.children.models import AccessLogEntry, AccessPurpose
from lantern.network.models import NetworkAccess
from lantern.network.tests.test_views import case  # noqa: F401 - the fixture


def _network_reads(user, path) -> dict[int, int]:
    """For each record, how many reads of it `user` made through `path`."""
    out: dict[int, int] = {}
    for node_id in NetworkAccess.objects.filter(user=user, path__startswith=path).values_list("node_id", flat=True):
        out[node_id] = out.get(node_id, 0) + 1
    return out


def _child_reads(user, path, purpose=AccessPurpose.PAGE) -> dict[int, int]:
    out: dict[int, int] = {}
    for child_id in AccessLogEntry.objects.filter(user=user, path__startswith=path, purpose=purpose).values_list("child_id", flat=True):
        out[child_id] = out.get(child_id, 0) + 1
    return out


@pytest.fixture
def police(client, partnership):
    client.force_login(partnership.police_officer)
    return partnership.police_officer


def test_the_shared_persons_page_logs_the_person_and_each_child(client, case, police):  # noqa: F811
    path = reverse("network:shared")
    assert client.get(path).status_code == 200
    assert _network_reads(police, path) == {case["man"].node_id: 1}
    assert _child_reads(police, path) == {case["ruby"].pk: 1, case["skye"].pk: 1, case["tia"].pk: 1}


def test_the_groups_page_logs_every_record_in_the_groups(client, case, police):  # noqa: F811
    path = reverse("network:groups")
    assert client.get(path).status_code == 200
    assert _network_reads(police, path) == {case["man"].node_id: 1}
    assert _child_reads(police, path) == {case["ruby"].pk: 1, case["skye"].pk: 1, case["tia"].pk: 1}
    # Through places as well: the takeaway and the park join the group, and are logged.
    assert client.get(path, {"places": "1"}).status_code == 200
    assert _network_reads(police, path) == {case["man"].node_id: 2, case["takeaway"].node_id: 1, case["park"].node_id: 1}


def test_the_hotspots_page_and_downloads_log_each_place(client, case, police):  # noqa: F811
    places = {case["takeaway"].node_id: 1, case["park"].node_id: 1}
    for name in ("network:hotspots", "network:hotspots_csv", "network:hotspots_geojson"):
        path = reverse(name)
        assert client.get(path).status_code == 200
        assert _network_reads(police, path) == places, name
    assert not AccessLogEntry.objects.filter(user=police).exists()  # no child is named in them


def test_the_network_view_logs_every_record_and_child_shown(client, case, police):  # noqa: F811
    man, ruby = case["man"].node_id, case["ruby"]
    path = reverse("network:node_view", args=[man])
    assert client.get(path).status_code == 200
    # The man once (the view around him), and the places within 2 links.
    assert _network_reads(police, path) == {man: 1, case["takeaway"].node_id: 1, case["park"].node_id: 1}
    assert _child_reads(police, path) == {ruby.pk: 1, case["skye"].pk: 1, case["tia"].pk: 1}

    path = reverse("network:child_view", args=[ruby.pk])
    assert client.get(path, {"depth": "1"}).status_code == 200
    assert _child_reads(police, path) == {ruby.pk: 1}  # Ruby once: the view around her
    assert _network_reads(police, path) == {man: 1, case["park"].node_id: 1}
    assert client.get(path).status_code == 200  # depth 2: the other girls, through the man
    assert _child_reads(police, path) == {ruby.pk: 2, case["skye"].pk: 1, case["tia"].pk: 1}


def test_a_refused_look_logs_nothing(client, partnership, case):  # noqa: F811
    client.force_login(partnership.school_lead)
    for path in (reverse("network:shared"), reverse("network:groups"), reverse("network:hotspots_csv"),
                 reverse("network:node_view", args=[case["man"].node_id])):
        assert client.get(path).status_code == 404
    assert not NetworkAccess.objects.filter(user=partnership.school_lead).exists()
    assert not AccessLogEntry.objects.filter(user=partnership.school_lead).exists()
