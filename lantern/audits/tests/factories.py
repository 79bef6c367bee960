"""Answers for audit tests, as an agency's auditor would give them."""

from .. import services


def answers_for(form, *, choice="yes", grade=2, extra=None) -> dict:
    """A complete set of answers for every yes/no and grade question asked of the form's agency,
    as the form page posts them, with `extra` answers on top."""
    template = services.template_of(form.round)
    out = {}
    for q in template.questions_for(form.agency.agency_type):
        if q.type == "yes_no":
            out[q.id] = choice
        elif q.type == "grade":
            out[q.id] = str(grade)
    out.update(extra or {})
    return out
