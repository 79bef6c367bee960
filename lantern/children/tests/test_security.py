"""Regression tests for the need-to-know review: each test is an attack that must fail."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from lantern.children import services
from lantern.children.models import AccessLogEntry, IdentifierKind
from lantern.children.selectors import children_visible_to
from lantern.children.tests.factories import register_child
from lantern.partnership import services as partnership_services
from lantern.partnership.models import Role, User


def test_an_involved_practitioner_cannot_take_the_lead_from_another_agency(client, partnership):
    p = partnership
    child = register_child(by=p.police_officer, make_lead=True)
    school = services.add_involvement(by=p.police_officer, child=child, agency=p.school, professional=p.school_lead, role="DSL")
    police = child.involvements.get(agency=p.police)
    with pytest.raises(PermissionDenied):
        services.set_lead_professional(by=p.school_lead, involvement=school)
    with pytest.raises(PermissionDenied):
        services.add_involvement(by=p.school_lead, child=child, agency=p.school, role="DSL again", is_lead=True)
    client.force_login(p.school_lead)
    client.post(reverse("children:make_lead", args=[child.pk, school.pk]))
    response = client.post(reverse("children:end_involvement", args=[child.pk, police.pk]), {"reason": "x", "version": police.version})
    assert response.status_code == 403
    police.refresh_from_db()
    assert police.is_lead and police.ended_on is None
    assert "Make lead" not in client.get(reverse("children:detail", args=[child.pk])).content.decode()
    # The hub may hand the lead on.
    services.set_lead_professional(by=p.hub, involvement=school)


def test_an_administrator_cannot_give_themselves_a_role(partnership):
    p = partnership
    with pytest.raises(PermissionDenied):
        partnership_services.add_membership(by=p.administrator, user=p.administrator, agency=p.social_care, role=Role.HUB)
    assert not children_visible_to(User.objects.get(pk=p.administrator.pk)).exists()
    assert not User.objects.get(pk=p.administrator.pk).access.is_hub


def test_an_administrator_cannot_end_their_own_role(partnership):
    p = partnership
    with pytest.raises(PermissionDenied):
        partnership_services.end_membership(by=p.administrator, membership=p.administrator.memberships.get())


def test_a_new_partnership_wide_role_is_told_to_the_hub(partnership):
    from lantern.notifications.models import Notification

    p = partnership
    person = partnership_services.create_user(by=p.administrator, email="newhub@lantern.test", full_name="New Hubperson")
    partnership_services.add_membership(by=p.administrator, user=person, agency=p.social_care, role=Role.HUB)
    assert Notification.objects.filter(recipient=p.hub, subject__contains="which sees every child").exists()


def test_emergency_access_ends_with_the_last_case_role(partnership):
    p = partnership
    child = register_child(by=p.school_lead, identifiers=[(IdentifierKind.NHS, "943 476 5919")])
    services.request_break_glass(by=p.police_officer, identifier_kind=IdentifierKind.NHS, identifier_value="9434765919",
                                 date_of_birth=child.date_of_birth, reason="Found with adults at 3am; need contacts")
    assert child in children_visible_to(User.objects.get(pk=p.police_officer.pk))
    partnership_services.end_membership(by=p.administrator, membership=p.police_officer.memberships.get())
    assert not children_visible_to(User.objects.get(pk=p.police_officer.pk)).exists()


def test_emergency_access_can_be_ended_after_its_review(client, partnership):
    p = partnership
    child = register_child(by=p.school_lead, identifiers=[(IdentifierKind.NHS, "943 476 5919")])
    grant = services.request_break_glass(by=p.police_officer, identifier_kind=IdentifierKind.NHS, identifier_value="9434765919",
                                         date_of_birth=child.date_of_birth, reason="Found with adults at 3am; need contacts").grant
    client.force_login(p.hub)
    client.post(reverse("children:review_break_glass", args=[grant.pk]), {"note": "Justified"})
    client.post(reverse("children:review_break_glass", args=[grant.pk]), {"revoke": "yes"})
    grant.refresh_from_db()
    assert grant.reviewed_at is not None and grant.revoked_at is not None


def test_registering_for_an_agency_without_a_case_role_is_refused(partnership):
    p = partnership
    partnership_services.add_membership(by=p.administrator, user=p.social_worker, agency=p.police, role=Role.BOARD_MEMBER)
    social_worker = User.objects.get(pk=p.social_worker.pk)
    with pytest.raises(PermissionDenied):
        register_child(by=social_worker, agency=p.police)


def test_a_refused_look_at_the_access_log_is_not_logged(client, partnership):
    p = partnership
    child = register_child(by=p.social_worker)
    client.force_login(p.social_worker)
    assert client.get(reverse("children:access_log", args=[child.pk])).status_code == 404
    assert not AccessLogEntry.objects.filter(child=child, purpose="access_log").exists()
