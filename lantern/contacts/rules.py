"""Who may do what with contacts and supervision records.

Contacts: anyone who may edit the child's record records a contact (practitioners and managers
of an involved agency, the hub); they record it for one of their agencies working with the
child (or, in the hub, for the hub's agency). Everyone who may see the child reads contacts.

Supervision (sensitive: a manager's reflection on the worker's practice): recorded only by a
manager of an agency working with the child, or the exploitation hub; read only by those, by
the supervisor and by the practitioner supervised. Meeting chairs, auditors and other agencies'
practitioners do not see it. See docs/decisions/0015-contacts-and-supervision.md."""

import rules
from django.db.models import Q

from lantern.children.rules import can_edit_child, can_view_child, manages_involved_agency

from .models import SupervisionRecord


@rules.predicate
def is_hub(user, child=None) -> bool:
    return user.is_authenticated and user.access.is_hub


@rules.predicate
def named_in_supervision(user, child) -> bool:
    """The user supervised, or was supervised, in a supervision record of the child."""
    if not user.is_authenticated or child is None:
        return False
    return SupervisionRecord.objects.filter(child=child).filter(names(user)).exists()


def names(user) -> Q:
    """Supervision records in which `user` is the supervisor or the practitioner supervised."""
    return Q(supervisor_id=user.pk) | Q(supervisee_id=user.pk)


can_record_contact = can_edit_child
can_read_contacts = can_view_child
can_record_supervision = is_hub | manages_involved_agency
can_read_supervision = is_hub | manages_involved_agency | named_in_supervision

rules.add_perm("contacts.view_contact", can_read_contacts)
rules.add_perm("contacts.add_contact", can_record_contact)
rules.add_perm("contacts.view_supervisionrecord", can_read_supervision)
rules.add_perm("contacts.add_supervisionrecord", can_record_supervision)
