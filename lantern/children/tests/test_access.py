import pytest
from django.urls import reverse

from lantern.children import selectors, services
from lantern.children.models import AccessLogEntry
from lantern.children.tests.factories import register_child


def test_agency_sees_child_only_while_involved(partnership):
    p = partnership
    child = register_child(by=p.school_lead, make_lead=True)
    assert list(selectors.children_visible_to(p.school_lead)) == [child]
    assert list(selectors.children_visible_to(p.police_officer)) == []
    involvement = services.add_involvement(by=p.school_lead, child=child, agency=p.police, role="Officer")
    assert list(selectors.children_visible_to(p.police_officer)) == [child]
    services.end_involvement(by=p.school_lead, involvement=involvement, reason="Closed", expected_version=involvement.version)
    assert list(selectors.children_visible_to(p.police_officer)) == []


def test_uninvolved_agency_gets_404_and_nothing_logged(client, partnership):
    p = partnership
    child = register_child(by=p.school_lead)
    client.force_login(p.police_officer)
    response = client.get(reverse("children:detail", args=[child.pk]))
    assert response.status_code == 404
    assert not AccessLogEntry.objects.filter(child=child).exists()


def test_involved_agency_view_is_logged(client, partnership):
    p = partnership
    child = register_child(by=p.school_lead)
    client.force_login(p.school_lead)
    response = client.get(reverse("children:detail", args=[child.pk]))
    assert response.status_code == 200
    entry = AccessLogEntry.objects.get(child=child)
    assert entry.user == p.school_lead
    assert entry.agency_names == "Testford Academy"


@pytest.mark.parametrize("role_user", ["hub", "chair"])
def test_partnership_wide_roles_see_every_child(partnership, role_user):
    p = partnership
    child = register_child(by=p.school_lead)
    assert child in selectors.children_visible_to(getattr(p, role_user))


@pytest.mark.parametrize("role_user", ["auditor", "board_member", "administrator"])
def test_non_case_roles_see_no_child(partnership, role_user):
    p = partnership
    register_child(by=p.school_lead)
    assert not selectors.children_visible_to(getattr(p, role_user)).exists()
