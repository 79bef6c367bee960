"""The demo's plans: reviews with the child's words and the family's views, and step-downs with
the checklist, made through the services. A small partnership of children built here, not the
whole demo, so the test stays fast."""

import random

from lantern.children.services import add_involvement
from lantern.children.tests.factories import register_child
from lantern.core.dates import local_today
from lantern.plans.demo import MAX_STEP_DOWNS, add_demo_plan
from lantern.plans.models import Ending, EndingKind, LinkedPlanKind, Plan, PlanReview, PlanStatus
from lantern.risk.tests.factories import NOW, decide, screen
from lantern.standards.models import Alert
from lantern.standards.services import run_scan


def test_demo_plans_hold_reviews_with_the_childs_words_and_step_downs_with_the_checklist(partnership):
    p = partnership
    rng = random.Random(7)
    for n in range(14):
        child = register_child(by=p.social_worker)
        add_involvement(by=p.social_worker, child=child, agency=p.school, role="Designated safeguarding lead")
        screen(by=p.social_worker, child=child, indicators=[("SEX-02", NOW)])
        decide(by=p.hub, child=child, level="low" if n % 2 else "medium")
        add_demo_plan(rng=rng, child=child, today=local_today(), hub_user=p.hub)

    reviews = list(PlanReview.objects.all())
    assert len(reviews) >= 3
    assert all(r.childs_words.strip() and r.family_views.strip() and r.progress.strip() for r in reviews)
    for review in reviews:  # the plan carries the latest review's voices forward
        assert review.plan.childs_words and review.plan.family_views

    endings = list(Ending.objects.select_related("plan", "continuing_plan"))
    assert 1 <= len(endings) <= MAX_STEP_DOWNS
    for ending in endings:
        assert ending.kind == EndingKind.STEP_DOWN and ending.plan.status == PlanStatus.STEPPED_DOWN
        assert ending.continuing_plan.kind == LinkedPlanKind.EARLY_HELP and ending.continuing_plan.next_review_on
        assert ending.no_persons_known and ending.linked_persons == []
        assert ending.childs_views and ending.family_views and ending.rereferral_triggers and ending.reason
        assert not ending.plan.actions.filter(status="open").exists()
    assert Plan.objects.filter(status=PlanStatus.ACTIVE).exists()
    run_scan()
    stepped = [e.child_id for e in endings]
    assert not Alert.objects.filter(rule_id="F05.no-plan", child_id__in=stepped, resolved_at__isnull=True).exists()
