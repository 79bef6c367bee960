"""Placeholder: being written."""

from django.http import Http404


def finding_new(request, **kwargs):
    raise Http404


def recommendation_new(request, **kwargs):
    raise Http404


def action_plan(request, **kwargs):
    raise Http404


def recommendation_detail(request, **kwargs):
    raise Http404


def sessions(request, **kwargs):
    raise Http404


def round_invitations(request, **kwargs):
    raise Http404


def my_invitations(request, **kwargs):
    raise Http404
