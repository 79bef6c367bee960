"""End-to-end journeys in a real browser. Every page visited is checked with axe (WCAG 2.1 AA and best practice):
no serious or critical violations are allowed."""

import re

import pytest
from playwright.sync_api import expect

from lantern.children.tests.factories import register_child

pytestmark = pytest.mark.django_db(transaction=True)


def test_school_practitioner_finds_their_child_but_not_another_agencys(partnership, page, sign_in, axe):
    ours = register_child(
        by=partnership.school_lead, first_name="Marigold", last_name="Featherstonehaugh",
        identifiers=[("nhs", "9434765919"), ("upn", "B801200005001")],
    )
    theirs = register_child(by=partnership.police_officer, first_name="Tamsin", last_name="Larkwhistle")

    sign_in(partnership.school_lead)
    axe(page)  # the home page

    page.goto("/children/")
    axe(page)
    page.fill("#id_q", "feathersto")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#results-heading")).to_have_text("1 child found")
    axe(page)
    result = page.get_by_role("link", name="FEATHERSTONEHAUGH, Marigold")
    expect(result).to_be_visible()

    result.click()
    expect(page).to_have_url(re.compile(rf"/children/{ours.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(ours.display_name)
    identifiers = page.locator("h2:has-text('Identifiers') + dl")
    expect(identifiers).to_contain_text("NHS number")
    expect(identifiers).to_contain_text("943 476 5919")
    expect(identifiers).to_contain_text("B801200005001")
    expect(page.get_by_role("heading", name="Timeline", level=2)).to_be_visible()
    timeline = page.get_by_role("list", name="Timeline")
    expect(timeline.locator("li")).not_to_have_count(0)
    expect(timeline).not_to_contain_text("Nothing recorded yet")
    axe(page)

    # A child only the police work with is invisible to the school.
    page.goto("/children/")
    page.fill("#id_q", "Larkwhist")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#results-heading")).to_have_text("0 children found")
    expect(page.get_by_role("link", name=re.compile("LARKWHISTLE"))).to_have_count(0)
    axe(page)

    response = page.goto(f"/children/{theirs.pk}/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.locator("main")).not_to_contain_text("Larkwhistle")
    axe(page)


def test_practitioner_adds_a_child_after_fixing_a_missing_date_of_birth(partnership, page, sign_in, axe):
    sign_in(partnership.school_lead)
    page.goto("/children/")
    page.get_by_role("link", name="Add a child to the register").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a child to the register")
    axe(page)

    page.fill("#id_legal_first_name", "Juniper")
    page.fill("#id_legal_last_name", "Oakenshield")
    page.get_by_role("radio", name="Female", exact=True).check()
    page.fill("#id_involvement_role", "School safeguarding lead")
    page.get_by_role("button", name="Add child").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    error_link = summary.get_by_role("link", name="Enter the child's date of birth")
    expect(error_link).to_have_attribute("href", "#id_date_of_birth_0")
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator("#id_date_of_birth_0")).to_have_class(re.compile("govuk-input--error"))
    # What was typed is kept.
    expect(page.locator("#id_legal_first_name")).to_have_value("Juniper")
    expect(page.get_by_role("radio", name="Female", exact=True)).to_be_checked()
    axe(page)

    page.fill("#id_date_of_birth_0", "14")
    page.fill("#id_date_of_birth_1", "6")
    page.fill("#id_date_of_birth_2", "2012")
    page.get_by_role("button", name="Add child").click()

    expect(page).to_have_url(re.compile(r"/children/\d+/$"))
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("has been added to the register")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Juniper")
    expect(page.locator(".govuk-caption-l")).to_contain_text("Born 14 June 2012")
    axe(page)


def test_hub_sees_the_missing_lead_professional_alert(partnership, page, sign_in, axe):
    from lantern.standards.services import run_scan

    child = register_child(by=partnership.social_worker, first_name="Rowan", last_name="Brackenridge")
    run_scan()

    sign_in(partnership.hub)
    page.goto("/worklist/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Worklist")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=child.display_name))
    expect(row).to_contain_text("No lead professional is named")
    axe(page)

    row.get_by_role("link", name=child.display_name).click()
    expect(page).to_have_url(re.compile(rf"/children/{child.pk}/$"))
    alerts = page.get_by_role("region", name="Needs attention")
    expect(alerts).to_contain_text("No lead professional is named")
    axe(page)


def test_pages_before_sign_in_are_accessible(page, axe, db):
    response = page.goto("/sign-in/")
    assert response.ok
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Lantern")
    axe(page)

    # A failed sign-in shows the error summary, which must be accessible too.
    page.fill("#id_username", "nobody@lantern.test")
    page.fill("#id_password", "not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    axe(page)

    page.get_by_role("link", name="Forgotten your password?").click()
    expect(page).to_have_url(re.compile(r"/password-reset/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Reset your password")
    axe(page)

    response = page.goto("/no-such-page/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    axe(page)


def test_the_accessibility_check_does_catch_violations(browser, axe):
    """Guard against a silently green suite: axe must fail a page with known serious problems."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_content('<html lang="en"><title>Broken</title><main><img src="data:,"><input type="text"></main></html>')
        with pytest.raises(AssertionError) as failure:
            axe(page)
        assert "image-alt" in str(failure.value)
        assert "label" in str(failure.value)
    finally:
        context.close()
