"""F02: a child whose records mention an alleged perpetrator, with no person of concern linked to
them, is on the worklists of everyone who works with the child until someone links a person.
Built through the services, with fictional people."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lantern.children.models import Child
from lantern.children.services import add_involvement
from lantern.children.tests.factories import register_child
from lantern.core.dates import LONDON, local_today, long_date
from lantern.meetings import services as meeting_services
from lantern.meetings.tests.factories import arrange
from lantern.missing.tests.factories import hold_interview, record_episode
from lantern.network import services
from lantern.network.models import LinkType, LocationKind, SourceRecord
from lantern.network.standards import WORDS, perpetrator_not_linked
from lantern.referrals.tests.factories import refer
from lantern.risk.tests.factories import NOW, PAST, screen
from lantern.standards.models import Alert, Audience
from lantern.standards.selectors import worklist_for
from lantern.standards.services import run_scan

RULE = "F02.perpetrator-not-linked"


def _open(child=None):
    qs = Alert.objects.filter(rule_id=RULE, resolved_at__isnull=True)
    return qs.filter(child=child) if child is not None else qs


def _child(p, **kwargs):
    child = register_child(by=p.social_worker, **kwargs)
    add_involvement(by=p.social_worker, child=child, agency=p.school, role="Designated safeguarding lead")
    add_involvement(by=p.social_worker, child=child, agency=p.police, role="Child exploitation officer")
    return child


def _interview(p, child, *, days_ago=6, **kwargs):
    started = timezone.now() - dt.timedelta(days=days_ago)
    episode = record_episode(by=p.police_officer, child=child, started_at=started, returned_at=started + dt.timedelta(hours=10))
    return hold_interview(by=p.social_worker, episode=episode, offered_at=started + dt.timedelta(hours=20),
                          held_at=started + dt.timedelta(hours=30), **kwargs)


def _grade():
    return dict(source_evaluation="2", intelligence_assessment="C", source_record=SourceRecord.RETURN_INTERVIEW)


@pytest.mark.finding("F02")
def test_a_return_interview_naming_someone_raises_the_alert_until_a_person_is_linked(partnership):
    p = partnership
    child = _child(p, first_name="Rosa")
    interview = _interview(p, child, people_and_places="Jay from the takeaway", childs_account="I was with friends.")
    run_scan(rule_ids=[RULE])
    alert = _open(child).get()
    assert alert.finding == "F02" and alert.audience == Audience.INVOLVED
    assert alert.message == (
        f"The return interview of {long_date(interview.held_at)} names people, but no person of concern is linked to the child. "
        "Link them, so every agency can see it."
    )
    # On the worklists of every agency working with her.
    for user in (p.school_lead, p.police_officer, p.social_worker):
        assert alert in list(worklist_for(user))

    # A link to a place is not a link to a person: still raised.
    takeaway = services.record_location(by=p.police_officer, name="Golden Fryer takeaway", kind=LocationKind.TAKEAWAY)
    services.link(by=p.police_officer, a=services.node_for_child(child), b=takeaway.node, link_type=LinkType.FREQUENTS, **_grade())
    run_scan(rule_ids=[RULE])
    assert _open(child).get().pk == alert.pk

    # The police record Jay and link him: resolved at the next scan.
    jay = services.record_person(by=p.police_officer, name="Jay Invented", aliases="Jay", estimated_age=23)
    link = services.link(by=p.police_officer, a=services.node_for_child(child), b=jay.node, link_type=LinkType.ASSOCIATES,
                         first_seen=local_today() - dt.timedelta(days=6), source_detail="Return interview", **_grade())
    run_scan(rule_ids=[RULE])
    assert not _open(child).exists()
    assert Alert.objects.get(pk=alert.pk).resolved_at is not None

    # The link found to be wrong and ended: the mention is unlinked again.
    services.end_link(by=p.police_officer, link=link, reason="Wrong Jay: the child meant someone else")
    run_scan(rule_ids=[RULE])
    assert _open(child).exists()


@pytest.mark.finding("F02")
def test_a_child_whose_records_mention_no_one_raises_nothing(partnership):
    p = partnership
    child = _child(p)
    _interview(p, child, people_and_places="", childs_account="I went to my nan's and forgot my phone.",
               disclosures="None", pull_factors="")
    refer(by=p.school_lead, child=child, concern="Often absent on Mondays; low mood.", indicator_ids=["VUL-05"])
    screen(by=p.school_lead, child=child, indicators=[("VUL-05", NOW), ("MIS-02", PAST), ("CRIM-05", NOW), ("ONL-01", PAST)],
           analysis="Suspected low mood; no adult named.")
    run_scan(rule_ids=[RULE])
    assert not _open().exists()


@pytest.mark.finding("F02")
def test_a_referral_naming_an_alleged_perpetrator_raises_the_alert(partnership):
    p = partnership
    child = _child(p)
    referral = refer(by=p.school_lead, child=child,
                     concern="Told her teacher the Alleged Perpetrator collects her from the park after school.")
    run_scan(rule_ids=[RULE])
    assert _open(child).get().message.startswith(f'The referral of {long_date(referral.received_at)} mentions "alleged perpetrator", ')


@pytest.mark.finding("F02")
def test_screenings_and_meeting_items_count_and_the_latest_mention_is_named(partnership):
    p = partnership
    screened, discussed = _child(p), _child(p)
    # An indicator pointing to an adult: unknown adults call for the child.
    screening = screen(by=p.school_lead, child=screened, indicators=[("SEX-08", PAST), ("VUL-05", NOW)],
                       screened_at=timezone.now() - dt.timedelta(days=3))
    run_scan(rule_ids=[RULE])
    assert _open(screened).get().message.startswith(
        f'The screening of {long_date(screening.screened_at)} records "Unknown adults call, visit or collect them", '
    )
    # A meeting item whose discussion names a suspect: the meeting is the latest record, and the
    # screening is counted as another.
    meeting = arrange(by=p.chair, starts_at=timezone.now() - dt.timedelta(hours=2))
    for child in (screened, discussed):
        item = meeting_services.add_child_item(by=p.chair, meeting=meeting, child=child)
        meeting_services.record_discussion(by=p.chair, item=item, discussion="Police have a SUSPECT; enquiries continue.")
    run_scan(rule_ids=[RULE])
    day = long_date(meeting.starts_at)
    assert _open(screened).get().message.startswith(f'The discussion at the meeting of {day} mentions "suspect" (and 1 other record), ')
    assert _open(discussed).get().message.startswith(f'The discussion at the meeting of {day} mentions "suspect", ')


@pytest.mark.finding("F02")
def test_words_match_whole_words_only_and_closed_records_are_not_watched(partnership):
    p = partnership
    near_misses = _child(p)
    refer(by=p.school_lead, child=near_misses, concern="Suspected exploitation by adults; suspicious cars outside school; perpetration.")
    screen(by=p.school_lead, child=near_misses, indicators=[("VUL-05", NOW)], analysis="Unsuspecting of the risks.")
    closed = _child(p)
    refer(by=p.school_lead, child=closed, concern="The suspect drives a taxi.")
    # (Closing a record goes through the plan's ending checklist, tested in the plans app.)
    Child.objects.filter(pk=closed.pk).update(closed_at=timezone.now())
    run_scan(rule_ids=[RULE])
    assert not _open().exists()


@pytest.mark.parametrize(("text", "word"), [
    ("the alleged  perpetrator", "alleged perpetrator"), ("PERPETRATOR.", "perpetrator"), ("(suspect)", "suspect"),
    ("a suspect's car", "suspect"), ("Perpetrators", "perpetrators"), ("two suspects", "suspects"), ("suspected", None),
    ("suspicious", None), ("nonsuspect", None), ("perpetrator_x", None), ("alleged", None),
])
def test_the_words_are_whole_words(text, word):
    match = WORDS.search(text)
    assert (" ".join(match.group(1).lower().split()) if match else None) == word


@pytest.mark.finding("F02")
def test_the_rule_makes_the_same_queries_for_one_child_or_many(partnership):
    p = partnership

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            specs = list(perpetrator_not_linked(local_today()))
        return len(ctx.captured_queries), len(specs)

    first = _child(p)
    _interview(p, first, people_and_places="'T' and his cousin")
    one, raised = queries()
    assert raised == 1
    for n in range(3):
        child = _child(p)
        _interview(p, child, people_and_places="A man called Dee", days_ago=6 + n)
        refer(by=p.school_lead, child=child, concern="Named a suspect to her teacher.")
        screen(by=p.school_lead, child=child, indicators=[("SEX-01", NOW), ("SEX-02", PAST)], analysis="The suspect is known to police.")
    many, raised = queries()
    assert raised == 4 and many == one == 6


def test_a_mention_long_ago_is_dated_in_london(partnership):
    p = partnership
    child = _child(p)
    interview = _interview(p, child, days_ago=200, people_and_places="A man at the bus station")
    (spec,) = perpetrator_not_linked(local_today())
    assert spec.key == f"child:{child.pk}" and long_date(interview.held_at.astimezone(LONDON).date()) in spec.message
