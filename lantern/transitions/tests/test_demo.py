import random

from lantern.children.tests.factories import register_child
from lantern.core.dates import local_today
from lantern.notifications.services import emails_suppressed
from lantern.standards.models import Alert
from lantern.standards.services import run_scan
from lantern.transitions.demo import add_demo_transitions
from lantern.transitions.models import OutOfAreaPlacement, PlanStatus, TransitionPlan

from .factories import born_aged


def test_demo_plans_and_placements_are_valid_and_varied(partnership):
    p = partnership
    staff = {p.social_care.name: [p.social_worker], p.school.name: [p.school_lead]}
    rng = random.Random(7)
    with emails_suppressed():
        for n in range(60):
            age = rng.choice([14, 16, 17, 17])
            child = register_child(by=p.social_worker, date_of_birth=born_aged(age, days_past_birthday=rng.randint(5, 350)),
                                   legal_status="looked_after", make_lead=True)
            add_demo_transitions(rng=rng, child=child, today=local_today(), staff_by_agency=staff)
    statuses = set(TransitionPlan.objects.values_list("status", flat=True))
    assert statuses == {PlanStatus.NOT_STARTED, PlanStatus.IN_PROGRESS, PlanStatus.AGREED}
    assert all(plan.young_persons_words for plan in TransitionPlan.objects.filter(status=PlanStatus.AGREED))
    assert not TransitionPlan.objects.filter(child__date_of_birth__gt=born_aged(16, days_past_birthday=0)).exists()
    assert OutOfAreaPlacement.objects.count() >= 3
    assert OutOfAreaPlacement.objects.filter(information_received_on__isnull=False).exists()
    run_scan(rule_ids=["F26.host-information-overdue"])
    assert Alert.objects.filter(rule_id="F26.host-information-overdue", resolved_at__isnull=True).exists()
