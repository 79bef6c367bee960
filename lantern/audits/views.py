"""The pages of the audit engine: the audits home, templates and their editor, rounds (cases, the
sample, sending the forms, the live return grid, moderation, review sessions, closing) and the
agencies' forms. Thin: every read through selectors, every write through services.

Who sees what (see rules.py and selectors.py): the audit pages are for auditors; a round's pages
for its lead auditors, who see each case only as "Child A", "Child B" ...; a form for its agency's
auditors (who see the child's name and date of birth, logged) and, read-only, for the round's
lead auditors. Anyone else gets "not found". POST-only actions send a GET back to the round.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from lantern.core.views import run_service
from lantern.partnership.models import AgencyType

from . import selectors, services
from .forms import (
    AddAgencyForm, AddQuestionForm, AddThemeForm, AgreedChangeForm, AnswersForm, ConfirmForm, EditQuestionForm, FindChildForm,
    NewTemplateForm, NilReturnForm, ReturnFormForm, ReviewSessionForm, RoundForm, SampleForm, SendFormsForm, WithdrawCaseForm,
)
from .models import FormStatus, Grade, QuestionType, RoundStatus, YesNo
from .selectors import LookupProblem


def _data(request):
    """The posted data, even when empty (a form with nothing ticked is still a post)."""
    return request.POST if request.method == "POST" else None


def _plural(count: int, word: str, plural: str = "") -> str:
    return f"{count} {word if count == 1 else plural or word + 's'}"


# The audits home ------------------------------------------------------------------------------


@login_required
def index(request):
    home = selectors.audits_home(request.user, page_number=request.GET.get("page", 1))
    return render(request, "audits/index.html", {"home": home})


# Templates and the template editor (F37) ------------------------------------------------------


@login_required
def template_list(request):
    templates = selectors.template_list(request.user)
    return render(request, "audits/template_list.html", {"templates": templates})


@login_required
def template_new(request):
    selectors.need_auditor(request.user)
    form = NewTemplateForm(_data(request))
    if request.method == "POST" and form.is_valid():
        version = run_service(form, lambda: services.publish_template(
            by=request.user, document=form.document(), change_note="First version",
        ))
        if version is not None:
            messages.success(request, "The template is saved as version 1. Add more themes and questions, then use it in an audit")
            return redirect("audits:template", version.template_id)
    return render(request, "audits/form_page.html", {
        "form": form, "heading": "Write a new template", "button": "Save the template", "back_url": reverse("audits:templates"),
        "back_text": "Back to templates",
        "intro": "Start with the template's name, its first theme and the first question. You can add more themes and "
        "questions once it is saved.",
    })


@login_required
def template_detail(request, pk: int):
    template = selectors.access_template(request.user, pk)
    page = selectors.template_page(template)
    themes = [
        {"theme": theme, "questions": [
            {"q": q, "type": QuestionType(q.type).label, "agencies": [AgencyType(a).label for a in q.agency_types]}
            for q in theme.questions
        ]}
        for theme in page.document.themes
    ]
    return render(request, "audits/template_detail.html", {"page": page, "template": template, "themes": themes})


def _published(request, version, expected: int) -> None:
    if version.number == expected:
        messages.success(request, f"Version {version.number} has been corrected. No audit has used it yet, so it was changed in place")
    else:
        messages.success(request, f"Version {version.number} is published. Audits already using version {expected} keep their questions")


def _editor_page(request, *, template, form, heading: str, button: str, intro: str = "", caption: str = ""):
    return render(request, "audits/form_page.html", {
        "form": form, "heading": heading, "button": button, "caption": caption or template.name, "intro": intro,
        "back_url": reverse("audits:template", args=[template.pk]), "back_text": f"Back to {template.name}",
    })


_IN_USE = ("If an audit already uses the newest version, saving publishes a new version and that audit keeps its "
           "questions. Otherwise the newest version is corrected.")


def _save_edit(request, *, template, page, form, document, heading: str):
    """The template editor's pages: on a valid POST, publish the document the form builds from
    the newest version (corrected in place if unused, else a new version) and go back to the
    template; otherwise show the form."""
    if request.method == "POST" and form.is_valid():
        expected = form.cleaned_data["number"]
        version = run_service(form, lambda: services.publish_template(
            by=request.user, template=template, document=document(page.newest.document),
            change_note=form.cleaned_data["change_note"], expected_number=expected,
        ))
        if version is not None:
            _published(request, version, expected)
            return redirect("audits:template", template.pk)
    button = "Save the theme" if isinstance(form, AddThemeForm) else "Save the question"
    return _editor_page(request, template=template, form=form, heading=heading, button=button, intro=_IN_USE)


@login_required
def template_add_theme(request, pk: int):
    template = selectors.access_template(request.user, pk)
    page = selectors.template_page(template)
    form = AddThemeForm(_data(request), initial={"number": page.newest.number})
    return _save_edit(request, template=template, page=page, form=form, document=form.document, heading="Add a theme")


@login_required
def template_add_question(request, pk: int):
    template = selectors.access_template(request.user, pk)
    page = selectors.template_page(template)
    initial = {"number": page.newest.number}
    if request.GET.get("theme") in {t.id for t in page.document.themes}:
        initial["theme"] = request.GET["theme"]
    form = AddQuestionForm(_data(request), themes=page.document.themes, initial=initial)
    return _save_edit(request, template=template, page=page, form=form, document=form.document, heading="Add a question")


@login_required
def template_edit_question(request, pk: int, question_id: str):
    template = selectors.access_template(request.user, pk)
    page = selectors.template_page(template)
    question = page.document.questions.get(question_id)
    if question is None or question.narrative:
        raise Http404("Not found")
    form = EditQuestionForm(_data(request), initial={
        "number": page.newest.number, "question_text": question.text, "question_type": question.type,
        "question_guidance": question.guidance, "question_agency_types": list(question.agency_types),
    })
    return _save_edit(request, template=template, page=page, form=form, heading=f"Change question {question.id}",
                      document=lambda newest: form.document(newest, question.id))


# Rounds ---------------------------------------------------------------------------------------


@login_required
def round_new(request):
    selectors.need_auditor(request.user)
    form = RoundForm(
        request.POST or None, versions=selectors.newest_versions(), auditors=selectors.auditors().exclude(pk=request.user.pk),
    )
    if request.method == "POST" and form.is_valid():
        audit_round = run_service(form, lambda: services.create_round(by=request.user, **form.round_data()))
        if audit_round is not None:
            messages.success(request, "The audit is set up. Choose its cases, then send the forms")
            return redirect("audits:round", audit_round.pk)
    return render(request, "audits/form_page.html", {
        "form": form, "heading": "Set up an audit", "button": "Set up the audit", "back_url": reverse("audits:index"),
        "back_text": "Back to audits",
        "intro": "An audit, dip sample or learning event uses one version of a template. You choose its cases next.",
    })


def _round_page(request, audit_round, *, error_form=None):
    page = selectors.round_page(audit_round)
    return render(request, "audits/round_detail.html", {
        "page": page, "round": audit_round, "error_form": error_form, "statuses": RoundStatus,
    })


@login_required
def round_detail(request, pk: int):
    return _round_page(request, selectors.access_round(request.user, pk))


def _round_form_page(request, audit_round, *, form, heading: str, button: str, intro: str = "", warning: bool = False,
                     template: str = "audits/form_page.html", **extra):
    return render(request, template, {
        "form": form, "heading": heading, "button": button, "intro": intro, "warning": warning, "caption": audit_round.title,
        "back_url": reverse("audits:round", args=[audit_round.pk]), "back_text": "Back to the audit", "round": audit_round, **extra,
    })


@login_required
def round_add_case(request, pk: int):
    audit_round = selectors.access_round(request.user, pk)
    if audit_round.status != RoundStatus.DRAFT:
        return redirect("audits:round", audit_round.pk)
    form = FindChildForm(_data(request))
    heading = "Add a case by hand"
    if request.method == "POST" and form.is_valid():
        try:
            child = selectors.find_child_for_audit(request.user, audit_round, form.cleaned_data["reference"])
        except LookupProblem as exc:
            form.add_error("reference", str(exc))
        else:
            if request.POST.get("action") == "add":
                case = run_service(form, lambda: services.add_case(by=request.user, audit_round=audit_round, child=child))
                if case is not None:
                    messages.success(request, f"The case has been added to the audit as {case.name}")
                    return redirect("audits:round", audit_round.pk)
            # The confirmation shows the child's name and date of birth: the look is logged.
            selectors.log_audit_lookup(request.user, child, path=request.path)
            return render(request, "audits/add_case_confirm.html", {
                "form": form, "round": audit_round, "child": child, "reference": form.cleaned_data["reference"],
            })
    return _round_form_page(
        request, audit_round, form=form, heading=heading, button="Find the child",
        intro="Enter the child's NHS number or Lantern reference. You will see the child's name and date of birth to check "
        "it is the right child; in the audit the case is then known only by a letter. Looking a child up is written to their "
        "record's access log.",
    )


@login_required
def round_sample(request, pk: int):
    audit_round = selectors.access_round(request.user, pk)
    if audit_round.status != RoundStatus.DRAFT:
        return redirect("audits:round", audit_round.pk)
    form = SampleForm(_data(request))
    if request.method == "POST" and form.is_valid():
        cases = run_service(form, lambda: services.draw_sample(
            by=request.user, audit_round=audit_round, sizes=form.sizes(), seed=form.cleaned_data["seed"],
        ))
        if cases is not None:
            audit_round.refresh_from_db()
            messages.success(request, f"{_plural(len(cases), 'case')} drawn at random. The seed was {audit_round.sample_seed}: "
                             "enter it again to draw the same sample from the same records")
            return redirect("audits:round", audit_round.pk)
    return _round_form_page(
        request, audit_round, form=form, heading="Draw a random sample", button="Draw the sample",
        template="audits/sample.html",
    )


@login_required
def case_deep_dive(request, pk: int, case_pk: int):
    audit_round = selectors.access_round(request.user, pk)
    case = selectors.access_case(audit_round, case_pk)
    if request.method != "POST":
        return redirect("audits:round", audit_round.pk)
    deep_dive = request.POST.get("deep_dive") == "1"
    form = ConfirmForm(request.POST)
    form.is_valid()
    if run_service(form, lambda: services.set_deep_dive(by=request.user, case=case, deep_dive=deep_dive)) is None:
        return _round_page(request, audit_round, error_form=form)
    messages.success(request, f"{case.name} is marked for a deep dive" if deep_dive else f"{case.name} is no longer marked for a deep dive")
    return redirect("audits:round", audit_round.pk)


@login_required
def case_withdraw(request, pk: int, case_pk: int):
    audit_round = selectors.access_round(request.user, pk)
    case = selectors.access_case(audit_round, case_pk)
    if audit_round.status != RoundStatus.DRAFT or case.withdrawn_at is not None:
        return redirect("audits:round", audit_round.pk)
    form = WithdrawCaseForm(_data(request))
    if request.method == "POST" and form.is_valid():
        done = run_service(form, lambda: services.withdraw_case(by=request.user, case=case, reason=form.cleaned_data["reason"]))
        if done is not None:
            messages.success(request, f"{case.name} has been taken out of the audit")
            return redirect("audits:round", audit_round.pk)
    return _round_form_page(request, audit_round, form=form, heading=f"Take {case.name} out of the audit",
                            button="Take the case out", warning=True)


@login_required
def round_open(request, pk: int):
    audit_round = selectors.access_round(request.user, pk)
    if audit_round.status != RoundStatus.DRAFT:
        return redirect("audits:round", audit_round.pk)
    form = SendFormsForm(_data(request), agencies=selectors.agencies_for_round())
    if request.method == "POST" and form.is_valid():
        sent = run_service(form, lambda: services.open_round(
            by=request.user, audit_round=audit_round, extra_agencies=list(form.cleaned_data["extra_agencies"]),
        ))
        if sent is not None:
            agencies = len({f.agency_id for f in sent})
            messages.success(request, f"{_plural(len(sent), 'form')} sent to {_plural(agencies, 'agency', 'agencies')}. "
                             "Their auditors have been told")
            return redirect("audits:round", audit_round.pk)
    cases = audit_round.cases.filter(withdrawn_at__isnull=True).count()
    return _round_form_page(
        request, audit_round, form=form, heading="Send the forms", button="Send the forms",
        intro=f"The audit has {_plural(cases, 'case')}. Each agency involved with a case in the period audited gets one form "
        "for it, and its auditors are told. Once the forms are sent, cases cannot be added or taken out.",
    )


@login_required
def round_add_agency(request, pk: int):
    audit_round = selectors.access_round(request.user, pk)
    if audit_round.status != RoundStatus.OPEN:
        return redirect("audits:round", audit_round.pk)
    form = AddAgencyForm(_data(request), agencies=selectors.agencies_for_round())
    if request.method == "POST" and form.is_valid():
        agency = form.cleaned_data["agency"]
        sent = run_service(form, lambda: services.add_agency(by=request.user, audit_round=audit_round, agency=agency))
        if sent is not None:
            messages.success(request, f"{_plural(len(sent), 'form')} sent to {agency.name}. Its auditors have been told")
            return redirect("audits:round", audit_round.pk)
    return _round_form_page(request, audit_round, form=form, heading="Send forms to another agency", button="Send the forms")


@login_required
def round_moderation(request, pk: int):
    audit_round = selectors.access_round(request.user, pk)
    if audit_round.status != RoundStatus.OPEN:
        return redirect("audits:round", audit_round.pk)
    form = ConfirmForm(_data(request))
    if request.method == "POST":
        form.is_valid()
        if run_service(form, lambda: services.start_moderation(by=request.user, audit_round=audit_round)) is not None:
            messages.success(request, "The audit is in moderation. Return any form that needs changes, and record the review sessions")
            return redirect("audits:round", audit_round.pk)
    page = selectors.round_page(audit_round)
    outstanding = page.form_count - page.returned_count
    return _round_form_page(
        request, audit_round, form=form, heading="Start moderation", button="Start moderation",
        intro=(f"{_plural(outstanding, 'form has', 'forms have')} not been sent in. " if outstanding else "Every form has been sent in. ")
        + "In moderation, agencies can no longer change their forms unless you return one to them with comments.",
    )


@login_required
def review_session_new(request, pk: int):
    audit_round = selectors.access_round(request.user, pk)
    if audit_round.status not in (RoundStatus.OPEN, RoundStatus.MODERATION):
        return redirect("audits:round", audit_round.pk)
    form = ReviewSessionForm(_data(request))
    if request.method == "POST" and form.is_valid():
        session = run_service(form, lambda: services.record_review_session(by=request.user, audit_round=audit_round, **form.cleaned_data))
        if session is not None:
            messages.success(request, "The review session is recorded. Record each change the session agreed")
            return redirect("audits:review_session", audit_round.pk, session.pk)
    return _round_form_page(request, audit_round, form=form, heading="Record a review session", button="Record the session",
                            intro="A meeting of the audit's auditors at which changes to forms that have been sent in are agreed.")


_YES_NO_WORDS = {label.lower(): value for value, label in YesNo.choices} | {"n/a": "na", "na": "na"}
_GRADE_WORDS = {label.lower(): str(value) for value, label in Grade.choices}


def _agreed_value(question, text: str, template):
    """The answer a person typed for an agreed change, in the form the service takes."""
    text = (text or "").strip()
    if question.type == QuestionType.YES_NO:
        return _YES_NO_WORDS.get(text.lower(), text)
    if question.type == QuestionType.GRADE:
        return _GRADE_WORDS.get(text.lower(), text)
    if question.type == QuestionType.FACTORS:
        by_word = {label.lower(): fid for fid, label in template.factors} | {fid.lower(): fid for fid, _ in template.factors}
        return [by_word.get(part.strip().lower(), part.strip()) for part in text.split(",") if part.strip()]
    return text


@login_required
def review_session(request, pk: int, session_pk: int):
    audit_round = selectors.access_round(request.user, pk)
    session = selectors.access_review_session(audit_round, session_pk)
    template = services.template_of(audit_round)
    forms_ = selectors.submitted_forms(audit_round)
    form = None
    if audit_round.status != RoundStatus.CLOSED:
        form = AgreedChangeForm(_data(request), forms_=forms_, questions=list(template.questions.values()))
        if request.method == "POST" and form.is_valid():
            target = next(f for f in forms_ if str(f.pk) == form.cleaned_data["audit_form"])
            question = template.questions[form.cleaned_data["question_id"]]
            event = run_service(form, lambda: services.agree_change(
                by=request.user, session=session, form=target, question_id=question.id,
                value=_agreed_value(question, form.cleaned_data["value"], template), reason=form.cleaned_data["reason"],
            ))
            if event is not None:
                messages.success(request, f"The change to {target.case.name}'s form from {target.agency.name} is recorded")
                return redirect("audits:review_session", audit_round.pk, session.pk)
    elif request.method == "POST":
        return redirect("audits:review_session", audit_round.pk, session.pk)
    return render(request, "audits/review_session.html", {
        "round": audit_round, "session": session, "changes": selectors.session_changes(session), "form": form,
        "has_forms": bool(forms_),
    })


@login_required
def round_close(request, pk: int):
    audit_round = selectors.access_round(request.user, pk)
    if audit_round.status not in (RoundStatus.OPEN, RoundStatus.MODERATION):
        return redirect("audits:round", audit_round.pk)
    form = ConfirmForm(_data(request))
    if request.method == "POST":
        form.is_valid()
        if run_service(form, lambda: services.close_round(by=request.user, audit_round=audit_round)) is not None:
            messages.success(request, "The audit is closed. Its answers can no longer change")
            return redirect("audits:round", audit_round.pk)
    return _round_form_page(
        request, audit_round, form=form, heading="Close the audit", button="Close the audit", warning=True,
        intro="When the audit is closed its answers can no longer change. Forms not sent in are counted as not returned "
        "in the report.",
    )


# Agencies' forms (F34) --------------------------------------------------------------------------


@login_required
def my_forms(request):
    page = selectors.my_forms(request.user, page_number=request.GET.get("page", 1))
    counts = selectors.my_form_counts(request.user)
    return render(request, "audits/my_forms.html", {"page": page, "counts": counts})


def _editable(form) -> bool:
    return form.may_complete and form.is_editable and form.round.status == RoundStatus.OPEN


def _initial(page) -> dict:
    initial = {"version": page.form.version}
    for qid, rows in page.answers.items():
        question = page.template.questions.get(qid)
        if question is None:
            continue
        if question.type == QuestionType.FACTORS:
            initial[qid] = [r.option for r in rows]
        elif question.type == QuestionType.YES_NO:
            initial[qid] = rows[0].choice
        elif question.type == QuestionType.GRADE:
            initial[qid] = str(rows[0].grade) if rows[0].grade else ""
        elif question.type == QuestionType.NUMBER:
            initial[qid] = "" if rows[0].number is None else f"{rows[0].number.normalize():f}"
        else:
            initial[qid] = rows[0].text
    return initial


def _sections(page, answers_form):
    """The form's questions for its agency, grouped by theme, each with its field (if editable)
    and its answer in words."""
    agency_type = page.form.agency.agency_type
    factor_labels = page.template.factor_labels
    sections = []
    for theme in page.template.themes:
        asked = [q for q in theme.questions if q.asked_of(agency_type)]
        if not asked:
            continue
        items = []
        for q in [*asked, *theme.narrative_questions]:
            items.append({
                "question": q, "field": answers_form[q.id] if answers_form is not None else None,
                "answer": selectors.answer_display(q, page.answers.get(q.id, []), factor_labels),
            })
        sections.append({"theme": theme, "items": items, "questions": [i for i in items if not i["question"].narrative],
                         "narrative": [i for i in items if i["question"].narrative]})
    return sections


@login_required
def form_detail(request, pk: int):
    form = selectors.access_form(request.user, pk)
    editable = _editable(form)
    if request.method == "POST" and not editable:
        if not form.may_complete:
            raise Http404("Not found")
        return redirect("audits:form", form.pk)
    page = selectors.form_page(request.user, form, path=request.path)
    answers_form = None
    if editable:
        questions = page.template.questions_for(form.agency.agency_type)
        answers_form = AnswersForm(_data(request), questions=questions, factors=page.template.factors, initial=_initial(page))
        if request.method == "POST" and answers_form.is_valid():
            version = answers_form.cleaned_data["version"]
            sending = request.POST.get("action") == "submit"
            if sending:
                done = run_service(answers_form, lambda: services.submit_form(
                    by=request.user, form=form, expected_version=version, answers=answers_form.answers(),
                ))
            else:
                done = run_service(answers_form, lambda: services.save_answers(
                    by=request.user, form=form, expected_version=version, answers=answers_form.answers(),
                ))
            if done is not None:
                if sending:
                    messages.success(request, f"The form about {form.case.name} has been sent in. The lead auditors can see it")
                    if form.is_own_agency:
                        return redirect("audits:my_forms")
                    return redirect("audits:round", form.round_id)
                messages.success(request, "Your answers have been saved as a draft. Send the form in when it is complete")
                return redirect("audits:form", form.pk)
    return render(request, "audits/form_detail.html", {
        "page": page, "form": form, "answers_form": answers_form, "editable": editable, "sections": _sections(page, answers_form),
        "may_return": form.is_lead and form.status in (FormStatus.SUBMITTED, FormStatus.NIL_RETURN)
        and form.round.status in (RoundStatus.OPEN, RoundStatus.MODERATION),
    })


@login_required
def form_nil_return(request, pk: int):
    form = selectors.access_form(request.user, pk)
    if not form.may_complete:
        raise Http404("Not found")
    if not _editable(form):
        return redirect("audits:form", form.pk)
    nil_form = NilReturnForm(_data(request), initial={"version": form.version})
    if request.method == "POST" and nil_form.is_valid():
        data = nil_form.cleaned_data
        done = run_service(nil_form, lambda: services.nil_return(
            by=request.user, form=form, reason=data["reason"], detail=data["detail"], expected_version=data["version"],
        ))
        if done is not None:
            messages.success(request, f"The nil return for {form.case.name} has been sent in")
            return redirect("audits:my_forms")
    return render(request, "audits/form_page.html", {
        "form": nil_form, "heading": "Make a nil return", "button": "Send the nil return",
        "caption": f"{form.round.title}: {form.case.name}, {form.agency.name}",
        "back_url": reverse("audits:form", args=[form.pk]), "back_text": "Back to the form",
        "intro": "Make a nil return if your agency has nothing to audit for this case. The lead auditors see the reason you give.",
    })


@login_required
def form_return(request, pk: int):
    form = selectors.access_form(request.user, pk)
    if not form.is_lead:
        raise Http404("Not found")
    if form.status not in (FormStatus.SUBMITTED, FormStatus.NIL_RETURN) or form.round.status not in (
        RoundStatus.OPEN, RoundStatus.MODERATION,
    ):
        return redirect("audits:form", form.pk)
    return_form = ReturnFormForm(_data(request))
    if request.method == "POST" and return_form.is_valid():
        done = run_service(return_form, lambda: services.return_form(
            by=request.user, form=form, comment=return_form.cleaned_data["comment"],
        ))
        if done is not None:
            messages.success(request, f"The form has been returned to {form.agency.name} with your comments. Its auditors have been told")
            return redirect("audits:round", form.round_id)
    return render(request, "audits/form_page.html", {
        "form": return_form, "heading": "Return the form with comments", "button": "Return the form",
        "caption": f"{form.round.title}: {form.case.name}, {form.agency.name}",
        "back_url": reverse("audits:form", args=[form.pk]), "back_text": "Back to the form",
        "intro": "The agency can change its answers and send the form in again.",
    })

