"""Fixtures shared by the meetings tests."""

import pytest

from lantern.children import services as child_services
from lantern.children.tests.factories import register_child


@pytest.fixture
def children(partnership):
    """Amy (social care and the school), Ben (social care and the police), Cal (social care only)."""
    p = partnership
    amy = register_child(by=p.social_worker, first_name="Amy", last_name="Fictional")
    child_services.add_involvement(by=p.social_worker, child=amy, agency=p.school, role="Designated safeguarding lead")
    ben = register_child(by=p.social_worker, first_name="Ben", last_name="Fictional")
    child_services.add_involvement(by=p.social_worker, child=ben, agency=p.police, role="Exploitation officer")
    cal = register_child(by=p.social_worker, first_name="Cal", last_name="Fictional")
    return amy, ben, cal
