"""The referral rules of the standards engine: unanswered referrals age on the hub's worklist
(F04); referrals with expected statutory checks missing are listed (F01)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lantern.children.services import add_involvement
from lantern.children.tests.factories import register_child
from lantern.core.dates import LONDON
from lantern.referrals import services
from lantern.referrals.models import CheckType, Outcome
from lantern.referrals.standards import referral_outcome_overdue, statutory_checks_missing
from lantern.referrals.tests.factories import refer
from lantern.standards.models import Alert, Audience
from lantern.standards.selectors import worklist_for
from lantern.standards.services import run_scan

# Wednesday 24 December 2025, 16:00 in London. Christmas Day and Boxing Day are Thursday and
# Friday, then the weekend: the outcome is due on Monday 29 December.
CHRISTMAS_EVE = dt.datetime(2025, 12, 24, 16, 0, tzinfo=LONDON)
DUE = dt.date(2025, 12, 29)


def _open(rule_id):
    return Alert.objects.filter(rule_id=rule_id, resolved_at__isnull=True)


@pytest.mark.finding("F04")
def test_an_unanswered_referral_ages_on_the_hub_worklist_until_the_outcome_is_recorded(partnership):
    p = partnership
    child = register_child(by=p.school_lead)
    referral = refer(by=p.school_lead, child=child, received_at=CHRISTMAS_EVE)
    assert referral.outcome_due_on == DUE
    rule = "F04.referral-outcome-overdue"
    # Not on the due day itself.
    run_scan(today=DUE, rule_ids=[rule])
    assert not _open(rule).exists()
    # The day after it is due, the hub is told; the school, which cannot decide, is not.
    run_scan(today=DUE + dt.timedelta(days=1), rule_ids=[rule])
    alert = _open(rule).get()
    assert alert.child == child and alert.audience == Audience.HUB and alert.due_on == DUE and alert.finding == "F04"
    assert "received 24 December 2025 has no outcome: 1 day overdue" in alert.message
    assert alert in list(worklist_for(p.hub))
    assert alert not in list(worklist_for(p.school_lead))
    # It ages: the same alert, its wording following the days overdue.
    run_scan(today=DUE + dt.timedelta(days=4), rule_ids=[rule])
    assert _open(rule).get().pk == alert.pk
    assert "4 days overdue" in _open(rule).get().message
    # Recording the outcome clears it at the next scan; the alert is kept, resolved.
    services.record_outcome(by=p.hub, referral=referral, outcome=Outcome.EARLY_HELP, reason="Family support offered")
    run_scan(today=DUE + dt.timedelta(days=5), rule_ids=[rule])
    assert not _open(rule).exists()
    assert Alert.objects.get(pk=alert.pk).resolved_at is not None


@pytest.mark.finding("F04")
def test_a_referral_answered_on_time_never_alerts(partnership):
    p = partnership
    referral = refer(by=p.school_lead, child=register_child(by=p.school_lead), received_at=CHRISTMAS_EVE)
    services.record_outcome(
        by=p.hub, referral=referral, outcome=Outcome.NO_FURTHER_ACTION, reason="Known; plan in place",
        decided_at=dt.datetime(2025, 12, 29, 10, 0, tzinfo=LONDON),
    )
    run_scan(today=DUE + dt.timedelta(days=10))
    assert not _open("F04.referral-outcome-overdue").exists()


@pytest.mark.finding("F01")
def test_missing_statutory_checks_alert_the_hub_after_a_working_day_until_made(partnership):
    p = partnership
    child = register_child(by=p.school_lead)
    add_involvement(by=p.school_lead, child=child, agency=p.police, role="Exploitation officer")
    referral = refer(by=p.school_lead, child=child, received_at=CHRISTMAS_EVE)
    rule = "F01.statutory-checks-missing"
    run_scan(today=DUE, rule_ids=[rule])
    assert not _open(rule).exists()
    run_scan(today=DUE + dt.timedelta(days=1), rule_ids=[rule])
    alert = _open(rule).get()
    assert alert.audience == Audience.HUB and alert.child == child
    assert alert.message.endswith(
        "Police national computer (PNC), Police local systems, Children's social care records, Education records."
    )
    services.record_check(by=p.police_officer, referral=referral, check_type=CheckType.PNC, result_note="Nothing known")
    services.record_check(by=p.police_officer, referral=referral, check_type=CheckType.POLICE_LOCAL, result_note="Nothing known")
    run_scan(today=DUE + dt.timedelta(days=2), rule_ids=[rule])
    assert _open(rule).get().message.endswith("Children's social care records, Education records.")
    services.record_check(by=p.hub, referral=referral, check_type=CheckType.SOCIAL_CARE, result_note="Not known to us")
    services.record_check(by=p.school_lead, referral=referral, check_type=CheckType.EDUCATION, result_note="Attendance 70%")
    run_scan(today=DUE + dt.timedelta(days=3), rule_ids=[rule])
    assert not _open(rule).exists()


def test_the_referral_rules_make_one_query_whatever_the_number_of_referrals(partnership):
    p = partnership
    child = register_child(by=p.school_lead)
    for n in range(6):
        refer(by=p.school_lead, child=child, received_at=CHRISTMAS_EVE + dt.timedelta(hours=n))
    today = DUE + dt.timedelta(days=3)
    for rule in (referral_outcome_overdue, statutory_checks_missing):
        with CaptureQueriesContext(connection) as ctx:
            found = list(rule(today))
        assert len(found) == 6
        assert len(ctx.captured_queries) == 1
