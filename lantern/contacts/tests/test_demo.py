import datetime as dt
import random

from lantern.children.services import add_involvement
from lantern.children.tests.factories import register_child
from lantern.contacts.demo import add_demo_contacts
from lantern.contacts.models import Contact, SupervisionRecord
from lantern.core.dates import local_today
from lantern.education.tests.factories import flag
from lantern.notifications.services import emails_suppressed
from lantern.partnership.tests.factories import make_user
from lantern.standards.models import Alert
from lantern.standards.services import run_scan


def test_demo_contacts_are_valid_more_frequent_at_higher_risk_and_leave_some_gaps(partnership):
    p = partnership
    staff = {p.social_care.name: [p.social_worker, make_user(p.social_care)], p.police.name: [p.police_officer]}
    rng = random.Random(7)
    levels = {}
    since = local_today() - dt.timedelta(days=120)
    with emails_suppressed():
        for n in range(30):
            child = register_child(by=p.social_worker, age=rng.randint(11, 16), make_lead=True, involvement_started_on=since)
            add_involvement(by=p.social_worker, child=child, agency=p.police, role="Officer", professional=p.police_officer,
                            started_on=since)
            levels[child.pk] = ("low", "medium", "high")[n % 3]
            flag(hub=p.hub, child=child, level=levels[child.pk])
            state = rng.getstate()
            add_demo_contacts(rng=rng, child=child, today=local_today(), staff_by_agency=staff)
            assert rng.getstate() == state  # the rest of the demo is not changed by adding contacts

    def mean_for(level):
        ids = [pk for pk, lv in levels.items() if lv == level]
        return Contact.objects.filter(child_id__in=ids).count() / len(ids)

    assert mean_for("high") > mean_for("medium") > mean_for("low") > 0
    assert Contact.objects.filter(successful=False).exists() and Contact.objects.exclude(childs_words="").exists()
    assert SupervisionRecord.objects.filter(supervisor=p.social_care_manager).exists()
    run_scan(rule_ids=["F20.no-recent-contact"])
    gaps = Alert.objects.filter(rule_id="F20.no-recent-contact", resolved_at__isnull=True)
    assert 1 <= gaps.count() <= 8
    assert all(levels[a.child_id] != "low" for a in gaps)
