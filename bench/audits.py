"""The report of a large audit round (issue 7): `lantern.audits.report.build_report` for a round
of 1,000 cases sent to 12 agencies (12,000 forms), against hand-written SQL computing the same
counts. Target: a median under 2 s, and within 3× of the SQL.

Run on its own (`BENCH_ONLY=audits make bench`, or with `BENCH_DATABASE_URL=postgres:///lantern_bench`
for PostgreSQL): it needs none of the register, only the database's tables. `build` writes, from
a fixed seed, with plain `INSERT`s (`RowInserter`, as the rest of the bench data: no services, no
history rows):

- 12 agencies of the usual types, the shipped exploitation audit template, and one closed round.
- 1,000 cases (5 withdrawn, 10 marked for a deep dive), each with a snapshot: 3 in 4 female,
  ages 10 to 17, a handful of ethnicities, legal status, placement, risk level (30 % high, 40 %
  medium, 30 % low).
- 12,000 forms, one per case per agency: children's social care returns nearly every form, the
  police most, the other agencies about half, with about a third nil returns (70 % for no
  involvement, then not known, outside the scope period, other) and the rest not returned; 20
  forms withdrawn.
- Every submitted form answers every yes/no and grade question asked of its agency (yes 55 %,
  no 20 %, partly 15 %, not applicable 10 %; grades mostly good or requires improvement), the two
  number questions 7 times in 10, the free-text question and each theme's two narrative boxes
  about 1 time in 5, and ticks the contributory factors it saw: each case has each factor with
  the 2015 audit's prevalence, and each agency that completed a form reports a factor the case
  has 6 times in 10. 1 % of answers have been taken back (`cleared_at`).

The SQL baseline is five statements: the audited cases, the forms by agency, status and nil
reason; the cases with each factor ticked; each yes/no question's cases met and cases answered;
each question's forms answering yes and answering, by agency. `build_report` does all that and
also the sample, the number and grade questions, the narrative, the findings and the
recommendations (12 queries). Before timing, `check_same` proves that its counts are exactly the
baseline's.
"""

import datetime as dt
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from lantern.audits import services as audit_services
from lantern.audits.models import AuditAnswer, AuditCase, AuditForm, AuditRound, AuditTemplateVersion, FormStatus, QuestionType
from lantern.audits.report import build_report
from lantern.audits.template_document import parse_template
from lantern.partnership.models import Agency, AgencyType

from .data import SEED, RowInserter

CASES = 1_000
AGENCIES = (
    ("Brackenford Children's Social Care", AgencyType.SOCIAL_CARE, 0.97), ("Brackenford Police", AgencyType.POLICE, 0.75),
    ("Brackenford Community Health", AgencyType.HEALTH, 0.55), ("Northgate Academy Trust", AgencyType.EDUCATION, 0.6),
    ("Brackenford Youth Justice Service", AgencyType.YOUTH_JUSTICE, 0.4), ("Brackenford Youth Service", AgencyType.YOUTH_SERVICE, 0.45),
    ("Brackenford Drug and Alcohol Service", AgencyType.DRUG_ALCOHOL, 0.35), ("Heronshaw Children's Charity", AgencyType.VOLUNTARY, 0.4),
    ("Brackenford CAMHS", AgencyType.CAMHS, 0.45), ("Brackenford Housing", AgencyType.HOUSING, 0.3),
    ("Brackenford Learning Service", AgencyType.EDUCATION, 0.5), ("Brackenford Clinical Commissioning Group", AgencyType.HEALTH, 0.4),
)
PREVALENCE = {  # the 2015 audit's percentages
    "MISSING": 0.9, "RISKY_SEXUAL": 0.9, "SUBSTANCES": 0.4, "EMOTIONAL": 0.7, "LOOKED_AFTER": 0.6, "DOMESTIC_ABUSE": 0.6,
    "PREVIOUS_SC": 0.8, "OFFENDING": 0.5, "BEREAVEMENT": 0.2, "FAMILY_BREAKDOWN": 0.7, "NOT_ENGAGING": 0.8, "ABSENT_EDUCATION": 0.8,
}
SAYINGS = (
    "A joint visit with social care the day after the referral.", "The plan was reviewed on time with the school.",
    "Information about the adults seen with the child was shared the same day.", "Contingency planning was missing.",
    "The child's own words were not recorded.", "Supervision notes show reflective discussion of the risks.",
)


@dataclass
class AuditData:
    round_id: int
    counts: Counter = field(default_factory=Counter)


def build(*, seed: int = SEED + 70, progress=print) -> AuditData:
    rng = random.Random(seed)
    now = timezone.now().replace(microsecond=0)
    audit_services.ensure_shipped_templates()
    version = AuditTemplateVersion.objects.get(template__key="multi-agency-exploitation", number=1)
    template = parse_template(version.document)
    agencies = []
    for name, kind, share in AGENCIES:
        agency, _ = Agency.objects.get_or_create(name=name, defaults={"agency_type": kind})
        agencies.append((agency.pk, kind, share))
    today = now.date()
    audit_round = AuditRound.objects.create(
        title="Multi-agency exploitation audit (bench)", template_version=version, kind="audit",
        scope_start=today - dt.timedelta(days=365), scope_end=today, deadline=today, status="closed", opened_at=now, closed_at=now,
    )
    data = AuditData(round_id=audit_round.pk)
    next_case = (AuditCase.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    next_form = (AuditForm.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    cases, forms, answers = [], [], []
    withdrawn_cases = set(rng.sample(range(CASES), 5))
    deep = set(rng.sample(range(CASES), 10))
    withdrawn_forms = set(rng.sample(range(CASES * len(AGENCIES)), 20))
    questions = {kind: template.questions_for(kind) for _, kind, _ in agencies}
    for n in range(CASES):
        case_id = next_case + n
        cases.append({
            "id": case_id, "round_id": audit_round.pk, "child_id": None, "label": audit_services._label(n + 1), "position": n + 1,
            "deep_dive": n in deep, "selected_by": "sample", "withdrawn_at": now if n in withdrawn_cases else None,
            "sex": "F" if rng.random() < 0.75 else "M", "age_band": rng.choice(["10 to 12", "13 to 14", "13 to 14", "15 to 16", "15 to 16", "Over 16"]),
            "ethnicity": rng.choices(["WBRI", "APKN", "MWBC", "BAFR", "WOTH"], [60, 15, 10, 8, 7])[0],
            "legal_status": rng.choices(["looked_after", "child_protection", "child_in_need", "none"], [5, 3, 2, 1])[0],
            "placement": rng.choice(["Living at home or with family", "Looked after, placed in area", "Placed out of area"]),
            "risk_level": rng.choices(["high", "medium", "low"], [3, 4, 3])[0],
        })
        has = {f for f, p in PREVALENCE.items() if rng.random() < p}
        for a, (agency_id, kind, share) in enumerate(agencies):
            form_id = next_form + n * len(agencies) + a
            roll = rng.random()
            if roll < share:
                status, reason = FormStatus.SUBMITTED, ""
            elif roll < share + (1 - share) * 0.75:
                status = FormStatus.NIL_RETURN
                reason = rng.choices(["no_involvement", "not_known", "out_of_scope", "other"], [70, 18, 7, 5])[0]
            else:
                status, reason = rng.choice([FormStatus.NOT_STARTED, FormStatus.IN_PROGRESS, FormStatus.RETURNED]), ""
            forms.append({
                "id": form_id, "round_id": audit_round.pk, "case_id": case_id, "agency_id": agency_id, "status": status,
                "nil_reason": reason, "nil_reason_detail": "Records archived" if reason == "other" else "",
                "submitted_at": now if status in (FormStatus.SUBMITTED, FormStatus.NIL_RETURN) else None,
                "withdrawn_at": now if n * len(agencies) + a in withdrawn_forms else None, "added_by_lead": kind != AgencyType.SOCIAL_CARE,
            })
            if status == FormStatus.NOT_STARTED or status == FormStatus.NIL_RETURN:
                continue
            for q in questions[kind]:
                row = {"form_id": form_id, "question_id": q.id, "option": "", "choice": "", "grade": None, "number": None, "text": ""}
                if q.type == QuestionType.YES_NO:
                    row["choice"] = rng.choices(["yes", "no", "partly", "na"], [55, 20, 15, 10])[0]
                elif q.type == QuestionType.GRADE:
                    row["grade"] = rng.choices([1, 2, 3, 4], [5, 45, 40, 10])[0]
                elif q.type == QuestionType.NUMBER:
                    if rng.random() > 0.7:
                        continue
                    row["number"] = rng.randint(0, 60)
                elif q.type == QuestionType.TEXT:
                    if rng.random() > 0.2:
                        continue
                    row["text"] = rng.choice(SAYINGS)
                else:
                    for factor in sorted(has):
                        if rng.random() < 0.6:
                            answers.append({**row, "option": factor, "cleared_at": now if rng.random() < 0.01 else None})
                    continue
                row["cleared_at"] = now if rng.random() < 0.01 else None
                answers.append(row)
    with transaction.atomic():
        RowInserter(AuditCase, now).insert(cases)
        RowInserter(AuditForm, now).insert(forms)
        inserter = RowInserter(AuditAnswer, now)
        for start in range(0, len(answers), 20_000):
            inserter.insert(answers[start:start + 20_000])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    statuses = Counter(f["status"] for f in forms)
    data.counts.update({
        "cases": len(cases), "forms": len(forms), "answers": len(answers), "submitted": statuses[FormStatus.SUBMITTED],
        "nil": statuses[FormStatus.NIL_RETURN], "cleared": sum(1 for a in answers if a["cleared_at"] is not None),
    })
    progress(f"  audit round: {len(cases):,} cases, {len(forms):,} forms ({statuses[FormStatus.SUBMITTED]:,} submitted,"
             f" {statuses[FormStatus.NIL_RETURN]:,} nil returns), {len(answers):,} answers")
    return data


# --- The two sides --------------------------------------------------------------------------------

LIVE = """
    FROM audits_auditanswer a
    JOIN audits_auditform f ON f.id = a.form_id
    JOIN audits_auditcase c ON c.id = f.case_id
    WHERE f.round_id = %s AND f.status = 'submitted' AND f.withdrawn_at IS NULL AND c.withdrawn_at IS NULL
      AND a.cleared_at IS NULL"""


def _in(ids) -> str:
    return "(" + ", ".join("'" + i.replace("'", "''") + "'" for i in ids) + ")"


def baseline(round_id: int, factor_ids: list, yes_no_ids: list) -> dict:
    """The same counts in five hand-written statements, every row fetched."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM audits_auditcase WHERE round_id = %s AND withdrawn_at IS NULL", [round_id])
        cases = cursor.fetchone()[0]
        cursor.execute(
            """SELECT f.agency_id, f.status, f.nil_reason, COUNT(*) FROM audits_auditform f JOIN audits_auditcase c ON c.id = f.case_id
               WHERE f.round_id = %s AND f.withdrawn_at IS NULL AND c.withdrawn_at IS NULL GROUP BY f.agency_id, f.status, f.nil_reason""",
            [round_id],
        )
        returns = cursor.fetchall()
        cursor.execute(
            f"SELECT a.option, COUNT(DISTINCT f.case_id) {LIVE} AND a.question_id IN {_in(factor_ids)} AND a.option <> '' GROUP BY a.option",
            [round_id],
        )
        factors = cursor.fetchall()
        cursor.execute(
            f"""SELECT a.question_id, COUNT(DISTINCT f.case_id), COUNT(DISTINCT CASE WHEN a.choice = 'yes' THEN f.case_id END) {LIVE}
                AND a.question_id IN {_in(yes_no_ids)} AND a.choice IN ('yes', 'no', 'partly') GROUP BY a.question_id""",
            [round_id],
        )
        met = cursor.fetchall()
        cursor.execute(
            f"""SELECT a.question_id, f.agency_id, COUNT(*), SUM(CASE WHEN a.choice = 'yes' THEN 1 ELSE 0 END) {LIVE}
                AND a.question_id IN {_in(yes_no_ids)} AND a.choice IN ('yes', 'no', 'partly') GROUP BY a.question_id, f.agency_id""",
            [round_id],
        )
        by_agency = cursor.fetchall()
    return {"cases": cases, "returns": returns, "factors": factors, "met": met, "by_agency": by_agency}


def _round(round_id: int) -> AuditRound:
    return AuditRound.objects.select_related("template_version").get(pk=round_id)


def check_same(data: AuditData) -> dict:
    """Before timing: the report's counts are exactly the baseline's. Returns facts for the text."""
    audit_round = _round(data.round_id)
    template = parse_template(audit_round.template_version.document)
    factor_ids = [q.id for q in template.questions.values() if q.type == QuestionType.FACTORS]
    yes_no_ids = [q.id for q in template.questions.values() if q.type == QuestionType.YES_NO]
    report = build_report(audit_round)
    sql = baseline(data.round_id, factor_ids, yes_no_ids)
    names = dict(Agency.objects.values_list("pk", "name"))
    assert report.cases == sql["cases"], "cases"
    by_agency: dict[str, Counter] = defaultdict(Counter)
    for agency_id, status, reason, n in sql["returns"]:
        by_agency[names[agency_id]][status] += n
        if status == FormStatus.NIL_RETURN:
            by_agency[names[agency_id]][f"nil:{reason}"] += n
    for row in report.returns_by_agency:
        counts = by_agency[row.agency]
        assert row.distributed == sum(v for k, v in counts.items() if not k.startswith("nil:")), row.agency
        assert row.completed == counts[FormStatus.SUBMITTED] and row.nil_returns == counts[FormStatus.NIL_RETURN], row.agency
        assert {n.reason: n.count for n in row.nil_by_reason if n.count} == {
            k.removeprefix("nil:"): v for k, v in counts.items() if k.startswith("nil:")
        }, row.agency
    assert len(report.returns_by_agency) == len(by_agency)
    assert {f.id: f.cases.num for f in report.factors if f.cases.num} == dict(sql["factors"]), "factors"
    questions = {q.id: q for t in report.themes for q in t.questions}
    assert {qid: (questions[qid].met.den, questions[qid].met.num) for qid, _, _ in sql["met"]} == {
        qid: (answered, met) for qid, answered, met in sql["met"]
    }, "met overall"
    assert sum(1 for q in questions.values() if q.met is not None and q.met.den) == len(sql["met"])
    report_by_agency = {(qid, a.agency): (a.value.den, a.value.num) for qid, q in questions.items() for a in q.by_agency}
    assert report_by_agency == {(qid, names[agency]): (n, int(yes)) for qid, agency, n, yes in sql["by_agency"]}, "met by agency"
    completed = report.returns
    return {
        "cases": report.cases, "distributed": completed.distributed, "completed": completed.completed, "nil": completed.nil_returns,
        "not_returned": completed.not_returned, "factors": len(sql["factors"]), "questions": len(sql["met"]),
        "missing": next(f.display for f in report.factors if f.id == "MISSING"),
    }


@dataclass
class AuditResults:
    timings: dict
    queries: dict
    facts: dict
    data: AuditData
    reps: int
    warmup: int


def run_measures(data: AuditData, *, reps: int, warmup: int) -> AuditResults:
    from .measure import count_queries, run_interleaved

    facts = check_same(data)
    template = parse_template(_round(data.round_id).template_version.document)
    factor_ids = [q.id for q in template.questions.values() if q.type == QuestionType.FACTORS]
    yes_no_ids = [q.id for q in template.questions.values() if q.type == QuestionType.YES_NO]

    def report(_):
        build_report(_round(data.round_id))

    def sql(_):
        baseline(data.round_id, factor_ids, yes_no_ids)

    measures = {"report": report, "sql": sql}
    print("  timing the audit report ...", flush=True)
    timings = run_interleaved(measures, [None], reps=reps, warmup=warmup)
    queries = {"report": count_queries(report, None), "sql": count_queries(sql, None)}
    return AuditResults(timings=timings, queries=queries, facts=facts, data=data, reps=reps, warmup=warmup)


def rows(results: AuditResults) -> list:
    from . import report

    t, f, c = results.timings, results.facts, results.data.counts
    label = (f"Audit report (issue 7), {f['cases']:,} cases, {f['distributed']:,} forms, {c['answers']:,} answers:"
             " `build_report`, every figure (baseline: returns by agency, factor prevalence, per-question met counts)")
    return [
        report.Row(label, t["report"], t["sql"], "median < 2,000 ms", limit_ms=2000),
        report.Row(label, t["report"], t["sql"], "≤ 3× SQL baseline", limit_ratio=3),
    ]


def query_rows(results: AuditResults) -> list:
    return [("Audit report, `build_report` (the round already loaded with its template version)", None,
             results.queries["report"] - 1, results.queries["sql"])]


def text(results: AuditResults) -> str:
    f, c = results.facts, results.data.counts
    return (
        f"- Audit round (`bench/audits.py`): {c['cases']:,} cases (5 withdrawn) and {c['forms']:,} forms over 12 agencies,"
        f" {c['submitted']:,} submitted and {c['nil']:,} nil returns; {c['answers']:,} answers ({c['cleared']:,} taken back)."
        f" Of the forms the report counts, {f['distributed']:,} distributed, {f['completed']:,} completed, {f['nil']:,} nil returns and"
        f" {f['not_returned']:,} not returned. Before timing, `build_report` and the SQL baseline gave the same returns by agency and"
        f" reason, the same prevalence of {f['factors']} factors (missing episodes: {f['missing']}) and the same met counts of"
        f" {f['questions']} yes/no questions, overall and by agency. The measures ran {results.reps} times each after"
        f" {results.warmup} warm-up, interleaved."
    )


MARKERS = {
    "sqlite": ("<!-- bench-audits-results:start -->", "<!-- bench-audits-results:end -->"),
    "postgresql": ("<!-- bench-audits-postgres-results:start -->", "<!-- bench-audits-postgres-results:end -->"),
}


def environment(results: AuditResults, *, load: tuple) -> str:
    import os
    import platform
    import sqlite3

    import django

    from .report import code_version

    when = dt.datetime.now().astimezone().strftime("%d %B %Y %H:%M %Z")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT version()")
            version = cursor.fetchone()[0].split(" on ")[0]
        command = "`BENCH_ONLY=audits BENCH_DATABASE_URL=postgres:///lantern_bench make bench`"
        database = f"{version} on the same machine (its default settings, after `ANALYZE`)"
    else:
        command = "`BENCH_ONLY=audits make bench`"
        database = f"SQLite {sqlite3.sqlite_version} (WAL)"
    return "\n".join([
        f"- Run: {when}, {command}, code at {code_version()}.",
        f"- Machine: {os.cpu_count()} cores, {platform.system()} {platform.release()}, Python {platform.python_version()},"
        f" Django {django.get_version()}, {database}.",
        f"- Load average (1 min) when measuring started and ended: {load[0]:.1f} and {load[1]:.1f}.",
        text(results),
    ])
