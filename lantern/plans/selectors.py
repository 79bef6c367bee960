"""Every read of plans that leaves the app. Each makes a fixed number of queries, whatever the
number of actions, contingencies or reviews."""

import datetime as dt
from dataclasses import dataclass, field

from lantern.children.models import Child, Involvement
from lantern.core.dates import local_today, long_date
from lantern.risk.models import ScreeningIndicator
from lantern.risk.selectors import latest_screenings

from .models import LIVE_STATUSES, ActionStatus, Contingency, Cover, Ending, LinkedPlan, Plan, PlanAction, PlanReview, ServiceReferral
from .rules import can_end_plan, can_work_on_plan
from .services import is_at_medium_or_high_risk, suggested_review_date


def current_plan(child: Child) -> Plan | None:
    """The child's live plan (draft or active), or else the last one that ended. One query."""
    plans = list(Plan.objects.filter(child=child).order_by("-created_at", "-id")[:5])
    live = [p for p in plans if p.status in LIVE_STATUSES]
    return live[0] if live else (plans[0] if plans else None)


def indicators_seen(child: Child) -> list[ScreeningIndicator]:
    """The indicators seen in the latest screening by each agency, one of each, in catalogue
    order: what the plan's actions should address (F17). Two queries."""
    seen: dict[str, ScreeningIndicator] = {}
    latest = [s.pk for s in latest_screenings(child)]
    for indicator in ScreeningIndicator.objects.filter(screening_id__in=latest).order_by("indicator_id", "-screening__screened_at"):
        seen.setdefault(indicator.indicator_id, indicator)
    return list(seen.values())


@dataclass
class QualityCheck:
    """What the plan quality check finds (F14, F16, F17): empty lists mean it passes."""

    incomplete_actions: list = field(default_factory=list)  # (action, [what is missing])
    unaddressed_indicators: list = field(default_factory=list)
    contingency_missing: bool = False
    review_overdue: bool = False

    @property
    def passes(self) -> bool:
        return not (self.incomplete_actions or self.unaddressed_indicators or self.contingency_missing or self.review_overdue)


def quality_check(plan: Plan, *, actions: list, contingencies: list, indicators: list, at_risk: bool) -> QualityCheck:
    open_actions = [a for a in actions if a.status == ActionStatus.OPEN]
    addressed = {i for a in actions if a.status != ActionStatus.NOT_NEEDED for i in a.indicator_ids}
    return QualityCheck(
        incomplete_actions=[(a, a.gaps) for a in open_actions if a.gaps],
        unaddressed_indicators=[i for i in indicators if i.indicator_id not in addressed],
        contingency_missing=at_risk and not any(c.ended_at is None for c in contingencies),
        review_overdue=plan.status == "active" and plan.next_review_on is not None and plan.next_review_on < local_today(),
    )


def plan_page(user, child: Child) -> dict:
    """Everything the plan page shows. A fixed number of queries whatever the size of the plan."""
    plan = current_plan(child)
    involved = list(Involvement.objects.filter(child=child, ended_on__isnull=True).select_related("agency", "professional").order_by("agency__name"))
    context = {
        "child": child, "plan": plan, "involved": involved,
        "can_work": bool(can_work_on_plan(user, child)), "can_end": bool(can_end_plan(user, child)),
        "endings": list(Ending.objects.filter(child=child).select_related("decided_by", "continuing_plan").order_by("-decided_at")),
    }
    if plan is None:
        return context
    actions = list(PlanAction.objects.filter(plan=plan).select_related("owner", "agency", "status_recorded_by").order_by("due_on", "id"))
    contingencies = list(Contingency.objects.filter(plan=plan).select_related("agency", "owner").order_by("agency__name", "id"))
    indicators = indicators_seen(child)
    at_risk = is_at_medium_or_high_risk(child)
    wording = {i.indicator_id: i.wording for i in indicators}
    for action in actions:
        action.indicator_words = [wording.get(i, i) for i in action.indicator_ids]
    context.update(
        actions=actions, open_actions=[a for a in actions if a.status == ActionStatus.OPEN],
        finished_actions=[a for a in actions if a.status != ActionStatus.OPEN],
        contingencies=contingencies, indicators=indicators, at_risk=at_risk,
        linked=list(LinkedPlan.objects.filter(plan=plan).select_related("agency").order_by("ended_on", "next_review_on", "id")),
        cover=list(Cover.objects.filter(plan=plan, ends_on__gte=local_today() - dt.timedelta(days=30)).select_related("usual_worker", "cover_worker", "agency")),
        services=list(ServiceReferral.objects.filter(plan=plan).select_related("referred_by_agency").order_by("referred_on", "id")),
        reviews=list(PlanReview.objects.filter(plan=plan).select_related("reviewed_by").order_by("-reviewed_on", "-id")),
        check=quality_check(plan, actions=actions, contingencies=contingencies, indicators=indicators, at_risk=at_risk),
        suggested_review=suggested_review_date(plan) if plan.status == "draft" else None,
    )
    return context


def plan_status(child: Child) -> str:
    """One line on the child's plan, for meeting summaries. Two queries."""
    plan = current_plan(child)
    if plan is None:
        return "No multi-agency plan"
    if not plan.is_live:
        return f"Plan {plan.get_status_display().lower()} on {long_date(plan.ended_at)}" if plan.ended_at else f"Plan {plan.get_status_display().lower()}"
    actions = list(plan.actions.values_list("status", "due_on"))
    open_ = [due for status, due in actions if status == ActionStatus.OPEN]
    overdue = sum(1 for due in open_ if due is not None and due < local_today())
    words = "Draft plan, not yet active" if plan.status == "draft" else f"Active plan, next review by {long_date(plan.next_review_on)}"
    return f"{words}; {len(open_)} of {len(actions)} actions open" + (f", {overdue} overdue" if overdue else "")


def child_plan_section(user, child: Child) -> dict:
    """The "Plan" section of the child page. Three queries."""
    plan = current_plan(child)
    if plan is None:
        return {"plan": None, "can_work": bool(can_work_on_plan(user, child)) and child.closed_at is None}
    actions = list(plan.actions.select_related("owner", "agency").filter(status=ActionStatus.OPEN).order_by("due_on", "id")[:5])
    return {
        "plan": plan, "actions": actions, "open_count": plan.actions.filter(status=ActionStatus.OPEN).count(),
        "can_work": bool(can_work_on_plan(user, child)),
    }



# Records of a plan, fetched for the pages that change them --------------------------------------


def live_plan(child: Child) -> Plan | None:
    """The child's draft or active plan, if any. One query."""
    return Plan.objects.filter(child=child, status__in=LIVE_STATUSES).order_by("-created_at", "-id").first()


def involved_agency_ids(child: Child) -> list[int]:
    """The agencies working with the child now: whose people may own the plan's actions. One query."""
    return sorted(set(Involvement.objects.filter(child=child, ended_on__isnull=True).values_list("agency_id", flat=True)))


def current_linked_plans(plan: Plan | None) -> list[LinkedPlan]:
    """The plan's linked plans that have not ended: where remaining work can continue. One query."""
    if plan is None:
        return []
    return list(LinkedPlan.objects.filter(plan=plan, ended_on__isnull=True).select_related("agency").order_by("kind", "id"))


def open_actions(plan: Plan | None) -> list[PlanAction]:
    """The plan's open actions, soonest due first. One query."""
    if plan is None:
        return []
    return list(PlanAction.objects.filter(plan=plan, status=ActionStatus.OPEN).select_related("owner", "agency").order_by("due_on", "id"))


def _plan_record(user, queryset, record_id, *, path: str = ""):
    """A record of a plan (an action, a linked plan, a service), if `user` may see the plan's
    child, with the read written to the child's access log; otherwise 404. Its plan comes with
    it, holding the child."""
    from django.db.models import F

    from lantern.children.selectors import access_child_record

    record = access_child_record(user, queryset.select_related("plan").annotate(child_id=F("plan__child_id")), record_id, path=path)
    record.plan.child = record.child
    return record


def access_action(user, action_id, *, path: str = "") -> PlanAction:
    return _plan_record(user, PlanAction.objects.select_related("owner", "agency"), action_id, path=path)


def access_linked_plan(user, linked_id, *, path: str = "") -> LinkedPlan:
    return _plan_record(user, LinkedPlan.objects.select_related("agency"), linked_id, path=path)


def access_service(user, service_id, *, path: str = "") -> ServiceReferral:
    return _plan_record(user, ServiceReferral.objects.select_related("referred_by_agency"), service_id, path=path)


# The plan's history --------------------------------------------------------------------------


HISTORY_EXCLUDED = ("version", "created_at", "updated_at", "plan", "created_by", "recorded_by", "status_recorded_at", "status_recorded_by")


def plan_history(plan: Plan) -> list[dict]:
    """Every saved version of the plan and of its actions, contingencies, cover, linked plans and
    services, newest first, each with who saved it and what changed. Eight queries, whatever the
    length of the history."""
    from lantern.partnership.models import Agency, User

    sources = [
        ("The plan", plan.history.all()),
        ("Action", PlanAction.history.filter(plan_id=plan.pk)),
        ("Contingency", Contingency.history.filter(plan_id=plan.pk)),
        ("Cover", Cover.history.filter(plan_id=plan.pk)),
        ("Linked plan", LinkedPlan.history.filter(plan_id=plan.pk)),
        ("Service", ServiceReferral.history.filter(plan_id=plan.pk)),
    ]
    entries, user_ids, agency_ids = [], set(), set()
    for label, history in sources:
        records = list(history.select_related("history_user").order_by("id", "history_date", "history_id"))
        previous = {}
        for record in records:
            model = record.instance_type
            older = previous.get(record.id)
            previous[record.id] = record
            if older is None:
                values = [(f.name, getattr(record, f.attname)) for f in _shown_fields(model)]
                changes = [(name, None, value) for name, value in values if value not in (None, "", [])]
                created = True
            else:
                delta = record.diff_against(older, excluded_fields=HISTORY_EXCLUDED)
                changes = [(c.field, c.old, c.new) for c in delta.changes]
                created = False
            if not changes and not created:
                continue
            author = getattr(record, "created_by_id", None) or getattr(record, "recorded_by_id", None)
            if record.history_user_id is None and author:
                user_ids.add(author)  # saved outside a request: the record says who made it
            for name, old, new in changes:
                related = model._meta.get_field(name).related_model
                if related is User:
                    user_ids.update(v for v in (old, new) if v)
                elif related is Agency:
                    agency_ids.update(v for v in (old, new) if v)
            entries.append({"record": record, "label": label, "model": model, "created": created, "changes": changes, "author": author})
    users = dict(User.objects.filter(pk__in=sorted(user_ids)).values_list("pk", "full_name")) if user_ids else {}
    agencies = dict(Agency.objects.filter(pk__in=sorted(agency_ids)).values_list("pk", "name")) if agency_ids else {}
    names = {"users": users, "agencies": agencies}
    result = []
    for entry in entries:
        record, model = entry["record"], entry["model"]
        who = record.history_user.full_name if record.history_user else users.get(entry["author"], "") if entry["created"] else ""
        result.append({
            "when": record.history_date, "who": who, "what": _history_title(entry["label"], record, entry["created"]),
            "changes": [(_verbose(model, field), _shown(model, field, old, names), _shown(model, field, new, names))
                        for field, old, new in entry["changes"]],
            "created": entry["created"],
        })
    result.sort(key=lambda e: e["when"], reverse=True)
    return result


def _shown_fields(model) -> list:
    return [f for f in model._meta.concrete_fields if f.editable and not f.primary_key and f.name not in HISTORY_EXCLUDED and f.name != "child"]


def _history_title(label: str, record, created: bool) -> str:
    if label == "The plan":
        return "Plan started" if created else "The plan changed"
    name = {"Action": "description", "Contingency": "trigger", "Linked plan": "kind", "Service": "provider"}.get(label)
    detail = ""
    if name == "kind":
        detail = record.get_kind_display()
    elif name:
        detail = str(getattr(record, name))[:80]
    return f"{label} {'added' if created else 'changed'}{': ' + detail if detail else ''}"


def _verbose(model, field_name: str) -> str:
    label = str(model._meta.get_field(field_name).verbose_name)
    return {"indicator_ids": "Indicators addressed", "due_on": "Due by", "next_review_on": "Next review"}.get(field_name, label[:1].upper() + label[1:])


def _shown(model, field_name: str, value, names: dict) -> str:
    field = model._meta.get_field(field_name)
    if value is None or value == "":
        return ""
    if field.related_model is not None:
        key = "agencies" if field.related_model.__name__ == "Agency" else "users"
        return names[key].get(value, "")
    if field.choices:
        return str(dict(field.choices).get(value, value))
    if isinstance(value, dt.datetime):
        return long_date(value)
    if isinstance(value, dt.date):
        return long_date(value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)
