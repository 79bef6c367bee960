"""The audit pages: who sees each (anyone else gets "not found"), that every form runs its service,
that bad input shows the GOV.UK error summary and changes nothing, that lead auditors never see a
child's name, that an agency auditor's look at a form is in the child's access log, and that the
return grid makes a fixed number of queries whatever the size of the round."""

import datetime as dt
import html

import pytest
from django.urls import reverse

from lantern.children import services as child_services
from lantern.children.models import AccessLogEntry, AccessPurpose
from lantern.children.tests.factories import register_child
from lantern.core.dates import local_today
from lantern.partnership.models import Role
from lantern.partnership.tests.factories import make_user

from .. import services
from ..models import (
    AuditAnswer, AuditCase, AuditForm, AuditRound, AuditTemplate, AuditTemplateVersion, FormEvent, FormStatus, NilReason,
    ReviewSession, RoundStatus,
)
from .conftest import set_level
from .factories import answers_for

pytestmark = pytest.mark.django_db

ERROR_SUMMARY = "govuk-error-summary"


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _url(name, *args):
    return reverse(f"audits:{name}", args=args)


def _as(client, user):
    client.force_login(user)
    return client


def _date(prefix: str, day: dt.date) -> dict:
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


@pytest.fixture
def opened(audit_world):
    """A round of Amy (A), Ben (B) and Cal (C), its forms sent; health added for every case."""
    w = audit_world
    audit_round = w.new_round()
    services.open_round(by=w.lead, audit_round=audit_round, extra_agencies=[w.p.health])
    return audit_round


def _form(audit_round, agency, label="A"):
    return AuditForm.objects.get(round=audit_round, agency=agency, case__label=label)


# Who sees the audit pages --------------------------------------------------------------------


def test_the_audits_home_lists_rounds_and_counts_for_auditors(client, audit_world, opened):
    w = audit_world
    response = _as(client, w.lead).get(_url("index"))
    text = _text(response)
    assert response.status_code == 200
    assert "Exploitation audit" in text and "Audits you lead" in text
    assert "0 of 8" in text  # A: social care, school, health; B: social care, police, health; C: social care, health
    assert reverse("audits:my_forms") in text and reverse("audits:templates") in text
    # Another auditor sees the round in the list, but not as a link to its page.
    text = _text(_as(client, w.police_auditor).get(_url("index")))
    assert "Exploitation audit" in text and _url("round", opened.pk) not in text
    assert "1 to complete" in text  # the police form for Ben


@pytest.mark.parametrize("who", ["social_worker", "hub", "board_member", "administrator"])
def test_people_without_the_auditor_role_get_not_found(client, audit_world, opened, who):
    w = audit_world
    user = getattr(w.p, who)
    form = _form(opened, w.p.school)
    _as(client, user)
    for url in (
        _url("index"), _url("templates"), _url("template_new"), _url("template", opened.template_version.template_id),
        _url("round_new"), _url("round", opened.pk), _url("round_add_case", opened.pk), _url("form", form.pk),
        _url("form_nil_return", form.pk), _url("form_return", form.pk),
    ):
        assert client.get(url).status_code == 404, url
    # Their forms page is empty, not an error.
    response = client.get(_url("my_forms"))
    assert response.status_code == 200 and "Your agency has no audit forms" in _text(response)


def test_a_round_is_not_found_by_auditors_who_do_not_lead_it(client, audit_world, opened):
    w = audit_world
    _as(client, w.police_auditor)
    case = opened.cases.first()
    for url in (
        _url("round", opened.pk), _url("round_sample", opened.pk), _url("round_open", opened.pk), _url("round_close", opened.pk),
        _url("round_moderation", opened.pk), _url("case_withdraw", opened.pk, case.pk), _url("review_session_new", opened.pk),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(_url("case_deep_dive", opened.pk, case.pk), {"deep_dive": "1"}).status_code == 404
    case.refresh_from_db()
    assert not case.deep_dive


def test_another_agencys_form_is_not_found(client, audit_world, opened):
    w = audit_world
    school_form = _form(opened, w.p.school)
    _as(client, w.police_auditor)
    assert client.get(_url("form", school_form.pk)).status_code == 404
    assert client.post(_url("form", school_form.pk), {"version": school_form.version, "action": "draft"}).status_code == 404
    assert client.get(_url("form_nil_return", school_form.pk)).status_code == 404
    assert client.get(_url("form_return", school_form.pk)).status_code == 404
    assert client.get(_url("form", 999999)).status_code == 404
    assert not AccessLogEntry.objects.filter(user=w.police_auditor).exists()


# Templates and the editor (F37) ---------------------------------------------------------------


def test_template_list_and_detail_show_questions_and_version_history(client, audit_world, opened):
    w = audit_world
    _as(client, w.lead)
    text = _text(client.get(_url("templates")))
    assert "Multi-agency exploitation audit" in text and "Dip sample" in text
    template = opened.template_version.template
    text = _text(client.get(_url("template", template.pk)))
    assert "Referral and identification of risk" in text
    assert "Were the statutory checks recorded on the file?" in text
    assert "Yes, no, partly or not applicable" in text and "Every agency" in text
    assert "Shipped with Lantern" in text and "Yes, by 1 audit" in text


def test_a_new_template_is_written_without_json(client, audit_world):
    w = audit_world
    response = _as(client, w.lead).post(_url("template_new"), {
        "name": "Missing from education dip sample", "key": "missing-education", "kind": "dip_sample",
        "description": "Children missing from education", "factors": "Excluded\nPart-time timetable",
        "theme_title": "Attendance and exclusion", "narrative": "on",
        "question_text": "Was the school told within a day?", "question_type": "yes_no",
        "question_guidance": "Look at the first missing episode", "question_agency_types": ["education", "social_care"],
    })
    template = AuditTemplate.objects.get(key="missing-education")
    assert response.status_code == 302 and response.url == _url("template", template.pk)
    document = template.versions.get().document
    assert document["themes"][0]["id"] == "AE"
    assert document["themes"][0]["questions"][0] == {
        "id": "AE-01", "text": "Was the school told within a day?", "type": "yes_no",
        "guidance": "Look at the first missing episode", "agency_types": ["education", "social_care"],
    }
    assert [f["text"] for f in document["factors"]] == ["Excluded", "Part-time timetable"]


def test_a_bad_new_template_is_refused_and_nothing_is_saved(client, audit_world):
    w = audit_world
    before = AuditTemplate.objects.count()
    _as(client, w.lead)
    response = client.post(_url("template_new"), {"name": "", "key": "Bad Key", "kind": "audit", "theme_title": "A theme",
                                                  "question_text": "", "question_type": "yes_no"})
    text = _text(response)
    assert response.status_code == 200 and ERROR_SUMMARY in text
    assert "Enter the template's name" in text and "lower-case letters and digits" in text and "Enter the question" in text
    # A checklist of factors with no factors, and a key already taken: the service's messages.
    response = client.post(_url("template_new"), {"name": "A", "key": "a-b", "kind": "audit", "theme_title": "A theme",
                                                  "question_text": "Factors?", "question_type": "factors"})
    assert "needs the template's list of factors" in _text(response)
    response = client.post(_url("template_new"), {"name": "A", "key": "dip-sample", "kind": "audit", "theme_title": "A theme",
                                                  "question_text": "Q?", "question_type": "yes_no"})
    assert "A template with this key already exists" in _text(response)
    assert AuditTemplate.objects.count() == before


def test_adding_a_theme_to_an_unused_template_corrects_it_in_place(client, audit_world):
    w = audit_world
    version = w.template("dip-sample")
    response = _as(client, w.lead).post(_url("template_add_theme", version.template_id), {
        "title": "Voice of the child", "narrative": "on", "question_text": "Is the child's view recorded?",
        "question_type": "yes_no", "change_note": "Added the child's voice", "number": version.number,
    }, follow=True)
    text = _text(response)
    assert f"Version {version.number} has been corrected" in text
    version.refresh_from_db()
    assert version.document["themes"][-1]["title"] == "Voice of the child"
    assert version.change_note == "Added the child's voice"
    assert AuditTemplateVersion.objects.filter(template=version.template).count() == 1


def test_changing_a_question_of_a_template_in_use_publishes_a_new_version(client, audit_world, opened):
    w = audit_world
    version = opened.template_version
    _as(client, w.lead)
    url = _url("template_edit_question", version.template_id, "REF-01")
    assert "Were the statutory checks recorded on the file?" in _text(client.get(url))
    response = client.post(url, {
        "question_text": "Were the statutory checks recorded?", "question_type": "yes_no", "question_guidance": "New guidance",
        "question_agency_types": ["police"], "change_note": "Shorter", "number": version.number,
    }, follow=True)
    assert f"Version {version.number + 1} is published. Audits already using version {version.number} keep their questions" in _text(response)
    newest = version.template.versions.order_by("-number").first()
    question = newest.document["themes"][0]["questions"][0]
    assert (question["text"], question["agency_types"]) == ("Were the statutory checks recorded?", ["police"])
    version.refresh_from_db()
    assert version.document["themes"][0]["questions"][0]["text"] == "Were the statutory checks recorded on the file?"


def test_an_editor_working_from_an_old_version_is_refused(client, audit_world):
    w = audit_world
    version = w.template("dip-sample")
    theme_id = version.document["themes"][0]["id"]
    _as(client, w.lead)
    response = client.post(_url("template_add_question", version.template_id), {
        "theme": theme_id, "question_text": "Q?", "question_type": "text", "number": version.number - 1 if version.number > 1 else 99,
    })
    text = _text(response)
    assert ERROR_SUMMARY in text and "Someone else published a new version" in text
    version.refresh_from_db()
    assert not any(q["text"] == "Q?" for t in version.document["themes"] for q in t["questions"])


def test_adding_a_question_to_a_theme(client, audit_world):
    w = audit_world
    version = w.template("dip-sample")
    theme = version.document["themes"][0]
    count = len(theme["questions"])
    _as(client, w.lead)
    response = client.post(_url("template_add_question", version.template_id), {
        "theme": theme["id"], "question_text": "How many visits?", "question_type": "number", "number": version.number,
    })
    assert response.status_code == 302
    version.refresh_from_db()
    added = version.document["themes"][0]["questions"][-1]
    assert len(version.document["themes"][0]["questions"]) == count + 1
    assert added["id"] == f"{theme['id']}-{count + 1:02d}" and added["type"] == "number"
    # A narrative box is not a question of the template: it cannot be edited.
    assert client.get(_url("template_edit_question", version.template_id, f"{theme['id']}-WELL")).status_code == 404


# Rounds ----------------------------------------------------------------------------------------


def test_setting_up_a_round(client, audit_world):
    w = audit_world
    today = local_today()
    _as(client, w.lead)
    response = client.get(_url("round_new"))
    assert "Multi-agency exploitation audit (version 1)" in _text(response)
    response = client.post(_url("round_new"), {
        "title": "Spring audit", "template_version": w.template().pk, **_date("scope_start", today - dt.timedelta(days=90)),
        **_date("scope_end", today), **_date("deadline", today + dt.timedelta(days=30)), "lead_auditors": [w.police_auditor.pk],
    })
    audit_round = AuditRound.objects.get(title="Spring audit")
    assert response.url == _url("round", audit_round.pk)
    assert set(audit_round.lead_auditors.all()) == {w.lead, w.police_auditor}


def test_a_bad_round_is_refused_and_nothing_is_saved(client, audit_world):
    w = audit_world
    today = local_today()
    response = _as(client, w.lead).post(_url("round_new"), {
        "title": "", "template_version": w.template().pk, **_date("scope_start", today), **_date("scope_end", today - dt.timedelta(days=1)),
        **_date("deadline", today - dt.timedelta(days=1)),
    })
    text = _text(response)
    assert ERROR_SUMMARY in text and "Enter a title for the audit" in text
    response = _as(client, w.lead).post(_url("round_new"), {
        "title": "T", "template_version": w.template().pk, **_date("scope_start", today), **_date("scope_end", today - dt.timedelta(days=1)),
        **_date("deadline", today - dt.timedelta(days=1)),
    })
    text = _text(response)
    assert "The end of the period must be the same as or after its start" in text
    assert "The deadline must be today or in the future" in text
    assert not AuditRound.objects.exists()


def test_the_round_page_names_cases_only_by_letter(client, audit_world, opened):
    w = audit_world
    text = _text(_as(client, w.lead).get(_url("round", opened.pk)))
    assert "Child A" in text and "Child B" in text and "Child C" in text
    assert "15 to 16" in text and "High" in text and "Medium" in text
    for child in (w.amy, w.ben, w.cal):
        assert child.legal_first_name not in text and child.legal_last_name not in text
        assert child.date_of_birth.strftime("%-d %B %Y") not in text
    # Neither the home page nor the lead's view of a form names the child.
    assert "Fictional" not in _text(client.get(_url("index")))
    police_form = _form(opened, w.p.police, "B")
    text = _text(client.get(_url("form", police_form.pk)))
    assert "Fictional" not in text and "Lead auditors see each case only by its letter" in text
    assert not AccessLogEntry.objects.filter(user=w.lead, purpose=AccessPurpose.AUDIT).exists()


def test_adding_a_case_by_nhs_number_shows_name_and_date_of_birth_and_logs_the_look(client, audit_world):
    w = audit_world
    audit_round = w.new_round(children=[])
    child_services.record_identifier(by=w.p.social_worker, child=w.ben, kind="nhs", value="943 476 5919")
    _as(client, w.lead)
    url = _url("round_add_case", audit_round.pk)
    response = client.post(url, {"reference": "9434765919"})
    text = _text(response)
    assert "Is this the right child?" in text and "Ben Fictional" in text and w.ben.date_of_birth.strftime("%-d %B %Y") in text
    entry = AccessLogEntry.objects.get(child=w.ben, user=w.lead)
    assert entry.purpose == AccessPurpose.AUDIT
    assert not audit_round.cases.exists()
    response = client.post(url, {"reference": "9434765919", "action": "add"}, follow=True)
    assert "The case has been added to the audit as Child A" in _text(response)
    assert audit_round.cases.get().child == w.ben
    # By Lantern reference; the same child again is refused with a message, nothing added.
    response = client.post(url, {"reference": str(w.ben.pk), "action": "add"})
    assert ERROR_SUMMARY in _text(response) and "already in the audit" in _text(response)
    assert audit_round.cases.count() == 1


def test_a_reference_that_finds_no_child_says_so(client, audit_world):
    w = audit_world
    audit_round = w.new_round(children=[])
    _as(client, w.lead)
    url = _url("round_add_case", audit_round.pk)
    for value, message in (("", "Enter the child's NHS number or Lantern reference"), ("999999", "No child has this NHS number")):
        text = _text(client.post(url, {"reference": value}))
        assert ERROR_SUMMARY in text and message in text
    assert not AccessLogEntry.objects.filter(user=w.lead).exists()
    # A name is not a reference: this is not a search.
    assert "No child has this NHS number" in _text(client.post(url, {"reference": "Amy"}))


def test_drawing_a_sample_shows_the_seed(client, audit_world):
    w = audit_world
    audit_round = w.new_round(children=[])
    _as(client, w.lead)
    response = client.post(_url("round_sample", audit_round.pk), {"size_high": "1", "size_medium": "1", "size_low": "0"}, follow=True)
    audit_round.refresh_from_db()
    text = _text(response)
    assert audit_round.sample_seed and f"The seed was {audit_round.sample_seed}" in text
    assert f"Seed {audit_round.sample_seed}" in text and "1 high, 1 medium and 0 low risk" in text
    assert audit_round.cases.count() == 2


def test_a_sample_larger_than_the_pool_is_refused(client, audit_world):
    w = audit_world
    audit_round = w.new_round(children=[])
    _as(client, w.lead)
    text = _text(client.post(_url("round_sample", audit_round.pk), {"size_high": "5", "seed": "7"}))
    assert ERROR_SUMMARY in text and "There are only 1 open children at high risk" in text
    text = _text(client.post(_url("round_sample", audit_round.pk), {"size_high": "lots"}))
    assert "Enter the number of high risk cases as a whole number" in text
    text = _text(client.post(_url("round_sample", audit_round.pk), {}))
    assert "Enter how many cases to draw" in text
    audit_round.refresh_from_db()
    assert audit_round.sample_seed is None and not audit_round.cases.exists()


def test_deep_dive_and_withdrawing_a_case(client, audit_world):
    w = audit_world
    audit_round = w.new_round()
    case = audit_round.cases.get(label="B")
    _as(client, w.lead)
    response = client.post(_url("case_deep_dive", audit_round.pk, case.pk), {"deep_dive": "1"}, follow=True)
    assert "Child B is marked for a deep dive" in _text(response)
    case.refresh_from_db()
    assert case.deep_dive
    client.post(_url("case_deep_dive", audit_round.pk, case.pk), {"deep_dive": "0"})
    case.refresh_from_db()
    assert not case.deep_dive
    url = _url("case_withdraw", audit_round.pk, case.pk)
    assert "Enter why the case is taken out of the audit" in _text(client.post(url, {"reason": " "}))
    case.refresh_from_db()
    assert case.withdrawn_at is None
    response = client.post(url, {"reason": "Moved out of the area before the period"}, follow=True)
    assert "Child B has been taken out of the audit" in _text(response)
    case.refresh_from_db()
    assert case.withdrawn_reason == "Moved out of the area before the period"


def test_sending_the_forms_with_an_extra_agency(client, audit_world):
    w = audit_world
    audit_round = w.new_round()
    _as(client, w.lead)
    response = client.post(_url("round_open", audit_round.pk), {"extra_agencies": [w.p.health.pk]}, follow=True)
    assert "8 forms sent to 4 agencies" in _text(response)
    audit_round.refresh_from_db()
    assert audit_round.status == RoundStatus.OPEN
    assert AuditForm.objects.filter(round=audit_round, agency=w.p.health).count() == 3


def test_sending_the_forms_with_no_cases_is_refused(client, audit_world):
    w = audit_world
    audit_round = w.new_round(children=[])
    text = _text(_as(client, w.lead).post(_url("round_open", audit_round.pk), {}))
    assert ERROR_SUMMARY in text and "Choose at least one case" in text
    audit_round.refresh_from_db()
    assert audit_round.status == RoundStatus.DRAFT


def test_adding_an_agency_after_opening(client, audit_world):
    w = audit_world
    audit_round = w.new_round()
    services.open_round(by=w.lead, audit_round=audit_round)
    _as(client, w.lead)
    url = _url("round_add_agency", audit_round.pk)
    assert "Select the agency to send forms to" in _text(client.post(url, {}))
    response = client.post(url, {"agency": w.p.police.pk}, follow=True)
    assert f"2 forms sent to {w.p.police.name}" in _text(response)  # A and C; B had one already
    text = _text(client.post(url, {"agency": w.p.police.pk}))
    assert ERROR_SUMMARY in text and "already has a form for every case" in text


def test_the_return_grid_shows_each_form_and_the_totals(client, audit_world, opened):
    w = audit_world
    police = _form(opened, w.p.police, "B")
    services.submit_form(by=w.police_auditor, form=police, expected_version=police.version, answers=answers_for(police))
    health = _form(opened, w.p.health, "A")
    services.nil_return(by=w.health_auditor, form=health, reason=NilReason.NO_INVOLVEMENT, expected_version=health.version)
    text = _text(_as(client, w.lead).get(_url("round", opened.pk)))
    assert "2 of 8 forms sent in" in text
    assert _url("form", police.pk) in text and _url("form", health.pk) in text
    assert "Submitted" in text and "Nil return" in text and "Not started" in text
    assert "1 of 3" in text  # health: one of its three forms sent in
    assert "1 of 1" in text  # police


def test_the_return_grid_makes_a_fixed_number_of_queries(client, audit_world, django_assert_max_num_queries):
    w = audit_world
    small = w.new_round(title="Small", children=[w.amy])
    services.open_round(by=w.lead, audit_round=small, extra_agencies=[w.p.health, w.p.police])
    extra = [register_child(by=w.p.social_worker, first_name=f"Extra{n}", last_name="Fictional") for n in range(6)]
    big = w.new_round(title="Big", children=[w.amy, w.ben, w.cal, *extra])
    services.open_round(by=w.lead, audit_round=big, extra_agencies=[w.p.health, w.p.police])
    _as(client, w.lead)
    client.get(_url("round", small.pk))  # warm the session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small_queries:
        assert client.get(_url("round", small.pk)).status_code == 200
    with django_assert_max_num_queries(len(small_queries)):
        response = client.get(_url("round", big.pk))
    assert response.status_code == 200 and "Child I" in _text(response)


def test_moderation_review_session_agreed_change_and_closing(client, audit_world, opened):
    w = audit_world
    police = _form(opened, w.p.police, "B")
    services.submit_form(by=w.police_auditor, form=police, expected_version=police.version, answers=answers_for(police, choice="no"))
    _as(client, w.lead)
    response = client.post(_url("round_moderation", opened.pk), follow=True)
    assert "The audit is in moderation" in _text(response)
    opened.refresh_from_db()
    assert opened.status == RoundStatus.MODERATION

    url = _url("review_session_new", opened.pk)
    text = _text(client.post(url, {**_date("held_on", local_today() + dt.timedelta(days=3)), "attendees": "Police"}))
    assert ERROR_SUMMARY in text and "The date of the session must be today or in the past" in text
    assert "Enter who took part" in _text(client.post(url, {**_date("held_on", local_today()), "attendees": ""}))
    assert not ReviewSession.objects.exists()
    response = client.post(url, {**_date("held_on", local_today()), "attendees": "Social care and police auditors"})
    session = ReviewSession.objects.get()
    assert response.url == _url("review_session", opened.pk, session.pk)

    url = _url("review_session", opened.pk, session.pk)
    text = _text(client.post(url, {"audit_form": police.pk, "question_id": "REF-01", "value": "maybe", "reason": "x"}))
    assert ERROR_SUMMARY in text and "Choose yes, no, partly or not applicable" in text
    assert not FormEvent.objects.filter(kind="agreed_change").exists()
    text = _text(client.post(url, {"audit_form": police.pk, "question_id": "REF-01", "value": "Partly", "reason": ""}))
    assert "Enter why the change was agreed" in text
    response = client.post(url, {"audit_form": police.pk, "question_id": "REF-01", "value": "Partly",
                                 "reason": "The strategy discussion was late"}, follow=True)
    text = _text(response)
    assert f"The change to Child B's form from {w.p.police.name} is recorded" in text
    assert "The strategy discussion was late" in text
    assert AuditAnswer.objects.get(form=police, question_id="REF-01").choice == "partly"

    response = client.post(_url("round_close", opened.pk), follow=True)
    assert "The audit is closed" in _text(response)
    opened.refresh_from_db()
    assert opened.status == RoundStatus.CLOSED


def test_closing_is_refused_while_a_form_is_returned(client, audit_world, opened):
    w = audit_world
    school = _form(opened, w.p.school, "A")
    services.submit_form(by=w.school_auditor, form=school, expected_version=school.version, answers=answers_for(school))
    services.return_form(by=w.lead, form=school, comment="Add the attendance figures")
    text = _text(_as(client, w.lead).post(_url("round_close", opened.pk)))
    assert ERROR_SUMMARY in text and "Some forms have been returned for changes" in text
    opened.refresh_from_db()
    assert opened.status == RoundStatus.OPEN


# Agencies' forms -------------------------------------------------------------------------------


def test_my_forms_lists_only_my_agencys_forms(client, audit_world, opened):
    w = audit_world
    text = _text(_as(client, w.school_auditor).get(_url("my_forms")))
    school = _form(opened, w.p.school, "A")
    assert _url("form", school.pk) in text and "Child A" in text
    assert "Child B" not in text and "1 of 1 form still to complete" in text
    assert "Fictional" not in text


def test_an_agency_auditor_sees_the_child_and_the_look_is_logged(client, audit_world, opened):
    w = audit_world
    school = _form(opened, w.p.school, "A")
    text = _text(_as(client, w.school_auditor).get(_url("form", school.pk)))
    assert "Amy Fictional" in text and w.amy.date_of_birth.strftime("%-d %B %Y") in text
    entry = AccessLogEntry.objects.get(child=w.amy, user=w.school_auditor)
    assert entry.purpose == AccessPurpose.AUDIT and entry.path == _url("form", school.pk)
    # The questions for a school, grouped by theme, with guidance and narrative boxes.
    assert "Referral and identification of risk" in text and "Were the statutory checks recorded on the file?" in text
    assert "What we do well" in text and "Save as draft" in text and "Send in" in text
    assert 'name="REF-01" type="radio" value="partly"' in text


def test_an_imported_case_with_no_child_says_so(client, audit_world, opened):
    w = audit_world
    school = _form(opened, w.p.school, "A")
    AuditCase.objects.filter(pk=school.case_id).update(child=None)
    text = _text(_as(client, w.school_auditor).get(_url("form", school.pk)))
    assert "Lantern has no record of the child" in text
    assert not AccessLogEntry.objects.filter(user=w.school_auditor).exists()


def test_saving_a_draft_and_sending_in(client, audit_world, opened):
    w = audit_world
    police = _form(opened, w.p.police, "B")
    _as(client, w.police_auditor)
    url = _url("form", police.pk)
    template = services.template_of(opened)
    number_q = next(q.id for q in template.questions_for("police") if q.type == "number")
    factor_q = next(q.id for q in template.questions_for("police") if q.type == "factors")
    response = client.post(url, {"version": police.version, "action": "draft", "REF-01": "partly", number_q: "4",
                                 factor_q: ["MISSING", "SUBSTANCES"], "REF-WELL": "Quick referral"}, follow=True)
    assert "Your answers have been saved as a draft" in _text(response)
    police.refresh_from_db()
    assert police.status == FormStatus.IN_PROGRESS
    assert set(AuditAnswer.objects.filter(form=police, question_id=factor_q).values_list("option", flat=True)) == {"MISSING", "SUBSTANCES"}
    text = _text(client.get(url))
    assert 'value="partly" checked' in text and "Quick referral" in text

    # Sending in with questions unanswered: each is named, nothing changes.
    text = _text(client.post(url, {"version": police.version, "action": "submit", "REF-01": "yes"}))
    assert ERROR_SUMMARY in text and "Answer this question" in text
    police.refresh_from_db()
    assert police.status == FormStatus.IN_PROGRESS
    assert AuditAnswer.objects.get(form=police, question_id="REF-01").choice == "partly"

    response = client.post(url, {"version": police.version, "action": "submit", **answers_for(police)}, follow=True)
    assert "The form about Child B has been sent in" in _text(response)
    police.refresh_from_db()
    assert police.status == FormStatus.SUBMITTED
    # Sent in: shown read-only; a post does nothing.
    text = _text(client.get(url))
    assert "Save as draft" not in text and "Yes" in text
    client.post(url, {"version": police.version, "action": "draft", "REF-01": "no"})
    assert AuditAnswer.objects.get(form=police, question_id="REF-01").choice == "yes"


def test_bad_answers_are_refused_and_nothing_changes(client, audit_world, opened):
    w = audit_world
    police = _form(opened, w.p.police, "B")
    template = services.template_of(opened)
    number_q = next(q.id for q in template.questions_for("police") if q.type == "number")
    text = _text(_as(client, w.police_auditor).post(_url("form", police.pk), {
        "version": police.version, "action": "draft", "REF-01": "yes", number_q: "lots",
    }))
    assert ERROR_SUMMARY in text and "Enter a number, like 3 or 2.5" in text
    assert not AuditAnswer.objects.filter(form=police).exists()


def test_a_second_editor_is_refused(client, audit_world, opened):
    w = audit_world
    police = _form(opened, w.p.police, "B")
    loaded = police.version
    services.save_answers(by=w.police_auditor, form=police, answers={"REF-01": "no"}, expected_version=loaded)
    text = _text(_as(client, w.police_auditor).post(_url("form", police.pk), {"version": loaded, "action": "draft", "REF-01": "yes"}))
    assert ERROR_SUMMARY in text and "Someone else changed this record" in text
    assert AuditAnswer.objects.get(form=police, question_id="REF-01").choice == "no"


def test_a_nil_return_needs_a_reason_and_detail_for_other(client, audit_world, opened):
    w = audit_world
    health = _form(opened, w.p.health, "A")
    _as(client, w.health_auditor)
    url = _url("form_nil_return", health.pk)
    text = _text(client.post(url, {"version": health.version}))
    assert ERROR_SUMMARY in text and "Select why your agency is making a nil return" in text
    text = _text(client.post(url, {"version": health.version, "reason": "other", "detail": ""}))
    assert "Enter why your agency is making a nil return" in text
    health.refresh_from_db()
    assert health.status == FormStatus.NOT_STARTED
    response = client.post(url, {"version": health.version, "reason": "not_known"}, follow=True)
    assert "The nil return for Child A has been sent in" in _text(response)
    health.refresh_from_db()
    assert (health.status, health.nil_reason) == (FormStatus.NIL_RETURN, NilReason.NOT_KNOWN)


def test_a_lead_returns_a_form_with_comments_shown_to_the_agency(client, audit_world, opened):
    w = audit_world
    school = _form(opened, w.p.school, "A")
    services.submit_form(by=w.school_auditor, form=school, expected_version=school.version, answers=answers_for(school))
    _as(client, w.lead)
    assert "Return with comments" in _text(client.get(_url("form", school.pk)))
    url = _url("form_return", school.pk)
    assert "Enter what the agency should change" in _text(client.post(url, {"comment": ""}))
    school.refresh_from_db()
    assert school.status == FormStatus.SUBMITTED
    response = client.post(url, {"comment": "Please add the attendance figures"}, follow=True)
    assert f"The form has been returned to {w.p.school.name}" in _text(response)
    school.refresh_from_db()
    assert school.status == FormStatus.RETURNED
    text = _text(_as(client, w.school_auditor).get(_url("form", school.pk)))
    assert "Returned for changes" in text and "Please add the attendance figures" in text and "Save as draft" in text
    # An agency auditor cannot return forms.
    assert client.get(url).status_code == 404


def test_a_practitioner_cannot_reach_a_form_even_of_their_own_agency(client, audit_world, opened):
    w = audit_world
    police = _form(opened, w.p.police, "B")
    assert _as(client, w.p.police_officer).get(_url("form", police.pk)).status_code == 404
    # An auditor of a second police force... of another agency added later is also refused.
    other = make_user(w.p.school, Role.AUDITOR)
    assert _as(client, other).get(_url("form", police.pk)).status_code == 404


def test_forms_of_a_round_being_set_up_are_not_listed(client, audit_world):
    w = audit_world
    w.new_round()
    assert "Your agency has no audit forms" in _text(_as(client, w.school_auditor).get(_url("my_forms")))


def test_a_child_at_a_new_level_can_be_sampled(client, audit_world):
    # The sample reads current levels: a child raised to high joins the pool.
    w = audit_world
    set_level(w.p.hub, w.ben, "high")
    audit_round = w.new_round(children=[])
    _as(client, w.lead)
    client.post(_url("round_sample", audit_round.pk), {"size_high": "2", "seed": "3"})
    assert audit_round.cases.count() == 2


def test_the_menu_offers_audits_to_auditors_only(client, audit_world):
    w = audit_world
    link = f'href="{_url("index")}"'
    assert link in _text(_as(client, w.police_auditor).get(reverse("home")))
    assert link not in _text(_as(client, w.p.police_officer).get(reverse("home")))


def test_a_theme_with_no_title_or_question_is_refused_and_nothing_changes(client, audit_world):
    w = audit_world
    version = w.template("dip-sample")
    document = version.document
    text = _text(_as(client, w.lead).post(_url("template_add_theme", version.template_id), {"title": "", "number": version.number}))
    assert ERROR_SUMMARY in text and "Enter the title of the theme" in text and "Enter the question" in text
    version.refresh_from_db()
    assert version.document == document


@pytest.mark.finding("F37")
def test_in_a_learning_event_the_lead_records_answers_for_every_agency(client, audit_world):
    w = audit_world
    audit_round = w.new_round(key="learning-event", title="Learning event")
    services.open_round(by=w.lead, audit_round=audit_round)
    police = _form(audit_round, w.p.police, "B")
    _as(client, w.lead)
    text = _text(client.get(_url("form", police.pk)))
    assert "Save as draft" in text and "Fictional" not in text
    question = next(q for q in services.template_of(audit_round).questions_for("police") if q.type == "text")
    response = client.post(_url("form", police.pk), {"version": police.version, "action": "draft", question.id: "Said at session 2"})
    assert response.status_code == 302
    assert AuditAnswer.objects.get(form=police, question_id=question.id).text == "Said at session 2"
    # The police auditor still sees the form, and the child's name.
    assert "Ben Fictional" in _text(_as(client, w.police_auditor).get(_url("form", police.pk)))


def test_the_home_and_forms_pages_make_a_fixed_number_of_queries(client, audit_world, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    w = audit_world
    first = w.new_round(title="First", children=[w.ben])
    services.open_round(by=w.lead, audit_round=first)
    _as(client, w.police_auditor)
    client.get(_url("index"))  # warm the session
    counts = {}
    for name in ("index", "my_forms"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_url(name)).status_code == 200
        counts[name] = len(queries)
    extra = [register_child(by=w.p.social_worker, first_name=f"More{n}", last_name="Fictional") for n in range(4)]
    for n in range(3):
        more = w.new_round(title=f"More {n}", children=[w.amy, w.ben, w.cal, *extra])
        services.open_round(by=w.lead, audit_round=more, extra_agencies=[w.p.police])
    for name in ("index", "my_forms"):
        with django_assert_max_num_queries(counts[name]):
            assert client.get(_url(name)).status_code == 200
