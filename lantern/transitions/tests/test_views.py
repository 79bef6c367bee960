"""The transitions pages as users see them: the child page sections, forms and their errors,
the list of young people turning 18, need to know, and query counts that do not grow."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lantern.children.models import AccessLogEntry, IdentifierKind
from lantern.children.services import add_involvement, request_break_glass
from lantern.children.tests.factories import register_child
from lantern.core.concurrency import CONCURRENT_EDIT_MESSAGE
from lantern.core.dates import local_today
from lantern.transitions import services
from lantern.transitions.models import OutOfAreaPlacement, PlanStatus, TransitionPlan, birthday

from .factories import born_aged, days_ago, placement, plan


def _date(prefix: str, value: dt.date) -> dict:
    return {f"{prefix}_0": value.day, f"{prefix}_1": value.month, f"{prefix}_2": value.year}


@pytest.fixture
def young_person(partnership):
    p = partnership
    child = register_child(by=p.social_worker, date_of_birth=born_aged(17, days_past_birthday=100), first_name="Eden",
                           last_name="Larkspur", make_lead=True, identifiers=[(IdentifierKind.NHS, "943 476 5919")])
    add_involvement(by=p.social_worker, child=child, agency=p.school, role="College safeguarding lead", professional=p.school_lead)
    return child


def _plan_post(partnership, child, **overrides) -> dict:
    data = {**_date("due_on", birthday(child.date_of_birth, 18) - dt.timedelta(days=100)), "status": "in_progress",
            "owner": f"{partnership.social_care.pk}:{partnership.social_worker.pk}", "receiving_services": ["leaving_care", "housing"],
            "summary": "Supported flat at 18.", "young_persons_words": ""}
    data.update(overrides)
    return data


@pytest.mark.finding("F23")
def test_recording_and_changing_the_plan_through_the_pages(client, partnership, young_person):
    p = partnership
    client.force_login(p.social_worker)
    page = client.get(reverse("children:detail", args=[young_person.pk])).content.decode()
    assert 'id="section-transition"' in page and "No plan yet" in page
    url = reverse("transitions:plan", args=[young_person.pk])
    assert url in page

    form = client.get(url).content.decode()
    assert "Record a transition plan" in form and "Sam Lead, Testford Academy" in form and "Nina Nurse" not in form
    bad = client.post(url, _plan_post(p, young_person, status="agreed", owner="", receiving_services=[],
                                      **_date("due_on", birthday(young_person.date_of_birth, 18) + dt.timedelta(days=1))))
    content = bad.content.decode()
    assert bad.status_code == 200 and "govuk-error-summary" in content
    assert "Select who is responsible for the plan" in content
    assert not TransitionPlan.objects.exists()
    bad = client.post(url, _plan_post(p, young_person, status="agreed",
                                      **_date("due_on", birthday(young_person.date_of_birth, 18) + dt.timedelta(days=1))))
    content = bad.content.decode()
    assert "on or before the young person&#x27;s 18th birthday" in content and "Enter the date the plan was agreed" in content
    assert "in their own words" in content and not TransitionPlan.objects.exists()

    good = client.post(url, _plan_post(p, young_person))
    assert good.status_code == 302 and good["Location"] == reverse("transitions:child", args=[young_person.pk])
    saved = TransitionPlan.objects.get()
    assert saved.receiving_services == ["leaving_care", "housing"] and saved.owner == p.social_worker

    # The change form starts from the plan; a stale version is refused and nothing is overwritten.
    change = client.get(url).content.decode()
    assert "Change the transition plan" in change and 'name="version" id="id_version" value="1"' in change
    client.force_login(p.school_lead)
    assert client.post(url, _plan_post(p, young_person, version="1", summary="Changed by the college")).status_code == 302
    client.force_login(p.social_worker)
    stale = client.post(url, _plan_post(p, young_person, version="1", summary="My older change"))
    assert stale.status_code == 200 and CONCURRENT_EDIT_MESSAGE.replace("'", "&#x27;") in stale.content.decode()
    assert TransitionPlan.objects.get().summary == "Changed by the college"

    record = client.get(reverse("transitions:child", args=[young_person.pk])).content.decode()
    assert "Changed by the college" in record and "Leaving care team, Housing" in record and "Every version of the plan (2)" in record


def test_a_child_under_16_sees_when_planning_starts(client, partnership):
    p = partnership
    child = register_child(by=p.social_worker, age=14)
    client.force_login(p.social_worker)
    page = client.get(reverse("children:detail", args=[child.pk])).content.decode()
    assert "Planning for adulthood starts" in page and reverse("transitions:plan", args=[child.pk]) not in page
    assert client.get(reverse("transitions:plan", args=[child.pk])).status_code == 302


@pytest.mark.finding("F26")
def test_recording_a_placement_its_information_and_its_end_through_the_pages(client, partnership, young_person):
    p = partnership
    client.force_login(p.social_worker)
    page = client.get(reverse("children:detail", args=[young_person.pk])).content.decode()
    assert "Not placed out of area" in page
    url = reverse("transitions:record_placement", args=[young_person.pk])
    assert url in page

    bad = client.post(url, {"placing_agency": p.social_care.pk, "host_authority": "Westmarsh Borough Council",
                            "placement_area": "4 Mill Lane, Saltby", **_date("started_on", days_ago(3)),
                            "information_requested": "Police intelligence", **_date("information_due_on", days_ago(5))})
    content = bad.content.decode()
    assert bad.status_code == 200 and "govuk-error-summary" in content and "not the address or the full postcode" in content
    assert "on or after the start of the placement" in content and not OutOfAreaPlacement.objects.exists()
    good = client.post(url, {"placing_agency": p.social_care.pk, "host_authority": "Westmarsh Borough Council",
                             "placement_area": "Saltby", **_date("started_on", days_ago(3)), **_date("notified_host_on", days_ago(5)),
                             "host_contact_name": "Robin Larchmoor", "host_contact_email": "robin@example.gov.uk",
                             "information_requested": "Police intelligence", **_date("information_due_on", days_ago(1))})
    assert good.status_code == 302
    saved = OutOfAreaPlacement.objects.get()
    page = client.get(reverse("children:detail", args=[young_person.pk])).content.decode()
    assert "Placed out of area in Saltby (Westmarsh Borough Council)" in page and "Overdue" in page

    info_url = reverse("transitions:record_information", args=[saved.pk])
    assert "Enter what the host authority sent" in client.post(info_url, _date("received_on", local_today())).content.decode()
    assert client.post(info_url, {**_date("received_on", local_today()), "information": "Nothing known."}).status_code == 302
    assert client.get(info_url).status_code == 302  # already recorded: back to the record
    end_url = reverse("transitions:end_placement", args=[saved.pk])
    assert "Enter why the placement ended" in client.post(end_url, _date("ended_on", local_today())).content.decode()
    assert client.post(end_url, {**_date("ended_on", local_today()), "reason": "Came home"}).status_code == 302
    assert client.get(end_url).status_code == 302
    saved.refresh_from_db()
    assert saved.information_received == "Nothing known." and saved.ended_on == local_today()
    record = client.get(reverse("transitions:child", args=[young_person.pk])).content.decode()
    assert "Nothing known." in record and "Came home" in record and "Robin Larchmoor" in record


def test_who_sees_and_records_what(client, partnership, young_person):
    p = partnership
    saved = placement(by=p.social_worker, child=young_person, agency=p.social_care)
    urls = [reverse("transitions:child", args=[young_person.pk]), reverse("transitions:plan", args=[young_person.pk]),
            reverse("transitions:record_placement", args=[young_person.pk]),
            reverse("transitions:record_information", args=[saved.pk]), reverse("transitions:end_placement", args=[saved.pk])]
    # An agency not involved is told the child is not found, on every page and post.
    client.force_login(p.police_officer)
    for url in urls:
        assert client.get(url).status_code == 404
        assert client.post(url, {"reason": "x", "information": "x"}).status_code == 404
    assert young_person.display_name not in client.get(reverse("transitions:list")).content.decode()
    assert not TransitionPlan.objects.exists() and OutOfAreaPlacement.objects.get().version == 1

    # The school works with the young person: it records the plan but not placements.
    client.force_login(p.school_lead)
    assert client.get(urls[0]).status_code == 200 and client.get(urls[1]).status_code == 200
    for url in urls[2:]:
        assert client.get(url).status_code == 403
        assert client.post(url, {"reason": "x", "information": "x", **_date("ended_on", local_today())}).status_code == 403
    page = client.get(reverse("children:detail", args=[young_person.pk])).content.decode()
    assert "Placed out of area in Saltby" in page and reverse("transitions:end_placement", args=[saved.pk]) not in page
    assert OutOfAreaPlacement.objects.get().ended_on is None

    # Emergency access reads (and the read is logged) but records nothing.
    request_break_glass(by=p.police_officer, identifier_kind=IdentifierKind.NHS, identifier_value="9434765919",
                        date_of_birth=young_person.date_of_birth, reason="Found with older males at 2am, need to know who to call")
    client.force_login(p.police_officer)
    record = client.get(urls[0])
    assert record.status_code == 200 and b"Record a transition plan" not in record.content
    assert client.get(urls[1]).status_code == 403
    assert AccessLogEntry.objects.filter(user=p.police_officer, child=young_person, break_glass__isnull=False).exists()


def test_the_list_is_scoped_to_the_children_the_user_may_see(client, partnership, young_person):
    p = partnership
    police_child = register_child(by=p.police_officer, date_of_birth=born_aged(17), first_name="Gwen")
    client.force_login(p.school_lead)
    page = client.get(reverse("transitions:list")).content.decode()
    assert young_person.display_name in page and police_child.display_name not in page and "1 young person" in page
    client.force_login(p.hub)
    page = client.get(reverse("transitions:list")).content.decode()
    assert young_person.display_name in page and police_child.display_name in page
    client.force_login(p.auditor)
    assert client.get(reverse("transitions:list")).status_code == 403


def test_pages_make_the_same_number_of_queries_whatever_the_record(client, partnership, young_person):
    p = partnership
    client.force_login(p.social_worker)

    def queries(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    bare = register_child(by=p.social_worker, date_of_birth=born_aged(17, days_past_birthday=10), first_name="Bare")
    queries(reverse("transitions:list"))
    one_plan = queries(reverse("transitions:list"))
    child_page = queries(reverse("children:detail", args=[bare.pk]))
    record = queries(reverse("transitions:child", args=[bare.pk]))

    first = plan(by=p.social_worker, child=young_person)
    plan(by=p.social_worker, child=young_person, status=PlanStatus.NOT_STARTED, expected_version=first.version)
    for n in range(3):
        placed = placement(by=p.social_worker, child=young_person, agency=p.social_care, started_on=days_ago(300 - 50 * n))
        services.end_out_of_area_placement(by=p.social_worker, placement=placed, ended_on=days_ago(280 - 50 * n), reason="Moved")
    placement(by=p.social_worker, child=young_person, agency=p.social_care)
    for n in range(3):
        other = register_child(by=p.social_worker, date_of_birth=born_aged(17, days_past_birthday=n + 1))
        plan(by=p.social_worker, child=other)
    assert queries(reverse("transitions:list")) == one_plan
    assert queries(reverse("children:detail", args=[young_person.pk])) == child_page
    assert queries(reverse("transitions:child", args=[young_person.pk])) == record
