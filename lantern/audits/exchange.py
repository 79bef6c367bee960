"""Moving a whole audit round between installations as one JSON document (issue 7), so that a
partnership can bring in its past audits. The format is described in
docs/audit-exchange-format.md.

`export_round` writes the round, its template version's whole document, its cases (as Child A,
B ... with the snapshot the report counts: never a child's name, date of birth, identifier or
id), its forms with their answers, and its findings and recommendations with their progress.
No person is named: who completed a form or wrote an update stays behind.

`import_round` is a service: only an auditor may import; the whole document is checked first and
every problem is reported at once, as rows of {"where", "field", "value", "problem"}; nothing is
written unless all is well, and then everything is written in one transaction. The imported
round is marked `imported_at` and its cases have no child; each keeps how it was chosen.

The round trip is exact: exporting, importing and exporting again gives the same document.
What differs between installations is left out of the document on purpose: database ids,
created and updated times, the template's version number, who did what, and when the round was
imported.
"""

import datetime as dt
from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from lantern.partnership.models import Agency, AgencyType

from .models import (
    AuditAnswer, AuditCase, AuditFinding, AuditForm, AuditKind, AuditRound, AuditTemplate, AuditTemplateVersion, FormStatus,
    NilReason, QuestionType, Rag, Recommendation, RecommendationUpdate, RoundStatus, SelectedBy,
)
from .rules import is_auditor
from .services import clean_answer
from .template_document import parse_template

FORMAT = "lantern-audit-round"
FORMAT_VERSION = 1
SNAPSHOT = ("sex", "age_band", "ethnicity", "legal_status", "placement", "risk_level")


class ExchangeError(ValidationError):
    """The document cannot be imported. `rows` lists every problem found:
    {"where": "forms[12].answers[3]", "field": "choice", "value": "maybe", "problem": "..."}."""

    def __init__(self, rows: list[dict]):
        self.rows = rows
        n = len(rows)
        super().__init__(f"The file has {n} problem{'s' if n != 1 else ''}. Nothing has been imported.")


# --- Export ---------------------------------------------------------------------------------------


def _moment(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.timezone.utc).isoformat() if value is not None else None


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def export_round(audit_round: AuditRound) -> dict:
    """The round as a JSON-ready document (a fixed number of queries)."""
    cases = []
    label_of = {}
    for row in AuditCase.objects.filter(round=audit_round).order_by("position").values(
        "id", "label", "position", "deep_dive", "selected_by", "withdrawn_at", "withdrawn_reason", *SNAPSHOT
    ):
        label_of[row["id"]] = row["label"]
        cases.append({
            "label": row["label"], "position": row["position"], "deep_dive": row["deep_dive"], "selected_by": row["selected_by"],
            "withdrawn_at": _moment(row["withdrawn_at"]), "withdrawn_reason": row["withdrawn_reason"],
            **{name: row[name] for name in SNAPSHOT},
        })
    answers = defaultdict(list)
    for row in AuditAnswer.objects.filter(form__round=audit_round, cleared_at__isnull=True).order_by("form_id", "question_id", "option").values(
        "form_id", "question_id", "option", "choice", "grade", "number", "text"
    ):
        answers[row["form_id"]].append({
            "question_id": row["question_id"], "option": row["option"], "choice": row["choice"], "grade": row["grade"],
            "number": None if row["number"] is None else str(row["number"]), "text": row["text"],
        })
    forms = [
        {
            "case": label_of[row["case_id"]], "agency": row["agency__name"], "agency_type": row["agency__agency_type"],
            "added_by_lead": row["added_by_lead"], "status": row["status"], "nil_reason": row["nil_reason"],
            "nil_reason_detail": row["nil_reason_detail"], "submitted_at": _moment(row["submitted_at"]),
            "withdrawn_at": _moment(row["withdrawn_at"]), "answers": answers.get(row["id"], []),
        }
        for row in AuditForm.objects.filter(round=audit_round).order_by("case__position", "agency__name").values(
            "id", "case_id", "agency__name", "agency__agency_type", "added_by_lead", "status", "nil_reason", "nil_reason_detail",
            "submitted_at", "withdrawn_at",
        )
    ]
    findings = [
        {"number": row["number"], "theme_id": row["theme_id"], "text": row["text"], "withdrawn_at": _moment(row["withdrawn_at"])}
        for row in AuditFinding.objects.filter(round=audit_round).order_by("number").values("number", "theme_id", "text", "withdrawn_at")
    ]
    linked = defaultdict(list)
    for rec_id, number in Recommendation.findings.through.objects.filter(recommendation__round=audit_round).order_by(
        "auditfinding__number"
    ).values_list("recommendation_id", "auditfinding__number"):
        linked[rec_id].append(number)
    updates = defaultdict(list)
    for row in RecommendationUpdate.objects.filter(recommendation__round=audit_round).order_by("at", "id").values(
        "recommendation_id", "note", "rag", "evidence", "at"
    ):
        updates[row["recommendation_id"]].append({"note": row["note"], "rag": row["rag"], "evidence": row["evidence"], "at": _moment(row["at"])})
    recommendations = [
        {
            "number": row["number"], "text": row["text"], "findings": linked.get(row["id"], []), "owner_agency": row["owner_agency__name"],
            "due_on": _day(row["due_on"]), "rag": row["rag"], "completed_at": _moment(row["completed_at"]),
            "withdrawn_at": _moment(row["withdrawn_at"]), "updates": updates.get(row["id"], []),
        }
        for row in Recommendation.objects.filter(round=audit_round).order_by("number").values(
            "id", "number", "text", "owner_agency__name", "due_on", "rag", "completed_at", "withdrawn_at"
        )
    ]
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "round": {
            "title": audit_round.title, "kind": audit_round.kind, "scope_start": _day(audit_round.scope_start),
            "scope_end": _day(audit_round.scope_end), "deadline": _day(audit_round.deadline), "status": audit_round.status,
            "sample_seed": audit_round.sample_seed, "sample_sizes": dict(audit_round.sample_sizes or {}),
            "opened_at": _moment(audit_round.opened_at), "closed_at": _moment(audit_round.closed_at),
        },
        "template": audit_round.template_version.document,
        "cases": cases,
        "forms": forms,
        "findings": findings,
        "recommendations": recommendations,
    }


# --- Import: checking -----------------------------------------------------------------------------


class _Checker:
    """Reads the document, collecting every problem as a row."""

    def __init__(self):
        self.rows: list[dict] = []

    def problem(self, where: str, field: str, value, problem: str) -> None:
        if isinstance(value, (dict, list)):
            value = "(a JSON object)" if isinstance(value, dict) else "(a list)"
        self.rows.append({"where": where, "field": field, "value": value, "problem": problem})

    def obj(self, where: str, value) -> dict:
        if not isinstance(value, dict):
            self.problem(where, "", value, "must be a JSON object")
            return {}
        return value

    def items(self, where: str, parent: dict, field: str) -> list:
        value = parent.get(field, [])
        if not isinstance(value, list):
            self.problem(where, field, value, "must be a list")
            return []
        return value

    def text(self, where: str, d: dict, field: str, *, required: bool = False, max_length: int | None = None) -> str:
        value = d.get(field, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.problem(where, field, value, "must be text")
            return ""
        if required and not value.strip():
            self.problem(where, field, value, "must not be empty")
        if max_length is not None and len(value) > max_length:
            self.problem(where, field, value[:40], f"must be at most {max_length} characters")
        return value

    def choice(self, where: str, d: dict, field: str, allowed, *, blank: bool = False) -> str:
        value = d.get(field, "")
        if value is None:
            value = ""
        if (value == "" and blank) or value in allowed:
            return value
        self.problem(where, field, value, f"must be one of: {', '.join(allowed)}" + (" (or empty)" if blank else ""))
        return ""

    def integer(self, where: str, d: dict, field: str, *, minimum: int | None = None, null: bool = False) -> int | None:
        value = d.get(field)
        if value is None and null:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or (minimum is not None and value < minimum):
            self.problem(where, field, value, "must be a whole number" + (f" of at least {minimum}" if minimum is not None else ""))
            return None
        return value

    def boolean(self, where: str, d: dict, field: str) -> bool:
        value = d.get(field, False)
        if not isinstance(value, bool):
            self.problem(where, field, value, "must be true or false")
            return False
        return value

    def date(self, where: str, d: dict, field: str, *, null: bool = False) -> dt.date | None:
        value = d.get(field)
        if value is None and null:
            return None
        try:
            return dt.date.fromisoformat(value)
        except (TypeError, ValueError):
            self.problem(where, field, value, "must be a date like 2015-05-11")
            return None

    def moment(self, where: str, d: dict, field: str, *, null: bool = True) -> dt.datetime | None:
        value = d.get(field)
        if value is None and null:
            return None
        try:
            moment = dt.datetime.fromisoformat(value)
        except (TypeError, ValueError):
            moment = None
        if moment is None or moment.tzinfo is None:
            self.problem(where, field, value, "must be a date and time with its offset from UTC, like 2015-06-01T09:30:00+00:00")
            return None
        return moment


def _check(document, agencies: dict) -> tuple[dict, list[dict]]:
    """Every value the import writes, checked. Returns (plan, problem rows)."""
    c = _Checker()
    doc = c.obj("document", document)
    if doc.get("format") != FORMAT:
        c.problem("document", "format", doc.get("format"), f"must be {FORMAT!r}: this is not an exported audit round")
    if doc.get("format_version") != FORMAT_VERSION:
        c.problem("document", "format_version", doc.get("format_version"), f"must be {FORMAT_VERSION}, the version this Lantern reads")
    plan: dict = {}

    template = None
    try:
        template = parse_template(doc.get("template"))
    except ValidationError as exc:
        for message in exc.messages:
            c.problem("template", "", None, message)
    plan["template"] = doc.get("template")

    r = c.obj("round", doc.get("round"))
    round_plan = {
        "title": c.text("round", r, "title", required=True, max_length=200),
        "kind": c.choice("round", r, "kind", AuditKind.values),
        "scope_start": c.date("round", r, "scope_start"),
        "scope_end": c.date("round", r, "scope_end"),
        "deadline": c.date("round", r, "deadline"),
        "status": c.choice("round", r, "status", RoundStatus.values),
        "sample_seed": c.integer("round", r, "sample_seed", null=True),
        "opened_at": c.moment("round", r, "opened_at"),
        "closed_at": c.moment("round", r, "closed_at"),
    }
    sizes = r.get("sample_sizes", {})
    if not isinstance(sizes, dict) or any(not isinstance(k, str) or isinstance(v, bool) or not isinstance(v, int) for k, v in sizes.items()):
        c.problem("round", "sample_sizes", sizes, "must be an object of risk level to a whole number of cases")
        sizes = {}
    round_plan["sample_sizes"] = sizes
    if round_plan["scope_start"] and round_plan["scope_end"] and round_plan["scope_end"] < round_plan["scope_start"]:
        c.problem("round", "scope_end", r.get("scope_end"), "must be the same as or after scope_start")
    if template is not None and round_plan["kind"] and template.kind != round_plan["kind"]:
        c.problem("round", "kind", round_plan["kind"], f"must be the template's kind, {template.kind}")
    plan["round"] = round_plan

    cases, labels, positions = [], set(), set()
    for n, raw in enumerate(c.items("document", doc, "cases")):
        where = f"cases[{n}]"
        d = c.obj(where, raw)
        label = c.text(where, d, "label", required=True, max_length=8)
        if label in labels:
            c.problem(where, "label", label, "is used by another case")
        labels.add(label)
        position = c.integer(where, d, "position", minimum=1)
        if position is not None and position in positions:
            c.problem(where, "position", position, "is used by another case")
        positions.add(position)
        case = {
            "label": label, "position": position, "deep_dive": c.boolean(where, d, "deep_dive"),
            "selected_by": c.choice(where, d, "selected_by", SelectedBy.values),
            "withdrawn_at": c.moment(where, d, "withdrawn_at"), "withdrawn_reason": c.text(where, d, "withdrawn_reason", max_length=500),
        }
        for name, length in zip(SNAPSHOT, (1, 10, 4, 32, 40, 10)):
            case[name] = c.text(where, d, name, max_length=length)
        for name in ("name", "first_name", "last_name", "date_of_birth", "child", "child_id", "identifier", "nhs_number"):
            if name in d:
                c.problem(where, name, "(not shown)", "must not be in the file: a case never carries the child's name, date of birth or identifiers")
        cases.append(case)
    plan["cases"] = cases

    questions = template.questions if template else {}
    factor_ids = set(template.factor_labels) if template else set()
    forms, pairs = [], set()
    for n, raw in enumerate(c.items("document", doc, "forms")):
        where = f"forms[{n}]"
        d = c.obj(where, raw)
        case_label = c.text(where, d, "case", required=True)
        if case_label and case_label not in labels:
            c.problem(where, "case", case_label, "is not the label of a case in the file")
        agency_name = c.text(where, d, "agency", required=True)
        agency = agencies.get(agency_name)
        if agency_name and agency is None:
            c.problem(where, "agency", agency_name, "is not the name of an agency in this installation")
        agency_type = c.choice(where, d, "agency_type", AgencyType.values)
        if agency is not None and agency_type and agency.agency_type != agency_type:
            c.problem(where, "agency_type", agency_type, f"does not match {agency_name}'s type here, {agency.agency_type}")
        if (case_label, agency_name) in pairs:
            c.problem(where, "agency", agency_name, f"already has a form for case {case_label}")
        pairs.add((case_label, agency_name))
        status = c.choice(where, d, "status", FormStatus.values)
        nil_reason = c.choice(where, d, "nil_reason", NilReason.values, blank=True)
        detail = c.text(where, d, "nil_reason_detail", max_length=500)
        if status == FormStatus.NIL_RETURN and not nil_reason:
            c.problem(where, "nil_reason", d.get("nil_reason"), "must be given for a nil return")
        if status and status != FormStatus.NIL_RETURN and nil_reason:
            c.problem(where, "nil_reason", nil_reason, "must be empty unless the form is a nil return")
        submitted_at = c.moment(where, d, "submitted_at")
        if status in (FormStatus.SUBMITTED, FormStatus.NIL_RETURN) and submitted_at is None and d.get("submitted_at") is None:
            c.problem(where, "submitted_at", None, "must be given for a form that was sent in")
        answers, keys = [], set()
        for m, raw_answer in enumerate(c.items(where, d, "answers")):
            awhere = f"{where}.answers[{m}]"
            a = c.obj(awhere, raw_answer)
            answers.append(_check_answer(c, awhere, a, questions, factor_ids, keys))
        forms.append({
            "case": case_label, "agency": agency, "added_by_lead": c.boolean(where, d, "added_by_lead"), "status": status,
            "nil_reason": nil_reason, "nil_reason_detail": detail, "submitted_at": submitted_at,
            "withdrawn_at": c.moment(where, d, "withdrawn_at"), "answers": answers,
        })
    plan["forms"] = forms

    theme_ids = {t.id for t in template.themes} if template else set()
    findings, numbers = [], set()
    for n, raw in enumerate(c.items("document", doc, "findings")):
        where = f"findings[{n}]"
        d = c.obj(where, raw)
        number = c.integer(where, d, "number", minimum=1)
        if number is not None and number in numbers:
            c.problem(where, "number", number, "is used by another finding")
        numbers.add(number)
        theme_id = c.text(where, d, "theme_id")
        if theme_id and template is not None and theme_id not in theme_ids:
            c.problem(where, "theme_id", theme_id, "is not a theme of the template")
        findings.append({"number": number, "theme_id": theme_id, "text": c.text(where, d, "text", required=True),
                         "withdrawn_at": c.moment(where, d, "withdrawn_at")})
    plan["findings"] = findings

    recommendations, rec_numbers = [], set()
    for n, raw in enumerate(c.items("document", doc, "recommendations")):
        where = f"recommendations[{n}]"
        d = c.obj(where, raw)
        number = c.integer(where, d, "number", minimum=1)
        if number is not None and number in rec_numbers:
            c.problem(where, "number", number, "is used by another recommendation")
        rec_numbers.add(number)
        linked = c.items(where, d, "findings")
        for value in linked:
            if value not in numbers or isinstance(value, bool):
                c.problem(where, "findings", value, "is not the number of a finding in the file")
        owner_name = c.text(where, d, "owner_agency", required=True)
        owner = agencies.get(owner_name)
        if owner_name and owner is None:
            c.problem(where, "owner_agency", owner_name, "is not the name of an agency in this installation")
        updates = []
        for m, raw_update in enumerate(c.items(where, d, "updates")):
            uwhere = f"{where}.updates[{m}]"
            u = c.obj(uwhere, raw_update)
            updates.append({"note": c.text(uwhere, u, "note", required=True), "rag": c.choice(uwhere, u, "rag", Rag.values),
                            "evidence": c.text(uwhere, u, "evidence"), "at": c.moment(uwhere, u, "at", null=False)})
        recommendations.append({
            "number": number, "text": c.text(where, d, "text", required=True), "findings": [v for v in linked if v in numbers],
            "owner_agency": owner, "due_on": c.date(where, d, "due_on"), "rag": c.choice(where, d, "rag", Rag.values),
            "completed_at": c.moment(where, d, "completed_at"), "withdrawn_at": c.moment(where, d, "withdrawn_at"), "updates": updates,
        })
    plan["recommendations"] = recommendations
    return plan, c.rows


def _check_answer(c: _Checker, where: str, a: dict, questions: dict, factor_ids: set, keys: set) -> dict:
    qid = c.text(where, a, "question_id", required=True)
    option = c.text(where, a, "option", max_length=40)
    question = questions.get(qid)
    fields = {"question_id": qid, "option": option, "choice": "", "grade": None, "number": None, "text": ""}
    if (qid, option) in keys:
        c.problem(where, "question_id", qid, "is answered twice on this form" + (f" for option {option}" if option else ""))
    keys.add((qid, option))
    if question is None:
        if qid and questions:
            c.problem(where, "question_id", qid, "is not a question of the template")
        return fields
    given = {name: a.get(name) for name in ("choice", "grade", "number", "text") if a.get(name) not in (None, "")}
    if question.type == QuestionType.FACTORS:
        if option not in factor_ids:
            c.problem(where, "option", option, "must be one of the template's contributory factors")
        for name, value in given.items():
            c.problem(where, name, value, "must be empty for a contributory factor (the factor ticked is its option)")
        return fields
    if option:
        c.problem(where, "option", option, "must be empty except for a checklist of contributory factors")
    field = {QuestionType.YES_NO: "choice", QuestionType.GRADE: "grade", QuestionType.NUMBER: "number", QuestionType.TEXT: "text"}[question.type]
    for name, value in given.items():
        if name != field:
            c.problem(where, name, value, f"must be empty: this question is answered in {field}")
    raw = a.get(field)
    if field == "number" and raw is not None and not isinstance(raw, str):
        c.problem(where, "number", raw, "must be a number written as text, like \"2.50\"")
        return fields
    if field == "grade" and isinstance(raw, bool):
        raw = "x"
    try:
        cleaned = clean_answer(question, raw)
    except ValidationError as exc:
        c.problem(where, field, raw, exc.messages[0])
        return fields
    if cleaned is None:
        c.problem(where, field, raw, "must not be empty")
        return fields
    fields.update(cleaned)
    return fields


# --- Import: writing ------------------------------------------------------------------------------


def _template_version(document: dict, *, by, title: str) -> AuditTemplateVersion:
    """The version of this installation's template with exactly this document, or a new one."""
    parsed = parse_template(document)
    template, _ = AuditTemplate.objects.get_or_create(key=parsed.key, defaults={"name": parsed.name, "kind": parsed.kind})
    for version in AuditTemplateVersion.objects.filter(template=template).order_by("-number"):
        if version.document == document:
            return version
    number = (AuditTemplateVersion.objects.filter(template=template).aggregate(m=Max("number"))["m"] or 0) + 1
    return AuditTemplateVersion.objects.create(
        template=template, number=number, document=document, published_by=by, change_note=f"Imported with the audit {title}"[:500]
    )


def import_round(*, by, document) -> AuditRound:
    """Import a round exported by `export_round` (here or in another installation). Raises
    PermissionDenied unless `by` is an auditor, and ExchangeError (a ValidationError) with every
    problem as a row if anything in the document is wrong; then nothing is written."""
    if by is None or not by.is_authenticated or not is_auditor(by):
        raise PermissionDenied("Only an auditor can import an audit.")
    agencies = {a.name: a for a in Agency.objects.all()}
    plan, rows = _check(document, agencies)
    if not rows and isinstance(plan["template"], dict):
        existing = AuditTemplate.objects.filter(key=plan["template"].get("key")).values_list("kind", flat=True).first()
        if existing is not None and existing != plan["template"].get("kind"):
            rows.append({"where": "template", "field": "kind", "value": plan["template"].get("kind"),
                         "problem": f"the template {plan['template'].get('key')} here is of kind {existing}"})
    if rows:
        raise ExchangeError(rows)
    r = plan["round"]
    now = timezone.now()
    with transaction.atomic():
        version = _template_version(plan["template"], by=by, title=r["title"])
        audit_round = AuditRound.objects.create(
            title=r["title"], template_version=version, kind=r["kind"], scope_start=r["scope_start"], scope_end=r["scope_end"],
            deadline=r["deadline"], status=r["status"], sample_seed=r["sample_seed"], sample_sizes=r["sample_sizes"], created_by=by,
            opened_at=r["opened_at"], closed_at=r["closed_at"], imported_at=now,
        )
        audit_round.lead_auditors.set([by])
        cases = [AuditCase(round=audit_round, child=None, **case) for case in plan["cases"]]
        bulk_create_with_history(cases, AuditCase, default_user=by)
        case_ids = dict(AuditCase.objects.filter(round=audit_round).values_list("label", "pk"))
        forms = [
            AuditForm(
                round=audit_round, case_id=case_ids[f["case"]], agency=f["agency"], added_by_lead=f["added_by_lead"], status=f["status"],
                nil_reason=f["nil_reason"], nil_reason_detail=f["nil_reason_detail"], submitted_at=f["submitted_at"],
                withdrawn_at=f["withdrawn_at"],
            )
            for f in plan["forms"]
        ]
        bulk_create_with_history(forms, AuditForm, default_user=by)
        form_ids = {
            (case_id, agency_id): pk for pk, case_id, agency_id in AuditForm.objects.filter(round=audit_round).values_list("pk", "case_id", "agency_id")
        }
        answers = [
            AuditAnswer(form_id=form_ids[case_ids[f["case"]], f["agency"].pk], **a)
            for f in plan["forms"] for a in f["answers"]
        ]
        bulk_create_with_history(answers, AuditAnswer, default_user=by, batch_size=500)
        findings = {}
        for f in plan["findings"]:
            findings[f["number"]] = AuditFinding.objects.create(round=audit_round, created_by=by, **f)
        for rec in plan["recommendations"]:
            made = Recommendation.objects.create(
                round=audit_round, number=rec["number"], text=rec["text"], owner_agency=rec["owner_agency"], due_on=rec["due_on"],
                rag=rec["rag"], completed_at=rec["completed_at"], withdrawn_at=rec["withdrawn_at"], created_by=by,
            )
            made.findings.set([findings[n] for n in rec["findings"]])
            RecommendationUpdate.objects.bulk_create([RecommendationUpdate(recommendation=made, by=by, **u) for u in rec["updates"]])
    return audit_round
