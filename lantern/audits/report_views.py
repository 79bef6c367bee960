"""Placeholder: being written."""

from django.http import Http404


def report(request, **kwargs):
    raise Http404


def report_docx(request, **kwargs):
    raise Http404


def report_pdf(request, **kwargs):
    raise Http404


def round_export(request, **kwargs):
    raise Http404


def round_import(request, **kwargs):
    raise Http404
