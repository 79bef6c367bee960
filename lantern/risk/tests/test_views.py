import datetime as dt

import pytest
from django.urls import reverse

from lantern.children import services as child_services
from lantern.children.tests.factories import register_child
from lantern.core.dates import local_today
from lantern.risk import services
from lantern.risk.catalogue import current_catalogue
from lantern.risk.models import CatalogueVersion, RiskDecision, Screening

from .factories import NOW, decide, screen


@pytest.fixture
def child(partnership):
    p = partnership
    registered = register_child(by=p.school_lead, age=15, first_name="Cerys", last_name="Larkspur")
    child_services.add_involvement(by=p.school_lead, child=registered, agency=p.police, role="Officer", professional=p.police_officer)
    return registered


def _page(client, user, url, **kwargs):
    client.force_login(user)
    return client.get(url, **kwargs)


def _screening_form(**seen):
    """The screening form's data: every indicator not seen, except those given as id=(when, evidence)."""
    data = {"catalogue_version": current_catalogue().version, "childs_views": "I'm fine", "analysis": "Worrying"}
    for ident, (when, evidence) in seen.items():
        data[f"when_{ident.replace('_', '-')}"] = when
        data[f"evidence_{ident.replace('_', '-')}"] = evidence
    return data


def _review_date(days=30):
    day = local_today() + dt.timedelta(days=days)
    return {"next_review_on_0": day.day, "next_review_on_1": day.month, "next_review_on_2": day.year}


# The child page ---------------------------------------------------------------------------------

@pytest.mark.finding("F03")
def test_child_page_shows_the_current_level_to_every_involved_agency(client, partnership, child):
    p = partnership
    body = _page(client, p.police_officer, reverse("children:detail", args=[child.pk])).content.decode()
    assert "Risk level" in body and "Not yet decided" in body
    assert reverse("risk:screen", args=[child.pk]) in body
    assert reverse("risk:decide", args=[child.pk]) not in body  # practitioners do not decide
    screening = screen(by=p.school_lead, child=child, indicators=[("SEX-12", NOW, "Told her teacher")])
    decide(by=p.hub, child=child, level="high", reason="She told her teacher she is being exploited", screenings=[screening])
    body = _page(client, p.police_officer, reverse("children:detail", args=[child.pk])).content.decode()
    assert "govuk-tag--red\">High</strong>" in body
    assert "Decided by Harriet Hub (exploitation hub)" in body and "She told her teacher" in body
    assert 'role="img"' in body and "Sexual exploitation: high from" in body  # the chart and its description
    assert "The level history as a table (1 decision)" in body
    hub_body = _page(client, p.hub, reverse("children:detail", args=[child.pk])).content.decode()
    assert reverse("risk:decide", args=[child.pk]) in hub_body


@pytest.mark.finding("F09")
@pytest.mark.finding("F22")
def test_child_page_lists_screenings_emotional_health_and_agencies_that_have_not_screened(client, partnership, child):
    p = partnership
    screen(by=p.school_lead, child=child, indicators=[("EMO-01", NOW, "Cuts on her arms")])
    body = _page(client, p.school_lead, reverse("children:detail", args=[child.pk])).content.decode()
    assert "The latest screening by each agency" in body
    assert "Self-harms (now; Testford Academy" in body
    assert "Involved agencies that have not screened in the last 3 months: <strong>Testshire Police</strong>" in body


def test_child_page_warns_of_a_referral_not_confirmed(client, partnership):
    p = partnership
    young = register_child(by=p.school_lead, age=12)
    screen(by=p.school_lead, child=young, indicators=[("SEX-08", NOW)])
    body = _page(client, p.school_lead, reverse("children:detail", args=[young.pk])).content.decode()
    assert "must be referred to children's social care, and the referral is not confirmed" in body


# Screening ----------------------------------------------------------------------------------------

def test_screen_page_offers_every_indicator_without_javascript(client, partnership, child):
    body = _page(client, partnership.school_lead, reverse("risk:screen", args=[child.pk])).content.decode()
    assert body.count('<select class="govuk-select"') == len([
        i for _, items in current_catalogue().of_kind("risk") + current_catalogue().of_kind("risk_to_others") for i in items
    ])
    assert "Harmful sexual behaviour by the child" in body and "Emotional health and self-harm" in body
    assert 'name="evidence_SEX-01"' in body and 'value="past_12_months"' in body
    assert "I have referred this child to children" in body
    assert 'name="agency"' not in body  # only one agency to screen for


def test_submitting_a_screening_shows_the_result(client, partnership, child):
    p = partnership
    client.force_login(p.school_lead)
    data = _screening_form(SEX_01=(NOW, "Older boyfriend"), SEX_02=("past_12_months", "Seen getting into a taxi in March"), VUL_01=(NOW, ""), MIS_02=(NOW, ""))
    data["strengths"] = ["STR-03"]
    response = client.post(reverse("risk:screen", args=[child.pk]), data, follow=True)
    screening = Screening.objects.get()
    assert response.redirect_chain[-1][0] == reverse("risk:screening", args=[screening.pk])
    body = response.content.decode()
    assert screening.score_sexual == 8 and screening.suggested_sexual == "low"
    assert "suggested, score 8" in body and "Older boyfriend" in body and "Goes to school, college or work regularly" in body
    assert "Refer this child" not in body


def test_a_significant_indicator_without_evidence_is_refused_on_the_page(client, partnership, child):
    client.force_login(partnership.school_lead)
    response = client.post(reverse("risk:screen", args=[child.pk]), _screening_form(SEX_01=(NOW, ""), VUL_02=("", "Evidence but no when")))
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert "Enter the evidence for &#x27;Relationship with a controlling or much older partner&#x27;" in body
    assert "You entered evidence for &#x27;Family breakdown, or a chaotic household&#x27;" in body
    assert 'href="#id_when_VUL-02"' in body
    assert not Screening.objects.exists()


def test_a_screening_for_a_young_child_prompts_the_referral_and_records_it(client, partnership):
    p = partnership
    young = register_child(by=p.school_lead, age=12)
    client.force_login(p.school_lead)
    response = client.post(reverse("risk:screen", args=[young.pk]), _screening_form(SEX_08=(NOW, "")), follow=True)
    body = response.content.decode()
    assert "Refer this child to children's social care now" in body and "The referral is not yet confirmed" in body
    screening = Screening.objects.get()
    response = client.post(reverse("risk:confirm_referral", args=[screening.pk]), {"version": screening.version}, follow=True)
    assert "The referral was confirmed by Sam Lead" in response.content.decode()


def test_the_screen_page_keeps_the_workers_answers_when_the_catalogue_changes(client, partnership, child):
    p = partnership
    client.force_login(p.school_lead)
    data = _screening_form(SEX_01=(NOW, "Older boyfriend"))
    services.publish_catalogue_addition(by=p.administrator, indicator_id="ONL-05", domain="online", wording="Meets adults met online",
                                        weight=1, weight_past=1, applies_to=["sexual"], change_note="Review")
    response = client.post(reverse("risk:screen", args=[child.pk]), data)
    body = response.content.decode()
    assert "The indicator catalogue was updated (it is now version 2)" in body
    assert "Older boyfriend" in body and "Meets adults met online" in body and 'name="catalogue_version" id="id_catalogue_version" value="2"' in body
    assert not Screening.objects.exists()


def test_screening_pages_are_not_found_for_a_child_the_user_may_not_see(client, partnership, child):
    p = partnership
    screening = screen(by=p.school_lead, child=child)
    for url in (reverse("risk:screen", args=[child.pk]), reverse("risk:screening", args=[screening.pk]),
                reverse("risk:screenings", args=[child.pk]), reverse("risk:decide", args=[child.pk]), reverse("risk:screening", args=[99999])):
        assert _page(client, p.nurse, url).status_code == 404


def test_screenings_page_lists_every_screening(client, partnership, child):
    p = partnership
    screen(by=p.school_lead, child=child)
    screen(by=p.police_officer, child=child, indicators=[("SEX-12", NOW)])
    body = _page(client, p.school_lead, reverse("risk:screenings", args=[child.pk])).content.decode()
    assert "Testford Academy, Sam Lead" in body and "Testshire Police, Paul Officer" in body


# Deciding the level -------------------------------------------------------------------------------

@pytest.mark.finding("F03")
def test_a_practitioner_is_told_they_cannot_decide(client, partnership, child):
    response = _page(client, partnership.police_officer, reverse("risk:decide", args=[child.pk]))
    assert response.status_code == 403
    assert "Only the exploitation hub or a meeting chair can decide the risk level" in response.content.decode()


def test_decide_page_asks_for_a_screening_first(client, partnership, child):
    body = _page(client, partnership.hub, reverse("risk:decide", args=[child.pk])).content.decode()
    assert "There is no screening of Cerys Larkspur in the last 12 months" in body


@pytest.mark.finding("F03")
def test_the_hub_decides_both_levels_on_one_page(client, partnership, child):
    p = partnership
    school = screen(by=p.school_lead, child=child, indicators=[("SEX-12", NOW)])
    police = screen(by=p.police_officer, child=child, indicators=[("CRIM-01", NOW), ("CRIM-02", NOW), ("VUL-01", NOW)])
    older = screen(by=p.school_lead, child=child)
    older.screened_at -= dt.timedelta(days=10)
    older.save(update_fields=["screened_at"])
    body = _page(client, p.hub, reverse("risk:decide", args=[child.pk])).content.decode()
    assert "Do not decide now" in body and "suggests high for sexual exploitation (score 5)" in body
    # The latest screening by each agency is chosen, as checkboxes.
    for item, checked in ((school, True), (police, True), (older, False)):
        assert (f'type="checkbox" value="{item.pk}" checked>' in body) is checked
    data = {
        "level_sexual": "high", "level_criminal": "medium", "level_risk_to_others": "keep",
        "screenings": [school.pk, police.pk], "reason": "Disclosure to school; police see county lines activity",
        "source": "hub", "current_sexual": "", "current_criminal": "", "current_risk_to_others": "", **_review_date(),
    }
    response = client.post(reverse("risk:decide", args=[child.pk]), data)
    assert response.status_code == 302
    decisions = {d.kind: d for d in RiskDecision.objects.all()}
    assert set(decisions) == {"sexual", "criminal"}
    assert decisions["criminal"].suggested_level == "medium" and decisions["sexual"].level == "high"


@pytest.mark.finding("F03")
def test_the_decide_page_refuses_a_departure_without_reason_and_saves_neither_level(client, partnership, child):
    p = partnership
    screening = screen(by=p.school_lead, child=child, indicators=[("SEX-01", NOW)])  # suggests none for both
    client.force_login(p.hub)
    data = {
        "level_sexual": "high", "level_criminal": "none", "level_risk_to_others": "keep",
        "screenings": [screening.pk], "reason": "Judgement", "source": "hub", **_review_date(120),
    }
    response = client.post(reverse("risk:decide", args=[child.pk]), data)
    body = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in body
    assert "The screenings suggest no identified risk. Explain why the level is high" in body
    assert "The next review must be within 3 months of the decision" in body
    assert body.count("The next review must be within 3 months") == 2  # once in the summary, once by the field
    assert not RiskDecision.objects.exists()


def test_the_decide_page_needs_at_least_one_level(client, partnership, child):
    p = partnership
    screening = screen(by=p.school_lead, child=child)
    client.force_login(p.hub)
    response = client.post(reverse("risk:decide", args=[child.pk]), {
        "level_sexual": "keep", "level_criminal": "keep", "level_risk_to_others": "keep",
        "screenings": [screening.pk], "reason": "x", "source": "hub", **_review_date(),
    })
    assert "Choose a level for at least one kind of risk" in response.content.decode()


def test_a_stale_decide_page_is_refused(client, partnership, child):
    p = partnership
    screening = screen(by=p.school_lead, child=child, indicators=[("SEX-12", NOW)])
    client.force_login(p.hub)
    data = {"level_sexual": "high", "level_criminal": "keep", "level_risk_to_others": "keep", "screenings": [screening.pk],
            "reason": "Disclosure", "source": "hub", "current_sexual": "", **_review_date()}
    decide(by=p.chair, child=child, level="high", screenings=[screening], source="meeting")
    response = client.post(reverse("risk:decide", args=[child.pk]), data)
    assert "Someone else changed this record" in response.content.decode()
    assert RiskDecision.objects.count() == 1


# The catalogue ------------------------------------------------------------------------------------

def test_catalogue_page_is_for_the_administrator_only(client, partnership):
    assert _page(client, partnership.hub, reverse("risk:catalogue")).status_code == 404
    body = _page(client, partnership.administrator, reverse("risk:catalogue")).content.decode()
    assert "Indicator catalogue" in body and "SEX-12" in body and "Has told a professional they are being sexually exploited" in body
    assert "Publish version 2" in body
    assert 'href="/risk/catalogue/" aria-current="page">Indicator catalogue</a>' in body  # in the administrator's menu


def test_the_administrator_adds_an_indicator_on_the_page(client, partnership):
    client.force_login(partnership.administrator)
    data = {"expected_version": 1, "indicator_id": "onl-05", "domain": "online", "wording": "Meets adults met online",
            "weight": 1, "weight_past": 1, "applies_to": ["sexual"], "sources": ["domain"], "change_note": "Local review"}
    response = client.post(reverse("risk:catalogue"), data, follow=True)
    body = response.content.decode()
    assert "Version 2 of the catalogue is published with ONL-05" in body and "Meets adults met online" in body
    assert current_catalogue().indicator("ONL-05").applies_to == ("sexual",)
    response = client.post(reverse("risk:catalogue"), {**data, "expected_version": 2, "weight_past": 4})
    body = response.content.decode()
    assert "There is already an indicator ONL-05" in body and "no more than the weight when seen now" in body
    assert CatalogueVersion.objects.order_by("-number").first().number == 2


def test_every_risk_page_sends_anonymous_users_to_sign_in(client, partnership, child):
    screening = screen(by=partnership.school_lead, child=child)
    for name, args in [("catalogue", []), ("screen", [child.pk]), ("screenings", [child.pk]), ("decide", [child.pk]),
                       ("screening", [screening.pk]), ("confirm_referral", [screening.pk])]:
        response = client.get(reverse(f"risk:{name}", args=args))
        assert response.status_code == 302 and response["Location"].startswith("/sign-in/"), name


def test_screen_link_for_involved_agencies_and_the_hub_only(client, partnership):
    from lantern.children.tests.factories import register_child as new_child

    p = partnership
    child = new_child(by=p.school_lead)
    for user, shown in ((p.school_lead, True), (p.hub, True), (p.chair, False)):
        client.force_login(user)
        body = client.get(f"/children/{child.pk}/").content.decode()
        assert ("Screen this child" in body) is shown, user.email
