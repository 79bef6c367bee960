import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lantern.children import services as child_services
from lantern.children.tests.factories import register_child
from lantern.core.dates import local_today
from lantern.standards.models import Alert, Severity
from lantern.standards.registry import get_rule
from lantern.standards.selectors import worklist_for
from lantern.standards.services import run_scan

from .factories import NOW, decide, screen

REVIEW = "F03.level-review-overdue"
MISSING = "F09.screening-missing"


def _open(rule_id):
    return Alert.objects.filter(rule_id=rule_id, resolved_at__isnull=True)


def _decided_long_ago(p, child, *, kind="sexual", level="high", days_ago=100, review_after=60, **kwargs):
    decided = timezone.now() - dt.timedelta(days=days_ago)
    screening = screen(by=p.school_lead, child=child, indicators=[("SEX-12", NOW)], screened_at=decided - dt.timedelta(hours=1))
    return decide(by=p.hub, child=child, kind=kind, level=level, screenings=[screening], decided_at=decided,
                  next_review_on=(decided + dt.timedelta(days=review_after)).date(), **kwargs)


@pytest.mark.finding("F03")
def test_an_overdue_level_review_alerts_until_the_level_is_reviewed(partnership):
    p = partnership
    child = register_child(by=p.school_lead)
    old = _decided_long_ago(p, child)
    run_scan(rule_ids=[REVIEW])
    alert = _open(REVIEW).get()
    assert alert.key == f"child:{child.pk}:sexual" and alert.child == child
    assert alert.due_on == old.next_review_on and alert.severity == Severity.URGENT
    assert "was due for review" in alert.message
    assert alert in list(worklist_for(p.school_lead))
    decide(by=p.chair, child=child, kind="sexual", level="medium", source="meeting", next_review_on=local_today() + dt.timedelta(days=30))
    run_scan(rule_ids=[REVIEW])
    assert not _open(REVIEW).exists()


@pytest.mark.finding("F03")
def test_no_review_alert_for_no_identified_risk_or_a_future_review(partnership):
    p = partnership
    _decided_long_ago(p, register_child(by=p.school_lead), level="none", departure_reason="Concerns ruled out")
    _decided_long_ago(p, register_child(by=p.school_lead), days_ago=10, review_after=20)
    assert list(get_rule(REVIEW).evaluate(local_today())) == []


@pytest.mark.finding("F09")
def test_a_medium_or_high_child_missing_screenings_alerts_naming_how_many_agencies(partnership):
    p = partnership
    child = register_child(by=p.school_lead)
    child_services.add_involvement(by=p.school_lead, child=child, agency=p.police, role="Officer")
    child_services.add_involvement(by=p.school_lead, child=child, agency=p.health, role="Nurse")
    screening = screen(by=p.school_lead, child=child, indicators=[("SEX-12", NOW)])
    decide(by=p.hub, child=child, level="high", screenings=[screening])
    low = register_child(by=p.school_lead)
    child_services.add_involvement(by=p.school_lead, child=low, agency=p.police, role="Officer")
    decide(by=p.hub, child=low, level="low", screenings=[screen(by=p.school_lead, child=low)], departure_reason="Some concern")
    run_scan(rule_ids=[MISSING])
    alert = _open(MISSING).get()
    assert alert.key == f"child:{child.pk}" and "2 agencies working with this child have not contributed" in alert.message
    screen(by=p.police_officer, child=child)
    run_scan(rule_ids=[MISSING])
    assert "1 agency working with this child has not" in _open(MISSING).get().message
    screen(by=p.nurse, child=child)
    run_scan(rule_ids=[MISSING])
    assert not _open(MISSING).exists()


@pytest.mark.finding("F09")
def test_an_old_screening_does_not_count(partnership):
    p = partnership
    child = register_child(by=p.school_lead)
    old = screen(by=p.school_lead, child=child, indicators=[("SEX-12", NOW)], screened_at=timezone.now() - dt.timedelta(days=120))
    decide(by=p.hub, child=child, level="high", screenings=[old])
    assert [spec.key for spec in get_rule(MISSING).evaluate(local_today())] == [f"child:{child.pk}"]


def test_rules_make_a_fixed_number_of_queries(partnership):
    p = partnership
    counts = []
    for _ in range(2):
        child = register_child(by=p.school_lead)
        _decided_long_ago(p, child)
        child_services.add_involvement(by=p.school_lead, child=child, agency=p.police, role="Officer")
        with CaptureQueriesContext(connection) as ctx:
            list(get_rule(REVIEW).evaluate(local_today()))
            list(get_rule(MISSING).evaluate(local_today()))
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] == 2
