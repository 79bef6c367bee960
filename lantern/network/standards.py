"""Rules of the standards engine that watch the network (F02).

F02: the audits found perpetrators named in children's records but never linked to them, so the
other agencies never knew. A child's records *mention an alleged perpetrator* when any of these
holds (docs/decisions/0018-the-network.md):

(a) a return interview names people: its "people and places named" is not blank;
(b) a screening records an indicator that points to an adult or a perpetrator, current or in the
    last 12 months: one of `PERPETRATOR_INDICATORS`;
(c) one of the words of `PERPETRATOR_WORDS` ("alleged perpetrator", "perpetrator", "suspect"),
    as a whole word (or its plural), in any case, is in a referral's concern, a screening's
    analysis, a return interview's account or disclosures, or the discussion of a meeting item
    about the child.

The child raises the alert while their record is open, such a mention exists, and no live link
joins the child to any person of concern. Any live link to a person at all clears it: the
rule cannot tell which person a mention means, and asks only that someone was linked.
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import Q

from lantern.core.dates import long_date
from lantern.standards.models import Audience, Severity
from lantern.standards.registry import AlertSpec, rule

from .models import Link, NodeKind

# Indicators of catalogue v1 whose wording points to an adult (or others) exploiting the child.
# Left out on purpose: CRIM-05 "Associates with a gang" (often peers of the child's own age) and
# ONL-01 "Worrying phone or internet use, or contact with unknown adults online" (either half
# may be true without any adult).
PERPETRATOR_INDICATORS = (
    "SEX-01",  # Relationship with a controlling or much older partner
    "SEX-02",  # Gets into cars or taxis with adults they do not know
    "SEX-08",  # Unknown adults call, visit or collect them
    "TRF-01",  # Moved around the country or into the UK by others
)
PERPETRATOR_WORDS = ("alleged perpetrator", "perpetrator", "suspect")
# Whole words, in any case, and their plurals ("perpetrators", "suspects"); not "suspected" or
# "suspicious". "alleged perpetrator" comes first, so the longer phrase is the one reported. \b
# is a word boundary in Python: the text is narrowed in the database with icontains (the same on
# SQLite and PostgreSQL) and the whole-word test is made here, so both databases agree.
WORDS = re.compile(r"\b(alleged\s+perpetrators?|perpetrators?|suspects?)\b", re.IGNORECASE)
# Every word above contains one of these, so icontains on them finds every candidate.
_NARROW = ("perpetrator", "suspect")


def _contains_a_word(*fields: str) -> Q:
    q = Q()
    for field in fields:
        for stem in _NARROW:
            q |= Q(**{f"{field}__icontains": stem})
    return q


def _word_in(*texts: str) -> str:
    """The first of the words found in the texts, lower case, or ''."""
    for text in texts:
        match = WORDS.search(text or "")
        if match:
            return " ".join(match.group(1).lower().split())
    return ""


@dataclass(frozen=True)
class Mention:
    child_id: int
    at: dt.datetime
    what: str  # "The return interview of 3 March 2026 names people"
    record: tuple  # (kind of record, id): which record; also the tie-break, so the message is stable


def _date(value: dt.datetime | None) -> str:
    return long_date(value) if value is not None else "an unknown date"


def mentions() -> list[Mention]:
    """Every mention of an alleged perpetrator in the records of children whose record is open.
    Five queries, whatever the number of children."""
    from lantern.meetings.models import AgendaItem
    from lantern.missing.models import ReturnInterview
    from lantern.referrals.models import Referral
    from lantern.risk.models import Screening, ScreeningIndicator

    found: list[Mention] = []
    # (a) and (c): return interviews.
    rows = (
        ReturnInterview.objects.filter(episode__child__closed_at__isnull=True)
        .filter(~Q(people_and_places="") | _contains_a_word("childs_account", "disclosures"))
        .values_list("pk", "episode__child_id", "held_at", "episode__returned_at", "people_and_places", "childs_account", "disclosures")
    )
    for pk, child_id, held_at, returned_at, people, account, disclosures in rows:
        at = held_at or returned_at
        if people.strip():
            found.append(Mention(child_id, at, f"The return interview of {_date(at)} names people", ("interview", pk)))
        elif word := _word_in(account, disclosures):
            found.append(Mention(child_id, at, f'The return interview of {_date(at)} mentions "{word}"', ("interview", pk)))
    # (b): screening indicators that point to an adult or a perpetrator.
    rows = (
        ScreeningIndicator.objects.filter(indicator_id__in=PERPETRATOR_INDICATORS, screening__child__closed_at__isnull=True)
        .values_list("screening_id", "screening__child_id", "screening__screened_at", "wording", "indicator_id")
    )
    for pk, child_id, at, wording, indicator_id in rows:
        found.append(Mention(child_id, at, f'The screening of {_date(at)} records "{wording}"', ("screening", pk, indicator_id)))
    # (c): the words in a screening's analysis, a referral's concern and a meeting item's discussion.
    rows = Screening.objects.filter(child__closed_at__isnull=True).filter(_contains_a_word("analysis")).values_list(
        "pk", "child_id", "screened_at", "analysis"
    )
    for pk, child_id, at, analysis in rows:
        if word := _word_in(analysis):
            found.append(Mention(child_id, at, f'The analysis in the screening of {_date(at)} mentions "{word}"', ("screening", pk, "")))
    rows = Referral.objects.filter(child__closed_at__isnull=True).filter(_contains_a_word("concern")).values_list(
        "pk", "child_id", "received_at", "concern"
    )
    for pk, child_id, at, concern in rows:
        if word := _word_in(concern):
            found.append(Mention(child_id, at, f'The referral of {_date(at)} mentions "{word}"', ("referral", pk)))
    rows = (
        AgendaItem.objects.filter(child__isnull=False, child__closed_at__isnull=True, removed_at__isnull=True)
        .filter(_contains_a_word("discussion"))
        .values_list("pk", "child_id", "meeting__starts_at", "discussion")
    )
    for pk, child_id, at, discussion in rows:
        if word := _word_in(discussion):
            found.append(Mention(child_id, at, f'The discussion at the meeting of {_date(at)} mentions "{word}"', ("meeting", pk)))
    return found


def children_linked_to_a_person() -> set[int]:
    """Children with a live link to any person of concern. One query."""
    rows = Link.objects.filter(ended_at__isnull=True).filter(
        Q(a__kind=NodeKind.CHILD, b__kind=NodeKind.PERSON) | Q(a__kind=NodeKind.PERSON, b__kind=NodeKind.CHILD)
    ).values_list("a__child_id", "b__child_id")
    return {a or b for a, b in rows}


_EPOCH = dt.datetime.min.replace(tzinfo=dt.timezone.utc)


@rule(
    id="F02.perpetrator-not-linked",
    finding="F02",
    title="Alleged perpetrator not linked",
    severity=Severity.WARNING,
    audience=Audience.INVOLVED,
)
def perpetrator_not_linked(today):
    """A child whose open record mentions an alleged perpetrator (a return interview naming
    people, a screening indicator pointing to an adult, or the words in a referral, a screening's
    analysis, a return interview or a meeting item) while no person of concern is linked to them.
    The message names the latest mention. Six queries."""
    linked = children_linked_to_a_person()
    by_child: dict[int, list[Mention]] = {}
    for mention in mentions():
        if mention.child_id not in linked:
            by_child.setdefault(mention.child_id, []).append(mention)
    for child_id in sorted(by_child):
        found = sorted(by_child[child_id], key=lambda m: (m.at or _EPOCH, m.record), reverse=True)
        others = len({m.record[:2] for m in found} - {found[0].record[:2]})
        more = f" (and {others} other record{'s' if others != 1 else ''})" if others else ""
        yield AlertSpec(
            key=f"child:{child_id}",
            child_id=child_id,
            message=f"{found[0].what}{more}, but no person of concern is linked to the child. Link them, so every agency can see it."[:500],
        )
