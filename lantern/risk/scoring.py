"""Scoring a screening. Pure functions of the catalogue and what the worker saw, so the rules can
be read, and tested, on their own (see the property tests).

- Each indicator seen adds its weight to the score of every kind of exploitation it applies to:
  its current weight when seen now, its past weight when seen in the past 12 months only.
- A disability (Child.disability "yes", or a learning disability) adds 1 to the score of each
  kind that has at least one indicator (SERAF).
- The score gives the suggested level by the bands in LANTERN_SCREENING_THRESHOLDS
  (a score below "low" suggests no identified risk).
- A disclosure of exploitation suggests high at once for the kinds it applies to.
- A child aged 13 or under with any indicator of sexual exploitation, or a child with a learning
  disability and any concern at all, must be referred to children's social care.
- Harmful sexual behaviour by the child is recorded as a risk to others; it never changes the
  scores (F08).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .catalogue import EXPLOITATION_KINDS, Indicator
from .models import Level, When

DEFAULT_THRESHOLDS = {"low": 6, "medium": 11, "high": 16}
SEXUAL_EXPLOITATION_DOMAIN = "sexual_exploitation"
REFERRAL_AGE = 13


def thresholds() -> dict[str, int]:
    """The lowest score of each band, from LANTERN_SCREENING_THRESHOLDS (SERAF-like by default)."""
    configured = getattr(settings, "LANTERN_SCREENING_THRESHOLDS", DEFAULT_THRESHOLDS)
    try:
        values = {band: int(configured[band]) for band in ("low", "medium", "high")}
    except (KeyError, TypeError, ValueError) as exc:
        raise ImproperlyConfigured("LANTERN_SCREENING_THRESHOLDS needs whole numbers for low, medium and high") from exc
    if not 0 < values["low"] <= values["medium"] <= values["high"]:
        raise ImproperlyConfigured("LANTERN_SCREENING_THRESHOLDS must rise: 0 < low <= medium <= high")
    return values


def suggested_level(score: int, *, bands: dict[str, int] | None = None) -> str:
    bands = bands or thresholds()
    for level in (Level.HIGH, Level.MEDIUM, Level.LOW):
        if score >= bands[level.value]:
            return level.value
    return Level.NONE.value


def highest(levels: Iterable[str]) -> str:
    """The highest of some levels ("" when there are none)."""
    levels = [level for level in levels if level]
    return max(levels, key=Level.rank) if levels else ""


@dataclass(frozen=True)
class Seen:
    indicator: Indicator
    when: str

    @property
    def score(self) -> int:
        return self.indicator.score(current=self.when == When.CURRENT)


@dataclass(frozen=True)
class Outcome:
    scores: dict = field(hash=False)
    suggested: dict = field(hash=False)
    disability_added: bool
    disclosure: bool
    risk_to_others: bool
    must_refer_to_social_care: bool
    referral_reason: str


def is_sexual_exploitation_indicator(indicator: Indicator) -> bool:
    """In the sexual exploitation domain, or an indicator of sexual exploitation only (sexual
    images, forced marriage …): either, for a child of 13 or under, means a referral."""
    return indicator.domain == SEXUAL_EXPLOITATION_DOMAIN or tuple(indicator.applies_to) == ("sexual",)


def score(seen: Iterable[Seen], *, disabled: bool, learning_disability: bool, age: int, bands: dict[str, int] | None = None) -> Outcome:
    seen = list(seen)
    bands = bands or thresholds()
    scores = {kind: 0 for kind in EXPLOITATION_KINDS}
    counted = {kind: False for kind in EXPLOITATION_KINDS}
    disclosed: set[str] = set()
    for item in seen:
        for kind in item.indicator.applies_to:
            scores[kind] += item.score
            counted[kind] = True
        if item.indicator.disclosure:
            disclosed.update(item.indicator.applies_to or EXPLOITATION_KINDS)
    disability_added = False
    if disabled or learning_disability:
        for kind in EXPLOITATION_KINDS:
            if counted[kind]:
                scores[kind] += 1
                disability_added = True
    suggested = {kind: Level.HIGH.value if kind in disclosed else suggested_level(scores[kind], bands=bands) for kind in EXPLOITATION_KINDS}
    reasons = []
    if age <= REFERRAL_AGE and any(is_sexual_exploitation_indicator(item.indicator) for item in seen):
        reasons.append(f"The child is {age}, which is {REFERRAL_AGE} or under, and shows signs of sexual exploitation.")
    if learning_disability and seen:
        reasons.append("The child has a learning disability and there is a concern.")
    return Outcome(
        scores=scores,
        suggested=suggested,
        disability_added=disability_added,
        disclosure=bool(disclosed),
        risk_to_others=any(item.indicator.risk_to_others for item in seen),
        must_refer_to_social_care=bool(reasons),
        referral_reason=" ".join(reasons),
    )
