"""F18: too many professionals overwhelmed the child. More than LANTERN_MAX_PROFESSIONALS
professionals working with a child is flagged on the worklists of everyone working with them."""

import pytest

from lantern.children.models import Involvement
from lantern.children.services import add_involvement, end_involvement
from lantern.children.tests.factories import register_child
from lantern.children.selectors import professional_count
from lantern.partnership.models import Role
from lantern.partnership.tests.factories import AgencyFactory, make_user
from lantern.standards.models import Alert
from lantern.standards.selectors import worklist_for
from lantern.standards.services import run_scan

F18 = pytest.mark.finding("F18")
RULE = "F18.too-many-professionals"


def _open(child=None):
    qs = Alert.objects.filter(rule_id=RULE, resolved_at__isnull=True)
    return qs.filter(child=child) if child is not None else qs


def _scan():
    run_scan(rule_ids=[RULE])


def _involve(p, child, n: int, *, named: bool = True):
    agency = AgencyFactory()
    worker = make_user(agency, Role.PRACTITIONER)
    return add_involvement(by=p.social_worker, child=child, agency=agency, role=f"Worker {n}", professional=worker if named else None)


@F18
def test_more_than_six_professionals_is_flagged_until_fewer_are_involved(partnership, client):
    p = partnership
    child = register_child(by=p.social_worker, make_lead=True)  # Sally, the lead, is the first professional
    extra = [_involve(p, child, n) for n in range(5)]
    _scan()
    assert not _open().exists()  # six professionals

    seventh = _involve(p, child, 6)
    _scan()
    alert = _open(child).get()
    assert alert.finding == "F18"
    assert alert.message == "7 professionals are working with the child. Agree with the lead professional whether all are needed."
    assert list(worklist_for(p.social_worker)) == [alert] and alert in list(worklist_for(p.hub))
    assert professional_count(Involvement.objects.filter(child=child)) == 7
    # The involvement list on the child's page flags it too.
    client.force_login(p.social_worker)
    assert "7 professionals" in client.get(f"/children/{child.pk}/").content.decode()

    end_involvement(by=p.social_worker, involvement=seventh, reason="Work completed", expected_version=seventh.version)
    _scan()
    assert not _open().exists()
    assert extra  # the other five still work with the child


@F18
def test_how_professionals_are_counted(partnership):
    p = partnership
    child = register_child(by=p.social_worker, make_lead=True)
    for n in range(4):
        _involve(p, child, n)
    # Sally in a second role counts once; an agency involved with no one named counts as one.
    add_involvement(by=p.social_worker, child=child, agency=p.social_care, role="Return interview worker", professional=p.social_worker)
    _involve(p, child, 5, named=False)
    _scan()
    assert not _open().exists()  # 1 + 4 + 1 unnamed = 6
    _involve(p, child, 6, named=False)
    _scan()
    assert _open(child).get().message.startswith("7 professionals")


@F18
def test_the_threshold_is_a_setting(partnership, settings):
    p = partnership
    settings.LANTERN_MAX_PROFESSIONALS = 2
    child = register_child(by=p.social_worker, make_lead=True)
    _involve(p, child, 1)
    _scan()
    assert not _open().exists()
    _involve(p, child, 2)
    _scan()
    assert _open(child).get().message.startswith("3 professionals")
