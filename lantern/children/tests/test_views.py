import datetime as dt

from django.urls import reverse

from lantern.children import services
from lantern.children.models import AccessLogEntry, BreakGlassAttempt, Child, IdentifierKind
from lantern.children.tests.factories import register_child
from lantern.core.dates import local_today
from lantern.notifications.models import Notification


def _form(born: dt.date, **overrides):
    data = {
        "legal_first_name": "Amber", "legal_last_name": "Quillfeather", "date_of_birth_0": born.day,
        "date_of_birth_1": born.month, "date_of_birth_2": born.year, "sex": "F", "gender_identity": "not_known",
        "ethnicity": "NOBT", "disability": "not_known", "send_status": "not_known", "legal_status": "none",
        "involvement_role": "Designated safeguarding lead",
    }
    data.update(overrides)
    return data


def test_adding_a_child_through_the_page(client, partnership):
    client.force_login(partnership.school_lead)
    born = local_today().replace(year=local_today().year - 13) - dt.timedelta(days=3)
    response = client.post(reverse("children:register"), _form(born, nhs_number="943 476 5919"))
    child = Child.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("children:detail", args=[child.pk])
    assert child.identifiers.get().value == "943 476 5919"
    page = client.get(response["Location"])
    assert "Amber Quillfeather has been added to the register" in page.content.decode()


def test_bad_date_of_birth_shows_an_error_summary_and_saves_nothing(client, partnership):
    client.force_login(partnership.school_lead)
    response = client.post(reverse("children:register"), _form(dt.date(2012, 2, 1), date_of_birth_0="31"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "Date of birth must be a real date" in body
    assert 'href="#id_date_of_birth_0"' in body
    assert Child.objects.count() == 0


def test_future_date_of_birth_is_refused_on_the_page(client, partnership):
    client.force_login(partnership.school_lead)
    response = client.post(reverse("children:register"), _form(local_today() + dt.timedelta(days=30)))
    assert "Date of birth must be today or in the past" in response.content.decode()
    assert Child.objects.count() == 0


def test_possible_duplicate_is_shown_before_saving(client, partnership):
    first = register_child(by=partnership.school_lead, first_name="Amber", last_name="Quillfeather")
    client.force_login(partnership.school_lead)
    response = client.post(reverse("children:register"), _form(first.date_of_birth))
    body = response.content.decode()
    assert "This child may already be on the register" in body
    assert reverse("children:detail", args=[first.pk]) in body
    assert Child.objects.count() == 1
    response = client.post(reverse("children:register"), _form(first.date_of_birth, confirmed_not_duplicate="on"))
    assert response.status_code == 302
    assert Child.objects.count() == 2


def test_stale_edit_is_refused_with_a_clear_message(client, partnership):
    p = partnership
    child = register_child(by=p.school_lead, first_name="Amber", last_name="Quillfeather")
    client.force_login(p.school_lead)
    form = client.get(reverse("children:edit", args=[child.pk])).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    born = child.date_of_birth
    data.update({"date_of_birth_0": born.day, "date_of_birth_1": born.month, "date_of_birth_2": born.year, "version": child.version})
    data.pop("date_of_birth", None)
    data = {k: ("on" if v is True else v) for k, v in data.items() if v is not False}
    services.update_child_details(by=p.school_lead, child=child, expected_version=child.version, address_area="Northgate")
    response = client.post(reverse("children:edit", args=[child.pk]), {**data, "address_area": "Millbrook"})
    assert "Someone else changed this record while you were editing it" in response.content.decode()
    child.refresh_from_db()
    assert child.address_area == "Northgate"


def test_emergency_access_through_the_pages(client, partnership):
    p = partnership
    child = register_child(by=p.school_lead, identifiers=[(IdentifierKind.NHS, "943 476 5919")])
    client.force_login(p.police_officer)
    assert client.get(reverse("children:detail", args=[child.pk])).status_code == 404
    born = child.date_of_birth
    data = {"identifier_kind": IdentifierKind.NHS, "identifier_value": "9434765919", "date_of_birth_0": born.day,
            "date_of_birth_1": born.month, "date_of_birth_2": born.year, "reason": "Child found in a car at 3am with adults"}
    response = client.post(reverse("children:break_glass"), data)
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "You are using emergency access" in page.content.decode()
    entry = AccessLogEntry.objects.filter(child=child, user=p.police_officer).latest("at")
    assert entry.break_glass is not None
    assert Notification.objects.filter(recipient=p.hub, category="break_glass").exists()
    # The hub sees it on its report and can review and end it.
    client.force_login(p.hub)
    report = client.get(reverse("children:break_glass_report")).content.decode()
    assert "Child found in a car at 3am with adults" in report
    client.post(reverse("children:review_break_glass", args=[entry.break_glass.pk]), {"note": "Justified, police attended", "revoke": "yes"})
    client.force_login(p.police_officer)
    assert client.get(reverse("children:detail", args=[child.pk])).status_code == 404


def test_emergency_access_with_wrong_details_finds_nothing_but_is_recorded(client, partnership):
    p = partnership
    child = register_child(by=p.school_lead, identifiers=[(IdentifierKind.NHS, "943 476 5919")])
    client.force_login(p.police_officer)
    born = child.date_of_birth + dt.timedelta(days=1)
    data = {"identifier_kind": IdentifierKind.NHS, "identifier_value": "9434765919", "date_of_birth_0": born.day,
            "date_of_birth_1": born.month, "date_of_birth_2": born.year, "reason": "Child found in a car at 3am with adults"}
    response = client.post(reverse("children:break_glass"), data)
    assert "No record matches those details" in response.content.decode()
    attempt = BreakGlassAttempt.objects.get()
    assert attempt.grant is None and attempt.user == p.police_officer


def test_emergency_access_needs_a_real_reason(client, partnership):
    client.force_login(partnership.police_officer)
    response = client.post(reverse("children:break_glass"), {"identifier_kind": "nhs", "identifier_value": "1", "date_of_birth_0": "1",
                                                               "date_of_birth_1": "1", "date_of_birth_2": "2012", "reason": "urgent"})
    assert "Explain why you need emergency access" in response.content.decode()
    assert BreakGlassAttempt.objects.count() == 0


def test_access_log_is_shown_to_managers_and_hub_not_practitioners(client, partnership):
    p = partnership
    child = register_child(by=p.social_worker)
    client.force_login(p.social_worker)
    assert "Who has looked at this record" not in client.get(reverse("children:detail", args=[child.pk])).content.decode()
    client.force_login(p.social_care_manager)
    body = client.get(reverse("children:detail", args=[child.pk])).content.decode()
    assert "Who has looked at this record" in body and "Sally Worker" in body


def test_history_page_shows_what_changed(client, partnership):
    p = partnership
    child = register_child(by=p.school_lead, first_name="Amber")
    services.update_child_details(by=p.school_lead, child=child, expected_version=child.version, preferred_name="Bee", reason="Asked")
    client.force_login(p.school_lead)
    body = client.get(reverse("children:history", args=[child.pk])).content.decode()
    assert "Preferred name" in body and "Bee" in body and "Reason: Asked" in body


def test_adding_and_ending_an_involvement_through_the_pages(client, partnership):
    p = partnership
    child = register_child(by=p.school_lead, make_lead=True)
    client.force_login(p.school_lead)
    response = client.post(reverse("children:add_involvement", args=[child.pk]),
                           {"agency": p.police.pk, "professional": p.police_officer.pk, "role": "Child exploitation officer"})
    assert response.status_code == 302
    involvement = child.involvements.get(agency=p.police)
    response = client.post(reverse("children:end_involvement", args=[child.pk, involvement.pk]), {"reason": "", "version": involvement.version})
    assert "Enter why the involvement is ending" in response.content.decode()
    response = client.post(reverse("children:end_involvement", args=[child.pk, involvement.pk]),
                           {"reason": "Enquiry finished", "version": involvement.version})
    assert response.status_code == 302
    involvement.refresh_from_db()
    assert involvement.ended_on == local_today()


def test_part_filled_date_says_which_part_is_missing(client, partnership):
    client.force_login(partnership.school_lead)
    response = client.post(reverse("children:register"), _form(dt.date(2012, 2, 1), date_of_birth_1=""))
    assert "Date of birth must include a month" in response.content.decode()
    assert Child.objects.count() == 0


def test_full_access_log_for_managers_only(client, partnership):
    p = partnership
    child = register_child(by=p.social_worker)
    client.force_login(p.social_worker)
    client.get(reverse("children:detail", args=[child.pk]))
    assert client.get(reverse("children:access_log", args=[child.pk])).status_code == 404
    client.force_login(p.social_care_manager)
    body = client.get(reverse("children:access_log", args=[child.pk])).content.decode()
    assert "Sally Worker" in body and "Opened the child&#x27;s page" in body
    assert AccessLogEntry.objects.filter(child=child, user=p.social_care_manager, purpose="access_log").exists()
