"""Disruption counted for the board (F31): the counts of a period by kind, by what it was against
and by outcome, on the page and in the spreadsheet, without a name; "not found" to anyone else."""

import csv
import datetime as dt
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lantern.core.dates import local_today
from lantern.network import services
from lantern.network.models import BusinessKind, DisruptionKind, DisruptionResult, LocationKind


def _query(since: dt.date, until: dt.date) -> dict:
    return {"since_0": since.day, "since_1": since.month, "since_2": since.year, "until_0": until.day, "until_1": until.month, "until_2": until.year}


def _rows(page: str, table_id: str) -> dict[str, list[str]]:
    """The rows of a table on the page: its heading cell, then the numbers."""
    table = page.split(f'id="{table_id}"')[1].split("</table>")[0]
    out = {}
    for row in re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", table.split("<tbody")[1], flags=re.S):
        cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)]
        out[cells[0]] = cells[1:]
    return out


@pytest.fixture
def disrupted(partnership):
    """A year of disruption against a man, his flat, the taxi firm he drives for and his car."""
    p = partnership
    today = local_today()
    man = services.record_person(by=p.police_officer, name="Jay Notreal", estimated_age=31)
    flat = services.record_location(by=p.police_officer, name="Flat 3 Mill Street", kind=LocationKind.PRIVATE_ADDRESS)
    taxi = services.record_business(by=p.police_officer, name="Star Cars private hire", kind=BusinessKind.TAXI)
    car = services.record_vehicle(by=p.police_officer, registration="BF19XKR")
    for node, kind, ago, result in [
        (man.node, DisruptionKind.WARNING_NOTICE, 150, DisruptionResult.ACHIEVED),
        (man.node, DisruptionKind.ARREST, 40, DisruptionResult.AWAITED),
        (man.node, DisruptionKind.CHARGE, 39, DisruptionResult.ACHIEVED),
        (man.node, DisruptionKind.PROSECUTION, 10, DisruptionResult.AWAITED),
        (man.node, DisruptionKind.ORDER, 300, ""),  # recorded before the question was asked
        (flat.node, DisruptionKind.PREMISES_VISIT, 20, DisruptionResult.NOT_ACHIEVED),
        (flat.node, DisruptionKind.SEIZURE, 120, DisruptionResult.ACHIEVED),
        (taxi.node, DisruptionKind.LICENSING, 95, DisruptionResult.ACHIEVED),
        (car.node, DisruptionKind.SEIZURE, 40, DisruptionResult.ACHIEVED),
        (man.node, DisruptionKind.ARREST, 500, DisruptionResult.ACHIEVED),  # before the period
    ]:
        services.record_disruption(by=p.police_officer, node=node, kind=kind, happened_on=today - dt.timedelta(days=ago),
                                   description="What was done", result=result)
    return today - dt.timedelta(days=365), today


@pytest.mark.finding("F31")
def test_the_board_sees_the_counts_of_the_period_on_the_page_and_in_the_spreadsheet(client, partnership, disrupted):
    since, until = disrupted
    client.force_login(partnership.board_member)
    response = client.get(reverse("network:disruption"), _query(since, until))
    assert response.status_code == 200
    page = response.content.decode()
    assert "9 disruptions in the period" in page
    assert "Jay Notreal" not in page and "Star Cars" not in page and "BF19XKR" not in page and "Mill Street" not in page
    assert 'href="/network/"' not in page  # the board member is not offered the network's own pages
    # Columns: against persons, locations, businesses, vehicles; total.
    against = _rows(page, "against")
    assert against["Arrest"] == ["1", "0", "0", "0", "1"]
    assert against["Warning notice (child abduction or harbourer)"] == ["1", "0", "0", "0", "1"]
    assert against["Seizure"] == ["0", "1", "0", "1", "2"]
    assert against["Licensing action"] == ["0", "0", "1", "0", "1"]
    assert against["Premises visit"] == ["0", "1", "0", "0", "1"]
    assert against["All disruption"] == ["5", "2", "1", "1", "9"]
    # Columns: achieved, not achieved, awaited, not recorded.
    outcomes = _rows(page, "outcomes")
    assert outcomes["Arrest"] == ["0", "0", "1", "0"]
    assert outcomes["Prosecution"] == ["0", "0", "1", "0"]
    assert outcomes["Order (for example a sexual risk or slavery and trafficking order)"] == ["0", "0", "0", "1"]
    assert outcomes["Premises visit"] == ["0", "1", "0", "0"]
    assert outcomes["All disruption"] == ["5", "1", "2", "1"]
    assert re.search(r"Persons disrupted</dt><dd[^>]*>1<", page) and re.search(r"Locations disrupted</dt><dd[^>]*>1<", page)

    download = client.get(reverse("network:disruption_csv"), _query(since, until))
    assert download.status_code == 200
    assert download["Content-Disposition"] == f'attachment; filename="disruption-{since:%Y-%m-%d}-to-{until:%Y-%m-%d}.csv"'
    text = download.content.decode()
    assert "Jay Notreal" not in text and "Star Cars" not in text
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["kind of disruption", "against persons", "against locations", "against businesses", "against vehicles",
                       "achieved", "not achieved", "outcome awaited", "outcome not recorded", "total"]
    by_kind = {row[0]: row[1:] for row in rows[1:]}
    assert by_kind["Arrest"] == ["1", "0", "0", "0", "0", "0", "1", "0", "1"]
    assert by_kind["Seizure"] == ["0", "1", "0", "1", "2", "0", "0", "0", "2"]
    assert by_kind["Other disruption"] == ["0"] * 9
    assert by_kind["All disruption"] == ["5", "2", "1", "1", "5", "1", "2", "1", "9"]

    # A period that takes in the older arrest counts it.
    older = client.get(reverse("network:disruption_csv"), _query(until - dt.timedelta(days=600), until)).content.decode()
    assert {row[0]: row[-1] for row in csv.reader(io.StringIO(older))}["Arrest"] == "2"


@pytest.mark.finding("F31")
@pytest.mark.parametrize("who", ["school_lead", "social_worker", "nurse", "auditor"])
def test_the_counts_are_not_found_for_anyone_else(client, partnership, disrupted, who):
    client.force_login(getattr(partnership, who))
    assert client.get(reverse("network:disruption")).status_code == 404
    assert client.get(reverse("network:disruption_csv")).status_code == 404


@pytest.mark.parametrize("who", ["police_officer", "hub"])
def test_the_police_and_the_hub_reach_it_from_the_network_pages(client, partnership, disrupted, who):
    client.force_login(getattr(partnership, who))
    assert reverse("network:disruption") in client.get(reverse("network:hotspots")).content.decode()
    page = client.get(reverse("network:disruption")).content.decode()
    assert "9 disruptions in the period" in page and 'aria-current="page">Disruption for the board' in page


def test_the_outcome_is_asked_when_disruption_is_recorded(client, partnership):
    p = partnership
    man = services.record_person(by=p.police_officer, name="Jay Notreal")
    with pytest.raises(ValidationError) as error:
        services.record_disruption(by=p.police_officer, node=man.node, kind="arrest", happened_on=local_today(), description="x", result="maybe")
    assert "result" in error.value.message_dict
    client.force_login(p.police_officer)
    url = reverse("network:record_disruption", args=[man.node_id])
    today = local_today()
    data = {"kind": "arrest", "happened_on_0": today.day, "happened_on_1": today.month, "happened_on_2": today.year, "description": "Arrested"}
    response = client.get(url)
    assert "Did it achieve what it set out to?" in response.content.decode()
    response = client.post(url, data)
    assert response.status_code == 200 and "Select whether it achieved what it set out to" in response.content.decode()
    assert client.post(url, {**data, "result": "awaited"}).status_code == 302
    assert man.node.disruptions.get().result == DisruptionResult.AWAITED
