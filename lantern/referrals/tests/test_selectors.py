"""Reads of referrals: need to know, the expected checks, and the hub dashboard's counts."""

import datetime as dt

import pytest
from django.http import Http404
from django.utils import timezone

from lantern.children.tests.factories import register_child
from lantern.core.dates import LONDON
from lantern.referrals import selectors, services
from lantern.referrals.models import CheckType, Outcome, Referral
from lantern.referrals.tests.factories import refer

CHRISTMAS_EVE = dt.datetime(2025, 12, 24, 16, 0, tzinfo=LONDON)


@pytest.fixture
def built(partnership):
    """Five referrals about three children, in every state the dashboard counts."""
    p = partnership
    now = timezone.now()
    school_child = register_child(by=p.school_lead, first_name="Amber")
    health_child = register_child(by=p.nurse, first_name="Bryony")
    police_child = register_child(by=p.police_officer, first_name="Cerys")
    overdue = refer(by=p.school_lead, child=school_child, received_at=CHRISTMAS_EVE)
    fresh = refer(by=p.school_lead, child=school_child)
    screened = refer(by=p.nurse, child=health_child)
    closed = refer(by=p.hub, child=health_child)
    old = refer(by=p.police_officer, child=police_child, received_at=now - dt.timedelta(days=60))
    services.record_outcome(by=p.hub, referral=screened, outcome=Outcome.SCREENING, reason="Screen it")
    services.record_outcome(by=p.hub, referral=closed, outcome=Outcome.NO_FURTHER_ACTION, reason="Known, plan in place")
    services.record_outcome(
        by=p.hub, referral=old, outcome=Outcome.EARLY_HELP, reason="Family support", decided_at=now - dt.timedelta(days=59)
    )
    services.record_check(by=p.school_lead, referral=overdue, check_type=CheckType.EDUCATION, result_note="Attendance 61%")
    services.record_check(by=p.hub, referral=closed, check_type=CheckType.SOCIAL_CARE, result_note="Nothing known")
    services.record_check(by=p.police_officer, referral=old, check_type=CheckType.PNC, result_note="Nothing known",
                          checked_on=(now - dt.timedelta(days=59)).astimezone(LONDON).date())
    services.record_check(by=p.police_officer, referral=old, check_type=CheckType.POLICE_LOCAL, result_note="One missing report")
    services.record_check(by=p.hub, referral=old, check_type=CheckType.SOCIAL_CARE, result_note="Closed early help case")
    return {"overdue": overdue, "fresh": fresh, "screened": screened, "closed": closed, "old": old}


@pytest.mark.finding("F01")
@pytest.mark.finding("F04")
def test_dashboard_counts_equal_the_referrals_built(built):
    board = selectors.hub_dashboard()
    assert board.awaiting == 2 and board.overdue == 1
    assert board.received_recently == 3
    outcomes = dict(board.outcomes)
    assert outcomes["Exploitation screening"] == 1 and outcomes["No further action"] == 1
    assert outcomes["Early help"] == 0  # decided 59 days ago
    assert sum(outcomes.values()) == 2
    # Missing checks: the school's two referrals 3 + 4, the health child's two 4 + 3, the police child's none.
    assert board.referrals_missing_checks == 4
    assert board.missing_checks == 14
    assert dict(board.missing_by_check) == {
        "Police national computer (PNC)": 4, "Police local systems": 4, "Children's social care records": 3,
        "Health records": 2, "Education records": 1, "Youth justice records": 0,
    }
    by_type = {label: (recent, waiting, total) for label, recent, waiting, total in board.by_agency_type}
    assert by_type == {
        "Children's social care": (1, 0, 1), "Police": (0, 0, 1), "Health": (1, 0, 1), "Education": (1, 2, 2),
    }
    assert [r.pk for r in board.oldest_awaiting] == [built["overdue"].pk, built["fresh"].pk]
    assert board.oldest_awaiting[0].days_overdue > 300


@pytest.mark.finding("F01")
def test_the_database_and_the_page_agree_on_missing_checks(built, partnership):
    annotated = dict(selectors.with_missing_checks(Referral.objects.all()).values_list("pk", "missing_checks"))
    for referral in Referral.objects.all():
        page = selectors.referral_page(partnership.hub, referral)
        assert len(page.missing) == annotated[referral.pk], referral


def test_a_referral_is_seen_only_by_those_who_may_see_its_child(built, partnership):
    p = partnership
    referral = built["overdue"]
    assert selectors.access_referral(p.school_lead, referral.pk).pk == referral.pk
    assert selectors.access_referral(p.hub, referral.pk).pk == referral.pk
    for user in (p.police_officer, p.nurse, p.auditor):
        with pytest.raises(Http404):
            selectors.access_referral(user, referral.pk)
    with pytest.raises(Http404):
        selectors.access_referral(p.school_lead, "not-a-number")
    # Reading it is written to the child's access log.
    assert referral.child.access_log.filter(user=p.school_lead).exists()


def test_the_referral_list_shows_the_agencys_own_referrals_and_the_hub_sees_all(built, partnership):
    p = partnership
    assert [r.pk for r in selectors.referral_list(p.school_lead)] == [built["fresh"].pk, built["overdue"].pk]
    assert [r.pk for r in selectors.referral_list(p.nurse)] == [built["screened"].pk]
    assert len(selectors.referral_list(p.hub)) == 5
    assert [r.pk for r in selectors.referral_list(p.hub, awaiting_only=True)] == [built["fresh"].pk, built["overdue"].pk]


def test_checks_the_user_may_still_record(built, partnership):
    p = partnership
    page = selectors.referral_page(p.school_lead, built["overdue"])
    assert [c for c, _ in page.recordable_check_types] == [CheckType.OTHER]  # education already recorded
    page = selectors.referral_page(p.school_lead, built["fresh"])
    assert [c for c, _ in page.recordable_check_types] == [CheckType.EDUCATION, CheckType.OTHER]
    page = selectors.referral_page(p.hub, built["fresh"])
    assert [c for c, _ in page.recordable_check_types] == [CheckType.SOCIAL_CARE, CheckType.OTHER]
    assert page.can_record_outcome
    assert not selectors.referral_page(p.hub, built["closed"]).can_record_outcome
    assert not selectors.referral_page(p.school_lead, built["fresh"]).can_record_outcome
