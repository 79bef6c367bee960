"""The meeting journey in a real browser: the chair builds the agenda, runs a meeting about three
children, closes it, and a school that did not attend finds its minutes waiting on its worklist,
reads only its own child's item and confirms it has received them. Every kind of page visited is
checked with axe: no serious or critical violations."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lantern.children import services as child_services
from lantern.children.tests.factories import register_child
from lantern.core.dates import local_today
from lantern.meetings import services as meeting_services
from lantern.meetings.models import MeetingKind
from lantern.risk.tests.factories import NOW, PAST, decide, screen
from tests.e2e.helpers import fill_date, success_banner

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Testshire exploitation meeting"
# Sexual exploitation scores 5+1+1+2+1+1 = 11: the screening suggests medium.
INDICATORS = [("SEX-01", NOW), ("SEX-08", NOW), ("ONL-01", NOW), ("MIS-01", NOW), ("MIS-02", NOW), ("VUL-05", PAST)]


def test_chair_runs_a_meeting_and_an_absent_school_confirms_its_minutes(partnership, open_session, axe):
    p = partnership
    # Three children the social worker works with, screened (medium suggested) and levelled by the hub.
    demi = register_child(by=p.social_worker, first_name="Demi", last_name="Harrow")
    eli = register_child(by=p.social_worker, first_name="Eli", last_name="Marsh")
    fay = register_child(by=p.social_worker, first_name="Fay", last_name="Quill")
    child_services.add_involvement(by=p.social_worker, child=demi, agency=p.school, role="Designated safeguarding lead")
    for child, level in ((demi, "medium"), (eli, "medium"), (fay, "high")):
        screen(by=p.social_worker, child=child, indicators=INDICATORS)
        if level == "medium":
            decide(by=p.hub, child=child, level=level, departure_reason="")
        else:
            decide(by=p.hub, child=child, level=level)
    meeting = meeting_services.create_meeting(
        by=p.chair, kind=MeetingKind.EXPLOITATION, title=TITLE, venue="Room 4, Testshire House",
        starts_at=timezone.now() - dt.timedelta(hours=1), chair=p.chair,
    )
    children = [demi, eli, fay]
    names = [c.display_name for c in children]
    review = local_today() + dt.timedelta(days=56)
    due = local_today() + dt.timedelta(days=14)

    # 1. The chair runs the meeting -------------------------------------------------------------
    with open_session(p.chair) as page:
        page.get_by_role("navigation", name="Menu").get_by_role("link", name="Meetings").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Meetings")
        axe(page)  # the meetings list
        page.get_by_role("link", name=TITLE).click()
        expect(page).to_have_url(re.compile(rf"/meetings/{meeting.pk}/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
        expect(page.locator("main")).to_contain_text("Nothing is on the agenda yet.")
        axe(page)  # the meeting page

        page.get_by_role("button", name="Build the agenda").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Build the agenda")
        for name in names:
            expect(page.get_by_role("link", name=name)).to_be_visible()
        axe(page)  # the agenda, with proposals
        page.get_by_role("button", name="Add all proposed children (3)").click()
        expect(success_banner(page)).to_contain_text("3 children added to the agenda")
        expect(page.locator("main")).to_contain_text("No more children are proposed")
        axe(page)

        page.get_by_role("link", name="Back to the meeting").click()
        agenda = page.get_by_role("table", name="Items on the agenda")
        for name in names:
            expect(agenda.get_by_role("link", name=name)).to_be_visible()

        for child in children:
            name = child.display_name
            agenda = page.get_by_role("table", name="Items on the agenda")
            agenda.get_by_role("link", name=name).click()
            expect(page).to_have_url(re.compile(r"/meetings/items/\d+/$"))
            expect(page.get_by_role("heading", level=1)).to_have_text(name)
            if child is demi:
                axe(page)  # the item page

            # The meeting's decision: the screening is chosen for us; the meeting agrees medium.
            page.get_by_role("button", name="Record the meeting's decision").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Record the meeting's decision")
            screenings = page.get_by_role("group", name="The screenings this decision rests on")
            expect(screenings.get_by_role("checkbox")).to_have_count(1)
            expect(screenings.get_by_role("checkbox")).to_be_checked()
            if child is demi:
                axe(page)  # the decision form
            page.get_by_role("group", name="Sexual exploitation", exact=True).get_by_role("radio", name="Medium", exact=True).check()
            page.get_by_label("Reason for the decision").fill(f"Each agency described {child.legal_first_name} going missing with older men.")
            fill_date(page, "id_next_review_on", review)
            page.get_by_role("button", name="Record the decision").click()
            expect(page).to_have_url(re.compile(r"/meetings/items/\d+/$"))
            expect(success_banner(page)).to_contain_text("The meeting's decision is recorded")

            # An action.
            page.get_by_role("button", name="Add an action").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Add an action")
            if child is demi:
                axe(page)  # the action form
                agency, owner = p.school, "Sam Lead (Testford Academy)"
            else:
                agency, owner = p.social_care, f"Sally Worker ({p.social_care.name})"
            page.get_by_label("What needs to be done?").fill(f"Visit {child.legal_first_name} and talk about who they spend time with")
            page.get_by_label("Agency responsible").select_option(label=agency.name)
            page.get_by_label("Who owns the action?").select_option(label=owner)
            fill_date(page, "id_due_on", due)
            page.get_by_label("The outcome it should achieve").fill(f"{child.legal_first_name} has a trusted adult to talk to")
            page.get_by_role("button", name="Add the action").click()
            expect(page).to_have_url(re.compile(r"/meetings/items/\d+/$"))
            expect(success_banner(page)).to_contain_text("The action has been added")

            # Close the item.
            page.get_by_role("button", name="Close this item").click()
            expect(page.get_by_role("heading", level=1)).to_have_text(f"Close the item about {name}")
            if child is demi:
                axe(page)  # the close-item page
            page.get_by_role("button", name="Close the item").click()
            expect(page).to_have_url(re.compile(rf"/meetings/{meeting.pk}/$"))
            expect(success_banner(page)).to_contain_text(f"The item about {name} is closed")

        # The school sent its apologies.
        page.get_by_role("button", name="Invitations and attendance").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Invitations and attendance")
        axe(page)  # the invitations page
        school = page.get_by_role("region", name=p.school.name)
        school.get_by_role("radio", name="Sent apologies").check()
        school.get_by_role("button", name=f"Record attendance of {p.school.name}").click()
        expect(success_banner(page)).to_contain_text(f"The attendance of {p.school.name} has been recorded")
        expect(page.get_by_role("region", name=p.school.name)).to_contain_text("Sent apologies")

        page.get_by_role("link", name="Back to the meeting").click()
        page.get_by_role("button", name="Close the meeting").click()
        expect(page).to_have_url(re.compile(rf"/meetings/{meeting.pk}/$"))
        expect(success_banner(page)).to_contain_text(
            "The meeting is closed. Its decisions and actions have been sent to each agency involved with the children discussed"
        )
        expect(page.get_by_role("button", name="Close the meeting")).to_have_count(0)
        axe(page)  # the meeting page, closed

    # 2. The school, which did not attend, finds its minutes waiting ------------------------------
    with open_session(p.school_lead) as page:
        page.get_by_role("navigation", name="Menu").get_by_role("link", name="Worklist").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Worklist")
        waiting = page.get_by_role("region", name="Minutes waiting for your agency to confirm")
        expect(waiting).to_be_visible()
        axe(page)  # the worklist
        waiting.get_by_role("link", name=re.compile(rf"^{TITLE}")).click()

        expect(page).to_have_url(re.compile(r"/meetings/shares/\d+/$"))
        main = page.locator("main")
        expect(main).to_contain_text(demi.display_name)
        for other in (eli, fay):
            expect(main).not_to_contain_text(other.display_name)
        expect(main).not_to_contain_text(eli.legal_first_name)
        expect(main).not_to_contain_text(fay.legal_first_name)
        axe(page)  # the share page
        page.get_by_role("button", name="Confirm you have received these minutes").click()
        expect(page).to_have_url(re.compile(r"/meetings/shares/\d+/$"))
        expect(success_banner(page)).to_contain_text(f"You have confirmed that {p.school.name} has received these minutes")
        expect(main).to_contain_text(f"{p.school_lead.full_name} confirmed that {p.school.name} received these minutes")
        expect(page.get_by_role("button", name="Confirm you have received these minutes")).to_have_count(0)
        axe(page)

        # The minutes no longer wait on the worklist.
        page.get_by_role("navigation", name="Menu").get_by_role("link", name="Worklist").click()
        expect(page.get_by_role("region", name="Minutes waiting for your agency to confirm")).to_have_count(0)
