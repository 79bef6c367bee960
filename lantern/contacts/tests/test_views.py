"""The contacts and supervision pages as users see them: the child page sections, the forms and
their errors, the list and its filter, need to know, and query counts that do not grow."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lantern.children.models import AccessLogEntry, IdentifierKind
from lantern.children.services import add_involvement, request_break_glass
from lantern.children.tests.factories import register_child
from lantern.contacts.models import Contact, ContactKind, Place, SupervisionRecord
from lantern.contacts.selectors import child_contacts_section, child_supervision_section
from lantern.core.dates import local_today
from lantern.partnership.models import Role
from lantern.partnership.tests.factories import AgencyFactory, make_user

from .factories import contact, hours_ago, supervision


def _date(prefix: str, value: dt.date) -> dict:
    return {f"{prefix}_0": value.day, f"{prefix}_1": value.month, f"{prefix}_2": value.year}


@pytest.fixture
def child(partnership):
    p = partnership
    child = register_child(by=p.social_worker, age=14, first_name="Gwen", last_name="Ashgrove", make_lead=True,
                           identifiers=[(IdentifierKind.NHS, "943 476 5919")])
    add_involvement(by=p.social_worker, child=child, agency=p.police, role="Officer", professional=p.police_officer)
    return child


@pytest.mark.finding("F20")
def test_recording_a_contact_through_the_pages(client, partnership, child):
    p = partnership
    client.force_login(p.police_officer)
    page = client.get(reverse("children:detail", args=[child.pk])).content.decode()
    assert 'id="section-contacts"' in page and "No successful contact is recorded." in page
    url = reverse("contacts:record", args=[child.pk])
    assert url in page
    assert client.get(url).status_code == 200

    tomorrow = local_today() + dt.timedelta(days=1)
    bad = client.post(url, {**_date("happened_at_date", tomorrow), "happened_at_time": "25:00", "kind": "face_to_face", "summary": ""})
    content = bad.content.decode()
    assert bad.status_code == 200 and "govuk-error-summary" in content
    assert "Enter what happened" in content and "Enter a real time on the 24-hour clock" in content
    bad = client.post(url, {**_date("happened_at_date", tomorrow), "happened_at_time": "10:00", "kind": "face_to_face",
                            "summary": "Seen"})
    content = bad.content.decode()
    assert "The contact must be now or in the past" in content and "Select who the child was with" in content
    assert "Select where the contact was" in content
    assert not Contact.objects.exists()

    yesterday = local_today() - dt.timedelta(days=1)
    done = client.post(url, {**_date("happened_at_date", yesterday), "happened_at_time": "16:30", "kind": "face_to_face",
                             "with_whom": "alone", "place": "community", "place_detail": "Bus station",
                             "summary": "Found her at the bus station with two older males.", "childs_words": "They're just mates."})
    assert done.status_code == 302 and done["Location"] == reverse("contacts:child", args=[child.pk])
    saved = Contact.objects.get()
    assert saved.professional == p.police_officer and saved.agency == p.police and saved.place_detail == "Bus station"

    listing = client.get(done["Location"]).content.decode()
    assert "Found her at the bus station" in listing and "They&#x27;re just mates." in listing
    page = client.get(reverse("children:detail", args=[child.pk])).content.decode()
    assert "Last seen or spoken to <strong>1 day ago</strong>" in page and "Testshire Police" in page


def test_the_list_is_paginated_newest_first_and_filtered_by_agency(client, partnership, child, settings):
    p = partnership
    settings.LANTERN_PAGE_SIZE = 3
    for n in range(4):
        contact(by=p.social_worker, child=child, happened_at=hours_ago(10 + n), summary=f"Social work visit {n}")
    contact(by=p.police_officer, child=child, happened_at=hours_ago(1), kind=ContactKind.PHONE, place="", summary="Police call")
    client.force_login(p.social_worker)
    url = reverse("contacts:child", args=[child.pk])
    first = client.get(url).content.decode()
    assert first.index("Police call") < first.index("Social work visit 0") and "Social work visit 2" not in first
    assert "Page 1 of 2" in first
    second = client.get(url, {"page": 2}).content.decode()
    assert "Social work visit 2" in second and "Social work visit 3" in second
    police = client.get(url, {"agency": p.police.pk}).content.decode()
    assert "Police call" in police and "Social work visit" not in police
    # An agency that is not a choice shows everything rather than an error.
    assert "Police call" in client.get(url, {"agency": "nonsense"}).content.decode()


def test_the_pages_are_not_found_for_an_agency_not_involved(client, partnership, child):
    p = partnership
    contact(by=p.social_worker, child=child)
    supervision(by=p.social_care_manager, child=child)
    client.force_login(p.school_lead)
    for name in ("contacts:child", "contacts:record", "contacts:supervision", "contacts:record_supervision"):
        url = reverse(name, args=[child.pk])
        assert client.get(url).status_code == 404, name
        assert client.post(url, {"summary": "x"}).status_code == 404, name
    assert Contact.objects.count() == 1 and SupervisionRecord.objects.count() == 1
    assert not AccessLogEntry.objects.filter(user=p.school_lead).exists()


def test_emergency_access_reads_contacts_but_does_not_record(client, partnership, child):
    p = partnership
    contact(by=p.social_worker, child=child, summary="Visit at home")
    request_break_glass(by=p.nurse, identifier_kind=IdentifierKind.NHS, identifier_value="9434765919",
                        date_of_birth=child.date_of_birth, reason="Seen in A&E at night; need to know who works with her")
    client.force_login(p.nurse)
    assert "Visit at home" in client.get(reverse("contacts:child", args=[child.pk])).content.decode()
    assert client.get(reverse("contacts:record", args=[child.pk])).status_code == 403
    assert client.get(reverse("contacts:supervision", args=[child.pk])).status_code == 404


@pytest.mark.finding("F38")
def test_recording_supervision_through_the_pages(client, partnership, child):
    p = partnership
    client.force_login(p.social_care_manager)
    page = client.get(reverse("children:detail", args=[child.pk])).content.decode()
    assert 'id="section-supervision"' in page and "No supervision of this child is recorded." in page
    url = reverse("contacts:record_supervision", args=[child.pk])
    assert url in page
    form = client.get(url).content.decode()
    assert 'name="supervisor"' not in form  # a manager records the supervision they gave
    bad = client.post(url, {**_date("held_on", local_today() + dt.timedelta(days=2)), "reflection": ""})
    content = bad.content.decode()
    assert "govuk-error-summary" in content and "Enter the reflection on the exploitation risk" in content
    bad = client.post(url, {**_date("held_on", local_today() + dt.timedelta(days=2)), "reflection": "Rising",
                            "supervisee": p.police_officer.pk})
    content = bad.content.decode()
    assert "must be today or in the past" in content and "Select someone who works for Testshire Children" in content
    assert not SupervisionRecord.objects.exists()
    done = client.post(url, {**_date("held_on", local_today()), "supervisee": p.social_worker.pk,
                             "reflection": "Missing episodes rising; the plan is not reducing the risk.",
                             "actions_agreed": "Ask for a strategy discussion."})
    assert done.status_code == 302 and done["Location"] == reverse("contacts:supervision", args=[child.pk])
    listing = client.get(done["Location"]).content.decode()
    assert "Missing episodes rising" in listing and "Ask for a strategy discussion." in listing

    # The hub chooses the supervisor.
    client.force_login(p.hub)
    form = client.get(url).content.decode()
    assert 'name="supervisor"' in form and "Mo Manager, manager, Testshire Children&#x27;s Social Care" in form
    membership = p.social_care_manager.memberships.get()
    assert client.post(url, {"supervisor": membership.pk, **_date("held_on", local_today()), "reflection": "Reviewed"}).status_code == 302
    assert SupervisionRecord.objects.filter(recorded_by=p.hub, supervisor=p.social_care_manager).exists()


@pytest.mark.finding("F38")
def test_who_sees_supervision(client, partnership, child):
    p = partnership
    supervision(by=p.social_care_manager, child=child, supervisee=p.social_worker, reflection="About Sally's work")
    police_manager = make_user(p.police, Role.MANAGER, name="Police Manager")
    colleague = make_user(p.social_care, Role.PRACTITIONER, name="Other Worker")
    url = reverse("contacts:supervision", args=[child.pk])
    for user, sees in [(p.social_care_manager, True), (police_manager, True), (p.hub, True), (p.social_worker, True),
                       (p.police_officer, False), (colleague, False), (p.chair, False)]:
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == (200 if sees else 404), user
        page = client.get(reverse("children:detail", args=[child.pk])).content.decode()
        assert ("About Sally" in page) is sees, user
        if not sees:
            assert "Supervision records are seen only by the managers" in page
    # Only managers and the hub may record: the practitioner supervised reads but does not record.
    client.force_login(p.social_worker)
    assert client.get(reverse("contacts:record_supervision", args=[child.pk])).status_code == 404
    assert "Record supervision" not in client.get(url).content.decode()


def test_section_queries_do_not_grow_with_the_record(partnership, child):
    p = partnership
    small = register_child(by=p.social_worker, make_lead=True)
    for n in range(6):
        agency = AgencyFactory()
        worker = make_user(agency, Role.PRACTITIONER)
        add_involvement(by=p.social_worker, child=child, agency=agency, role=f"Worker {n}", professional=worker)
        contact(by=worker, child=child, happened_at=hours_ago(5 + n))
        contact(by=worker, child=child, happened_at=hours_ago(50 + n), kind=ContactKind.ATTEMPTED, place=Place.HOME)
    for n in range(5):
        supervision(by=p.social_care_manager, child=child, supervisee=p.social_worker)
    for user in (p.social_worker, p.social_care_manager, p.hub):
        counts = []
        _ = user.access  # loaded once per request, before any section
        for each in (small, child):
            each.user_may_edit = True  # as the child page has it, from access_child
            with CaptureQueriesContext(connection) as contacts_ctx:
                child_contacts_section(user, each)
            with CaptureQueriesContext(connection) as supervision_ctx:
                section = child_supervision_section(user, each)
            counts.append((len(contacts_ctx.captured_queries), len(supervision_ctx.captured_queries)))
        assert counts[0] == counts[1], user
        assert counts[0][0] == 3 and counts[0][1] <= 2
    assert len(section["records"]) == 3 and section["more"]


def test_the_list_page_queries_do_not_grow(client, partnership, child):
    p = partnership
    small = register_child(by=p.social_worker, make_lead=True)
    contact(by=p.social_worker, child=small)  # an empty list does not fetch a page
    for n in range(8):
        contact(by=p.social_worker if n % 2 else p.police_officer, child=child, happened_at=hours_ago(3 + n))
    client.force_login(p.social_worker)

    def queries(target):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("contacts:child", args=[target.pk])).status_code == 200
        return len(ctx.captured_queries)

    queries(small)
    assert queries(small) == queries(child)


def test_every_page_asks_anonymous_users_to_sign_in_and_works_for_an_involved_practitioner(client, partnership, child):
    names = ("contacts:child", "contacts:record", "contacts:supervision", "contacts:record_supervision")
    for name in names:
        response = client.get(reverse(name, args=[child.pk]))
        assert response.status_code == 302 and response["Location"].startswith("/sign-in/"), name
    client.force_login(partnership.police_officer)
    # Supervision is for managers, the hub and the people named in it: "not found" to other practitioners.
    assert [client.get(reverse(name, args=[child.pk])).status_code for name in names] == [200, 200, 404, 404]
