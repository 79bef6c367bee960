"""F07: the school on roll is told when a child is first identified as at risk; an absence of a
child at risk is told to the lead professional the same day; the rules watch what is missing.
Everything is caused through the services, as users would."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from lantern.children.models import TimelineEvent
from lantern.children.selectors import children_visible_to
from lantern.children.services import add_involvement, end_involvement
from lantern.children.tests.factories import register_child
from lantern.core.dates import local_today
from lantern.education import services
from lantern.education.models import ExclusionKind, ProvisionStatus
from lantern.notifications.models import Notification
from lantern.standards.models import Alert, Severity
from lantern.standards.services import run_scan

from .factories import absence, days_ago, flag, on_roll

F07 = pytest.mark.finding("F07")


@pytest.fixture
def child(partnership):
    """A 14-year-old registered by children's social care, the social worker (Sally) the lead."""
    return register_child(by=partnership.social_worker, age=14, first_name="Dara", last_name="Thornbury", make_lead=True)


def _told_school(child):
    return Notification.objects.filter(category="education", child=child, subject__contains="on roll with you")


def _told_lead(child):
    return Notification.objects.filter(category="education", child=child, subject__contains="you lead for")


def _open(rule_id, child=None):
    qs = Alert.objects.filter(rule_id=rule_id, resolved_at__isnull=True)
    return qs.filter(child=child) if child is not None else qs


# The school on roll is told -------------------------------------------------------------------


@F07
def test_the_school_on_roll_is_told_when_the_child_is_first_flagged_and_not_again(partnership, child):
    p = partnership
    on_roll(by=p.social_worker, child=child, school=p.school)
    assert not _told_school(child).exists()  # not at risk: nothing to tell

    flag(hub=p.hub, child=child, kind="sexual", level="low")
    told = _told_school(child)
    assert set(told.values_list("recipient__email", flat=True)) == {"sam@lantern.test"}
    note = told.get()
    assert note.url == f"/children/{child.pk}/" and "Testford Academy" in note.body and "sexual exploitation risk: low" in note.body.lower()
    event = TimelineEvent.objects.get(child=child, kind="education_school_told")
    assert event.agency == p.school and event.actor == p.hub

    # A second decision while the child is still at risk (another kind, or a higher level) is not a first flag.
    flag(hub=p.hub, child=child, kind="criminal", level="medium")
    flag(hub=p.hub, child=child, kind="sexual", level="high")
    assert _told_school(child).count() == 1
    # The school still hears of each change of level as an involved agency, through the risk app.
    assert Notification.objects.filter(category="risk_level", child=child, recipient=p.school_lead).count() == 3


@F07
def test_no_identified_risk_is_not_a_flag(partnership, child):
    p = partnership
    on_roll(by=p.social_worker, child=child, school=p.school)
    flag(hub=p.hub, child=child, kind="sexual", level="none")
    flag(hub=p.hub, child=child, kind="risk_to_others", level="none")
    assert not _told_school(child).exists()
    flag(hub=p.hub, child=child, kind="risk_to_others", level="low")  # any kind counts
    assert _told_school(child).count() == 1


@F07
def test_a_child_at_risk_again_after_no_identified_risk_is_told_again(partnership, child):
    p = partnership
    on_roll(by=p.social_worker, child=child, school=p.school)
    flag(hub=p.hub, child=child, level="medium")
    flag(hub=p.hub, child=child, level="none")
    assert _told_school(child).count() == 1
    flag(hub=p.hub, child=child, level="low")
    assert _told_school(child).count() == 2


@F07
def test_a_school_recorded_for_a_child_already_at_risk_is_told_and_can_see_the_child(partnership, child):
    p = partnership
    flag(hub=p.hub, child=child, level="high")  # no school known yet: nobody to tell
    assert not _told_school(child).exists()
    on_roll(by=p.social_worker, child=child, school=p.school)
    note = _told_school(child).get()
    assert note.recipient == p.school_lead and "sexual exploitation risk: high" in note.body.lower()
    assert children_visible_to(p.school_lead).filter(pk=child.pk).exists()


@F07
def test_the_school_is_made_involved_again_if_its_involvement_had_ended(partnership, child):
    p = partnership
    on_roll(by=p.social_worker, child=child, school=p.school)
    involvement = child.involvements.get(agency=p.school)
    end_involvement(by=p.hub, involvement=involvement, reason="Closed by mistake", expected_version=involvement.version)
    flag(hub=p.hub, child=child, level="medium")
    assert child.involvements.filter(agency=p.school, ended_on__isnull=True).exists()
    assert _told_school(child).exists()


# The lead professional is told of absence the same day ----------------------------------------


@F07
def test_an_absence_of_a_flagged_child_tells_the_lead_professional_the_same_day(partnership, child):
    p = partnership
    on_roll(by=p.social_worker, child=child, school=p.school)
    absence(by=p.school_lead, child=child)
    assert not _told_lead(child).exists()  # not at risk yet

    flag(hub=p.hub, child=child, level="medium")
    recorded = absence(by=p.school_lead, child=child, sessions=1, reason="Seen in town during the school day.")
    note = _told_lead(child).get()
    assert note.recipient == p.social_worker
    assert timezone.localtime(note.created_at).date() == local_today() == recorded.absent_on
    assert "Seen in town" in note.body and note.url == f"/education/child/{child.pk}/"
    assert note.email_wanted


@F07
def test_other_time_out_of_school_tells_the_lead_too(partnership, child):
    p = partnership
    on_roll(by=p.social_worker, child=child, school=p.school)
    flag(hub=p.hub, child=child, level="low")
    services.record_attendance(by=p.school_lead, child=child, period_start=days_ago(40), period_end=days_ago(1),
                               possible_sessions=60, attended_sessions=60, authorised_absences=0, unauthorised_absences=0)
    assert not _told_lead(child).exists()  # full attendance: nothing to tell
    services.record_attendance(by=p.school_lead, child=child, period_start=days_ago(80), period_end=days_ago(41),
                               possible_sessions=60, attended_sessions=50, authorised_absences=6, unauthorised_absences=4)
    services.record_exclusion(by=p.school_lead, child=child, kind=ExclusionKind.SUSPENSION, started_on=days_ago(1), days=2, reason="x")
    services.start_part_time_timetable(by=p.school_lead, child=child, started_on=days_ago(1), hours_per_week=15, reason="x",
                                       review_on=local_today() + dt.timedelta(weeks=4))
    services.report_missing_education(by=p.school_lead, child=child, reported_on=local_today(), details="x")
    assert _told_lead(child).filter(recipient=p.social_worker).count() == 4


@F07
def test_without_a_named_lead_the_lead_agency_or_the_hub_is_told(partnership):
    p = partnership
    child = register_child(by=p.school_lead, age=13)
    flag(hub=p.hub, child=child, level="medium")
    absence(by=p.school_lead, child=child)
    assert set(_told_lead(child).values_list("recipient__email", flat=True)) == {"hub@lantern.test"}
    add_involvement(by=p.school_lead, child=child, agency=p.social_care, role="Social care team", is_lead=True)
    absence(by=p.school_lead, child=child, absent_on=days_ago(1))
    latest = _told_lead(child).order_by("-pk").values_list("recipient__email", flat=True)
    assert set(latest[:2]) == {"sally@lantern.test", "mo@lantern.test"}


@F07
def test_the_lead_recording_an_absence_is_not_told_of_it(partnership, child):
    p = partnership
    flag(hub=p.hub, child=child, level="high")
    absence(by=p.social_worker, child=child)
    assert not _told_lead(child).exists()


@F07
@pytest.mark.django_db(transaction=True)
def test_the_lead_professional_gets_an_email_without_the_childs_details(partnership, smtp_inbox, django_capture_on_commit_callbacks):
    p = partnership
    child = register_child(by=p.social_worker, age=14, first_name="Hollis", last_name="Ashgrove", make_lead=True)
    on_roll(by=p.social_worker, child=child, school=p.school)
    flag(hub=p.hub, child=child, level="medium")
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
    smtp_inbox.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        absence(by=p.school_lead, child=child, reason="Hollis was seen with older males at the station.")
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
    bodies = [b for b in smtp_inbox.bodies_to("sally@lantern.test") if f"/education/child/{child.pk}/" in b]
    assert len(bodies) == 1
    assert "the education of a child you work with" in bodies[0]
    assert "Hollis" not in bodies[0] and "Ashgrove" not in bodies[0] and "station" not in bodies[0]
    assert _told_lead(child).get().emailed_at is not None


# The rules -----------------------------------------------------------------------------------


@F07
def test_a_school_age_child_at_risk_with_no_education_recorded_is_raised_until_recorded(partnership, child):
    p = partnership
    older = register_child(by=p.social_worker, date_of_birth=local_today().replace(year=local_today().year - 17) - dt.timedelta(days=5))
    flag(hub=p.hub, child=child, level="low")
    flag(hub=p.hub, child=older, level="high")
    run_scan(rule_ids=["F07.education-not-recorded"])
    alert = _open("F07.education-not-recorded").get()
    assert alert.child == child and "Record where the child is educated" in alert.message
    on_roll(by=p.social_worker, child=child, school=p.school)
    run_scan(rule_ids=["F07.education-not-recorded"])
    assert not _open("F07.education-not-recorded").exists()


@F07
def test_a_child_at_medium_or_high_risk_not_on_roll_is_raised(partnership, child):
    p = partnership
    services.record_provision(by=p.social_worker, child=child, status=ProvisionStatus.MISSING_EDUCATION, started_on=days_ago(30))
    flag(hub=p.hub, child=child, level="low")
    run_scan(rule_ids=["F07.at-risk-not-on-roll"])
    assert not _open("F07.at-risk-not-on-roll").exists()
    flag(hub=p.hub, child=child, level="high")
    run_scan(rule_ids=["F07.at-risk-not-on-roll"])
    alert = _open("F07.at-risk-not-on-roll", child).get()
    assert alert.severity == Severity.URGENT and "missing education since" in alert.message
    on_roll(by=p.social_worker, child=child, school=p.school, started_on=days_ago(1))
    run_scan(rule_ids=["F07.at-risk-not-on-roll"])
    assert not _open("F07.at-risk-not-on-roll").exists()


@F07
def test_a_part_time_timetable_past_its_review_is_raised_until_reviewed(partnership, child):
    p = partnership
    timetable = services.start_part_time_timetable(by=p.social_worker, child=child, started_on=days_ago(50), hours_per_week=10,
                                                   reason="Phased return", review_on=days_ago(20))
    run_scan(rule_ids=["F07.part-time-timetable-review-overdue"])
    alert = _open("F07.part-time-timetable-review-overdue", child).get()
    assert alert.due_on == days_ago(20) and "10.0 hours a week" in alert.message
    services.review_part_time_timetable(by=p.social_worker, timetable=timetable, review_on=local_today() + dt.timedelta(weeks=3))
    run_scan(rule_ids=["F07.part-time-timetable-review-overdue"])
    assert not _open("F07.part-time-timetable-review-overdue").exists()
