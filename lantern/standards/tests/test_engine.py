import datetime as dt

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from lantern.children import services
from lantern.children.tests.factories import register_child
from lantern.core.dates import LONDON
from lantern.standards.models import Alert, ScanRun
from lantern.standards.registry import all_rules
from lantern.standards.selectors import worklist_for
from lantern.standards.services import run_scan
from lantern.standards.tasks import daily_scan, next_scan_time, schedule_next_scan


def _open(rule_id):
    return Alert.objects.filter(rule_id=rule_id, resolved_at__isnull=True)


@pytest.mark.finding("F18")
def test_no_lead_professional_alerts_until_one_is_named(partnership):
    p = partnership
    child = register_child(by=p.school_lead)  # registered without naming a lead
    run_scan()
    alert = _open("F18.no-lead-professional").get()
    assert alert.child == child and alert.finding == "F18"
    assert "No lead professional is named" in alert.message
    # It is on the worklists of those who may see the child, and no one else's.
    assert list(worklist_for(p.school_lead)) == [alert]
    assert list(worklist_for(p.hub)) == [alert]
    assert list(worklist_for(p.police_officer)) == []
    # Naming a lead resolves it at the next scan; the alert is kept, resolved.
    services.set_lead_professional(by=p.school_lead, involvement=child.involvements.get())
    run_scan()
    assert not _open("F18.no-lead-professional").exists()
    assert Alert.objects.get(pk=alert.pk).resolved_at is not None


@pytest.mark.finding("F18")
def test_ending_the_lead_involvement_raises_the_alert_again(partnership):
    p = partnership
    child = register_child(by=p.school_lead, make_lead=True)
    run_scan()
    assert not _open("F18.no-lead-professional").exists()
    lead = child.involvements.get()
    services.add_involvement(by=p.school_lead, child=child, agency=p.police, role="Officer")
    services.end_involvement(by=p.school_lead, involvement=lead, reason="Moved school", expected_version=lead.version)
    run_scan()
    assert _open("F18.no-lead-professional").get().child == child


def test_scanning_twice_never_duplicates_an_alert(partnership):
    register_child(by=partnership.school_lead)
    run_scan()
    run_scan()
    assert Alert.objects.filter(rule_id="F18.no-lead-professional").count() == 1
    assert ScanRun.objects.count() == 2


@pytest.mark.finding("F11")
def test_possible_duplicate_records_alert_the_hub_only(partnership):
    p = partnership
    first = register_child(by=p.school_lead, first_name="Cerys", last_name="Mossbank")
    register_child(by=p.police_officer, first_name="Keris", last_name="Mossbank", date_of_birth=first.date_of_birth)
    run_scan()
    alerts = _open("F11.possible-duplicate")
    assert alerts.count() == 2
    hub_items = [a for a in worklist_for(p.hub) if a.finding == "F11"]
    assert len(hub_items) == 2
    assert [a for a in worklist_for(p.school_lead) if a.finding == "F11"] == []


def test_every_rule_names_a_finding():
    ids = {rule.finding for rule in all_rules()}
    assert {"F11", "F18"} <= ids
    assert all(f.startswith("F") and f[1:].isdigit() for f in ids)


def test_run_standards_command(partnership, capsys):
    register_child(by=partnership.school_lead)
    call_command("run_standards")
    out = capsys.readouterr().out
    assert "F18.no-lead-professional" in out and "opened     1" in out
    call_command("run_standards", "--list")
    assert "No lead professional named" in capsys.readouterr().out


def test_next_scan_is_six_in_the_morning_london_time_across_the_clock_change():
    before_change = dt.datetime(2026, 10, 24, 12, 0, tzinfo=dt.timezone.utc)  # BST
    after_change = dt.datetime(2026, 10, 25, 12, 0, tzinfo=dt.timezone.utc)  # GMT
    assert next_scan_time(before_change).astimezone(LONDON).hour == 6
    assert next_scan_time(before_change) == dt.datetime(2026, 10, 25, 6, 0, tzinfo=dt.timezone.utc)
    assert next_scan_time(after_change) == dt.datetime(2026, 10, 26, 6, 0, tzinfo=dt.timezone.utc)


@pytest.mark.django_db(transaction=True)  # the worker closes its connection when it finishes
def test_daily_scan_queues_itself_once_and_the_worker_runs_it(partnership):
    register_child(by=partnership.school_lead)
    schedule_next_scan()
    schedule_next_scan()
    waiting = DBTaskResult.objects.filter(task_path=daily_scan.module_path, status="READY")
    assert waiting.count() == 1
    assert waiting.get().run_after > dt.datetime.now(dt.timezone.utc)
    # A scan due now is picked up by the real worker, which runs the rules.
    daily_scan.enqueue(reschedule=False)
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
    assert ScanRun.objects.filter(trigger="daily").count() == 1
    assert _open("F18.no-lead-professional").count() == 1
