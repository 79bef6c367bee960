import datetime as dt
import random

from lantern.children.services import add_involvement
from lantern.children.tests.factories import register_child
from lantern.core.dates import local_today
from lantern.missing.demo import add_demo_missing
from lantern.missing.models import MissingEpisode, ReturnInterview


def test_demo_missing_episodes_are_valid_and_varied(partnership):
    p = partnership
    staff = {p.police.name: [p.police_officer], p.social_care.name: [p.social_worker], p.school.name: [p.school_lead]}
    rng = random.Random(7)
    for _ in range(40):
        child = register_child(by=p.school_lead, date_of_birth=dt.date(2011, 3, 3))
        add_involvement(by=p.school_lead, child=child, agency=p.police, role="Officer")
        add_involvement(by=p.school_lead, child=child, agency=p.social_care, role="Social worker")
        add_demo_missing(rng=rng, child=child, today=local_today(), staff_by_agency=staff, hub_user=p.hub)
    counts = [MissingEpisode.objects.filter(child__legal_last_name=c).count() for c in set(MissingEpisode.objects.values_list("child__legal_last_name", flat=True))]
    assert 3 <= len(counts) < 40
    assert ReturnInterview.objects.filter(held_at__isnull=False).exists()
