"""The report of an audit round (page, DOCX, PDF), and moving rounds between installations
(JSON export and import). Thin: the figures come from report.build_report, the documents from
documents.py, the writes from exchange.import_round.

Who sees what: the report and the export are for the round's lead auditors; anyone else is told
the page is not found. The import page is for auditors; not found for anyone else.
"""

import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render

from lantern.core.forms import GovukForm
from lantern.core.views import download

from . import documents
from .exchange import ExchangeError, export_round, import_round
from .models import AuditRound
from .report import build_report
from .rules import is_auditor

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MAX_BYTES = 20 * 1024 * 1024


def _led_round(request, pk: int) -> AuditRound:
    """The round, if the user is one of its lead auditors; not found otherwise."""
    audit_round = (
        AuditRound.objects.select_related("template_version", "template_version__template")
        .filter(pk=pk, lead_auditors=request.user).first()
    )
    if audit_round is None:
        raise Http404("Not found")
    return audit_round



@login_required
def report(request, pk: int):
    audit_round = _led_round(request, pk)
    built = build_report(audit_round)
    return render(request, "audits/report.html", {"round": audit_round, "report": built, "doc": documents.layout(built)})


@login_required
def report_docx(request, pk: int):
    built = build_report(_led_round(request, pk))
    return download(documents.report_docx(built), filename=documents.docx_filename(built), content_type=DOCX)


@login_required
def report_pdf(request, pk: int):
    built = build_report(_led_round(request, pk))
    return download(documents.report_pdf(built), filename=documents.pdf_filename(built), content_type="application/pdf")


@login_required
def round_export(request, pk: int):
    audit_round = _led_round(request, pk)
    content = json.dumps(export_round(audit_round), indent=2, ensure_ascii=False).encode("utf-8")
    return download(content, filename=f"audit-round-{audit_round.pk}.json", content_type="application/json")


class ImportForm(GovukForm):
    required_messages = {"file": "Select the audit file to import"}
    file = forms.FileField(
        label="Audit file (JSON)",
        help_text=f"A file exported from Lantern with 'Download the audit as a file'. Up to {MAX_BYTES // (1024 * 1024)} MB.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].error_messages.update({"empty": "The selected file is empty", "invalid": "Select a file"})

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(f"The selected file must be smaller than {MAX_BYTES // (1024 * 1024)} MB")
        upload.seek(0)
        try:
            return json.loads(upload.read().decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise forms.ValidationError("The selected file is not an audit file: it must be a JSON file exported from Lantern") from None


@login_required
def round_import(request):
    if not is_auditor(request.user):
        raise Http404("Not found")
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    problems = []
    if form.is_bound and form.is_valid():
        try:
            audit_round = import_round(by=request.user, document=form.cleaned_data["file"])
        except ExchangeError as exc:
            problems = exc.rows
            form.add_error("file", exc.messages[0] + " The problems are listed below the form.")
        except PermissionDenied as exc:
            form.add_error("file", str(exc))
        else:
            messages.success(request, f"The audit {audit_round.title} has been imported")
            return redirect("audits:round", audit_round.pk)
    return render(request, "audits/import.html", {"form": form, "problems": problems})
