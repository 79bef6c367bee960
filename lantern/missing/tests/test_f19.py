"""F19: a worker withdrawn, and six more missing episodes followed. Ending the involvement of a
child at high risk needs a reason and is on the timeline; a missing episode after a change of
worker is flagged on the child's timeline, as in the Missing section and on the episode page."""

import datetime as dt
import html

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lantern.children.models import TimelineEvent
from lantern.children.services import add_involvement, end_involvement
from lantern.children.tests.factories import register_child
from lantern.missing.tests.factories import at, record_episode
from lantern.risk.tests.factories import NOW, decide, screen

FLAG = "missing_after_change_of_worker"


@pytest.mark.finding("F19")
def test_a_missing_episode_after_a_worker_is_withdrawn_is_flagged_on_the_timeline(client, partnership):
    p = partnership
    child = register_child(by=p.school_lead, date_of_birth=dt.date(2012, 5, 1), make_lead=True)
    social = add_involvement(by=p.school_lead, child=child, agency=p.social_care, role="Social worker",
                             professional=p.social_worker, started_on=dt.date(2026, 1, 5))
    screen(by=p.social_worker, child=child, indicators=[("SEX-02", NOW)])
    decide(by=p.hub, child=child, level="high")
    before = record_episode(by=p.school_lead, child=child, started_at=at(2026, 2, 1, 20), returned_at=at(2026, 2, 2, 9))

    # The child is at high risk: the worker cannot be withdrawn without a reason, and nothing changes.
    with pytest.raises(ValidationError):
        end_involvement(by=p.social_worker, involvement=social, reason=" ", expected_version=social.version, ended_on=dt.date(2026, 3, 1))
    social.refresh_from_db()
    assert social.ended_on is None and not TimelineEvent.objects.filter(child=child, kind="involvement_ended").exists()
    end_involvement(by=p.social_worker, involvement=social, reason="Case closed to social care", expected_version=social.version,
                    ended_on=dt.date(2026, 3, 1))
    assert TimelineEvent.objects.get(child=child, kind="involvement_ended").detail == "Case closed to social care"

    after = record_episode(by=p.school_lead, child=child, started_at=at(2026, 3, 10, 20), returned_at=at(2026, 3, 11, 9))
    long_after = record_episode(by=p.school_lead, child=child, started_at=at(2026, 7, 1, 20), returned_at=at(2026, 7, 2, 9))
    flags = list(TimelineEvent.objects.filter(child=child, kind=FLAG))
    assert len(flags) == 1  # not the episode before the change, nor the one more than 90 days after it
    flag = flags[0]
    assert flag.occurred_at == after.started_at and flag.url == reverse("missing:detail", args=[after.pk])
    assert flag.summary == "Went missing 9 days after a change of worker"
    assert "Testshire Children's Social Care stopped working with the child (Social worker): Case closed to social care." in flag.detail
    assert before.pk and long_after.pk

    # The timeline on the child's page shows it tagged, next to the episode.
    client.force_login(p.school_lead)
    page = html.unescape(client.get(reverse("children:detail", args=[child.pk]), {"page": 1}).content.decode())
    assert "After a change of worker</strong> Went missing 9 days after a change of worker" in page


@pytest.mark.finding("F19")
def test_an_episode_recorded_the_day_the_worker_left_is_flagged(partnership):
    p = partnership
    child = register_child(by=p.school_lead, date_of_birth=dt.date(2012, 5, 1))
    police = add_involvement(by=p.school_lead, child=child, agency=p.police, role="Officer", started_on=dt.date(2026, 4, 1))
    end_involvement(by=p.police_officer, involvement=police, reason="Enquiry complete", expected_version=police.version,
                    ended_on=dt.date(2026, 5, 1))
    record_episode(by=p.school_lead, child=child, started_at=at(2026, 5, 1, 22), returned_at=at(2026, 5, 2, 9))
    assert TimelineEvent.objects.get(child=child, kind=FLAG).summary == "Went missing the same day as a change of worker"
