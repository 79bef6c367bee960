"""Placeholder: being written."""

from django.http import Http404


def index(request, **kwargs):
    raise Http404


def template_list(request, **kwargs):
    raise Http404


def template_new(request, **kwargs):
    raise Http404


def template_detail(request, **kwargs):
    raise Http404


def template_add_theme(request, **kwargs):
    raise Http404


def template_add_question(request, **kwargs):
    raise Http404


def template_edit_question(request, **kwargs):
    raise Http404


def round_new(request, **kwargs):
    raise Http404


def round_detail(request, **kwargs):
    raise Http404


def round_add_case(request, **kwargs):
    raise Http404


def round_sample(request, **kwargs):
    raise Http404


def case_deep_dive(request, **kwargs):
    raise Http404


def case_withdraw(request, **kwargs):
    raise Http404


def round_open(request, **kwargs):
    raise Http404


def round_add_agency(request, **kwargs):
    raise Http404


def round_moderation(request, **kwargs):
    raise Http404


def review_session_new(request, **kwargs):
    raise Http404


def review_session(request, **kwargs):
    raise Http404


def round_close(request, **kwargs):
    raise Http404


def my_forms(request, **kwargs):
    raise Http404


def form_detail(request, **kwargs):
    raise Http404


def form_nil_return(request, **kwargs):
    raise Http404


def form_return(request, **kwargs):
    raise Http404
