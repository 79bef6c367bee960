"""The education pages as users see them: the child page section, forms and their errors, the
list for schools, need to know, and query counts that do not grow."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lantern.children.models import AccessLogEntry, IdentifierKind
from lantern.children.services import request_break_glass
from lantern.children.tests.factories import register_child
from lantern.core.dates import local_today
from lantern.education import services
from lantern.education.models import Absence, AttendanceRecord, ExclusionKind, PartTimeTimetable, Provision
from lantern.notifications.models import Notification

from .factories import absence, days_ago, flag, on_roll


def _date(prefix: str, value: dt.date) -> dict:
    return {f"{prefix}_0": value.day, f"{prefix}_1": value.month, f"{prefix}_2": value.year}


@pytest.fixture
def child(partnership):
    return register_child(by=partnership.social_worker, age=14, first_name="Eden", last_name="Larkspur", make_lead=True,
                          identifiers=[(IdentifierKind.NHS, "943 476 5919")])


@pytest.mark.finding("F07")
def test_recording_the_school_and_an_absence_through_the_pages(client, partnership, child):
    p = partnership
    client.force_login(p.social_worker)
    page = client.get(reverse("children:detail", args=[child.pk])).content.decode()
    assert 'id="section-education"' in page and "Not recorded" in page
    assert reverse("education:record_provision", args=[child.pk]) in page

    url = reverse("education:record_provision", args=[child.pk])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"status": "on_roll", **_date("started_on", local_today() + dt.timedelta(days=3))})
    assert bad.status_code == 200 and b"govuk-error-summary" in bad.content
    content = bad.content.decode()
    assert "Select the school, college or provision in the partnership" in content
    assert "Select the type of provision" in content and "must be today or in the past" in content
    assert not Provision.objects.exists()
    good = client.post(url, {"status": "on_roll", "school": p.school.pk, "setting": "school", **_date("started_on", days_ago(100))})
    assert good.status_code == 302 and good["Location"] == reverse("education:child", args=[child.pk])
    assert Provision.objects.get().school == p.school

    flag(hub=p.hub, child=child, level="medium")
    assert Notification.objects.filter(category="education", recipient=p.school_lead).exists()

    client.force_login(p.school_lead)
    absence_url = reverse("education:record_absence", args=[child.pk])
    bad = client.post(absence_url, {"sessions": "0", **_date("absent_on", local_today())})
    assert bad.status_code == 200 and "Select whether the absence was authorised" in bad.content.decode()
    assert not Absence.objects.exists()
    done = client.post(absence_url, {"sessions": "2", "authorised": "no", "reason": "Not known", **_date("absent_on", local_today())})
    assert done.status_code == 302
    assert Notification.objects.filter(category="education", recipient=p.social_worker, subject__contains="absent").exists()
    record = client.get(reverse("education:child", args=[child.pk])).content.decode()
    assert "On roll at Testford Academy" in record and "Not known" in record


def test_the_other_forms_post_and_show_errors(client, partnership, child):
    p = partnership
    client.force_login(p.social_worker)
    attendance = reverse("education:record_attendance", args=[child.pk])
    bad = client.post(attendance, {**_date("period_start", days_ago(40)), **_date("period_end", days_ago(1)), "possible_sessions": "60",
                                   "attended_sessions": "50", "authorised_absences": "1", "unauthorised_absences": "1"})
    assert "must add up to the possible sessions" in bad.content.decode()
    ok = client.post(attendance, {**_date("period_start", days_ago(40)), **_date("period_end", days_ago(1)), "possible_sessions": "60",
                                  "attended_sessions": "50", "authorised_absences": "4", "unauthorised_absences": "6"})
    assert ok.status_code == 302 and str(AttendanceRecord.objects.get().percent) == "83.3"

    timetable_url = reverse("education:start_timetable", args=[child.pk])
    assert client.post(timetable_url, {**_date("started_on", days_ago(5)), "hours_per_week": "40", "reason": "x",
                                       **_date("review_on", days_ago(1))}).status_code == 200
    assert client.post(timetable_url, {**_date("started_on", days_ago(5)), "hours_per_week": "12.5", "reason": "Phased return",
                                       **_date("review_on", local_today() + dt.timedelta(days=20))}).status_code == 302
    timetable = PartTimeTimetable.objects.get()
    assert client.post(reverse("education:review_timetable", args=[timetable.pk]),
                       _date("review_on", local_today() + dt.timedelta(days=10))).status_code == 302
    assert client.post(reverse("education:end_timetable", args=[timetable.pk]),
                       {**_date("ended_on", local_today()), "reason": "Back to full time"}).status_code == 302
    # An ended timetable's forms send you back to the record.
    assert client.get(reverse("education:end_timetable", args=[timetable.pk])).status_code == 302

    exclusion_url = reverse("education:record_exclusion", args=[child.pk])
    bad = client.post(exclusion_url, {"kind": ExclusionKind.SUSPENSION, **_date("started_on", days_ago(1)), "reason": "Assault"})
    assert "Enter the number of school days" in bad.content.decode()
    assert client.post(exclusion_url, {"kind": ExclusionKind.SUSPENSION, **_date("started_on", days_ago(1)), "days": "3",
                                       "reason": "Assault"}).status_code == 302

    cme_url = reverse("education:report_missing_education", args=[child.pk])
    assert client.post(cme_url, {**_date("reported_on", days_ago(2)), "details": "Not seen since half term"}).status_code == 302
    report = child.missing_education_reports.get()
    resolve_url = reverse("education:resolve_missing_education", args=[report.pk])
    assert "Enter what happened" in client.post(resolve_url, {**_date("resolved_on", local_today()), "outcome": "other"}).content.decode()
    assert client.post(resolve_url, {**_date("resolved_on", local_today()), "outcome": "moved_away"}).status_code == 302
    assert client.get(resolve_url).status_code == 302

    section = client.get(reverse("children:detail", args=[child.pk])).content.decode()
    assert "83.3%" in section and "Persistent absence" in section and "Suspension for 3 days" in section


def test_an_uninvolved_agency_is_told_not_found_and_emergency_access_may_read_only(client, partnership, child):
    p = partnership
    on_roll(by=p.social_worker, child=child, school=p.school)
    timetable = services.start_part_time_timetable(by=p.social_worker, child=child, started_on=days_ago(1), hours_per_week=10,
                                                   reason="x", review_on=local_today())
    urls = [reverse("education:child", args=[child.pk]), reverse("education:record_absence", args=[child.pk]),
            reverse("education:end_timetable", args=[timetable.pk])]
    client.force_login(p.police_officer)
    for url in urls:
        assert client.get(url).status_code == 404
        assert client.post(url, {"reason": "x"}).status_code == 404
    assert not Absence.objects.exists()

    request_break_glass(by=p.police_officer, identifier_kind=IdentifierKind.NHS, identifier_value="9434765919",
                        date_of_birth=child.date_of_birth, reason="Found in a car with older males at 2am tonight")
    record = client.get(urls[0])
    assert record.status_code == 200 and b"Record an absence" not in record.content
    assert client.get(urls[1]).status_code == 403
    assert AccessLogEntry.objects.filter(user=p.police_officer, child=child, break_glass__isnull=False).exists()


def test_the_school_list_shows_its_children_at_risk_only(client, partnership, child):
    p = partnership
    on_roll(by=p.social_worker, child=child, school=p.school)
    flag(hub=p.hub, child=child, level="high")
    services.record_attendance(by=p.school_lead, child=child, period_start=days_ago(40), period_end=days_ago(1), possible_sessions=60,
                               attended_sessions=45, authorised_absences=5, unauthorised_absences=10)
    absence(by=p.school_lead, child=child, absent_on=days_ago(3))
    absence(by=p.school_lead, child=child, absent_on=days_ago(60))  # not recent
    not_at_risk = register_child(by=p.school_lead, first_name="Faye")
    on_roll(by=p.school_lead, child=not_at_risk, school=p.school)

    client.force_login(p.school_lead)
    page = client.get(reverse("education:list")).content.decode()
    assert child.display_name in page and "Faye" not in page
    assert "75.0%" in page and "High" in page and "1 child" in page
    row = page[page.index(child.display_name):]
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">2</td>' in row

    client.force_login(p.police_officer)
    assert child.display_name not in client.get(reverse("education:list")).content.decode()
    client.force_login(p.hub)
    assert child.display_name in client.get(reverse("education:list")).content.decode()
    client.force_login(p.auditor)
    assert client.get(reverse("education:list")).status_code == 403


def test_list_and_record_queries_do_not_grow(client, partnership):
    p = partnership
    client.force_login(p.school_lead)

    def queries(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    first = register_child(by=p.school_lead)
    on_roll(by=p.school_lead, child=first, school=p.school)
    flag(hub=p.hub, child=first, level="low")
    absence(by=p.school_lead, child=first, absent_on=days_ago(20))
    queries(reverse("education:list"))
    one_child = queries(reverse("education:list"))
    small = queries(reverse("education:child", args=[first.pk]))
    for n in range(4):
        other = register_child(by=p.school_lead)
        on_roll(by=p.school_lead, child=other, school=p.school)
        flag(hub=p.hub, child=other, kind="criminal", level="high")
        absence(by=p.school_lead, child=first, absent_on=days_ago(n + 1))
        services.record_attendance(by=p.school_lead, child=first, period_start=days_ago(10 * n + 10), period_end=days_ago(10 * n + 1),
                                   possible_sessions=10, attended_sessions=8, authorised_absences=1, unauthorised_absences=1)
    assert queries(reverse("education:list")) == one_child
    assert queries(reverse("education:child", args=[first.pk])) == small
