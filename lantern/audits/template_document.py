"""An audit template is a JSON document (F37). `parse_template` checks one as a whole and says
everything that is wrong with it; `Template` is the checked document, easy to walk.

The format is described in docs/decisions/0019-audits.md. In short: a key, a name, a kind, a
description, a list of contributory factors and a list of themes; each theme has questions, and
may ask the two narrative questions "What we do well" and "What we should improve", whose ids
are the theme's id followed by `-WELL` and `-IMPROVE`.
"""

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError

from lantern.partnership.models import AgencyType

from .models import AuditKind, QuestionType

SHIPPED_DIR = Path(__file__).resolve().parent / "shipped"

KEY_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
THEME_RE = re.compile(r"^[A-Z0-9]{2,8}$")
FACTOR_RE = re.compile(r"^[A-Z0-9_]{2,20}$")
WELL, IMPROVE = "WELL", "IMPROVE"
NARRATIVE_LABELS = {WELL: "What we do well", IMPROVE: "What we should improve"}


@dataclass(frozen=True)
class Question:
    id: str
    theme_id: str
    text: str
    type: str
    guidance: str = ""
    agency_types: tuple = ()
    narrative: bool = False

    def asked_of(self, agency_type: str) -> bool:
        return not self.agency_types or agency_type in self.agency_types


@dataclass(frozen=True)
class Theme:
    id: str
    title: str
    guidance: str
    narrative: bool
    questions: tuple

    @property
    def narrative_questions(self) -> tuple:
        if not self.narrative:
            return ()
        return tuple(
            Question(id=f"{self.id}-{part}", theme_id=self.id, text=label, type=QuestionType.TEXT, narrative=True)
            for part, label in NARRATIVE_LABELS.items()
        )


@dataclass(frozen=True)
class Template:
    key: str
    name: str
    kind: str
    description: str
    factors: tuple  # ((id, text), ...)
    themes: tuple
    questions: dict = field(default_factory=dict)  # id -> Question, narrative ones included

    @property
    def factor_labels(self) -> dict:
        return dict(self.factors)

    def questions_for(self, agency_type: str) -> list[Question]:
        return [q for q in self.questions.values() if q.asked_of(agency_type)]

    def theme(self, theme_id: str) -> Theme | None:
        return next((t for t in self.themes if t.id == theme_id), None)


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def parse_template(document) -> Template:
    """Check a template document and return it as a Template, or raise ValidationError listing
    every problem found."""
    errors: list[str] = []
    if not isinstance(document, dict):
        raise ValidationError("The template must be a JSON object")
    key = _text(document.get("key"))
    if not KEY_RE.match(key):
        errors.append("The key must be lower-case letters and digits, joined by hyphens (for example multi-agency-audit)")
    name = _text(document.get("name"))
    if not name:
        errors.append("Enter the template's name")
    kind = document.get("kind")
    if kind not in AuditKind.values:
        errors.append(f"The kind must be one of {', '.join(AuditKind.values)}")
    factors = []
    seen_factors = set()
    raw_factors = document.get("factors", [])
    if not isinstance(raw_factors, list):
        errors.append("factors must be a list")
        raw_factors = []
    for n, factor in enumerate(raw_factors, start=1):
        fid = _text(factor.get("id")) if isinstance(factor, dict) else ""
        ftext = _text(factor.get("text")) if isinstance(factor, dict) else ""
        if not FACTOR_RE.match(fid):
            errors.append(f"Factor {n}: the id must be 2 to 20 capital letters, digits or underscores")
        elif fid in seen_factors:
            errors.append(f"Factor {n}: the id {fid} is used twice")
        if not ftext:
            errors.append(f"Factor {n}: enter what the factor is")
        seen_factors.add(fid)
        factors.append((fid, ftext))
    themes = []
    questions: dict[str, Question] = {}
    raw_themes = document.get("themes")
    if not isinstance(raw_themes, list) or not raw_themes:
        errors.append("The template needs at least one theme")
        raw_themes = []
    theme_ids = set()
    for t_n, raw in enumerate(raw_themes, start=1):
        if not isinstance(raw, dict):
            errors.append(f"Theme {t_n} must be an object")
            continue
        tid = _text(raw.get("id"))
        where = f"Theme {tid or t_n}"
        if not THEME_RE.match(tid):
            errors.append(f"{where}: the id must be 2 to 8 capital letters or digits")
        elif tid in theme_ids:
            errors.append(f"{where}: the id is used twice")
        theme_ids.add(tid)
        title = _text(raw.get("title"))
        if not title:
            errors.append(f"{where}: enter a title")
        theme_questions = []
        raw_questions = raw.get("questions")
        if not isinstance(raw_questions, list) or not raw_questions:
            errors.append(f"{where}: add at least one question")
            raw_questions = []
        for q_n, rq in enumerate(raw_questions, start=1):
            if not isinstance(rq, dict):
                errors.append(f"{where}, question {q_n} must be an object")
                continue
            qid = _text(rq.get("id"))
            qwhere = f"Question {qid or f'{q_n} of theme {tid}'}"
            if not re.match(rf"^{re.escape(tid)}-\d{{2}}$", qid or "-"):
                errors.append(f"{qwhere}: the id must be the theme's id, a hyphen and two digits (for example {tid or 'REF'}-01)")
            elif qid in questions:
                errors.append(f"{qwhere}: the id is used twice")
            qtext = _text(rq.get("text"))
            if not qtext:
                errors.append(f"{qwhere}: enter the question")
            qtype = rq.get("type")
            if qtype not in QuestionType.values:
                errors.append(f"{qwhere}: the type must be one of {', '.join(QuestionType.values)}")
            elif qtype == QuestionType.FACTORS and not factors:
                errors.append(f"{qwhere}: a checklist of contributory factors needs the template's list of factors")
            agency_types = rq.get("agency_types", [])
            if not isinstance(agency_types, list) or any(a not in AgencyType.values for a in agency_types):
                errors.append(f"{qwhere}: agency_types must list agency types from: {', '.join(AgencyType.values)}")
                agency_types = []
            question = Question(
                id=qid, theme_id=tid, text=qtext, type=qtype, guidance=_text(rq.get("guidance")),
                agency_types=tuple(agency_types),
            )
            theme_questions.append(question)
            questions.setdefault(qid, question)
        theme = Theme(id=tid, title=title, guidance=_text(raw.get("guidance")), narrative=bool(raw.get("narrative")),
                      questions=tuple(theme_questions))
        for nq in theme.narrative_questions:
            questions[nq.id] = nq
        themes.append(theme)
    if errors:
        raise ValidationError(errors)
    return Template(
        key=key, name=name, kind=kind, description=_text(document.get("description")), factors=tuple(factors),
        themes=tuple(themes), questions=questions,
    )


def shipped_documents() -> list[dict]:
    """The templates that come with Lantern, as documents."""
    return [json.loads(path.read_text(encoding="utf-8")) for path in sorted(SHIPPED_DIR.glob("*.json"))]
