"""Education records through the services: validation, permission, history, no deletes."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from lantern.children.models import Involvement, TimelineEvent
from lantern.children.selectors import children_visible_to
from lantern.children.tests.factories import register_child
from lantern.core.dates import local_today
from lantern.core.models import HardDeleteRefused
from lantern.education import services
from lantern.education.models import (
    Absence,
    AttendanceRecord,
    Exclusion,
    ExclusionKind,
    MissingEducationOutcome,
    MissingEducationReport,
    PartTimeTimetable,
    Provision,
    ProvisionStatus,
    Setting,
)
from lantern.education.selectors import child_education_section, school_age_births
from lantern.partnership.models import AgencyType
from lantern.partnership.tests.factories import AgencyFactory

from .factories import absence, days_ago, on_roll


@pytest.fixture
def child(partnership):
    """A 14-year-old registered by children's social care, the social worker the lead; no school yet."""
    return register_child(by=partnership.social_worker, age=14, first_name="Cerys", last_name="Mossbank", make_lead=True)


# Where the child is educated ------------------------------------------------------------------


def test_recording_the_school_on_roll_makes_the_school_involved(partnership, child):
    p = partnership
    assert not children_visible_to(p.school_lead).filter(pk=child.pk).exists()
    provision = on_roll(by=p.social_worker, child=child, school=p.school)
    assert provision.is_on_roll and provision.ended_on is None and provision.recorded_by == p.social_worker
    involvement = Involvement.objects.get(child=child, agency=p.school, ended_on__isnull=True)
    assert involvement.role == "School the child is on roll at" and involvement.started_on == provision.started_on
    assert children_visible_to(p.school_lead).filter(pk=child.pk).exists()
    assert TimelineEvent.objects.filter(child=child, kind="education_provision").count() == 1
    assert provision.history.count() == 1


def test_a_new_provision_ends_the_current_one_and_only_one_is_current(partnership, child):
    p = partnership
    first = on_roll(by=p.social_worker, child=child, school=p.school, started_on=days_ago(300))
    second = services.record_provision(by=p.social_worker, child=child, status=ProvisionStatus.MISSING_EDUCATION, started_on=days_ago(20))
    first.refresh_from_db()
    assert first.ended_on == days_ago(20) and first.version == 2 and first.history.count() == 2
    assert second.description == "Not on roll: missing education"
    assert list(Provision.objects.filter(child=child, ended_on__isnull=True)) == [second]
    with pytest.raises(IntegrityError), transaction.atomic():
        Provision.objects.create(child=child, status=ProvisionStatus.HOME_EDUCATED, started_on=days_ago(1), recorded_by=p.social_worker)


def test_a_provision_outside_the_partnership_is_named_and_involves_no_agency(partnership, child):
    p = partnership
    before = Involvement.objects.count()
    provision = services.record_provision(by=p.social_worker, child=child, status=ProvisionStatus.ON_ROLL,
                                          provision_name="  Hilltop School, Otherton  ", setting=Setting.SCHOOL, started_on=days_ago(5))
    assert provision.description == "On roll at Hilltop School, Otherton"
    assert Involvement.objects.count() == before


def test_provision_problems_are_reported_together_and_nothing_is_saved(partnership, child):
    p = partnership
    with pytest.raises(ValidationError) as exc:
        services.record_provision(by=p.social_worker, child=child, status=ProvisionStatus.ON_ROLL,
                                  started_on=local_today() + dt.timedelta(days=1))
    assert set(exc.value.message_dict) == {"school", "setting", "started_on"}
    with pytest.raises(ValidationError) as exc:
        services.record_provision(by=p.social_worker, child=child, status=ProvisionStatus.ON_ROLL, school=p.police,
                                  setting=Setting.SCHOOL, started_on=days_ago(1))
    assert "active in the partnership" in exc.value.message_dict["school"][0]
    with pytest.raises(ValidationError) as exc:
        services.record_provision(by=p.social_worker, child=child, status=ProvisionStatus.ON_ROLL, school=p.school,
                                  provision_name="Hilltop", setting=Setting.SCHOOL, started_on=days_ago(1))
    assert "not both" in exc.value.message_dict["provision_name"][0]
    with pytest.raises(ValidationError) as exc:
        services.record_provision(by=p.social_worker, child=child, status="somewhere", started_on=child.date_of_birth - dt.timedelta(days=1))
    assert set(exc.value.message_dict) == {"status", "started_on"}
    assert not Provision.objects.exists() and not Involvement.objects.filter(agency=p.school).exists()


def test_the_same_provision_twice_or_one_starting_before_the_current_is_refused(partnership, child):
    p = partnership
    on_roll(by=p.social_worker, child=child, school=p.school, started_on=days_ago(100))
    with pytest.raises(ValidationError) as exc:
        on_roll(by=p.social_worker, child=child, school=p.school, started_on=days_ago(10))
    assert "already recorded" in exc.value.message_dict["status"][0]
    with pytest.raises(ValidationError) as exc:
        services.record_provision(by=p.social_worker, child=child, status=ProvisionStatus.HOME_EDUCATED, started_on=days_ago(101))
    assert "on or after" in exc.value.message_dict["started_on"][0]
    assert Provision.objects.count() == 1


def test_only_someone_whose_agency_works_with_the_child_may_record(partnership, child):
    p = partnership
    calls = [
        lambda: on_roll(by=p.police_officer, child=child, school=p.school),
        lambda: absence(by=p.police_officer, child=child),
        lambda: services.record_exclusion(by=p.police_officer, child=child, kind=ExclusionKind.PERMANENT, started_on=days_ago(1), reason="x"),
        lambda: services.report_missing_education(by=p.police_officer, child=child, reported_on=days_ago(1), details="x"),
        lambda: on_roll(by=p.auditor, child=child, school=p.school),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    on_roll(by=p.hub, child=child, school=p.school)  # the hub may record for any child


def test_a_school_no_longer_in_the_partnership_cannot_be_chosen(partnership, child):
    p = partnership
    closed = AgencyFactory(name="Old Academy", agency_type=AgencyType.EDUCATION)
    closed.is_active = False
    closed.save()
    with pytest.raises(ValidationError):
        on_roll(by=p.social_worker, child=child, school=closed)


# Attendance and absences ---------------------------------------------------------------------


def test_attendance_figures_add_up_and_give_a_percentage(partnership, child):
    p = partnership
    with pytest.raises(ValidationError) as exc:
        services.record_attendance(by=p.social_worker, child=child, period_start=days_ago(40), period_end=days_ago(1),
                                   possible_sessions=60, attended_sessions=50, authorised_absences=4, unauthorised_absences=4)
    assert "50 + 4 + 4 is 58, not 60" in exc.value.message_dict["possible_sessions"][0]
    with pytest.raises(ValidationError) as exc:
        services.record_attendance(by=p.social_worker, child=child, period_start=days_ago(1), period_end=days_ago(3),
                                   possible_sessions="", attended_sessions="x", authorised_absences=-1, unauthorised_absences=0)
    assert set(exc.value.message_dict) == {"period_end", "possible_sessions", "attended_sessions", "authorised_absences"}
    with pytest.raises(ValidationError) as exc:
        services.record_attendance(by=p.social_worker, child=child, period_start=days_ago(2), period_end=days_ago(1),
                                   possible_sessions=10, attended_sessions=10, authorised_absences=0, unauthorised_absences=0)
    assert "at most 4 sessions" in exc.value.message_dict["possible_sessions"][0]
    assert not AttendanceRecord.objects.exists()
    record = services.record_attendance(by=p.social_worker, child=child, period_start=days_ago(40), period_end=days_ago(1),
                                        possible_sessions=60, attended_sessions=50, authorised_absences=4, unauthorised_absences=6)
    assert record.percent == Decimal("83.3") and record.persistent_absence and not record.severe_absence
    assert TimelineEvent.objects.get(child=child, kind="education_attendance").summary.startswith("Attendance 83.3%")
    with pytest.raises(IntegrityError), transaction.atomic():
        AttendanceRecord.objects.create(child=child, period_start=days_ago(5), period_end=days_ago(1), possible_sessions=10,
                                        attended_sessions=1, authorised_absences=1, unauthorised_absences=1, recorded_by=p.social_worker)


def test_absence_problems_are_reported_together(partnership, child):
    p = partnership
    with pytest.raises(ValidationError) as exc:
        services.record_absence(by=p.social_worker, child=child, absent_on=None, sessions=0, authorised=None, reason=" ")
    assert set(exc.value.message_dict) == {"absent_on", "sessions", "authorised", "reason"}
    with pytest.raises(ValidationError) as exc:
        absence(by=p.social_worker, child=child, sessions=21)
    assert "20 or fewer" in exc.value.message_dict["sessions"][0]
    assert not Absence.objects.exists()
    recorded = absence(by=p.social_worker, child=child, absent_on=days_ago(3), authorised=True, reason="Dentist")
    assert recorded.authorised and recorded.sessions == 2
    event = TimelineEvent.objects.get(child=child, kind="education_absence")
    assert event.summary.startswith("Authorised absence") and event.detail == "Dentist"


# Part-time timetables, exclusions, missing education --------------------------------------------


def test_a_part_time_timetable_is_temporary_one_at_a_time_and_ends(partnership, child):
    p = partnership
    with pytest.raises(ValidationError) as exc:
        services.start_part_time_timetable(by=p.social_worker, child=child, started_on=days_ago(10), hours_per_week="32.5",
                                           reason="", review_on=days_ago(10) + dt.timedelta(weeks=7))
    assert set(exc.value.message_dict) == {"hours_per_week", "reason", "review_on"}
    timetable = services.start_part_time_timetable(by=p.social_worker, child=child, started_on=days_ago(10), hours_per_week="12.5",
                                                   reason="Phased return", review_on=days_ago(10) + dt.timedelta(weeks=6))
    assert timetable.hours_per_week == Decimal("12.5") and timetable.is_current
    with pytest.raises(ValidationError) as exc:
        services.start_part_time_timetable(by=p.social_worker, child=child, started_on=days_ago(1), hours_per_week=10,
                                           reason="Again", review_on=local_today())
    assert "already on a part-time timetable" in exc.value.message_dict["started_on"][0]
    reviewed = services.review_part_time_timetable(by=p.social_worker, timetable=timetable, review_on=local_today() + dt.timedelta(weeks=2))
    assert reviewed.review_on == local_today() + dt.timedelta(weeks=2)
    with pytest.raises(ValidationError):
        services.end_part_time_timetable(by=p.social_worker, timetable=timetable, ended_on=days_ago(11), reason="Back to full time")
    services.end_part_time_timetable(by=p.social_worker, timetable=timetable, ended_on=local_today(), reason="Back to full time")
    assert timetable.ended_on == local_today() and timetable.ended_by == p.social_worker
    with pytest.raises(ValidationError):
        services.end_part_time_timetable(by=p.social_worker, timetable=timetable, ended_on=local_today(), reason="Again")
    assert PartTimeTimetable.objects.get().history.count() == 3
    kinds = set(TimelineEvent.objects.filter(child=child).values_list("kind", flat=True))
    assert {"education_timetable_started", "education_timetable_reviewed", "education_timetable_ended"} <= kinds


def test_a_suspension_has_days_and_a_permanent_exclusion_has_none(partnership, child):
    p = partnership
    with pytest.raises(ValidationError) as exc:
        services.record_exclusion(by=p.social_worker, child=child, kind=ExclusionKind.SUSPENSION, started_on=days_ago(2), reason="")
    assert set(exc.value.message_dict) == {"days", "reason"}
    with pytest.raises(ValidationError) as exc:
        services.record_exclusion(by=p.social_worker, child=child, kind=ExclusionKind.SUSPENSION, started_on=days_ago(2), days=46,
                                  reason="Assault")
    assert "45 or fewer" in exc.value.message_dict["days"][0]
    suspension = services.record_exclusion(by=p.social_worker, child=child, kind=ExclusionKind.SUSPENSION, started_on=days_ago(2),
                                           days=3, reason="Assault")
    permanent = services.record_exclusion(by=p.social_worker, child=child, kind=ExclusionKind.PERMANENT, started_on=days_ago(1),
                                          days=5, reason="Weapon")
    assert suspension.days == 3 and permanent.days is None
    assert str(suspension).startswith("Suspension for 3 days") and str(permanent).startswith("Permanent exclusion")
    assert Exclusion.objects.count() == 2


def test_a_report_of_missing_education_stays_open_until_resolved(partnership, child):
    p = partnership
    report = services.report_missing_education(by=p.social_worker, child=child, reported_on=days_ago(10), details="Not seen since Easter")
    with pytest.raises(ValidationError) as exc:
        services.report_missing_education(by=p.social_worker, child=child, reported_on=days_ago(1), details="Again")
    assert "already reported" in exc.value.message_dict["reported_on"][0]
    with pytest.raises(ValidationError) as exc:
        services.resolve_missing_education(by=p.social_worker, report=report, resolved_on=days_ago(11), outcome=MissingEducationOutcome.OTHER)
    assert set(exc.value.message_dict) == {"resolved_on", "outcome_detail"}
    services.resolve_missing_education(by=p.social_worker, report=report, resolved_on=days_ago(2), outcome=MissingEducationOutcome.MOVED_AWAY)
    assert report.resolved_on == days_ago(2) and report.resolved_by == p.social_worker
    with pytest.raises(ValidationError):
        services.resolve_missing_education(by=p.social_worker, report=report, resolved_on=days_ago(1), outcome=MissingEducationOutcome.ON_ROLL)
    assert MissingEducationReport.objects.get().history.count() == 2


def test_education_records_are_never_deleted(partnership, child):
    p = partnership
    records = [
        on_roll(by=p.social_worker, child=child, school=p.school),
        absence(by=p.social_worker, child=child),
        services.record_exclusion(by=p.social_worker, child=child, kind=ExclusionKind.PERMANENT, started_on=days_ago(1), reason="x"),
        services.report_missing_education(by=p.social_worker, child=child, reported_on=days_ago(1), details="x"),
    ]
    for record in records:
        with pytest.raises(HardDeleteRefused):
            record.delete()
        with pytest.raises(HardDeleteRefused):
            type(record).objects.filter(pk=record.pk).delete()
    assert Provision.objects.count() == 1 and Absence.objects.count() == 1


def test_the_child_page_section_makes_a_fixed_number_of_queries(partnership, child, django_assert_num_queries):
    p = partnership
    child.user_may_edit = True  # as lantern.children.selectors.access_child leaves it
    with django_assert_num_queries(6):
        empty = child_education_section(p.social_worker, child)
    assert empty["current"] is None and not empty["absences"]
    on_roll(by=p.social_worker, child=child, school=p.school, started_on=days_ago(300))
    services.record_provision(by=p.social_worker, child=child, status=ProvisionStatus.ON_ROLL, provision_name="Hilltop",
                              setting=Setting.SCHOOL, started_on=days_ago(30))
    for n in range(8):
        absence(by=p.social_worker, child=child, absent_on=days_ago(n + 1))
    with django_assert_num_queries(6):
        full = child_education_section(p.social_worker, child)
    assert full["current"].provision_name == "Hilltop" and len(full["earlier"]) == 1 and len(full["absences"]) == 5


@pytest.mark.parametrize(
    ("today", "earliest", "latest"),
    [
        # Before the last Friday in June: those turning 16 this school year are still of school age.
        (dt.date(2026, 3, 10), dt.date(2009, 9, 1), dt.date(2021, 3, 10)),
        (dt.date(2026, 6, 26), dt.date(2009, 9, 1), dt.date(2021, 6, 26)),
        # After it, they have left.
        (dt.date(2026, 6, 27), dt.date(2010, 9, 1), dt.date(2021, 6, 27)),
        (dt.date(2026, 9, 1), dt.date(2010, 9, 1), dt.date(2021, 9, 1)),
        (dt.date(2028, 2, 29), dt.date(2011, 9, 1), dt.date(2023, 2, 28)),
    ],
)
def test_compulsory_school_age(today, earliest, latest):
    assert school_age_births(today) == (earliest, latest)
