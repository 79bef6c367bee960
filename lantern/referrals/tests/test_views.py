"""The referral pages, as users see them: forms, errors, need to know, fixed query counts."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lantern.children.models import Child
from lantern.children.services import add_involvement
from lantern.children.tests.factories import register_child
from lantern.core.dates import LONDON, local_today
from lantern.notifications.models import Notification
from lantern.referrals import services
from lantern.referrals.models import CheckType, Outcome, Referral, StatutoryCheck
from lantern.referrals.tests.factories import refer


def _referral_form(**overrides):
    data = {
        "concern": "Seen with older males in a car outside school.",
        "indicators_sexual_exploitation": ["SEX-02", "SEX-08"],
        "indicators_criminal_exploitation": ["EXP-01"],
        "childs_words": "He's my boyfriend, he looks after me.",
        "action_taken": "Told mum.",
        "consent_sought": "yes",
        "urgency": "urgent",
    }
    data.update(overrides)
    return data


def _child_form(born: dt.date, **overrides):
    data = {
        "legal_first_name": "Amber", "legal_last_name": "Quillfeather", "date_of_birth_0": born.day,
        "date_of_birth_1": born.month, "date_of_birth_2": born.year, "sex": "F", "gender_identity": "not_known",
        "ethnicity": "NOBT", "disability": "not_known", "send_status": "not_known", "legal_status": "none",
        "involvement_role": "Designated safeguarding lead",
    }
    data.update(_referral_form())
    data.update(overrides)
    return data


def _born():
    today = local_today()
    return today.replace(year=today.year - 13) - dt.timedelta(days=3)


# --- Referring --------------------------------------------------------------------------------


@pytest.mark.finding("F04")
def test_referring_an_existing_child_from_their_page(client, partnership):
    p = partnership
    child = register_child(by=p.school_lead, first_name="Eden")
    client.force_login(p.school_lead)
    page = client.get(reverse("children:detail", args=[child.pk])).content.decode()
    assert "Referrals to the exploitation hub" in page and "No referrals to the exploitation hub." in page
    url = reverse("referrals:refer_child", args=[child.pk])
    assert url in page
    form_page = client.get(url).content.decode()
    assert "Gets into cars or taxis with adults they do not know" in form_page  # the catalogue's wording
    response = client.post(url, _referral_form())
    referral = Referral.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("referrals:detail", args=[referral.pk])
    assert referral.indicator_ids == ["SEX-02", "SEX-08", "EXP-01"] and referral.urgency == "urgent"
    body = client.get(response["Location"]).content.decode()
    assert "Eden" in body and "has been referred to the exploitation hub" in body
    assert "Unknown adults call, visit or collect them" in body
    assert "Awaiting outcome" in body
    assert Notification.objects.filter(recipient=p.hub, category="referral").count() == 1
    # The child page lists it.
    page = client.get(reverse("children:detail", args=[child.pk])).content.decode()
    assert reverse("referrals:detail", args=[referral.pk]) in page and "Awaiting outcome" in page


def test_bad_referral_input_shows_an_error_summary_and_saves_nothing(client, partnership):
    p = partnership
    child = register_child(by=p.school_lead)
    client.force_login(p.school_lead)
    url = reverse("referrals:refer_child", args=[child.pk])
    response = client.post(url, _referral_form(concern="", consent_sought="no", consent_not_sought_reason=""))
    body = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in body
    assert "Describe what worries you about the child" in body
    assert 'href="#id_concern"' in body
    assert Referral.objects.count() == 0
    response = client.post(url, _referral_form(consent_sought="no", consent_not_sought_reason=""))
    body = response.content.decode()
    assert "Enter why you did not ask for consent" in body and 'href="#id_consent_not_sought_reason"' in body
    response = client.post(url, _referral_form(indicators_sexual_exploitation=["SEX-99"]))
    assert "Select a valid choice" in response.content.decode()
    assert Referral.objects.count() == 0


def test_referring_a_child_the_user_cannot_see_is_not_found(client, partnership):
    p = partnership
    child = register_child(by=p.school_lead)
    client.force_login(p.police_officer)
    assert client.get(reverse("referrals:refer_child", args=[child.pk])).status_code == 404
    assert client.post(reverse("referrals:refer_child", args=[child.pk]), _referral_form()).status_code == 404
    assert Referral.objects.count() == 0


def test_roles_without_case_work_cannot_refer(client, partnership):
    p = partnership
    child = register_child(by=p.school_lead)
    client.force_login(p.chair)  # sees every child, but does not refer
    assert client.get(reverse("referrals:refer_child", args=[child.pk])).status_code == 403
    assert client.get(reverse("referrals:refer_new_child")).status_code == 403
    client.force_login(p.auditor)
    assert client.get(reverse("referrals:refer_new_child")).status_code == 403
    assert client.get(reverse("referrals:list")).status_code == 403


@pytest.mark.finding("F11")
def test_referring_a_new_child_through_the_page(client, partnership):
    p = partnership
    client.force_login(p.school_lead)
    response = client.post(reverse("referrals:refer_new_child"), _child_form(_born(), nhs_number="943 476 5919"))
    referral = Referral.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("referrals:detail", args=[referral.pk])
    child = referral.child
    assert child.legal_first_name == "Amber" and child.identifiers.get().value == "943 476 5919"
    assert child.involvements.get().agency == p.school
    assert "added to the register and referred" in client.get(response["Location"]).content.decode()


@pytest.mark.finding("F11")
def test_a_possible_duplicate_is_shown_before_a_new_child_is_referred(client, partnership):
    p = partnership
    first = register_child(by=p.school_lead, first_name="Amber", last_name="Quillfeather")
    client.force_login(p.school_lead)
    url = reverse("referrals:refer_new_child")
    response = client.post(url, _child_form(first.date_of_birth))
    body = response.content.decode()
    assert "This child may already be on the register" in body
    assert reverse("children:detail", args=[first.pk]) in body
    assert reverse("referrals:refer_child", args=[first.pk]) in body
    assert Child.objects.count() == 1 and Referral.objects.count() == 0
    response = client.post(url, _child_form(first.date_of_birth, confirmed_not_duplicate="on"))
    assert response.status_code == 302
    assert Child.objects.count() == 2 and Referral.objects.count() == 1


@pytest.mark.finding("F11")
def test_a_new_child_with_a_bad_date_of_birth_is_refused_on_the_page(client, partnership):
    p = partnership
    client.force_login(p.school_lead)
    response = client.post(reverse("referrals:refer_new_child"), _child_form(local_today() + dt.timedelta(days=30)))
    assert "Date of birth must be today or in the past" in response.content.decode()
    assert Child.objects.count() == 0 and Referral.objects.count() == 0


# --- The referral page: outcome and checks --------------------------------------------------------


@pytest.mark.finding("F04")
def test_hub_records_the_outcome_on_the_page_and_the_school_sees_it(client, partnership):
    p = partnership
    child = register_child(by=p.school_lead)
    referral = refer(by=p.school_lead, child=child)
    url = reverse("referrals:detail", args=[referral.pk])
    client.force_login(p.school_lead)
    assert "Record the outcome" not in client.get(url).content.decode()
    client.force_login(p.hub)
    assert "Record the outcome" in client.get(url).content.decode()
    outcome_url = reverse("referrals:record_outcome", args=[referral.pk])
    response = client.post(outcome_url, {"outcome": "", "reason": ""})
    body = response.content.decode()
    assert "Select the outcome of the referral" in body and "Enter the reason for the outcome" in body
    response = client.post(outcome_url, {"outcome": Outcome.EXPLOITATION_MEETING, "reason": "Medium risk; discuss at the meeting."})
    assert response.status_code == 302
    client.force_login(p.school_lead)
    body = client.get(url).content.decode()
    assert "Exploitation risk meeting" in body and "Medium risk; discuss at the meeting." in body
    assert "Exploitation risk meeting" in client.get(reverse("children:detail", args=[child.pk])).content.decode()
    assert Notification.objects.filter(recipient=p.school_lead, category="referral").count() == 1
    # A second outcome is refused with a clear message.
    client.force_login(p.hub)
    response = client.post(outcome_url, {"outcome": Outcome.NO_FURTHER_ACTION, "reason": "Again"}, follow=True)
    assert "It cannot be recorded twice" in response.content.decode()
    referral.refresh_from_db()
    assert referral.outcome == Outcome.EXPLOITATION_MEETING


@pytest.mark.finding("F04")
def test_a_non_hub_user_posting_an_outcome_is_refused_and_nothing_changes(client, partnership):
    p = partnership
    referral = refer(by=p.school_lead, child=register_child(by=p.school_lead))
    client.force_login(p.school_lead)
    response = client.post(reverse("referrals:record_outcome", args=[referral.pk]), {"outcome": "nfa", "reason": "No"})
    assert response.status_code == 403
    referral.refresh_from_db()
    assert referral.outcome == ""
    # A GET of the action goes back to the referral page.
    assert client.get(reverse("referrals:record_outcome", args=[referral.pk]))["Location"] == reverse("referrals:detail", args=[referral.pk])


@pytest.mark.finding("F01")
def test_checks_on_the_page_missing_done_and_refused(client, partnership):
    p = partnership
    child = register_child(by=p.school_lead)
    referral = refer(by=p.school_lead, child=child)
    url = reverse("referrals:detail", args=[referral.pk])
    check_url = reverse("referrals:record_check", args=[referral.pk])
    client.force_login(p.school_lead)
    body = client.get(url).content.decode()
    assert "4 expected checks not recorded yet" in body
    assert 'value="education"' in body and 'value="pnc"' not in body  # only the school's own kind of check
    # A school cannot record a PNC check, even by posting it.
    response = client.post(check_url, {"check_type": CheckType.PNC, "result_note": "Nothing known"})
    body = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in body
    assert "Only the police can record this check" in body
    response = client.post(check_url, {"check_type": CheckType.EDUCATION, "result_note": ""})
    assert "Enter what the check found" in response.content.decode()
    assert StatutoryCheck.objects.count() == 0
    response = client.post(check_url, {"check_type": CheckType.EDUCATION, "result_note": "Attendance 61%"})
    assert response.status_code == 302
    body = client.get(url).content.decode()
    assert "3 expected checks not recorded yet" in body and "Attendance 61%" in body and "Sam Lead" in body
    response = client.post(check_url, {"check_type": CheckType.EDUCATION, "result_note": "Again"})
    assert "has already recorded this check" in response.content.decode()
    assert StatutoryCheck.objects.count() == 1


def test_referral_pages_are_not_found_for_an_uninvolved_agency(client, partnership):
    p = partnership
    referral = refer(by=p.school_lead, child=register_child(by=p.school_lead))
    client.force_login(p.police_officer)
    for name in ("detail", "record_check", "record_outcome"):
        url = reverse(f"referrals:{name}", args=[referral.pk])
        assert client.get(url).status_code == 404, name
        assert client.post(url, {"check_type": "pnc", "result_note": "x", "outcome": "nfa", "reason": "x"}).status_code == 404, name
    assert client.get(reverse("referrals:detail", args=[999999])).status_code == 404
    assert StatutoryCheck.objects.count() == 0
    # Once the police are involved with the child, they see it and can record their checks.
    add_involvement(by=p.school_lead, child=referral.child, agency=p.police, role="Exploitation officer")
    assert client.get(reverse("referrals:detail", args=[referral.pk])).status_code == 200
    response = client.post(reverse("referrals:record_check", args=[referral.pk]), {"check_type": "pnc", "result_note": "Nothing known"})
    assert response.status_code == 302


# --- Lists and the dashboard -------------------------------------------------------------------


def test_referral_list_shows_the_agencys_referrals_newest_first(client, partnership):
    p = partnership
    child = register_child(by=p.school_lead, first_name="Amber")
    older = refer(by=p.school_lead, child=child, received_at=dt.datetime(2025, 12, 24, 16, tzinfo=LONDON))
    newer = refer(by=p.school_lead, child=child)
    services.record_outcome(by=p.hub, referral=newer, outcome=Outcome.SCREENING, reason="Screen")
    refer(by=p.nurse, child=register_child(by=p.nurse, first_name="Bryony"))
    client.force_login(p.school_lead)
    response = client.get(reverse("referrals:list"))
    body = response.content.decode()
    assert [r.pk for r in response.context["page"]] == [newer.pk, older.pk]
    assert "Bryony" not in body and "Exploitation screening" in body and "overdue" in body
    response = client.get(reverse("referrals:list"), {"status": "awaiting"})
    assert [r.pk for r in response.context["page"]] == [older.pk]
    assert "Referrals" in body and reverse("referrals:refer_new_child") in body


def test_navigation_shows_referrals_and_the_hub_dashboard_to_the_right_people(client, partnership):
    p = partnership
    client.force_login(p.school_lead)
    body = client.get(reverse("home")).content.decode()
    assert reverse("referrals:list") in body and reverse("referrals:dashboard") not in body
    client.force_login(p.hub)
    body = client.get(reverse("home")).content.decode()
    assert reverse("referrals:list") in body and reverse("referrals:dashboard") in body
    client.force_login(p.auditor)
    body = client.get(reverse("home")).content.decode()
    assert reverse("referrals:list") not in body


def test_the_hub_dashboard_is_for_the_hub_only(client, partnership):
    p = partnership
    referral = refer(by=p.school_lead, child=register_child(by=p.school_lead, first_name="Amber"),
                     received_at=dt.datetime(2025, 12, 24, 16, tzinfo=LONDON))
    for user in (p.school_lead, p.social_care_manager, p.chair, p.auditor):
        client.force_login(user)
        assert client.get(reverse("referrals:dashboard")).status_code == 404
    client.force_login(p.hub)
    response = client.get(reverse("referrals:dashboard"))
    body = response.content.decode()
    assert response.status_code == 200
    assert response.context["dashboard"].awaiting == 1 and response.context["dashboard"].overdue == 1
    assert "1 overdue" in body and "Amber" in body and reverse("referrals:detail", args=[referral.pk]) in body


# --- A fixed number of queries ----------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_dashboard_makes_the_same_number_of_queries_whatever_the_number_of_referrals(client, partnership):
    p = partnership
    client.force_login(p.hub)
    url = reverse("referrals:dashboard")
    _queries(client, url)
    child = register_child(by=p.school_lead)
    refer(by=p.school_lead, child=child)
    one = _queries(client, url)
    add_involvement(by=p.school_lead, child=child, agency=p.police, role="Officer")
    for n in range(12):
        referral = refer(by=p.school_lead, child=register_child(by=p.school_lead), received_at=dt.datetime(2025, 12, 1 + n, 10, tzinfo=LONDON))
        services.record_check(by=p.school_lead, referral=referral, check_type=CheckType.EDUCATION, result_note="Nothing known")
        if n % 2:
            services.record_outcome(by=p.hub, referral=referral, outcome=Outcome.SCREENING, reason="Screen")
    assert _queries(client, url) == one


def test_the_referral_page_makes_the_same_number_of_queries_whatever_the_number_of_checks(client, partnership):
    p = partnership
    small_child = register_child(by=p.school_lead)
    small = refer(by=p.school_lead, child=small_child, indicator_ids=[])
    big_child = register_child(by=p.school_lead)
    for agency in (p.police, p.health):
        add_involvement(by=p.school_lead, child=big_child, agency=agency, role="Worker")
    big = refer(by=p.school_lead, child=big_child, indicator_ids=["SEX-01", "SEX-02", "CRIM-01", "MIS-01", "EMO-01", "VUL-03"])
    services.record_check(by=p.school_lead, referral=big, check_type=CheckType.EDUCATION, result_note="Nothing known")
    services.record_check(by=p.school_lead, referral=big, check_type=CheckType.OTHER, result_note="CCTV log")
    services.record_check(by=p.police_officer, referral=big, check_type=CheckType.PNC, result_note="Nothing known")
    services.record_check(by=p.police_officer, referral=big, check_type=CheckType.POLICE_LOCAL, result_note="Two reports")
    services.record_check(by=p.nurse, referral=big, check_type=CheckType.HEALTH, result_note="Information shared")
    services.record_outcome(by=p.hub, referral=big, outcome=Outcome.SCREENING, reason="Screen")
    for user in (p.school_lead, p.hub):
        client.force_login(user)
        _queries(client, reverse("referrals:detail", args=[small.pk]))
        assert _queries(client, reverse("referrals:detail", args=[small.pk])) == _queries(
            client, reverse("referrals:detail", args=[big.pk])
        )


def test_the_child_page_makes_the_same_number_of_queries_whatever_the_number_of_referrals(client, partnership):
    p = partnership
    small = register_child(by=p.school_lead)
    big = register_child(by=p.school_lead)
    refer(by=p.school_lead, child=small)  # one referral against five: a child never referred makes fewer
    for _ in range(5):
        referral = refer(by=p.school_lead, child=big)
        services.record_check(by=p.school_lead, referral=referral, check_type=CheckType.EDUCATION, result_note="Nothing known")
    client.force_login(p.school_lead)
    _queries(client, reverse("children:detail", args=[small.pk]))
    assert _queries(client, reverse("children:detail", args=[small.pk])) == _queries(client, reverse("children:detail", args=[big.pk]))


def test_strengths_are_not_offered_as_signs_of_concern(db):
    from lantern.referrals.forms import INDICATOR_PREFIX, ReferralForm

    names = [name for name in ReferralForm().fields if name.startswith(INDICATOR_PREFIX)]
    assert f"{INDICATOR_PREFIX}sexual_exploitation" in names
    assert f"{INDICATOR_PREFIX}strengths" not in names
