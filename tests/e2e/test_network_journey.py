"""The network journey in a real browser: a police officer records a person of concern and links
him to two children (one from a child's page, one from his profile); the school working with one
of the children sees that she is linked to him and what to do, but not the intelligence; the
network view draws with Cytoscape.js. Every kind of page visited is checked with axe: no serious
or critical violations."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from lantern.children import services as child_services
from lantern.children.tests.factories import register_child
from lantern.core.dates import local_today
from tests.e2e.helpers import fill_date, success_banner

pytestmark = pytest.mark.django_db(transaction=True)

PERSON = "Dev Madeup"
GUIDANCE = "Tell the police at once if the child is seen with this man."
POLICE_REFERENCE = "PR/26/100"


def _grade_and_save(page, *, link_type: str, seen: dt.date, source: str, detail: str):
    page.get_by_label("What is the link?").select_option(label=link_type)
    fill_date(page, "id_first_seen", seen)
    page.get_by_role("radio", name=source, exact=True).check()
    page.get_by_label("Which record?").fill(detail)
    page.get_by_role("radio", name="2: Untested").check()
    page.get_by_role("radio", name="B: Known indirectly, corroborated").check()
    page.get_by_role("radio", name="P: Lawful sharing permitted", exact=True).check()
    page.get_by_role("button", name="Save the link").click()


def test_police_link_a_person_to_two_children_and_the_school_sees_only_what_to_do(partnership, open_session, axe):
    p = partnership
    bella = register_child(by=p.social_worker, first_name="Bella", last_name="Thornbury")
    cara = register_child(by=p.social_worker, first_name="Cara", last_name="Millbeck")
    for child in (bella, cara):
        child_services.add_involvement(by=p.social_worker, child=child, agency=p.police, role="Exploitation officer")
    child_services.add_involvement(by=p.social_worker, child=bella, agency=p.school, role="Designated safeguarding lead")
    seen = local_today() - dt.timedelta(days=7)

    # 1. The police officer records the man and links him to both girls --------------------------
    with open_session(p.police_officer) as page:
        page.get_by_role("navigation", name="Menu").get_by_role("link", name="Network").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("People, places and links")
        axe(page)  # the index

        page.get_by_role("button", name="Record a person of concern").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Record a person of concern")
        axe(page)  # the person form
        page.get_by_role("button", name="Save the person").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the person's name, or the name the child uses for them")
        axe(page)  # the person form, with errors
        page.get_by_label("Name", exact=True).fill(PERSON)
        page.get_by_label("Police reference").fill(POLICE_REFERENCE)
        page.get_by_label("What agencies must do").fill(GUIDANCE)
        page.get_by_role("button", name="Save the person").click()
        expect(success_banner(page)).to_contain_text("The person of concern has been recorded")
        expect(page.get_by_role("heading", level=1)).to_have_text(PERSON)
        profile_url = page.url
        axe(page)  # the profile

        # Bella, from her page: the officer searches the records and picks the man.
        page.goto(f"/children/{bella.pk}/")
        section = page.get_by_role("region", name="People and places")
        expect(section).to_contain_text("No person of concern or place is linked")
        section.get_by_role("link", name="Link a person or place").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Link to a person or place")
        axe(page)  # the link form
        page.get_by_label("Search the persons, places, vehicles and businesses already recorded").fill("madeup")
        page.get_by_role("button", name="Search").click()
        page.get_by_role("radio", name=f"{PERSON} (person of concern)").check()
        _grade_and_save(page, link_type="Supplies drugs or alcohol to", seen=seen, source="Return interview", detail="Return interview of 3 March")
        expect(success_banner(page)).to_contain_text("Bella Thornbury has been linked")
        section = page.get_by_role("region", name="People and places")
        expect(section).to_contain_text(PERSON)
        expect(section).to_contain_text("2: Untested")
        expect(section).to_contain_text("Testshire Police: return interview (Return interview of 3 March)")
        axe(page)  # the child page with the link, as the police see it

        # Cara, from his profile.
        page.goto(profile_url)
        page.get_by_role("button", name="Link to another record").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Link to another record")
        page.get_by_label("Find the record to link to").fill("Cara")
        page.get_by_role("button", name="Search").click()
        page.get_by_role("radio", name=re.compile(r"^Cara Millbeck \(child")).check()
        axe(page)  # the node link form with a result
        _grade_and_save(page, link_type="Supplies drugs or alcohol to", seen=seen, source="Police intelligence", detail="Intelligence report 77")
        expect(success_banner(page)).to_contain_text("The link has been recorded")
        links = page.get_by_role("table", name=re.compile(r"^Links"))
        expect(links.get_by_role("row")).to_have_count(3)
        expect(links).to_contain_text("Bella Thornbury")
        expect(links).to_contain_text("Cara Millbeck")

        # The network view draws the man and both girls.
        page.get_by_role("button", name="See the network").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Network around {PERSON}")
        drawing = page.locator("#network")
        expect(drawing).to_have_attribute("data-nodes", "3")
        expect(drawing).to_have_attribute("data-links", "2")
        size = page.evaluate("""() => {
            const canvas = document.querySelector('#network canvas')
            return canvas ? [canvas.width, canvas.height] : [0, 0]
        }""")
        assert size[0] > 0 and size[1] > 0, size
        expect(page.get_by_role("img", name=re.compile("^Drawing of the network around"))).to_be_visible()
        nodes_table = page.get_by_role("table", name="Records")
        for label in (PERSON, "Bella Thornbury", "Cara Millbeck"):
            expect(nodes_table).to_contain_text(label)
        expect(page.get_by_role("table", name="Links").get_by_role("row")).to_have_count(3)
        axe(page)  # the network view, drawn

        page.goto("/network/shared/")
        shared = page.get_by_role("table", name=re.compile("shared person"))
        expect(shared.get_by_role("row").filter(has_text=PERSON)).to_contain_text("Bella Thornbury")
        axe(page)  # shared persons
        page.get_by_role("link", name="Groups of children").click()
        expect(page.locator("main")).to_contain_text(f"Bella Thornbury — supplies drugs — {PERSON} — supplies drugs — Cara Millbeck")
        axe(page)  # groups
        page.get_by_role("link", name="Hotspots").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Hotspots")
        axe(page)  # hotspots

    # 2. The school sees that Bella is linked, and what to do; not the intelligence ---------------
    with open_session(p.school_lead) as page:
        expect(page.get_by_role("navigation", name="Menu").get_by_role("link", name="Network")).to_have_count(0)
        page.goto(f"/children/{bella.pk}/")
        section = page.get_by_role("region", name="People and places")
        expect(section).to_contain_text(PERSON)
        expect(section).to_contain_text(GUIDANCE)
        expect(section).to_contain_text("Supplies drugs or alcohol to")
        for secret in ("2: Untested", "Return interview of 3 March", POLICE_REFERENCE, "Grading"):
            expect(section).not_to_contain_text(secret)
        expect(section.get_by_role("link", name=re.compile("See the profile"))).to_have_count(0)
        axe(page)  # the child page, as the school sees it
        response = page.goto(profile_url)
        assert response.status == 404
        response = page.goto(f"/network/child/{cara.pk}/link/")
        assert response.status == 404
