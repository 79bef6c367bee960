"""Meetings through their services, as a chair and the agencies would use them."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from lantern.children.models import TimelineEvent
from lantern.core.dates import local_today
from lantern.meetings import selectors, services
from lantern.meetings.models import (
    ActionStatus, AgendaItem, Invitation, ItemReason, MeetingKind, MeetingStatus, MinutesShare, Pathway, ReleaseKind,
)
from lantern.meetings.tests.factories import arrange, discuss
from lantern.missing.tests.factories import record_episode
from lantern.notifications.models import Notification
from lantern.referrals.models import Outcome
from lantern.referrals.services import record_outcome
from lantern.referrals.tests.factories import refer
from lantern.risk.tests.factories import NOW, decide, screen
from lantern.standards.models import Alert
from lantern.standards.services import run_scan


def _add(p, meeting, *children_):
    return [services.add_child_item(by=p.chair, meeting=meeting, child=c) for c in children_]


@pytest.mark.finding("F27")
def test_the_agenda_proposes_referrals_reviews_repeat_missing_and_outstanding_actions(partnership, children, django_assert_num_queries):
    p = partnership
    amy, ben, cal = children
    # Amy: referred and sent to the exploitation meeting by the hub.
    referral = refer(by=p.school_lead, child=amy)
    record_outcome(by=p.hub, referral=referral, outcome=Outcome.EXPLOITATION_MEETING, reason="Needs a multi-agency plan")
    # Ben: at high risk and never discussed.
    screen(by=p.police_officer, child=ben, indicators=[])
    decide(by=p.hub, child=ben, level="high")
    # Cal: missing three times this month.
    now = timezone.now()
    for days in (20, 12, 4):
        record_episode(by=p.social_worker, child=cal, started_at=now - dt.timedelta(days=days), returned_at=now - dt.timedelta(days=days - 1))
    meeting = arrange(by=p.chair)

    with django_assert_num_queries(4):  # one a reason, each reading the child's name through its join
        proposals = {pr.child.pk: pr for pr in selectors.propose_agenda(meeting)}
        assert {pr.child.display_name for pr in proposals.values()} == {amy.display_name, ben.display_name, cal.display_name}
    assert proposals[amy.pk].reason == ItemReason.NEW_REFERRAL and proposals[amy.pk].referral_id == referral.pk
    assert proposals[ben.pk].reason == ItemReason.REVIEW_DUE
    assert proposals[cal.pk].reason == ItemReason.REPEAT_MISSING
    assert "3 missing episodes" in proposals[cal.pk].detail

    items = services.build_agenda(by=p.chair, meeting=meeting)
    assert {i.child_id for i in items} == {amy.pk, ben.pk, cal.pk}
    assert selectors.propose_agenda(meeting) == []  # nothing is proposed twice
    # Invitations are built from the involvements of the children on the agenda (F27).
    invited = set(meeting.invitations.filter(withdrawn_at__isnull=True).values_list("agency_id", flat=True))
    assert invited == {p.social_care.pk, p.school.pk, p.police.pk}

    # Taking Amy off withdraws the school's invitation: no child on the agenda concerns it now.
    amy_item = next(i for i in items if i.child_id == amy.pk)
    services.remove_item(by=p.chair, item=amy_item, reason="Discussed at yesterday's strategy discussion instead")
    assert Invitation.objects.get(meeting=meeting, agency=p.school).withdrawn_at is not None
    amy_item.refresh_from_db()
    assert amy_item.removed_reason and AgendaItem.objects.filter(pk=amy_item.pk).exists()


@pytest.mark.finding("F27")
def test_actions_outstanding_from_an_earlier_meeting_bring_the_child_back(partnership, children):
    p = partnership
    amy, *_ = children
    first = arrange(by=p.chair, starts_at=timezone.now() - dt.timedelta(days=2))
    (item,) = _add(p, first, amy)
    discuss(by=p.chair, item=item, level="low", owner=p.school_lead, agency=p.school)
    services.close_meeting(by=p.chair, meeting=first)
    # The action is due in 14 days: a meeting next week does not bring Amy back for it ...
    assert selectors.propose_agenda(arrange(by=p.chair, starts_at=timezone.now() + dt.timedelta(days=7))) == []
    # ... a meeting after it fell due does.
    second = arrange(by=p.chair, starts_at=timezone.now() + dt.timedelta(days=15))
    proposals = selectors.propose_agenda(second)
    assert [(pr.child.pk, pr.reason) for pr in proposals] == [(amy.pk, ItemReason.OUTSTANDING_ACTIONS)]


@pytest.mark.finding("F24")
def test_an_item_cannot_close_without_a_decision_and_an_action_or_a_reason(partnership, children):
    p = partnership
    amy, *_ = children
    meeting = arrange(by=p.chair)
    (item,) = _add(p, meeting, amy)
    with pytest.raises(ValidationError) as error:
        services.close_item(by=p.chair, item=item)
    assert set(error.value.message_dict) == {"decision", "no_actions_reason"}

    # An action missing its owner, agency or due date is refused, and nothing is saved.
    with pytest.raises(ValidationError) as error:
        services.add_action(by=p.chair, item=item, description="Visit", owner=None, agency=None, due_on=None, outcome="")
    assert set(error.value.message_dict) == {"owner", "agency", "due_on", "outcome"}
    with pytest.raises(ValidationError) as error:
        services.add_action(by=p.chair, item=item, description="Visit", owner=p.nurse, agency=p.school,
                            due_on=local_today() + dt.timedelta(days=7), outcome="Safe")
    assert "does not work for" in error.value.message_dict["owner"][0]
    assert not item.actions.exists()

    # A decision alone is not enough: an action or a reason for none.
    screen(by=p.school_lead, child=amy, indicators=[])
    services.decide_at_item(by=p.chair, item=item, kind="sexual", level="low", reason="Agreed", screenings=list(amy.screenings.all()),
                            next_review_on=local_today() + dt.timedelta(days=30), departure_reason="Judgement")
    with pytest.raises(ValidationError) as error:
        services.close_item(by=p.chair, item=item)
    assert set(error.value.message_dict) == {"no_actions_reason"}
    services.close_item(by=p.chair, item=item, no_actions_reason="Everything needed is in the child protection plan")
    item.refresh_from_db()
    assert item.is_closed and item.summary  # the prepared summary is kept with the item


@pytest.mark.finding("F24")
def test_a_meeting_cannot_close_while_items_lack_decisions(partnership, children):
    p = partnership
    amy, ben, _ = children
    meeting = arrange(by=p.chair)
    first, second = _add(p, meeting, amy, ben)
    discuss(by=p.chair, item=first, owner=p.school_lead, agency=p.school)
    with pytest.raises(ValidationError) as error:
        services.close_meeting(by=p.chair, meeting=meeting)
    assert "1 item still need" in error.value.messages[0] and "Ben" in error.value.messages[0]
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED
    assert not MinutesShare.objects.exists()


@pytest.mark.finding("F25")
@pytest.mark.finding("F28")
def test_closing_sends_each_involved_agency_only_its_items_and_receipt_is_tracked(partnership, children):
    p = partnership
    amy, ben, cal = children
    meeting = arrange(by=p.chair, starts_at=timezone.now() - dt.timedelta(hours=2))
    items = _add(p, meeting, amy, ben, cal)
    services.record_attendance(by=p.chair, invitation=meeting.invitations.get(agency=p.police), attendance="attended", attendees="Paul Officer")
    # The school did not come.
    services.record_attendance(by=p.chair, invitation=meeting.invitations.get(agency=p.school), attendance="apologies")
    for item in items:
        discuss(by=p.chair, item=item, owner=p.social_worker, agency=p.social_care)
    services.close_meeting(by=p.chair, meeting=meeting)

    release = meeting.releases.get(kind=ReleaseKind.DECISIONS)
    got = {s.agency_id: set(s.items.values_list("child_id", flat=True)) for s in release.shares.all()}
    assert got == {p.social_care.pk: {amy.pk, ben.pk, cal.pk}, p.school.pk: {amy.pk}, p.police.pk: {ben.pk}}
    # The school, which did not attend, is told its minutes are waiting.
    school_share = release.shares.get(agency=p.school)
    assert Notification.objects.filter(recipient=p.school_lead, url__endswith=f"/shares/{school_share.pk}/").exists()
    # Its copy holds Amy only, and says another two children were discussed.
    minutes = selectors.share_minutes(school_share)
    assert [i.heading.split(",")[0] for i in minutes.items] == [amy.display_name]
    assert minutes.items_withheld == 2
    # Every share is on the child's timeline (F28).
    shared = TimelineEvent.objects.get(child=amy, kind="minutes_shared")
    assert p.school.name in shared.summary and p.social_care.name in shared.summary and p.police.name not in shared.summary

    # Unacknowledged minutes age; after three working days the hub is alerted.
    assert selectors.minutes_waiting_for(p.school_lead) == [school_share]
    later = local_today() + dt.timedelta(days=7)
    run_scan(today=later)
    alert = Alert.objects.get(rule_id="F25.minutes-unacknowledged", key=f"share:{school_share.pk}", resolved_at__isnull=True)
    assert p.school.name in alert.message
    with pytest.raises(PermissionDenied):
        services.acknowledge_share(by=p.police_officer, share=school_share)
    services.acknowledge_share(by=p.school_lead, share=school_share)
    assert TimelineEvent.objects.filter(child=amy, kind="minutes_acknowledged").exists()
    run_scan(today=later)
    alert.refresh_from_db()
    assert alert.resolved_at is not None


@pytest.mark.finding("F25")
def test_a_meeting_left_open_and_minutes_left_unpublished_are_alerted(partnership, children):
    p = partnership
    amy, *_ = children
    meeting = arrange(by=p.chair, starts_at=timezone.now() - dt.timedelta(days=3))
    (item,) = _add(p, meeting, amy)
    run_scan()
    assert Alert.objects.filter(rule_id="F25.decisions-not-sent", key=f"meeting:{meeting.pk}", resolved_at__isnull=True).exists()
    discuss(by=p.chair, item=item, owner=p.school_lead, agency=p.school)
    services.close_meeting(by=p.chair, meeting=meeting)
    run_scan(today=local_today() + dt.timedelta(days=20))
    assert not Alert.objects.filter(rule_id="F25.decisions-not-sent", resolved_at__isnull=True).exists()
    assert Alert.objects.filter(rule_id="F25.minutes-overdue", key=f"meeting:{meeting.pk}", resolved_at__isnull=True).exists()
    services.publish_minutes(by=p.chair, meeting=meeting)
    run_scan(today=local_today() + dt.timedelta(days=20))
    assert not Alert.objects.filter(rule_id="F25.minutes-overdue", resolved_at__isnull=True).exists()
    with pytest.raises(ValidationError):
        services.publish_minutes(by=p.chair, meeting=meeting)  # not twice


@pytest.mark.finding("F10")
def test_the_pathway_from_strategy_discussion_to_exploitation_meeting_is_recorded_and_shown(partnership, children):
    p = partnership
    amy, *_ = children
    strategy = arrange(by=p.chair, kind=MeetingKind.STRATEGY, title="Strategy discussion", starts_at=timezone.now() - dt.timedelta(days=10))
    (item,) = _add(p, strategy, amy)
    with pytest.raises(ValidationError) as error:
        services.close_item(by=p.chair, item=item, no_actions_reason="None")
    assert "where the case goes next" in error.value.message_dict["decision"][0]
    services.set_pathway(by=p.chair, item=item, pathway=Pathway.SECTION_47)
    services.close_item(by=p.chair, item=item, no_actions_reason="The section 47 enquiry is the action")
    services.close_meeting(by=p.chair, meeting=strategy)

    mace = arrange(by=p.chair, title="Exploitation meeting")
    (later,) = _add(p, mace, amy)
    discuss(by=p.chair, item=later, owner=p.school_lead, agency=p.school)
    section = selectors.child_meetings_section(p.social_worker, amy)
    assert [(i.meeting.kind, i.pathway) for i in section["items"]] == [
        (MeetingKind.STRATEGY, Pathway.SECTION_47), (MeetingKind.EXPLOITATION, ""),
    ]
    # The later item's summary knows the earlier meeting.
    assert selectors.item_summary(later).earlier_items[0].meeting == strategy


@pytest.mark.finding("F22")
def test_the_item_summary_shows_emotional_health_and_self_harm(partnership, children):
    p = partnership
    amy, *_ = children
    screen(by=p.school_lead, child=amy, indicators=[("EMO-01", NOW), ("SEX-02", NOW)])
    meeting = arrange(by=p.chair)
    (item,) = _add(p, meeting, amy)
    lines = selectors.item_summary(item).lines()
    emotional = next(line for line in lines if line.startswith("Emotional health"))
    assert "Self-harms" in emotional and p.school.name in emotional
    discuss(by=p.chair, item=item, owner=p.school_lead, agency=p.school)
    item.refresh_from_db()
    assert any("Self-harms" in line for line in item.summary)


def test_only_invited_agencies_open_a_meeting_and_each_sees_its_own_children(partnership, children):
    p = partnership
    amy, ben, _ = children
    meeting = arrange(by=p.chair)
    amy_item, ben_item = _add(p, meeting, amy, ben)
    assert selectors.access_meeting(p.school_lead, meeting.pk) == meeting
    with pytest.raises(Http404):
        selectors.access_meeting(p.nurse, meeting.pk)  # health is not invited
    page = selectors.meeting_page(p.school_lead, meeting)
    assert [i.child_id for i in page.items] == [amy.pk] and page.withheld == 1
    with pytest.raises(Http404):
        selectors.access_item(p.school_lead, ben_item.pk)
    assert selectors.access_item(p.police_officer, ben_item.pk).child == ben
    with pytest.raises(PermissionDenied):
        services.add_child_item(by=p.social_worker, meeting=meeting, child=amy)


def test_outstanding_actions_are_marked_at_the_next_meeting(partnership, children):
    p = partnership
    amy, *_ = children
    first = arrange(by=p.chair, starts_at=timezone.now() - dt.timedelta(days=28))
    (item,) = _add(p, first, amy)
    discuss(by=p.chair, item=item, actions=2, owner=p.school_lead, agency=p.school)
    services.close_meeting(by=p.chair, meeting=first)
    done, missed = item.actions.order_by("pk")
    services.mark_action(by=p.school_lead, action=done, status=ActionStatus.DONE, note="Visited on Tuesday; she named a trusted teacher")
    with pytest.raises(PermissionDenied):
        services.mark_action(by=p.school_lead, action=missed, status=ActionStatus.NOT_DONE, note="")

    second = arrange(by=p.chair, starts_at=timezone.now() + dt.timedelta(days=15))  # after the actions fell due
    (next_item,) = services.build_agenda(by=p.chair, meeting=second)
    assert [a.pk for a in selectors.item_summary(next_item).outstanding] == [missed.pk]
    with pytest.raises(ValidationError):
        services.mark_action(by=p.chair, action=missed, status=ActionStatus.NOT_DONE, note="", at_item=next_item)
    services.mark_action(by=p.chair, action=missed, status=ActionStatus.NOT_DONE, note="The school did not arrange it", at_item=next_item)
    missed.refresh_from_db()
    assert missed.reviewed_at_item == next_item and missed.status == ActionStatus.NOT_DONE


def test_closing_a_meeting_in_a_series_arranges_the_next(partnership, children):
    p = partnership
    amy, *_ = children
    start = timezone.now() - dt.timedelta(days=1)
    series = services.create_series(by=p.chair, name="Testshire MACE", kind=MeetingKind.EXPLOITATION, interval_weeks=4,
                                    first_starts_at=start, chair=p.chair, venue="Room 4")
    first = series.meetings.get()
    (item,) = _add(p, first, amy)
    discuss(by=p.chair, item=item, owner=p.school_lead, agency=p.school)
    services.close_meeting(by=p.chair, meeting=first)
    nxt = series.meetings.exclude(pk=first.pk).get()
    assert nxt.status == MeetingStatus.PLANNED and (nxt.starts_at - first.starts_at).days in (27, 28, 29)
    with pytest.raises(ValidationError):
        services.add_child_item(by=p.chair, meeting=first, child=amy)  # closed meetings do not change
