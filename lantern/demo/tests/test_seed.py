import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from lantern.children.models import Child, Involvement
from lantern.children.selectors import children_visible_to
from lantern.demo.generator import DEMO_LOGINS, generate
from lantern.partnership.models import Agency, Role, User

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def demo(db):
    return generate(children=40, seed=11)


def test_every_demo_role_sees_exactly_what_its_agency_may_see(demo):
    assert Agency.objects.count() == 12
    assert Child.objects.count() == 40
    for email, _name, _title, agency_name, _team, role in DEMO_LOGINS:
        user = User.objects.get(email=email)
        visible = set(children_visible_to(user).values_list("pk", flat=True))
        if role in (Role.HUB, Role.MEETING_CHAIR):
            expected = set(Child.objects.values_list("pk", flat=True))
        elif role in (Role.PRACTITIONER, Role.MANAGER):
            expected = set(
                Involvement.objects.filter(agency__name=agency_name, ended_on__isnull=True).values_list("child_id", flat=True)
            )
            assert expected, f"{email} should see some demo children"
        else:
            expected = set()
        assert visible == expected, email


def test_demo_data_is_spread_realistically(demo):
    children = list(Child.objects.all())
    ages = {c.age for c in children}
    assert min(ages) >= 10 and max(ages) <= 17 and len(ages) >= 5
    assert {c.sex for c in children} >= {"F", "M"}
    assert len({c.legal_status for c in children}) >= 4
    assert len({c.ethnicity for c in children}) >= 3
    assert Involvement.objects.count() >= 2 * len(children)


def test_running_the_demo_twice_adds_nothing(demo, capsys):
    call_command("seed_demo", "--children", "40", "--seed", "11")
    assert "already here; nothing was added" in capsys.readouterr().out
    assert Child.objects.count() == 40


def _names_after_seed(path: Path, seed: int) -> list:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "lantern.settings.dev", "DATABASE_URL": f"sqlite:///{path}"}
    for args in (["migrate", "-v", "0"], ["seed_demo", "--children", "6", "--seed", str(seed)]):
        subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, timeout=300)
    with sqlite3.connect(path) as conn:
        return conn.execute(
            "SELECT legal_first_name, legal_last_name, date_of_birth, sex FROM children_child ORDER BY id"
        ).fetchall()


def test_the_same_seed_gives_the_same_children(tmp_path):
    first = _names_after_seed(tmp_path / "a.sqlite3", 5)
    second = _names_after_seed(tmp_path / "b.sqlite3", 5)
    other = _names_after_seed(tmp_path / "c.sqlite3", 6)
    assert len(first) == 6
    assert first == second
    assert first != other


def test_demo_is_never_added_to_a_real_partnership(db):
    from django.core.management.base import CommandError

    from lantern.partnership.services import create_agency

    create_agency(by=None, name="Real Borough Council", agency_type="social_care")
    with pytest.raises(CommandError) as exc:
        call_command("seed_demo", "--children", "2")
    assert "not the demo's" in str(exc.value)
    assert Child.objects.count() == 0


@pytest.mark.finding("F04")
@pytest.mark.finding("F03")
def test_referral_to_decision_works_for_every_agency_type_in_the_demo(demo):
    """A practitioner of every demo agency refers a child they work with; the hub records the
    outcome, screens and decides a level; the referrer hears of the outcome and of the level."""
    from lantern.notifications.models import Notification
    from lantern.referrals.services import record_outcome, refer_child
    from lantern.risk.tests.factories import decide, screen

    hub = User.objects.get(email="hub@lantern.example")
    types_done = set()
    for agency in Agency.objects.order_by("name"):
        practitioner = User.objects.filter(memberships__agency=agency, memberships__role=Role.PRACTITIONER).order_by("pk").first()
        child = children_visible_to(practitioner).order_by("pk").first()
        if child is None:
            continue
        referral = refer_child(by=practitioner, child=child, concern="Seen with older men near the takeaway after school.",
                               indicator_ids=["SEX-02"], consent_sought=True, agency=agency)
        record_outcome(by=hub, referral=referral, outcome="screening", reason="Screen and decide at the hub.")
        screening = screen(by=hub, child=child, indicators=[("SEX-02", "current")])
        decide(by=hub, child=child, kind="sexual", level="medium", screenings=[screening])
        told = Notification.objects.filter(recipient=practitioner, child=child)
        assert told.filter(category="referral").exists(), agency.name
        assert told.filter(category="risk_level").exists(), agency.name
        types_done.add(agency.agency_type)
    assert len(types_done) >= 9  # every kind of agency in the demo partnership
