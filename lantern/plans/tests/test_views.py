"""The plan pages, as the agencies would use them in a browser."""

import datetime as dt
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lantern.children import services as child_services
from lantern.children.models import AccessLogEntry, IdentifierKind
from lantern.children.tests.factories import register_child
from lantern.core.concurrency import CONCURRENT_EDIT_MESSAGE
from lantern.core.dates import local_today
from lantern.plans import services
from lantern.plans.models import (
    ActionStatus, Contingency, Cover, Ending, LinkedPlan, LinkedPlanKind, Plan, PlanAction, PlanReview, PlanStatus, ServiceKind,
    ServiceReferral,
)
from lantern.plans.tests.factories import active_plan
from lantern.risk.tests.factories import NOW, decide, screen

ERROR_SUMMARY = "govuk-error-summary"


@pytest.fixture
def child(partnership):
    """A child social care and the school work with, at high risk of sexual exploitation."""
    p = partnership
    child = register_child(by=p.social_worker, first_name="Kira", last_name="Fictional")
    child_services.add_involvement(by=p.social_worker, child=child, agency=p.school, role="Designated safeguarding lead")
    screen(by=p.social_worker, child=child, indicators=[("SEX-02", NOW), ("EMO-01", NOW)])
    decide(by=p.hub, child=child, level="high")
    return child


@pytest.fixture
def plan(partnership, child):
    """Kira's active plan, with an action, a contingency, a linked plan and a service."""
    p = partnership
    plan = active_plan(by=p.social_worker, child=child, owner=p.social_worker, agency=p.social_care)
    services.link_plan(by=p.social_worker, plan=plan, kind=LinkedPlanKind.CHILD_PROTECTION, agency=p.social_care,
                       owner_name="Sally Worker", reference="CP-1", next_review_on=local_today() + dt.timedelta(days=20))
    services.refer_to_service(by=p.social_worker, plan=plan, kind=ServiceKind.CAMHS, provider="Testshire CAMHS",
                              referred_on=local_today() - dt.timedelta(days=3), agency=p.social_care)
    plan.refresh_from_db()
    return plan


def _login(client, user):
    client.force_login(user)
    return client


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _url(name, *args):
    return reverse(f"plans:{name}", args=args)


def _date(name: str, day: dt.date | None) -> dict:
    if day is None:
        return {f"{name}_0": "", f"{name}_1": "", f"{name}_2": ""}
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


def _pages(plan) -> list[tuple[str, str]]:
    child = plan.child
    action, linked, service = plan.actions.get(), plan.linked_plans.get(), plan.services.get()
    return [
        ("plan", _url("plan", child.pk)), ("edit", _url("edit", child.pk)), ("history", _url("history", child.pk)),
        ("add_action", _url("add_action", child.pk)), ("add_contingency", _url("add_contingency", child.pk)),
        ("add_cover", _url("add_cover", child.pk)), ("link_plan", _url("link_plan", child.pk)),
        ("refer_to_service", _url("refer_to_service", child.pk)), ("review", _url("review", child.pk)),
        ("edit_action", _url("edit_action", action.pk)), ("finish_action", _url("finish_action", action.pk)),
        ("update_service", _url("update_service", service.pk)), ("activate", _url("activate", child.pk)),
        ("end", _url("end", child.pk)), ("end_linked_plan", _url("end_linked_plan", linked.pk)),
    ]


# Who sees what ---------------------------------------------------------------------------------


@pytest.mark.parametrize("user", ["school_lead", "hub"])
def test_every_page_opens_for_an_involved_agency_and_the_hub(client, partnership, plan, user):
    _login(client, getattr(partnership, user))
    expected = {
        "activate": 302,  # the plan is already active
        "end_linked_plan": 302,  # POST only
        "end": 200 if user == "hub" else 403,  # a practitioner does not decide a step-down
    }
    for name, url in _pages(plan):
        response = client.get(url)
        assert response.status_code == expected.get(name, 200), (name, response.status_code)
        if response.status_code == 302:
            assert response["Location"] == _url("plan", plan.child.pk)
    assert AccessLogEntry.objects.filter(child=plan.child, user=getattr(partnership, user)).exists()


def test_every_page_is_not_found_for_an_uninvolved_agency_and_changes_nothing(client, partnership, plan):
    _login(client, partnership.police_officer)
    before = (PlanAction.objects.count(), Contingency.objects.count(), LinkedPlan.objects.filter(ended_on__isnull=True).count(),
              ServiceReferral.objects.count(), Plan.objects.get(pk=plan.pk).version)
    for name, url in _pages(plan):
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 404, (name, method, response.status_code)
            assert "Kira" not in _text(response)
    after = (PlanAction.objects.count(), Contingency.objects.count(), LinkedPlan.objects.filter(ended_on__isnull=True).count(),
             ServiceReferral.objects.count(), Plan.objects.get(pk=plan.pk).version)
    assert before == after


def test_emergency_access_reads_the_plan_but_cannot_change_it(client, partnership):
    p = partnership
    child = register_child(by=p.school_lead, identifiers=[(IdentifierKind.NHS, "943 476 5919")])
    plan = active_plan(by=p.school_lead, child=child, owner=p.school_lead, agency=p.school)
    child_services.request_break_glass(by=p.police_officer, identifier_kind=IdentifierKind.NHS, identifier_value="9434765919",
                                       date_of_birth=child.date_of_birth, reason="Found at 2am with older males; need the plan now")
    _login(client, p.police_officer)
    page = client.get(_url("plan", child.pk))
    assert page.status_code == 200 and "Weekly visits to talk about friendships" in _text(page)
    assert _url("edit", child.pk) not in _text(page) and _url("add_action", child.pk) not in _text(page)
    assert client.get(_url("edit", child.pk)).status_code == 403
    assert client.post(_url("add_action", child.pk), {"description": "Anything"}).status_code == 403
    assert client.post(_url("finish_action", plan.actions.get().pk), {"status": "done", "evidence": "x"}).status_code == 403
    assert plan.actions.get().status == ActionStatus.OPEN


def test_stepping_down_is_refused_to_a_practitioner_with_a_page_saying_who_decides(client, partnership, plan):
    _login(client, partnership.school_lead)
    response = client.get(_url("end", plan.child.pk))
    assert response.status_code == 403
    assert "manager" in _text(response)
    response = client.post(_url("end", plan.child.pk), {"kind": "close", "no_further_work": "on"})
    assert response.status_code == 403
    assert not Ending.objects.exists()
    # The plan page does not offer it either; a manager sees the button.
    assert "Step down or close" not in _text(client.get(_url("plan", plan.child.pk)))
    assert "Step down or close" in _text(_login(client, partnership.social_care_manager).get(_url("plan", plan.child.pk)))


# Starting, changing and activating the plan ----------------------------------------------------


def test_a_child_with_no_plan_is_offered_one_and_a_post_starts_it(client, partnership, child):
    _login(client, partnership.school_lead)
    page = client.get(_url("plan", child.pk))
    assert page.status_code == 200
    assert "has no multi-agency plan" in _text(page) and "Start a plan" in _text(page)
    response = client.post(_url("plan", child.pk))
    plan = Plan.objects.get(child=child)
    assert response.status_code == 302 and response["Location"] == _url("plan", child.pk)
    assert plan.status == PlanStatus.DRAFT and plan.created_by == partnership.school_lead
    page = client.get(_url("plan", child.pk))
    assert "started as a draft" in _text(page) and "Make the plan active" in _text(page)
    # A second plan is refused, with the reason in the error summary.
    response = client.post(_url("plan", child.pk))
    assert response.status_code == 200 and ERROR_SUMMARY in _text(response)
    assert "already has a plan" in _text(response)
    assert Plan.objects.filter(child=child).count() == 1


def test_changing_the_plan_saves_the_words(client, partnership, plan):
    _login(client, partnership.school_lead)
    form = client.get(_url("edit", plan.child.pk))
    assert "Seen with older males at the station" in _text(form)
    response = client.post(_url("edit", plan.child.pk), {
        "version": plan.version, "worries": "Seen with older males in cars", "aims": "Safe at home", "childs_words": "Leave me alone",
        "family_views": "Mum is worried",
    })
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.worries, plan.childs_words, plan.family_views) == ("Seen with older males in cars", "Leave me alone", "Mum is worried")
    assert "The plan has been saved" in _text(client.get(_url("plan", plan.child.pk)))


def test_changing_the_plan_with_bad_input_shows_the_errors_and_saves_nothing(client, partnership, plan):
    _login(client, partnership.school_lead)
    response = client.post(_url("edit", plan.child.pk), {"version": plan.version, "worries": " ", "aims": "", "childs_words": "x"})
    assert response.status_code == 200 and ERROR_SUMMARY in _text(response)
    assert "Enter what the agencies are worried about" in _text(response) and "Enter what needs to change for the child" in _text(response)
    assert Plan.objects.get(pk=plan.pk).version == plan.version


def test_a_stale_edit_is_refused_and_keeps_the_other_agencys_words(client, partnership, plan):
    p = partnership
    _login(client, p.school_lead)
    assert f'value="{plan.version}"' in _text(client.get(_url("edit", plan.child.pk)))
    # Social care saves first.
    loaded = Plan.objects.get(pk=plan.pk)
    services.update_plan(by=p.social_worker, plan=loaded, expected_version=loaded.version, worries="Social care's worries",
                         aims="Social care's aims")
    response = client.post(_url("edit", plan.child.pk), {
        "version": plan.version, "worries": "The school's worries", "aims": "The school's aims", "childs_words": "", "family_views": "",
    })
    assert response.status_code == 200 and ERROR_SUMMARY in _text(response)
    assert CONCURRENT_EDIT_MESSAGE in _text(response)
    assert "The school's worries" in _text(response)  # what the school typed is not lost
    assert "Social care's worries" in _text(response)  # and the saved words are shown beside it
    plan.refresh_from_db()
    assert (plan.worries, plan.aims, plan.version) == ("Social care's worries", "Social care's aims", loaded.version)


@pytest.mark.finding("F16")
def test_activating_needs_a_contingency_for_a_child_at_high_risk(client, partnership, child):
    p = partnership
    plan = services.start_plan(by=p.social_worker, child=child)
    plan = services.update_plan(by=p.social_worker, plan=plan, expected_version=plan.version, worries="Worries", aims="Aims")
    services.add_action(by=p.social_worker, plan=plan, description="Visit weekly", owner=p.social_worker, agency=p.social_care,
                        due_on=local_today() + dt.timedelta(days=7), outcome="Seen")
    linked = services.link_plan(by=p.social_worker, plan=plan, kind=LinkedPlanKind.CHILD_PROTECTION, agency=p.social_care,
                                owner_name="Sally", next_review_on=local_today() + dt.timedelta(days=25))
    plan.refresh_from_db()
    _login(client, p.school_lead)
    form = client.get(_url("activate", child.pk))
    assert form.status_code == 200
    assert f'value="{linked.next_review_on.day}"' in _text(form)  # the review date is suggested: with the linked plan's review
    data = {"version": plan.version, **_date("next_review_on", linked.next_review_on)}
    response = client.post(_url("activate", child.pk), data)
    assert response.status_code == 200 and ERROR_SUMMARY in _text(response)
    assert "add a contingency" in _text(response)
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.DRAFT

    services.add_contingency(by=p.school_lead, plan=plan, trigger="Goes missing from school", response="Call the police",
                             agency=p.school, owner=p.school_lead)
    response = client.post(_url("activate", child.pk), data)
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE and plan.next_review_on == linked.next_review_on
    assert client.get(_url("activate", child.pk)).status_code == 302  # no longer a draft


def test_activating_with_no_review_date_shows_the_error(client, partnership, child):
    plan = services.start_plan(by=partnership.social_worker, child=child)
    _login(client, partnership.social_worker)
    response = client.post(_url("activate", child.pk), {"version": plan.version, **_date("next_review_on", None)})
    assert response.status_code == 200 and "Enter the date of the next review" in _text(response)
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.DRAFT


# Actions ---------------------------------------------------------------------------------------


@pytest.mark.finding("F17")
def test_adding_an_action_against_the_childs_indicators(client, partnership, plan):
    p = partnership
    _login(client, p.school_lead)
    form = client.get(_url("add_action", plan.child.pk), {"indicator": "EMO-01"})
    assert form.status_code == 200
    page = _text(form)
    assert 'value="EMO-01" checked' in page and 'value="SEX-02">' in page  # both indicators, with their wording
    assert "Sam Lead (Testford Academy)" in page and "Paul Officer" not in page  # people of the agencies involved
    assert "Audrey Auditor" not in page  # who work with children
    due = local_today() + dt.timedelta(days=10)
    response = client.post(_url("add_action", plan.child.pk), {
        "description": "Safety plan for after school", "agency": p.school.pk, "owner": p.school_lead.pk, **_date("due_on", due),
        "outcome": "Collected from school each day", "indicator_ids": ["SEX-02", "EMO-01"],
    })
    assert response.status_code == 302
    action = PlanAction.objects.get(description="Safety plan for after school")
    assert (action.owner, action.agency, action.due_on, action.indicator_ids) == (p.school_lead, p.school, due, ["EMO-01", "SEX-02"])


def test_adding_an_action_with_bad_input_shows_the_errors_and_saves_nothing(client, partnership, plan):
    p = partnership
    _login(client, p.school_lead)
    count = PlanAction.objects.count()
    response = client.post(_url("add_action", plan.child.pk), {"description": "", **_date("due_on", None)})
    assert response.status_code == 200 and ERROR_SUMMARY in _text(response) and "Enter what needs to be done" in _text(response)
    # The service's check: the owner must work for the agency.
    response = client.post(_url("add_action", plan.child.pk), {
        "description": "Visit", "agency": p.school.pk, "owner": p.social_worker.pk, **_date("due_on", None),
    })
    assert response.status_code == 200 and "does not work for Testford Academy" in _text(response)
    response = client.post(_url("add_action", plan.child.pk), {"description": "Visit", **_date("due_on", None), "indicator_ids": ["CRIM-99"]})
    assert response.status_code == 200 and ERROR_SUMMARY in _text(response)
    assert PlanAction.objects.count() == count


def test_changing_and_finishing_an_action(client, partnership, plan):
    p = partnership
    action = plan.actions.get()
    _login(client, p.school_lead)
    due = local_today() + dt.timedelta(days=3)
    response = client.post(_url("edit_action", action.pk), {
        "version": action.version, "description": "Visit twice a week", "agency": p.social_care.pk, "owner": p.social_worker.pk,
        **_date("due_on", due), "outcome": "Names a trusted adult", "indicator_ids": ["SEX-02"],
    })
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.description, action.due_on, action.indicator_ids) == ("Visit twice a week", due, ["SEX-02"])
    # A stale version is refused.
    response = client.post(_url("edit_action", action.pk), {
        "version": action.version - 1, "description": "Something else", **_date("due_on", None),
    })
    assert response.status_code == 200 and CONCURRENT_EDIT_MESSAGE in _text(response)
    assert PlanAction.objects.get(pk=action.pk).description == "Visit twice a week"

    response = client.post(_url("finish_action", action.pk), {"status": ActionStatus.DONE, "evidence": ""})
    assert response.status_code == 200 and ERROR_SUMMARY in _text(response)
    assert PlanAction.objects.get(pk=action.pk).status == ActionStatus.OPEN
    response = client.post(_url("finish_action", action.pk), {"status": ActionStatus.DONE, "evidence": "Visited weekly since October"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE and action.status_recorded_by == p.school_lead
    page = _text(client.get(_url("plan", plan.child.pk)))
    assert "Finished actions (1)" in page and "Visited weekly since October" in page
    # A finished action can no longer be changed: its pages send you back to the plan.
    assert client.get(_url("edit_action", action.pk))["Location"] == _url("plan", plan.child.pk)
    assert client.get(_url("finish_action", action.pk)).status_code == 302


# The quality check (F14, F16, F17) ------------------------------------------------------------


@pytest.mark.finding("F14")
@pytest.mark.finding("F17")
def test_the_quality_check_shows_on_the_page_and_passes_when_complete(client, partnership, plan):
    p = partnership
    vague = services.add_action(by=p.social_worker, plan=plan, description="Keep an eye on things")
    _login(client, p.school_lead)
    page = _text(client.get(_url("plan", plan.child.pk)))
    assert "does not pass the quality check" in page
    assert "Keep an eye on things: add who owns it, the agency, a due date, the outcome it should achieve" in page
    assert _url("edit_action", vague.pk) in page
    assert "Indicators with no action against them" in page and f"{_url('add_action', plan.child.pk)}?indicator=SEX-02" in page

    vague.refresh_from_db()
    services.update_action(by=p.social_worker, action=vague, expected_version=vague.version, description="Refer to CAMHS",
                           owner=p.social_worker, agency=p.social_care, due_on=local_today() + dt.timedelta(days=7),
                           outcome="She has a CAMHS worker", indicator_ids=["EMO-01", "SEX-02"])
    page = _text(client.get(_url("plan", plan.child.pk)))
    assert "The plan passes the quality check" in page and "does not pass" not in page


@pytest.mark.finding("F16")
def test_the_quality_check_lists_a_missing_contingency(client, partnership, child):
    p = partnership
    services.start_plan(by=p.social_worker, child=child)
    _login(client, p.social_worker)
    page = _text(client.get(_url("plan", child.pk)))
    assert "No contingency" in page and _url("add_contingency", child.pk) in page
    assert "Review overdue" not in page


@pytest.mark.finding("F15")
def test_the_quality_check_lists_an_overdue_review(client, partnership, plan):
    # Time has passed: the review date set when the plan was made active is behind us.
    Plan.objects.filter(pk=plan.pk).update(next_review_on=local_today() - dt.timedelta(days=1))
    page = _text(_login(client, partnership.school_lead).get(_url("plan", plan.child.pk)))
    assert "Review overdue" in page and _url("review", plan.child.pk) in page


# Contingencies, cover, linked plans and services ------------------------------------------------


def test_adding_a_contingency_and_cover(client, partnership, plan):
    p = partnership
    _login(client, p.school_lead)
    response = client.post(_url("add_contingency", plan.child.pk), {"trigger": "", "response": "", "agency": "", "owner": ""})
    assert response.status_code == 200 and ERROR_SUMMARY in _text(response) and "Select who owns it" in _text(response)
    assert Contingency.objects.filter(plan=plan).count() == 1
    response = client.post(_url("add_contingency", plan.child.pk), {
        "trigger": "Not in school by 10am", "response": "Call the social worker and the police", "agency": p.school.pk, "owner": p.school_lead.pk,
    })
    assert response.status_code == 302
    page = _text(client.get(_url("plan", plan.child.pk)))
    assert "Not in school by 10am" in page and "Call the social worker and the police" in page

    start, end = local_today() + dt.timedelta(days=5), local_today() + dt.timedelta(days=2)
    bad = {**_date("starts_on", start), **_date("ends_on", end), "agency": p.social_care.pk, "usual_worker": p.social_worker.pk,
           "cover_worker": p.social_care_manager.pk, "arrangements": "Weekly visit"}
    response = client.post(_url("add_cover", plan.child.pk), bad)
    assert response.status_code == 200 and "The last day must be on or after the first" in _text(response)
    assert not Cover.objects.exists()
    response = client.post(_url("add_cover", plan.child.pk), {**bad, **_date("ends_on", start + dt.timedelta(days=10))})
    assert response.status_code == 302
    assert Cover.objects.get().cover_worker == p.social_care_manager


def test_linking_and_ending_a_linked_plan(client, partnership, plan):
    p = partnership
    _login(client, p.school_lead)
    response = client.post(_url("link_plan", plan.child.pk), {"kind": "", "agency": "", "owner_name": "", **_date("next_review_on", None)})
    assert response.status_code == 200 and ERROR_SUMMARY in _text(response) and "Select the kind of plan" in _text(response)
    assert "Enter the date of the plan's next review" in _text(response)
    response = client.post(_url("link_plan", plan.child.pk), {
        "kind": LinkedPlanKind.EHCP, "agency": p.school.pk, "owner_name": "SENCo", **_date("next_review_on", local_today() - dt.timedelta(days=1)),
    })
    assert response.status_code == 200 and "The date of the next review must be today or in the future" in _text(response)
    assert not LinkedPlan.objects.filter(kind=LinkedPlanKind.EHCP).exists()
    response = client.post(_url("link_plan", plan.child.pk), {
        "kind": LinkedPlanKind.EHCP, "agency": p.school.pk, "owner_name": "SENCo", "reference": "EHCP-9",
        **_date("next_review_on", local_today() + dt.timedelta(days=90)),
    })
    assert response.status_code == 302
    ehcp = LinkedPlan.objects.get(kind=LinkedPlanKind.EHCP)
    assert "EHCP-9" in _text(client.get(_url("plan", plan.child.pk)))
    # Ending is POST only: a GET goes back to the plan.
    assert client.get(_url("end_linked_plan", ehcp.pk))["Location"] == _url("plan", plan.child.pk)
    assert LinkedPlan.objects.get(pk=ehcp.pk).ended_on is None
    response = client.post(_url("end_linked_plan", ehcp.pk))
    assert response.status_code == 302
    assert LinkedPlan.objects.get(pk=ehcp.pk).ended_on == local_today()
    assert "is marked ended" in _text(client.get(_url("plan", plan.child.pk)))


@pytest.mark.finding("F21")
def test_referring_to_a_service_and_recording_its_start(client, partnership, plan):
    p = partnership
    _login(client, p.school_lead)
    response = client.post(_url("refer_to_service", plan.child.pk), {
        "kind": ServiceKind.THERAPY, "provider": "Talking Space", **_date("referred_on", local_today() + dt.timedelta(days=2)),
        "agency": p.school.pk,
    })
    assert response.status_code == 200 and "The referral date must be today or in the past" in _text(response)
    assert ServiceReferral.objects.count() == 1
    response = client.post(_url("refer_to_service", plan.child.pk), {
        "kind": ServiceKind.THERAPY, "provider": "Talking Space", **_date("referred_on", local_today()), "agency": p.school.pk,
    })
    assert response.status_code == 302
    service = ServiceReferral.objects.get(provider="Talking Space")
    blank = {**_date("accepted_on", None), **_date("started_on", None)}
    response = client.post(_url("update_service", service.pk), {**blank, **_date("ended_on", local_today()), "end_reason": ""})
    assert response.status_code == 200 and "Enter what happened" in _text(response)
    assert ServiceReferral.objects.get(pk=service.pk).ended_on is None
    response = client.post(_url("update_service", service.pk), {**blank, **_date("ended_on", None), **_date("started_on", local_today())})
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.started_on == local_today() and service.accepted_on == local_today()


# Reviews (F15, F39) ---------------------------------------------------------------------------


@pytest.mark.finding("F39")
def test_recording_a_review(client, partnership, plan):
    p = partnership
    _login(client, p.school_lead)
    form = client.get(_url("review", plan.child.pk))
    assert form.status_code == 200
    data = {**_date("reviewed_on", local_today()), "progress": "Attendance is up", "childs_words": "", "family_views": "",
            **_date("next_review_on", local_today() + dt.timedelta(days=200))}
    response = client.post(_url("review", plan.child.pk), data)
    assert response.status_code == 200 and ERROR_SUMMARY in _text(response)
    assert "Enter the child's own words" in _text(response)
    response = client.post(_url("review", plan.child.pk), {**data, "childs_words": "I like school", "family_views": "Mum agrees"})
    assert response.status_code == 200 and "within 3 months" in _text(response)
    assert not PlanReview.objects.exists()
    response = client.post(_url("review", plan.child.pk), {
        **data, "childs_words": "I like school", "family_views": "Mum agrees", **_date("next_review_on", local_today() + dt.timedelta(days=30)),
    })
    assert response.status_code == 302
    page = _text(client.get(_url("plan", plan.child.pk)))
    assert "I like school" in page and "Attendance is up" in page


def test_a_draft_plan_is_not_reviewed(client, partnership, child):
    services.start_plan(by=partnership.social_worker, child=child)
    _login(client, partnership.social_worker)
    assert client.get(_url("review", child.pk))["Location"] == _url("plan", child.pk)


# Step-down and closure (F41, F05) ------------------------------------------------------------------


CHECKLIST = {
    "reason": "Risk reduced over three reviews", "persons_confirmed": "on", "persons_of_concern": "None named in her records",
    "childs_views": "I don't need all these people now", "family_views": "Mum agrees", "rereferral_triggers": "Any missing episode",
    "actions_note": "",
}


@pytest.mark.finding("F41")
def test_stepping_down_needs_the_checklist_finished_actions_and_a_continuing_plan(client, partnership, plan):
    p = partnership
    _login(client, p.social_care_manager)
    form = client.get(_url("end", plan.child.pk))
    assert form.status_code == 200
    assert "1 action is still open" in _text(form) and "Child protection plan: Testshire Children's Social Care, Sally Worker" in _text(form)
    response = client.post(_url("end", plan.child.pk), {**CHECKLIST, "kind": "step_down", "childs_views": "", "continuing_plan": ""})
    assert response.status_code == 200 and ERROR_SUMMARY in _text(response)
    assert "Enter the child's views" in _text(response)
    response = client.post(_url("end", plan.child.pk), {**CHECKLIST, "kind": "step_down", "continuing_plan": ""})
    assert "still open" in _text(response) and "Choose the plan under which the remaining work continues" in _text(response)
    assert not Ending.objects.exists()

    services.finish_action(by=p.social_worker, action=plan.actions.get(), status=ActionStatus.HANDED_ON, evidence="To the CP plan")
    linked = plan.linked_plans.get()
    response = client.post(_url("end", plan.child.pk), {**CHECKLIST, "kind": "step_down", "continuing_plan": linked.pk})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.STEPPED_DOWN and Ending.objects.get().continuing_plan == linked
    page = _text(client.get(_url("plan", plan.child.pk)))
    assert "has stepped down" in page and "Step down to another plan" in page and "Any missing episode" in page
    assert "Start a new plan" in page


@pytest.mark.finding("F05")
def test_closing_the_record_with_no_further_work(client, partnership, child):
    _login(client, partnership.hub)
    response = client.post(_url("end", child.pk), {**CHECKLIST, "kind": "close"})
    assert response.status_code == 200 and "confirm that no agency continues any work" in _text(response)
    response = client.post(_url("end", child.pk), {**CHECKLIST, "kind": "close", "no_further_work": "on"})
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.closed_at is not None and Ending.objects.get().no_further_work
    page = _text(client.get(_url("plan", child.pk)))
    assert "record is closed" in page and "Start a plan" not in page
    assert client.get(_url("end", child.pk)).status_code == 302


# History and speed -------------------------------------------------------------------------------


def test_the_history_shows_who_changed_what(client, partnership, plan):
    p = partnership
    plan.refresh_from_db()
    services.update_plan(by=p.school_lead, plan=plan, expected_version=plan.version, worries="New worries", aims=plan.aims)
    _login(client, p.social_worker)
    response = client.get(_url("history", plan.child.pk))
    page = _text(response)
    assert response.status_code == 200
    assert page.index("The plan changed") < page.index("Plan started")  # newest first
    assert "New worries" in page and "Seen with older males at the station" in page
    assert re.search(r"The plan changed: [^<]*, by Sam Lead", page)
    assert re.search(r"Plan started: [^<]*, by Sally Worker", page)
    assert "Action added: Weekly visits to talk about friendships" in page and "Sally Worker" in page
    assert "Linked plan added: Child protection plan" in page
    assert AccessLogEntry.objects.filter(child=plan.child, purpose="history").exists()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_plan_page_makes_the_same_queries_for_one_action_or_ten(client, partnership, django_assert_max_num_queries):
    p = partnership
    small, big = (register_child(by=p.social_worker) for _ in range(2))
    for c in (small, big):
        screen(by=p.social_worker, child=c, indicators=[("SEX-02", NOW)])
    active_plan(by=p.social_worker, child=small, owner=p.social_worker, agency=p.social_care)
    plan = active_plan(by=p.social_worker, child=big, owner=p.social_worker, agency=p.social_care)
    for n in range(9):
        action = services.add_action(by=p.social_worker, plan=plan, description=f"Action {n}", owner=p.social_worker,
                                     agency=p.social_care, due_on=local_today() + dt.timedelta(days=n), outcome="Outcome",
                                     indicator_ids=["SEX-02"])
        if n % 3 == 0:
            services.finish_action(by=p.social_worker, action=action, status=ActionStatus.DONE, evidence="Done")
        services.add_contingency(by=p.social_worker, plan=plan, trigger=f"Trigger {n}", response="Respond", agency=p.social_care,
                                 owner=p.social_worker)
        services.link_plan(by=p.social_worker, plan=plan, kind=LinkedPlanKind.HEALTH, agency=p.health, owner_name=f"Nurse {n}",
                           next_review_on=local_today() + dt.timedelta(days=30 + n))
        services.refer_to_service(by=p.social_worker, plan=plan, kind=ServiceKind.OTHER, provider=f"Provider {n}",
                                  referred_on=local_today(), agency=p.social_care)
    assert plan.actions.count() == 10
    _login(client, p.social_worker)
    _queries(client, _url("plan", small.pk))  # prime the session
    one = _queries(client, _url("plan", small.pk))
    assert _queries(client, _url("plan", big.pk)) == one
    with django_assert_max_num_queries(one):
        client.get(_url("plan", big.pk))


@pytest.mark.finding("F41")
def test_the_closure_page_lists_the_persons_linked_to_the_child(client, partnership, child):
    from lantern.network import services as network
    from lantern.network.models import LinkType

    p = partnership
    person = network.record_person(by=p.police_officer, name="Dev Madeup", guidance="Tell the police if they are seen together")
    link = network.link(by=p.social_worker, a=network.node_for_child(child), b=person.node, link_type=LinkType.SEEN_WITH,
                        source_evaluation="2", intelligence_assessment="C")
    _login(client, p.social_care_manager)
    page = _text(client.get(_url("end", child.pk)))
    assert "Dev Madeup" in page and "Seen with" in page and "I have checked the persons of concern" in page
    assert "See the profile" not in page and "Only the police and the exploitation hub see the intelligence" in page
    data = {**CHECKLIST, "kind": "close", "no_further_work": "on", "persons_seen": str(person.node.pk)}
    response = client.post(_url("end", child.pk), {**data, "persons_confirmed": ""})
    assert response.status_code == 200 and "Confirm that you have checked the persons of concern" in _text(response)
    assert not Ending.objects.exists()
    client.logout()
    _login(client, p.hub)
    page = _text(client.get(_url("end", child.pk)))
    assert "See the profile" in page
    network.end_link(by=p.hub, link=link, reason="Wrong person")
    response = client.post(_url("end", child.pk), data)  # the page was opened before the link ended
    assert response.status_code == 200 and "have changed since you opened this page" in _text(response)
    assert 'name="persons_seen" value=""' in _text(response)  # the page shown again carries the links as they are now
    page = _text(client.get(_url("end", child.pk)))
    assert "No persons of concern are known" in page
    response = client.post(_url("end", child.pk), {**data, "persons_seen": ""})
    assert response.status_code == 302
    ending = Ending.objects.get()
    assert ending.no_persons_known and ending.linked_persons == []
    assert "None known, confirmed by" in _text(client.get(_url("plan", child.pk)))
