"""Moving a round between installations: export, import (all or nothing, a row for each problem),
the exact round trip, the commands, and a property test over generated rounds."""

import datetime as dt
import json
from decimal import Decimal
from fractions import Fraction as Exact

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lantern.core.dates import local_today

from .. import services
from ..exchange import FORMAT, FORMAT_VERSION, ExchangeError, export_round, import_round
from ..models import AuditCase, AuditForm, AuditRound, FormStatus, NilReason, RoundStatus, SelectedBy
from ..report import build_report
from ..template_document import SHIPPED_DIR
from .factories import answers_for

pytestmark = pytest.mark.django_db


def rich_round(w):
    """A closed round with answers of every type, a nil return, a withdrawn case, findings and a
    recommendation with progress."""
    audit_round = w.new_round(title="Exploitation audit 2026")
    services.withdraw_case(by=w.lead, case=audit_round.cases.get(label="C"), reason="Moved out of the area")
    services.set_deep_dive(by=w.lead, case=audit_round.cases.get(label="A"), deep_dive=True)
    services.open_round(by=w.lead, audit_round=audit_round, extra_agencies=[w.p.health])
    for form in AuditForm.objects.filter(round=audit_round).select_related("agency", "round", "case"):
        if form.agency_id == w.p.health.pk:
            services.nil_return(by=w.health_auditor, form=form, reason=NilReason.OTHER, detail="Records archived", expected_version=form.version)
        elif form.agency_id == w.p.police.pk:
            services.submit_form(by=w.police_auditor, form=form, expected_version=form.version, answers=answers_for(form, extra={
                "CF-01": ["MISSING", "ONLINE"], "REF-02": "2.5", "REF-WELL": "Joint visits within a day.", "OUT-04": "Back at school.",
            }))
        elif form.case.label == "A" and form.agency_id == w.p.social_care.pk:
            services.submit_form(by=w.lead, form=form, expected_version=form.version, answers=answers_for(form, choice="partly", grade=3))
    services.start_moderation(by=w.lead, audit_round=audit_round)
    finding = services.add_finding(by=w.lead, audit_round=audit_round, theme_id="REF", text="Referrals were quick.")
    rec = services.add_recommendation(
        by=w.lead, audit_round=audit_round, text="Keep the joint visits.", owner_agency=w.p.police,
        due_on=local_today() + dt.timedelta(days=30), findings=[finding],
    )
    services.update_recommendation(by=w.lead, recommendation=rec, note="Agreed by the police", rag="amber")
    return AuditRound.objects.select_related("template_version").get(pk=audit_round.pk)


def test_export_import_export_is_exact_and_names_no_child(audit_world):
    w = audit_world
    audit_round = rich_round(w)
    first = export_round(audit_round)
    text = json.dumps(first)
    for child in (w.amy, w.ben, w.cal):
        assert child.legal_first_name not in text and child.date_of_birth.isoformat() not in text
        assert f'"child": {child.pk}' not in text
    for person in ("Audrey Auditor", "Pat Police-Auditor", "Hal Health-Auditor"):
        assert person not in text
    assert first["format"] == FORMAT and first["format_version"] == FORMAT_VERSION
    assert [c["label"] for c in first["cases"]] == ["A", "B", "C"] and first["cases"][2]["withdrawn_reason"] == "Moved out of the area"
    assert {c["selected_by"] for c in first["cases"]} == {"hand"}
    police_b = next(f for f in first["forms"] if f["agency"] == w.p.police.name)
    assert {"question_id": "REF-02", "option": "", "choice": "", "grade": None, "number": "2.50", "text": ""} in police_b["answers"]
    assert {"question_id": "CF-01", "option": "ONLINE", "choice": "", "grade": None, "number": None, "text": ""} in police_b["answers"]

    imported = import_round(by=w.police_auditor, document=json.loads(text))
    assert imported.imported_at is not None and imported.status == RoundStatus.MODERATION
    assert list(imported.lead_auditors.all()) == [w.police_auditor]
    assert set(AuditCase.objects.filter(round=imported).values_list("child", "selected_by")) == {(None, SelectedBy.HAND)}
    assert imported.template_version_id == audit_round.template_version_id  # the same document: the same version
    second = export_round(AuditRound.objects.get(pk=imported.pk))
    assert second == first
    assert export_round(import_round(by=w.lead, document=second)) == first
    # The imported round's report gives the same figures.
    a, b = build_report(audit_round), build_report(imported)
    assert (a.returns, a.factors, a.themes, a.sample, a.narrative) == (b.returns, b.factors, b.themes, b.sample, b.narrative)


def test_a_bad_file_imports_nothing_and_says_what_is_wrong_row_by_row(audit_world):
    w = audit_world
    document = export_round(rich_round(w))
    document["forms"][0]["agency"] = "Nowhere Agency"
    document["forms"][1]["answers"][0]["choice"] = "maybe"
    document["forms"][1]["answers"].append({"question_id": "NOPE-01", "option": "", "choice": "yes", "grade": None, "number": None, "text": ""})
    health = next(n for n, f in enumerate(document["forms"]) if f["status"] == FormStatus.NIL_RETURN)
    document["forms"][health]["nil_reason"] = ""
    document["cases"][0]["date_of_birth"] = "2011-01-01"
    document["round"]["scope_end"] = "last year"
    rounds, cases, forms = AuditRound.objects.count(), AuditCase.objects.count(), AuditForm.objects.count()
    with pytest.raises(ExchangeError) as exc:
        import_round(by=w.lead, document=document)
    rows = {(r["where"], r["field"]): r for r in exc.value.rows}
    assert rows["forms[0]", "agency"]["problem"] == "is not the name of an agency in this installation"
    assert rows["forms[0]", "agency"]["value"] == "Nowhere Agency"
    assert ("forms[1].answers[0]", "choice") in rows
    last = len(document["forms"][1]["answers"]) - 1
    assert rows[f"forms[1].answers[{last}]", "question_id"]["problem"] == "is not a question of the template"
    assert (f"forms[{health}]", "nil_reason") in rows
    assert ("cases[0]", "date_of_birth") in rows and rows["cases[0]", "date_of_birth"]["value"] == "(not shown)"
    assert ("round", "scope_end") in rows
    assert "Nothing has been imported" in exc.value.messages[0]
    assert (AuditRound.objects.count(), AuditCase.objects.count(), AuditForm.objects.count()) == (rounds, cases, forms)


def test_only_an_auditor_imports(audit_world):
    document = export_round(rich_round(audit_world))
    with pytest.raises(PermissionDenied):
        import_round(by=audit_world.p.social_worker, document=document)


def test_export_and_import_commands(audit_world, tmp_path, capsys):
    w = audit_world
    audit_round = rich_round(w)
    out = tmp_path / "round.json"
    call_command("audit_export", str(audit_round.pk), "--output", str(out))
    capsys.readouterr()
    before = AuditRound.objects.count()
    call_command("audit_import", str(out), "--by", w.lead.email)
    assert "Imported audit round" in capsys.readouterr().out
    assert AuditRound.objects.count() == before + 1

    bad = json.loads(out.read_text())
    bad["forms"][0]["agency"] = "Nowhere Agency"
    bad["recommendations"][0]["owner_agency"] = "Elsewhere Council"
    bad_file = tmp_path / "bad.json"
    bad_file.write_text(json.dumps(bad))
    with pytest.raises(CommandError, match="2 problems. Nothing has been imported"):
        call_command("audit_import", str(bad_file), "--by", w.lead.email)
    err = capsys.readouterr().err
    assert "forms[0] agency = 'Nowhere Agency': is not the name of an agency in this installation" in err
    assert "recommendations[0] owner_agency = 'Elsewhere Council'" in err
    assert AuditRound.objects.count() == before + 1

    not_json = tmp_path / "notes.txt"
    not_json.write_text("minutes of the audit")
    with pytest.raises(CommandError, match="not a JSON file"):
        call_command("audit_import", str(not_json), "--by", w.lead.email)
    assert AuditRound.objects.count() == before + 1


# --- Property: any generated round ---------------------------------------------------------------

TEMPLATE = json.loads((SHIPPED_DIR / "multi-agency-exploitation-v1.json").read_text(encoding="utf-8"))
QUESTIONS = [(q["id"], q["type"]) for t in TEMPLATE["themes"] for q in t["questions"]] + [("REF-WELL", "text"), ("PLAN-IMPROVE", "text")]
FACTORS = [f["id"] for f in TEMPLATE["factors"]]
MOMENT = st.datetimes(min_value=dt.datetime(2014, 1, 1), max_value=dt.datetime(2026, 1, 1)).map(
    lambda d: d.replace(tzinfo=dt.timezone.utc).isoformat()
)


@st.composite
def answer_sets(draw):
    chosen = draw(st.lists(st.sampled_from(QUESTIONS), unique=True, max_size=6))
    out = []
    for qid, qtype in chosen:
        blank = {"question_id": qid, "option": "", "choice": "", "grade": None, "number": None, "text": ""}
        if qtype == "yes_no":
            out.append({**blank, "choice": draw(st.sampled_from(["yes", "no", "partly", "na"]))})
        elif qtype == "grade":
            out.append({**blank, "grade": draw(st.integers(1, 4))})
        elif qtype == "number":
            out.append({**blank, "number": str(Decimal(draw(st.integers(0, 99999))).scaleb(-2))})
        elif qtype == "text":
            out.append({**blank, "text": draw(st.text(alphabet="abcdefghij .", min_size=1, max_size=20).map(str.strip).filter(bool))})
        else:
            out += [{**blank, "option": f} for f in draw(st.lists(st.sampled_from(FACTORS), unique=True, min_size=1, max_size=4))]
    return sorted(out, key=lambda a: (a["question_id"], a["option"]))


@st.composite
def round_documents(draw, agencies):
    n_cases = draw(st.integers(1, 4))
    cases = [
        {
            "label": "ABCD"[n], "position": n + 1, "deep_dive": draw(st.booleans()),
            "selected_by": draw(st.sampled_from(SelectedBy.values)),
            "withdrawn_at": draw(st.none() | MOMENT) if n else None, "withdrawn_reason": "",
            "sex": draw(st.sampled_from(["F", "M", ""])), "age_band": draw(st.sampled_from(["13 to 14", "15 to 16"])),
            "ethnicity": draw(st.sampled_from(["WBRI", "APKN", "MWBC"])), "legal_status": draw(st.sampled_from(["looked_after", "none"])),
            "placement": "Living at home or with family", "risk_level": draw(st.sampled_from(["high", "medium", "low"])),
        }
        for n in range(n_cases)
    ]
    forms = []
    for case in cases:
        for name, kind in draw(st.lists(st.sampled_from(agencies), unique=True, max_size=3)):
            status = draw(st.sampled_from(FormStatus.values))
            nil = draw(st.sampled_from(NilReason.values)) if status == FormStatus.NIL_RETURN else ""
            sent = status in (FormStatus.SUBMITTED, FormStatus.NIL_RETURN)
            forms.append({
                "case": case["label"], "agency": name, "agency_type": kind, "added_by_lead": draw(st.booleans()), "status": status,
                "nil_reason": nil, "nil_reason_detail": "Other reason" if nil == "other" else "",
                "submitted_at": draw(MOMENT) if sent else None, "withdrawn_at": draw(st.none() | st.none() | MOMENT),
                "answers": draw(answer_sets()) if status != FormStatus.NIL_RETURN else [],
            })
    forms.sort(key=lambda f: ("ABCD".index(f["case"]), f["agency"]))
    findings = [{"number": n, "theme_id": draw(st.sampled_from(["", "REF", "PLAN"])), "text": f"Finding {n}", "withdrawn_at": None}
                for n in range(1, draw(st.integers(0, 2)) + 1)]
    recommendations = [
        {
            "number": n, "text": f"Recommendation {n}", "findings": sorted(draw(st.sets(st.sampled_from([f["number"] for f in findings])))) if findings else [],
            "owner_agency": draw(st.sampled_from(agencies))[0], "due_on": "2026-03-31", "rag": "green", "completed_at": None,
            "withdrawn_at": None, "updates": [{"note": "Started", "rag": "amber", "evidence": "", "at": draw(MOMENT)}],
        }
        for n in range(1, draw(st.integers(0, 2)) + 1)
    ]
    return {
        "format": FORMAT, "format_version": FORMAT_VERSION,
        "round": {
            "title": "Generated audit", "kind": "audit", "scope_start": "2014-04-01", "scope_end": "2015-03-31", "deadline": "2015-06-30",
            "status": draw(st.sampled_from(RoundStatus.values)), "sample_seed": draw(st.none() | st.integers(1, 2**31)),
            "sample_sizes": {}, "opened_at": None, "closed_at": None,
        },
        "template": TEMPLATE, "cases": cases, "forms": forms, "findings": findings, "recommendations": recommendations,
    }


def _expected_factor_cases(document) -> dict:
    live = {c["label"] for c in document["cases"] if c["withdrawn_at"] is None}
    seen: dict[str, set] = {}
    for f in document["forms"]:
        if f["status"] == FormStatus.SUBMITTED and f["withdrawn_at"] is None and f["case"] in live:
            for a in f["answers"]:
                if a["question_id"] == "CF-01":
                    seen.setdefault(a["option"], set()).add(f["case"])
    return {k: len(v) for k, v in seen.items()}, len(live)


@pytest.fixture
def agencies(partnership):
    from lantern.partnership.models import Role
    from lantern.partnership.tests.factories import make_user

    services.ensure_shipped_templates()
    auditor = make_user(partnership.social_care, Role.AUDITOR)
    pairs = [(a.name, a.agency_type) for a in (partnership.social_care, partnership.police, partnership.school, partnership.health)]
    return auditor, pairs


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_any_round_round_trips_exactly_and_its_percentages_add_up(agencies, data):
    auditor, pairs = agencies
    document = data.draw(round_documents(pairs))
    imported = import_round(by=auditor, document=document)
    exported = export_round(AuditRound.objects.select_related("template_version").get(pk=imported.pk))
    assert exported == document
    assert export_round(import_round(by=auditor, document=exported)) == document
    report = build_report(imported)
    for f in report.fractions():
        assert 0 <= f.num <= f.den
        assert f.percent == (None if f.den == 0 else int(Exact(100 * f.num, f.den) + Exact(1, 2)))
    expected, live = _expected_factor_cases(document)
    assert report.cases == live
    assert {row.id: row.cases.num for row in report.factors if row.cases.num} == expected
    live_forms = [f for f in document["forms"] if f["withdrawn_at"] is None and f["case"] in {c["label"] for c in document["cases"] if c["withdrawn_at"] is None}]
    assert report.returns.distributed == len(live_forms)
    assert report.returns.completed == sum(f["status"] == FormStatus.SUBMITTED for f in live_forms)


# --- The import page ------------------------------------------------------------------------------


def test_import_page_shows_each_problem_and_imports_nothing_then_imports_a_good_file(audit_world, client):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    w = audit_world
    document = export_round(rich_round(w))
    url = reverse("audits:round_import")
    client.force_login(w.p.social_worker)
    assert client.get(url).status_code == 404
    client.force_login(w.police_auditor)
    assert client.get(url).status_code == 200
    bad = json.loads(json.dumps(document))
    bad["forms"][0]["agency"] = "Nowhere Agency"
    before = AuditRound.objects.count()
    page = client.post(url, {"file": SimpleUploadedFile("round.json", json.dumps(bad).encode(), "application/json")})
    html = page.content.decode()
    assert page.status_code == 200 and "There is a problem" in html and "Nothing has been imported" in html
    assert "forms[0]" in html and "Nowhere Agency" in html and "is not the name of an agency in this installation" in html
    assert AuditRound.objects.count() == before
    page = client.post(url, {"file": SimpleUploadedFile("notes.txt", b"not json", "text/plain")})
    assert "is not an audit file" in page.content.decode()
    page = client.post(url, {"file": SimpleUploadedFile("round.json", json.dumps(document).encode(), "application/json")})
    imported = AuditRound.objects.order_by("-pk").first()
    assert page.status_code == 302 and page["Location"] == reverse("audits:round", args=[imported.pk])
    assert imported.imported_at is not None and AuditRound.objects.count() == before + 1
