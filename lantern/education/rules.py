"""Who may do what with a child's education record. Anyone whose agency works with the child
(and the hub and meeting chairs) may record it: the school, children's social care, the
education welfare service or youth justice may each be the one who knows. Someone seeing the
child only through emergency access may read it but not record."""

import rules

from lantern.children.rules import can_edit_child, can_view_child

can_record_education = can_edit_child

rules.add_perm("education.view_provision", can_view_child)
rules.add_perm("education.add_provision", can_record_education)
