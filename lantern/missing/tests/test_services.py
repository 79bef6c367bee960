"""Missing episodes and return interviews through the services: the scenarios of F06 and F19."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from lantern.children.models import Child, TimelineEvent
from lantern.children.services import add_involvement, end_involvement, set_lead_professional
from lantern.children.tests.factories import register_child
from lantern.core.dates import LONDON
from lantern.missing import services
from lantern.missing.models import MissingEpisode, ReturnInterview
from lantern.missing.selectors import (
    Status, child_missing_section, episodes_after_change_of_worker, interview_status, overdue_interviews,
)
from lantern.missing.tests.factories import at, hold_interview, record_episode
from lantern.notifications.models import Notification
from lantern.standards.models import Alert
from lantern.standards.registry import get_rule
from lantern.standards.services import run_scan

OVERDUE = "F06.return-interview-overdue"
REPEAT = "F06.repeat-missing"


def _child(p, **kwargs):
    child = register_child(by=p.school_lead, date_of_birth=dt.date(2012, 5, 1), **kwargs)
    add_involvement(by=p.school_lead, child=child, agency=p.police, role="Missing persons officer")
    add_involvement(by=p.school_lead, child=child, agency=p.social_care, role="Social worker", professional=p.social_worker)
    return child


def _open_alerts(rule_id):
    return list(Alert.objects.filter(rule_id=rule_id, resolved_at__isnull=True))


@pytest.mark.finding("F06")
def test_police_record_an_episode_everyone_involved_is_told_and_the_child_returns(partnership):
    p = partnership
    child = _child(p)
    started = timezone.now() - dt.timedelta(hours=5)
    episode = record_episode(by=p.police_officer, child=child, started_at=started)
    assert episode.reporting_agency == p.police and episode.is_open
    told = set(Notification.objects.filter(category="missing", child=child).values_list("recipient__email", flat=True))
    # Every practitioner and manager of every involved agency; not the officer who recorded it.
    assert told == {"sam@lantern.test", "sally@lantern.test", "mo@lantern.test"}
    assert TimelineEvent.objects.filter(child=child, kind="missing_started").count() == 1
    section = child_missing_section(p.school_lead, child)
    assert section["open_episode"] == episode and section["recent_count"] == 1

    returned = timezone.now() - dt.timedelta(hours=1)
    services.record_return(by=p.school_lead, episode=episode, returned_at=returned, returned_to="Home",
                           found_where="Bus station in the next town", found_with="Two older males",
                           condition_on_return="Tired, hungry, new phone", exposed_to="Cannabis; older males")
    episode.refresh_from_db()
    assert episode.returned_at == returned and episode.return_recorded_by == p.school_lead
    assert episode.history.count() == 2
    assert interview_status(episode) == Status.DUE
    assert child_missing_section(p.school_lead, child)["open_episode"] is None
    with pytest.raises(ValidationError, match="already recorded"):
        services.record_return(by=p.school_lead, episode=episode, returned_at=returned)


@pytest.mark.finding("F06")
def test_72_hour_clock_across_the_change_from_british_summer_time(partnership):
    p = partnership
    child = _child(p)
    # Clocks go back at 02:00 on Sunday 25 October 2026: 72 elapsed hours from 10:00 BST on the
    # Saturday is 09:00 GMT on the Tuesday, not 10:00.
    episode = record_episode(by=p.police_officer, child=child, started_at=at(2026, 10, 23, 19), returned_at=at(2026, 10, 24, 10))
    assert episode.interview_due_at.astimezone(LONDON).replace(tzinfo=None) == dt.datetime(2026, 10, 27, 9, 0)
    assert interview_status(episode, now=at(2026, 10, 27, 8, 59)) == Status.DUE
    assert interview_status(episode, now=at(2026, 10, 27, 9, 1)) == Status.OVERDUE
    assert not overdue_interviews(at=at(2026, 10, 27, 8, 59)).exists()
    assert list(overdue_interviews(at=at(2026, 10, 27, 9, 1))) == [episode]

    run_scan(today=dt.date(2026, 10, 26), rule_ids=[OVERDUE])  # as at the end of Monday: not yet due
    assert _open_alerts(OVERDUE) == []
    run_scan(today=dt.date(2026, 10, 27), rule_ids=[OVERDUE])  # as at the end of Tuesday: 15 hours overdue
    [alert] = _open_alerts(OVERDUE)
    assert alert.child == child and alert.finding == "F06" and alert.severity == "urgent"
    assert "15 hours overdue" in alert.message and "Tuesday 27 October 2026 at 09:00" in alert.message
    assert alert.due_on == dt.date(2026, 10, 27)

    hold_interview(by=p.social_worker, episode=episode, offered_at=at(2026, 10, 28, 11), held_at=at(2026, 10, 29, 16),
                   shared_with=[p.police, p.school])
    run_scan(today=dt.date(2026, 10, 29), rule_ids=[OVERDUE])
    assert _open_alerts(OVERDUE) == []
    assert Alert.objects.get(pk=alert.pk).resolved_at is not None
    episode = MissingEpisode.objects.select_related("interview").get(pk=episode.pk)
    assert interview_status(episode) == Status.HELD_LATE
    assert set(episode.interview.shared_with.values_list("name", flat=True)) == {p.police.name, p.school.name}


@pytest.mark.finding("F06")
def test_72_hour_clock_across_a_weekend_and_offered_in_time(partnership):
    p = partnership
    child = _child(p)
    episode = record_episode(by=p.police_officer, child=child, started_at=at(2026, 6, 5, 22), returned_at=at(2026, 6, 6, 15, 30))
    # Saturday 15:30 to Tuesday 15:30: weekends are not skipped, it is 72 elapsed hours.
    assert episode.interview_due_at == at(2026, 6, 9, 15, 30)
    run_scan(today=dt.date(2026, 6, 8), rule_ids=[OVERDUE])
    assert _open_alerts(OVERDUE) == []
    run_scan(today=dt.date(2026, 6, 9), rule_ids=[OVERDUE])
    assert "8 hours overdue" in _open_alerts(OVERDUE)[0].message
    hold_interview(by=p.social_worker, episode=episode, offered_at=at(2026, 6, 9, 12), held_at=at(2026, 6, 10, 16))
    run_scan(today=dt.date(2026, 6, 9), rule_ids=[OVERDUE])  # the offer was in time: the alert clears
    assert _open_alerts(OVERDUE) == []
    episode = MissingEpisode.objects.select_related("interview").get(pk=episode.pk)
    assert interview_status(episode) == Status.HELD_IN_TIME


@pytest.mark.finding("F06")
def test_the_overdue_interview_rule_leaves_out_children_whose_record_is_closed(partnership):
    p = partnership
    still_open, closed = _child(p), _child(p)
    for child in (still_open, closed):
        record_episode(by=p.police_officer, child=child, started_at=at(2026, 2, 1, 20), returned_at=at(2026, 2, 2, 9))
    run_scan(today=dt.date(2026, 2, 10), rule_ids=[OVERDUE])
    assert {a.child for a in _open_alerts(OVERDUE)} == {still_open, closed}
    Child.objects.filter(pk=closed.pk).update(closed_at=timezone.now())  # no service closes a record yet
    run_scan(today=dt.date(2026, 2, 10), rule_ids=[OVERDUE])
    assert [a.child for a in _open_alerts(OVERDUE)] == [still_open]
    assert overdue_interviews(at=at(2026, 2, 10, 12)).count() == 2  # the list's filter still shows both episodes


@pytest.mark.finding("F06")
def test_the_overdue_interview_rule_and_the_pages_follow_the_hours_setting(partnership, settings):
    settings.LANTERN_RETURN_INTERVIEW_HOURS = 48
    p = partnership
    child = _child(p)
    episode = record_episode(by=p.police_officer, child=child, started_at=at(2026, 3, 2, 20), returned_at=at(2026, 3, 3, 9))
    assert episode.interview_due_at == at(2026, 3, 5, 9)
    run_scan(today=dt.date(2026, 3, 5), rule_ids=[OVERDUE])
    [alert] = _open_alerts(OVERDUE)
    assert "due by Thursday 5 March 2026 at 09:00" in alert.message
    assert get_rule(OVERDUE).title == "Return interview overdue"
    services.offer_return_interview(by=p.police_officer, episode=episode, offered_at=at(2026, 3, 6, 9), independent=True)
    assert TimelineEvent.objects.get(child=child, kind="return_interview_offered").summary.endswith(
        "– later than 48 hours after return"
    )


@pytest.mark.finding("F06")
def test_the_overdue_alert_on_todays_scan_uses_the_time_now(partnership):
    p = partnership
    child = _child(p)
    now = timezone.now()
    fresh = record_episode(by=p.police_officer, child=child, started_at=now - dt.timedelta(hours=80), returned_at=now - dt.timedelta(hours=71))
    run_scan(rule_ids=[OVERDUE])
    assert _open_alerts(OVERDUE) == []
    other = _child(p)
    stale = record_episode(by=p.police_officer, child=other, started_at=now - dt.timedelta(hours=90), returned_at=now - dt.timedelta(hours=75, minutes=30))
    run_scan(rule_ids=[OVERDUE])
    [alert] = _open_alerts(OVERDUE)
    assert alert.key == f"episode:{stale.pk}" and "3 hours overdue" in alert.message
    assert fresh.pk != stale.pk


@pytest.mark.finding("F06")
def test_declined_and_not_held_interviews(partnership):
    p = partnership
    child = _child(p)
    first = record_episode(by=p.police_officer, child=child, started_at=at(2026, 3, 1, 20), returned_at=at(2026, 3, 2, 8))
    with pytest.raises(ValidationError, match="offered first"):
        services.record_return_interview(by=p.social_worker, episode=first, accepted=False, declined_reason="No")
    with pytest.raises(ValidationError) as exc:
        services.offer_return_interview(by=p.social_worker, episode=first, offered_at=at(2026, 3, 1, 9), independent=False)
    assert set(exc.value.error_dict) == {"offered_at", "independent"}
    assert not ReturnInterview.objects.exists()
    services.offer_return_interview(by=p.social_worker, episode=first, offered_at=at(2026, 3, 3, 9), independent=True)
    with pytest.raises(ValidationError) as exc:
        services.record_return_interview(by=p.social_worker, episode=first, accepted=False)
    assert "declined_reason" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        services.record_return_interview(by=p.social_worker, episode=first, accepted=True, held_at=at(2026, 3, 2, 9))
    assert set(exc.value.error_dict) == {"held_at", "childs_account"}
    services.record_return_interview(by=p.social_worker, episode=first, accepted=False, declined_reason="Did not want to talk to anyone")
    first = MissingEpisode.objects.select_related("interview").get(pk=first.pk)
    assert interview_status(first) == Status.DECLINED
    with pytest.raises(ValidationError, match="already been recorded"):
        services.record_interview_not_held(by=p.social_worker, episode=first, reason="x")

    second = record_episode(by=p.police_officer, child=child, started_at=at(2026, 4, 1, 20), returned_at=at(2026, 4, 2, 8))
    with pytest.raises(ValidationError):
        services.record_interview_not_held(by=p.social_worker, episode=second, reason="  ")
    services.record_interview_not_held(by=p.social_worker, episode=second, reason="Moved to a placement out of the area")
    second = MissingEpisode.objects.select_related("interview").get(pk=second.pk)
    assert interview_status(second) == Status.NOT_HELD
    run_scan(rule_ids=[OVERDUE])
    assert _open_alerts(OVERDUE) == []

    still_missing = record_episode(by=p.police_officer, child=child, started_at=at(2026, 5, 1, 20))
    assert interview_status(still_missing) == Status.OPEN
    with pytest.raises(ValidationError, match="not been recorded as returned"):
        services.offer_return_interview(by=p.social_worker, episode=still_missing, offered_at=at(2026, 5, 2, 9), independent=True)


# --- Validation -----------------------------------------------------------------------------


def test_start_and_return_are_checked_and_nothing_is_saved_on_error(partnership):
    p = partnership
    child = _child(p)
    now = timezone.now()
    cases = [
        (dict(started_at=now + dt.timedelta(hours=1)), "started_at", "now or in the past"),
        (dict(started_at=at(2012, 4, 30, 12)), "started_at", "after their date of birth"),
        (dict(started_at=at(2026, 1, 2, 12), returned_at=at(2026, 1, 2, 11)), "returned_at", "after the time they went missing"),
        (dict(started_at=at(2026, 1, 2, 12), returned_at=now + dt.timedelta(hours=1)), "returned_at", "now or in the past"),
        (dict(started_at=at(2026, 1, 2, 12), kind="X", missing_from="moon"), "kind", "Select"),
    ]
    for kwargs, field, words in cases:
        with pytest.raises(ValidationError) as exc:
            record_episode(by=p.police_officer, child=child, **kwargs)
        assert words in " ".join(exc.value.message_dict[field]), (kwargs, exc.value.message_dict)
    assert not MissingEpisode.objects.exists()
    assert not TimelineEvent.objects.filter(kind="missing_started").exists()
    assert not Notification.objects.filter(category="missing").exists()
    with pytest.raises(ValueError):
        record_episode(by=p.police_officer, child=child, started_at=dt.datetime(2026, 1, 2, 12))


def test_an_episode_may_not_start_while_another_is_open_nor_overlap_a_closed_one(partnership):
    p = partnership
    child = _child(p)
    closed = record_episode(by=p.police_officer, child=child, started_at=at(2026, 2, 1, 20), returned_at=at(2026, 2, 3, 8))
    with pytest.raises(ValidationError, match="overlaps the episode from Sunday 1 February 2026 at 20:00 to Tuesday 3 February 2026 at 08:00"):
        record_episode(by=p.police_officer, child=child, started_at=at(2026, 2, 2, 12), returned_at=at(2026, 2, 4, 8))
    with pytest.raises(ValidationError, match="overlaps"):
        record_episode(by=p.police_officer, child=child, started_at=at(2026, 1, 31, 12))  # open from before it
    # Going missing again the moment the child came back is allowed.
    again = record_episode(by=p.police_officer, child=child, started_at=at(2026, 2, 3, 8))
    with pytest.raises(ValidationError, match="has been missing since Tuesday 3 February 2026 at 08:00"):
        record_episode(by=p.police_officer, child=child, started_at=at(2026, 3, 1, 8))
    with pytest.raises(ValidationError, match="has been missing since"):
        record_episode(by=p.police_officer, child=child, started_at=at(2026, 3, 1, 8), returned_at=at(2026, 3, 2, 8))
    # An earlier, closed episode before both is still fine.
    record_episode(by=p.police_officer, child=child, started_at=at(2026, 1, 10, 8), returned_at=at(2026, 1, 11, 8))
    with pytest.raises(ValidationError, match="after the time they went missing"):
        services.record_return(by=p.police_officer, episode=again, returned_at=at(2026, 2, 3, 7))
    assert MissingEpisode.objects.filter(child=child).count() == 3
    assert closed.pk


def test_only_someone_who_may_see_the_child_may_record(partnership):
    p = partnership
    child = register_child(by=p.school_lead)
    with pytest.raises(PermissionDenied):
        record_episode(by=p.police_officer, child=child, started_at=at(2026, 2, 1, 20))
    with pytest.raises(PermissionDenied):
        record_episode(by=p.auditor, child=child, started_at=at(2026, 2, 1, 20))
    episode = record_episode(by=p.hub, child=child, started_at=at(2026, 2, 1, 20))  # partnership-wide
    with pytest.raises(PermissionDenied):
        services.record_return(by=p.nurse, episode=episode, returned_at=at(2026, 2, 2, 20))
    assert not MissingEpisode.objects.filter(returned_at__isnull=False).exists()


_hours = st.integers(min_value=1, max_value=24 * 20)


@pytest.mark.finding("F06")
@hsettings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    spans=st.lists(st.tuples(st.integers(min_value=0, max_value=24 * 30), _hours), min_size=1, max_size=6),
    order=st.randoms(use_true_random=False),
    pick=st.integers(min_value=0, max_value=5),
    into=st.floats(min_value=0.0, max_value=0.99),
    length=_hours,
)
def test_valid_episodes_are_accepted_in_any_order_and_an_overlapping_one_is_refused(partnership, spans, order, pick, into, length):
    p = partnership
    child = _child(p)
    start = at(2025, 1, 1, 0)
    intervals = []
    for gap, duration in spans:  # gaps of 0 hours: the child went missing again the moment they returned
        begin = start + dt.timedelta(hours=gap)
        end = begin + dt.timedelta(hours=duration)
        intervals.append((begin, end))
        start = end
    shuffled = intervals[:]
    order.shuffle(shuffled)
    for begin, end in shuffled:
        record_episode(by=p.police_officer, child=child, started_at=begin, returned_at=end)
    assert MissingEpisode.objects.filter(child=child).count() == len(intervals)
    begin, end = intervals[pick % len(intervals)]
    inside = begin + (end - begin) * into
    with pytest.raises(ValidationError):
        record_episode(by=p.police_officer, child=child, started_at=inside, returned_at=inside + dt.timedelta(hours=length))
    with pytest.raises(ValidationError):
        record_episode(by=p.police_officer, child=child, started_at=inside - dt.timedelta(hours=length), returned_at=inside + dt.timedelta(minutes=1))
    assert MissingEpisode.objects.filter(child=child).count() == len(intervals)


# --- Repeat missing -------------------------------------------------------------------------


@pytest.mark.finding("F06")
def test_a_child_missing_three_times_in_90_days_is_proposed_for_the_meeting(partnership, settings):
    p = partnership
    child = _child(p)
    calm = _child(p)
    now = timezone.now()
    for days in (100, 80, 40):
        record_episode(by=p.police_officer, child=child, started_at=now - dt.timedelta(days=days), returned_at=now - dt.timedelta(days=days - 1))
    record_episode(by=p.police_officer, child=calm, started_at=now - dt.timedelta(days=3), returned_at=now - dt.timedelta(days=2))
    run_scan(rule_ids=[REPEAT])
    assert _open_alerts(REPEAT) == []  # only two inside the 90 days
    record_episode(by=p.police_officer, child=child, started_at=now - dt.timedelta(days=2), returned_at=now - dt.timedelta(days=1))
    run_scan(rule_ids=[REPEAT])
    [alert] = _open_alerts(REPEAT)
    assert alert.child == child and alert.finding == "F06" and alert.severity == "warning"
    assert alert.message.startswith("3 missing episodes in the last 90 days") and "exploitation risk meeting" in alert.message
    settings.LANTERN_REPEAT_MISSING_COUNT = 4
    run_scan(rule_ids=[REPEAT])
    assert _open_alerts(REPEAT) == []


# --- F19: episodes after a change of worker --------------------------------------------------


@pytest.mark.finding("F19")
def test_episodes_after_a_change_of_worker_are_flagged(partnership):
    p = partnership
    child = register_child(by=p.school_lead, date_of_birth=dt.date(2012, 5, 1), make_lead=True)
    social = add_involvement(by=p.school_lead, child=child, agency=p.social_care, role="Social worker",
                             professional=p.social_worker, started_on=dt.date(2026, 1, 5))
    early = record_episode(by=p.school_lead, child=child, started_at=at(2026, 2, 1, 20), returned_at=at(2026, 2, 2, 9))
    end_involvement(by=p.social_worker, involvement=social, reason="Case closed to social care", expected_version=social.version,
                    ended_on=dt.date(2026, 3, 1))
    after = record_episode(by=p.school_lead, child=child, started_at=at(2026, 3, 10, 20), returned_at=at(2026, 3, 11, 9))
    later = record_episode(by=p.school_lead, child=child, started_at=at(2026, 7, 1, 20), returned_at=at(2026, 7, 2, 9))
    flagged = episodes_after_change_of_worker(child)
    assert [e.pk for e in flagged] == [after.pk]
    assert "Testshire Children's Social Care stopped working with the child" in flagged[0].after_change.description
    assert "Case closed to social care" in flagged[0].after_change.description
    assert early.pk and later.pk  # before the change, and more than 90 days after it

    # A change of lead professional (not the first lead named) counts too.
    police = add_involvement(by=p.school_lead, child=child, agency=p.police, role="Officer")
    set_lead_professional(by=p.school_lead, involvement=police)
    latest = record_episode(by=p.school_lead, child=child, started_at=timezone.now())  # just after the change
    section = child_missing_section(p.school_lead, child)
    assert [e.pk for e in section["after_change"]] == [latest.pk, after.pk]
    assert "Lead professional is now" in section["after_change"][0].after_change.description
