"""The audit journey in a real browser: a lead auditor sets up a multi-agency exploitation audit,
adds two cases by hand (by Lantern reference and by NHS number) and one by a random sample, and
sends the forms, adding health; the police auditor finds their form, sees who the child is,
answers and sends it in; the health auditor makes a nil return; the lead auditor sees both on
the live return grid, never a child's name, and the round's report counts the same returns.
Every kind of page visited is checked with axe: no serious or critical violations."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from lantern.audits import services as audit_services
from lantern.audits.models import AuditForm, AuditRound, FormStatus
from lantern.children import services as child_services
from lantern.children.tests.factories import register_child
from lantern.core.dates import local_today
from lantern.partnership.models import Role
from lantern.partnership.tests.factories import make_user
from lantern.risk.tests.factories import decide, screen
from tests.e2e.helpers import fill_date, success_banner

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Exploitation audit, winter 2026"
TEMPLATE = "Multi-agency exploitation audit (version 1): multi-agency case-file audit"
NHS_NUMBER = "943 476 5919"


def _level(by, child, level):
    screen(by=by, child=child)
    decide(by=by, child=child, kind="sexual", level=level)


def test_lead_auditor_runs_an_audit_and_agencies_return_their_forms(partnership, open_session, axe):
    p = partnership
    audit_services.ensure_shipped_templates()
    police_auditor = make_user(p.police, Role.AUDITOR, name="Pat Police-Auditor", email="pat.audit@lantern.test")
    health_auditor = make_user(p.health, Role.AUDITOR, name="Hal Health-Auditor", email="hal.audit@lantern.test")
    amy = register_child(by=p.social_worker, first_name="Amy", last_name="Fictional")
    ben = register_child(by=p.social_worker, first_name="Ben", last_name="Fictional", sex="M", age=16)
    cal = register_child(by=p.social_worker, first_name="Cal", last_name="Fictional", age=12)
    child_services.add_involvement(by=p.social_worker, child=ben, agency=p.police, role="Exploitation officer")
    child_services.record_identifier(by=p.social_worker, child=ben, kind="nhs", value=NHS_NUMBER)
    for child, level in ((amy, "high"), (ben, "medium"), (cal, "low")):
        _level(p.hub, child, level)
    today = local_today()

    # 1. The lead auditor sets up the audit and sends the forms -------------------------------------
    with open_session(p.auditor) as page:
        page.get_by_role("navigation", name="Menu").get_by_role("link", name="Audits").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Audits")
        axe(page)  # the audits home
        page.get_by_role("button", name="Templates").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Audit templates")
        axe(page)  # the template list
        page.get_by_role("link", name="Multi-agency exploitation audit").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Multi-agency exploitation audit")
        expect(page.get_by_role("region", name="Referral and identification of risk")).to_contain_text(
            "Were the statutory checks recorded on the file?"
        )
        axe(page)  # a template and its version history
        page.get_by_role("link", name="Change question REF-01").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Change question REF-01")
        axe(page)  # the question editor
        page.get_by_role("link", name="Back to Multi-agency exploitation audit").click()
        page.get_by_role("button", name="Add a theme").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Add a theme")
        axe(page)  # the theme editor
        page.get_by_role("link", name="Back to Multi-agency exploitation audit").click()
        page.get_by_role("link", name="Back to templates").click()
        page.get_by_role("link", name="Back to audits").click()

        page.get_by_role("button", name="Set up an audit").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Set up an audit")
        axe(page)  # the new audit form
        page.get_by_role("button", name="Set up the audit").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a title for the audit")
        axe(page)  # the form with its errors
        page.get_by_label("Title").fill(TITLE)
        page.get_by_role("radio", name=TEMPLATE).check()
        fill_date(page, "id_scope_start", today - dt.timedelta(days=365))
        fill_date(page, "id_scope_end", today)
        fill_date(page, "id_deadline", today + dt.timedelta(days=28))
        page.get_by_role("button", name="Set up the audit").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
        expect(success_banner(page)).to_contain_text("The audit is set up")
        audit_round = AuditRound.objects.get(title=TITLE)
        axe(page)  # the round being set up

        # Amy by her Lantern reference: her name and date of birth to check, then Child A.
        page.get_by_role("button", name="Add a case by hand").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Add a case by hand")
        axe(page)
        page.get_by_label("NHS number or Lantern reference").fill(str(amy.pk))
        page.get_by_role("button", name="Find the child").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Is this the right child?")
        expect(page.locator("main")).to_contain_text("Amy Fictional")
        axe(page)  # the confirmation
        page.get_by_role("button", name="Add the case to the audit").click()
        expect(success_banner(page)).to_contain_text("The case has been added to the audit as Child A")
        # Ben by his NHS number.
        page.get_by_role("button", name="Add a case by hand").click()
        page.get_by_label("NHS number or Lantern reference").fill(NHS_NUMBER)
        page.get_by_role("button", name="Find the child").click()
        expect(page.locator("main")).to_contain_text("Ben Fictional")
        page.get_by_role("button", name="Add the case to the audit").click()
        expect(success_banner(page)).to_contain_text("as Child B")
        # One low-risk case at random: only Cal is left.
        page.get_by_role("button", name="Draw a random sample").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Draw a random sample")
        axe(page)
        page.get_by_label("Low risk").fill("1")
        page.get_by_label("Random seed").fill("2026")
        page.get_by_role("button", name="Draw the sample").click()
        expect(success_banner(page)).to_contain_text("1 case drawn at random. The seed was 2026")
        cases = page.get_by_role("table", name="Cases in the audit")
        for label in ("Child A", "Child B", "Child C"):
            expect(cases.get_by_role("rowheader", name=re.compile(label))).to_be_visible()
        page.get_by_role("button", name="Mark Child B for a deep dive").click()
        expect(success_banner(page)).to_contain_text("Child B is marked for a deep dive")
        for child in (amy, ben, cal):
            expect(page.locator("main")).not_to_contain_text(child.legal_last_name)
        axe(page)  # the round with its cases

        page.get_by_role("button", name="Send the forms").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Send the forms")
        axe(page)
        page.get_by_role("checkbox", name=p.health.name).check()
        page.get_by_role("button", name="Send the forms").click()
        # A: social care, health; B: social care, police, health; C: social care, health.
        expect(success_banner(page)).to_contain_text("7 forms sent to 3 agencies")
        expect(page.locator("main")).to_contain_text("0 of 7 forms sent in")
        axe(page)  # the round, open, with its return grid

    # 2. The police auditor answers their form and sends it in ----------------------------------------
    with open_session(police_auditor) as page:
        page.get_by_role("navigation", name="Menu").get_by_role("link", name="Audits").click()
        page.get_by_role("link", name="Forms for your agency").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Audit forms for your agency")
        axe(page)  # their forms
        page.get_by_role("link", name=re.compile("^Child B")).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Child B: {p.police.name}")
        expect(page.locator("#the-child")).to_contain_text("Ben Fictional")
        axe(page)  # the form, to complete
        # Sending in with nothing answered: each unanswered question is named.
        page.get_by_role("button", name="Send in").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text("Answer this question")
        axe(page)  # the form with its errors
        for radio in page.locator('input[type="radio"][value="yes"]').all():
            radio.check()
        for radio in page.locator('input[type="radio"][value="2"]').all():
            radio.check()
        page.get_by_role("checkbox", name="Missing episodes").check()
        page.get_by_role("button", name="Save as draft").click()
        expect(success_banner(page)).to_contain_text("Your answers have been saved as a draft")
        page.get_by_role("button", name="Send in").click()
        expect(success_banner(page)).to_contain_text("The form about Child B has been sent in")
        expect(page.get_by_role("heading", level=1)).to_have_text("Audit forms for your agency")
    police_form = AuditForm.objects.get(round=audit_round, agency=p.police)
    assert police_form.status == FormStatus.SUBMITTED

    # 3. The health auditor makes a nil return for Child A -------------------------------------------
    with open_session(health_auditor) as page:
        page.get_by_role("navigation", name="Menu").get_by_role("link", name="Audits").click()
        page.get_by_role("link", name="Forms for your agency").click()
        page.get_by_role("link", name=re.compile("^Child A")).click()
        expect(page.locator("#the-child")).to_contain_text("Amy Fictional")
        page.get_by_role("link", name="Make a nil return").first.click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Make a nil return")
        axe(page)  # the nil return
        page.get_by_role("radio", name="Other").check()
        page.get_by_role("button", name="Send the nil return").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text("Enter why your agency is making a nil return")
        page.get_by_role("radio", name="No involvement with the child").check()
        page.get_by_role("button", name="Send the nil return").click()
        expect(success_banner(page)).to_contain_text("The nil return for Child A has been sent in")
    health_form = AuditForm.objects.get(round=audit_round, agency=p.health, case__label="A")
    assert health_form.status == FormStatus.NIL_RETURN

    # 4. The lead auditor sees both on the return grid ------------------------------------------------
    with open_session(p.auditor) as page:
        page.goto(f"/audits/rounds/{audit_round.pk}/")
        expect(page.locator("main")).to_contain_text("2 of 7 forms sent in")
        grid = page.locator("#return-grid")
        police_column = 1 + sorted([p.social_care.name, p.police.name, p.health.name]).index(p.police.name)
        health_column = 1 + sorted([p.social_care.name, p.police.name, p.health.name]).index(p.health.name)
        row_b = grid.locator("tbody tr").nth(1)
        row_a = grid.locator("tbody tr").nth(0)
        expect(row_b.locator("td").nth(police_column - 1)).to_contain_text("Submitted")
        expect(row_a.locator("td").nth(health_column - 1)).to_contain_text("Nil return")
        totals = page.get_by_role("table", name="Forms by status")
        expect(totals.get_by_role("row", name="Submitted")).to_contain_text("1")
        expect(totals.get_by_role("row", name="Nil return")).to_contain_text("1")
        expect(totals.get_by_role("row", name="Not started")).to_contain_text("5")
        for child in (amy, ben, cal):
            expect(page.locator("main")).not_to_contain_text(child.legal_last_name)
        axe(page)  # the grid with returns
        # The lead reads the police form, read-only, without the child's name.
        row_b.get_by_role("link", name=re.compile(p.police.name)).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Child B: {p.police.name}")
        expect(page.locator("main")).not_to_contain_text("Fictional")
        axe(page)  # a form, read-only
        page.get_by_role("button", name="Return with comments").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Return the form with comments")
        axe(page)  # returning a form
        page.get_by_role("link", name="Back to the form").click()

        # 5. The report counts the same returns, naming no child.
        page.get_by_role("link", name="Back to the audit").click()
        page.get_by_role("link", name="See the report").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
        main = page.locator("main")
        expect(main).to_contain_text(
            "7 audit forms were distributed. 1 was a nil return (1 for no involvement with the child). "
            "1 was completed and returned. 5 were not returned."
        )
        by_agency = page.get_by_role("table", name="Forms by agency")
        expect(by_agency.get_by_role("row", name=re.compile(p.police.name))).to_contain_text("1")
        expect(by_agency.get_by_role("row", name=re.compile(p.health.name))).to_contain_text("3")
        expect(main).to_contain_text("3 cases were audited.")
        for child in (amy, ben, cal):
            expect(main).not_to_contain_text(child.legal_last_name)
        axe(page)  # the report
