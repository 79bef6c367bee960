"""The meeting pages: who sees each, that every form runs its service, that bad input shows the
GOV.UK error summary and changes nothing, and that the pages make a fixed number of queries."""

import datetime as dt
import html
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from docx import Document
from pypdf import PdfReader

from lantern.children import services as child_services
from lantern.children.models import AccessLogEntry
from lantern.children.tests.factories import register_child
from lantern.core.dates import LONDON, local_today
from lantern.contacts.tests.factories import contact as record_contact
from lantern.meetings import services
from lantern.meetings.models import (
    ActionStatus, AgendaItem, Attendance, Invitation, ItemReason, Meeting, MeetingAction, MeetingStatus, MinutesShare, Pathway,
    ReleaseKind,
)
from lantern.meetings.tests.factories import arrange, discuss
from lantern.referrals.models import Outcome
from lantern.referrals.services import record_outcome
from lantern.referrals.tests.factories import refer
from lantern.risk.models import RiskDecision
from lantern.risk.tests.factories import NOW, screen

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ERROR_SUMMARY = "govuk-error-summary"


def _add(p, meeting, *children_):
    return [services.add_child_item(by=p.chair, meeting=meeting, child=c) for c in children_]


@pytest.fixture
def meeting(partnership, children):
    """A planned meeting yesterday with Amy and Ben on the agenda."""
    meeting = arrange(by=partnership.chair, starts_at=timezone.now() - dt.timedelta(hours=3))
    _add(partnership, meeting, *children[:2])
    return meeting


def _items(meeting):
    return {i.child.legal_first_name: i for i in meeting.items.filter(child__isnull=False).select_related("child")}


@pytest.fixture
def closed(partnership, meeting):
    """The meeting, discussed and closed: an action for the school on Amy, for social care on Ben."""
    p = partnership
    items = _items(meeting)
    discuss(by=p.chair, item=items["Amy"], owner=p.school_lead, agency=p.school)
    discuss(by=p.chair, item=items["Ben"], owner=p.social_worker, agency=p.social_care)
    services.close_meeting(by=p.chair, meeting=meeting)
    meeting.refresh_from_db()
    return meeting


def _login(client, user):
    client.force_login(user)
    return client


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _url(name, *args):
    return reverse(f"meetings:{name}", args=args)


# The list and arranging meetings -------------------------------------------------------------


def test_the_list_shows_invited_meetings_and_the_buttons_to_those_who_run_meetings(client, partnership, meeting):
    p = partnership
    later = arrange(by=p.chair, title="Next month meeting", starts_at=timezone.now() + dt.timedelta(days=28))
    page = _login(client, p.chair).get(_url("list"))
    assert page.status_code == 200
    assert "Arrange a meeting" in _text(page) and "Arrange a series" in _text(page)
    assert later.title in _text(page) and meeting.title in _text(page)

    page = _login(client, p.school_lead).get(_url("list"))
    assert meeting.title in _text(page) and later.title not in _text(page)  # not invited to the later one
    assert "Arrange a meeting" not in _text(page)
    assert 'href="/meetings/"' in _text(page)  # the navigation link
    page = _login(client, p.nurse).get(_url("list"))
    assert meeting.title not in _text(page)
    assert _login(client, p.auditor).get(_url("list")).status_code == 403


def test_past_meetings_are_listed_apart(client, partnership, closed):
    page = _login(client, partnership.chair).get(_url("list"), {"show": "past"})
    assert closed.title in _text(page)
    assert closed.title not in _text(_login(client, partnership.chair).get(_url("list")))


def test_arranging_a_meeting(client, partnership):
    p = partnership
    _login(client, p.chair)
    form = client.get(_url("create"))
    assert form.status_code == 200 and "partnership's information-sharing agreement" in _text(form)
    day = local_today() + dt.timedelta(days=14)
    response = client.post(_url("create"), {
        "kind": "exploitation", "title": "Testshire MACE", "chair": p.hub.pk,
        "starts_at_date_0": day.day, "starts_at_date_1": day.month, "starts_at_date_2": day.year, "starts_at_time": "10:30",
        "venue": "Room 4", "call_link": "", "confidentiality": "Keep it safe",
    })
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == _url("detail", meeting.pk)
    assert meeting.chair == p.hub and meeting.confidentiality == "Keep it safe"
    assert meeting.starts_at.astimezone(LONDON).hour == 10 and meeting.starts_at.astimezone(LONDON).minute == 30


def test_arranging_a_meeting_with_bad_input_shows_the_errors_and_saves_nothing(client, partnership):
    p = partnership
    response = _login(client, p.chair).post(_url("create"), {
        "kind": "exploitation", "title": "", "chair": p.social_worker.pk,  # not someone who may chair
        "starts_at_date_0": "31", "starts_at_date_1": "2", "starts_at_date_2": "2027", "starts_at_time": "25:00",
        "venue": "", "call_link": "", "confidentiality": "x",
    })
    assert response.status_code == 200 and ERROR_SUMMARY in _text(response)
    assert "Enter a title for the meeting" in _text(response) and "Select a valid choice" in _text(response)
    assert not Meeting.objects.exists()
    # The service's own check: a venue or a call link.
    day = local_today() + dt.timedelta(days=3)
    response = client.post(_url("create"), {
        "kind": "review", "title": "Review", "chair": p.chair.pk, "starts_at_date_0": day.day, "starts_at_date_1": day.month,
        "starts_at_date_2": day.year, "starts_at_time": "09:00", "venue": "", "call_link": "", "confidentiality": "x",
    })
    assert "Enter where the meeting is held, or a link to the call" in _text(response)
    assert not Meeting.objects.exists()


def test_only_those_who_run_meetings_arrange_them(client, partnership):
    for name in ("create", "create_series"):
        assert _login(client, partnership.school_lead).get(_url(name)).status_code == 404
        assert client.post(_url(name), {"title": "x"}).status_code == 404
    assert not Meeting.objects.exists()


def test_arranging_a_series(client, partnership):
    p = partnership
    day = local_today() + dt.timedelta(days=7)
    data = {
        "kind": "exploitation", "name": "Testshire MACE", "chair": p.chair.pk, "interval_weeks": "4",
        "first_starts_at_date_0": day.day, "first_starts_at_date_1": day.month, "first_starts_at_date_2": day.year,
        "first_starts_at_time": "14:00", "venue": "", "call_link": "https://meet.example.org/mace",
    }
    bad = _login(client, p.chair).post(_url("create_series"), {**data, "interval_weeks": "40"})
    assert ERROR_SUMMARY in _text(bad) and "from 1 to 26" in _text(bad) and not Meeting.objects.exists()
    response = client.post(_url("create_series"), data)
    meeting = Meeting.objects.get()
    assert response["Location"] == _url("detail", meeting.pk)
    assert meeting.series.interval_weeks == 4 and meeting.call_link == "https://meet.example.org/mace"


# The meeting page ----------------------------------------------------------------------------


def test_the_meeting_page_shows_each_agency_only_its_children(client, partnership, meeting):
    p = partnership
    page = _login(client, p.chair).get(_url("detail", meeting.pk))
    assert page.status_code == 200
    assert "Amy Fictional" in _text(page) and "Ben Fictional" in _text(page)
    assert "Build the agenda" in _text(page) and "Close the meeting" in _text(page)
    assert meeting.confidentiality in _text(page)

    page = _login(client, p.school_lead).get(_url("detail", meeting.pk))
    assert page.status_code == 200
    assert "Amy Fictional" in _text(page) and "Ben Fictional" not in _text(page)
    assert "1 other child is on the agenda. Your agency is not involved with them." in _text(page)
    assert "Build the agenda" not in _text(page) and "Close the meeting" not in _text(page)
    assert "Send information for the meeting" in _text(page)

    # Health is not invited: the meeting is not found.
    assert _login(client, p.nurse).get(_url("detail", meeting.pk)).status_code == 404
    assert _login(client, p.auditor).get(_url("detail", meeting.pk)).status_code == 404


def test_chair_only_pages_are_not_found_for_invited_agencies(client, partnership, meeting):
    p = partnership
    item = _items(meeting)["Amy"]
    _login(client, p.school_lead)
    for url in [_url("agenda", meeting.pk), _url("add_child", meeting.pk), _url("add_topic", meeting.pk), _url("invitations", meeting.pk),
                _url("cancel", meeting.pk), _url("minutes", meeting.pk), _url("minutes_docx", meeting.pk), _url("minutes_pdf", meeting.pk),
                _url("remove_item", item.pk), _url("decide", item.pk), _url("add_action", item.pk), _url("close_item", item.pk)]:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"reason": "x"}).status_code == 404, url
    assert AgendaItem.objects.filter(meeting=meeting, removed_at__isnull=True).count() == 2


def test_post_only_urls_send_a_get_back_to_the_record(client, partnership, closed):
    p = partnership
    item = _items(closed)["Amy"]
    share = MinutesShare.objects.get(agency=p.school)
    _login(client, p.chair)
    assert client.get(_url("close", closed.pk))["Location"] == _url("detail", closed.pk)
    assert client.get(_url("publish", closed.pk))["Location"] == _url("detail", closed.pk)
    assert client.get(_url("reopen_item", item.pk))["Location"] == _url("item", item.pk)
    _login(client, p.school_lead)
    assert client.get(_url("acknowledge", share.pk))["Location"] == _url("share", share.pk)
    assert client.get(_url("close", closed.pk)).status_code == 302
    share.refresh_from_db()
    assert share.acknowledged_at is None
    assert not closed.releases.filter(kind=ReleaseKind.FULL).exists()


# The agenda ----------------------------------------------------------------------------------


def test_the_agenda_proposes_children_and_adds_them(client, partnership, children):
    p = partnership
    amy, ben, cal = children
    referral = refer(by=p.school_lead, child=amy)
    record_outcome(by=p.hub, referral=referral, outcome=Outcome.EXPLOITATION_MEETING, reason="Needs a multi-agency plan")
    screen(by=p.police_officer, child=ben, indicators=[])
    from lantern.risk.tests.factories import decide

    decide(by=p.hub, child=ben, level="high")
    meeting = arrange(by=p.chair)
    page = _login(client, p.chair).get(_url("agenda", meeting.pk))
    assert page.status_code == 200
    assert ItemReason.NEW_REFERRAL.label in _text(page) and ItemReason.REVIEW_DUE.label in _text(page)
    assert "Add all proposed children (2)" in _text(page)

    response = client.post(_url("agenda", meeting.pk), {"proposal": amy.pk})
    assert response["Location"] == _url("agenda", meeting.pk)
    item = AgendaItem.objects.get(meeting=meeting, child=amy)
    assert item.reason == ItemReason.NEW_REFERRAL and item.referral == referral
    # A child no longer proposed is refused with a clear message.
    again = client.post(_url("agenda", meeting.pk), {"proposal": amy.pk})
    assert ERROR_SUMMARY in _text(again) and "no longer proposed" in _text(again)
    client.post(_url("agenda", meeting.pk), {"build": "all"})
    assert set(meeting.items.values_list("child_id", flat=True)) == {amy.pk, ben.pk}
    assert cal.pk not in set(meeting.items.values_list("child_id", flat=True))


def test_the_chair_finds_a_child_and_adds_them(client, partnership, children):
    p = partnership
    *_, cal = children
    meeting = arrange(by=p.chair)
    _login(client, p.chair)
    found = client.get(_url("add_child", meeting.pk), {"q": "cal fictional"})
    assert found.status_code == 200 and "Cal Fictional" in _text(found)
    confirm = client.get(_url("add_child", meeting.pk), {"child": cal.pk})
    assert "Add Cal Fictional to the agenda" in _text(confirm)
    response = client.post(_url("add_child", meeting.pk), {"child": cal.pk, "detail": "Seen with older men at the station"})
    assert response["Location"] == _url("agenda", meeting.pk)
    item = AgendaItem.objects.get(meeting=meeting, child=cal)
    assert item.reason == ItemReason.ADDED and item.reason_detail == "Seen with older men at the station"
    twice = client.post(_url("add_child", meeting.pk), {"child": cal.pk})
    assert ERROR_SUMMARY in _text(twice) and "already on this agenda" in _text(twice)
    assert AgendaItem.objects.filter(meeting=meeting).count() == 1


def test_adding_a_topic_and_removing_an_item(client, partnership, meeting):
    p = partnership
    _login(client, p.chair)
    bad = client.post(_url("add_topic", meeting.pk), {"reason": "location", "topic": ""})
    assert ERROR_SUMMARY in _text(bad) and "Enter who or what the item is about" in _text(bad)
    client.post(_url("add_topic", meeting.pk), {"reason": "location", "topic": "The bus station underpass"})
    topic = AgendaItem.objects.get(meeting=meeting, topic="The bus station underpass")
    assert topic.reason == ItemReason.LOCATION

    amy = _items(meeting)["Amy"]
    bad = client.post(_url("remove_item", amy.pk), {"reason": ""})
    assert ERROR_SUMMARY in _text(bad) and "Enter why the item is taken off the agenda" in _text(bad)
    response = client.post(_url("remove_item", amy.pk), {"reason": "Discussed at the strategy discussion instead"})
    assert response["Location"] == _url("agenda", meeting.pk)
    amy.refresh_from_db()
    assert amy.removed_reason == "Discussed at the strategy discussion instead"
    assert Invitation.objects.get(meeting=meeting, agency=p.school).withdrawn_at is not None
    # Removed items are kept, and the chair sees why.
    assert "Discussed at the strategy discussion instead" in _text(client.get(_url("detail", meeting.pk)))


# Invitations and attendance ------------------------------------------------------------------


def test_invitations_are_sent_and_attendance_recorded(client, partnership, meeting):
    p = partnership
    _login(client, p.chair)
    page = client.get(_url("invitations", meeting.pk))
    assert page.status_code == 200 and "Agencies are invited because they work with a child on the agenda" in _text(page)
    response = client.post(_url("invitations", meeting.pk), {"action": "send"})
    assert response["Location"] == _url("invitations", meeting.pk)
    assert not meeting.invitations.filter(notified_at__isnull=True).exists()
    assert "3 agencies told of the meeting" in _text(client.get(response["Location"]))

    bad = client.post(_url("invitations", meeting.pk), {"action": "invite", "agency": "", "reason": ""})
    assert ERROR_SUMMARY in _text(bad) and "Select the agency to invite" in _text(bad)
    client.post(_url("invitations", meeting.pk), {"action": "invite", "agency": p.health.pk, "reason": "Sexual health clinic"})
    assert Invitation.objects.get(meeting=meeting, agency=p.health).added_by_chair

    police = Invitation.objects.get(meeting=meeting, agency=p.police)
    prefix = f"invitation-{police.pk}"
    bad = client.post(_url("invitations", meeting.pk), {"action": "attendance", "invitation": police.pk, f"{prefix}-attendance": "attended",
                                                         f"{prefix}-attendees": ""})
    assert ERROR_SUMMARY in _text(bad) and "Enter who attended for the agency" in _text(bad)
    police.refresh_from_db()
    assert police.attendance == Attendance.NOT_RECORDED
    client.post(_url("invitations", meeting.pk), {"action": "attendance", "invitation": police.pk, f"{prefix}-attendance": "attended",
                                                  f"{prefix}-attendees": "Paul Officer"})
    police.refresh_from_db()
    assert police.attendance == Attendance.ATTENDED and police.attendees == "Paul Officer"


def test_an_invited_agency_sends_information(client, partnership, meeting):
    p = partnership
    _login(client, p.school_lead)
    assert client.get(_url("send_information", meeting.pk)).status_code == 200
    bad = client.post(_url("send_information", meeting.pk), {"information": " "})
    assert ERROR_SUMMARY in _text(bad)
    response = client.post(_url("send_information", meeting.pk), {"information": "Amy missed three days of school"})
    assert response["Location"] == _url("detail", meeting.pk)
    assert Invitation.objects.get(meeting=meeting, agency=p.school).information_sent == "Amy missed three days of school"
    assert _login(client, p.nurse).get(_url("send_information", meeting.pk)).status_code == 404  # not invited
    assert _login(client, p.chair).get(_url("send_information", meeting.pk)).status_code == 404  # invited as no agency


# Each item -----------------------------------------------------------------------------------


def test_the_item_page_shows_the_summary_to_involved_agencies_only(client, partnership, meeting, children):
    p = partnership
    amy, ben, _ = children
    screen(by=p.school_lead, child=amy, indicators=[("EMO-01", NOW)])
    record_contact(by=p.school_lead, child=amy, happened_at=timezone.now() - dt.timedelta(days=3))
    items = _items(meeting)
    page = _login(client, p.school_lead).get(_url("item", items["Amy"].pk))
    assert page.status_code == 200
    assert "Self-harms" in _text(page) and "Emotional health and self-harm" in _text(page)
    assert "No multi-agency plan" in _text(page)
    # The last successful contact by each agency: the school's three days ago, none by social care.
    assert "(3 days before the meeting)" in _text(page) or "(2 days before the meeting)" in _text(page)
    assert "No successful contact recorded" in _text(page)
    assert "Record the meeting's decision" not in _text(page) and "Save the discussion notes" not in _text(page)
    assert client.post(_url("item", items["Amy"].pk), {"form": "discussion", "discussion": "x"}).status_code == 404
    # The school is not involved with Ben.
    assert client.get(_url("item", items["Ben"].pk)).status_code == 404
    page = _login(client, p.chair).get(_url("item", items["Amy"].pk))
    assert "Record the meeting's decision" in _text(page) and "Save the discussion notes" in _text(page)


def test_the_chair_records_the_discussion_and_the_pathway(client, partnership, meeting):
    p = partnership
    item = _items(meeting)["Amy"]
    _login(client, p.chair)
    client.post(_url("item", item.pk), {"form": "discussion", "discussion": "School worried about a new phone"})
    bad = client.post(_url("item", item.pk), {"form": "pathway", "pathway": "nowhere"})
    assert ERROR_SUMMARY in _text(bad)
    client.post(_url("item", item.pk), {"form": "pathway", "pathway": Pathway.STRATEGY})
    item.refresh_from_db()
    assert item.discussion == "School worried about a new phone" and item.pathway == Pathway.STRATEGY


def test_the_meeting_decides_through_the_risk_decision_form(client, partnership, meeting, children):
    p = partnership
    amy, *_ = children
    screening = screen(by=p.school_lead, child=amy, indicators=[])
    item = _items(meeting)["Amy"]
    _login(client, p.chair)
    page = client.get(_url("decide", item.pk))
    assert page.status_code == 200 and "Who made this decision" not in _text(page)
    review = local_today() + dt.timedelta(days=60)
    data = {"level_sexual": "keep", "level_criminal": "keep", "level_risk_to_others": "keep", "screenings": [screening.pk],
            "reason": "", "next_review_on_0": review.day, "next_review_on_1": review.month, "next_review_on_2": review.year}
    bad = client.post(_url("decide", item.pk), data)
    assert ERROR_SUMMARY in _text(bad) and "Choose a level for at least one kind of risk" in _text(bad)
    assert not RiskDecision.objects.exists()
    response = client.post(_url("decide", item.pk), {**data, "level_sexual": "low", "departure_reason_sexual": "Judgement of the meeting",
                                                     "reason": "Agreed after hearing from the school"})
    assert response["Location"] == _url("item", item.pk)
    decision = item.decisions.get()
    assert decision.level == "low" and decision.source == "meeting"


def test_actions_are_added_with_an_owner_agency_date_and_outcome(client, partnership, meeting):
    p = partnership
    item = _items(meeting)["Amy"]
    _login(client, p.chair)
    page = client.get(_url("add_action", item.pk))
    assert page.status_code == 200 and "Sam Lead (Testford Academy)" in _text(page)
    due = local_today() + dt.timedelta(days=14)
    data = {"description": "Visit Amy", "agency": p.school.pk, "owner": p.police_officer.pk,
            "due_on_0": due.day, "due_on_1": due.month, "due_on_2": due.year, "outcome": "Amy has a trusted adult"}
    bad = client.post(_url("add_action", item.pk), {**data, "outcome": ""})
    assert ERROR_SUMMARY in _text(bad) and "Enter the outcome the action should achieve" in _text(bad)
    bad = client.post(_url("add_action", item.pk), data)  # the police officer does not work for the school
    assert "does not work for Testford Academy" in _text(bad)
    assert not MeetingAction.objects.exists()
    response = client.post(_url("add_action", item.pk), {**data, "owner": p.school_lead.pk})
    assert response["Location"] == _url("item", item.pk)
    action = MeetingAction.objects.get()
    assert action.owner == p.school_lead and action.agency == p.school and action.due_on == due


def test_closing_an_item_needs_a_decision_and_an_action_or_a_reason(client, partnership, meeting, children):
    p = partnership
    amy, *_ = children
    item = _items(meeting)["Amy"]
    _login(client, p.chair)
    page = client.get(_url("close_item", item.pk))
    assert "Why are there no actions?" in _text(page)
    bad = client.post(_url("close_item", item.pk), {"no_actions_reason": ""})
    assert ERROR_SUMMARY in _text(bad)
    assert "Record the meeting's decision on the child's risk level" in _text(bad)
    assert "Add at least one action, or explain why there are none" in _text(bad)
    item.refresh_from_db()
    assert not item.is_closed
    screen(by=p.school_lead, child=amy, indicators=[])
    services.decide_at_item(by=p.chair, item=item, kind="sexual", level="low", reason="Agreed", screenings=list(amy.screenings.all()),
                            next_review_on=local_today() + dt.timedelta(days=30), departure_reason="Judgement")
    response = client.post(_url("close_item", item.pk), {"no_actions_reason": "The child protection plan covers it"})
    assert response["Location"] == _url("detail", meeting.pk)
    item.refresh_from_db()
    assert item.is_closed and item.no_actions_reason == "The child protection plan covers it"
    # While the meeting is open the chair may reopen it.
    client.post(_url("reopen_item", item.pk))
    item.refresh_from_db()
    assert not item.is_closed


# Closing, minutes and their receipt (F25, F28) ------------------------------------------------


@pytest.mark.finding("F24")
def test_closing_a_meeting_with_open_items_lists_them_and_changes_nothing(client, partnership, meeting):
    p = partnership
    discuss(by=p.chair, item=_items(meeting)["Amy"], owner=p.school_lead, agency=p.school)
    response = _login(client, p.chair).post(_url("close", meeting.pk))
    assert response.status_code == 200 and ERROR_SUMMARY in _text(response)
    assert "1 item still need a decision and actions: Ben Fictional" in _text(response)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED
    assert _login(client, p.school_lead).post(_url("close", meeting.pk)).status_code == 404


@pytest.mark.finding("F28")
def test_after_closing_the_chair_sees_every_share_and_publishes_the_full_minutes(client, partnership, meeting):
    p = partnership
    items = _items(meeting)
    discuss(by=p.chair, item=items["Amy"], owner=p.school_lead, agency=p.school)
    discuss(by=p.chair, item=items["Ben"], owner=p.social_worker, agency=p.social_care)
    _login(client, p.chair)
    response = client.post(_url("close", meeting.pk))
    assert response["Location"] == _url("detail", meeting.pk)
    page = client.get(_url("detail", meeting.pk))
    assert "Not acknowledged: 0 working days" in _text(page)
    for agency in (p.school, p.police, p.social_care):
        assert agency.name in _text(page)
    assert "Publish full minutes" in _text(page)
    client.post(_url("publish", meeting.pk))
    assert meeting.releases.filter(kind=ReleaseKind.FULL).exists()
    again = client.post(_url("publish", meeting.pk))
    assert ERROR_SUMMARY in _text(again) and "already been sent" in _text(again)
    # The chair's copy has every item, in both versions.
    for version in ("decisions", "full"):
        page = client.get(_url("minutes", meeting.pk), {"version": version})
        assert page.status_code == 200 and "Amy Fictional" in _text(page) and "Ben Fictional" in _text(page)
    assert "Discussion" in _text(client.get(_url("minutes", meeting.pk), {"version": "full"}))


def _docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.mark.finding("F25")
def test_each_agency_reads_and_downloads_only_its_items(client, partnership, closed):
    p = partnership
    share = MinutesShare.objects.get(agency=p.school)
    _login(client, p.school_lead)
    page = client.get(_url("share", share.pk))
    assert page.status_code == 200
    assert "Amy Fictional" in _text(page) and "Ben Fictional" not in _text(page)
    assert "1 other child was discussed" in _text(page)
    assert "Confirm you have received these minutes" in _text(page)

    docx = client.get(_url("share_docx", share.pk))
    assert docx["Content-Type"] == DOCX
    assert docx["Content-Disposition"].startswith('attachment; filename="minutes-') and docx["Content-Disposition"].endswith('.docx"')
    text = _docx_text(docx.content)
    assert "Amy Fictional" in text and "Ben Fictional" not in text
    pdf = client.get(_url("share_pdf", share.pk))
    assert pdf["Content-Type"] == "application/pdf" and pdf["Content-Disposition"].endswith('.pdf"')
    text = _pdf_text(pdf.content)
    assert "Amy Fictional" in text and "Ben Fictional" not in text
    # Each read of the minutes is a read of Amy's record, and is logged; Ben's is not touched.
    reads = AccessLogEntry.objects.filter(user=p.school_lead, path__startswith=f"/meetings/shares/{share.pk}")
    assert sorted(reads.values_list("purpose", flat=True)) == ["export", "export", "page"]
    assert set(reads.values_list("child__legal_first_name", flat=True)) == {"Amy"}

    # The police have no share of this release about Amy, and cannot open the school's.
    for name in ("share", "share_docx", "share_pdf"):
        assert _login(client, p.police_officer).get(_url(name, share.pk)).status_code == 404
    assert client.post(_url("acknowledge", share.pk)).status_code == 404

    # The chair's copy holds both children.
    _login(client, p.chair)
    docx = client.get(_url("minutes_docx", closed.pk), {"version": "full"})
    assert docx["Content-Type"] == DOCX and "full-minutes" in docx["Content-Disposition"]
    assert "Ben Fictional" in _docx_text(docx.content) and "Amy Fictional" in _docx_text(docx.content)
    pdf = client.get(_url("minutes_pdf", closed.pk))
    assert pdf["Content-Type"] == "application/pdf" and "Ben Fictional" in _pdf_text(pdf.content)


@pytest.mark.finding("F25")
def test_an_agency_confirms_it_received_its_minutes(client, partnership, closed):
    p = partnership
    share = MinutesShare.objects.get(agency=p.school)
    # The hub may read it, but only the school can confirm it received it.
    hub_page = _login(client, p.hub).get(_url("share", share.pk))
    assert hub_page.status_code == 200 and "Confirm you have received these minutes" not in _text(hub_page)
    client.post(_url("acknowledge", share.pk))
    share.refresh_from_db()
    assert share.acknowledged_at is None
    response = _login(client, p.school_lead).post(_url("acknowledge", share.pk))
    assert response["Location"] == _url("share", share.pk)
    share.refresh_from_db()
    assert share.acknowledged_by == p.school_lead
    assert "Sam Lead confirmed that Testford Academy received these minutes" in _text(client.get(_url("share", share.pk)))


def test_the_chairs_copy_waits_for_the_meeting_to_close(client, partnership, meeting):
    response = _login(client, partnership.chair).get(_url("minutes", meeting.pk))
    assert response["Location"] == _url("detail", meeting.pk)


def test_cancelling_a_meeting(client, partnership, meeting):
    _login(client, partnership.chair)
    bad = client.post(_url("cancel", meeting.pk), {"reason": ""})
    assert ERROR_SUMMARY in _text(bad)
    client.post(_url("cancel", meeting.pk), {"reason": "The chair is ill"})
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED and meeting.cancelled_reason == "The chair is ill"


# Actions between and at meetings -------------------------------------------------------------


def test_the_owner_marks_their_action_done_between_meetings(client, partnership, closed):
    p = partnership
    action = MeetingAction.objects.get(owner=p.school_lead)
    _login(client, p.school_lead)
    page = client.get(_url("mark_action", action.pk))
    assert page.status_code == 200 and "Mark your action done" in _text(page) and "Not possible" not in _text(page)
    prefix = f"action-{action.pk}"
    bad = client.post(_url("mark_action", action.pk), {f"{prefix}-status": "done", f"{prefix}-note": ""})
    assert ERROR_SUMMARY in _text(bad)
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN
    # Only "done" between meetings: anything else is refused by the service.
    refused = client.post(_url("mark_action", action.pk), {f"{prefix}-status": "not_done", f"{prefix}-note": "Could not"})
    assert ERROR_SUMMARY in _text(refused)
    response = client.post(_url("mark_action", action.pk), {f"{prefix}-status": "done", f"{prefix}-note": "Visited on Tuesday"})
    assert response["Location"] == reverse("standards:worklist")
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE and action.status_note == "Visited on Tuesday"
    # Someone else in an involved agency cannot mark it.
    other = MeetingAction.objects.get(owner=p.social_worker)
    assert _login(client, p.police_officer).get(_url("mark_action", other.pk)).status_code == 404


def test_the_chair_marks_an_outstanding_action_at_the_next_meeting(client, partnership, closed, children):
    p = partnership
    amy, *_ = children
    action = MeetingAction.objects.get(owner=p.school_lead)
    second = arrange(by=p.chair)
    (item,) = _add(p, second, amy)
    _login(client, p.chair)
    page = client.get(_url("item", item.pk))
    assert "Actions outstanding from earlier meetings" in _text(page) and "Mark this action" in _text(page)
    prefix = f"action-{action.pk}"
    response = client.post(_url("mark_action", action.pk), {
        f"{prefix}-status": "not_done", f"{prefix}-note": "The school did not arrange it", f"{prefix}-item": item.pk,
    })
    assert response["Location"] == _url("item", item.pk)
    action.refresh_from_db()
    assert action.status == ActionStatus.NOT_DONE and action.reviewed_at_item == item


# The worklist --------------------------------------------------------------------------------


def test_the_worklist_shows_minutes_waiting_actions_owned_and_minutes_unacknowledged(client, partnership, closed):
    p = partnership
    share = MinutesShare.objects.get(agency=p.school)
    page = _login(client, p.school_lead).get(reverse("standards:worklist"))
    assert "Minutes waiting for your agency to confirm" in _text(page)
    assert _url("share", share.pk) in _text(page)
    assert "Actions from meetings you own" in _text(page)
    assert _url("mark_action", MeetingAction.objects.get(owner=p.school_lead).pk) in _text(page)
    assert "Minutes not yet acknowledged" not in _text(page)

    for user in (p.chair, p.hub):
        page = _login(client, user).get(reverse("standards:worklist"))
        assert "Minutes not yet acknowledged" in _text(page) and p.police.name in _text(page)

    # Once confirmed, nothing waits for the school.
    services.acknowledge_share(by=p.school_lead, share=share)
    page = _login(client, p.school_lead).get(reverse("standards:worklist"))
    assert "Minutes waiting for your agency to confirm" not in _text(page)
    assert "Minutes waiting" not in _text(_login(client, p.nurse).get(reverse("standards:worklist")))


# A fixed number of queries -------------------------------------------------------------------


def _meeting_with(p, count: int):
    meeting = arrange(by=p.chair, title=f"Meeting of {count}")
    items = []
    for n in range(count):
        child = register_child(by=p.social_worker, first_name=f"Child{n}", last_name=f"Count{count}")
        child_services.add_involvement(by=p.social_worker, child=child, agency=p.school, role="Teacher")
        screen(by=p.school_lead, child=child, indicators=[("EMO-01", NOW)])
        items.append(services.add_child_item(by=p.chair, meeting=meeting, child=child))
    for item in items[:-1]:
        discuss(by=p.chair, item=item, owner=p.school_lead, agency=p.school)
    return meeting, items


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("user", ["chair", "school_lead"])
def test_the_meeting_page_makes_the_same_queries_for_one_item_or_five(client, partnership, user, django_assert_max_num_queries):
    p = partnership
    small, _ = _meeting_with(p, 1)
    big, _ = _meeting_with(p, 5)
    _login(client, getattr(p, user))
    _queries(client, _url("detail", small.pk))  # prime the session
    one = _queries(client, _url("detail", small.pk))
    assert _queries(client, _url("detail", big.pk)) == one
    with django_assert_max_num_queries(one):
        client.get(_url("detail", big.pk))


def test_the_item_page_makes_the_same_queries_for_one_item_or_five(client, partnership, children, django_assert_max_num_queries):
    p = partnership
    amy, *_ = children
    small, (small_item,) = _meeting_with(p, 1)
    # Amy is on a meeting of five, with a long history: five earlier meetings, each leaving two actions open.
    screen(by=p.school_lead, child=amy, indicators=[("EMO-01", NOW)])
    for n in range(5):
        earlier = arrange(by=p.chair, starts_at=timezone.now() - dt.timedelta(days=50 - n))
        (earlier_item,) = _add(p, earlier, amy)
        discuss(by=p.chair, item=earlier_item, owner=p.school_lead, agency=p.school, actions=2)
    big, _ = _meeting_with(p, 4)
    big_item = services.add_child_item(by=p.chair, meeting=big, child=amy)
    for user in (p.chair, p.school_lead):
        _login(client, user)
        _queries(client, _url("item", small_item.pk))  # prime the session
        one = _queries(client, _url("item", small_item.pk))
        assert _queries(client, _url("item", big_item.pk)) == one
        with django_assert_max_num_queries(one):
            client.get(_url("item", big_item.pk))
