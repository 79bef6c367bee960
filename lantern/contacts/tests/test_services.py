"""Recording contacts and supervision through the services: who may, what is checked (every
problem at once, nothing saved on error), what is kept, and that nothing is ever deleted."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from lantern.children.models import IdentifierKind, TimelineEvent
from lantern.children.services import add_involvement, request_break_glass
from lantern.children.tests.factories import register_child
from lantern.contacts import services
from lantern.contacts.models import Contact, ContactKind, Place, SupervisionRecord, WithWhom
from lantern.core.dates import local_today
from lantern.core.models import HardDeleteRefused
from lantern.notifications.models import Notification
from lantern.partnership.models import Role
from lantern.partnership.services import add_membership
from lantern.partnership.tests.factories import AgencyFactory, make_user

from .factories import contact, hours_ago, supervision


@pytest.fixture
def child(partnership):
    """Registered by the social worker (lead); the police are involved too."""
    p = partnership
    child = register_child(by=p.social_worker, first_name="Cerys", last_name="Mossbank", make_lead=True,
                           identifiers=[(IdentifierKind.NHS, "943 476 5919")])
    add_involvement(by=p.social_worker, child=child, agency=p.police, role="Officer", professional=p.police_officer)
    return child


# --- Contacts ------------------------------------------------------------------------------


@pytest.mark.finding("F20")
def test_an_involved_practitioner_records_a_contact(partnership, child):
    p = partnership
    when = hours_ago(3)
    saved = contact(by=p.police_officer, child=child, happened_at=when, place=Place.COMMUNITY, place_detail="Market Square",
                    with_whom=WithWhom.OTHERS, childs_words="I'm fine, stop asking.")
    assert saved.agency == p.police and saved.professional == p.police_officer and saved.recorded_by == p.police_officer
    assert saved.successful and saved.happened_at == when and saved.childs_words == "I'm fine, stop asking."
    assert saved.history.count() == 1 and saved.history.get().history_user == p.police_officer
    event = TimelineEvent.objects.get(child=child, kind="contact")
    assert event.occurred_at == when and event.agency == p.police
    assert event.summary == "Face to face in the community (Market Square), with other people. Paul Officer (Testshire Police)"


@pytest.mark.finding("F20")
def test_an_attempted_contact_is_never_successful(partnership, child):
    p = partnership
    tried = contact(by=p.social_worker, child=child, kind=ContactKind.ATTEMPTED, summary="Home visit; no answer. Card left.")
    assert not tried.successful and tried.with_whom == ""
    assert "the child was not seen or spoken to" in TimelineEvent.objects.get(child=child, kind="contact").summary
    # The model derives it too, whatever a caller sets.
    tried.successful = True
    tried.save()
    assert Contact.objects.get(pk=tried.pk).successful is False


def test_every_problem_is_reported_at_once_and_nothing_is_saved(partnership, child):
    p = partnership
    with pytest.raises(ValidationError) as exc:
        services.record_contact(by=p.social_worker, child=child, happened_at=timezone.now() + dt.timedelta(hours=2), kind="visit",
                                summary=" ", place="garden")
    assert set(exc.value.error_dict) == {"happened_at", "kind", "summary", "place"}
    assert "now or in the past" in exc.value.error_dict["happened_at"][0].message
    with pytest.raises(ValidationError) as exc:
        services.record_contact(by=p.social_worker, child=child, happened_at=hours_ago(1), kind=ContactKind.FACE_TO_FACE,
                                summary="Seen", place=Place.OTHER)
    assert set(exc.value.error_dict) == {"with_whom", "place_detail"}
    with pytest.raises(ValidationError) as exc:
        services.record_contact(by=p.social_worker, child=child, happened_at=hours_ago(1), kind=ContactKind.ATTEMPTED,
                                summary="No answer", childs_words="Go away")
    assert set(exc.value.error_dict) == {"place", "childs_words"}
    assert not Contact.objects.exists() and not TimelineEvent.objects.filter(kind="contact").exists()


def test_future_and_impossible_dates_are_refused(partnership, child):
    p = partnership
    with pytest.raises(ValidationError) as exc:
        contact(by=p.social_worker, child=child, happened_at=timezone.now() + dt.timedelta(minutes=5))
    assert "happened_at" in exc.value.error_dict
    before_birth = timezone.make_aware(dt.datetime.combine(child.date_of_birth - dt.timedelta(days=1), dt.time(10)))
    with pytest.raises(ValidationError) as exc:
        contact(by=p.social_worker, child=child, happened_at=before_birth)
    assert "date of birth" in exc.value.error_dict["happened_at"][0].message
    with pytest.raises(ValueError):
        contact(by=p.social_worker, child=child, happened_at=dt.datetime(2026, 1, 4, 10, 0))
    assert not Contact.objects.exists()


def test_a_phone_call_needs_no_place_but_a_visit_does(partnership, child):
    p = partnership
    call = contact(by=p.social_worker, child=child, kind=ContactKind.PHONE, place="", with_whom=WithWhom.PARENT_OR_CARER)
    assert call.place == "" and call.successful
    with pytest.raises(ValidationError) as exc:
        contact(by=p.social_worker, child=child, kind=ContactKind.FACE_TO_FACE, place="")
    assert set(exc.value.error_dict) == {"place"}


def test_only_an_agency_working_with_the_child_records_a_contact(partnership, child):
    p = partnership
    with pytest.raises(PermissionDenied):
        contact(by=p.school_lead, child=child)  # the school is not involved
    with pytest.raises(PermissionDenied):
        contact(by=p.auditor, child=child)
    with pytest.raises(PermissionDenied):
        contact(by=p.chair, child=child)  # sees every child, but records for no agency
    request_break_glass(by=p.nurse, identifier_kind=IdentifierKind.NHS, identifier_value="9434765919",
                        date_of_birth=child.date_of_birth, reason="Seen in A&E at night; need to know who works with her")
    with pytest.raises(PermissionDenied):
        contact(by=p.nurse, child=child)  # emergency access reads, never records
    assert not Contact.objects.exists()


def test_the_hub_records_for_its_agency(partnership, child):
    p = partnership
    saved = contact(by=p.hub, child=child, kind=ContactKind.PHONE, place="")
    assert saved.agency == p.social_care and saved.professional == p.hub


def test_the_agency_and_the_professional(partnership, child):
    p = partnership
    # Someone in two agencies that both work with the child says which one they record for.
    both = make_user(p.social_care, Role.PRACTITIONER, name="Dual Role")
    add_membership(by=None, user=both, agency=p.police, role=Role.PRACTITIONER)
    with pytest.raises(ValidationError) as exc:
        contact(by=both, child=child)
    assert set(exc.value.error_dict) == {"agency"}
    assert contact(by=both, child=child, agency=p.police).agency == p.police
    with pytest.raises(ValidationError) as exc:
        contact(by=both, child=child, agency=p.school)
    assert "agency" in exc.value.error_dict
    # A colleague may be named as having had the contact; someone of another agency may not.
    colleague = make_user(p.police, Role.PRACTITIONER, name="Colleague Constable")
    saved = contact(by=p.police_officer, child=child, professional=colleague)
    assert saved.professional == colleague and saved.recorded_by == p.police_officer
    assert "recorded by Paul Officer" in TimelineEvent.objects.filter(kind="contact").first().summary
    with pytest.raises(ValidationError) as exc:
        contact(by=p.police_officer, child=child, professional=p.nurse)
    assert set(exc.value.error_dict) == {"professional"}


def test_contacts_are_never_deleted(partnership, child):
    saved = contact(by=partnership.social_worker, child=child)
    with pytest.raises(HardDeleteRefused):
        saved.delete()
    with pytest.raises(HardDeleteRefused):
        Contact.objects.all().delete()
    record = supervision(by=partnership.social_care_manager, child=child)
    with pytest.raises(HardDeleteRefused):
        record.delete()
    with pytest.raises(HardDeleteRefused):
        SupervisionRecord.objects.filter(pk=record.pk).delete()
    assert Contact.objects.count() == 1 and SupervisionRecord.objects.count() == 1


# --- Supervision ---------------------------------------------------------------------------


@pytest.mark.finding("F38")
def test_a_manager_of_an_involved_agency_records_supervision(partnership, child):
    p = partnership
    record = supervision(by=p.social_care_manager, child=child, supervisee=p.social_worker, held_on=local_today() - dt.timedelta(days=2),
                         actions_agreed="Strategy discussion this week.")
    assert record.supervisor == p.social_care_manager and record.agency == p.social_care and record.supervisee == p.social_worker
    assert record.history.get().history_user == p.social_care_manager
    note = Notification.objects.get(category="supervision")
    assert note.recipient == p.social_worker and note.url == f"/contacts/child/{child.pk}/supervision/"
    assert "Strategy" not in note.body  # the reflection and actions stay on the page
    # Supervision is not on the timeline everyone working with the child reads.
    assert not TimelineEvent.objects.filter(child=child, summary__icontains="supervision").exists()


@pytest.mark.finding("F38")
def test_only_managers_and_the_hub_record_supervision(partnership, child):
    p = partnership
    for user in (p.social_worker, p.police_officer, p.chair, p.auditor, p.school_lead):
        with pytest.raises(PermissionDenied):
            supervision(by=user, child=child)
    outsider = make_user(p.school, Role.MANAGER, name="School Manager")  # the school is not involved
    with pytest.raises(PermissionDenied):
        supervision(by=outsider, child=child)
    # The hub records supervision it gave, or a manager's.
    assert supervision(by=p.hub, child=child).agency == p.social_care
    record = supervision(by=p.hub, child=child, supervisor=p.social_care_manager, supervisee=p.social_worker)
    assert record.supervisor == p.social_care_manager and record.recorded_by == p.hub
    assert SupervisionRecord.objects.count() == 2


def test_supervision_is_checked_and_nothing_saved_on_error(partnership, child):
    p = partnership
    police_manager = make_user(p.police, Role.MANAGER, name="Police Manager")
    with pytest.raises(ValidationError) as exc:
        supervision(by=p.social_care_manager, child=child, held_on=local_today() + dt.timedelta(days=1), reflection="  ",
                    supervisee=p.police_officer)
    assert set(exc.value.error_dict) == {"held_on", "reflection", "supervisee"}
    with pytest.raises(ValidationError) as exc:
        supervision(by=p.social_care_manager, child=child, supervisor=police_manager)
    assert set(exc.value.error_dict) == {"supervisor"}  # a manager records the supervision they gave
    with pytest.raises(ValidationError) as exc:
        supervision(by=p.hub, child=child, supervisor=p.social_worker)
    assert "not a manager" in exc.value.error_dict["supervisor"][0].message
    with pytest.raises(ValidationError) as exc:
        supervision(by=p.social_care_manager, child=child, supervisee=p.social_care_manager)
    assert set(exc.value.error_dict) == {"supervisee"}
    with pytest.raises(ValidationError) as exc:
        services.record_supervision(by=p.social_care_manager, child=child, held_on=None, reflection="Risk rising")
    assert set(exc.value.error_dict) == {"held_on"}
    # A manager of two involved agencies names the agency.
    add_membership(by=None, user=p.social_care_manager, agency=p.police, role=Role.MANAGER)
    with pytest.raises(ValidationError) as exc:
        supervision(by=p.social_care_manager, child=child)
    assert set(exc.value.error_dict) == {"agency"}
    assert supervision(by=p.social_care_manager, child=child, agency=p.police, supervisee=p.police_officer).agency == p.police
    assert SupervisionRecord.objects.count() == 1


def test_a_manager_of_an_agency_that_stops_working_with_the_child_no_longer_records(partnership, child):
    p = partnership
    other = AgencyFactory(name="Testshire Youth Service")
    manager = make_user(other, Role.MANAGER, name="Youth Manager")
    involvement = add_involvement(by=p.social_worker, child=child, agency=other, role="Youth worker")
    supervision(by=manager, child=child)
    from lantern.children.services import end_involvement

    end_involvement(by=p.social_worker, involvement=involvement, reason="Work completed", expected_version=involvement.version)
    with pytest.raises(PermissionDenied):
        supervision(by=manager, child=child)
