"""The report as DOCX and PDF: opened and read back; charts with their tables; no child's name or
date of birth anywhere."""

import io

import pytest
from docx import Document
from pypdf import PdfReader

from .. import charts, documents, services
from ..models import AuditForm
from ..report import build_report
from .factories import answers_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported(audit_world):
    w = audit_world
    audit_round = w.new_round(title="Exploitation audit autumn")
    services.set_deep_dive(by=w.lead, case=audit_round.cases.get(label="A"), deep_dive=True)
    services.open_round(by=w.lead, audit_round=audit_round, extra_agencies=[w.p.health])
    forms = AuditForm.objects.filter(round=audit_round).select_related("agency", "round", "case")
    for form in forms:
        if form.agency_id == w.p.health.pk:
            services.nil_return(by=w.health_auditor, form=form, reason="no_involvement", expected_version=form.version)
        elif form.agency_id == w.p.police.pk:
            services.submit_form(by=w.police_auditor, form=form, expected_version=form.version, answers=answers_for(form, extra={
                "CF-01": ["MISSING", "SUBSTANCES"], "REF-WELL": "Joint visits happened within a day.",
            }))
        elif form.agency_id == w.p.social_care.pk and form.case.label != "C":
            services.submit_form(by=w.lead, form=form, expected_version=form.version, answers=answers_for(form, choice="no", extra={
                "CF-01": ["MISSING"], "PLAN-IMPROVE": "Plans lacked a contingency.",
            }))
    finding = services.add_finding(by=w.lead, audit_round=audit_round, theme_id="PLAN", text="Plans lacked contingencies.")
    import datetime as dt

    from lantern.core.dates import local_today

    services.add_recommendation(
        by=w.lead, audit_round=audit_round, text="Add a contingency to every plan.", owner_agency=w.p.social_care,
        due_on=local_today() + dt.timedelta(days=60), findings=[finding],
    )
    return w, build_report(audit_round)


def _forbidden(w) -> list[str]:
    out = []
    for child in (w.amy, w.ben, w.cal):
        out += [child.legal_first_name, child.date_of_birth.strftime("%-d %B %Y"), child.date_of_birth.isoformat()]
    return out + ["Pat Police-Auditor", "Audrey Auditor", "Fictional"]


def test_docx_holds_the_figures_and_no_child(reported):
    w, report = reported
    document = Document(io.BytesIO(documents.report_docx(report)))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    everything = text + "\n" + cells
    assert "Exploitation audit autumn" in text
    assert "8 audit forms were distributed. 3 were nil returns (3 for no involvement with the child). 3 were completed and returned." in text
    assert "2 of 3 cases (67%)" in cells  # missing episodes: cases A (social care) and B (police, social care)
    assert "Child A" in text
    assert "Police: Joint visits happened within a day." in text
    assert "Children's social care: Plans lacked a contingency." in text
    assert "Add a contingency to every plan." in cells
    for word in _forbidden(w):
        assert word not in everything
    assert document.core_properties.title == "Exploitation audit autumn: report"


def test_pdf_holds_the_figures_charts_and_no_child(reported):
    w, report = reported
    html = documents.report_html(report)
    assert html.count("<svg") >= 3 and 'role="img"' in html
    pdf = PdfReader(io.BytesIO(documents.report_pdf(report)))
    text = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)
    assert "Exploitation audit autumn" in text
    assert "2 of 3 cases (67%)" in text
    assert "Joint visits happened within a day." in text
    for word in _forbidden(w):
        assert word not in text
    assert documents.pdf_filename(report).startswith(f"audit-report-{report.round_id}-exploitation-audit-autumn")


def test_text_and_page_layout_say_the_same(reported):
    w, report = reported
    text = documents.report_text(report)
    for block in documents.layout(report).blocks:
        if block.kind == "paragraph":
            assert block.text in text
    assert "Cases looked at in depth: Child A" in text


def test_bar_chart_geometry_and_description():
    chart = charts.bar_chart(title="Factors", rows=[("Missing episodes", (90,), "9 of 10 (90%)"), ("Bereavement", (20,), "2 of 10 (20%)")],
                             maximum=100, unit="%")
    first, second = chart.bars
    assert first.segments[0].width == round((chart.right_edge - chart.left) * 0.9, 1)
    assert second.segments[0].width == round((chart.right_edge - chart.left) * 0.2, 1)
    assert "Missing episodes: 9 of 10 (90%)." in chart.description
    assert chart.ticks[-1][1] == "100%"
    svg = charts.chart_svg(chart)
    assert svg.count("<rect") == 2 and "style=" not in svg and "<script" not in svg


# --- The pages ------------------------------------------------------------------------------------


def test_report_page_and_downloads_are_for_the_rounds_lead_auditors_only(reported, client):
    from django.urls import reverse

    w, report = reported
    pk = report.round_id
    for user in (w.police_auditor, w.p.social_worker, w.p.hub):
        client.force_login(user)
        for name in ("report", "report_docx", "report_pdf", "round_export"):
            assert client.get(reverse(f"audits:{name}", args=[pk])).status_code == 404
    client.force_login(w.lead)
    page = client.get(reverse("audits:report", args=[pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "2 of 3 cases (67%)" in html and "<svg" in html and "Joint visits happened within a day." in html
    for word in _forbidden(w):
        assert word not in html
    docx = client.get(reverse("audits:report_docx", args=[pk]))
    assert docx["Content-Disposition"].startswith('attachment; filename="audit-report-') and docx.content[:2] == b"PK"
    pdf = client.get(reverse("audits:report_pdf", args=[pk]))
    assert pdf.content[:5] == b"%PDF-"
    exported = client.get(reverse("audits:round_export", args=[pk]))
    assert exported.json()["round"]["title"] == "Exploitation audit autumn"


def test_report_page_makes_the_same_queries_for_a_bigger_round(reported, client, django_assert_max_num_queries):
    from django.urls import reverse

    w, report = reported
    client.force_login(w.lead)
    client.get(reverse("audits:report", args=[report.round_id]))  # warm the session and caches
    with django_assert_max_num_queries(25):
        assert client.get(reverse("audits:report", args=[report.round_id])).status_code == 200


def test_bar_chart_scale_is_round():
    chart = charts.bar_chart(title="Forms", rows=[("Police", (458, 400, 137), "458 of 995 completed")], series=("a", "b", "c"))
    assert [label for _, label in chart.ticks] == ["0", "250", "500", "750", "1000"]
    chart = charts.bar_chart(title="Grades", rows=[("Plans", (0, 3, 0, 1), "4")], series=("a", "b", "c", "d"))
    assert [label for _, label in chart.ticks] == ["0", "1", "2", "3", "4"]
