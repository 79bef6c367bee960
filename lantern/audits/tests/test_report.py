"""The report of a round (F34, F35, F36): the 2015 audit's counts and factor percentages built
through the services, the narrative by agency type, percentages, and a fixed number of queries."""

import datetime as dt
import random

import pytest
from django.core.management import call_command

from lantern.children.tests.factories import register_child
from lantern.core.dates import local_today
from lantern.partnership.models import AgencyType, Role
from lantern.partnership.tests.factories import AgencyFactory, make_user

from .. import services
from ..models import AuditForm, NilReason
from ..report import build_report, percent, report_as_dict
from .factories import answers_for

pytestmark = pytest.mark.django_db

# The 2015 audit's contributory factors: how many of its 10 cases had each (90% had missing episodes ...).
FACTORS_2015 = {
    "MISSING": 9, "RISKY_SEXUAL": 9, "SUBSTANCES": 4, "EMOTIONAL": 7, "LOOKED_AFTER": 6, "DOMESTIC_ABUSE": 6,
    "PREVIOUS_SC": 8, "OFFENDING": 5, "BEREAVEMENT": 2, "FAMILY_BREAKDOWN": 7, "NOT_ENGAGING": 8, "ABSENT_EDUCATION": 8,
}
EIGHT_MORE = (
    ("Testshire Youth Justice Service", AgencyType.YOUTH_JUSTICE), ("Testshire Youth Service", AgencyType.YOUTH_SERVICE),
    ("Testshire Drug and Alcohol Service", AgencyType.DRUG_ALCOHOL), ("Testshire Children's Charity", AgencyType.VOLUNTARY),
    ("Testshire CAMHS", AgencyType.CAMHS), ("Testshire Housing", AgencyType.HOUSING),
    ("Testshire Learning Service", AgencyType.EDUCATION), ("Testshire Clinical Commissioning", AgencyType.HEALTH),
)


def twelve_agency_round(w, *, children: int = 10):
    """A round of `children` cases sent to 12 agencies (the partnership's 4 and 8 more), each with
    an auditor. Returns (round, {agency pk: auditor})."""
    agencies = [w.p.social_care, w.p.police, w.p.school, w.p.health]
    agencies += [AgencyFactory(name=name, agency_type=kind) for name, kind in EIGHT_MORE]
    auditors = {a.pk: make_user(a, Role.AUDITOR) for a in agencies}
    kids = [register_child(by=w.p.social_worker, first_name=f"Kid{n}", last_name="Fictional", age=12 + n % 6) for n in range(children)]
    audit_round = w.new_round(children=kids)
    services.open_round(by=w.lead, audit_round=audit_round, extra_agencies=agencies)
    return audit_round, auditors


def build_2015_round(w):
    """120 forms: 63 completed, 57 nil returns (40 no involvement, 10 not known, 4 outside the
    scope period, 3 other). Children's social care completes every case's form, ticking the
    contributory factors so that each is present in as many cases as in 2015."""
    audit_round, auditors = twelve_agency_round(w)
    forms = list(AuditForm.objects.filter(round=audit_round).select_related("agency", "round", "case").order_by("case__position", "agency__name"))
    assert len(forms) == 120
    outcomes = ["done"] * 53 + [NilReason.NO_INVOLVEMENT] * 40 + [NilReason.NOT_KNOWN] * 10 + [NilReason.OUT_OF_SCOPE] * 4
    outcomes += [NilReason.OTHER] * 3
    random.Random(2015).shuffle(outcomes)
    others = iter(outcomes)
    for form in forms:
        outcome = "done" if form.agency_id == w.p.social_care.pk else next(others)
        by = auditors[form.agency_id]
        if outcome == "done":
            ticked = [f for f, cases in FACTORS_2015.items() if form.case.position <= cases] if form.agency_id == w.p.social_care.pk else []
            services.submit_form(by=by, form=form, expected_version=form.version, answers=answers_for(form, extra={"CF-01": ticked}))
        else:
            services.nil_return(by=by, form=form, reason=outcome, detail="Closed before the period" if outcome == NilReason.OTHER else "",
                                expected_version=form.version)
    return audit_round


@pytest.mark.finding("F34")
def test_a_round_like_the_2015_audit_reports_its_counts(audit_world):
    audit_round = build_2015_round(audit_world)
    report = build_report(audit_round)
    r = report.returns
    assert (r.distributed, r.nil_returns, r.completed, r.not_returned) == (120, 57, 63, 0)
    assert {n.reason: n.count for n in r.nil_by_reason} == {"no_involvement": 40, "not_known": 10, "out_of_scope": 4, "other": 3}
    assert str(r.completed_share) == "63 of 120 (53%)"
    assert len(report.returns_by_agency) == 12
    assert all(a.distributed == 10 for a in report.returns_by_agency)
    assert sum(a.completed for a in report.returns_by_agency) == 63
    assert sum(a.nil_returns for a in report.returns_by_agency) == 57
    social_care = next(a for a in report.returns_by_agency if a.agency == audit_world.p.social_care.name)
    assert (social_care.completed, social_care.nil_returns) == (10, 0)
    assert report.cases == 10
    assert {row.id: row.display for row in report.factors if row.id in FACTORS_2015} == {
        factor: f"{cases} of 10 cases ({cases * 10}%)" for factor, cases in FACTORS_2015.items()
    }
    sexes = {row.label: row.cases.num for row in report.sample[0].rows}
    assert sexes == {"Female": 10}
    risk = {row.label: row.cases.num for t in report.sample if t.title == "Risk level" for row in t.rows}
    assert sum(risk.values()) == 10


def factor_round(w):
    """10 cases, social care and the police: the factors ticked so each is present in as many cases
    as in 2015, some ticked only by the police, some by both agencies for the same case."""
    kids = [register_child(by=w.p.social_worker, first_name=f"Kid{n}", last_name="Fictional") for n in range(10)]
    audit_round = w.new_round(children=kids)
    services.open_round(by=w.lead, audit_round=audit_round, extra_agencies=[w.p.police])
    forms = AuditForm.objects.filter(round=audit_round).select_related("agency", "round", "case").order_by("case__position")
    for form in forms:
        position = form.case.position  # 1 to 10
        ticked = []
        for factor, cases in FACTORS_2015.items():
            if position > cases:
                continue
            # Odd cases: the police tick it; even cases: social care; cases 1 and 2 both agencies.
            by_police = position % 2 == 1 or position <= 2
            by_social_care = position % 2 == 0 or position <= 2
            if (form.agency_id == w.p.police.pk and by_police) or (form.agency_id == w.p.social_care.pk and by_social_care):
                ticked.append(factor)
        by = w.police_auditor if form.agency_id == w.p.police.pk else w.lead
        services.submit_form(by=by, form=form, expected_version=form.version, answers=answers_for(form, extra={"CF-01": ticked}))
    return audit_round


@pytest.mark.finding("F35")
def test_contributory_factors_match_the_2015_percentages_with_their_denominator(audit_world):
    audit_round = factor_round(audit_world)
    report = build_report(audit_round)
    shown = {row.id: row.display for row in report.factors}
    assert shown["MISSING"] == "9 of 10 cases (90%)"
    assert shown["SUBSTANCES"] == "4 of 10 cases (40%)"
    assert shown["BEREAVEMENT"] == "2 of 10 cases (20%)"
    assert shown["HONOUR_BASED"] == "0 of 10 cases (0%)"
    assert {row.id: row.cases.percent for row in report.factors if row.id in FACTORS_2015} == {k: v * 10 for k, v in FACTORS_2015.items()}
    # A factor taken back is not counted.
    form = AuditForm.objects.get(round=audit_round, agency=audit_world.p.police, case__position=9)
    services.return_form(by=audit_world.lead, form=form, comment="Check the factors")
    form.refresh_from_db()
    services.submit_form(by=audit_world.police_auditor, form=form, expected_version=form.version, answers={"CF-01": []})
    shown = {row.id: row.display for row in build_report(audit_round).factors}
    assert shown["MISSING"] == "8 of 10 cases (80%)"


@pytest.mark.finding("F34")
def test_per_question_met_overall_and_by_agency(audit_world):
    w = audit_world
    audit_round = w.new_round()  # A: social care, school; B: social care, police; C: social care
    services.open_round(by=w.lead, audit_round=audit_round)
    forms = {(f.case.label, f.agency_id): f for f in AuditForm.objects.filter(round=audit_round).select_related("agency", "round", "case")}
    sc, police, school = w.p.social_care.pk, w.p.police.pk, w.p.school.pk
    services.submit_form(by=w.lead, form=forms["A", sc], expected_version=1, answers=answers_for(forms["A", sc], choice="no"))
    services.submit_form(by=w.school_auditor, form=forms["A", school], expected_version=1, answers=answers_for(forms["A", school], extra={"REF-02": "3"}))
    services.submit_form(by=w.lead, form=forms["B", sc], expected_version=1, answers=answers_for(forms["B", sc], choice="partly", extra={"REF-02": "4.5"}))
    services.submit_form(by=w.police_auditor, form=forms["B", police], expected_version=1, answers=answers_for(forms["B", police], choice="na", grade=4))
    form_c = forms["C", sc]
    services.save_answers(by=w.lead, form=form_c, expected_version=1, answers={"REF-01": "yes"})  # in progress: not counted
    report = build_report(audit_round)
    ref01 = next(q for t in report.themes for q in t.questions if q.id == "REF-01")
    assert str(ref01.met) == "1 of 2 (50%)"  # A met (the school said yes); B answered partly; police n/a left out
    assert {a.agency: str(a.value) for a in ref01.by_agency} == {w.p.social_care.name: "0 of 2 (0%)", w.p.school.name: "1 of 1 (100%)"}
    ref02 = next(q for t in report.themes for q in t.questions if q.id == "REF-02")
    assert (ref02.numbers.count, str(ref02.numbers.mean)) == (2, "3.8")  # 3.75 rounded half up
    ref07 = next(q for t in report.themes for q in t.questions if q.id == "REF-07")
    assert ref07.grades == (0, 3, 0, 1)
    by_theme = {g.label: g.counts for g in report.grades_by_theme}
    assert by_theme["Referral and identification of risk"] == (0, 3, 0, 1)
    by_agency = {g.label: g.total for g in report.grades_by_agency}
    assert by_agency[w.p.police.name] == 7  # seven graded questions, all inadequate
    assert report.returns.not_returned == 1 and report.returns.completed == 4


@pytest.mark.finding("F36")
def test_narrative_is_collated_by_theme_and_attributed_to_agency_type_only(audit_world):
    w = audit_world
    audit_round = w.new_round()
    services.open_round(by=w.lead, audit_round=audit_round)
    police_form = AuditForm.objects.select_related("agency", "round").get(round=audit_round, agency=w.p.police)
    school_form = AuditForm.objects.select_related("agency", "round").get(round=audit_round, agency=w.p.school)
    services.submit_form(by=w.police_auditor, form=police_form, expected_version=1, answers=answers_for(police_form, extra={
        "REF-WELL": "Joint visits with social care happened within a day.", "PLAN-IMPROVE": "Plans lacked contingency.",
        "OUT-04": "The child is attending a youth club.",
    }))
    services.submit_form(by=w.school_auditor, form=school_form, expected_version=1, answers=answers_for(school_form, extra={
        "REF-WELL": "The designated safeguarding lead referred the same day.",
    }))
    report = build_report(audit_round)
    by_theme = {t.title: [(q.question, q.agency_type, q.text) for q in t.quotes] for t in report.narrative}
    assert by_theme["Referral and identification of risk"] == [
        ("What we do well", "Education", "The designated safeguarding lead referred the same day."),
        ("What we do well", "Police", "Joint visits with social care happened within a day."),
    ]
    assert by_theme["Quality and effectiveness of plans"] == [("What we should improve", "Police", "Plans lacked contingency.")]
    assert by_theme["Outcomes"] == [("What difference did the work make for the child?", "Police", "The child is attending a youth club.")]
    text = repr(report.narrative)
    for name in (w.p.police.name, w.p.school.name, "Pat Police-Auditor", "Sue School-Auditor", "Amy", "Ben", "Fictional"):
        assert name not in text


def test_findings_and_recommendations_are_listed(audit_world):
    w = audit_world
    audit_round = w.new_round()
    first = services.add_finding(by=w.lead, audit_round=audit_round, theme_id="PLAN", text="Plans lacked contingency.")
    services.add_finding(by=w.lead, audit_round=audit_round, theme_id="", text="Schools were told late.")
    services.add_recommendation(
        by=w.lead, audit_round=audit_round, text="Every plan has a contingency.", owner_agency=w.p.social_care,
        due_on=local_today() + dt.timedelta(days=90), findings=[first],
    )
    report = build_report(audit_round)
    assert [(f.number, f.theme, f.text) for f in report.findings] == [
        (1, "Quality and effectiveness of plans", "Plans lacked contingency."), (2, "", "Schools were told late."),
    ]
    (rec,) = report.recommendations
    assert (rec.number, rec.findings, rec.owner_agency, rec.rag) == (1, (1,), w.p.social_care.name, "Green: on track")


def test_children_appear_only_by_letter(audit_world):
    w = audit_world
    audit_round = w.new_round()
    services.set_deep_dive(by=w.lead, case=audit_round.cases.get(label="B"), deep_dive=True)
    report = build_report(audit_round)
    assert report.deep_dives == ("Child B",)
    text = repr(report_as_dict(report))
    for child in (w.amy, w.ben, w.cal):
        assert child.legal_first_name not in text
        assert child.date_of_birth.isoformat() not in text


@pytest.mark.parametrize("num, den, expected", [(1, 8, 13), (1, 40, 3), (9, 10, 90), (2, 3, 67), (1, 3, 33), (0, 5, 0), (5, 5, 100), (1, 0, None)])
def test_percentages_round_half_up(num, den, expected):
    assert percent(num, den) == expected


def test_the_report_makes_the_same_number_of_queries_however_many_forms(audit_world, django_assert_max_num_queries):
    w = audit_world
    small = w.new_round(children=[w.cal])
    services.open_round(by=w.lead, audit_round=small)
    big, auditors = twelve_agency_round(w, children=4)
    for form in AuditForm.objects.filter(round=big).select_related("agency", "round"):
        services.submit_form(by=auditors[form.agency_id], form=form, expected_version=form.version, answers=answers_for(
            form, extra={"CF-01": ["MISSING", "ONLINE"], "REF-WELL": "Quick referral.", "REF-02": "2"}
        ))
    services.add_finding(by=w.lead, audit_round=big, theme_id="REF", text="Referrals were quick.")
    for audit_round in (small, big):
        audit_round = type(audit_round).objects.select_related("template_version").get(pk=audit_round.pk)
        with django_assert_max_num_queries(12):
            report = build_report(audit_round)
    assert report.returns.completed == 48


def test_audit_report_command_prints_the_figures(audit_world, capsys):
    w = audit_world
    audit_round = w.new_round()
    services.open_round(by=w.lead, audit_round=audit_round)
    form = AuditForm.objects.select_related("agency", "round").get(round=audit_round, agency=w.p.police)
    services.submit_form(by=w.police_auditor, form=form, expected_version=1, answers=answers_for(form, extra={"CF-01": ["MISSING"]}))
    call_command("audit_report", str(audit_round.pk), "--format", "json")
    import json

    data = json.loads(capsys.readouterr().out)
    assert data["returns"]["distributed"] == 5 and data["returns"]["completed"] == 1
    missing = next(f for f in data["factors"] if f["id"] == "MISSING")
    assert missing["cases"] == {"num": 1, "den": 3, "percent": 33}
    call_command("audit_report", str(audit_round.pk), "--format", "text")
    text = capsys.readouterr().out
    assert "Forms distributed" in text and "1 of 3 cases (33%)" in text
    assert "Amy" not in text


def test_every_age_band_fits_the_snapshot_column():
    """'17 and over' (11 characters) did not fit AuditCase.age_band (10): PostgreSQL refused the case."""
    from ..models import AuditCase

    width = AuditCase._meta.get_field("age_band").max_length
    assert all(len(label) <= width for _, _, label in services.AGE_BANDS)
