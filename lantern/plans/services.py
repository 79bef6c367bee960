"""Every write to a child's plan. Keyword-only; each checks permission, validates (all problems
at once, nothing saved on error), writes in a transaction, keeps history, adds to the child's
timeline and tells every involved agency of a change to an active plan (F12)."""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from lantern.children import timeline
from lantern.children.models import Child, Involvement
from lantern.core.concurrency import save_versioned
from lantern.core.dates import local_today, long_date
from lantern.notifications.services import notify
from lantern.partnership.models import Agency, Membership
from lantern.partnership.selectors import case_workers
from lantern.risk.conf import add_months
from lantern.risk.models import EXPLOITATION_KINDS, Level
from lantern.risk.selectors import current_decisions

from .conf import plan_review_months
from .models import (
    LIVE_STATUSES, ActionStatus, Contingency, Cover, Ending, EndingKind, LinkedPlan, LinkedPlanKind, Plan, PlanAction, PlanReview,
    PlanStatus, ServiceKind, ServiceReferral,
)
from .rules import can_end_plan, can_work_on_plan

PLAN_CHANGED = timeline.register_kind("plan_changed", "Plan")
PLAN_ENDED = timeline.register_kind("plan_ended", "Step-down or closure")
CATEGORY = "plan"


def _text(value) -> str:
    return (value or "").strip()


def _may_work(by, child: Child) -> None:
    if by is None or not by.is_authenticated or not can_work_on_plan(by, child):
        raise PermissionDenied("Only an agency working with the child, the exploitation hub or a meeting chair can change the plan.")


def _live(plan: Plan) -> None:
    if not plan.is_live:
        raise ValidationError("This plan has ended. Start a new plan to change it")


def _plan_url(child: Child) -> str:
    return reverse("plans:plan", args=[child.pk])


def involved_case_workers(child: Child):
    return case_workers(Involvement.objects.filter(child=child, ended_on__isnull=True).values("agency_id"))


def _changed(*, by, plan: Plan, summary: str, detail: str = "") -> None:
    """Record a change on the child's timeline and, for an active plan, tell every involved agency (F12)."""
    timeline.record_event(child=plan.child, kind=PLAN_CHANGED.code, actor=by, summary=summary, detail=detail, url=_plan_url(plan.child))
    if plan.status == PlanStatus.ACTIVE:
        notify(
            recipients=involved_case_workers(plan.child), category=CATEGORY, child=plan.child, exclude=by, url=_plan_url(plan.child),
            subject="The plan of a child you work with has changed",
            body=f"{summary}. Changed by {by.full_name}. Open the plan to see it.",
        )


def _works_for(errors: dict, owner, agency, *, field: str = "owner") -> None:
    if owner is not None and agency is not None and not Membership.objects.filter(user=owner, agency=agency, ended_at__isnull=True).exists():
        errors[field] = f"{owner.full_name} does not work for {agency.name}. Choose someone who does"


def is_at_medium_or_high_risk(child: Child) -> bool:
    return current_decisions().filter(child=child, kind__in=EXPLOITATION_KINDS, level__in=(Level.MEDIUM, Level.HIGH)).exists()


def latest_review_date(today: dt.date | None = None) -> dt.date:
    return add_months(today or local_today(), plan_review_months())


# The plan -------------------------------------------------------------------------------------


@transaction.atomic
def start_plan(*, by, child: Child) -> Plan:
    """A draft plan for a child who has none."""
    _may_work(by, child)
    Child.objects.select_for_update().filter(pk=child.pk).values_list("pk", flat=True).first()
    if child.closed_at is not None:
        raise ValidationError(f"{child.display_name}'s record is closed")
    if Plan.objects.filter(child=child, status__in=LIVE_STATUSES).exists():
        raise ValidationError(f"{child.display_name} already has a plan. There is one plan per child: add to it")
    plan = Plan.objects.create(child=child, created_by=by)
    timeline.record_event(child=child, kind=PLAN_CHANGED.code, actor=by, summary="Plan started (draft)", url=_plan_url(child))
    return plan


@transaction.atomic
def update_plan(*, by, plan: Plan, expected_version: int, worries: str, aims: str, childs_words: str = "", family_views: str = "") -> Plan:
    """Change the plan's words. A second editor working from an older version is refused, and
    nothing of either edit is lost."""
    _may_work(by, plan.child)
    _live(plan)
    errors = {}
    if not _text(worries):
        errors["worries"] = "Enter what the agencies are worried about"
    if not _text(aims):
        errors["aims"] = "Enter what needs to change for the child"
    if errors:
        raise ValidationError(errors)
    plan.worries, plan.aims, plan.childs_words, plan.family_views = _text(worries), _text(aims), _text(childs_words), _text(family_views)
    plan._history_user = by
    save_versioned(plan, expected_version=expected_version)
    _changed(by=by, plan=plan, summary="Plan updated")
    return plan


@transaction.atomic
def activate_plan(*, by, plan: Plan, expected_version: int, next_review_on: dt.date | None) -> Plan:
    """Make a draft plan the child's active plan. It needs its words, at least one action and a
    review date within LANTERN_PLAN_REVIEW_MONTHS; for a child at medium or high risk, at least
    one contingency with an owner (F16)."""
    _may_work(by, plan.child)
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError("Only a draft plan can be made active")
    errors = {}
    if not plan.worries or not plan.aims:
        errors["worries"] = "Write what the agencies are worried about and what needs to change first"
    if not plan.actions.exclude(status=ActionStatus.NOT_NEEDED).exists():
        errors["actions"] = "Add at least one action first"
    if is_at_medium_or_high_risk(plan.child) and not plan.contingencies.filter(ended_at__isnull=True).exists():
        errors["contingencies"] = (
            "The child is at medium or high risk: add a contingency, saying what an agency will do if the risk rises, "
            "and who owns it, before the plan can be made active"
        )
    _check_review_date(errors, next_review_on)
    if errors:
        raise ValidationError(errors)
    plan.status, plan.activated_at, plan.activated_by, plan.next_review_on = PlanStatus.ACTIVE, timezone.now(), by, next_review_on
    plan._history_user = by
    save_versioned(plan, expected_version=expected_version)
    _changed(by=by, plan=plan, summary=f"Plan made active; next review by {long_date(next_review_on)}")
    return plan


def _check_review_date(errors: dict, next_review_on: dt.date | None, *, field: str = "next_review_on") -> None:
    today = local_today()
    if next_review_on is None:
        errors[field] = "Enter the date of the next review"
    elif next_review_on < today:
        errors[field] = "The next review must be today or later"
    elif next_review_on > latest_review_date(today):
        errors[field] = f"The next review must be within {plan_review_months()} months"


def suggested_review_date(plan: Plan) -> dt.date:
    """The next review: with the earliest linked statutory review within the limit, or at the limit (F15)."""
    limit = latest_review_date()
    linked = [lp.next_review_on for lp in plan.linked_plans.filter(ended_on__isnull=True, next_review_on__isnull=False)]
    candidates = [d for d in linked if local_today() <= d <= limit]
    return min(candidates) if candidates else limit


# Actions (F14, F17, F21) ----------------------------------------------------------------------


def _action_errors(plan: Plan, *, description, owner, agency, indicator_ids) -> dict:
    errors = {}
    if not _text(description):
        errors["description"] = "Enter what needs to be done"
    _works_for(errors, owner, agency)
    if indicator_ids:
        from .selectors import indicators_seen

        seen = {i.indicator_id for i in indicators_seen(plan.child)}
        if set(indicator_ids) - seen:
            errors["indicator_ids"] = "Choose indicators from the child's latest screenings"
    return errors


@transaction.atomic
def add_action(
    *, by, plan: Plan, description: str, owner=None, agency: Agency | None = None, due_on: dt.date | None = None,
    outcome: str = "", indicator_ids: Iterable[str] = (),
) -> PlanAction:
    """An action. Owner, agency, due date and outcome may be filled in later, but the quality
    check lists every action without them (F14)."""
    _may_work(by, plan.child)
    _live(plan)
    indicator_ids = sorted(set(indicator_ids or ()))
    errors = _action_errors(plan, description=description, owner=owner, agency=agency, indicator_ids=indicator_ids)
    if errors:
        raise ValidationError(errors)
    action = PlanAction.objects.create(
        plan=plan, description=_text(description), owner=owner, agency=agency, due_on=due_on, outcome=_text(outcome),
        indicator_ids=indicator_ids, created_by=by,
    )
    _changed(by=by, plan=plan, summary=f"Action added: {action.description[:120]}")
    if owner is not None and owner != by:
        notify(recipients=[owner], category=CATEGORY, child=plan.child, url=_plan_url(plan.child), exclude=by,
               subject="You own an action in a child's plan", body="An action in a multi-agency plan is yours. Open the plan to see it.")
    return action


@transaction.atomic
def update_action(
    *, by, action: PlanAction, expected_version: int, description: str, owner=None, agency: Agency | None = None,
    due_on: dt.date | None = None, outcome: str = "", indicator_ids: Iterable[str] = (),
) -> PlanAction:
    _may_work(by, action.plan.child)
    _live(action.plan)
    if action.status != ActionStatus.OPEN:
        raise ValidationError("This action is finished and can no longer be changed")
    indicator_ids = sorted(set(indicator_ids or ()))
    errors = _action_errors(action.plan, description=description, owner=owner, agency=agency, indicator_ids=indicator_ids)
    if errors:
        raise ValidationError(errors)
    action.description, action.owner, action.agency, action.due_on = _text(description), owner, agency, due_on
    action.outcome, action.indicator_ids = _text(outcome), indicator_ids
    action._history_user = by
    save_versioned(action, expected_version=expected_version)
    _changed(by=by, plan=action.plan, summary=f"Action changed: {action.description[:120]}")
    return action


@transaction.atomic
def finish_action(*, by, action: PlanAction, status: str, evidence: str) -> PlanAction:
    """Mark an action done (with the evidence that it is: F21), handed on, or no longer needed."""
    _may_work(by, action.plan.child)
    _live(action.plan)
    if action.status != ActionStatus.OPEN:
        raise ValidationError("This action is already finished")
    if status not in (ActionStatus.DONE, ActionStatus.HANDED_ON, ActionStatus.NOT_NEEDED):
        raise ValidationError({"status": "Choose done, handed on or no longer needed"})
    if not _text(evidence):
        raise ValidationError({"evidence": {
            ActionStatus.DONE: "Enter the evidence that the action is done, for example the date the child started therapy",
            ActionStatus.HANDED_ON: "Enter who the action was handed on to, and under which plan",
            ActionStatus.NOT_NEEDED: "Enter why the action is no longer needed",
        }[status]})
    action.status, action.evidence, action.status_recorded_at, action.status_recorded_by = status, _text(evidence), timezone.now(), by
    action._history_user = by
    action.save()
    _changed(by=by, plan=action.plan, summary=f"Action {action.get_status_display().lower()}: {action.description[:120]}", detail=action.evidence)
    return action


# Contingencies (F16) and cover (F20) ------------------------------------------------------------


@transaction.atomic
def add_contingency(*, by, plan: Plan, trigger: str, response: str, agency: Agency | None, owner) -> Contingency:
    _may_work(by, plan.child)
    _live(plan)
    errors = {}
    if not _text(trigger):
        errors["trigger"] = "Enter what would show the risk is rising, for example a new missing episode"
    if not _text(response):
        errors["response"] = "Enter what the agency will do"
    if agency is None:
        errors["agency"] = "Choose the agency"
    if owner is None:
        errors["owner"] = "Choose who owns it"
    _works_for(errors, owner, agency)
    if errors:
        raise ValidationError(errors)
    contingency = Contingency.objects.create(plan=plan, trigger=_text(trigger), response=_text(response), agency=agency, owner=owner, created_by=by)
    _changed(by=by, plan=plan, summary=f"Contingency added for {agency.name}: if {contingency.trigger}")
    return contingency


@transaction.atomic
def add_cover(
    *, by, plan: Plan, starts_on: dt.date | None, ends_on: dt.date | None, usual_worker, cover_worker, agency: Agency | None,
    arrangements: str = "",
) -> Cover:
    """Who sees the child while the usual worker is away (F20)."""
    _may_work(by, plan.child)
    _live(plan)
    errors = {}
    if starts_on is None:
        errors["starts_on"] = "Enter the first day of the absence"
    if ends_on is None:
        errors["ends_on"] = "Enter the last day of the absence"
    elif starts_on is not None and ends_on < starts_on:
        errors["ends_on"] = "The last day must be on or after the first"
    if agency is None:
        errors["agency"] = "Choose the agency"
    for field, person in (("usual_worker", usual_worker), ("cover_worker", cover_worker)):
        if person is None:
            errors[field] = "Choose the worker" if field == "usual_worker" else "Choose who will see the child"
        else:
            _works_for(errors, person, agency, field=field)
    if usual_worker is not None and usual_worker == cover_worker:
        errors["cover_worker"] = "Choose someone other than the usual worker"
    if errors:
        raise ValidationError(errors)
    cover = Cover.objects.create(plan=plan, starts_on=starts_on, ends_on=ends_on, usual_worker=usual_worker, cover_worker=cover_worker,
                                 agency=agency, arrangements=_text(arrangements), created_by=by)
    _changed(by=by, plan=plan, summary=f"Cover from {long_date(starts_on)} to {long_date(ends_on)}: {cover_worker.full_name} sees the child")
    if cover_worker != by:
        notify(recipients=[cover_worker], category=CATEGORY, child=plan.child, url=_plan_url(plan.child), exclude=by,
               subject=f"You are covering for a colleague from {long_date(starts_on)}",
               body="You are named in a child's plan to see them while their usual worker is away. Open the plan to see the arrangements.")
    return cover


# Linked plans (F13) and services (F21) --------------------------------------------------------


@transaction.atomic
def link_plan(
    *, by, plan: Plan, kind: str, agency: Agency | None, owner_name: str, next_review_on: dt.date | None, reference: str = "",
) -> LinkedPlan:
    """Link another plan for the child (F13): who owns it and when it is next reviewed are both
    needed, so that this plan can be reviewed with it (F15)."""
    _may_work(by, plan.child)
    _live(plan)
    errors = {}
    if kind not in LinkedPlanKind.values:
        errors["kind"] = "Choose the kind of plan"
    if agency is None:
        errors["agency"] = "Choose the agency that owns the plan"
    if not _text(owner_name):
        errors["owner_name"] = "Enter who owns the plan"
    if next_review_on is None:
        errors["next_review_on"] = "Enter the date of the plan's next review. Ask its owner if you do not know it"
    elif next_review_on < local_today():
        errors["next_review_on"] = "The date of the next review must be today or in the future"
    if errors:
        raise ValidationError(errors)
    linked = LinkedPlan.objects.create(plan=plan, kind=kind, agency=agency, owner_name=_text(owner_name), reference=_text(reference),
                                       next_review_on=next_review_on, recorded_by=by)
    _changed(by=by, plan=plan, summary=f"Linked to the {linked.get_kind_display().lower()} ({agency.name})")
    return linked


@transaction.atomic
def end_linked_plan(*, by, linked: LinkedPlan, ended_on: dt.date | None = None) -> LinkedPlan:
    _may_work(by, linked.plan.child)
    if linked.ended_on is not None:
        raise ValidationError(f"The {linked.get_kind_display().lower()} has already ended")
    linked.ended_on = ended_on or local_today()
    linked._history_user = by
    linked.save()
    _changed(by=by, plan=linked.plan, summary=f"The {linked.get_kind_display().lower()} has ended")
    return linked


@transaction.atomic
def refer_to_service(*, by, plan: Plan, kind: str, provider: str, referred_on: dt.date | None, agency: Agency | None) -> ServiceReferral:
    """A service the plan relies on, from the day it was asked for (F21)."""
    _may_work(by, plan.child)
    _live(plan)
    errors = {}
    if kind not in ServiceKind.values:
        errors["kind"] = "Choose the service"
    if not _text(provider):
        errors["provider"] = "Enter who provides the service"
    if referred_on is None:
        errors["referred_on"] = "Enter the date of the referral"
    elif referred_on > local_today():
        errors["referred_on"] = "The referral date must be today or in the past"
    if agency is None:
        errors["agency"] = "Choose the agency that referred"
    if errors:
        raise ValidationError(errors)
    service = ServiceReferral.objects.create(plan=plan, kind=kind, provider=_text(provider), referred_on=referred_on,
                                             referred_by_agency=agency, recorded_by=by)
    _changed(by=by, plan=plan, summary=f"Referred to {service.get_kind_display().lower()} ({service.provider})")
    return service


@transaction.atomic
def update_service(
    *, by, service: ServiceReferral, accepted_on: dt.date | None = None, started_on: dt.date | None = None,
    ended_on: dt.date | None = None, end_reason: str = "",
) -> ServiceReferral:
    """Record that the service accepted, started or ended (declined, or finished)."""
    _may_work(by, service.plan.child)
    errors = {}
    today = local_today()
    for field, value in (("accepted_on", accepted_on), ("started_on", started_on), ("ended_on", ended_on)):
        if value is not None and value > today:
            errors[field] = "The date must be today or in the past"
        elif value is not None and value < service.referred_on:
            errors[field] = "The date must be on or after the referral"
    if started_on is not None and accepted_on is None and service.accepted_on is None:
        accepted_on = started_on
    if ended_on is not None and not _text(end_reason):
        errors["end_reason"] = "Enter what happened: declined, not accepted, or finished"
    if errors:
        raise ValidationError(errors)
    service.accepted_on = accepted_on or service.accepted_on
    service.started_on = started_on or service.started_on
    service.ended_on, service.end_reason = ended_on or service.ended_on, _text(end_reason) or service.end_reason
    service._history_user = by
    service.save()
    state = "ended" if service.ended_on else "started" if service.started_on else "accepted" if service.accepted_on else "updated"
    _changed(by=by, plan=service.plan, summary=f"{service.get_kind_display()} ({service.provider}) {state}")
    return service


# Reviews (F15, F39) ----------------------------------------------------------------------------


@transaction.atomic
def review_plan(
    *, by, plan: Plan, reviewed_on: dt.date | None, progress: str, childs_words: str, family_views: str, next_review_on: dt.date | None,
) -> PlanReview:
    """A review, with the child's own words and the family's views (F39), and the next review
    within LANTERN_PLAN_REVIEW_MONTHS (F15)."""
    _may_work(by, plan.child)
    if plan.status != PlanStatus.ACTIVE:
        raise ValidationError("Only an active plan is reviewed")
    errors = {}
    if reviewed_on is None:
        errors["reviewed_on"] = "Enter the date of the review"
    elif reviewed_on > local_today():
        errors["reviewed_on"] = "The review date must be today or in the past"
    if not _text(progress):
        errors["progress"] = "Enter what has changed since the plan was made or last reviewed"
    if not _text(childs_words):
        errors["childs_words"] = "Enter the child's own words. If the child would not take part, say so and why"
    if not _text(family_views):
        errors["family_views"] = "Enter the family's views. If they were not sought, say why"
    _check_review_date(errors, next_review_on)
    if errors:
        raise ValidationError(errors)
    review = PlanReview.objects.create(plan=plan, reviewed_on=reviewed_on, reviewed_by=by, progress=_text(progress),
                                       childs_words=_text(childs_words), family_views=_text(family_views), next_review_on=next_review_on)
    # The plan carries the review's date and voices forward, as a new version (an edit form opened
    # before the review is then refused rather than saving over them).
    plan.refresh_from_db()
    plan.next_review_on, plan.childs_words, plan.family_views = next_review_on, review.childs_words, review.family_views
    plan._history_user = by
    save_versioned(plan, expected_version=plan.version)
    _changed(by=by, plan=plan, summary=f"Plan reviewed; next review by {long_date(next_review_on)}", detail=review.progress)
    return review


# Step-down and closure (F41, F05) ---------------------------------------------------------------


def linked_persons_of_concern(user, child: Child) -> list:
    """The persons of concern linked to the child in the network now, one row per live link
    (`node`, `link`, `guidance`), as the network shows them to `user` on the child's page (F02,
    F41). Two queries."""
    from lantern.network.models import NodeKind
    from lantern.network.selectors import child_links_section

    return [row for row in child_links_section(user, child)["links"] if row.node.kind == NodeKind.PERSON]


@transaction.atomic
def end_plan(
    *, by, child: Child, kind: str, reason: str, childs_views: str, family_views: str, rereferral_triggers: str,
    persons_confirmed: bool = False, persons_seen: Iterable[int] | None = None, persons_of_concern: str = "",
    actions_note: str = "", continuing_plan: LinkedPlan | None = None, no_further_work: bool = False,
) -> Ending:
    """Step a child down to another plan, or close their record, with the transition checklist
    kept beside it (F41). Every action must be done, handed on or no longer needed first; the
    plan under which any remaining work continues is named (F05).

    The persons of concern are those linked to the child in the network: the worker confirms
    them (`persons_confirmed`), or, when none is linked, confirms that none are known. They are
    kept with the decision. `persons_seen` (the ids of the persons shown to the worker) is
    compared with the links as they are now, so a link added or ended meanwhile is not
    confirmed unseen. `persons_of_concern` is free text for notes."""
    if by is None or not by.is_authenticated or not can_end_plan(by, child):
        raise PermissionDenied("Only the exploitation hub, a meeting chair or a manager of an agency working with the child can do this.")
    Child.objects.select_for_update().filter(pk=child.pk).values_list("pk", flat=True).first()
    child.refresh_from_db()
    if child.closed_at is not None:
        raise ValidationError(f"{child.display_name}'s record is already closed")
    plan = Plan.objects.filter(child=child, status__in=LIVE_STATUSES).first()
    errors = {}
    if kind not in EndingKind.values:
        errors["kind"] = "Choose whether the child steps down to another plan or their record closes"
    if kind == EndingKind.STEP_DOWN and plan is None:
        errors["kind"] = "The child has no plan to step down from"
    for field, value, message in (
        ("reason", reason, "Enter why"),
        ("childs_views", childs_views, "Enter the child's views. If the child would not give them, say so and why"),
        ("family_views", family_views, "Enter the family's views. If they were not sought, say why"),
        ("rereferral_triggers", rereferral_triggers, "Enter what should bring the child back to the partnership's attention"),
    ):
        if not _text(value):
            errors[field] = message
    persons = linked_persons_of_concern(by, child)
    linked_ids = sorted({row.node.pk for row in persons})
    if persons_seen is not None and sorted(set(persons_seen)) != linked_ids:
        errors["persons_confirmed"] = ("The persons of concern linked to the child have changed since you opened this page. "
                                       "Check them again and confirm")
    elif not persons_confirmed:
        errors["persons_confirmed"] = (
            "Confirm that you have checked the persons of concern linked to the child's record" if persons
            else "Confirm that no persons of concern are known. If any are, link them to the child first"
        )
    if plan is not None:
        open_actions = list(plan.actions.filter(status=ActionStatus.OPEN).order_by("due_on", "id"))
        if open_actions:
            names = "; ".join(a.description[:60] for a in open_actions[:3]) + ("…" if len(open_actions) > 3 else "")
            errors["actions"] = f"{len(open_actions)} action{'s are' if len(open_actions) != 1 else ' is'} still open: complete or hand on each first ({names})"
    if continuing_plan is not None and (plan is None or continuing_plan.plan_id != plan.pk or continuing_plan.ended_on is not None):
        errors["continuing_plan"] = "Choose one of the child's current linked plans"
    if kind == EndingKind.STEP_DOWN and continuing_plan is None:
        errors["continuing_plan"] = "Choose the plan under which the remaining work continues. Link it to this plan first if it is not listed"
    if kind == EndingKind.CLOSE and continuing_plan is None and not no_further_work:
        errors["continuing_plan"] = "Choose the plan under which any remaining work continues, or confirm that no agency continues any work"
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    ending = Ending.objects.create(
        plan=plan, child=child, kind=kind, decided_by=by, decided_at=now, reason=_text(reason), actions_note=_text(actions_note),
        persons_of_concern=_text(persons_of_concern), childs_views=_text(childs_views), family_views=_text(family_views),
        linked_persons=[{"node_id": row.node.pk, "name": row.node.label, "link": row.link.get_link_type_display()} for row in persons],
        no_persons_known=not persons,
        rereferral_triggers=_text(rereferral_triggers), continuing_plan=continuing_plan, no_further_work=no_further_work and continuing_plan is None,
    )
    if plan is not None:
        plan.status = PlanStatus.STEPPED_DOWN if kind == EndingKind.STEP_DOWN else PlanStatus.CLOSED
        plan.ended_at = now
        plan._history_user = by
        plan.save()
    if kind == EndingKind.CLOSE:
        child.closed_at = now
        child._history_user = by
        child.save(update_fields=["closed_at", "updated_at"])
    continuing = f"; work continues under the {continuing_plan.get_kind_display().lower()}" if continuing_plan else "; no agency continues any work"
    summary = ("Stepped down" if kind == EndingKind.STEP_DOWN else "Record closed") + continuing
    timeline.record_event(child=child, kind=PLAN_ENDED.code, actor=by, summary=summary, detail=ending.reason, url=_plan_url(child))
    notify(
        recipients=involved_case_workers(child), category=CATEGORY, child=child, exclude=by, url=_plan_url(child),
        subject="A child you work with has stepped down" if kind == EndingKind.STEP_DOWN else "The record of a child you work with is closed",
        body=f"{summary}. Decided by {by.full_name}. Open the plan to see the checklist.",
    )
    return ending
