import datetime as dt
import random

from lantern.children.services import add_involvement
from lantern.children.tests.factories import register_child
from lantern.core.dates import local_today
from lantern.missing.demo import add_demo_missing
from lantern.missing.models import MissingEpisode, ReturnInterview
from lantern.missing.selectors import Status, interview_status
from lantern.standards.selectors import worklist_for
from lantern.standards.services import run_scan


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


def test_demo_interviews_not_held_have_a_reason_and_overdue_ones_reach_the_worklists(partnership):
    p = partnership
    staff = {p.police.name: [p.police_officer], p.social_care.name: [p.social_worker], p.school.name: [p.school_lead]}
    rng = random.Random(9)  # a generator whose 40 children include interviews not held and overdue
    for _ in range(40):
        child = register_child(by=p.school_lead, date_of_birth=dt.date(2011, 3, 3))
        add_involvement(by=p.school_lead, child=child, agency=p.police, role="Officer")
        add_involvement(by=p.school_lead, child=child, agency=p.social_care, role="Social worker")
        add_demo_missing(rng=rng, child=child, today=local_today(), staff_by_agency=staff, hub_user=p.hub)
    not_held = list(ReturnInterview.objects.filter(not_held_at__isnull=False))
    assert not_held and all(i.not_held_reason.strip() for i in not_held)
    overdue = [e for e in MissingEpisode.objects.select_related("interview") if interview_status(e) == Status.OVERDUE]
    assert overdue

    # After the demo's scan, every overdue interview is on the worklist of the agencies working
    # with the child (here the police work with every child), and none of those not held is (F06).
    run_scan()
    paginator = worklist_for(p.police_officer, finding="F06").paginator
    listed = {a.key for n in paginator.page_range for a in paginator.page(n) if a.rule_id == "F06.return-interview-overdue"}
    assert listed == {f"episode:{e.pk}" for e in overdue}
    assert not listed & {f"episode:{i.episode_id}" for i in not_held}
