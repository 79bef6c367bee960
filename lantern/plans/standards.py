"""Rules of the standards engine that watch plans: a child at risk with no plan (F05), a review
overdue (F15), a plan with incomplete actions (F14), a plan for a child at medium or high risk
with no contingency (F16), indicators of the latest screenings with no action against them
(F17), and a service the plan relies on that has not started (F21)."""

import datetime as dt

from django.db.models import Exists, Min, OuterRef, Q

from lantern.core.dates import long_date
from lantern.risk.models import EXPLOITATION_KINDS, Level, Screening, ScreeningIndicator
from lantern.risk.selectors import current_decisions
from lantern.standards.models import Severity
from lantern.standards.registry import AlertSpec, rule

from .conf import service_start_weeks
from .models import ActionStatus, Contingency, Ending, Plan, PlanAction, PlanStatus, ServiceReferral

AT_RISK = (Level.LOW, Level.MEDIUM, Level.HIGH)


def _covered():
    """An EXISTS test for a child (OuterRef "child") with a plan: an active one, or a step-down to
    a linked plan that has not ended (F05)."""
    active = Plan.objects.filter(child=OuterRef("child"), status=PlanStatus.ACTIVE)
    stepped = Ending.objects.filter(child=OuterRef("child"), kind="step_down", continuing_plan__ended_on__isnull=True,
                                    plan__status=PlanStatus.STEPPED_DOWN)
    return Q(Exists(active)) | Q(Exists(stepped))


@rule(id="F05.no-plan", finding="F05", title="Child at risk has no active plan", severity=Severity.WARNING)
def no_plan(today):
    """An open child with a low, medium or high level and no active plan (nor a step-down to a
    plan that continues). Due the day the first such level was decided. One query."""
    rows = (
        current_decisions().filter(kind__in=EXPLOITATION_KINDS, level__in=AT_RISK, child__closed_at__isnull=True)
        .filter(~_covered()).values("child_id").annotate(since=Min("decided_at")).order_by("child_id").values_list("child_id", "since")
    )
    for child_id, since in rows:
        yield AlertSpec(
            key=f"child:{child_id}", child_id=child_id, due_on=since.date(),
            message="The child has a risk level but no active multi-agency plan. Start one, or make the draft active.",
        )


@rule(id="F15.plan-review-overdue", finding="F15", title="Plan review overdue", severity=Severity.WARNING)
def plan_review_overdue(today):
    rows = Plan.objects.filter(status=PlanStatus.ACTIVE, next_review_on__lt=today, child__closed_at__isnull=True).values_list("pk", "child_id", "next_review_on")
    for pk, child_id, review_on in rows:
        yield AlertSpec(key=f"plan:{pk}", child_id=child_id, due_on=review_on,
                        message=f"The plan's review was due by {long_date(review_on)}. Review it with the child and family.")


@rule(id="F14.plan-actions-incomplete", finding="F14", title="Plan actions without owner, agency, date or outcome")
def plan_actions_incomplete(today):
    gaps = Q(owner__isnull=True) | Q(agency__isnull=True) | Q(due_on__isnull=True) | Q(outcome="")
    rows = (
        PlanAction.objects.filter(gaps, status=ActionStatus.OPEN, plan__status=PlanStatus.ACTIVE, plan__child__closed_at__isnull=True)
        .values_list("plan_id", "plan__child_id").distinct().order_by("plan_id")
    )
    for plan_id, child_id in rows:
        yield AlertSpec(key=f"plan:{plan_id}", child_id=child_id,
                        message="Some of the plan's actions have no owner, agency, due date or outcome. Open the plan's quality check.")


@rule(id="F16.contingency-missing", finding="F16", title="No contingency for a child at medium or high risk", severity=Severity.URGENT)
def contingency_missing(today):
    at_risk = current_decisions().filter(child=OuterRef("child"), kind__in=EXPLOITATION_KINDS, level__in=(Level.MEDIUM, Level.HIGH))
    live = Contingency.objects.filter(plan=OuterRef("pk"), ended_at__isnull=True)
    rows = (
        Plan.objects.filter(status=PlanStatus.ACTIVE, child__closed_at__isnull=True).filter(Exists(at_risk)).exclude(Exists(live))
        .values_list("pk", "child_id")
    )
    for pk, child_id in rows:
        yield AlertSpec(key=f"plan:{pk}", child_id=child_id,
                        message="The child is at medium or high risk and the plan says nothing about what to do if the risk rises. "
                        "Add a contingency with an owner.")


@rule(id="F17.indicators-without-action", finding="F17", title="Indicators with no action in the plan")
def indicators_without_action(today):
    """An active plan of an open child with indicators, seen in the latest screening by each
    agency, that no action of the plan addresses (an action no longer needed does not count).
    The same test as the plan's quality check. Three queries, whatever the number of children."""
    plans = dict(Plan.objects.filter(status=PlanStatus.ACTIVE, child__closed_at__isnull=True).values_list("child_id", "pk"))
    if not plans:
        return
    active = Plan.objects.filter(child=OuterRef("screening__child"), status=PlanStatus.ACTIVE, child__closed_at__isnull=True)
    later = Screening.objects.filter(child=OuterRef("screening__child"), agency=OuterRef("screening__agency")).filter(
        Q(screened_at__gt=OuterRef("screening__screened_at")) | Q(screened_at=OuterRef("screening__screened_at"), pk__gt=OuterRef("screening_id"))
    )
    seen: dict[int, dict[str, str]] = {}
    rows = (
        ScreeningIndicator.objects.filter(Exists(active)).exclude(Exists(later))
        .order_by("screening__child_id", "indicator_id", "-screening__screened_at")
        .values_list("screening__child_id", "indicator_id", "wording")
    )
    for child_id, indicator_id, wording in rows:
        seen.setdefault(child_id, {}).setdefault(indicator_id, wording)
    addressed: dict[int, set[str]] = {}
    actions = (
        PlanAction.objects.filter(plan__status=PlanStatus.ACTIVE, plan__child__closed_at__isnull=True)
        .exclude(status=ActionStatus.NOT_NEEDED).values_list("plan__child_id", "indicator_ids")
    )
    for child_id, indicator_ids in actions:
        addressed.setdefault(child_id, set()).update(indicator_ids or [])
    for child_id in sorted(seen):
        missing = [wording for indicator_id, wording in seen[child_id].items() if indicator_id not in addressed.get(child_id, set())]
        if not missing or child_id not in plans:
            continue
        listed = "; ".join(missing[:3]) + (f"; and {len(missing) - 3} more" if len(missing) > 3 else "")
        yield AlertSpec(
            key=f"plan:{plans[child_id]}", child_id=child_id,
            message=f"{len(missing)} indicator{'s' if len(missing) != 1 else ''} from the latest screenings "
            f"{'have' if len(missing) != 1 else 'has'} no action against {'them' if len(missing) != 1 else 'it'} in the plan: {listed}. "
            "Add an action that addresses each one.",
        )


@rule(id="F21.service-not-started", finding="F21", title="A service the plan relies on has not started")
def service_not_started(today):
    weeks = service_start_weeks()
    rows = (
        ServiceReferral.objects.filter(
            started_on__isnull=True, ended_on__isnull=True, referred_on__lt=today - dt.timedelta(weeks=weeks),
            plan__status=PlanStatus.ACTIVE, plan__child__closed_at__isnull=True,
        ).values_list("pk", "plan__child_id", "kind", "provider", "referred_on")
    )
    for pk, child_id, kind, provider, referred_on in rows:
        yield AlertSpec(
            key=f"service:{pk}", child_id=child_id, due_on=referred_on + dt.timedelta(weeks=weeks),
            message=f"The referral to {provider} of {long_date(referred_on)} has not started after {weeks} weeks. "
            "Find out why and record it on the plan.",
        )

