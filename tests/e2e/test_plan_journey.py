"""The plan journey in a real browser: a social worker drafts a child's multi-agency plan with an
action and a contingency, is told the plan cannot be made active without the contingency (F16),
then makes it active and sees it pass the quality check; the school working with the child reads
the plan and records a contact, which shows on the child's page. Every kind of page visited is
checked with axe: no serious or critical violations."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from lantern.children import services as child_services
from lantern.children.tests.factories import register_child
from lantern.core.dates import local_today
from lantern.risk.tests.factories import NOW, decide, screen
from tests.e2e.helpers import fill_date, success_banner, summary_row

pytestmark = pytest.mark.django_db(transaction=True)

# Two indicators seen now; the hub decides medium for sexual exploitation, so a contingency is needed.
INDICATORS = [("SEX-02", NOW), ("MIS-01", NOW)]
INDICATOR_WORDS = ["Gets into cars or taxis with adults they do not know", "Missing from home or care"]

WORRIES = "Bella has been seen getting into cars with men she does not know after school, and has gone missing twice."
AIMS = "Bella is collected from school every day and has a trusted adult she talks to about who she spends time with."
CHILDS_WORDS = "They're just friends. They give me lifts so I don't have to get the bus."
ACTION = "Walk Bella to her carer's car at the end of every school day"
ACTION_OUTCOME = "Bella is never left waiting at the gates on her own"
TRIGGER = "Bella goes missing again"
RESPONSE = "The social worker calls a strategy discussion the same day and tells the police."
CONTACT_SUMMARY = "Met Bella in the pastoral office. She seemed tired but talked about her weekend and who gave her lifts."
CONTACT_WORDS = "I'm fine, I just want everyone to stop asking."
CONTINGENCY_ERROR = (
    "The child is at medium or high risk: add a contingency, saying what an agency will do if the risk rises, "
    "and who owns it, before the plan can be made active"
)


def _success(page):
    return success_banner(page).filter(has_not=page.locator("#quality-check-title"))


def test_social_worker_drafts_and_activates_a_plan_and_the_school_records_a_contact(partnership, open_session, axe):
    p = partnership
    child = register_child(by=p.social_worker, first_name="Bella", last_name="Thornbury", age=14)
    child_services.add_involvement(by=p.social_worker, child=child, agency=p.school, role="Designated safeguarding lead")
    screen(by=p.social_worker, child=child, indicators=INDICATORS)
    decide(by=p.hub, child=child, level="medium")
    name = child.display_name
    due = local_today() + dt.timedelta(days=14)
    contact_day = local_today() - dt.timedelta(days=1)

    # 1. The social worker drafts the plan and makes it active -----------------------------------
    with open_session(p.social_worker) as page:
        page.goto(f"/children/{child.pk}/")
        expect(page.get_by_role("heading", level=1)).to_have_text(name)
        plan_section = page.get_by_role("region", name="Plan", exact=True)
        expect(plan_section).to_contain_text("No multi-agency plan.")
        axe(page)  # the child page

        plan_section.get_by_role("link", name="Start a plan").click()
        expect(page).to_have_url(re.compile(rf"/plans/child/{child.pk}/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Multi-agency plan")
        expect(page.locator("main")).to_contain_text(f"{name} has no multi-agency plan.")
        axe(page)  # the plan page, no plan yet
        page.get_by_role("button", name="Start a plan").click()
        expect(_success(page)).to_contain_text("The plan has been started as a draft")
        expect(page.locator("main .govuk-tag").first).to_have_text("Draft")
        expect(page.locator("main")).to_contain_text("The plan does not pass the quality check yet")
        axe(page)  # the plan page, draft

        # "Change the plan": the worries, the aims and the child's words.
        page.get_by_role("link", name="Change what we are worried about").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Change the plan")
        axe(page)  # the edit form
        page.get_by_label("What we are worried about").fill(WORRIES)
        page.get_by_label("What needs to change").fill(AIMS)
        page.get_by_label("The child's own words").fill(CHILDS_WORDS)
        page.get_by_role("button", name="Save the plan").click()
        expect(page).to_have_url(re.compile(rf"/plans/child/{child.pk}/$"))
        expect(_success(page)).to_contain_text("The plan has been saved")
        expect(summary_row(page, "What we are worried about")).to_contain_text(WORRIES)
        expect(summary_row(page, "What needs to change")).to_contain_text(AIMS)
        expect(summary_row(page, "The child's own words")).to_contain_text(CHILDS_WORDS)

        # An action, owned by the school, addressing both indicators.
        page.get_by_role("link", name="Add an action", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Add an action")
        indicators = page.get_by_role("group", name="Which of the child's indicators does it address?")
        expect(indicators.get_by_role("checkbox")).to_have_count(len(INDICATOR_WORDS))
        axe(page)  # the action form
        page.get_by_label("What needs to be done?").fill(ACTION)
        page.get_by_label("Agency responsible").select_option(label=p.school.name)
        page.get_by_label("Who owns the action?").select_option(label=f"{p.school_lead.full_name} ({p.school.name})")
        fill_date(page, "id_due_on", due)
        page.get_by_label("The outcome it should achieve").fill(ACTION_OUTCOME)
        for words in INDICATOR_WORDS:
            indicators.get_by_role("checkbox", name=words, exact=True).check()
        page.get_by_role("button", name="Add the action").click()
        expect(page).to_have_url(re.compile(rf"/plans/child/{child.pk}/$"))
        expect(_success(page)).to_contain_text(f"The action has been added. {p.school_lead.full_name} has been told")
        action_row = page.get_by_role("table", name="Open actions").get_by_role("row").filter(has_text=ACTION)
        expect(action_row).to_contain_text(p.school_lead.full_name)
        expect(action_row).to_contain_text(p.school.name)
        expect(action_row).to_contain_text(f"{due.day} {due:%b %Y}")
        expect(action_row).to_contain_text(ACTION_OUTCOME)
        for words in INDICATOR_WORDS:
            expect(action_row).to_contain_text(words)
        # Only the contingency is missing now.
        quality = page.get_by_role("region", name="Quality check")
        expect(quality).to_contain_text("The plan does not pass the quality check yet")
        expect(quality.get_by_role("heading", name="No contingency")).to_be_visible()
        expect(quality.get_by_role("heading", name="Actions with something missing")).to_have_count(0)
        expect(quality.get_by_role("heading", name="Indicators with no action against them")).to_have_count(0)

        # Making the plan active without a contingency is refused, and the summary says why (F16).
        page.get_by_role("button", name="Make the plan active").click()
        expect(page).to_have_url(re.compile(rf"/plans/child/{child.pk}/activate/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Make the plan active")
        axe(page)  # the activate form
        page.get_by_role("button", name="Make the plan active").click()
        summary = page.locator(".govuk-error-summary")
        expect(summary).to_be_visible()
        expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
        expect(summary.get_by_role("link")).to_have_count(1)
        expect(summary.get_by_role("link", name=CONTINGENCY_ERROR)).to_be_visible()
        expect(page).to_have_title(re.compile(r"^Error: "))
        axe(page)  # the activate form, with errors

        # The contingency.
        page.get_by_role("link", name="Back to the plan").click()
        expect(page.locator("main .govuk-tag").first).to_have_text("Draft")
        page.get_by_role("link", name="Add a contingency").first.click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Add a contingency")
        axe(page)  # the contingency form
        page.get_by_label("If this happens").fill(TRIGGER)
        page.get_by_label("What the agency will do").fill(RESPONSE)
        page.get_by_label("Agency", exact=True).select_option(label=p.social_care.name)
        page.get_by_label("Who owns it?").select_option(label=f"{p.social_worker.full_name} ({p.social_care.name})")
        page.get_by_role("button", name="Add the contingency").click()
        expect(page).to_have_url(re.compile(rf"/plans/child/{child.pk}/$"))
        expect(_success(page)).to_contain_text("The contingency has been added")
        contingency_row = page.get_by_role("table", name="Contingencies").get_by_role("row").filter(has_text=TRIGGER)
        expect(contingency_row).to_contain_text(RESPONSE)
        expect(contingency_row).to_contain_text(p.social_worker.full_name)
        # A draft with everything passes the check too.
        expect(page.get_by_role("region", name="Quality check")).to_contain_text("The plan passes the quality check")

        # Now the plan can be made active, with the suggested review date.
        page.get_by_role("button", name="Make the plan active").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Make the plan active")
        expect(page.locator("#id_next_review_on_0")).not_to_have_value("")
        page.get_by_role("button", name="Make the plan active").click()
        expect(page).to_have_url(re.compile(rf"/plans/child/{child.pk}/$"))
        expect(_success(page)).to_contain_text("The plan is active. Everyone working with the child is told of each change to it")
        expect(page.locator("main .govuk-tag").first).to_have_text("Active")
        expect(page.locator("main")).to_contain_text(f"Active since {local_today().day} {local_today():%B %Y}")
        quality = page.get_by_role("region", name="Quality check")
        expect(quality).to_contain_text("The plan passes the quality check")
        expect(quality).to_contain_text(
            "Every open action has an owner, an agency, a due date and an outcome; every indicator in the latest screenings "
            "has an action against it; there is a contingency; the review is not overdue."
        )
        expect(page.get_by_role("button", name="Make the plan active")).to_have_count(0)
        axe(page)  # the plan page, active

    # 2. The school sees the plan and records a contact ------------------------------------------
    with open_session(p.school_lead) as page:
        page.goto(f"/children/{child.pk}/")
        expect(page.get_by_role("heading", level=1)).to_have_text(name)
        plan_section = page.get_by_role("region", name="Plan", exact=True)
        expect(plan_section.locator(".govuk-tag")).to_have_text("Active")
        expect(plan_section).to_contain_text(f"{ACTION}: {p.school_lead.full_name}, due {due.day} {due:%B %Y}")
        axe(page)  # the child page, as the school sees it

        plan_section.get_by_role("link", name="Open the plan").click()
        expect(page).to_have_url(re.compile(rf"/plans/child/{child.pk}/$"))
        expect(summary_row(page, "What we are worried about")).to_contain_text(WORRIES)
        expect(summary_row(page, "What needs to change")).to_contain_text(AIMS)
        expect(summary_row(page, "The child's own words")).to_contain_text(CHILDS_WORDS)
        expect(page.get_by_role("table", name="Open actions")).to_contain_text(ACTION)
        expect(page.get_by_role("table", name="Contingencies")).to_contain_text(TRIGGER)
        expect(page.get_by_role("region", name="Quality check")).to_contain_text("The plan passes the quality check")
        axe(page)  # the active plan, as the school sees it

        page.get_by_role("link", name=f"Back to {name}").click()
        contacts = page.get_by_role("region", name="Contacts", exact=True)
        expect(contacts).to_contain_text("No successful contact is recorded.")
        contacts.get_by_role("link", name=f"Record a contact with {name}").click()
        expect(page).to_have_url(re.compile(rf"/contacts/child/{child.pk}/new/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Record a contact with the child")
        axe(page)  # the contact form

        fill_date(page, "id_happened_at_date", contact_day)
        page.get_by_label("Time of the contact").fill("10:30")
        page.get_by_role("group", name="What kind of contact was it?").get_by_role("radio", name="Face to face", exact=True).check()
        page.get_by_role("group", name="Who was the child with?").get_by_role("radio", name="The child alone").check()
        page.get_by_role("group", name="Where was the contact, or where was it tried?").get_by_role(
            "radio", name="School or college").check()
        page.get_by_label("What happened").fill(CONTACT_SUMMARY)
        page.get_by_label("The child's own words").fill(CONTACT_WORDS)
        page.get_by_role("button", name="Record the contact").click()

        expect(page).to_have_url(re.compile(rf"/contacts/child/{child.pk}/$"))
        expect(_success(page)).to_contain_text("The contact has been recorded")
        every = page.get_by_role("table", name="Contacts with the child, newest first")
        expect(every).to_contain_text(CONTACT_SUMMARY)
        expect(every).to_contain_text(CONTACT_WORDS)

        page.get_by_role("link", name=f"Back to {name}").first.click()
        expect(page).to_have_url(re.compile(rf"/children/{child.pk}/$"))
        contacts = page.get_by_role("region", name="Contacts", exact=True)
        expect(contacts).to_contain_text("Last seen or spoken to 1 day ago.")
        latest = contacts.get_by_role("listitem").filter(has_text=f"{contact_day.day} {contact_day:%b %Y}, 10:30")
        expect(latest).to_contain_text("Face to face at school or college, the child alone.")
        expect(latest).to_contain_text(f"{p.school_lead.full_name}, {p.school.name}")
        axe(page)  # the child page, with the contact
