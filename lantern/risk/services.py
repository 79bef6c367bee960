"""Every write of the risk app: screening a child, deciding the partnership's risk level, and
publishing the indicator catalogue. Keyword-only; each checks permission, validates (saving
nothing when anything is wrong), writes in a transaction, records the timeline and tells the
people who need to know."""

import datetime as dt
from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from lantern.children import timeline
from lantern.children.models import Child, Disability
from lantern.children.rules import can_view_child
from lantern.core.concurrency import ConcurrentEditError, save_versioned
from lantern.core.dates import age_on, local_today
from lantern.notifications.services import notify
from lantern.partnership.models import Agency
from lantern.partnership.selectors import hub_members

from . import scoring
from .catalogue import INDICATOR_ID, Catalogue, catalogue_document, current_catalogue, parse_catalogue
from .conf import add_months, review_months
from .models import (
    EXPLOITATION_KINDS,
    CatalogueVersion,
    DecisionSource,
    Level,
    RiskDecision,
    RiskKind,
    Screening,
    ScreeningIndicator,
    When,
)
from .rules import can_administer_catalogue, can_decide_level, can_screen_child
from .selectors import current_levels, people_to_tell, screening_agencies_for
from .signals import level_decided

SCREENING_COMPLETED = timeline.register_kind("screening_completed", "Screening completed")
REFERRAL_CONFIRMED = timeline.register_kind("social_care_referral_confirmed", "Referral to children's social care confirmed")
RISK_LEVEL_DECIDED = timeline.register_kind("risk_level_decided", "Risk level decided")

# A sentinel: "do not check which decision was current when the form was loaded".
UNCHECKED = object()


class CatalogueChanged(ValidationError):
    """The catalogue was republished while the user was filling in a screening."""

    def __init__(self, version: int) -> None:
        self.version = version
        super().__init__(
            f"The indicator catalogue was updated (it is now version {version}) while you were completing this "
            "screening. Nothing has been saved. Check the indicators, including any new ones, and submit again.",
            code="catalogue_changed",
        )


def _visible_child(by, child: Child) -> None:
    """A child the user may not see is "not found", exactly as one that does not exist."""
    if by is None or not by.is_authenticated or not can_view_child(by, child):
        raise Http404("Child not found")


def _moment(value: dt.datetime | None, *, field: str, child: Child) -> dt.datetime:
    """When something happened: now, or an earlier time being recorded (never in the future)."""
    if value is None:
        return timezone.now()
    if value > timezone.now():
        raise ValidationError({field: "The date must be today or in the past"})
    if timezone.localtime(value).date() < child.date_of_birth:
        raise ValidationError({field: "The date must be on or after the child's date of birth"})
    return value


# Screening ------------------------------------------------------------------------------------

def _screening_agency(by, child: Child, agency: Agency | None) -> Agency:
    allowed = list(screening_agencies_for(by, child))
    if agency is not None:
        if agency.pk not in {a.pk for a in allowed}:
            raise ValidationError({"agency": f"You can screen for {agency.name} only while it works with the child"})
        return agency
    if len(allowed) != 1:
        raise ValidationError({"agency": "Choose which of your agencies you are screening for"})
    return allowed[0]


def check_indicators(catalogue: Catalogue, indicators: Iterable[Sequence]) -> tuple[list[tuple[scoring.Seen, str]], dict]:
    """Check each (indicator id, when, evidence). Returns what was seen, and the errors by field."""
    seen, errors, ids = [], {}, set()
    for row in indicators:
        try:
            indicator_id, when, evidence = row
        except (TypeError, ValueError):
            raise ValidationError({"indicators": "Each indicator needs an id, when it was seen and the evidence"}) from None
        evidence = (evidence or "").strip()
        try:
            indicator = catalogue.indicator(indicator_id)
        except ValidationError as exc:
            errors.setdefault("indicators", []).extend(exc.messages)
            continue
        if catalogue.domain(indicator.domain).kind == "strength":
            errors.setdefault("indicators", []).append(f"{indicator.id} is a strength: record it with the strengths")
            continue
        if indicator.id in ids:
            errors.setdefault("indicators", []).append(f"{indicator.id} is recorded twice")
            continue
        ids.add(indicator.id)
        if when not in When.values:
            errors[f"when_{indicator.id}"] = f"Say whether '{indicator.wording}' is seen now or in the past 12 months"
            continue
        if indicator.significant and not evidence:
            errors[f"evidence_{indicator.id}"] = f"Enter the evidence for '{indicator.wording}': it is a significant indicator"
            continue
        seen.append((scoring.Seen(indicator=indicator, when=when), evidence))
    return seen, errors


def _strengths(catalogue: Catalogue, strengths: Iterable[str]) -> list[dict]:
    chosen, unknown = [], []
    strength_ids = {i.id for _, items in catalogue.of_kind("strength") for i in items}
    for ident in dict.fromkeys(strengths or ()):
        if ident in strength_ids:
            chosen.append({"id": ident, "wording": catalogue.indicator(ident).wording})
        else:
            unknown.append(ident)
    if unknown:
        raise ValidationError({"strengths": f"These are not strengths in the catalogue: {', '.join(map(str, unknown))}"})
    return chosen


@transaction.atomic
def submit_screening(
    *,
    by,
    child: Child,
    indicators: Iterable[Sequence],
    strengths: Iterable[str] = (),
    strengths_note: str = "",
    childs_views: str = "",
    analysis: str = "",
    agency: Agency | None = None,
    referred_to_social_care: bool = False,
    expected_catalogue_version: int | None = None,
    screened_at: dt.datetime | None = None,
) -> Screening:
    """Record an agency's screening of a child (F09) with the current catalogue.

    `indicators` is a list of (indicator id, "current" or "past_12_months", evidence). A
    significant indicator needs its evidence. The screening keeps the wording, domain and weight
    of each indicator, its scores and suggested levels, and whether the child must be referred
    to children's social care (and whether the user has done so). The hub is told.
    """
    _visible_child(by, child)
    if not can_screen_child(by, child):
        raise PermissionDenied("Only an agency working with the child, or the exploitation hub, can screen them.")
    acting_for = _screening_agency(by, child, agency)
    catalogue = current_catalogue()
    if expected_catalogue_version is not None and expected_catalogue_version != catalogue.version:
        raise CatalogueChanged(catalogue.version)
    when = _moment(screened_at, field="screened_at", child=child)
    seen, errors = check_indicators(catalogue, indicators)
    try:
        chosen_strengths = _strengths(catalogue, strengths)
    except ValidationError as exc:
        errors.update(exc.error_dict)
    if errors:
        raise ValidationError(errors)

    outcome = scoring.score(
        [item for item, _ in seen],
        disabled=child.disability == Disability.YES,
        learning_disability=child.learning_disability,
        age=age_on(child.date_of_birth, timezone.localtime(when).date()),
    )
    screening = Screening.objects.create(
        child=child, agency=acting_for, screened_by=by, screened_at=when, catalogue_version=catalogue.version,
        strengths=chosen_strengths, strengths_note=(strengths_note or "").strip(),
        childs_views=(childs_views or "").strip(), analysis=(analysis or "").strip(),
        score_sexual=outcome.scores["sexual"], score_criminal=outcome.scores["criminal"],
        suggested_sexual=outcome.suggested["sexual"], suggested_criminal=outcome.suggested["criminal"],
        disability_added=outcome.disability_added, disclosure=outcome.disclosure, risk_to_others=outcome.risk_to_others,
        must_refer_to_social_care=outcome.must_refer_to_social_care, social_care_referral_reason=outcome.referral_reason,
        referred_to_social_care=bool(referred_to_social_care),
        referral_confirmed_at=timezone.now() if referred_to_social_care else None,
        referral_confirmed_by=by if referred_to_social_care else None,
    )
    ScreeningIndicator.objects.bulk_create(
        ScreeningIndicator(
            screening=screening, indicator_id=item.indicator.id, when=item.when, evidence=evidence,
            wording=item.indicator.wording, domain=item.indicator.domain,
            domain_label=catalogue.domain(item.indicator.domain).label, weight=item.score,
            applies_to=list(item.indicator.applies_to), significant=item.indicator.significant,
        )
        for item, evidence in seen
    )
    url = reverse("risk:screening", args=[screening.pk])
    summary = (
        f"Screened by {acting_for.name}: suggests {Level(screening.suggested_sexual).label.lower()} for sexual exploitation "
        f"(score {screening.score_sexual}), {Level(screening.suggested_criminal).label.lower()} for criminal exploitation "
        f"(score {screening.score_criminal})"
    )
    notes = []
    if screening.risk_to_others:
        notes.append("Harmful sexual behaviour by the child was recorded.")
    if screening.must_refer_to_social_care:
        notes.append(
            f"Must be referred to children's social care: {screening.social_care_referral_reason} "
            + ("The referral is confirmed." if screening.referred_to_social_care else "The referral is NOT yet confirmed.")
        )
    timeline.record_event(
        child=child, kind=SCREENING_COMPLETED.code, actor=by, agency=acting_for, occurred_at=when,
        summary=summary, detail=" ".join(notes), url=url,
    )
    notify(
        recipients=hub_members(), category="screening", child=child, url=url, exclude=by,
        subject=f"{acting_for.name} has screened a child",
        body=f"{summary}. {' '.join(notes)}".strip(),
    )
    return screening


@transaction.atomic
def confirm_social_care_referral(*, by, screening: Screening, expected_version: int) -> Screening:
    """The screening's author (or the hub) confirms the child has been referred to children's
    social care, as the screening said they must be."""
    _visible_child(by, screening.child)
    if by.pk != screening.screened_by_id and not by.access.is_hub:
        raise PermissionDenied("Only the person who completed the screening, or the exploitation hub, can confirm the referral.")
    if screening.referred_to_social_care:
        raise ValidationError("The referral to children's social care is already confirmed")
    screening.referred_to_social_care = True
    screening.referral_confirmed_at = timezone.now()
    screening.referral_confirmed_by = by
    save_versioned(screening, expected_version=expected_version)
    timeline.record_event(
        child=screening.child, kind=REFERRAL_CONFIRMED.code, actor=by, agency=screening.agency,
        summary=f"{by.full_name} confirmed the referral to children's social care", url=reverse("risk:screening", args=[screening.pk]),
    )
    return screening


# The risk level -------------------------------------------------------------------------------

def _level_change_words(kind: RiskKind, previous: RiskDecision | None, level: str) -> str:
    what = kind.label if kind == RiskKind.RISK_TO_OTHERS else f"{kind.label} risk"
    label = Level(level).label.lower()
    if previous is None:
        return f"{what} set at {label}"
    if previous.level == level:
        return f"{what} confirmed at {label}"
    return f"{what} changed from {previous.get_level_display().lower()} to {label}"


@transaction.atomic
def decide_risk_level(
    *,
    by,
    child: Child,
    kind: str,
    level: str,
    reason: str,
    screenings: Iterable,
    next_review_on: dt.date | None,
    departure_reason: str = "",
    source: str = DecisionSource.HUB,
    decided_at: dt.datetime | None = None,
    expected_current=UNCHECKED,
) -> RiskDecision:
    """Decide (set, change or confirm) the partnership's level of one kind of risk for a child.

    Only the hub or a meeting chair decides (F03). The decision rests on one or more of the
    child's screenings; it records what they suggested, and why when it departs from them. The
    next review is due within LANTERN_LEVEL_REVIEW_MONTHS. Every practitioner and manager of
    each involved agency, and the hub, is told. `expected_current` (the id of the decision in
    force when the form was loaded, or None) refuses a decision made on a stale page.
    """
    if by is None or not by.is_authenticated or not can_decide_level(by):
        raise PermissionDenied(
            "Only the exploitation hub or a meeting chair can decide a child's risk level. "
            "Complete a screening, and the hub will review it."
        )
    _visible_child(by, child)
    errors: dict[str, str] = {}
    if kind not in RiskKind.values:
        raise ValidationError({"kind": "Choose sexual exploitation, criminal exploitation or risk to others"})
    kind = RiskKind(kind)
    if level not in Level.values:
        errors["level"] = "Choose a level: no identified risk, low, medium or high"
    if source not in DecisionSource.values:
        errors["source"] = "Say whether the hub or an exploitation meeting made this decision"
    reason = (reason or "").strip()
    departure_reason = (departure_reason or "").strip()
    if not reason:
        errors["reason"] = "Enter the reason for the decision: the evidence and the judgement behind it"
    when = _moment(decided_at, field="decided_at", child=child)
    decided_on = timezone.localtime(when).date()

    ids = {str(getattr(s, "pk", s)) for s in screenings or ()}
    resting_on = list(Screening.objects.filter(child=child, pk__in=[int(i) for i in ids if i.isdigit()]))
    if not ids:
        errors["screenings"] = "Choose the screenings this decision rests on"
    elif len(resting_on) != len(ids):
        errors["screenings"] = "Choose screenings of this child only"
    elif any(s.screened_at > when for s in resting_on):
        errors["screenings"] = "A decision can only rest on screenings completed before it"
    suggested = scoring.highest(s.suggested_for(kind) for s in resting_on) if kind in EXPLOITATION_KINDS else ""
    if "level" not in errors and suggested and level != suggested and not departure_reason:
        errors["departure_reason"] = (
            f"The screenings suggest {Level(suggested).label.lower()}. Explain why the level is {Level(level).label.lower()}"
        )

    longest = review_months()
    if next_review_on is None:
        errors["next_review_on"] = "Enter the date of the next review"
    elif next_review_on < decided_on:
        errors["next_review_on"] = "The next review must be today or later"
    elif next_review_on > add_months(decided_on, longest):
        errors["next_review_on"] = f"The next review must be within {longest} months of the decision"
    if errors:
        raise ValidationError(errors)

    Child.objects.select_for_update().filter(pk=child.pk).values_list("pk", flat=True).first()
    previous = current_levels(child)[kind]
    if expected_current is not UNCHECKED and (previous.pk if previous else None) != expected_current:
        raise ConcurrentEditError()
    if previous is not None and when < previous.decided_at:
        raise ValidationError({"decided_at": "A decision cannot be dated before the decision it replaces"})

    decision = RiskDecision.objects.create(
        child=child, kind=kind, level=level, decided_by=by, decided_at=when, source=source, reason=reason,
        suggested_level=suggested, departure_reason=departure_reason if suggested and level != suggested else "",
        next_review_on=next_review_on,
    )
    decision.screenings.set(resting_on)

    words = _level_change_words(kind, previous, level)
    url = reverse("children:detail", args=[child.pk])
    detail = reason + (f"\nWhy this differs from the screenings' suggestion ({Level(suggested).label.lower()}): {departure_reason}" if decision.departure_reason else "")
    timeline.record_event(
        child=child, kind=RISK_LEVEL_DECIDED.code, actor=by, occurred_at=when, detail=detail,
        summary=f"{words} by {by.full_name} ({DecisionSource(source).label.lower()}); next review {next_review_on:%d/%m/%Y}",
    )
    changed = previous is None or previous.level != level
    notify(
        recipients=people_to_tell(child), category="risk_level", child=child, url=url, exclude=by,
        subject="The risk level of a child you work with has changed" if changed else "The risk level of a child you work with was reviewed",
        body=f"{words}. Decided by {by.full_name} ({DecisionSource(source).label.lower()}). "
        f"Next review by {next_review_on:%d/%m/%Y}. Open the child's page to see why.",
    )
    level_decided.send(sender=RiskDecision, child=child, decision=decision, previous=previous)
    return decision


# The catalogue --------------------------------------------------------------------------------

@transaction.atomic
def publish_catalogue_addition(
    *,
    by,
    indicator_id: str,
    domain: str,
    wording: str,
    weight: int,
    weight_past: int,
    applies_to: Iterable[str],
    change_note: str,
    significant: bool = False,
    cin_factor: str = "",
    sources: Iterable[str] = (),
    new_source: str = "",
    expected_version: int | None = None,
) -> CatalogueVersion:
    """Add an indicator by publishing the next version of the catalogue: the current document
    with the new indicator. Earlier versions, and every screening made with them, are unchanged."""
    if by is None or not by.is_authenticated or not can_administer_catalogue(by):
        raise PermissionDenied("Only the partnership's administrator can change the indicator catalogue.")
    catalogue_document()  # makes sure version 1 is stored
    number, document = (
        CatalogueVersion.objects.select_for_update().order_by("-number").values_list("number", "document").first()
    )
    if expected_version is not None and expected_version != number:
        raise ConcurrentEditError()
    catalogue = parse_catalogue(document)

    errors: dict[str, str] = {}
    indicator_id = (indicator_id or "").strip().upper()
    wording = " ".join((wording or "").split())
    if not INDICATOR_ID.match(indicator_id):
        errors["indicator_id"] = "Enter an id of 2 to 6 capital letters, a dash and 2 or 3 digits, for example ONL-05"
    elif indicator_id in catalogue.indicators:
        errors["indicator_id"] = f"There is already an indicator {indicator_id}. Choose another id"
    domains = {d.id: d for d in catalogue.domains}
    if domain not in domains:
        errors["domain"] = "Choose a domain from the list"
    if not wording:
        errors["wording"] = "Enter the wording of the indicator"
    elif len(wording) > 300:
        errors["wording"] = "The wording must be 300 characters or fewer"
    applies_to = [kind.value for kind in EXPLOITATION_KINDS if kind in set(applies_to or ())]
    scored = domain in domains and domains[domain].kind == "risk"
    if scored and not applies_to:
        errors["applies_to"] = "Choose the kinds of exploitation this indicator is a sign of"
    if scored and (weight is None or weight_past is None or weight < 0 or weight_past < 0):
        errors["weight"] = "Enter weights of 0 or more"
    elif scored and weight_past > weight:
        errors["weight_past"] = "The weight when seen in the past 12 months must be no more than the weight when seen now"
    sources = list(dict.fromkeys(sources or ()))
    known_sources = dict(document.get("sources", {}))
    if set(sources) - set(known_sources):
        errors["sources"] = "Choose sources from the list"
    if not (change_note or "").strip():
        errors["change_note"] = "Say why the indicator is being added"
    if errors:
        raise ValidationError(errors)

    if (new_source or "").strip():
        key = f"local-{sum(1 for k in known_sources if k.startswith('local-')) + 1}"
        document.setdefault("sources", {})[key] = new_source.strip()
        sources.append(key)
    row = {
        "id": indicator_id,
        "domain": domain,
        "wording": wording,
        "weight": int(weight or 0) if scored else 0,
        "weight_past": int(weight_past or 0) if scored else 0,
        "significant": bool(significant) and scored,
        "sources": sources,
        "applies_to": applies_to if scored else [],
    }
    if (cin_factor or "").strip():
        row["cin_factor"] = cin_factor.strip().upper()
    if domains[domain].kind == "risk_to_others":
        row["risk_to_others"] = True
    document["indicators"].append(row)
    document["version"] = number + 1
    document["published"] = local_today().isoformat()
    parse_catalogue(document)  # the last word: the document as a whole must be a valid catalogue
    try:
        with transaction.atomic():
            return CatalogueVersion.objects.create(
                number=number + 1, document=document, published_by=by, change_note=change_note.strip()[:500]
            )
    except IntegrityError:
        raise ConcurrentEditError() from None
