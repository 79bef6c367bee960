import random

from lantern.children import services as child_services
from lantern.children.tests.factories import register_child
from lantern.core.dates import local_today
from lantern.notifications.services import emails_suppressed
from lantern.risk.demo import add_demo_risk
from lantern.risk.models import RiskDecision, Screening
from lantern.risk.selectors import current_levels


def test_demo_risk_gives_children_screenings_and_level_histories(partnership):
    p = partnership
    staff = {p.school.name: [p.school_lead], p.police.name: [p.police_officer], p.health.name: [p.nurse]}
    rng = random.Random(7)
    children = []
    with emails_suppressed():
        for n in range(24):
            child = register_child(by=p.school_lead, age=rng.randint(11, 17), sex=rng.choice("FM"), learning_disability=n % 7 == 0,
                                   involvement_started_on=local_today().replace(year=local_today().year - 2))
            for agency, worker in ((p.police, p.police_officer), (p.health, p.nurse)):
                if rng.random() < 0.7:
                    child_services.add_involvement(by=p.school_lead, child=child, agency=agency, professional=worker, role="Worker",
                                                   started_on=local_today().replace(year=local_today().year - 1))
            add_demo_risk(rng=rng, child=child, today=local_today(), staff_by_agency=staff, hub_user=p.hub, chair_user=p.chair)
            children.append(child)
    for child in children:
        agencies = set(Screening.objects.filter(child=child).values_list("agency_id", flat=True))
        assert 1 <= len(agencies) <= 3
        involved = set(child.involvements.filter(ended_on__isnull=True).values_list("agency_id", flat=True))
        assert agencies <= involved
    levels = [current_levels(child) for child in children]
    serious = [c for c, lv in zip(children, levels) if any(d and d.level in ("medium", "high") for d in lv.values())]
    assert serious and any(lv["sexual"] is None and lv["criminal"] is None for lv in levels)
    assert any(2 <= RiskDecision.objects.filter(child=c, kind__in=["sexual", "criminal"]).values("decided_at__date").distinct().count() <= 6 for c in serious)
    assert RiskDecision.objects.exclude(departure_reason="").exists()
    assert RiskDecision.objects.filter(source="meeting", decided_by=p.chair).exists()
