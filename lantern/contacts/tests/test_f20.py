"""F20: a high-risk child saw no professional over the Christmas period. Contacts are recorded
by every agency; a child at medium or high risk with no successful contact for
LANTERN_NO_CONTACT_DAYS days alerts the lead professional and the hub on their worklists.
Everything is caused through the services, as users would; the scans are dated."""

import datetime as dt

import pytest
from django.utils import timezone

from lantern.children.models import Child
from lantern.children.services import add_involvement
from lantern.children.tests.factories import register_child
from lantern.contacts.models import ContactKind, Place
from lantern.contacts.selectors import days_since_last_contact, last_contact_by_agency, last_successful_contacts
from lantern.notifications.models import Notification
from lantern.risk.tests.factories import decide, screen
from lantern.standards.models import Alert, Severity
from lantern.standards.selectors import worklist_for
from lantern.standards.services import run_scan

from .factories import at, contact

F20 = pytest.mark.finding("F20")
RULE = "F20.no-recent-contact"


def _scan(day: dt.date):
    run_scan(today=day, rule_ids=[RULE])


def _open(child=None):
    qs = Alert.objects.filter(rule_id=RULE, resolved_at__isnull=True)
    return qs.filter(child=child) if child is not None else qs


def _at_level(p, child, level, *, kind="sexual", on=at(2025, 11, 3, 11)):
    screening = screen(by=p.hub, child=child, indicators=[("SEX-02", "current")], screened_at=on - dt.timedelta(hours=2))
    return decide(by=p.hub, child=child, kind=kind, level=level, screenings=[screening], decided_at=on,
                  next_review_on=on.date() + dt.timedelta(days=60))


@pytest.fixture
def christmas(partnership):
    """A child at high risk: the social worker leads, the police and the school nurse work with
    her too. Each saw her in December, the last on 20 December 2025."""
    p = partnership
    child = register_child(by=p.social_worker, age=14, first_name="Bryony", last_name="Reedwater", make_lead=True)
    add_involvement(by=p.social_worker, child=child, agency=p.police, role="Child exploitation officer", professional=p.police_officer)
    add_involvement(by=p.social_worker, child=child, agency=p.health, role="School nurse", professional=p.nurse)
    _at_level(p, child, "high")
    contact(by=p.nurse, child=child, happened_at=at(2025, 12, 10, 13), place=Place.SCHOOL)
    contact(by=p.police_officer, child=child, happened_at=at(2025, 12, 15, 16), kind=ContactKind.PHONE, place="")
    contact(by=p.social_worker, child=child, happened_at=at(2025, 12, 20, 14, 30), place=Place.HOME)
    return child


@F20
def test_christmas_no_one_sees_the_child_for_fourteen_days(partnership, christmas):
    p = partnership
    child = christmas
    # Over the holiday the social worker tries a home visit: no answer. An attempt does not count.
    contact(by=p.social_worker, child=child, happened_at=at(2025, 12, 29, 11), kind=ContactKind.ATTEMPTED, place=Place.HOME,
            summary="Home visit; no answer. Card left.")

    _scan(dt.date(2026, 1, 2))  # 13 days: not yet
    assert not _open().exists()

    _scan(dt.date(2026, 1, 3))  # 14 days since 20 December
    alert = _open(child).get()
    assert alert.finding == "F20" and alert.severity == Severity.URGENT  # the child is at high risk
    assert alert.due_on == dt.date(2026, 1, 3)
    assert alert.message.startswith("No one has seen or spoken to the child for 14 days: the last successful contact was by "
                                    "Testshire Children's Social Care on 20 December 2025.")
    # The lead professional and the hub see it on their worklists, as does everyone working with the child.
    assert list(worklist_for(p.social_worker)) == [alert]
    assert list(worklist_for(p.hub)) == [alert]
    assert list(worklist_for(p.police_officer)) == [alert]
    assert list(worklist_for(p.school_lead)) == []  # not working with the child
    # The alert is the message: the rule tells no one by notification.
    assert not Notification.objects.filter(child=child, category="alert").exists()

    # The wording follows the gap while the alert stays open.
    _scan(dt.date(2026, 1, 5))
    assert "for 16 days" in _open(child).get().message and _open(child).get().pk == alert.pk

    # The police see her on 4 January: the next scan resolves the alert, which is kept.
    contact(by=p.police_officer, child=child, happened_at=at(2026, 1, 4, 15), place=Place.COMMUNITY)
    _scan(dt.date(2026, 1, 5))
    assert not _open().exists()
    assert Alert.objects.get(pk=alert.pk).resolved_at is not None


@F20
def test_the_meeting_summary_reads_the_latest_contact_of_each_agency(partnership, christmas):
    p = partnership
    child = christmas
    contact(by=p.social_worker, child=child, happened_at=at(2025, 12, 29, 11), kind=ContactKind.ATTEMPTED, place=Place.HOME,
            summary="No answer")
    rows = last_contact_by_agency(child, today=dt.date(2026, 1, 3))
    assert [r.agency for r in rows] == [p.social_care, p.health, p.police]  # the lead first, then by name
    lead = rows[0]
    assert lead.is_lead and lead.last_successful_at == at(2025, 12, 20, 14, 30) and lead.days_since_successful == 14
    assert lead.last_successful_kind == ContactKind.FACE_TO_FACE and lead.last_successful_by == "Sally Worker"
    assert lead.last_attempt_at == at(2025, 12, 29, 11) and lead.attempted_since
    assert rows[2].last_successful_kind == ContactKind.PHONE and rows[2].last_attempt_at is None
    assert days_since_last_contact(child, today=dt.date(2026, 1, 3)) == 14
    assert last_successful_contacts([child.pk]) == {child.pk: (at(2025, 12, 20, 14, 30), "Testshire Children's Social Care")}


@F20
def test_a_child_at_medium_risk_never_contacted_alerts_from_the_decision(partnership):
    p = partnership
    child = register_child(by=p.social_worker, age=15, make_lead=True)
    _at_level(p, child, "medium", kind="criminal", on=at(2025, 12, 1, 10))
    _scan(dt.date(2025, 12, 14))
    assert not _open().exists()
    _scan(dt.date(2025, 12, 15))
    alert = _open(child).get()
    assert alert.severity == Severity.WARNING and alert.due_on == dt.date(2025, 12, 15)
    assert "since their risk level was decided on 1 December 2025, 14 days ago" in alert.message
    assert days_since_last_contact(child) is None


@F20
def test_low_risk_and_closed_records_raise_nothing(partnership):
    p = partnership
    low = register_child(by=p.social_worker, age=13, make_lead=True)
    _at_level(p, low, "low")
    closed = register_child(by=p.social_worker, age=13, make_lead=True)
    _at_level(p, closed, "high")
    Child.objects.filter(pk=closed.pk).update(closed_at=timezone.now())  # closing is the plans app's (F41)
    risk_to_others = register_child(by=p.social_worker, age=13, make_lead=True)
    _at_level(p, risk_to_others, "high", kind="risk_to_others")
    _scan(dt.date(2026, 1, 3))
    assert not _open().exists()


@F20
def test_the_number_of_days_is_a_setting(partnership, christmas, settings):
    settings.LANTERN_NO_CONTACT_DAYS = 7
    _scan(dt.date(2025, 12, 26))
    assert not _open().exists()
    _scan(dt.date(2025, 12, 27))
    alert = _open(christmas).get()
    assert alert.due_on == dt.date(2025, 12, 27) and "for 7 days" in alert.message
