"""The report of an audit round (F34, F35, F36): every figure the page, the DOCX, the PDF and
`manage.py audit_report` show, worked out once by `build_report`.

Everything is counted in the database with grouped queries (`values()`/`annotate()`), so the
report makes the same number of queries however many cases, forms and answers the round has
(13 when the round's template version is not already loaded). Python only adds up the grouped
rows.

What is counted:

- A form counts only if neither it nor its case has been withdrawn. An answer counts only if it
  has not been taken back (`cleared_at`) and its form has been sent in (submitted); nil returns
  and forms still being written or returned for changes have no answers in the report.
- Returns, as the 2015 report gives them: forms distributed, nil returns (by reason), completed
  (submitted) and not returned (not started, in progress or returned for changes).
- The sample is read from each case's snapshot, never from the child's record.
- A contributory factor is counted for a case when any agency's submitted form ticked it, out of
  every audited case ("9 of 10 cases (90%)").
- A yes/no question is "met" overall for a case when at least one agency's submitted form
  answered yes, out of the cases with at least one submitted answer other than "not
  applicable"; for an agency, its submitted forms answering yes out of its submitted forms
  answering it (not "not applicable").
- Narrative is attributed to the type of agency that wrote it ("Police"), never to a person or
  an agency's name. Children appear only as Child A, Child B ...

Percentages: see `percent`.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum

from lantern.children.models import Ethnicity, LegalStatus, Sex
from lantern.partnership.models import AgencyType
from lantern.risk.models import Level

from .models import (
    AuditAnswer, AuditCase, AuditFinding, AuditForm, AuditKind, AuditRound, FormStatus, Grade, NilReason, QuestionType, Rag,
    Recommendation, RoundStatus, YesNo,
)
from .template_document import IMPROVE, NARRATIVE_LABELS, WELL, parse_template

ALL_AGENCIES = "All agencies"
AGE_BAND_ORDER = ("Under 10", "10 to 12", "13 to 14", "15 to 16", "Over 16")


def percent(num: int, den: int) -> int | None:
    """100 × num ÷ den as a whole number, rounded half up (12.5 → 13, 2.5 → 3), in integer
    arithmetic so that no floating-point error can tip a half the wrong way. None when den is 0:
    a percentage of nothing is not shown. Every percentage in the report is shown with its
    numerator and denominator ("9 of 10 (90%)")."""
    if den <= 0:
        return None
    return (200 * num + den) // (2 * den)


@dataclass(frozen=True)
class Fraction:
    """A count out of a total, with its percentage (see `percent`)."""

    num: int
    den: int
    percent: int | None

    def text(self, noun: str = "") -> str:
        noun = f" {noun}" if noun else ""
        if self.den == 0:
            return f"0 of 0{noun}"
        return f"{self.num} of {self.den}{noun} ({self.percent}%)"

    def __str__(self) -> str:
        return self.text()


def fraction(num: int, den: int) -> Fraction:
    return Fraction(num=num, den=den, percent=percent(num, den))


@dataclass(frozen=True)
class NilCount:
    reason: str
    label: str
    count: int


@dataclass(frozen=True)
class ReturnCounts:
    """Forms distributed to one agency (or all), and what came back."""

    agency: str
    agency_type: str
    distributed: int
    nil_returns: int
    nil_by_reason: tuple  # NilCount, in the order of NilReason
    completed: int
    not_returned: int
    completed_share: Fraction


@dataclass(frozen=True)
class SampleRow:
    label: str
    cases: Fraction


@dataclass(frozen=True)
class SampleTable:
    title: str
    rows: tuple  # SampleRow


@dataclass(frozen=True)
class FactorRow:
    id: str
    text: str
    cases: Fraction

    @property
    def display(self) -> str:
        return self.cases.text("cases")


@dataclass(frozen=True)
class AgencyFraction:
    agency: str
    value: Fraction


@dataclass(frozen=True)
class NumberSummary:
    count: int
    mean: Decimal | None  # to one decimal place, half up


@dataclass(frozen=True)
class QuestionRow:
    id: str
    text: str
    type: str
    met: Fraction | None = None  # yes/no: cases met, overall
    by_agency: tuple = ()  # AgencyFraction, yes/no only
    numbers: NumberSummary | None = None  # number questions
    grades: tuple = ()  # grade questions: counts of outstanding, good, requires improvement, inadequate


@dataclass(frozen=True)
class ThemeQuestions:
    id: str
    title: str
    questions: tuple  # QuestionRow


@dataclass(frozen=True)
class GradeRow:
    label: str
    counts: tuple  # outstanding, good, requires improvement, inadequate
    total: int


@dataclass(frozen=True)
class Quote:
    question: str  # "What we do well", "What we should improve" or the question asked
    agency_type: str  # "Police"
    text: str


@dataclass(frozen=True)
class NarrativeTheme:
    id: str
    title: str
    quotes: tuple  # Quote


@dataclass(frozen=True)
class FindingRow:
    number: int
    theme: str
    text: str


@dataclass(frozen=True)
class RecommendationRow:
    number: int
    text: str
    findings: tuple  # finding numbers
    owner_agency: str
    due_on: dt.date
    rag: str  # label
    completed_on: dt.date | None


@dataclass(frozen=True)
class Report:
    round_id: int
    title: str
    kind: str
    template: str
    scope_start: dt.date
    scope_end: dt.date
    deadline: dt.date
    status: str
    imported: bool
    sample_seed: int | None
    sample_sizes: dict
    cases: int
    returns: ReturnCounts
    returns_by_agency: tuple  # ReturnCounts
    sample: tuple  # SampleTable
    deep_dives: tuple  # "Child B", ...
    factors: tuple  # FactorRow
    themes: tuple  # ThemeQuestions
    grade_labels: tuple = field(default=tuple(label for _, label in Grade.choices))
    grades_by_theme: tuple = ()  # GradeRow
    grades_by_agency: tuple = ()  # GradeRow
    narrative: tuple = ()  # NarrativeTheme
    findings: tuple = ()  # FindingRow
    recommendations: tuple = ()  # RecommendationRow

    def fractions(self):
        """Every Fraction in the report, for checking."""
        yield self.returns.completed_share
        for row in self.returns_by_agency:
            yield row.completed_share
        for table in self.sample:
            for row in table.rows:
                yield row.cases
        for row in self.factors:
            yield row.cases
        for theme in self.themes:
            for q in theme.questions:
                if q.met is not None:
                    yield q.met
                for a in q.by_agency:
                    yield a.value


def _label(choices, value: str) -> str:
    if not value:
        return "Not recorded"
    try:
        return choices(value).label
    except ValueError:
        return value


AGENCY_TYPE_LABELS = dict(AgencyType.choices)


def _agency_type_label(value: str) -> str:
    return AGENCY_TYPE_LABELS.get(value) or value or "Not recorded"


def _sample(case_groups: list[dict], total: int) -> tuple:
    """How many cases by each snapshot fact, from the cases grouped by all of them at once."""
    facts = (
        ("Sex", "sex", lambda v: _label(Sex, v), [c for c, _ in Sex.choices]),
        ("Age", "age_band", lambda v: v or "Not recorded", list(AGE_BAND_ORDER)),
        ("Ethnicity", "ethnicity", lambda v: _label(Ethnicity, v), [c for c, _ in Ethnicity.choices]),
        ("Legal status", "legal_status", lambda v: _label(LegalStatus, v), [c for c, _ in LegalStatus.choices]),
        ("Placement", "placement", lambda v: v or "Not recorded", []),
        ("Risk level", "risk_level", lambda v: _label(Level, v), [c for c, _ in reversed(Level.choices)]),
    )
    tables = []
    for title, key, show, order in facts:
        counts: dict[str, int] = defaultdict(int)
        for group in case_groups:
            counts[group[key]] += group["n"]
        keys = sorted(counts, key=lambda v: (order.index(v) if v in order else len(order), v))
        tables.append(SampleTable(title=title, rows=tuple(SampleRow(label=show(v), cases=fraction(counts[v], total)) for v in keys)))
    return tuple(tables)


def _returns(agency: str, agency_type: str, by_status: dict, by_reason: dict) -> ReturnCounts:
    distributed = sum(by_status.values())
    completed = by_status.get(FormStatus.SUBMITTED, 0)
    nil = by_status.get(FormStatus.NIL_RETURN, 0)
    return ReturnCounts(
        agency=agency, agency_type=agency_type, distributed=distributed, nil_returns=nil,
        nil_by_reason=tuple(NilCount(reason=r.value, label=r.label, count=by_reason.get(r.value, 0)) for r in NilReason),
        completed=completed, not_returned=distributed - completed - nil, completed_share=fraction(completed, distributed),
    )


def _mean(total, count: int) -> Decimal | None:
    if not count or total is None:
        return None
    return (Decimal(total) / count).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def build_report(audit_round: AuditRound) -> Report:
    """The whole report of the round, in a fixed number of grouped queries."""
    template = parse_template(audit_round.template_version.document)
    cases = AuditCase.objects.filter(round=audit_round, withdrawn_at__isnull=True)
    forms = AuditForm.objects.filter(round=audit_round, withdrawn_at__isnull=True, case__withdrawn_at__isnull=True)
    answers = AuditAnswer.objects.filter(
        form__round=audit_round, form__status=FormStatus.SUBMITTED, form__withdrawn_at__isnull=True,
        form__case__withdrawn_at__isnull=True, cleared_at__isnull=True,
    )
    questions = template.questions
    of_type = defaultdict(list)
    for q in questions.values():
        of_type[q.type].append(q.id)

    # The sample (two queries).
    case_groups = list(
        cases.values("sex", "age_band", "ethnicity", "legal_status", "placement", "risk_level").annotate(n=Count("id")).order_by()
    )
    total_cases = sum(g["n"] for g in case_groups)
    deep_dives = tuple(f"Child {label}" for label in cases.filter(deep_dive=True).order_by("position").values_list("label", flat=True))

    # Returns (one query).
    agency_rows: dict[int, dict] = {}
    status_all: dict[str, int] = defaultdict(int)
    reason_all: dict[str, int] = defaultdict(int)
    for row in forms.values("agency_id", "agency__name", "agency__agency_type", "status", "nil_reason").annotate(n=Count("id")).order_by():
        entry = agency_rows.setdefault(
            row["agency_id"], {"name": row["agency__name"], "type": row["agency__agency_type"], "status": defaultdict(int), "reason": defaultdict(int)}
        )
        entry["status"][row["status"]] += row["n"]
        status_all[row["status"]] += row["n"]
        if row["status"] == FormStatus.NIL_RETURN:
            entry["reason"][row["nil_reason"]] += row["n"]
            reason_all[row["nil_reason"]] += row["n"]
    agencies = sorted(agency_rows.items(), key=lambda item: item[1]["name"])
    agency_name = {pk: entry["name"] for pk, entry in agencies}
    returns_by_agency = tuple(
        _returns(e["name"], _agency_type_label(e["type"]), e["status"], e["reason"]) for _, e in agencies
    )
    returns = _returns(ALL_AGENCIES, "", status_all, reason_all)

    # Contributory factors (one query).
    ticked = dict(
        answers.filter(question_id__in=of_type[QuestionType.FACTORS]).exclude(option="")
        .values("option").annotate(n=Count("form__case", distinct=True)).order_by().values_list("option", "n")
    )
    factors = tuple(FactorRow(id=fid, text=text, cases=fraction(ticked.get(fid, 0), total_cases)) for fid, text in template.factors)

    # Yes/no questions (two queries), numbers (one), grades (one).
    yes_no = answers.filter(question_id__in=of_type[QuestionType.YES_NO], choice__in=[YesNo.YES, YesNo.NO, YesNo.PARTLY])
    met_overall = {
        row["question_id"]: fraction(row["met"], row["answered"])
        for row in yes_no.values("question_id").annotate(
            answered=Count("form__case", distinct=True), met=Count("form__case", distinct=True, filter=Q(choice=YesNo.YES))
        ).order_by()
    }
    met_by_agency: dict[str, list] = defaultdict(list)
    for row in yes_no.values("question_id", "form__agency_id").annotate(
        answered=Count("id"), met=Count("id", filter=Q(choice=YesNo.YES))
    ).order_by():
        met_by_agency[row["question_id"]].append(
            AgencyFraction(agency=agency_name.get(row["form__agency_id"], ""), value=fraction(row["met"], row["answered"]))
        )
    numbers: dict[str, list] = defaultdict(lambda: [0, Decimal(0)])
    for row in answers.filter(question_id__in=of_type[QuestionType.NUMBER], number__isnull=False).values("question_id").annotate(
        n=Count("id"), total=Sum("number")
    ).order_by():
        numbers[row["question_id"]] = [row["n"], row["total"]]
    grade_rows = list(
        answers.filter(question_id__in=of_type[QuestionType.GRADE], grade__isnull=False)
        .values("question_id", "form__agency_id", "grade").annotate(n=Count("id")).order_by()
    )
    grade_by_question: dict[str, list] = defaultdict(lambda: [0, 0, 0, 0])
    grade_by_theme: dict[str, list] = defaultdict(lambda: [0, 0, 0, 0])
    grade_by_agency: dict[int, list] = defaultdict(lambda: [0, 0, 0, 0])
    for row in grade_rows:
        slot = row["grade"] - 1
        grade_by_question[row["question_id"]][slot] += row["n"]
        grade_by_theme[questions[row["question_id"]].theme_id][slot] += row["n"]
        grade_by_agency[row["form__agency_id"]][slot] += row["n"]

    themes = []
    for theme in template.themes:
        rows = []
        for q in theme.questions:
            if q.type == QuestionType.YES_NO:
                rows.append(QuestionRow(
                    id=q.id, text=q.text, type=q.type, met=met_overall.get(q.id, fraction(0, 0)),
                    by_agency=tuple(sorted(met_by_agency.get(q.id, []), key=lambda a: a.agency)),
                ))
            elif q.type == QuestionType.NUMBER:
                count, total = numbers.get(q.id, [0, None])
                rows.append(QuestionRow(id=q.id, text=q.text, type=q.type, numbers=NumberSummary(count=count, mean=_mean(total, count))))
            elif q.type == QuestionType.GRADE:
                rows.append(QuestionRow(id=q.id, text=q.text, type=q.type, grades=tuple(grade_by_question.get(q.id, [0, 0, 0, 0]))))
        if rows:
            themes.append(ThemeQuestions(id=theme.id, title=theme.title, questions=tuple(rows)))
    grades_by_theme = tuple(
        GradeRow(label=t.title, counts=tuple(grade_by_theme[t.id]), total=sum(grade_by_theme[t.id]))
        for t in template.themes if any(q.type == QuestionType.GRADE for q in t.questions)
    )
    grades_by_agency = tuple(
        GradeRow(label=name, counts=tuple(grade_by_agency[pk]), total=sum(grade_by_agency[pk]))
        for pk, name in agency_name.items() if pk in grade_by_agency
    )

    # Narrative (one query): attributed to the agency's type only.
    text_ids = [*of_type[QuestionType.TEXT]]
    quotes: dict[str, list] = defaultdict(list)
    for qid, agency_type, text in (
        answers.filter(question_id__in=text_ids).exclude(text="")
        .values_list("question_id", "form__agency__agency_type", "text").order_by("form__case__position", "form__agency__agency_type", "id")
    ):
        quotes[qid].append((agency_type, text))
    narrative = []
    for theme in template.themes:
        theme_quotes = []
        order = [*(q.id for q in theme.questions if q.type == QuestionType.TEXT), f"{theme.id}-{WELL}", f"{theme.id}-{IMPROVE}"]
        for qid in order:
            q = questions.get(qid)
            if q is None:
                continue
            heading = NARRATIVE_LABELS[qid.rsplit("-", 1)[1]] if q.narrative else q.text
            theme_quotes += [Quote(question=heading, agency_type=_agency_type_label(at), text=text) for at, text in quotes.get(qid, [])]
        if theme_quotes:
            narrative.append(NarrativeTheme(id=theme.id, title=theme.title, quotes=tuple(theme_quotes)))

    # Findings and recommendations (three queries).
    titles = {t.id: t.title for t in template.themes}
    findings = tuple(
        FindingRow(number=n, theme=titles.get(theme_id, ""), text=text)
        for n, theme_id, text in AuditFinding.objects.filter(round=audit_round, withdrawn_at__isnull=True)
        .order_by("number").values_list("number", "theme_id", "text")
    )
    links: dict[int, list] = defaultdict(list)
    for rec_id, number in (
        Recommendation.findings.through.objects.filter(recommendation__round=audit_round, auditfinding__withdrawn_at__isnull=True)
        .order_by("auditfinding__number").values_list("recommendation_id", "auditfinding__number")
    ):
        links[rec_id].append(number)
    rag_labels = dict(Rag.choices)
    recommendations = tuple(
        RecommendationRow(
            number=row["number"], text=row["text"], findings=tuple(links.get(row["id"], [])), owner_agency=row["owner_agency__name"],
            due_on=row["due_on"], rag=rag_labels.get(row["rag"], row["rag"]),
            completed_on=row["completed_at"].date() if row["completed_at"] else None,
        )
        for row in Recommendation.objects.filter(round=audit_round, withdrawn_at__isnull=True).order_by("number").values(
            "id", "number", "text", "owner_agency__name", "due_on", "rag", "completed_at"
        )
    )

    version = audit_round.template_version
    return Report(
        round_id=audit_round.pk, title=audit_round.title, kind=_label(AuditKind, audit_round.kind),
        template=f"{template.name}, version {version.number}", scope_start=audit_round.scope_start, scope_end=audit_round.scope_end,
        deadline=audit_round.deadline, status=_label(RoundStatus, audit_round.status), imported=audit_round.imported_at is not None,
        sample_seed=audit_round.sample_seed, sample_sizes=dict(audit_round.sample_sizes or {}), cases=total_cases,
        returns=returns, returns_by_agency=returns_by_agency, sample=_sample(case_groups, total_cases), deep_dives=deep_dives,
        factors=factors, themes=tuple(themes), grades_by_theme=grades_by_theme, grades_by_agency=grades_by_agency,
        narrative=tuple(narrative), findings=findings, recommendations=recommendations,
    )


def report_as_dict(report: Report) -> dict:
    """The report as plain JSON values (dates as ISO strings, means as strings)."""
    from dataclasses import asdict

    def plain(value):
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        if isinstance(value, (dt.date, dt.datetime)):
            return value.isoformat()
        if isinstance(value, Decimal):
            return str(value)
        return value

    return plain(asdict(report))
