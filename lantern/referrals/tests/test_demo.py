"""The demo referrals, made through the services for the generator to call."""

import random

from lantern.children.services import add_involvement
from lantern.children.tests.factories import register_child
from lantern.core.dates import local_today
from lantern.partnership.models import Role
from lantern.partnership.tests.factories import make_user
from lantern.referrals.demo import add_demo_referrals
from lantern.referrals.models import Referral, StatutoryCheck
from lantern.referrals.selectors import hub_dashboard, with_missing_checks


def _build(partnership, seed: int):
    p = partnership
    staff = {
        p.school.name: [p.school_lead, make_user(p.school, Role.PRACTITIONER)],
        p.police.name: [p.police_officer],
        p.health.name: [p.nurse],
        p.social_care.name: [p.social_worker],
    }
    rng = random.Random(seed)
    today = local_today()
    for n in range(30):
        child = register_child(by=p.school_lead, involvement_started_on=today.replace(year=today.year - 2))
        if n % 2:
            add_involvement(by=p.school_lead, child=child, agency=p.police, professional=p.police_officer, role="Officer",
                            started_on=today.replace(year=today.year - 1))
        if n % 3 == 0:
            add_involvement(by=p.school_lead, child=child, agency=p.health, professional=p.nurse, role="School nurse",
                            started_on=today.replace(year=today.year - 1))
        add_demo_referrals(rng=rng, child=child, today=today, staff_by_agency=staff, hub_user=p.hub)


def test_demo_referrals_are_realistic_and_varied(partnership):
    _build(partnership, seed=7)
    referrals = list(Referral.objects.all())
    assert 15 <= len(referrals) <= 60
    per_child = {}
    for r in referrals:
        per_child[r.child_id] = per_child.get(r.child_id, 0) + 1
    assert max(per_child.values()) <= 2
    decided = [r for r in referrals if r.outcome]
    awaiting = [r for r in referrals if not r.outcome]
    assert len(decided) > len(awaiting) >= 0 and decided
    assert all(r.outcome_reason and r.outcome_decided_at >= r.received_at for r in decided)
    assert all(r.referring_agency_id in r.referrer.access.agency_ids for r in referrals)
    assert StatutoryCheck.objects.exists()
    missing = with_missing_checks(Referral.objects.all()).filter(missing_checks__gt=0).count()
    assert 0 < missing < len(referrals) + 1
    assert hub_dashboard().missing_checks > 0

