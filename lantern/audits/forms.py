"""The forms of the audit pages. The template editor's forms build a new template document from
the newest version and the change asked for: nobody edits JSON."""

import copy
import re

from django import forms

from lantern.core.forms import GovukDateField, GovukForm
from lantern.partnership.models import Agency, AgencyType, User

from .models import AuditKind, AuditTemplateVersion, Grade, NilReason, QuestionType, YesNo
from .template_document import KEY_RE, THEME_RE

RELOAD = "Reload the page and try again"
SMALL_WORDS = {"a", "an", "and", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with"}


class VersionField(forms.IntegerField):
    """The version of the record the page was loaded from, so a second editor is refused."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.error_messages["required"] = RELOAD
        self.error_messages["invalid"] = RELOAD


def _agency_types_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label="Which types of agency is it for?", choices=AgencyType.choices, required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Leave every box unticked to ask every agency.",
    )


def _type_field() -> forms.ChoiceField:
    return forms.ChoiceField(label="How is it answered?", choices=QuestionType.choices, widget=forms.RadioSelect)


def _change_note_field() -> forms.CharField:
    return forms.CharField(
        label="What did you change, and why?", max_length=500, required=False,
        help_text="Kept in the template's version history. For example, added a question about school exclusions.",
    )


class QuestionFields(GovukForm):
    """The fields of one question."""

    required_messages = {
        "question_text": "Enter the question",
        "question_type": "Select how the question is answered",
    }
    question_text = forms.CharField(label="Question", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    question_type = _type_field()
    question_guidance = forms.CharField(
        label="Guidance for the auditor", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Where to look on the file and how to answer.",
    )
    question_agency_types = _agency_types_field()

    def question(self, question_id: str) -> dict:
        data = self.cleaned_data
        return {
            "id": question_id, "text": data["question_text"].strip(), "type": data["question_type"],
            "guidance": data.get("question_guidance", "").strip(), "agency_types": list(data.get("question_agency_types") or []),
        }


def theme_id_for(title: str, taken) -> str:
    """A short id for a new theme from its title (Referral and risk -> RR), unique in the template."""
    words = [w for w in re.findall(r"[A-Za-z0-9]+", title) if w.lower() not in SMALL_WORDS]
    base = "".join(w[0] for w in words).upper()[:6]
    if len(base) < 2:
        base = (words[0].upper()[:3] if words else "") or "TH"
        base = base if len(base) >= 2 else "TH"
    candidate, n = base, 1
    while candidate in taken or not THEME_RE.match(candidate):
        n += 1
        candidate = f"{base[:6]}{n}"
    return candidate


def next_question_id(theme: dict) -> str:
    numbers = [int(q["id"].rsplit("-", 1)[1]) for q in theme.get("questions", []) if re.match(r"^.+-\d{2}$", str(q.get("id", "")))]
    return f"{theme['id']}-{max(numbers, default=0) + 1:02d}"


class NewTemplateForm(QuestionFields):
    required_messages = {
        **QuestionFields.required_messages,
        "name": "Enter the template's name",
        "key": "Enter a key for the template",
        "kind": "Select what the template is for",
        "theme_title": "Enter the title of the first theme",
    }
    field_order = [
        "name", "key", "kind", "description", "factors", "theme_title", "theme_guidance", "narrative",
        "question_text", "question_type", "question_guidance", "question_agency_types",
    ]
    name = forms.CharField(label="Name", max_length=200, help_text="For example, Missing from education dip sample")
    key = forms.CharField(
        label="Key", max_length=60,
        help_text="A short name used when audits are moved between systems: lower-case letters and digits joined by "
        "hyphens, for example missing-education-dip-sample. It cannot be changed later.",
    )
    kind = forms.ChoiceField(label="What is it for?", choices=AuditKind.choices, widget=forms.RadioSelect)
    description = forms.CharField(label="Description", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text="What the audit looks at and who completes it.")
    factors = forms.CharField(
        label="Contributory factors", max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One on each line, for example Missing episodes. Needed only for a checklist of contributory factors.",
    )
    theme_title = forms.CharField(label="Title of the first theme", max_length=200,
                                  help_text="For example, Referral and identification of risk")
    theme_guidance = forms.CharField(label="Guidance for the theme", max_length=2000, required=False,
                                     widget=forms.Textarea(attrs={"rows": 3}))
    narrative = forms.BooleanField(
        label="Ask what we do well and what we should improve", required=False, initial=True,
        help_text="Two boxes at the end of the theme for the auditor's own words.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question_text"].label = "First question"

    def clean_key(self):
        key = self.cleaned_data["key"].strip().lower()
        if not KEY_RE.match(key):
            raise forms.ValidationError("Enter a key of lower-case letters and digits joined by hyphens, like missing-education-audit")
        return key

    def document(self) -> dict:
        data = self.cleaned_data
        lines = [line.strip() for line in data.get("factors", "").splitlines() if line.strip()]
        theme_id = theme_id_for(data["theme_title"], taken=set())
        return {
            "key": data["key"], "name": data["name"].strip(), "kind": data["kind"], "description": data.get("description", "").strip(),
            "factors": [{"id": f"F{n:02d}", "text": text} for n, text in enumerate(dict.fromkeys(lines), start=1)],
            "themes": [{
                "id": theme_id, "title": data["theme_title"].strip(), "guidance": data.get("theme_guidance", "").strip(),
                "narrative": bool(data.get("narrative")), "questions": [self.question(f"{theme_id}-01")],
            }],
        }


class AddThemeForm(QuestionFields):
    required_messages = {**QuestionFields.required_messages, "title": "Enter the title of the theme"}
    field_order = [
        "title", "guidance", "narrative", "question_text", "question_type", "question_guidance", "question_agency_types",
        "change_note", "number",
    ]
    title = forms.CharField(label="Title", max_length=200, help_text="For example, Quality of plans")
    guidance = forms.CharField(label="Guidance for the theme", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    narrative = forms.BooleanField(label="Ask what we do well and what we should improve", required=False, initial=True)
    change_note = _change_note_field()
    number = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question_text"].label = "First question"

    def document(self, base: dict) -> dict:
        document = copy.deepcopy(base)
        themes = document.setdefault("themes", [])
        theme_id = theme_id_for(self.cleaned_data["title"], taken={t.get("id") for t in themes})
        themes.append({
            "id": theme_id, "title": self.cleaned_data["title"].strip(), "guidance": self.cleaned_data.get("guidance", "").strip(),
            "narrative": bool(self.cleaned_data.get("narrative")), "questions": [self.question(f"{theme_id}-01")],
        })
        return document


class AddQuestionForm(QuestionFields):
    required_messages = {**QuestionFields.required_messages, "theme": "Select the theme the question belongs to"}
    field_order = ["theme", "question_text", "question_type", "question_guidance", "question_agency_types", "change_note", "number"]
    theme = forms.ChoiceField(label="Theme", choices=(), widget=forms.RadioSelect)
    change_note = _change_note_field()
    number = VersionField()

    def __init__(self, *args, themes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [(t.id, t.title) for t in themes]

    def document(self, base: dict) -> dict:
        document = copy.deepcopy(base)
        theme = next(t for t in document["themes"] if t["id"] == self.cleaned_data["theme"])
        theme.setdefault("questions", []).append(self.question(next_question_id(theme)))
        return document


class EditQuestionForm(QuestionFields):
    field_order = ["question_text", "question_type", "question_guidance", "question_agency_types", "change_note", "number"]
    change_note = _change_note_field()
    number = VersionField()

    def document(self, base: dict, question_id: str) -> dict:
        document = copy.deepcopy(base)
        for theme in document["themes"]:
            for n, question in enumerate(theme.get("questions", [])):
                if question.get("id") == question_id:
                    theme["questions"][n] = {**question, **self.question(question_id)}
        return document


# Rounds -----------------------------------------------------------------------------------------


class RoundForm(GovukForm):
    required_messages = {
        "title": "Enter a title for the audit",
        "template_version": "Select the template",
        "scope_start": "Enter the start of the period being audited",
        "scope_end": "Enter the end of the period being audited",
        "deadline": "Enter the date forms must be returned by",
    }
    title = forms.CharField(label="Title", max_length=200, help_text="For example, Exploitation audit, spring 2027")
    template_version = forms.ModelChoiceField(label="Template", queryset=AuditTemplateVersion.objects.none(), widget=forms.RadioSelect,
                                              empty_label=None)
    scope_start = GovukDateField(label="Start of the period being audited", help_text="The work done from this date is audited. For example, 1 4 2026")
    scope_end = GovukDateField(label="End of the period being audited", help_text="For example, 31 3 2027")
    deadline = GovukDateField(label="Forms must be returned by", help_text="For example, 30 4 2027")
    lead_auditors = forms.ModelMultipleChoiceField(
        label="Other lead auditors", queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        help_text="You lead the audit. Choose anyone who leads it with you.",
    )

    def __init__(self, *args, versions, auditors, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["template_version"]
        field.queryset = AuditTemplateVersion.objects.filter(pk__in=[v.pk for v in versions]).select_related("template")
        field.label_from_instance = lambda v: f"{v.template.name} (version {v.number}): {v.template.get_kind_display().lower()}"
        self.fields["lead_auditors"].queryset = auditors
        self.fields["lead_auditors"].label_from_instance = lambda u: u.full_name

    def round_data(self) -> dict:
        data = self.cleaned_data
        return {key: data.get(key) for key in ("title", "template_version", "scope_start", "scope_end", "deadline")} | {
            "lead_auditors": list(data.get("lead_auditors") or []),
        }


class ConfirmForm(GovukForm):
    """No fields: carries a service's refusal to the error summary of a page with a button."""


class FindChildForm(GovukForm):
    required_messages = {"reference": "Enter the child's NHS number or Lantern reference"}
    reference = forms.CharField(
        label="NHS number or Lantern reference", max_length=40,
        help_text="The Lantern reference is the number at the end of the address of the child's page, for example 1234. "
        "A unique pupil number, local authority child ID or police reference also works.",
    )


class SampleForm(GovukForm):
    size_high = forms.IntegerField(label="High risk", min_value=0, max_value=500, required=False,
                                   widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    size_medium = forms.IntegerField(label="Medium risk", min_value=0, max_value=500, required=False,
                                     widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    size_low = forms.IntegerField(label="Low risk", min_value=0, max_value=500, required=False,
                                  widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    seed = forms.IntegerField(
        label="Random seed", min_value=1, max_value=2**31, required=False, widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        help_text="Leave it empty for a new sample. To draw a sample again, enter the seed it was drawn with.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("size_high", "size_medium", "size_low"):
            level = self.fields[name].label.split()[0].lower()
            for key in ("invalid", "min_value", "max_value"):
                self.fields[name].error_messages[key] = f"Enter the number of {level} risk cases as a whole number from 0 to 500"
        for key in ("invalid", "min_value", "max_value"):
            self.fields["seed"].error_messages[key] = "Enter the seed as a whole number, like 48213"

    def sizes(self) -> dict:
        return {level: self.cleaned_data.get(f"size_{level}") or 0 for level in ("high", "medium", "low")}


class WithdrawCaseForm(GovukForm):
    required_messages = {"reason": "Enter why the case is taken out of the audit"}
    reason = forms.CharField(label="Why is the case taken out of the audit?", max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="The case stays on the record with this reason.")


class SendFormsForm(GovukForm):
    extra_agencies = forms.ModelMultipleChoiceField(
        label="Other agencies to send forms to", queryset=Agency.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Every agency involved with a case in the period audited gets a form for it. Tick any agency that should "
        "complete a form for every case as well, for example to confirm it had no involvement.",
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["extra_agencies"].queryset = agencies


class AddAgencyForm(GovukForm):
    required_messages = {"agency": "Select the agency to send forms to"}
    agency = forms.ModelChoiceField(label="Agency", queryset=Agency.objects.none(), empty_label="Select an agency",
                                    help_text="It gets a form for every case in the audit.")

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class ReviewSessionForm(GovukForm):
    required_messages = {"held_on": "Enter the date of the session", "attendees": "Enter who took part"}
    held_on = GovukDateField(label="Date of the session", help_text="For example, 14 5 2027")
    attendees = forms.CharField(label="Who took part?", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
                                help_text="Names or roles, and their agencies.")
    notes = forms.CharField(label="Notes", max_length=20000, required=False, widget=forms.Textarea)


class AgreedChangeForm(GovukForm):
    required_messages = {
        "audit_form": "Select the form that changes",
        "question_id": "Select the question whose answer changes",
        "reason": "Enter why the change was agreed",
    }
    audit_form = forms.ChoiceField(label="Form", choices=())
    question_id = forms.ChoiceField(label="Question", choices=())
    value = forms.CharField(
        label="New answer", max_length=5000, required=False,
        help_text="As the agency would answer: yes, no, partly or not applicable; a grade such as good; a number; words; "
        "or contributory factors separated by commas. Leave it empty to take the answer back.",
    )
    reason = forms.CharField(label="Why was the change agreed?", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, forms_, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audit_form"].choices = [("", "Select a form")] + [(str(f.pk), f"{f.case.name}: {f.agency.name}") for f in forms_]
        self.fields["question_id"].choices = [("", "Select a question")] + [(q.id, f"{q.id}: {q.text}") for q in questions]


class ReturnFormForm(GovukForm):
    required_messages = {"comment": "Enter what the agency should change"}
    comment = forms.CharField(label="What should the agency change?", max_length=5000, widget=forms.Textarea,
                              help_text="The agency's auditors see this at the top of the form.")


class NilReturnForm(GovukForm):
    required_messages = {"reason": "Select why your agency is making a nil return"}
    reason = forms.ChoiceField(label="Why is your agency making a nil return?", choices=NilReason.choices, widget=forms.RadioSelect)
    detail = forms.CharField(label="More detail", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="Needed if you chose other.")
    version = VersionField()


# The audit form itself ---------------------------------------------------------------------------


class AnswersForm(GovukForm):
    """One field for each question asked of the agency, named by the question's id. Every field is
    optional here: the service says which answers sending the form in needs."""

    version = VersionField()

    def __init__(self, *args, questions, factors, **kwargs):
        super().__init__(*args, **kwargs)
        for q in questions:
            if q.type == QuestionType.YES_NO:
                field = forms.ChoiceField(choices=YesNo.choices, widget=forms.RadioSelect)
            elif q.type == QuestionType.GRADE:
                field = forms.ChoiceField(choices=[(str(v), label) for v, label in Grade.choices], widget=forms.RadioSelect)
            elif q.type == QuestionType.NUMBER:
                field = forms.CharField(max_length=20, widget=forms.TextInput(attrs={"inputmode": "decimal"}))
            elif q.type == QuestionType.FACTORS:
                field = forms.MultipleChoiceField(choices=list(factors), widget=forms.CheckboxSelectMultiple)
            else:
                field = forms.CharField(max_length=20000, widget=forms.Textarea)
            field.required = False
            field.label = q.text
            field.help_text = q.guidance
            field.error_messages["invalid_choice"] = "Choose one of the answers given"
            self.fields[q.id] = field
        self.question_ids = [q.id for q in questions]

    def answers(self) -> dict:
        return {qid: self.cleaned_data.get(qid) for qid in self.question_ids}
