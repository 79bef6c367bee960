"""F23: young people approaching 18 are listed with a transition plan due date, and a young
person at risk without an agreed plan by then is alerted. F26: a placement out of area records
the host authority and a due date for their information, which alerts when missed. Everything
is caused through the services, as users would."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from lantern.children.models import Child
from lantern.children.tests.factories import register_child
from lantern.core.dates import local_today, long_date
from lantern.risk.tests.factories import decide, screen
from lantern.standards.models import Alert, Audience, Severity
from lantern.standards.selectors import worklist_for
from lantern.standards.services import run_scan
from lantern.transitions import services
from lantern.transitions.models import PlanStatus, default_due_on

from .factories import born_aged, days_ago, placement, plan

F23_RULE, F26_RULE = "F23.transition-plan-missing", "F26.host-information-overdue"


def _flag(*, hub, child, level="medium"):
    decide(by=hub, child=child, kind="criminal", level=level, screenings=[screen(by=hub, child=child, indicators=[("CRIM-01", "current")])])


def _open(rule_id, child=None):
    qs = Alert.objects.filter(rule_id=rule_id, resolved_at__isnull=True)
    return qs.filter(child=child) if child is not None else qs


@pytest.mark.finding("F23")
def test_a_young_person_at_risk_without_an_agreed_plan_by_its_due_date_is_alerted_until_it_is_agreed(client, partnership):
    p = partnership
    overdue = register_child(by=p.social_worker, date_of_birth=born_aged(17, days_past_birthday=200), first_name="Dara", make_lead=True)
    not_yet_due = register_child(by=p.social_worker, date_of_birth=born_aged(17, days_past_birthday=40), first_name="Eden")
    not_at_risk = register_child(by=p.social_worker, date_of_birth=born_aged(17, days_past_birthday=200), first_name="Faye")
    sixteen = register_child(by=p.social_worker, date_of_birth=born_aged(16, days_past_birthday=200), first_name="Hollis")
    for child in (overdue, not_yet_due, sixteen):
        _flag(hub=p.hub, child=child)
    _flag(hub=p.hub, child=not_at_risk, level="none")

    # Every young person of 17 or over is listed with the date their plan is due.
    client.force_login(p.social_worker)
    page = client.get(reverse("transitions:list")).content.decode()
    assert "Dara" in page and "Eden" in page and "Faye" in page and "Hollis" not in page
    assert page.index("Dara") < page.index("Eden")  # soonest 18th birthday first
    assert f"{default_due_on(overdue.date_of_birth):%-d %b %Y}" in page and "Overdue" in page

    run_scan(rule_ids=[F23_RULE])
    alert = _open(F23_RULE).get()
    assert alert.child == overdue and alert.due_on == default_due_on(overdue.date_of_birth)
    assert alert.severity == Severity.WARNING and alert.audience == Audience.INVOLVED
    assert "No transition plan is recorded" in alert.message and long_date(alert.due_on) in alert.message
    assert alert in list(worklist_for(p.social_worker))

    # A plan in progress past its due date is still not enough.
    started = plan(by=p.social_worker, child=overdue, due_on=days_ago(10))
    run_scan(rule_ids=[F23_RULE])
    alert = _open(F23_RULE, overdue).get()
    assert "is in progress" in alert.message and alert.due_on == days_ago(10)

    # Agreed: put right at the next scan.
    plan(by=p.social_worker, child=overdue, due_on=days_ago(10), status=PlanStatus.AGREED, expected_version=started.version)
    run_scan(rule_ids=[F23_RULE])
    assert not _open(F23_RULE).exists()
    assert Alert.objects.filter(rule_id=F23_RULE, child=overdue, resolved_at__isnull=False).count() == 1

    # Time passes: the next young person's default due date goes by with no plan.
    run_scan(rule_ids=[F23_RULE], today=default_due_on(not_yet_due.date_of_birth) + dt.timedelta(days=1))
    assert list(_open(F23_RULE).values_list("child", flat=True)) == [not_yet_due.pk]


@pytest.mark.finding("F23")
def test_closed_records_and_the_filters(client, partnership):
    p = partnership
    overdue = register_child(by=p.social_worker, date_of_birth=born_aged(17, days_past_birthday=250), first_name="Amber")
    in_time = register_child(by=p.social_worker, date_of_birth=born_aged(17, days_past_birthday=20), first_name="Bryony")
    agreed = register_child(by=p.social_worker, date_of_birth=born_aged(17, days_past_birthday=300), first_name="Cerys")
    closed = register_child(by=p.social_worker, date_of_birth=born_aged(17, days_past_birthday=250), first_name="Dara")
    for child in (overdue, closed):
        _flag(hub=p.hub, child=child)
    # Closing a record belongs to the plans app; here the record is simply marked closed.
    Child.objects.filter(pk=closed.pk).update(closed_at=timezone.now())
    plan(by=p.social_worker, child=agreed, status=PlanStatus.AGREED)
    plan(by=p.social_worker, child=in_time, status=PlanStatus.NOT_STARTED)
    run_scan(rule_ids=[F23_RULE])
    assert list(_open(F23_RULE).values_list("child", flat=True)) == [overdue.pk]
    client.force_login(p.social_worker)
    assert "Dara" not in client.get(reverse("transitions:list")).content.decode()
    no_plan = client.get(reverse("transitions:list"), {"show": "no-plan"}).content.decode()
    assert "Amber" in no_plan and "Bryony" in no_plan and "Cerys" not in no_plan
    late = client.get(reverse("transitions:list"), {"show": "overdue"}).content.decode()
    assert "Amber" in late and "Bryony" not in late and "Cerys" not in late and "1 young person" in late


@pytest.mark.finding("F26")
def test_host_information_not_received_by_its_due_date_alerts_until_it_is_recorded(client, partnership):
    p = partnership
    child = register_child(by=p.social_worker, age=15, first_name="Gwen", make_lead=True)
    due = local_today() + dt.timedelta(days=5)
    saved = placement(by=p.social_worker, child=child, agency=p.social_care, information_due_on=due)

    run_scan(rule_ids=[F26_RULE], today=due)  # due today: not yet missed
    assert not _open(F26_RULE).exists()
    run_scan(rule_ids=[F26_RULE], today=due + dt.timedelta(days=1))
    alert = _open(F26_RULE).get()
    assert alert.child == child and alert.due_on == due and alert.key == f"placement:{saved.pk}"
    assert alert.audience == Audience.INVOLVED and "Westmarsh Borough Council" in alert.message and "Saltby" in alert.message

    # It shows on the child's page, where the placement is shown first.
    client.force_login(p.social_worker)
    page = client.get(reverse("children:detail", args=[child.pk])).content.decode()
    assert "Placed out of area in Saltby (Westmarsh Borough Council)" in page and "(F26)" in page

    services.record_host_information(by=p.social_worker, placement=saved, received_on=local_today(),
                                     information="Police intelligence on the area; no concerns about the home.")
    run_scan(rule_ids=[F26_RULE], today=due + dt.timedelta(days=1))
    assert not _open(F26_RULE).exists()


@pytest.mark.finding("F26")
def test_an_ended_placement_or_closed_record_is_not_alerted(partnership):
    p = partnership
    ended_child = register_child(by=p.social_worker, age=15, first_name="Amber")
    ended = placement(by=p.social_worker, child=ended_child, agency=p.social_care, information_due_on=days_ago(3))
    open_child = register_child(by=p.social_worker, age=16, first_name="Bryony")
    placement(by=p.social_worker, child=open_child, agency=p.social_care, information_due_on=days_ago(3))
    run_scan(rule_ids=[F26_RULE])
    assert _open(F26_RULE).count() == 2
    services.end_out_of_area_placement(by=p.social_worker, placement=ended, ended_on=local_today(), reason="Came home")
    run_scan(rule_ids=[F26_RULE])
    assert list(_open(F26_RULE).values_list("child", flat=True)) == [open_child.pk]
