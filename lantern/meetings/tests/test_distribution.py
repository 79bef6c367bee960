"""Minutes reach every involved agency by real email, and each agency gets exactly the items
about the children it is involved with (F25)."""

import datetime as dt
import io
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from docx import Document

from lantern.children import services as child_services
from lantern.children.tests.factories import register_child
from lantern.meetings import selectors, services
from lantern.meetings.documents import minutes_docx
from lantern.meetings.models import MinutesShare
from lantern.meetings.tests.factories import arrange, discuss


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")


def _docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.mark.finding("F25")
@pytest.mark.django_db(transaction=True)
def test_each_agency_is_emailed_its_minutes_with_exactly_the_items_it_may_see(partnership, smtp_inbox, django_capture_on_commit_callbacks):
    p = partnership
    names = {}
    for first, agencies in (("Aisha", [p.school]), ("Bobby", [p.police]), ("Corin", [p.school, p.health])):
        child = register_child(by=p.social_worker, first_name=first, last_name="Madeupson")
        for agency in agencies:
            child_services.add_involvement(by=p.social_worker, child=child, agency=agency, role="Worker")
        names[first] = child
    run_worker()  # send what setting up queued, then start from an empty inbox
    smtp_inbox.messages.clear()

    meeting = arrange(by=p.chair, starts_at=timezone.now() - dt.timedelta(hours=3))
    with django_capture_on_commit_callbacks(execute=True):
        for child in names.values():
            item = services.add_child_item(by=p.chair, meeting=meeting, child=child)
            discuss(by=p.chair, item=item, owner=p.social_worker, agency=p.social_care)
        # Health and the school did not attend; they get their minutes all the same.
        services.record_attendance(by=p.chair, invitation=meeting.invitations.get(agency=p.police), attendance="attended", attendees="Paul Officer")
        services.close_meeting(by=p.chair, meeting=meeting)
    run_worker()

    expected = {
        "sam@lantern.test": {"Aisha", "Corin"},  # the school
        "paul@lantern.test": {"Bobby"},  # the police
        "nina@lantern.test": {"Corin"},  # health
        "sally@lantern.test": {"Aisha", "Bobby", "Corin"},  # social care, involved with all three
    }
    for address, children in expected.items():
        bodies = [b for b in smtp_inbox.bodies_to(address) if "/meetings/shares/" in b]
        assert len(bodies) == 1, address
        # Emails carry no child's name: only a link to the agency's minutes.
        assert not any(name in bodies[0] for name in names), address
        share = MinutesShare.objects.get(pk=int(re.search(r"/meetings/shares/(\d+)/", bodies[0]).group(1)))
        minutes = selectors.share_minutes(share)
        assert {item.heading.split(" ")[0] for item in minutes.items} == children, address
        text = _docx_text(minutes_docx(minutes))
        for name in names:
            assert (name in text) == (name in children), (address, name)
    # Nobody outside the involved agencies was sent anything about the meeting.
    assert smtp_inbox.bodies_to("audrey@lantern.test") == []
