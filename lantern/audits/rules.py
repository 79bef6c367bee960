"""Who may do what in audits.

- Auditors (the Auditor role in any agency) see the audit pages, write templates and set up
  rounds; whoever sets up a round is one of its lead auditors.
- A round's lead auditors run it: choose cases, send forms, moderate, write findings and
  recommendations, read the report. They see each case only as "Child A", "Child B" ...
- An agency's auditors see and complete only their own agency's forms, with the minimum needed
  to find the child's file (name and date of birth), and every such look is written to the
  child's access log.
- In a learning event the lead auditors record the answers given in the sessions, for every agency.
- A recommendation's owner agency's managers and auditors record progress on it.
"""

import rules

from lantern.partnership.models import Membership, Role


def auditor_agency_ids(user) -> frozenset:
    """The agencies in which `user` holds the Auditor role now."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    if not hasattr(user, "_auditor_agency_ids"):
        user._auditor_agency_ids = frozenset(
            Membership.objects.filter(user=user, role=Role.AUDITOR, ended_at__isnull=True, agency__is_active=True).values_list(
                "agency_id", flat=True
            )
        )
    return user._auditor_agency_ids


@rules.predicate
def is_auditor(user) -> bool:
    return bool(user is not None and user.is_authenticated and Role.AUDITOR in user.access.roles)


@rules.predicate
def leads_round(user, audit_round) -> bool:
    if user is None or not user.is_authenticated or audit_round is None:
        return False
    return audit_round.lead_auditors.filter(pk=user.pk).exists()


@rules.predicate
def completes_form(user, form) -> bool:
    """The form's agency's auditors, or, in a learning event, the round's lead auditors."""
    if form.agency_id in auditor_agency_ids(user):
        return True
    return form.round.kind == "learning_event" and leads_round(user, form.round)


@rules.predicate
def updates_recommendation(user, recommendation) -> bool:
    if leads_round(user, recommendation.round):
        return True
    if not user.is_authenticated:
        return False
    agency = recommendation.owner_agency_id
    return agency in auditor_agency_ids(user) or agency in user.access.manager_agency_ids or recommendation.owner_id == user.pk
