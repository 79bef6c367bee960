"""Walk every URL pattern: anonymous users are sent to sign in, and users of an agency that is
not involved with a child are told it is not found, on pages and the API alike."""

import datetime as dt

import pytest
from django.utils import timezone
from django.urls import URLPattern, URLResolver, get_resolver

from lantern.children import services
from lantern.children.models import IdentifierKind
from lantern.children.tests.factories import register_child
from lantern.core.dates import local_today
from lantern.education import services as education
from lantern.meetings import services as meetings
from lantern.network import services as network
from lantern.network.models import LinkType
from lantern.plans import services as plans
from lantern.plans.models import LinkedPlanKind, ServiceKind
from lantern.transitions import services as transitions
from lantern.meetings.tests.factories import arrange, discuss
from lantern.missing.tests.factories import at, record_episode
from lantern.referrals.tests.factories import refer
from lantern.risk.services import submit_screening

# Route parameters that name a child or a record about one: such pages are "not found" to
# anyone who may not see the child.
CHILD_KEYS = ("child_id", "referral_id", "screening_id", "episode_id", "timetable_id", "cme_report_id", "meeting_id", "item_id", "action_id", "share_id",
              "linked_id", "service_id", "placement_id")
PUBLIC = {"login", "password_reset", "password_reset_done", "password_reset_confirm", "password_reset_complete", "healthz"}


def _patterns(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield (f"{namespace}{entry.name}" if entry.name else None), prefix + str(entry.pattern)


def _fill(route: str, values: dict) -> str:
    import re

    def replace(match):
        name = match.group(2) or match.group(3)
        return str(values[name])

    # Converters like <int:child_id>, and DRF's regex groups like (?P<pk>[^/.]+)
    url = re.sub(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]+\)|\(\?P<(\w+)>[^)]*\)", lambda m: str(values[m.group(1) or m.group(2) or m.group(3)]), route)
    url = url.replace("^", "").replace("$", "").replace("\\.", ".")
    url = re.sub(r"\(\?P<format>[^)]*\)\??", "", url)
    return "/" + url.lstrip("/")


@pytest.fixture
def world(partnership):
    p = partnership
    child = register_child(by=p.school_lead, identifiers=[(IdentifierKind.NHS, "943 476 5919")])
    involvement = services.add_involvement(by=p.school_lead, child=child, agency=p.health, role="Nurse")
    grant = services.request_break_glass(
        by=p.social_worker, identifier_kind=IdentifierKind.NHS, identifier_value="9434765919",
        date_of_birth=child.date_of_birth, reason="A test of emergency access, long enough",
    ).grant
    membership = p.nurse.memberships.get()
    referral = refer(by=p.school_lead, child=child)
    screening = submit_screening(by=p.school_lead, child=child, indicators=[])
    episode = record_episode(by=p.school_lead, child=child, started_at=at(2026, 2, 1, 20), returned_at=at(2026, 2, 2, 8))
    today = local_today()
    education.record_provision(by=p.school_lead, child=child, status="on_roll", school=p.school, setting="school", started_on=today)
    education.record_absence(by=p.school_lead, child=child, absent_on=today, sessions=2, authorised=False, reason="Not known")
    timetable = education.start_part_time_timetable(by=p.school_lead, child=child, started_on=today, hours_per_week=15,
                                                    reason="Phased return", review_on=today)
    cme_report = education.report_missing_education(by=p.school_lead, child=child, reported_on=today, details="Not seen")
    # A meeting about the child, discussed and closed: the school received its minutes and owns an action.
    meeting = arrange(by=p.chair, starts_at=timezone.now() - dt.timedelta(hours=2))
    item = meetings.add_child_item(by=p.chair, meeting=meeting, child=child)
    discuss(by=p.chair, item=item, owner=p.school_lead, agency=p.school)
    meetings.close_meeting(by=p.chair, meeting=meeting)
    share = meeting.releases.get().shares.get(agency=p.school)
    # The child's plan, with an action, a linked plan and a service it relies on.
    plan = plans.start_plan(by=p.school_lead, child=child)
    plan = plans.update_plan(by=p.school_lead, plan=plan, expected_version=plan.version, worries="Seen with older males", aims="Safe at home")
    plan_action = plans.add_action(by=p.school_lead, plan=plan, description="Weekly check-in", owner=p.school_lead, agency=p.school,
                                   due_on=today + dt.timedelta(days=14), outcome="Names a trusted adult")
    plans.add_contingency(by=p.school_lead, plan=plan, trigger="Goes missing", response="Call the police", agency=p.school, owner=p.school_lead)
    linked = plans.link_plan(by=p.school_lead, plan=plan, kind=LinkedPlanKind.EHCP, agency=p.school, owner_name="SENCo",
                             next_review_on=today + dt.timedelta(days=30))
    service = plans.refer_to_service(by=p.school_lead, plan=plan, kind=ServiceKind.CAMHS, provider="Testshire CAMHS", referred_on=today, agency=p.school)
    plan.refresh_from_db()
    plans.activate_plan(by=p.school_lead, plan=plan, expected_version=plan.version, next_review_on=today + dt.timedelta(days=30))
    # A placement out of area (the hub records it for social care, which becomes involved).
    placement = transitions.record_out_of_area_placement(
        by=p.hub, child=child, placing_agency=p.social_care, host_authority="Westmarsh Borough Council",
        placement_area="Saltby", started_on=today, information_requested="Police intelligence", information_due_on=today,
    )
    # A person of concern the school has linked the child to.
    person = network.record_person(by=p.police_officer, name="Dev Madeup", guidance="Tell the police if they are seen together")
    network_link = network.link(by=p.school_lead, a=network.node_for_child(child), b=person.node, link_type=LinkType.SEEN_WITH,
                                source_evaluation="2", intelligence_assessment="C")
    return {
        "node_id": person.node_id, "link_id": network_link.pk,
        "meeting_id": meeting.pk, "item_id": item.pk, "action_id": item.actions.get().pk, "share_id": share.pk,
        "linked_id": linked.pk, "service_id": service.pk, "placement_id": placement.pk,
        "plans:": {"action_id": plan_action.pk},  # two apps name their action "action_id"
        "referral_id": referral.pk, "screening_id": screening.pk, "episode_id": episode.pk,
        "timetable_id": timetable.pk, "cme_report_id": cme_report.pk,
        "child_id": child.pk, "pk": child.pk, "identifier_id": child.identifiers.get().pk, "involvement_id": involvement.pk,
        "grant_id": grant.pk, "agency_id": p.school.pk, "membership_id": membership.pk, "uidb64": "MQ", "token": "set-password",
        "format": "json",
        # Audits name no child in their addresses: any ids do for the sign-in check.
        "case_pk": 1, "session_pk": 1, "question_id": "REF-01",
    }


def _values_for(name, values: dict) -> dict:
    """An app's own route values (world["plans:"]) over the shared ones."""
    app = f"{name.split(':')[0]}:" if name and ":" in name else ""
    return {**values, **values.get(app, {})}


def _urls(values):
    for name, route in _patterns():
        if "format" in route and "(?P<format>" in route:
            continue
        yield name, _fill(route, _values_for(name, values))


def test_every_url_sends_anonymous_users_to_sign_in(client, world):
    checked = 0
    for name, url in _urls(world):
        response = client.get(url)
        if name in PUBLIC or name == "logout":
            # Signing out is POST only; a GET is refused whoever asks.
            assert response.status_code in (200, 302, 405), (name, url, response.status_code)
            continue
        if url.startswith("/api/"):
            assert response.status_code in (401, 403), (name, url, response.status_code)
        else:
            assert response.status_code == 302, (name, url, response.status_code)
            assert response["Location"].startswith("/sign-in/"), (name, url, response["Location"])
        checked += 1
    assert checked >= 15


def test_every_child_url_is_not_found_for_an_uninvolved_agency(client, world, partnership):
    client.force_login(partnership.police_officer)
    routes = dict(_patterns())
    child_urls = [
        (name, url) for name, url in _urls(world)
        if any(key in routes.get(name, "") for key in CHILD_KEYS) or (name and name.startswith("api-children-detail"))
    ]
    assert len(child_urls) >= 8
    for name, url in child_urls:
        for method in ("get",) if url.startswith("/api/") else ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 404, (name, method, url, response.status_code)
            assert b"Tyler" not in response.content


def test_every_child_url_works_for_an_involved_agency(client, world, partnership):
    client.force_login(partnership.school_lead)
    for name, route in _patterns():
        if not any(key in route for key in CHILD_KEYS):
            continue
        response = client.get(_fill(route, _values_for(name, world)))
        # POST-only actions send a GET back to the record; the full access log is for managers and
        # the hub; only the hub or a meeting chair decides a risk level.
        expected = {
            "children:make_lead": 302, "children:access_log": 404, "referrals:record_check": 302,
            "referrals:record_outcome": 302, "risk:decide": 403, "risk:confirm_referral": 302,
            # The world's episode has returned and no interview is offered yet: those forms send a GET back to it.
            "missing:record_return": 302, "missing:record_interview": 302,
            # Meetings: pages for those who run meetings are not found to an invited agency; POST-only
            # actions, and sending information once the meeting has closed, send a GET back to the record.
            "meetings:agenda": 404, "meetings:add_child": 404, "meetings:add_topic": 404, "meetings:invitations": 404,
            "meetings:cancel": 404, "meetings:minutes": 404, "meetings:minutes_docx": 404, "meetings:minutes_pdf": 404,
            "meetings:remove_item": 404, "meetings:decide": 404, "meetings:add_action": 404, "meetings:close_item": 404,
            "meetings:send_information": 302, "meetings:close": 302, "meetings:publish": 302, "meetings:reopen_item": 302,
            "meetings:acknowledge": 302,
            # Plans: the plan is already active; ending it is for managers, the hub and chairs.
            "plans:activate": 302, "plans:end_linked_plan": 302, "plans:end": 403,
            # Placements are recorded by social care and the hub; the world child is 14, too young for a transition plan.
            "transitions:record_placement": 403, "transitions:record_information": 403, "transitions:end_placement": 403,
            "transitions:plan": 302,
            # Supervision notes are for managers, the hub and the people in them.
            "contacts:supervision": 404, "contacts:record_supervision": 404,
            # The network view is for the police and the hub; any agency working with the child links it.
            "network:child_view": 404,
        }.get(name, 200)
        assert response.status_code == expected, (name, response.status_code)


def test_hub_and_administrator_pages_are_not_found_for_others(client, world, partnership):
    client.force_login(partnership.school_lead)
    for url in ["/children/emergency-access/report/", "/referrals/dashboard/", "/risk/catalogue/", f"/children/emergency-access/{world['grant_id']}/review/", "/partnership/",
                f"/partnership/agencies/{world['agency_id']}/", f"/partnership/roles/{world['membership_id']}/end/",
                "/network/", "/network/shared/", "/network/groups/", "/network/hotspots/", "/network/hotspots.csv", "/network/hotspots.geojson",
                f"/network/{world['node_id']}/", f"/network/{world['node_id']}/view/", f"/network/links/{world['link_id']}/end/"]:
        assert client.get(url).status_code == 404, url
