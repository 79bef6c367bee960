"""The child's plan through its services, as the agencies would use it."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lantern.children import services as child_services
from lantern.children.models import TimelineEvent
from lantern.children.tests.factories import register_child
from lantern.core.concurrency import ConcurrentEditError
from lantern.core.dates import local_today
from lantern.notifications.models import Notification
from lantern.plans import selectors, services
from lantern.plans.models import ActionStatus, EndingKind, LinkedPlanKind, Plan, PlanStatus, ServiceKind
from lantern.plans.tests.factories import active_plan
from lantern.risk.tests.factories import NOW, decide, screen
from lantern.standards.models import Alert
from lantern.standards.services import run_scan


@pytest.fixture
def child(partnership):
    """A child social care and the school work with, at high risk of sexual exploitation."""
    p = partnership
    child = register_child(by=p.social_worker, first_name="Kira", last_name="Fictional")
    child_services.add_involvement(by=p.social_worker, child=child, agency=p.school, role="Designated safeguarding lead")
    screen(by=p.social_worker, child=child, indicators=[("SEX-02", NOW), ("EMO-01", NOW)])
    decide(by=p.hub, child=child, level="high")
    return child


def _open(alerts, rule_id):
    return alerts.filter(rule_id=rule_id, resolved_at__isnull=True)


@pytest.mark.finding("F05")
@pytest.mark.finding("F12")
def test_one_plan_per_child_seen_and_followed_by_every_involved_agency(partnership, child):
    p = partnership
    run_scan()
    assert _open(Alert.objects, "F05.no-plan").filter(child=child).exists()
    plan = active_plan(by=p.social_worker, child=child, owner=p.social_worker, agency=p.social_care)
    # There is one plan: a second is refused (F13, "one pathway, one plan").
    with pytest.raises(ValidationError, match="already has a plan"):
        services.start_plan(by=p.school_lead, child=child)
    # The school adds to it, and social care is told (F12).
    services.add_action(by=p.school_lead, plan=plan, description="Keep her on a full timetable", owner=p.school_lead, agency=p.school,
                        due_on=local_today() + dt.timedelta(days=14), outcome="Attendance above 90%")
    assert Notification.objects.filter(recipient=p.social_worker, category="plan", subject__contains="has changed").exists()
    assert selectors.plan_page(p.school_lead, child)["plan"] == plan
    run_scan()
    assert not _open(Alert.objects, "F05.no-plan").filter(child=child).exists()
    # An agency not involved cannot change it.
    with pytest.raises(PermissionDenied):
        services.add_action(by=p.police_officer, plan=plan, description="Anything")


@pytest.mark.finding("F16")
def test_a_plan_for_a_child_at_high_risk_cannot_be_active_without_a_contingency(partnership, child):
    p = partnership
    plan = services.start_plan(by=p.social_worker, child=child)
    plan = services.update_plan(by=p.social_worker, plan=plan, expected_version=plan.version, worries="Worries", aims="Aims")
    services.add_action(by=p.social_worker, plan=plan, description="Visit", owner=p.social_worker, agency=p.social_care,
                        due_on=local_today() + dt.timedelta(days=7), outcome="Seen")
    with pytest.raises(ValidationError) as error:
        services.activate_plan(by=p.social_worker, plan=plan, expected_version=plan.version, next_review_on=local_today() + dt.timedelta(days=30))
    assert "contingency" in error.value.message_dict["contingencies"][0]
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    # A contingency needs an owner who works for the agency.
    with pytest.raises(ValidationError) as error:
        services.add_contingency(by=p.social_worker, plan=plan, trigger="Goes missing", response="Strategy discussion", agency=p.school, owner=p.social_worker)
    assert "does not work for" in error.value.message_dict["owner"][0]
    services.add_contingency(by=p.school_lead, plan=plan, trigger="Goes missing from school", response="Call the police and the social worker",
                             agency=p.school, owner=p.school_lead)
    services.activate_plan(by=p.social_worker, plan=plan, expected_version=plan.version, next_review_on=local_today() + dt.timedelta(days=30))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE


@pytest.mark.finding("F14")
@pytest.mark.finding("F17")
def test_the_quality_check_lists_incomplete_actions_and_indicators_with_no_action(partnership, child):
    p = partnership
    plan = active_plan(by=p.social_worker, child=child, owner=p.social_worker, agency=p.social_care)
    vague = services.add_action(by=p.social_worker, plan=plan, description="Keep an eye on things")
    page = selectors.plan_page(p.social_worker, child)
    check = page["check"]
    assert [(a.pk, gaps) for a, gaps in check.incomplete_actions] == [
        (vague.pk, ["who owns it", "the agency", "a due date", "the outcome it should achieve"])
    ]
    assert sorted(i.indicator_id for i in check.unaddressed_indicators) == ["EMO-01", "SEX-02"]
    assert not check.passes
    run_scan()
    assert _open(Alert.objects, "F14.plan-actions-incomplete").filter(child=child).exists()

    # Fill the gaps and address both indicators: the check passes.
    vague.refresh_from_db()
    services.update_action(by=p.social_worker, action=vague, expected_version=vague.version, description="Refer to CAMHS for self-harm",
                           owner=p.social_worker, agency=p.social_care, due_on=local_today() + dt.timedelta(days=7),
                           outcome="She has a CAMHS worker", indicator_ids=["EMO-01"])
    services.add_action(by=p.school_lead, plan=plan, description="Safety plan for after school", owner=p.school_lead, agency=p.school,
                        due_on=local_today() + dt.timedelta(days=7), outcome="Collected from school each day", indicator_ids=["SEX-02"])
    with pytest.raises(ValidationError):
        services.add_action(by=p.school_lead, plan=plan, description="x", indicator_ids=["CRIM-99"])  # not in her screenings
    assert selectors.plan_page(p.social_worker, child)["check"].passes
    run_scan()
    assert not _open(Alert.objects, "F14.plan-actions-incomplete").filter(child=child).exists()


@pytest.mark.finding("F13")
@pytest.mark.finding("F15")
def test_linked_plans_set_the_review_date_and_an_overdue_review_alerts(partnership, child):
    p = partnership
    plan = services.start_plan(by=p.social_worker, child=child)
    services.link_plan(by=p.social_worker, plan=plan, kind=LinkedPlanKind.CHILD_PROTECTION, agency=p.social_care,
                       owner_name="Sally Worker", next_review_on=local_today() + dt.timedelta(days=40))
    services.link_plan(by=p.school_lead, plan=plan, kind=LinkedPlanKind.EHCP, agency=p.school, owner_name="SENCo",
                       next_review_on=local_today() + dt.timedelta(days=200))
    # Reviewed with the child protection review, the earliest within 3 months.
    assert services.suggested_review_date(plan) == local_today() + dt.timedelta(days=40)
    assert len(selectors.plan_page(p.school_lead, child)["linked"]) == 2
    plan = active_plan(by=p.social_worker, child=register_child(by=p.social_worker), owner=p.social_worker, agency=p.social_care, review_in_days=1)
    with pytest.raises(ValidationError):
        services.activate_plan(by=p.social_worker, plan=plan, expected_version=plan.version, next_review_on=local_today())  # not a draft
    run_scan(today=local_today() + dt.timedelta(days=3))
    assert _open(Alert.objects, "F15.plan-review-overdue").filter(key=f"plan:{plan.pk}").exists()


@pytest.mark.finding("F13")
def test_a_linked_plan_needs_its_owner_and_next_review_date_and_bad_input_changes_nothing(partnership, child):
    p = partnership
    plan = services.start_plan(by=p.social_worker, child=child)
    events = TimelineEvent.objects.filter(child=child).count()
    with pytest.raises(ValidationError) as error:
        services.link_plan(by=p.social_worker, plan=plan, kind=LinkedPlanKind.CHILD_PROTECTION, agency=p.social_care, owner_name="  ",
                           next_review_on=None)
    assert error.value.message_dict == {
        "owner_name": ["Enter who owns the plan"],
        "next_review_on": ["Enter the date of the plan's next review. Ask its owner if you do not know it"],
    }
    with pytest.raises(ValidationError) as error:
        services.link_plan(by=p.social_worker, plan=plan, kind=LinkedPlanKind.CHILD_PROTECTION, agency=p.social_care,
                           owner_name="Sally Worker", next_review_on=local_today() - dt.timedelta(days=1))
    assert error.value.message_dict == {"next_review_on": ["The date of the next review must be today or in the future"]}
    assert not plan.linked_plans.exists()
    assert TimelineEvent.objects.filter(child=child).count() == events
    linked = services.link_plan(by=p.social_worker, plan=plan, kind=LinkedPlanKind.CHILD_PROTECTION, agency=p.social_care,
                                owner_name="Sally Worker", next_review_on=local_today())
    assert (linked.owner_name, linked.next_review_on) == ("Sally Worker", local_today())


@pytest.mark.finding("F39")
def test_each_review_records_the_childs_words_and_the_familys_views(partnership, child):
    p = partnership
    plan = active_plan(by=p.social_worker, child=child, owner=p.social_worker, agency=p.social_care)
    with pytest.raises(ValidationError) as error:
        services.review_plan(by=p.social_worker, plan=plan, reviewed_on=local_today(), progress="Better attendance", childs_words="",
                             family_views="", next_review_on=local_today() + dt.timedelta(days=30))
    assert set(error.value.message_dict) == {"childs_words", "family_views"}
    with pytest.raises(ValidationError) as error:
        services.review_plan(by=p.social_worker, plan=plan, reviewed_on=local_today(), progress="Better", childs_words="Fine",
                             family_views="Fine", next_review_on=local_today() + dt.timedelta(days=200))
    assert "within 3 months" in error.value.message_dict["next_review_on"][0]
    services.review_plan(by=p.social_worker, plan=plan, reviewed_on=local_today(), progress="Attendance is up to 85%",
                         childs_words="I like my new youth worker", family_views="Mum feels listened to",
                         next_review_on=local_today() + dt.timedelta(days=60))
    plan.refresh_from_db()
    assert plan.childs_words == "I like my new youth worker" and plan.next_review_on == local_today() + dt.timedelta(days=60)


@pytest.mark.finding("F21")
def test_an_action_stays_open_until_evidence_and_a_service_is_tracked_to_its_start(partnership, child):
    p = partnership
    plan = active_plan(by=p.social_worker, child=child, owner=p.social_worker, agency=p.social_care)
    action = plan.actions.get()
    with pytest.raises(ValidationError) as error:
        services.finish_action(by=p.social_worker, action=action, status=ActionStatus.DONE, evidence="")
    assert "evidence" in error.value.message_dict
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN
    services.finish_action(by=p.social_worker, action=action, status=ActionStatus.DONE, evidence="Visited weekly since 1 October; names her aunt")

    service = services.refer_to_service(by=p.social_worker, plan=plan, kind=ServiceKind.CAMHS, provider="Testshire CAMHS",
                                        referred_on=local_today() - dt.timedelta(weeks=7), agency=p.social_care)
    run_scan()
    assert _open(Alert.objects, "F21.service-not-started").filter(key=f"service:{service.pk}").exists()
    services.update_service(by=p.social_worker, service=service, started_on=local_today())
    run_scan()
    assert not _open(Alert.objects, "F21.service-not-started").exists()
    service.refresh_from_db()
    assert service.accepted_on == local_today()  # starting implies it was accepted


def test_two_agencies_editing_the_plan_at_once_lose_nothing(partnership, child):
    p = partnership
    plan = services.start_plan(by=p.social_worker, child=child)
    loaded_by_school = Plan.objects.get(pk=plan.pk)
    loaded_by_social_care = Plan.objects.get(pk=plan.pk)
    services.update_plan(by=p.social_worker, plan=loaded_by_social_care, expected_version=loaded_by_social_care.version,
                         worries="Older males", aims="Safe at home")
    with pytest.raises(ConcurrentEditError):
        services.update_plan(by=p.school_lead, plan=loaded_by_school, expected_version=loaded_by_school.version,
                             worries="Missing school", aims="Full timetable")
    plan.refresh_from_db()
    assert (plan.worries, plan.aims) == ("Older males", "Safe at home")
    assert plan.history.count() == 2  # created and the first edit; the refused one left no trace


@pytest.mark.finding("F41")
@pytest.mark.finding("F05")
def test_stepping_down_and_closing_need_the_checklist(partnership, child):
    p = partnership
    plan = active_plan(by=p.social_worker, child=child, owner=p.social_worker, agency=p.social_care)
    checklist = dict(reason="Risk reduced over three reviews", persons_confirmed=True, persons_of_concern="None named in her records",
                     childs_views="I don't need all these people now", family_views="Mum agrees", rereferral_triggers="Any missing episode")
    with pytest.raises(PermissionDenied):
        services.end_plan(by=p.social_worker, child=child, kind=EndingKind.STEP_DOWN, **checklist)  # a practitioner cannot
    with pytest.raises(ValidationError) as error:
        services.end_plan(by=p.social_care_manager, child=child, kind=EndingKind.STEP_DOWN, **{**checklist, "childs_views": ""})
    assert {"actions", "continuing_plan", "childs_views"} <= set(error.value.message_dict)
    assert "1 action is still open" in error.value.message_dict["actions"][0]

    services.finish_action(by=p.social_worker, action=plan.actions.get(), status=ActionStatus.HANDED_ON, evidence="To the early help worker")
    early_help = services.link_plan(by=p.social_worker, plan=plan, kind=LinkedPlanKind.EARLY_HELP, agency=p.school, owner_name="Early help lead",
                                    next_review_on=local_today() + dt.timedelta(days=30))
    ending = services.end_plan(by=p.social_care_manager, child=child, kind=EndingKind.STEP_DOWN, continuing_plan=early_help, **checklist)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.STEPPED_DOWN and ending.continuing_plan == early_help
    assert TimelineEvent.objects.filter(child=child, kind="plan_ended", summary__contains="early help").exists()
    run_scan()
    assert not _open(Alert.objects, "F05.no-plan").filter(child=child).exists()  # work continues under the early help plan
    # When the early help plan ends with the child still at risk, the gap shows (F05).
    services.end_linked_plan(by=p.school_lead, linked=early_help)
    run_scan()
    assert _open(Alert.objects, "F05.no-plan").filter(child=child).exists()

    # Closing the record: the checklist again, and either a continuing plan or no further work.
    with pytest.raises(ValidationError) as error:
        services.end_plan(by=p.hub, child=child, kind=EndingKind.CLOSE, **checklist)
    assert "no agency continues" in error.value.message_dict["continuing_plan"][0]
    services.end_plan(by=p.hub, child=child, kind=EndingKind.CLOSE, no_further_work=True, **checklist)
    child.refresh_from_db()
    assert child.closed_at is not None
    run_scan()
    assert not _open(Alert.objects, "F05.no-plan").filter(child=child).exists()  # closed records are not watched


@pytest.mark.finding("F41")
@pytest.mark.finding("F02")
def test_the_checklist_confirms_the_persons_of_concern_actually_linked_to_the_child(partnership, child):
    from lantern.network import services as network
    from lantern.network.models import LinkType

    p = partnership
    plan = active_plan(by=p.social_worker, child=child, owner=p.social_worker, agency=p.social_care)
    services.finish_action(by=p.social_worker, action=plan.actions.get(), status=ActionStatus.DONE, evidence="Visits held")
    checklist = dict(reason="Risk reduced", childs_views="I'm fine now", family_views="Mum agrees", rereferral_triggers="Any missing episode",
                     no_further_work=True)
    # No one linked: the worker must say that no one is known (or link them first).
    with pytest.raises(ValidationError) as error:
        services.end_plan(by=p.hub, child=child, kind=EndingKind.CLOSE, persons_of_concern="Nothing to add", **checklist)
    assert error.value.message_dict["persons_confirmed"] == [
        "Confirm that no persons of concern are known. If any are, link them to the child first"]

    # The school links a man she is seen with; the hub's closure page was opened before that.
    person = network.record_person(by=p.police_officer, name="Dev Madeup", guidance="Tell the police if they are seen together")
    network.link(by=p.school_lead, a=network.node_for_child(child), b=person.node, link_type=LinkType.SEEN_WITH,
                 source_evaluation="2", intelligence_assessment="C")
    with pytest.raises(ValidationError) as error:
        services.end_plan(by=p.hub, child=child, kind=EndingKind.CLOSE, persons_confirmed=True, persons_seen=[], **checklist)
    assert "have changed since you opened this page" in error.value.message_dict["persons_confirmed"][0]
    with pytest.raises(ValidationError) as error:
        services.end_plan(by=p.hub, child=child, kind=EndingKind.CLOSE, persons_seen=[person.node.pk], **checklist)
    assert error.value.message_dict["persons_confirmed"] == [
        "Confirm that you have checked the persons of concern linked to the child's record"]
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE and not child.endings.exists()

    ending = services.end_plan(by=p.hub, child=child, kind=EndingKind.CLOSE, persons_confirmed=True, persons_seen=[person.node.pk],
                               persons_of_concern="Police told of the closure", **checklist)
    assert ending.linked_persons == [{"node_id": person.node.pk, "name": "Dev Madeup", "link": "Seen with"}]
    assert not ending.no_persons_known and ending.persons_of_concern == "Police told of the closure"
    # The link is kept: it is there if the child comes back.
    assert [row.node for row in services.linked_persons_of_concern(p.hub, child)] == [person.node]
