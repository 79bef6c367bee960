"""What the bench times, and the hand-written SQL it compares Lantern against.

Each group runs its measures interleaved, one repetition of each in turn with the same input
(query string or child), so a burst of load from elsewhere on the machine falls on Lantern and
on its SQL baseline alike. Warm-up repetitions run first and are not counted.
"""

import math
import random
import statistics
import time
from dataclasses import dataclass, field

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lantern.children.models import AccessPurpose, normalise_text
from lantern.children.selectors import access_child, child_page, children_visible_to, search_children

# Partial names as a practitioner types them: surname stems and fragments, first names, both.
# Some match early in the alphabet, some late, some are rare; the reps cycle through them.
SEARCHES = [
    "bracken", "wren", "amelia", "tansyshaw", "kestrelw", "lark", "ruby sedge", "thistle", "heron", "mia",
    "sorrelby", "nettle", "yarrowm", "owen", "fern", "pipit", "egret", "campionsh", "zara", "linnet",
    "gorse", "alderw", "jack rowan", "sandpiperh",
]


@dataclass
class Timing:
    name: str
    samples: list = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def run_interleaved(measures: dict, inputs: list, *, reps: int, warmup: int) -> dict[str, Timing]:
    """Call every measure once per repetition with the same input; time each with perf_counter."""
    timings = {name: Timing(name) for name in measures}
    for index in range(warmup + reps):
        value = inputs[index % len(inputs)]
        for name, measure in measures.items():
            started = time.perf_counter()
            measure(value)
            elapsed = (time.perf_counter() - started) * 1000
            if index >= warmup:
                timings[name].samples.append(elapsed)
    return timings


def count_queries(fn, value) -> int:
    with CaptureQueriesContext(connection) as captured:
        fn(value)
    return len(captured.captured_queries)


def signed_in_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- Search -------------------------------------------------------------------------------

def search_page(client: Client):
    def measure(q: str) -> None:
        response = client.get("/children/", {"q": q})
        if response.status_code != 200:
            raise RuntimeError(f"GET /children/?q={q} answered {response.status_code}")
    return measure


def search_selector(user):
    def measure(q: str) -> None:
        result = search_children(user, q)
        list(result.page)
    return measure


CHILD_LIST_COLUMNS = (
    "c.id, c.legal_first_name, c.legal_last_name, c.preferred_name, c.date_of_birth, c.sex, c.address_area, "
    "c.legal_status, c.closed_at"
)


def search_sql(user):
    """The search as one would write it by hand: name tokens with LIKE on search_name, the
    need-to-know EXISTS on an active involvement (left out for partnership-wide users), a count
    and the first page of up to 25 in name order. Two statements, like the selector's two, and
    in the same order: knowing the count first lets the page query stop at LIMIT min(25, count)
    (as Django's Paginator does), which matters when the page query walks the name index.
    Unlike the selector, it does not also look for emergency-access grants."""
    agency_ids = sorted(user.access.case_agency_ids)
    wide = user.access.is_partnership_wide

    def measure(q: str) -> None:
        tokens = normalise_text(q).split()
        where = " AND ".join(["c.search_name LIKE %s ESCAPE '\\'"] * len(tokens))
        params = [f"%{connection.ops.prep_for_like_query(token)}%" for token in tokens]
        if not wide:
            marks = ", ".join(["%s"] * len(agency_ids))
            where += (
                " AND EXISTS (SELECT 1 FROM children_involvement i WHERE i.child_id = c.id"
                f" AND i.agency_id IN ({marks}) AND i.ended_on IS NULL)"
            )
            params += agency_ids
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM children_child c WHERE {where}", params)
            total = cursor.fetchone()[0]
            if total:
                cursor.execute(
                    f"SELECT {CHILD_LIST_COLUMNS} FROM children_child c WHERE {where}"
                    " ORDER BY c.legal_last_name, c.legal_first_name, c.id LIMIT %s",
                    [*params, min(25, total)],
                )
                cursor.fetchall()
    return measure


# --- Child page ---------------------------------------------------------------------------

def child_page_view(client: Client):
    def measure(child_id: int) -> None:
        response = client.get(f"/children/{child_id}/")
        if response.status_code != 200:
            raise RuntimeError(f"GET /children/{child_id}/ answered {response.status_code}")
    return measure


def child_data_layer(user):
    """What the `detail` view asks of the selectors, every list materialised."""
    def measure(child_id: int) -> None:
        child = access_child(user, child_id, purpose=AccessPurpose.PAGE, path=f"/children/{child_id}/")
        page = child_page(user, child)
        list(page.events)
        if page.access_log is not None:
            list(page.access_log)
    return measure


def child_sql_reads(child_id: int) -> None:
    """The issue's baseline: the child's row, its involvements with agency (and professional)
    names, its identifiers and its 20 latest timeline events. Four statements."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM children_child WHERE id = %s", [child_id])
        cursor.fetchone()
        cursor.execute(
            "SELECT i.*, a.name, u.full_name FROM children_involvement i"
            " JOIN partnership_agency a ON a.id = i.agency_id"
            " LEFT JOIN partnership_user u ON u.id = i.professional_id"
            " WHERE i.child_id = %s ORDER BY i.is_lead DESC, a.name, i.started_on",
            [child_id],
        )
        cursor.fetchall()
        cursor.execute("SELECT * FROM children_childidentifier WHERE child_id = %s ORDER BY kind, created_at DESC", [child_id])
        cursor.fetchall()
        cursor.execute(
            "SELECT e.*, a.name FROM children_timelineevent e LEFT JOIN partnership_agency a ON a.id = e.agency_id"
            " WHERE e.child_id = %s ORDER BY e.occurred_at DESC, e.id DESC LIMIT 20",
            [child_id],
        )
        cursor.fetchall()


def child_sql_equivalent(user):
    """Everything the data layer does, hand-written: the child's row only if the user may see
    it (need to know), the four reads above plus the timeline count (for the pager), open
    alerts and, for partnership-wide users, the access log; and the access-log INSERT with the
    user's agency names, in autocommit like the ORM's. Seven or eight statements."""
    agency_ids = sorted(user.access.case_agency_ids)
    all_agency_ids = sorted(user.access.agency_ids)
    wide = user.access.is_partnership_wide
    hub = user.access.is_hub

    def measure(child_id: int) -> None:
        with connection.cursor() as cursor:
            if wide:
                cursor.execute("SELECT * FROM children_child WHERE id = %s", [child_id])
            else:
                marks = ", ".join(["%s"] * len(agency_ids))
                cursor.execute(
                    "SELECT * FROM children_child c WHERE c.id = %s AND EXISTS (SELECT 1 FROM children_involvement i"
                    f" WHERE i.child_id = c.id AND i.agency_id IN ({marks}) AND i.ended_on IS NULL)",
                    [child_id, *agency_ids],
                )
            if cursor.fetchone() is None:
                raise RuntimeError(f"child {child_id} is not visible")
            marks = ", ".join(["%s"] * len(all_agency_ids))
            cursor.execute(
                "INSERT INTO children_accesslogentry (child_id, user_id, at, purpose, path, agency_names, break_glass_id)"
                " SELECT %s, %s, %s, %s, %s, COALESCE(group_concat(name, ', '), ''), NULL"
                f" FROM (SELECT name FROM partnership_agency WHERE id IN ({marks}) ORDER BY name)",
                [child_id, user.pk, connection.ops.adapt_datetimefield_value(timezone.now()), AccessPurpose.PAGE, f"/children/{child_id}/", *all_agency_ids],
            )
        child_sql_reads(child_id)
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM children_timelineevent WHERE child_id = %s", [child_id])
            cursor.fetchone()
            cursor.execute(
                "SELECT * FROM standards_alert WHERE child_id = %s AND resolved_at IS NULL"
                + ("" if hub else " AND audience = 'involved'") + " ORDER BY due_on, raised_at DESC",
                [child_id],
            )
            cursor.fetchall()
            if wide:
                cursor.execute(
                    "SELECT l.*, u.full_name FROM children_accesslogentry l JOIN partnership_user u ON u.id = l.user_id"
                    " WHERE l.child_id = %s ORDER BY l.at DESC LIMIT 15",
                    [child_id],
                )
                cursor.fetchall()
    return measure


def children_to_open(user, *, count: int, seed: int) -> list[int]:
    """Children `user` may see, some with long timelines, in a fixed random order."""
    ids = list(children_visible_to(user).order_by("pk").values_list("pk", flat=True))
    rng = random.Random(seed)
    return rng.sample(ids, k=min(count, len(ids)))


def fixed(measure, value):
    """`measure` always called with `value`, whatever the repetition's input: for a group whose
    measures each have their own input (the busy child and the quiet child)."""
    return lambda _: measure(value)


# --- Screening submission -----------------------------------------------------------------

def screening_submission(user, agency, children: dict):
    """`submit_screening` as the screening form's view calls it, for one of the children the
    user's agency works with (loaded beforehand, as the view does): the permission checks, the
    catalogue, scoring, the screening and its indicator rows, the timeline event, the hub's
    notification and, after the commit, the email task."""
    from lantern.risk.catalogue import current_catalogue
    from lantern.risk.services import submit_screening

    from .data import SUBMISSION_INDICATORS, SUBMISSION_STRENGTHS, SUBMISSION_TEXT

    version = current_catalogue().version

    def measure(child_id: int) -> None:
        submit_screening(
            by=user, child=children[child_id], agency=agency, indicators=SUBMISSION_INDICATORS,
            strengths=SUBMISSION_STRENGTHS, expected_catalogue_version=version, **SUBMISSION_TEXT,
        )
    return measure


def screening_sql(user, agency, children: dict):
    """The baseline: the same screening written by hand, one `INSERT` for the screening row and
    one for its 8 indicator rows, in one transaction (`BEGIN IMMEDIATE` … `COMMIT`, as the
    service's). The values the service works out (scores, suggestions, the wording and weight of
    each indicator) are worked out once beforehand; no checks, no timeline, no notification."""
    import json

    from django.db import transaction

    from lantern.children.models import Disability
    from lantern.core.dates import age_on
    from lantern.risk import scoring
    from lantern.risk.catalogue import current_catalogue

    from .data import SUBMISSION_INDICATORS, SUBMISSION_STRENGTHS, SUBMISSION_TEXT

    catalogue = current_catalogue()
    seen = [scoring.Seen(indicator=catalogue.indicator(i), when=w) for i, w, _ in SUBMISSION_INDICATORS]
    indicator_rows = []
    for item, (_, _, evidence) in zip(seen, SUBMISSION_INDICATORS):
        ind = item.indicator
        indicator_rows.append([
            ind.id, item.when, evidence, ind.wording, ind.domain, catalogue.domain(ind.domain).label, item.score,
            json.dumps(list(ind.applies_to)), ind.significant,
        ])
    strengths = json.dumps([{"id": i, "wording": catalogue.indicator(i).wording} for i in SUBMISSION_STRENGTHS])
    today = timezone.localdate()
    outcomes = {
        pk: scoring.score(seen, disabled=child.disability == Disability.YES, learning_disability=child.learning_disability,
                          age=age_on(child.date_of_birth, today))
        for pk, child in children.items()
    }
    screening_sql_text = (
        "INSERT INTO risk_screening (version, created_at, updated_at, child_id, agency_id, screened_by_id, screened_at,"
        " catalogue_version, strengths, strengths_note, childs_views, analysis, score_sexual, score_criminal,"
        " suggested_sexual, suggested_criminal, disability_added, disclosure, risk_to_others, must_refer_to_social_care,"
        " social_care_referral_reason, referred_to_social_care, referral_confirmed_at, referral_confirmed_by_id)"
        " VALUES (1, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, 0, NULL, NULL)"
    )
    indicator_sql_text = (
        "INSERT INTO risk_screeningindicator (screening_id, indicator_id, \"when\", evidence, wording, domain, domain_label,"
        " weight, applies_to, significant) VALUES " + ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"] * len(indicator_rows))
    )

    def measure(child_id: int) -> None:
        o = outcomes[child_id]
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(screening_sql_text, [
                now, now, child_id, agency.pk, user.pk, now, catalogue.version, strengths, SUBMISSION_TEXT["strengths_note"],
                SUBMISSION_TEXT["childs_views"], SUBMISSION_TEXT["analysis"], o.scores["sexual"], o.scores["criminal"],
                o.suggested["sexual"], o.suggested["criminal"], o.disability_added, o.disclosure, o.risk_to_others,
                o.must_refer_to_social_care, o.referral_reason,
            ])
            screening_id = cursor.lastrowid
            cursor.execute(indicator_sql_text, [value for row in indicator_rows for value in (screening_id, *row)])
    return measure
