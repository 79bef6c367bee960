"""F06: an overdue return interview alerts the lead professional and the missing team directly,
once per episode, by the daily job; the message names no child (decision 0007)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from lantern.children.services import add_involvement, set_lead_professional
from lantern.children.tests.factories import register_child
from lantern.core.dates import local_today
from lantern.missing import services
from lantern.missing.models import OverdueInterviewNotice
from lantern.missing.tests.factories import record_episode
from lantern.notifications.models import Notification
from lantern.partnership import services as partnership_services
from lantern.partnership.models import AgencyType, Role
from lantern.standards.registry import daily_jobs

SUBJECT = "A return interview is overdue"


def _missing_team(p, agency, *, name="Missing team", members=1):
    team = partnership_services.create_team(by=p.administrator, agency=agency, name=name, handles_missing=True)
    people = []
    for n in range(members):
        user = partnership_services.create_user(by=p.administrator, email=f"missing{agency.pk}-{n}@lantern.test", full_name=f"{name} member {n}")
        partnership_services.add_membership(by=p.administrator, user=user, agency=agency, role=Role.PRACTITIONER, team=team)
        people.append(user)
    return people


def _told(subject=SUBJECT):
    return sorted(Notification.objects.filter(subject=subject).values_list("recipient__full_name", flat=True))


@pytest.mark.finding("F06")
def test_an_overdue_return_interview_tells_the_lead_professional_and_the_missing_team_once(partnership):
    p = partnership
    youth = partnership_services.create_agency(by=p.administrator, name="Testshire Youth Service", agency_type=AgencyType.YOUTH_SERVICE)
    (worker,) = _missing_team(p, youth)
    (elsewhere,) = _missing_team(p, p.health, name="Health missing team")  # health does not work with the child
    child = register_child(by=p.school_lead, first_name="Bella", last_name="Fictional", date_of_birth=dt.date(2012, 5, 1))
    lead = add_involvement(by=p.school_lead, child=child, agency=p.social_care, role="Social worker", professional=p.social_worker)
    set_lead_professional(by=p.school_lead, involvement=lead)
    add_involvement(by=p.school_lead, child=child, agency=youth, role="Return interviews")
    add_involvement(by=p.school_lead, child=child, agency=p.police, role="Missing persons officer")
    now = timezone.now()
    overdue = record_episode(by=p.police_officer, child=child, started_at=now - dt.timedelta(hours=100),
                             returned_at=now - dt.timedelta(hours=80))
    assert services.notify_overdue_interviews in daily_jobs()

    assert services.notify_overdue_interviews(today=local_today()) == 1
    assert _told() == sorted([p.social_worker.full_name, worker.full_name])
    assert elsewhere.full_name not in _told()
    for note in Notification.objects.filter(subject=SUBJECT):
        assert "Bella" not in note.subject + note.body and "Fictional" not in note.subject + note.body
        assert note.url == reverse("missing:detail", args=[overdue.pk]) and note.category == "missing"
    assert OverdueInterviewNotice.objects.get().episode == overdue

    # Once per episode: the next run, and the next day's, tell no one again.
    assert services.notify_overdue_interviews(today=local_today()) == 0
    assert services.notify_overdue_interviews(today=local_today() + dt.timedelta(days=1)) == 0
    assert len(_told()) == 2


@pytest.mark.finding("F06")
def test_only_episodes_that_have_just_fallen_overdue_are_told(partnership):
    p = partnership
    child = register_child(by=p.school_lead, date_of_birth=dt.date(2012, 5, 1), make_lead=True)
    add_involvement(by=p.school_lead, child=child, agency=p.police, role="Missing persons officer")
    now = timezone.now()
    # Offered in time: nothing to tell. Long overdue (weeks ago): on the worklists, not sent now.
    old = record_episode(by=p.police_officer, child=child, started_at=now - dt.timedelta(days=40),
                         returned_at=now - dt.timedelta(days=39))
    offered = record_episode(by=p.police_officer, child=child, started_at=now - dt.timedelta(hours=120),
                             returned_at=now - dt.timedelta(hours=100))
    services.offer_return_interview(by=p.police_officer, episode=offered, offered_at=now - dt.timedelta(hours=90), independent=True)
    # Returned ten hours ago: due, not overdue; overdue three days later.
    recent = record_episode(by=p.police_officer, child=child, started_at=now - dt.timedelta(hours=20),
                            returned_at=now - dt.timedelta(hours=10))
    assert services.notify_overdue_interviews(today=local_today()) == 0
    assert services.notify_overdue_interviews(today=local_today() + dt.timedelta(days=3)) == 1
    assert list(OverdueInterviewNotice.objects.values_list("episode_id", flat=True)) == [recent.pk]
    assert _told() == [p.school_lead.full_name]  # the lead professional
    assert old.pk


def test_the_administrator_makes_a_team_the_missing_team(client, partnership):
    p = partnership
    client.force_login(p.administrator)
    url = reverse("partnership:agency", args=[p.police.pk])
    response = client.post(url, {"form": "team", "team-name": "Missing from home team", "team-handles_missing": "on"})
    assert response.status_code == 302
    team = p.police.teams.get()
    assert team.handles_missing
    client.post(url, {"form": "team_missing", "team": team.pk, "handles_missing": "0"})
    team.refresh_from_db()
    assert not team.handles_missing and team.history.count() == 2
    assert "Make it a missing team" in client.get(url).content.decode()
    client.force_login(p.police_officer)
    assert client.post(url, {"form": "team_missing", "team": team.pk, "handles_missing": "1"}).status_code in (403, 404)
    team.refresh_from_db()
    assert not team.handles_missing
