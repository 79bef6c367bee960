"""The indicator catalogue: data, versioned, extensible by the partnership's administrator.

The shipped file is version 1. `current_catalogue()` gives the newest published version;
`catalogue_version(n)` any earlier one. Catalogues are immutable once published: adding an
indicator publishes a new version, so no stored screening ever changes meaning.
"""

import copy
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

SHIPPED_FILE = Path(__file__).resolve().parent / "catalogue" / "catalogue-v1.json"
EXPLOITATION_KINDS = ("sexual", "criminal")
DOMAIN_KINDS = ("risk", "risk_to_others", "strength")
INDICATOR_ID = re.compile(r"^[A-Z]{2,6}-[0-9]{2,3}$")


@dataclass(frozen=True)
class Domain:
    id: str
    label: str
    kind: str


@dataclass(frozen=True)
class Indicator:
    id: str
    domain: str
    wording: str
    weight: int
    weight_past: int
    significant: bool = False
    sources: tuple = ()
    applies_to: tuple = EXPLOITATION_KINDS
    cin_factor: str | None = None
    disclosure: bool = False
    risk_to_others: bool = False

    def score(self, *, current: bool) -> int:
        return self.weight if current else self.weight_past


@dataclass(frozen=True)
class Catalogue:
    version: int
    domains: tuple
    indicators: dict = field(hash=False)
    sources: dict = field(hash=False, default_factory=dict)

    def indicator(self, indicator_id: str) -> Indicator:
        try:
            return self.indicators[indicator_id]
        except KeyError:
            raise ValidationError(
                f"There is no indicator {indicator_id!r} in version {self.version} of the catalogue", code="unknown_indicator"
            ) from None

    def by_domain(self) -> list[tuple[Domain, list[Indicator]]]:
        return [(d, [i for i in self.indicators.values() if i.domain == d.id]) for d in self.domains]

    def domain(self, domain_id: str) -> Domain:
        for d in self.domains:
            if d.id == domain_id:
                return d
        raise ValidationError(f"There is no domain {domain_id!r} in version {self.version} of the catalogue")

    def of_kind(self, kind: str) -> list[tuple[Domain, list[Indicator]]]:
        """The domains of one kind ("risk", "risk_to_others", "strength") with their indicators."""
        return [(d, indicators) for d, indicators in self.by_domain() if d.kind == kind]


def parse_catalogue(document: dict) -> Catalogue:
    """Check a catalogue document and turn it into a Catalogue. Says what is wrong, or raises."""
    errors = []
    try:
        version = int(document["version"])
        domains = tuple(Domain(id=d["id"], label=d["label"], kind=d["kind"]) for d in document["domains"])
        raw_indicators = document["indicators"]
    except (KeyError, TypeError, ValueError) as exc:
        raise ValidationError(f"The catalogue must have a version, domains and indicators ({exc})") from None
    domain_ids = {d.id for d in domains}
    domain_kinds = {d.id: d.kind for d in domains}
    for d in domains:
        if d.kind not in DOMAIN_KINDS:
            errors.append(f"Domain {d.id}: kind must be one of {', '.join(DOMAIN_KINDS)}")
    indicators: dict[str, Indicator] = {}
    for row in raw_indicators:
        ident = row.get("id", "?")
        try:
            indicator = Indicator(
                id=row["id"], domain=row["domain"], wording=row["wording"].strip(), weight=int(row["weight"]),
                weight_past=int(row.get("weight_past", row["weight"])), significant=bool(row.get("significant", False)),
                sources=tuple(row.get("sources", ())), applies_to=tuple(row.get("applies_to", EXPLOITATION_KINDS)),
                cin_factor=row.get("cin_factor"), disclosure=bool(row.get("disclosure", False)),
                risk_to_others=bool(row.get("risk_to_others", False)),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            errors.append(f"Indicator {ident}: {exc}")
            continue
        if not isinstance(indicator.id, str) or not INDICATOR_ID.match(indicator.id):
            errors.append(f"Indicator {ident}: the id must be 2 to 6 capital letters, a dash and 2 or 3 digits, for example ONL-05")
        if indicator.id in indicators:
            errors.append(f"Indicator {ident} appears twice")
        if indicator.domain not in domain_ids:
            errors.append(f"Indicator {ident}: unknown domain {indicator.domain!r}")
        elif domain_kinds[indicator.domain] != "risk" and (indicator.weight or indicator.weight_past or indicator.applies_to):
            errors.append(f"Indicator {ident}: strengths and harmful sexual behaviour carry no score: weights 0 and no applies_to")
        if indicator.weight < 0 or indicator.weight_past < 0 or indicator.weight_past > indicator.weight:
            errors.append(f"Indicator {ident}: weights must be 0 or more, and the past weight no more than the current one")
        if not indicator.wording:
            errors.append(f"Indicator {ident}: wording is empty")
        if set(indicator.applies_to) - set(EXPLOITATION_KINDS):
            errors.append(f"Indicator {ident}: applies_to must list only {', '.join(EXPLOITATION_KINDS)}")
        indicators[indicator.id] = indicator
    if errors:
        raise ValidationError(errors)
    return Catalogue(version=version, domains=domains, indicators=indicators, sources=dict(document.get("sources", {})))


@lru_cache(maxsize=1)
def _shipped_text() -> str:
    return SHIPPED_FILE.read_text(encoding="utf-8")


def shipped_document() -> dict:
    """The shipped version 1, as a fresh dict each time (callers may build on it)."""
    return json.loads(_shipped_text())


def catalogue_document(number: int | None = None) -> dict:
    """The JSON document of a published version (the newest when `number` is None), a copy."""
    from .models import CatalogueVersion

    _ensure_shipped_version()
    qs = CatalogueVersion.objects.order_by("-number")
    if number is not None:
        qs = qs.filter(number=number)
    document = qs.values_list("document", flat=True).first()
    if document is None:
        raise ValidationError(f"There is no version {number} of the indicator catalogue")
    return copy.deepcopy(document)


@lru_cache(maxsize=32)
def _parsed(number: int, serialised: str) -> Catalogue:
    return parse_catalogue(json.loads(serialised))


def _ensure_shipped_version():
    from .models import CatalogueVersion

    if not CatalogueVersion.objects.filter(number=1).exists():
        with transaction.atomic():
            CatalogueVersion.objects.get_or_create(number=1, defaults={"document": shipped_document(), "change_note": "Shipped with Lantern"})


def catalogue_version(number: int) -> Catalogue:
    from .models import CatalogueVersion

    _ensure_shipped_version()
    row = CatalogueVersion.objects.filter(number=number).values_list("document", flat=True).first()
    if row is None:
        raise ValidationError(f"There is no version {number} of the indicator catalogue")
    return _parsed(number, json.dumps(row, sort_keys=True))


def current_catalogue() -> Catalogue:
    from .models import CatalogueVersion

    _ensure_shipped_version()
    number, document = CatalogueVersion.objects.order_by("-number").values_list("number", "document").first()
    return _parsed(number, json.dumps(document, sort_keys=True))
