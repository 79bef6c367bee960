import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lantern.children import services
from lantern.children.models import Child, ChildIdentifier, IdentifierKind, Involvement, TimelineEvent
from lantern.children.tests.factories import register_child
from lantern.core.concurrency import ConcurrentEditError
from lantern.core.dates import local_today
from lantern.core.models import HardDeleteRefused
from lantern.notifications.models import Notification

VALID_NHS = "943 476 5919"
OTHER_VALID_NHS = "401 023 2137"


def _years_ago(years: int, days: int = 0) -> dt.date:
    today = local_today()
    return today.replace(year=today.year - years) - dt.timedelta(days=days)


@pytest.mark.finding("F11")
def test_date_of_birth_in_the_future_is_refused_and_nothing_saved(partnership):
    with pytest.raises(ValidationError) as exc:
        register_child(by=partnership.school_lead, date_of_birth=local_today() + dt.timedelta(days=1))
    assert "must be today or in the past" in str(exc.value)
    assert Child.objects.count() == 0
    assert Involvement.objects.count() == 0


@pytest.mark.finding("F11")
def test_date_of_birth_making_the_child_18_is_refused_unless_transition_case(partnership):
    eighteen = _years_ago(18)
    with pytest.raises(ValidationError) as exc:
        register_child(by=partnership.school_lead, date_of_birth=eighteen)
    assert "makes the child 18" in str(exc.value)
    assert Child.objects.count() == 0
    child = register_child(by=partnership.school_lead, date_of_birth=eighteen, is_transition_case=True)
    assert child.age == 18


def test_a_child_one_day_short_of_18_is_accepted(partnership):
    child = register_child(by=partnership.school_lead, date_of_birth=_years_ago(18) + dt.timedelta(days=1))
    assert child.age == 17


def test_registration_makes_the_registering_agency_involved_and_starts_the_timeline(partnership):
    p = partnership
    child = register_child(by=p.school_lead, make_lead=True, identifiers=[(IdentifierKind.NHS, "9434765919")])
    involvement = child.involvements.get()
    assert (involvement.agency, involvement.professional, involvement.is_lead) == (p.school, p.school_lead, True)
    assert child.identifiers.get().value == VALID_NHS
    assert list(TimelineEvent.objects.filter(child=child).values_list("kind", flat=True)) == ["child_registered"]
    assert child.history.count() == 1
    assert child.history.get().history_user == p.school_lead


def test_invalid_identifier_is_refused_with_its_message_and_nothing_saved(partnership):
    with pytest.raises(ValidationError) as exc:
        register_child(by=partnership.school_lead, identifiers=[(IdentifierKind.NHS, "943 476 5918")])
    assert "not a valid NHS number" in str(exc.value)
    assert Child.objects.count() == 0


@pytest.mark.finding("F11")
def test_visible_possible_duplicate_stops_registration_until_confirmed(partnership):
    p = partnership
    first = register_child(by=p.school_lead, first_name="Zoë", last_name="Reedwater", date_of_birth=_years_ago(13, 20))
    with pytest.raises(services.PossibleDuplicate) as exc:
        register_child(
            by=p.school_lead, first_name="Zoe", last_name="Reedwater", date_of_birth=first.date_of_birth,
            confirmed_not_duplicate=False,
        )
    assert exc.value.check.visible_matches == [first]
    assert Child.objects.count() == 1
    register_child(
        by=p.school_lead, first_name="Zoe", last_name="Reedwater", date_of_birth=first.date_of_birth, confirmed_not_duplicate=True
    )
    assert Child.objects.count() == 2


@pytest.mark.finding("F11")
def test_possible_duplicate_the_user_cannot_see_is_counted_but_never_described(partnership):
    p = partnership
    register_child(by=p.police_officer, first_name="Zoe", last_name="Reedwater", date_of_birth=_years_ago(13, 20),
                   identifiers=[(IdentifierKind.NHS, VALID_NHS)])
    check = services.find_possible_duplicates(
        p.school_lead, first_name="Zoe", last_name="Reedwater", date_of_birth=_years_ago(13, 20)
    )
    assert check.visible_matches == []
    assert check.hidden_match_count == 1
    # The school can still register its pupil: nothing about the police's record is disclosed.
    child = register_child(by=p.school_lead, first_name="Zoe", last_name="Reedwater", date_of_birth=_years_ago(13, 20),
                           confirmed_not_duplicate=False)
    assert child.pk


def test_same_identifier_is_a_possible_duplicate_whatever_the_name(partnership):
    p = partnership
    first = register_child(by=p.school_lead, identifiers=[(IdentifierKind.NHS, VALID_NHS)])
    with pytest.raises(services.PossibleDuplicate):
        register_child(by=p.school_lead, first_name="Someone", last_name="Else", age=11,
                       identifiers=[(IdentifierKind.NHS, "9434765919")], confirmed_not_duplicate=False)
    assert Child.objects.get() == first


def test_changing_an_identifier_keeps_the_old_one_as_history(partnership):
    p = partnership
    child = register_child(by=p.school_lead, identifiers=[(IdentifierKind.NHS, VALID_NHS)])
    services.record_identifier(by=p.school_lead, child=child, kind=IdentifierKind.NHS, value=OTHER_VALID_NHS, reason="Corrected by GP")
    rows = list(ChildIdentifier.objects.filter(child=child, kind=IdentifierKind.NHS).order_by("created_at"))
    assert [r.value for r in rows] == [VALID_NHS, OTHER_VALID_NHS]
    assert rows[0].ended_at is not None and rows[0].end_reason == "Corrected by GP"
    assert rows[1].ended_at is None


def test_recording_the_same_identifier_again_is_refused(partnership):
    p = partnership
    child = register_child(by=p.school_lead, identifiers=[(IdentifierKind.NHS, VALID_NHS)])
    with pytest.raises(ValidationError) as exc:
        services.record_identifier(by=p.school_lead, child=child, kind=IdentifierKind.NHS, value="9434765919")
    assert "already recorded" in str(exc.value)
    assert child.identifiers.count() == 1


@pytest.mark.finding("F43")
def test_concurrent_edit_is_refused_not_lost(partnership):
    p = partnership
    child = register_child(by=p.school_lead, first_name="Amber")
    stale_version = child.version
    first_editor = Child.objects.get(pk=child.pk)
    second_editor = Child.objects.get(pk=child.pk)
    services.update_child_details(by=p.school_lead, child=first_editor, expected_version=stale_version, address_area="Northgate")
    with pytest.raises(ConcurrentEditError) as exc:
        services.update_child_details(by=p.school_lead, child=second_editor, expected_version=stale_version, address_area="Millbrook")
    assert "Someone else changed this record" in str(exc.value)
    child.refresh_from_db()
    assert child.address_area == "Northgate"
    assert child.version == stale_version + 1


@pytest.mark.finding("F43")
def test_every_change_is_kept_in_history_with_who_and_why(partnership):
    p = partnership
    child = register_child(by=p.school_lead, first_name="Amber")
    services.update_child_details(
        by=p.school_lead, child=child, expected_version=child.version,
        preferred_name="Bee", reason="Child asked to be called Bee",
    )
    latest = child.history.order_by("-history_date").first()
    assert latest.preferred_name == "Bee"
    assert latest.history_user == p.school_lead
    assert latest.history_change_reason == "Child asked to be called Bee"
    assert child.history.count() == 2


@pytest.mark.finding("F43")
def test_case_data_is_never_hard_deleted(partnership):
    child = register_child(by=partnership.school_lead)
    with pytest.raises(HardDeleteRefused):
        child.delete()
    with pytest.raises(HardDeleteRefused):
        Child.objects.all().delete()
    with pytest.raises(HardDeleteRefused):
        child.involvements.get().delete()
    with pytest.raises(HardDeleteRefused):
        TimelineEvent.objects.filter(child=child).first().delete()
    assert Child.objects.filter(pk=child.pk).exists()


def test_only_one_lead_professional(partnership):
    p = partnership
    child = register_child(by=p.school_lead, make_lead=True)
    police = services.add_involvement(by=p.school_lead, child=child, agency=p.police, professional=p.police_officer,
                                      role="Child exploitation officer")
    services.set_lead_professional(by=p.school_lead, involvement=police)
    leads = Involvement.objects.filter(child=child, is_lead=True, ended_on__isnull=True)
    assert list(leads) == [police]
    assert TimelineEvent.objects.filter(child=child, kind="lead_changed").count() == 1
    assert Notification.objects.filter(recipient=p.police_officer, category="lead_professional").exists()


def test_adding_an_involvement_tells_the_named_professional(partnership):
    p = partnership
    child = register_child(by=p.school_lead)
    services.add_involvement(by=p.school_lead, child=child, agency=p.health, professional=p.nurse, role="School nurse")
    note = Notification.objects.get(recipient=p.nurse, category="involvement")
    assert note.child == child
    assert note.url == f"/children/{child.pk}/"


def test_named_professional_must_work_for_the_agency(partnership):
    p = partnership
    child = register_child(by=p.school_lead)
    with pytest.raises(ValidationError) as exc:
        services.add_involvement(by=p.school_lead, child=child, agency=p.health, professional=p.police_officer, role="Nurse")
    assert "does not work for Testshire Health" in str(exc.value)
    assert child.involvements.count() == 1


@pytest.mark.finding("F19")
def test_ending_an_involvement_needs_a_reason_and_shows_on_the_timeline(partnership):
    p = partnership
    child = register_child(by=p.school_lead, make_lead=True)
    involvement = services.add_involvement(by=p.school_lead, child=child, agency=p.police, role="Officer")
    with pytest.raises(ValidationError):
        services.end_involvement(by=p.school_lead, involvement=involvement, reason="  ", expected_version=involvement.version)
    involvement.refresh_from_db()
    assert involvement.ended_on is None
    services.end_involvement(by=p.school_lead, involvement=involvement, reason="Investigation closed", expected_version=involvement.version)
    event = TimelineEvent.objects.get(child=child, kind="involvement_ended")
    assert event.detail == "Investigation closed"


def test_an_uninvolved_agency_cannot_change_a_child(partnership):
    p = partnership
    child = register_child(by=p.school_lead)
    with pytest.raises(PermissionDenied):
        services.add_involvement(by=p.police_officer, child=child, agency=p.police, role="Officer")
    with pytest.raises(PermissionDenied):
        services.update_child_details(by=p.police_officer, child=child, expected_version=child.version, address_area="X")
    assert child.involvements.count() == 1


def test_roles_without_case_work_cannot_register_children(partnership):
    with pytest.raises(PermissionDenied):
        register_child(by=partnership.board_member)
    assert Child.objects.count() == 0


def test_only_the_agency_the_lead_or_the_hub_end_an_involvement(partnership):
    p = partnership
    child = register_child(by=p.school_lead, make_lead=True)
    health = services.add_involvement(by=p.school_lead, child=child, agency=p.health, professional=p.nurse, role="Nurse")
    police = services.add_involvement(by=p.school_lead, child=child, agency=p.police, role="Officer")
    with pytest.raises(PermissionDenied):
        services.end_involvement(by=p.nurse, involvement=police, reason="Not ours to end", expected_version=police.version)
    services.end_involvement(by=p.police_officer, involvement=police, reason="Enquiry complete", expected_version=police.version)
    services.end_involvement(by=p.hub, involvement=health, reason="Agreed at hub", expected_version=health.version)
    assert not child.involvements.filter(ended_on__isnull=True).exclude(agency=p.school).exists()


def test_ending_the_lead_tells_the_others(partnership):
    p = partnership
    child = register_child(by=p.school_lead, make_lead=True)
    services.add_involvement(by=p.school_lead, child=child, agency=p.health, professional=p.nurse, role="Nurse")
    lead = child.involvements.get(is_lead=True)
    services.end_involvement(by=p.school_lead, involvement=lead, reason="Moved school", expected_version=lead.version)
    assert Notification.objects.filter(recipient=p.nurse, subject__contains="no longer has a lead professional").exists()
