import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lantern.children.selectors import children_visible_to
from lantern.children.tests.factories import register_child
from lantern.partnership import services
from lantern.partnership.models import Agency, AgencyType, Membership, Role, User


def test_agency_needs_a_unique_name_and_a_type(partnership):
    with pytest.raises(ValidationError):
        services.create_agency(by=partnership.administrator, name="  ", agency_type=AgencyType.POLICE)
    with pytest.raises(ValidationError):
        services.create_agency(by=partnership.administrator, name="testshire police", agency_type=AgencyType.POLICE)
    with pytest.raises(ValidationError):
        services.create_agency(by=partnership.administrator, name="New Agency", agency_type="spaceship")
    assert Agency.objects.count() == 4


def test_only_administrators_change_the_partnership(partnership):
    with pytest.raises(PermissionDenied):
        services.create_agency(by=partnership.hub, name="Shadow Agency", agency_type=AgencyType.OTHER)
    agency = services.create_agency(by=partnership.administrator, name="Testshire Housing", agency_type=AgencyType.HOUSING)
    assert agency.history.get().history_user == partnership.administrator


def test_weak_password_is_refused(partnership):
    with pytest.raises(ValidationError):
        services.create_user(by=None, email="new@lantern.test", full_name="New Person", password="password123")
    assert not User.objects.filter(email="new@lantern.test").exists()


def test_a_user_may_belong_to_more_than_one_agency(partnership):
    p = partnership
    user = services.create_user(by=p.administrator, email="dual@lantern.test", full_name="Dual Role")
    services.add_membership(by=p.administrator, user=user, agency=p.school, role=Role.PRACTITIONER)
    services.add_membership(by=p.administrator, user=user, agency=p.health, role=Role.PRACTITIONER)
    assert user.access.case_agency_ids == {p.school.pk, p.health.pk}
    assert not user.has_usable_password()


def test_ending_a_role_ends_access_to_children(partnership):
    p = partnership
    child = register_child(by=p.school_lead)
    assert child in children_visible_to(p.school_lead)
    membership = Membership.objects.get(user=p.school_lead, agency=p.school)
    services.end_membership(by=p.administrator, membership=membership)
    assert not children_visible_to(User.objects.get(pk=p.school_lead.pk)).exists()
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_administrator_pages(client, partnership):
    client.force_login(partnership.administrator)
    response = client.post("/partnership/", {"name": "Testshire Youth Service", "agency_type": AgencyType.YOUTH_SERVICE})
    agency = Agency.objects.get(name="Testshire Youth Service")
    assert response["Location"] == f"/partnership/agencies/{agency.pk}/"
    response = client.post(f"/partnership/agencies/{agency.pk}/", {
        "form": "person", "person-full_name": "Yara Youth", "person-email": "yara@lantern.test", "person-role": Role.PRACTITIONER,
    })
    assert response.status_code == 302
    assert Membership.objects.get(user__email="yara@lantern.test").agency == agency
    response = client.post("/partnership/", {"name": "", "agency_type": ""})
    assert "Enter the agency&#x27;s name" in response.content.decode() or "Enter the agency's name" in response.content.decode()


def test_create_administrator_command(db, capsys):
    from django.core.management import call_command

    call_command("create_administrator", "--email", "First@Borough.test", "--name", "First Admin", "--agency", "Borough Council")
    user = User.objects.get(email="first@borough.test")
    assert user.access.is_administrator
    call_command("create_administrator", "--email", "first@borough.test", "--name", "First Admin", "--agency", "borough council")
    assert "already an administrator" in capsys.readouterr().out
    assert Agency.objects.count() == 1
