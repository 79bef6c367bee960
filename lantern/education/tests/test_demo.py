import random

from lantern.children.services import add_involvement
from lantern.children.tests.factories import register_child
from lantern.core.dates import local_today
from lantern.education.demo import add_demo_education
from lantern.education.models import Absence, AttendanceRecord, Provision, ProvisionStatus
from lantern.notifications.models import Notification
from lantern.notifications.services import emails_suppressed
from lantern.partnership.tests.factories import make_user

from .factories import flag


def test_demo_education_is_valid_and_poorer_for_children_at_risk(partnership):
    p = partnership
    staff = {p.school.name: [p.school_lead, make_user(p.school)], p.social_care.name: [p.social_worker]}
    rng = random.Random(5)
    at_risk = []
    with emails_suppressed():
        for n in range(30):
            child = register_child(by=p.social_worker, age=rng.randint(11, 16), make_lead=True)
            add_involvement(by=p.social_worker, child=child, agency=p.school, role="Designated safeguarding lead", professional=p.school_lead)
            if n % 2:
                flag(hub=p.hub, child=child, level=rng.choice(["medium", "high"]))
                at_risk.append(child.pk)
            add_demo_education(rng=rng, child=child, today=local_today(), staff_by_agency=staff, hub_user=p.hub)
    assert 25 <= Provision.objects.filter(ended_on__isnull=True).count() <= 30
    assert Provision.objects.filter(status=ProvisionStatus.ON_ROLL, school=p.school).count() >= 20
    assert AttendanceRecord.objects.exists() and Absence.objects.exists()

    def mean(records):
        rows = [r.percent for r in records]
        return sum(rows) / len(rows)

    assert mean(AttendanceRecord.objects.filter(child_id__in=at_risk)) < mean(AttendanceRecord.objects.exclude(child_id__in=at_risk))
    # The school was told of the children already at risk when it was recorded, and leads of their absences.
    assert Notification.objects.filter(category="education", subject__contains="on roll with you").exists()
    assert Notification.objects.filter(category="education", recipient=p.social_worker).exists()
