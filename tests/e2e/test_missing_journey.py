"""The missing-episode journey in a real browser (issue 4, finding F06), as two people live it: a
police officer records that a child went missing and, later, the child's return; the return
interview is not offered within 72 hours, so the standards scan puts it on the worklist of the
missing and return interview service; their worker follows it, records the offer and then the
interview; the episode shows the interview as offered late and held, and the next scan clears
the alert. Every page visited is checked with axe: no serious or critical violations."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lantern.children.services import add_involvement
from lantern.children.tests.factories import register_child
from lantern.core.dates import LONDON, local_today
from lantern.partnership import services as partnership_services
from lantern.partnership.models import AgencyType, Role
from lantern.partnership.tests.factories import make_user
from tests.e2e.helpers import summary_row

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.finding("F06")]

RULE_ID = "F06.return-interview-overdue"
OVERDUE_TEXT = "No return interview offered after the return of"
CIRCUMSTANCES = "Did not come home after school. Friends say she got into a car with two older men."
POLICE_REFERENCE = "TP/26/004417"
FOUND_WHERE = "A flat above the takeaway on Mill Street"
CHILDS_ACCOUNT = "I went to a party at Jay's. I didn't want to come home because of the rows."
PEOPLE_AND_PLACES = "'Jay', about 20, drives a grey car\nThe flat above the takeaway on Mill Street"


def _fill_moment(page, prefix: str, moment: dt.datetime) -> None:
    """Type a London date (day, month, year) and 24-hour time into a `<prefix>_date` / `<prefix>_time` pair."""
    local = moment.astimezone(LONDON)
    page.fill(f"#id_{prefix}_date_0", str(local.day))
    page.fill(f"#id_{prefix}_date_1", str(local.month))
    page.fill(f"#id_{prefix}_date_2", str(local.year))
    page.fill(f"#id_{prefix}_time", f"{local:%H:%M}")


def _open_alerts(child):
    from lantern.standards.models import Alert

    return Alert.objects.filter(rule_id=RULE_ID, child=child, resolved_at__isnull=True)


def test_police_record_an_episode_the_interview_falls_overdue_and_the_missing_team_records_it(partnership, open_session, axe):
    from lantern.missing.models import MissingEpisode
    from lantern.standards.services import run_scan

    p = partnership
    missing_team = partnership_services.create_agency(
        by=None, name="Testshire Missing and Return Interview Service", agency_type=AgencyType.VOLUNTARY,
    )
    worker = make_user(missing_team, Role.PRACTITIONER, name="Rhiannon Returns", email="rhiannon@lantern.test")
    child = register_child(by=p.police_officer, first_name="Keira", last_name="Thistlewood", age=14)
    add_involvement(by=p.police_officer, child=child, agency=missing_team, role="Return interview worker", professional=worker)
    name = child.display_name

    # Went missing five days ago in the evening; found four days ago in the morning: more than
    # 72 hours ago whatever the time of day now.
    today = local_today()
    started = dt.datetime.combine(today - dt.timedelta(days=5), dt.time(21, 30), tzinfo=LONDON)
    returned = dt.datetime.combine(today - dt.timedelta(days=4), dt.time(9, 45), tzinfo=LONDON)
    assert timezone.now() - returned > dt.timedelta(hours=72)

    # 1. The police officer records the episode and the return ---------------------------------
    with open_session(p.police_officer) as page:
        page.get_by_role("link", name=name).click()  # "Children you work with" on the home page
        expect(page).to_have_url(re.compile(rf"/children/{child.pk}/$"))
        section = page.get_by_role("region", name="Missing episodes")
        expect(section).to_contain_text("No missing episodes recorded.")
        axe(page)

        section.get_by_role("link", name=re.compile("^Record a missing episode")).click()
        expect(page).to_have_url(re.compile(rf"/missing/child/{child.pk}/new/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Record a missing episode")
        axe(page)

        page.get_by_role("group", name="Was the child missing or away?").get_by_role("radio", name="Missing", exact=True).check()
        page.get_by_role("group", name="Where did the child go missing from?").get_by_role("radio", name="Home", exact=True).check()
        _fill_moment(page, "started_at", started)
        page.get_by_label("Police reference (if reported to the police)").fill(POLICE_REFERENCE)
        page.get_by_label("What happened?").fill(CIRCUMSTANCES)
        page.get_by_role("button", name="Record the episode").click()

        expect(page).to_have_url(re.compile(r"/missing/\d+/$"))
        episode = MissingEpisode.objects.get(child=child)
        episode_path = f"/missing/{episode.pk}/"
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text(f"{name} has been recorded as missing")
        expect(page.get_by_role("heading", level=1)).to_have_text("Missing episode")
        expect(page.locator("main .govuk-warning-text")).to_contain_text("Missing since")
        expect(summary_row(page, "Reported by")).to_contain_text(f"{p.police_officer.full_name}, {p.police.name}")
        expect(summary_row(page, "Police reference")).to_have_text(re.compile(POLICE_REFERENCE))
        expect(page.locator("main .govuk-tag")).to_have_text("Still missing")
        axe(page)

        page.get_by_role("button", name="Record the child's return").click()
        expect(page).to_have_url(re.compile(rf"{episode_path}return/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Record the child's return")
        axe(page)

        # A return before the child went missing is refused, with the error summary; nothing typed is lost.
        _fill_moment(page, "returned_at", started - dt.timedelta(hours=2))
        page.get_by_label("Where was the child found?").fill(FOUND_WHERE)
        page.get_by_role("button", name="Record the return").click()
        summary = page.locator(".govuk-error-summary")
        expect(summary).to_be_visible()
        expect(summary).to_contain_text("The time the child returned must be after the time they went missing")
        expect(page.get_by_label("Where was the child found?")).to_have_value(FOUND_WHERE)
        assert MissingEpisode.objects.get(pk=episode.pk).returned_at is None
        axe(page)

        _fill_moment(page, "returned_at", returned)
        page.get_by_label("Where did the child return to?").fill("Home")
        page.get_by_role("button", name="Record the return").click()
        expect(page).to_have_url(re.compile(rf"{episode_path}$"))
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text("The child's return has been recorded")
        expect(summary_row(page, "Returned")).to_contain_text("Home")
        expect(summary_row(page, "Found")).to_contain_text(FOUND_WHERE)
        expect(page.locator("main .govuk-tag")).to_have_text("Interview overdue")
        axe(page)

    # 2. The standards scan finds the overdue interview -------------------------------------
    outcomes = {o.rule_id: o for o in run_scan(trigger="manual")}
    assert outcomes[RULE_ID].opened == 1
    assert _open_alerts(child).count() == 1

    # 3. The missing team's worker finds it on their worklist and records the interview ----
    with open_session(worker) as page:
        expect(page.locator("main")).to_contain_text("See your worklist")
        page.get_by_role("navigation", name="Menu").get_by_role("link", name="Worklist").click()
        expect(page).to_have_url(re.compile(r"/worklist/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Worklist")
        row = page.get_by_role("row").filter(has_text=OVERDUE_TEXT)
        expect(row).to_have_count(1)
        expect(row.get_by_role("link", name=name)).to_be_visible()
        expect(row).to_contain_text(re.compile(r"Offer an independent return interview and record it"))
        expect(row).to_contain_text(re.compile(r"\d+ hours overdue"))
        expect(row).to_contain_text("F06")
        axe(page)

        # Only the F06 standards.
        page.get_by_label("Show").select_option(value="F06")
        page.get_by_role("button", name="Filter").click()
        expect(page).to_have_url(re.compile(r"/worklist/\?finding=F06$"))
        expect(page.get_by_role("row").filter(has_text=OVERDUE_TEXT)).to_have_count(1)
        axe(page)

        page.get_by_role("row").filter(has_text=OVERDUE_TEXT).get_by_role("link", name=name).click()
        expect(page).to_have_url(re.compile(rf"/children/{child.pk}/$"))
        expect(page.get_by_role("region", name="Needs attention")).to_contain_text(OVERDUE_TEXT)
        section = page.get_by_role("region", name="Missing episodes")
        episode_row = section.get_by_role("row").filter(has=page.get_by_role("link", name=re.compile("missing episode")))
        expect(episode_row).to_have_count(1)
        expect(episode_row.locator(".govuk-tag")).to_have_text("Interview overdue")
        axe(page)

        episode_row.get_by_role("link").first.click()
        expect(page).to_have_url(re.compile(rf"{episode_path}$"))
        expect(page.locator("main .govuk-tag")).to_have_text("Interview overdue")
        axe(page)

        page.get_by_role("button", name="Record the offer of a return interview").click()
        expect(page).to_have_url(re.compile(rf"{episode_path}interview/offer/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Record the offer of a return interview")
        axe(page)

        now = timezone.now()
        _fill_moment(page, "offered_at", now - dt.timedelta(minutes=30))
        page.get_by_label("I confirm the interview is offered by someone independent").check()
        page.get_by_role("button", name="Record the offer").click()
        expect(page).to_have_url(re.compile(rf"{episode_path}$"))
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text("The offer of a return interview has been recorded")
        expect(page.locator("main .govuk-tag")).to_have_text("Offered, not yet held")
        expect(summary_row(page, "Offered")).to_contain_text(f"by {worker.full_name}, {missing_team.name}")
        axe(page)

        page.get_by_role("button", name="Record the return interview").click()
        expect(page).to_have_url(re.compile(rf"{episode_path}interview/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Record the return interview")
        axe(page)

        page.get_by_role("group", name="Did the child accept the interview?").get_by_role("radio", name="Yes").check()
        _fill_moment(page, "held_at", now - dt.timedelta(minutes=10))
        page.get_by_label("The child's account").fill(CHILDS_ACCOUNT)
        page.get_by_label("Push factors").fill("Arguments at home with mum's partner.")
        page.get_by_label("Pull factors").fill("Older friends, cannabis, a place to stay.")
        page.get_by_label("People and places named").fill(PEOPLE_AND_PLACES)
        page.get_by_role("group", name="Information shared with").get_by_role("checkbox", name=p.police.name).check()
        page.get_by_label("Actions arising").fill("Share Jay's description with the police; propose Keira for the exploitation meeting.")
        page.get_by_role("button", name="Record the interview").click()

        expect(page).to_have_url(re.compile(rf"{episode_path}$"))
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text("The return interview has been recorded")
        # Offered more than 72 hours after the return: held, but late.
        expect(page.locator("main .govuk-tag")).to_have_text("Offered late, held")
        expect(summary_row(page, "The child's account")).to_contain_text(CHILDS_ACCOUNT)
        expect(summary_row(page, "Shared with")).to_have_text(re.compile(re.escape(p.police.name)))
        expect(page.get_by_role("button", name="Record the offer of a return interview")).to_have_count(0)
        expect(page.get_by_role("button", name="Record the return interview")).to_have_count(0)
        axe(page)

        # 4. The next scan resolves the alert: it leaves the worklist ----------------------
        outcomes = {o.rule_id: o for o in run_scan(trigger="manual")}
        assert outcomes[RULE_ID].resolved == 1
        assert not _open_alerts(child).exists()

        page.get_by_role("navigation", name="Menu").get_by_role("link", name="Worklist").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Worklist")
        expect(page.get_by_role("row").filter(has_text=OVERDUE_TEXT)).to_have_count(0)
        axe(page)

        page.goto(f"/children/{child.pk}/")
        section = page.get_by_role("region", name="Missing episodes")
        expect(section.locator(".govuk-tag")).to_have_text("Offered late, held")
        expect(page.locator("main")).not_to_contain_text(OVERDUE_TEXT)
        axe(page)
