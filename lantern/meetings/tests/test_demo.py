"""The demo's meetings: a fortnightly exploitation meeting whose last four meetings were held,
decided and minuted, with the minutes shared and mostly acknowledged, and today's meeting ready
for the chair with a realistic agenda. Built on a small partnership, as the other demo tests are,
so the test stays fast."""

import datetime as dt
import random

import pytest
from django.utils import timezone

from lantern.children.services import add_involvement
from lantern.children.tests.factories import register_child
from lantern.core.dates import LONDON, local_today
from lantern.meetings.demo import add_demo_meetings
from lantern.meetings.models import (
    AgendaItem, ItemReason, Meeting, MeetingAction, MeetingKind, MeetingStatus, MinutesRelease, MinutesShare, ReleaseKind,
)
from lantern.meetings.selectors import propose_agenda, propose_records
from lantern.network import services as network
from lantern.network.models import LinkType
from lantern.risk.models import Screening
from lantern.risk.tests.factories import decide, screen


@pytest.fixture
def demo(partnership):
    """Twelve children at medium or high risk, screened ten weeks ago, each with the school or the
    police as well as social care; the demo's meetings added on top."""
    p = partnership
    today = local_today()
    children = []
    for n in range(12):
        child = register_child(by=p.social_worker, first_name=f"Demo{n}", last_name="Fictional")
        add_involvement(by=p.social_worker, child=child, agency=p.school if n % 2 else p.police, role="Worker")
        screen(by=p.social_worker, child=child)
        decide(by=p.hub, child=child, level="high" if n % 3 == 0 else "medium")
        children.append(child)
    Screening.objects.filter(child__in=children).update(screened_at=timezone.now() - dt.timedelta(weeks=10))
    add_demo_meetings(rng=random.Random(3), today=today, chair_user=p.chair, hub_user=p.hub)
    return today, children


def test_today_s_meeting_is_ready_for_the_chair_with_a_realistic_agenda(partnership, demo):
    today, children = demo
    meeting = Meeting.objects.get(status=MeetingStatus.PLANNED, kind=MeetingKind.EXPLOITATION)
    assert meeting.starts_at.astimezone(LONDON).date() == today and meeting.chair == partnership.chair
    assert not meeting.items.exists()  # the chair builds it
    proposals = propose_agenda(meeting)
    reasons = {p.reason for p in proposals}
    # The children discussed eight weeks ago are due for review; the others were discussed since.
    assert ItemReason.REVIEW_DUE in reasons
    assert 3 <= len(proposals) < len(children)
    due = {p.child.pk for p in proposals if p.reason == ItemReason.REVIEW_DUE}
    first = Meeting.objects.filter(series=meeting.series, status=MeetingStatus.CLOSED).order_by("starts_at").first()
    assert due == set(AgendaItem.objects.filter(meeting=first, removed_at__isnull=True).values_list("child_id", flat=True))
    # Actions left open from earlier meetings come back, on the child's item.
    still_open = set(MeetingAction.objects.filter(status="open", due_on__lte=today).values_list("child_id", flat=True))
    assert still_open <= {p.child.pk for p in proposals}
    # With a person of concern linked to two of the children, the chair is offered him too.
    man = network.record_person(by=partnership.police_officer, name="Jay Notreal")
    for child in children[:2]:
        network.link(by=partnership.police_officer, a=network.node_for_child(child), b=man.node, link_type=LinkType.SUPPLIES,
                     source_evaluation="2", intelligence_assessment="B")
    assert [r.name for r in propose_records(meeting)] == ["Jay Notreal"]


def test_earlier_meetings_were_decided_and_their_minutes_shared_and_mostly_acknowledged(partnership, demo):
    today, _ = demo
    held = list(Meeting.objects.filter(kind=MeetingKind.EXPLOITATION, status=MeetingStatus.CLOSED).order_by("starts_at"))
    assert len(held) == 4
    assert [m.starts_at.astimezone(LONDON).date() for m in held] == [today - dt.timedelta(weeks=w) for w in (8, 6, 4, 2)]
    for meeting in held:
        items = list(AgendaItem.objects.filter(meeting=meeting, removed_at__isnull=True))
        assert items and all(i.is_closed for i in items)
        assert all(i.decisions.exists() and (i.actions.exists() or i.no_actions_reason) for i in items)  # F24
        assert meeting.closed_at.astimezone(LONDON).date() == meeting.starts_at.astimezone(LONDON).date()
        assert MinutesRelease.objects.filter(meeting=meeting, kind=ReleaseKind.DECISIONS).exists()
    # Full minutes of all but the last meeting, within ten working days.
    assert set(MinutesRelease.objects.filter(kind=ReleaseKind.FULL).values_list("meeting_id", flat=True)) == {m.pk for m in held[:-1]}
    shares = list(MinutesShare.objects.filter(release__meeting__in=held))
    # Every involved agency got its part, and most confirmed receipt the next day.
    assert {s.agency_id for s in shares} == {partnership.social_care.pk, partnership.school.pk, partnership.police.pk}
    acknowledged = [s for s in shares if s.acknowledged_at]
    assert len(acknowledged) >= 0.7 * len(shares)
    assert all(s.acknowledged_at for s in shares if s.release.meeting_id != held[-1].pk)
    assert all(s.acknowledged_at - s.shared_at == dt.timedelta(days=1) for s in acknowledged)
    # The strategy discussion five weeks ago sent a child to the exploitation meeting (F10).
    assert Meeting.objects.get(kind=MeetingKind.STRATEGY).status == MeetingStatus.CLOSED
