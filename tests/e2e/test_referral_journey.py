"""The referral journey in a real browser, as three people live it: a school refers a child to the
exploitation hub, the hub records the outcome, screens the child and decides the risk level, and
the school sees the outcome and the level. Every page visited is checked with axe: no serious or
critical violations."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from lantern.children.tests.factories import register_child
from lantern.core.dates import local_today
from tests.e2e.helpers import summary_row

pytestmark = pytest.mark.django_db(transaction=True)

CONCERN = "Amelia has been collected from the school gates by a man in his twenties three times this month."
CHILDS_WORDS = "He's my boyfriend, he buys me things and says I'm more grown up than the girls in my class."
ACTION_TAKEN = "Spoke to her mother, who did not know the man. Made a safety plan with Amelia."
# What the school saw, by the wording of the catalogue (version 1).
REFERRAL_SIGNS = [
    "Relationship with a controlling or much older partner",
    "Missing from home or care",
    "Worrying phone or internet use, or contact with unknown adults online",
]
# What the hub sees when it screens: (indicator id, when, evidence). Sexual exploitation scores
# 5+1+1+2+1+1 = 11 (medium, 11 to 15); criminal exploitation 1+2+1+1+1 = 6 (low, 6 to 10).
SCREENING = [
    ("SEX-01", "Now", "Collected from school by a man of about 24 who calls himself her boyfriend."),
    ("SEX-08", "Now", "The same man has phoned the school asking for her."),
    ("ONL-01", "Now", "Messages from adults she has not met on her phone."),
    ("MIS-01", "Now", "Reported missing overnight twice in the last month."),
    ("MIS-02", "Now", ""),
    ("CRIM-04", "Now", "A second phone found in her bag."),
    ("VUL-05", "In the past 12 months", "School counsellor noted low self-esteem in the spring."),
]
CHILDS_VIEWS = "I don't see what the problem is. He looks after me."
ANALYSIS = "An older partner, going missing and online contact with unknown adults: a pattern of grooming."
OUTCOME_REASON = "The referral describes an older partner and going missing: the hub will screen Amelia today."
DECISION_REASON = "The hub's screening and the school's referral show grooming by an older man; no sign yet of criminal exploitation beyond a second phone."


def test_school_refers_hub_screens_and_decides_school_sees_outcome(partnership, open_session, axe):
    child = register_child(by=partnership.school_lead, first_name="Amelia", last_name="Rookwood", age=14)
    name = child.display_name
    review = local_today() + dt.timedelta(days=60)

    # 1. The school's practitioner refers the child -------------------------------------------
    with open_session(partnership.school_lead) as page:
        page.get_by_role("link", name=name).click()  # "Children you work with" on the home page
        expect(page).to_have_url(re.compile(rf"/children/{child.pk}/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text(name)
        referrals = page.get_by_role("region", name="Referrals to the exploitation hub")
        expect(referrals).to_contain_text("No referrals to the exploitation hub.")
        axe(page)

        referrals.get_by_role("link", name="Refer to the exploitation hub").click()
        expect(page).to_have_url(re.compile(rf"/referrals/child/{child.pk}/new/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Refer to the exploitation hub")
        axe(page)

        page.get_by_label("What worries you about the child?").fill(CONCERN)
        for sign in REFERRAL_SIGNS:
            page.get_by_role("checkbox", name=sign, exact=True).check()
        page.get_by_label("What has the child said, in their own words?").fill(CHILDS_WORDS)
        page.get_by_label("What have you already done?").fill(ACTION_TAKEN)
        # Consent is left unanswered: the error summary says so, and nothing typed is lost.
        page.get_by_role("button", name="Send the referral").click()
        summary = page.locator(".govuk-error-summary")
        expect(summary).to_be_visible()
        expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
        expect(summary.get_by_role("link")).to_have_count(1)
        error_link = summary.get_by_role("link", name="Select whether you asked for consent to this referral")
        expect(error_link).to_have_attribute("href", "#id_consent_sought_0")
        expect(page).to_have_title(re.compile(r"^Error: "))
        consent = page.get_by_role("group", name="Did you ask the child or their family for consent to this referral?")
        expect(consent.locator(".govuk-error-message")).to_contain_text("Select whether you asked for consent")
        expect(page.get_by_label("What worries you about the child?")).to_have_value(CONCERN)
        expect(page.get_by_label("What has the child said, in their own words?")).to_have_value(CHILDS_WORDS)
        for sign in REFERRAL_SIGNS:
            expect(page.get_by_role("checkbox", name=sign, exact=True)).to_be_checked()
        axe(page)

        error_link.click()
        expect(page.locator("#id_consent_sought_0")).to_be_focused()
        consent.get_by_role("radio", name="Yes").check()
        page.get_by_role("group", name=re.compile("^How urgent is this")).get_by_role("radio", name=re.compile("^Urgent")).check()
        page.get_by_role("button", name="Send the referral").click()

        expect(page).to_have_url(re.compile(r"/referrals/\d+/$"))
        referral_url = re.sub(r"^https?://[^/]+", "", page.url)
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text(f"{name} has been referred to the exploitation hub")
        expect(page.get_by_role("heading", level=1)).to_have_text("Referral to the exploitation hub")
        expect(page.locator("main")).to_contain_text("Awaiting outcome")
        expect(summary_row(page, "Referred by")).to_contain_text(f"{partnership.school_lead.full_name}, {partnership.school.name}")
        expect(summary_row(page, "The concern")).to_contain_text(CONCERN)
        expect(summary_row(page, "The child's own words")).to_contain_text(CHILDS_WORDS)
        expect(summary_row(page, "Consent")).to_have_text(re.compile("Asked for"))
        signs = page.get_by_role("heading", name="Signs seen").locator("xpath=following-sibling::ul[1]")
        for sign in REFERRAL_SIGNS:
            expect(signs).to_contain_text(sign)
        # The school cannot record the outcome: that is the hub's.
        expect(page.get_by_role("button", name="Record the outcome")).to_have_count(0)
        axe(page)

    # 2. The hub: the outcome, a screening and the level ---------------------------------------
    with open_session(partnership.hub) as page:
        page.get_by_role("navigation", name="Menu").get_by_role("link", name="Hub dashboard").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Hub dashboard")
        expect(page.locator("#awaiting")).to_have_text("1")
        waiting = page.get_by_role("table", name="Referrals awaiting an outcome, the longest waiting first")
        row = waiting.get_by_role("row").filter(has=page.get_by_role("link", name=name))
        expect(row).to_contain_text(partnership.school.name)
        expect(row).to_contain_text("Awaiting outcome")
        axe(page)

        row.get_by_role("link", name=name).click()
        expect(page).to_have_url(re.compile(rf"{re.escape(referral_url)}$"))
        expect(summary_row(page, "The concern")).to_contain_text(CONCERN)
        axe(page)

        page.get_by_role("group", name="Outcome", exact=True).get_by_role("radio", name="Exploitation screening").check()
        page.get_by_label("Reason for the outcome").fill(OUTCOME_REASON)
        page.get_by_role("button", name="Record the outcome").click()
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text("The outcome has been recorded")
        expect(summary_row(page, "Outcome")).to_contain_text("Exploitation screening")
        expect(summary_row(page, "Reason")).to_contain_text(OUTCOME_REASON)
        expect(page.get_by_role("button", name="Record the outcome")).to_have_count(0)
        axe(page)

        # Screen the child.
        page.get_by_role("link", name=f"Back to {name}").click()
        expect(page).to_have_url(re.compile(rf"/children/{child.pk}/$"))
        axe(page)
        page.get_by_role("region", name="Risk level").get_by_role("link", name="Screen this child").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Screen for exploitation")
        axe(page)
        for indicator_id, when, evidence in SCREENING:
            page.locator(f"#id_when_{indicator_id}").select_option(label=when)
            if evidence:
                page.locator(f"#id_evidence_{indicator_id}").fill(evidence)
        page.get_by_label("The child's views, in their own words").fill(CHILDS_VIEWS)
        page.get_by_label("Your analysis").fill(ANALYSIS)
        page.get_by_role("button", name="Save the screening").click()

        expect(page).to_have_url(re.compile(r"/risk/screenings/\d+/$"))
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text("The screening has been saved")
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Screening by {partnership.social_care.name}")
        expect(summary_row(page, "Sexual exploitation")).to_have_text(re.compile(r"Medium\s+suggested, score 11"))
        expect(summary_row(page, "Criminal exploitation")).to_have_text(re.compile(r"Low\s+suggested, score 6"))
        expect(page.locator("main table tbody tr")).to_have_count(len(SCREENING))  # "What was seen"
        expect(page.locator("main")).to_contain_text(SCREENING[0][2])
        expect(page.locator("main")).to_contain_text(CHILDS_VIEWS)
        expect(page.locator("main")).to_contain_text(ANALYSIS)
        axe(page)

        # Decide the level: first departing from the suggestion without saying why.
        page.get_by_role("link", name=f"Back to {name}").click()
        page.get_by_role("region", name="Risk level").get_by_role("link", name="Decide the risk level").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Decide the risk level")
        screenings = page.get_by_role("group", name="The screenings this decision rests on")
        expect(screenings.get_by_role("checkbox")).to_have_count(1)
        expect(screenings.get_by_role("checkbox")).to_be_checked()  # the latest by each agency
        expect(screenings).to_contain_text("suggests medium for sexual exploitation (score 11)")
        expect(screenings).to_contain_text("low for criminal exploitation (score 6)")
        expect(page.get_by_role("group", name="Who made this decision").get_by_role("radio", name="Exploitation hub")).to_be_checked()
        axe(page)

        page.get_by_role("group", name="Sexual exploitation", exact=True).get_by_role("radio", name="Medium", exact=True).check()
        page.get_by_role("group", name="Criminal exploitation", exact=True).get_by_role("radio", name="High", exact=True).check()
        page.get_by_label("Reason for the decision").fill(DECISION_REASON)
        page.fill("#id_next_review_on_0", str(review.day))
        page.fill("#id_next_review_on_1", str(review.month))
        page.fill("#id_next_review_on_2", str(review.year))
        page.get_by_role("button", name="Record the decision").click()

        summary = page.locator(".govuk-error-summary")
        expect(summary).to_be_visible()
        departure_error = summary.get_by_role("link", name="The screenings suggest low. Explain why the level is high")
        expect(departure_error).to_have_attribute("href", "#id_departure_reason_criminal")
        expect(summary.get_by_role("link")).to_have_count(1)
        expect(page).to_have_title(re.compile(r"^Error: "))
        expect(page.get_by_role("group", name="Sexual exploitation", exact=True).get_by_role("radio", name="Medium", exact=True)).to_be_checked()
        expect(page.get_by_label("Reason for the decision")).to_have_value(DECISION_REASON)
        expect(page.locator("#id_next_review_on_0")).to_have_value(str(review.day))
        axe(page)

        # The hub follows the screening for criminal exploitation after all.
        page.get_by_role("group", name="Criminal exploitation", exact=True).get_by_role("radio", name="Low", exact=True).check()
        page.get_by_role("button", name="Record the decision").click()
        expect(page).to_have_url(re.compile(rf"/children/{child.pk}/$"))
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text("The decision is recorded")
        levels = page.get_by_role("region", name="Risk level")
        expect(summary_row(levels, "Sexual exploitation").locator(".govuk-tag")).to_have_text("Medium")
        expect(summary_row(levels, "Criminal exploitation").locator(".govuk-tag")).to_have_text("Low")
        axe(page)

    # 3. The school sees the outcome and the level ---------------------------------------------
    with open_session(partnership.school_lead) as page:
        inbox_link = page.get_by_role("navigation", name="Menu").get_by_role("link", name=re.compile("^Messages"))
        expect(inbox_link).to_have_text(re.compile(r"^Messages \(\d+ new\)$"))
        inbox_link.click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Messages")
        messages = page.locator("main ul.govuk-list > li").filter(has=page.locator(".govuk-tag", has_text="New"))
        outcome_message = messages.filter(has_text=f"The exploitation hub has decided on {partnership.school.name}'s referral")
        expect(outcome_message).to_have_count(1)
        expect(outcome_message).to_contain_text(f"Outcome: Exploitation screening. {OUTCOME_REASON}")
        level_messages = messages.filter(has_text="The risk level of a child you work with has changed")
        expect(level_messages).to_have_count(2)
        expect(level_messages.filter(has_text="Sexual exploitation risk set at medium")).to_have_count(1)
        expect(level_messages.filter(has_text="Criminal exploitation risk set at low")).to_have_count(1)
        axe(page)

        outcome_message.get_by_role("link").click()
        expect(page).to_have_url(re.compile(rf"{re.escape(referral_url)}$"))
        expect(summary_row(page, "Outcome")).to_contain_text("Exploitation screening")
        expect(summary_row(page, "Reason")).to_contain_text(OUTCOME_REASON)
        expect(summary_row(page, "Decided")).to_contain_text(f"by {partnership.hub.full_name}, exploitation hub")
        axe(page)

        page.get_by_role("link", name=f"Back to {name}").click()
        expect(page).to_have_url(re.compile(rf"/children/{child.pk}/$"))
        levels = page.get_by_role("region", name="Risk level")
        sexual = summary_row(levels, "Sexual exploitation")
        expect(sexual.locator(".govuk-tag")).to_have_text("Medium")
        expect(sexual).to_contain_text(f"Decided by {partnership.hub.full_name} (exploitation hub)")
        expect(sexual).to_contain_text(DECISION_REASON)
        expect(sexual).to_contain_text(f"Next review by {review.day} {review:%B %Y}")
        expect(summary_row(levels, "Criminal exploitation").locator(".govuk-tag")).to_have_text("Low")
        expect(levels.get_by_role("link", name="Screen this child")).to_be_visible()
        expect(levels.get_by_role("link", name="Decide the risk level")).to_have_count(0)
        referral_row = page.get_by_role("region", name="Referrals to the exploitation hub").get_by_role("row").nth(1)
        expect(referral_row).to_contain_text("Exploitation screening")
        axe(page)

        # A practitioner cannot decide the level, even by typing the address.
        response = page.goto(f"/risk/children/{child.pk}/decide/")
        assert response.status == 403
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Only the exploitation hub or a meeting chair can decide the risk level"
        )
        expect(page.get_by_role("button", name="Record the decision")).to_have_count(0)
        expect(page.get_by_role("link", name="complete a screening")).to_have_attribute("href", f"/risk/children/{child.pk}/screen/")
        axe(page)
