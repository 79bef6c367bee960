"""Fixtures shared by the audits tests: a partnership with an auditor in each agency, three
children with the agencies that work with them, and the shipped templates."""

import datetime as dt
from dataclasses import dataclass

import pytest

from lantern.children import services as child_services
from lantern.children.tests.factories import register_child
from lantern.core.dates import local_today
from lantern.partnership.models import Role
from lantern.partnership.tests.factories import make_user
from lantern.risk.tests.factories import decide, screen

from .. import services
from ..models import AuditTemplate


@dataclass
class AuditWorld:
    p: object  # the Partnership
    lead: object  # the lead auditor (social care)
    police_auditor: object
    school_auditor: object
    health_auditor: object
    amy: object  # social care and the school; high risk
    ben: object  # social care and the police; medium risk
    cal: object  # social care only; low risk

    def template(self, key: str = "multi-agency-exploitation"):
        return AuditTemplate.objects.get(key=key).versions.order_by("-number").first()

    def new_round(self, *, key: str = "multi-agency-exploitation", title: str = "Exploitation audit", children=None, deadline=None):
        today = local_today()
        audit_round = services.create_round(
            by=self.lead, title=title, template_version=self.template(key),
            scope_start=today - dt.timedelta(days=365), scope_end=today, deadline=deadline or today + dt.timedelta(days=28),
        )
        for child in children if children is not None else (self.amy, self.ben, self.cal):
            services.add_case(by=self.lead, audit_round=audit_round, child=child)
        return audit_round


def set_level(by, child, level: str):
    screen(by=by, child=child)
    decide(by=by, child=child, kind="sexual", level=level)


@pytest.fixture
def audit_world(partnership) -> AuditWorld:
    p = partnership
    services.ensure_shipped_templates()
    amy = register_child(by=p.social_worker, first_name="Amy", last_name="Fictional")
    child_services.add_involvement(by=p.social_worker, child=amy, agency=p.school, role="Designated safeguarding lead")
    ben = register_child(by=p.social_worker, first_name="Ben", last_name="Fictional", sex="M", age=16)
    child_services.add_involvement(by=p.social_worker, child=ben, agency=p.police, role="Exploitation officer")
    cal = register_child(by=p.social_worker, first_name="Cal", last_name="Fictional", age=12)
    for child, level in ((amy, "high"), (ben, "medium"), (cal, "low")):
        set_level(p.hub, child, level)
    return AuditWorld(
        p=p, lead=p.auditor,
        police_auditor=make_user(p.police, Role.AUDITOR, name="Pat Police-Auditor", email="pat.audit@lantern.test"),
        school_auditor=make_user(p.school, Role.AUDITOR, name="Sue School-Auditor", email="sue.audit@lantern.test"),
        health_auditor=make_user(p.health, Role.AUDITOR, name="Hal Health-Auditor", email="hal.audit@lantern.test"),
        amy=amy, ben=ben, cal=cal,
    )
