"""The missing pages, as users see them: forms, errors, need to know, fixed query counts."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lantern.children.services import add_involvement
from lantern.children.tests.factories import register_child
from lantern.core.dates import LONDON
from lantern.missing.models import MissingEpisode
from lantern.missing.tests.factories import at, hold_interview, record_episode


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _moment(prefix, value):
    local = value.astimezone(LONDON)
    return {f"{prefix}_date_0": local.day, f"{prefix}_date_1": local.month, f"{prefix}_date_2": local.year,
            f"{prefix}_time": f"{local:%H:%M}"}


@pytest.mark.finding("F06")
def test_recording_an_episode_the_return_and_the_interview_through_the_pages(client, partnership):
    p = partnership
    child = register_child(by=p.school_lead)
    client.force_login(p.school_lead)
    page = client.get(reverse("children:detail", args=[child.pk]))
    assert b"No missing episodes recorded" in page.content
    assert reverse("missing:record_episode", args=[child.pk]).encode() in page.content

    url = reverse("missing:record_episode", args=[child.pk])
    bad = client.post(url, {"kind": "M", "missing_from": "home", **_moment("started_at", timezone.now() + dt.timedelta(days=2))})
    assert bad.status_code == 200 and b"govuk-error-summary" in bad.content
    assert b"must be now or in the past" in bad.content
    assert not MissingEpisode.objects.exists()
    missing = client.post(url, {"kind": "M", "missing_from": "home", "police_reference": "PR-1",
                                **_moment("started_at", timezone.now() - dt.timedelta(hours=6))})
    episode = MissingEpisode.objects.get()
    assert missing.status_code == 302 and missing["Location"] == reverse("missing:detail", args=[episode.pk])
    child_page = client.get(reverse("children:detail", args=[child.pk])).content.decode()
    assert "Missing now" in child_page and "govuk-tag--red" in child_page
    assert child_page.index("Missing episodes") < child_page.index("Details")  # shown first

    back = client.post(reverse("missing:record_return", args=[episode.pk]),
                       {**_moment("returned_at", timezone.now() - dt.timedelta(hours=1)), "returned_to": "Home"})
    assert back.status_code == 302
    detail = client.get(reverse("missing:detail", args=[episode.pk])).content.decode()
    assert "Interview due" in detail and "within 72 hours" in detail

    offer_url = reverse("missing:offer_interview", args=[episode.pk])
    refused = client.post(offer_url, _moment("offered_at", timezone.now() - dt.timedelta(minutes=30)))
    assert b"Confirm the interview is offered by someone independent" in refused.content
    assert client.post(offer_url, {**_moment("offered_at", timezone.now() - dt.timedelta(minutes=30)), "independent": "on"}).status_code == 302
    interview_url = reverse("missing:record_interview", args=[episode.pk])
    assert client.post(interview_url, {"accepted": "yes"}).status_code == 200
    done = client.post(interview_url, {"accepted": "yes", **_moment("held_at", timezone.now() - dt.timedelta(minutes=5)),
                                       "childs_account": "Went to a party in town.", "shared_with": [p.police.pk]})
    assert done.status_code == 302
    detail = client.get(reverse("missing:detail", args=[episode.pk])).content.decode()
    assert "Offered in time and held" in detail and "Went to a party in town." in detail and p.police.name in detail


def test_every_missing_page_is_not_found_for_an_uninvolved_agency(client, partnership):
    p = partnership
    child = register_child(by=p.school_lead, first_name="Tyler")
    episode = record_episode(by=p.school_lead, child=child, started_at=at(2026, 2, 1, 20), returned_at=at(2026, 2, 2, 8))
    open_child = register_child(by=p.school_lead, first_name="Tyler")
    open_episode = record_episode(by=p.school_lead, child=open_child, started_at=at(2026, 3, 1, 20))
    client.force_login(p.police_officer)
    urls = [reverse("missing:record_episode", args=[child.pk])] + [
        reverse(name, args=[e.pk]) for e in (episode, open_episode)
        for name in ("missing:detail", "missing:record_return", "missing:offer_interview", "missing:record_interview",
                     "missing:interview_not_held")
    ]
    for url in urls:
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 404, (method, url)
            assert b"Tyler" not in response.content
    listing = client.get(reverse("missing:list"))
    assert listing.status_code == 200 and b"Tyler" not in listing.content and b"0 episodes" in listing.content
    assert MissingEpisode.objects.count() == 2


def test_the_list_filters_open_due_and_overdue(client, partnership):
    p = partnership
    now = timezone.now()
    kids = [register_child(by=p.school_lead, first_name=name) for name in ("Opal", "Dulcie", "Orla", "Hattie")]
    record_episode(by=p.school_lead, child=kids[0], started_at=now - dt.timedelta(hours=3))
    record_episode(by=p.school_lead, child=kids[1], started_at=now - dt.timedelta(hours=30), returned_at=now - dt.timedelta(hours=20))
    record_episode(by=p.school_lead, child=kids[2], started_at=now - dt.timedelta(hours=90), returned_at=now - dt.timedelta(hours=80))
    held = record_episode(by=p.school_lead, child=kids[3], started_at=now - dt.timedelta(hours=90), returned_at=now - dt.timedelta(hours=80))
    hold_interview(by=p.school_lead, episode=held, offered_at=now - dt.timedelta(hours=70), held_at=now - dt.timedelta(hours=60))
    client.force_login(p.school_lead)
    for status, shown in (("", {"Opal", "Dulcie", "Orla", "Hattie"}), ("open", {"Opal"}), ("due", {"Dulcie"}), ("overdue", {"Orla"})):
        content = client.get(reverse("missing:list") + (f"?status={status}" if status else "")).content.decode()
        assert {name for name in ("Opal", "Dulcie", "Orla", "Hattie") if name in content} == shown, status


def test_the_list_and_the_child_page_make_the_same_number_of_queries_whatever_the_number_of_episodes(client, partnership):
    p = partnership
    small = register_child(by=p.school_lead, date_of_birth=dt.date(2012, 1, 1))
    big = register_child(by=p.school_lead, date_of_birth=dt.date(2012, 1, 1))
    social = add_involvement(by=p.school_lead, child=big, agency=p.social_care, role="Social worker")
    add_involvement(by=p.school_lead, child=small, agency=p.social_care, role="Social worker")
    record_episode(by=p.school_lead, child=small, started_at=at(2026, 1, 1, 20), returned_at=at(2026, 1, 2, 9))
    client.force_login(p.school_lead)
    one_list = _queries(client, reverse("missing:list"))
    small_page = _queries(client, reverse("children:detail", args=[small.pk]))
    start = at(2025, 12, 1, 20)
    for n in range(20):
        episode = record_episode(by=p.school_lead, child=big, started_at=start + dt.timedelta(days=15 * n),
                                 returned_at=start + dt.timedelta(days=15 * n, hours=12))
        if n % 3 == 0:
            hold_interview(by=p.school_lead, episode=episode, offered_at=episode.returned_at + dt.timedelta(hours=5),
                           held_at=episode.returned_at + dt.timedelta(hours=30))
    assert social.pk
    assert _queries(client, reverse("missing:list")) == one_list
    assert _queries(client, reverse("children:detail", args=[big.pk])) == small_page
    assert _queries(client, reverse("missing:list") + "?status=overdue") <= one_list + 1


def test_the_pages_follow_the_return_interview_hours_and_the_repeat_missing_days(client, partnership, settings):
    settings.LANTERN_RETURN_INTERVIEW_HOURS = 48
    settings.LANTERN_REPEAT_MISSING_DAYS = 30
    p = partnership
    child = register_child(by=p.school_lead)
    now = timezone.now()
    record_episode(by=p.school_lead, child=child, started_at=now - dt.timedelta(days=40), returned_at=now - dt.timedelta(days=39))
    episode = record_episode(by=p.school_lead, child=child, started_at=now - dt.timedelta(hours=6))
    client.force_login(p.school_lead)
    child_page = client.get(reverse("children:detail", args=[child.pk])).content.decode()
    assert "1 episode in the last 30 days; 2 in all." in child_page
    back = client.post(reverse("missing:record_return", args=[episode.pk]), _moment("returned_at", now - dt.timedelta(hours=1)), follow=True)
    assert "Offer a return interview within 48 hours" in back.content.decode()
    assert "must be offered within 48 hours of the return" in back.content.decode()
    assert "72 hours" not in client.get(reverse("missing:detail", args=[episode.pk])).content.decode()
