"""The pages of the network. Thin: reads through selectors, writes through services.

Who sees what (see rules.py): the network's own pages (the index, profiles, the network view,
shared persons, groups and hotspots) are for the police and the exploitation hub, and "not found"
to everyone else. Anyone working with a child may link the child to a person or place from the
child's page, recording a new person of concern or place there and then; they see afterwards
that the child is linked and what agencies must do, not the intelligence behind it.
"""

import csv
import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.views.decorators.http import require_http_methods

from lantern.children.models import AccessPurpose
from lantern.children.selectors import access_child, search_children
from lantern.core.context_processors import user_sees_intelligence
from lantern.core.dates import local_today
from lantern.core.views import download, run_service

from . import selectors, services
from .forms import (
    NEW_PERSON, NEW_PLACE, BusinessForm, ChildLinkForm, DisruptionForm, EndLinkForm, LocationForm, NetworkFilterForm, NodeLinkForm,
    PeriodForm, EditPersonForm, PersonForm, SearchForm, VehicleForm,
)
from .models import IntelligenceAssessment, Link, LinkType, Node, NodeKind, SourceEvaluation, SourceRecord

NOT_ALLOWED_TO_LINK = "You can link only a child your agency works with."
SEARCH_LIMIT = 25
PATHS_SHOWN = 50  # the chains of links written out in a group; the network view around a child shows the rest

# Which end of a link is written first (see _graph_page).
READING_ORDER = {NodeKind.PERSON: 0, NodeKind.CHILD: 1, NodeKind.VEHICLE: 2, NodeKind.BUSINESS: 3, NodeKind.LOCATION: 4}

# How each kind of link reads in the middle of a path between two children (the link has no direction).
PATH_WORDS = {
    LinkType.ASSOCIATES: "associates with", LinkType.SEEN_WITH: "seen with", LinkType.EXPLOITS: "suspected of exploiting",
    LinkType.SUPPLIES: "supplies drugs", LinkType.FOUND_AT: "found at", LinkType.FREQUENTS: "goes to", LinkType.LIVES_AT: "lives at",
    LinkType.WORKS_AT: "works at", LinkType.DRIVES: "drives", LinkType.REGISTERED_TO: "registered to", LinkType.PEER: "friends with",
    LinkType.CONTACTS_ONLINE: "contacts online", LinkType.OTHER: "linked to",
}


# Access -------------------------------------------------------------------------------------------


def _intelligence(request) -> None:
    """The network's own pages are "not found" to anyone but the police and the hub."""
    if not user_sees_intelligence(request.user):
        raise Http404("Not found")


def _node(request, node_id) -> Node:
    return selectors.access_node(request.user, node_id, path=request.path)


def _agency_ids(user) -> frozenset:
    return user.access.case_agency_ids | user.access.hub_agency_ids


def _node_url(node_id: int, kind: str, child_id: int | None) -> str:
    if kind == NodeKind.CHILD:
        return reverse("children:detail", args=[child_id])
    return reverse("network:profile", args=[node_id])


def _grading(source_evaluation: str, intelligence_assessment: str) -> str:
    return f"{SourceEvaluation(source_evaluation).label}; {IntelligenceAssessment(intelligence_assessment).label}"


# The index and the records -------------------------------------------------------------------------


@login_required
def index(request):
    _intelligence(request)
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    results = selectors.search_records(request.user, query, limit=SEARCH_LIMIT) if query else None
    return render(request, "network/index.html", {"form": form, "query": query, "results": results, "limit": SEARCH_LIMIT})


def _record_page(request, form_class, *, heading: str, button: str, call, done: str, initial=None):
    _intelligence(request)
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        record = run_service(form, lambda: call(form.cleaned_data))
        if record is not None:
            messages.success(request, done)
            return redirect("network:profile", record.node_id)
    return render(request, "network/form.html", {
        "form": form, "heading": heading, "button": button, "back_url": reverse("network:index"), "back_text": "Back to people and places",
    })


@login_required
def record_person(request):
    return _record_page(
        request, PersonForm, heading="Record a person of concern", button="Save the person",
        initial={"name": request.GET.get("name", "")[:200]},
        call=lambda data: services.record_person(by=request.user, **data), done="The person of concern has been recorded",
    )


@login_required
def record_location(request):
    return _record_page(
        request, LocationForm, heading="Record a place", button="Save the place", initial={"name": request.GET.get("name", "")[:200]},
        call=lambda data: services.record_location(by=request.user, **data), done="The place has been recorded",
    )


@login_required
def record_vehicle(request):
    return _record_page(
        request, VehicleForm, heading="Record a vehicle", button="Save the vehicle",
        call=lambda data: services.record_vehicle(by=request.user, **data), done="The vehicle has been recorded",
    )


@login_required
def record_business(request):
    return _record_page(
        request, BusinessForm, heading="Record a business", button="Save the business", initial={"name": request.GET.get("name", "")[:200]},
        call=lambda data: services.record_business(by=request.user, **data), done="The business has been recorded",
    )


def _details(node: Node):
    """The person, location, vehicle or business behind a node (one query)."""
    for name in ("person", "location", "vehicle", "business"):
        if node.kind == name:
            return getattr(node, name, None)
    return None


@login_required
def profile(request, node_id: int):
    """Everything about a person, place, vehicle or business: the details, every link over time,
    the ended links and the disruption against them."""
    node = _node(request, node_id)
    page = selectors.profile(node)
    return render(request, "network/profile.html", {
        **page, "details": _details(node),
    })


@login_required
def edit_person(request, node_id: int):
    node = _node(request, node_id)
    person = _details(node)
    if node.kind != NodeKind.PERSON or person is None:
        raise Http404("Not found")
    initial = {name: getattr(person, name) for name in EditPersonForm.base_fields}
    form = EditPersonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        version = fields.pop("version")
        if run_service(form, lambda: services.update_person(by=request.user, person=person, expected_version=version, **fields)) is not None:
            messages.success(request, "The person's details have been saved")
            return redirect("network:profile", node.pk)
    return render(request, "network/form.html", {
        "form": form, "heading": f"Change {person.name}'s details", "button": "Save changes", "caption": "Person of concern",
        "back_url": reverse("network:profile", args=[node.pk]), "back_text": f"Back to {person.name}",
    })


@login_required
def record_disruption(request, node_id: int):
    node = _node(request, node_id)
    form = DisruptionForm(request.POST or None, agency_ids=_agency_ids(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if run_service(form, lambda: services.record_disruption(
            by=request.user, node=node, kind=data["kind"], happened_on=data["happened_on"], description=data["description"],
            outcome=data["outcome"], result=data["result"], agency=data.get("source_agency"),
        )) is not None:
            messages.success(request, "The disruption has been recorded")
            return redirect("network:profile", node.pk)
    return render(request, "network/form.html", {
        "form": form, "heading": "Record disruption", "button": "Save the disruption", "caption": node.label,
        "back_url": reverse("network:profile", args=[node.pk]), "back_text": f"Back to {node.label}",
    })


@login_required
@require_http_methods(["GET", "POST"])
def end_link(request, link_id: int):
    """End a link found to be wrong or no longer relevant (police and hub). The link is kept."""
    _intelligence(request)
    try:
        link = Link.objects.select_related("a", "b").get(pk=int(link_id))
    except (Link.DoesNotExist, ValueError, TypeError):
        raise Http404("Not found") from None
    ends = [n for n in (link.a, link.b) if n.kind != NodeKind.CHILD]
    back = ends[0] if ends else None
    if back is not None:
        _node(request, back.pk)  # the view of the record is logged
    back_url = reverse("network:profile", args=[back.pk]) if back else reverse("network:index")
    if link.ended_at is not None:
        messages.error(request, "This link has already ended")
        return redirect(back_url)
    form = EndLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if run_service(form, lambda: services.end_link(by=request.user, link=link, reason=form.cleaned_data["reason"])) is not None:
            messages.success(request, "The link has been ended. It is kept, but no longer drawn")
            return redirect(back_url)
    return render(request, "network/end_link.html", {"form": form, "link": link, "back_url": back_url})


# Linking -------------------------------------------------------------------------------------------


def _prefill(request) -> dict:
    """Where the information comes from, passed by the page that offers linking there and then
    (?source=return_interview&detail=...&name=...)."""
    source = request.GET.get("source", "")
    initial = {"source_record": source if source in SourceRecord.values else None, "source_detail": request.GET.get("detail", "")[:300]}
    name = request.GET.get("name", "")[:200]
    if name:
        initial.update(person_name=name, place_name=name, q=name)
    return initial


def _renamed(exc: ValidationError, prefix: str) -> ValidationError:
    """A record service's errors, named as the form's fields for the new record."""
    if hasattr(exc, "error_dict"):
        return ValidationError({f"{prefix}{field}": errors for field, errors in exc.error_dict.items()})
    return exc


def _new_record(request, data):
    try:
        if data["record"] == NEW_PERSON:
            return services.record_person(by=request.user, name=data["person_name"], estimated_age=data["person_estimated_age"],
                                          description=data["person_description"]).node
        return services.record_location(by=request.user, name=data["place_name"], kind=data["place_kind"], address=data["place_address"]).node
    except ValidationError as exc:
        raise _renamed(exc, "person_" if data["record"] == NEW_PERSON else "place_") from None


@login_required
def link_child(request, child_id: int):
    """Link a child to a person or place. The police and the hub search the records; anyone
    working with the child may record a new person of concern or place, and link the child to it."""
    child = access_child(request.user, child_id, purpose=AccessPurpose.PAGE, path=request.path)
    full = user_sees_intelligence(request.user)
    if not (full or child.user_may_edit):  # child.user_may_edit: the answer of rules.can_link_child, already worked out
        raise PermissionDenied(f"{NOT_ALLOWED_TO_LINK} The police and the exploitation hub link other records.")
    data = request.POST or None
    query = (request.POST.get("q") if data else request.GET.get("q", request.GET.get("name", ""))) or ""
    results = selectors.search_records(request.user, query, limit=SEARCH_LIMIT) if full and query.strip() else []
    form = ChildLinkForm(data, results=results, agency_ids=_agency_ids(request.user), initial={**_prefill(request), "q": query})
    if request.method == "POST" and form.is_valid():
        cleaned = form.cleaned_data

        def save():
            with transaction.atomic():  # a new person or place is kept only with its link
                if cleaned["record"] in (NEW_PERSON, NEW_PLACE):
                    other = _new_record(request, cleaned)
                else:
                    other = next(node for node in results if str(node.pk) == cleaned["record"])
                return services.link(by=request.user, a=services.node_for_child(child), b=other, **form.link_data())

        if run_service(form, save) is not None:
            messages.success(request, f"{child.display_name} has been linked. Everyone working with {child.display_name} sees the link "
                                      "and what agencies must do; only the police and the hub see the intelligence")
            return redirect("children:detail", child.pk)
    return render(request, "network/link_child.html", {
        "form": form, "child": child, "full": full, "query": query, "results": results,
        "back_url": reverse("children:detail", args=[child.pk]),
    })


@login_required
def link_node(request, node_id: int):
    """Link a person, place, vehicle or business to another record (police and hub)."""
    node = _node(request, node_id)
    data = request.POST or None
    query = ((request.POST.get("q") if data else request.GET.get("q")) or "").strip()
    nodes, children = [], []
    if query:
        nodes = [n for n in selectors.search_records(request.user, query, limit=SEARCH_LIMIT) if n.pk != node.pk]
        children = list(search_children(request.user, query).page)
    form = NodeLinkForm(data, nodes=nodes, children=children, agency_ids=_agency_ids(request.user),
                        initial={**_prefill(request), "q": query})
    if request.method == "POST" and form.is_valid():
        kind, _, pk = form.cleaned_data["record"].partition(":")

        def save():
            with transaction.atomic():
                if kind == "child":
                    child = access_child(request.user, pk, purpose=AccessPurpose.PAGE, path=request.path)
                    other = services.node_for_child(child)
                else:
                    other = next(n for n in nodes if str(n.pk) == pk)
                return services.link(by=request.user, a=node, b=other, **form.link_data())

        if run_service(form, save) is not None:
            messages.success(request, "The link has been recorded")
            return redirect("network:profile", node.pk)
    return render(request, "network/link_node.html", {
        "form": form, "node": node, "query": query, "nodes": nodes, "children": children,
        "back_url": reverse("network:profile", args=[node.pk]),
    })


# The network view (F29) ------------------------------------------------------------------------------


def _graph_page(request, *, centre: Node | None, title: str, caption: str, back_url: str, back_text: str, child=None):
    form = NetworkFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    depth = filters.get("depth") or 2
    if centre is not None:
        graph = selectors.neighbourhood(
            centre.pk, depth=depth, link_types=filters.get("link_types") or None, since=filters.get("since"), until=filters.get("until"),
            grades=set(filters.get("grades") or ()) or None,
        )
        node_rows, link_rows, truncated = graph.nodes, graph.links, graph.truncated
        # The centre's read is logged already (the child's by access_child, a record's by access_node).
        selectors.log_reads(request.user, node_rows, path=request.path, exclude=centre.pk)
    else:  # a child with no links yet
        node_rows, link_rows, truncated = [], [], False
    nodes = [
        {"id": f"n{n.pk}", "label": n.label, "kind": n.kind, "kindLabel": n.get_kind_display(), "url": _node_url(n.pk, n.kind, n.child_id),
         "centre": centre is not None and n.pk == centre.pk}
        for n in node_rows
    ]
    if centre is None and child is not None:
        nodes = [{"id": "child", "label": child.display_name, "kind": NodeKind.CHILD, "kindLabel": NodeKind.CHILD.label,
                  "url": reverse("children:detail", args=[child.pk]), "centre": True}]
    labels = {n["id"]: n["label"] for n in nodes}
    kinds = {n["id"]: n["kind"] for n in nodes}
    links = []
    for pk, a, b, link_type, assessment, evaluation, first_seen, last_seen in sorted(link_rows, key=lambda r: (r[7] or dt.date.min, r[0]), reverse=True):
        # A link has no direction: it reads best with the person first and the place last ("Dev supplies drugs or alcohol to Ruby").
        source, target = sorted((f"n{a}", f"n{b}"), key=lambda end: READING_ORDER.get(kinds.get(end), 9))
        links.append({
            "id": f"l{pk}", "source": source, "target": target, "sourceLabel": labels.get(source, ""), "targetLabel": labels.get(target, ""),
            "type": link_type, "typeLabel": LinkType(link_type).label, "grade": f"{evaluation}{assessment}", "grading": _grading(evaluation, assessment),
            "firstSeen": first_seen.isoformat() if first_seen else "", "lastSeen": last_seen.isoformat() if last_seen else "",
            "firstSeenText": date_format(first_seen, "j M Y") if first_seen else "Not recorded",
            "lastSeenText": date_format(last_seen, "j M Y") if last_seen else "Not recorded",
        })
    data = {"nodes": nodes, "links": links, "centre": next((n["id"] for n in nodes if n["centre"]), None)}
    return render(request, "network/view.html", {
        "form": form, "data": data, "nodes": nodes, "links": links, "truncated": truncated, "title": title, "caption": caption,
        "back_url": back_url, "back_text": back_text, "depth": depth,
    })


@login_required
def node_view(request, node_id: int):
    node = _node(request, node_id)
    return _graph_page(request, centre=node, title=f"Network around {node.label}", caption=node.get_kind_display(),
                       back_url=reverse("network:profile", args=[node.pk]), back_text=f"Back to {node.label}")


@login_required
def child_view(request, child_id: int):
    # Checked before the child is fetched, so a refused look is not logged as a read of the child.
    child = access_child(request.user, child_id, purpose=AccessPurpose.PAGE, path=request.path,
                         require=lambda user, _child: user_sees_intelligence(user))
    try:
        centre = child.network_node
    except Node.DoesNotExist:
        centre = None
    return _graph_page(request, centre=centre, title=f"Network around {child.display_name}", caption="Child", child=child,
                       back_url=reverse("children:detail", args=[child.pk]), back_text=f"Back to {child.display_name}")


# Shared persons and groups (F29) ---------------------------------------------------------------------


@login_required
def shared(request):
    _intelligence(request)
    found = selectors.shared_persons()
    selectors.log_reads(request.user, [selectors.Shown(s.person.node_id, NodeKind.PERSON) for s in found] + [n for s in found for n in s.children],
                        path=request.path)
    return render(request, "network/shared.html", {"shared": found})


@login_required
def groups(request):
    """Groups of children connected through common persons of concern and vehicles (and places and
    businesses, when asked), with the path joining each child to the next written out."""
    _intelligence(request)
    with_places = request.GET.get("places") == "1"
    through = {NodeKind.PERSON, NodeKind.VEHICLE} | ({NodeKind.LOCATION, NodeKind.BUSINESS} if with_places else set())
    found = selectors.groups_of_children(through=through)
    selectors.log_reads(request.user, [node for group in found for node in group.nodes], path=request.path)
    paths = []
    for group in found:
        adjacent = selectors.adjacency(group.edges)
        shown = group.children[:PATHS_SHOWN + 1]
        paths.append([(first, second, selectors.shortest_path(group.edges, first.pk, second.pk, adjacent=adjacent))
                      for first, second in zip(shown, shown[1:])])
    link_types = selectors.latest_link_types({pair for pairs in paths for *_, path in pairs for pair in zip(path, path[1:])})
    rows = []
    for group, pairs in zip(found, paths):
        names = {n.pk: (n.child.display_name if n.child_id else n.label) for n in group.nodes}
        written = []
        for first, second, path in pairs:
            words = [names.get(path[0], "")] if path else []
            for here, there in zip(path, path[1:]):
                words += [PATH_WORDS.get(link_types.get((min(here, there), max(here, there))), "linked to"), names.get(there, "")]
            written.append({"first": first, "second": second, "text": " — ".join(words)})
        rows.append({"group": group, "paths": written, "others": [n for n in group.nodes if n.kind != NodeKind.CHILD],
                     "paths_left_out": max(0, len(group.children) - 1 - len(written))})
    return render(request, "network/groups.html", {"groups": rows, "with_places": with_places})


# Hotspots (F30) ------------------------------------------------------------------------------------


def _year_ago(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _period(request):
    form = PeriodForm(request.GET or None)
    today = local_today()
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    until = data.get("until") or today
    since = data.get("since") or _year_ago(until)
    if since > until:
        since = _year_ago(until)
    return form, since, until


def _place(node: Node):
    return getattr(node, "location", None) if node.kind == NodeKind.LOCATION else getattr(node, "business", None)


def _hotspot_rows(request, since, until, *, purpose=AccessPurpose.PAGE) -> list[dict]:
    """The ranked places, with the read of each logged."""
    rows = []
    spots = selectors.hotspots(since=since, until=until)
    selectors.log_reads(request.user, [spot.node for spot in spots], path=request.get_full_path(), purpose=purpose)
    for rank, spot in enumerate(spots, start=1):
        place = _place(spot.node)
        latitude = getattr(place, "latitude", None)
        longitude = getattr(place, "longitude", None)
        rows.append({
            "rank": rank, "node": spot.node, "name": spot.node.label, "kind": place.get_kind_display() if place else spot.node.get_kind_display(),
            "address": getattr(place, "address", ""), "latitude": latitude, "longitude": longitude,
            "has_coordinates": latitude is not None and longitude is not None,
            "children": spot.children, "episodes": spot.episodes, "recent_links": spot.recent_links,
        })
    return rows


@login_required
def hotspots(request):
    _intelligence(request)
    form, since, until = _period(request)
    rows = _hotspot_rows(request, since, until)
    query = _period_query(since, until)
    if not form.is_bound:
        form = PeriodForm(initial={"since": since, "until": until})
    return render(request, "network/hotspots.html", {
        "form": form, "rows": rows, "since": since, "until": until, "query": query,
        "without_coordinates": sum(1 for row in rows if not row["has_coordinates"]),
    })


@login_required
def hotspots_csv(request):
    _intelligence(request)
    _form, since, until = _period(request)
    response = download(filename=f"hotspots-{since:%Y-%m-%d}-to-{until:%Y-%m-%d}.csv", content_type="text/csv; charset=utf-8")
    writer = csv.writer(response)
    writer.writerow(["rank", "name", "kind", "address", "latitude", "longitude", "children", "episodes", "recent_links"])
    for row in _hotspot_rows(request, since, until, purpose=AccessPurpose.EXPORT):
        writer.writerow([row["rank"], row["name"], row["kind"], row["address"], "" if row["latitude"] is None else row["latitude"],
                         "" if row["longitude"] is None else row["longitude"], row["children"], row["episodes"], row["recent_links"]])
    return response


@login_required
def hotspots_geojson(request):
    """The hotspots with coordinates, as a GeoJSON FeatureCollection for the partnership's mapping tools."""
    _intelligence(request)
    _form, since, until = _period(request)
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [float(row["longitude"]), float(row["latitude"])]},
            "properties": {"rank": row["rank"], "name": row["name"], "kind": row["kind"], "children": row["children"],
                           "episodes": row["episodes"], "recent_links": row["recent_links"]},
        }
        for row in _hotspot_rows(request, since, until, purpose=AccessPurpose.EXPORT) if row["has_coordinates"]
    ]
    return download(
        filename=f"hotspots-{since:%Y-%m-%d}-to-{until:%Y-%m-%d}.geojson", content_type="application/geo+json",
        response=JsonResponse({"type": "FeatureCollection", "features": features}, json_dumps_params={"indent": 1}),
    )



# Disruption for the board (F31) ----------------------------------------------------------------------


def _period_query(since: dt.date, until: dt.date) -> str:
    return f"since_0={since.day}&since_1={since.month}&since_2={since.year}&until_0={until.day}&until_1={until.month}&until_2={until.year}"


@login_required
def disruption(request):
    """The disruption of a period counted for the board: no names, only counts (board members,
    the police and the hub; "not found" to anyone else)."""
    form, since, until = _period(request)
    summary = selectors.disruption_summary(request.user, since=since, until=until)
    if not form.is_bound:
        form = PeriodForm(initial={"since": since, "until": until})
    return render(request, "network/disruption.html", {
        "form": form, "summary": summary, "query": _period_query(since, until), "sees_intelligence": user_sees_intelligence(request.user),
    })


@login_required
def disruption_csv(request):
    """The same counts as the page, as a spreadsheet: one row for each kind of disruption and a total row."""
    _form, since, until = _period(request)
    summary = selectors.disruption_summary(request.user, since=since, until=until)
    response = download(filename=f"disruption-{since:%Y-%m-%d}-to-{until:%Y-%m-%d}.csv", content_type="text/csv; charset=utf-8")
    writer = csv.writer(response)
    writer.writerow(["kind of disruption", *(f"against {t.lower()}" for t in summary.targets), *(r.lower() for r in summary.results), "total"])
    for row in [*summary.rows, summary.total]:
        writer.writerow([row.label, *row.against, *row.results, row.total])
    return response
