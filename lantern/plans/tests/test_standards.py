"""The standards engine's plan rules, through the services as the agencies would use them."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lantern.children import services as child_services
from lantern.children.tests.factories import register_child
from lantern.core.dates import local_today
from lantern.plans import selectors, services
from lantern.plans.models import ActionStatus
from lantern.plans.tests.factories import active_plan
from lantern.risk.tests.factories import NOW, decide, screen
from lantern.standards.models import Alert
from lantern.standards.registry import get_rule
from lantern.standards.services import run_scan

RULE = "F17.indicators-without-action"


def _child(p, indicators):
    child = register_child(by=p.social_worker)
    child_services.add_involvement(by=p.social_worker, child=child, agency=p.school, role="Designated safeguarding lead")
    screen(by=p.social_worker, child=child, indicators=indicators)
    decide(by=p.hub, child=child, level="high")
    return child


def _open(child):
    return Alert.objects.filter(rule_id=RULE, child=child, resolved_at__isnull=True)


@pytest.mark.finding("F17")
def test_an_indicator_of_the_latest_screening_with_no_action_in_the_active_plan_alerts(partnership):
    p = partnership
    # Social care's first screening saw criminal exploitation; its latest does not: only the latest counts.
    child = register_child(by=p.social_worker)
    child_services.add_involvement(by=p.social_worker, child=child, agency=p.school, role="Designated safeguarding lead")
    screen(by=p.social_worker, child=child, indicators=[("CRIM-01", NOW)])
    screen(by=p.social_worker, child=child, indicators=[("SEX-02", NOW)])
    screen(by=p.school_lead, child=child, indicators=[("EMO-01", NOW)])
    decide(by=p.hub, child=child, level="high")
    plan = services.start_plan(by=p.social_worker, child=child)
    run_scan()
    assert not _open(child).exists()  # a draft is not watched: the F05 rule says it is not active yet

    plan = services.update_plan(by=p.social_worker, plan=plan, expected_version=plan.version, worries="Older males", aims="Safe at home")
    services.add_action(by=p.social_worker, plan=plan, description="Weekly visits", owner=p.social_worker, agency=p.social_care,
                        due_on=local_today() + dt.timedelta(days=14), outcome="Names a trusted adult", indicator_ids=["SEX-02"])
    services.add_contingency(by=p.social_worker, plan=plan, trigger="Goes missing", response="Strategy discussion",
                             agency=p.social_care, owner=p.social_worker)
    plan.refresh_from_db()
    services.activate_plan(by=p.social_worker, plan=plan, expected_version=plan.version, next_review_on=local_today() + dt.timedelta(days=30))
    run_scan()
    alert = _open(child).get()
    assert alert.key == f"plan:{plan.pk}"
    assert alert.message.startswith("1 indicator from the latest screenings has no action against it in the plan: ")
    assert "CRIM-01" not in alert.message

    # An action no longer needed does not count; one that addresses the indicator does, and the alert resolves.
    emotional = services.add_action(by=p.school_lead, plan=plan, description="Check-ins with the school counsellor", owner=p.school_lead,
                                    agency=p.school, due_on=local_today() + dt.timedelta(days=7), outcome="She talks to someone weekly",
                                    indicator_ids=["EMO-01"])
    services.finish_action(by=p.school_lead, action=emotional, status=ActionStatus.NOT_NEEDED, evidence="Counsellor left")
    run_scan()
    assert _open(child).exists()
    services.add_action(by=p.school_lead, plan=plan, description="Refer to CAMHS", owner=p.school_lead, agency=p.school,
                        due_on=local_today() + dt.timedelta(days=7), outcome="She has a CAMHS worker", indicator_ids=["EMO-01"])
    run_scan()
    assert not _open(child).exists()
    assert not selectors.plan_page(p.social_worker, child)["check"].unaddressed_indicators  # the plan's check agrees


@pytest.mark.finding("F17")
def test_the_indicator_rule_makes_a_fixed_number_of_queries(partnership):
    p = partnership
    counts = []
    for _ in range(2):
        child = _child(p, [("SEX-02", NOW), ("EMO-01", NOW)])
        active_plan(by=p.social_worker, child=child, owner=p.social_worker, agency=p.social_care)
        with CaptureQueriesContext(connection) as ctx:
            specs = list(get_rule(RULE).evaluate(local_today()))
        counts.append(len(ctx.captured_queries))
        assert child.pk in {spec.child_id for spec in specs}
    assert counts[0] == counts[1] == 3
