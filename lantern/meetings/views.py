"""The pages of meetings. Thin: every read through selectors, every write through services.

Who sees what (see rules.py): the hub and meeting chairs run meetings and see every item;
an invited agency opens the meeting and sees only the items about children it works with.
Pages only the people running meetings use are "not found" to everyone else. POST-only
actions send a GET back to the record.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from lantern.children.models import AccessPurpose
from lantern.children.selectors import access_child, search_children
from lantern.core.views import download, run_service
from lantern.core.dates import LONDON, local_today, working_days_between
from lantern.network.models import Node
from lantern.risk.selectors import current_levels, screenings_to_decide_on
from lantern.risk.views import record_level_decisions

from . import documents, selectors, services
from .conf import acknowledge_working_days
from .forms import (
    ActionForm, AddChildForm, AttendanceForm, CancelForm, CloseItemForm, ConfirmForm, DiscussionForm, InformationForm,
    InviteForm, MarkActionForm, MeetingDecisionForm, MeetingForm, PathwayForm, RecordItemForm, RemoveForm, SeriesForm, TopicForm,
)
from .models import ActionStatus, ItemReason, ReleaseKind
from .rules import agency_ids_for, can_run_meetings
from .selectors import REASON_ORDER

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _runner(request) -> None:
    """Pages for those who run meetings (the hub and meeting chairs): not found for anyone else."""
    if not can_run_meetings(request.user):
        raise Http404("Not found")


def _meeting(request, meeting_id, *, run: bool = False):
    meeting = selectors.access_meeting(request.user, meeting_id)
    if run:
        _runner(request)
    return meeting


def _editable(item) -> bool:
    return item.meeting.is_open_for_changes and item.is_active and not item.is_closed


def _plural(count: int, word: str, plural: str = "") -> str:
    return f"{count} {word if count == 1 else plural or word + 's'}"


# Meetings ------------------------------------------------------------------------------------


@login_required
def meeting_list(request):
    if not request.user.access.can_work_with_children:
        raise PermissionDenied("Your role does not include children's records.")
    past = request.GET.get("show") == "past"
    page = selectors.meeting_list(request.user, upcoming=not past, page_number=request.GET.get("page", 1))
    return render(request, "meetings/list.html", {"page": page, "past": past, "can_run": can_run_meetings(request.user)})


@login_required
def create_meeting(request):
    _runner(request)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        meeting = run_service(form, lambda: services.create_meeting(by=request.user, **form.meeting_data()))
        if meeting is not None:
            messages.success(request, "The meeting is arranged. Build its agenda, then send the invitations")
            return redirect("meetings:detail", meeting.pk)
    return render(request, "lantern/form_page.html", {
        "form": form, "heading": "Arrange a meeting", "button": "Arrange the meeting", "back_url": reverse("meetings:list"),
    })


@login_required
def create_series(request):
    _runner(request)
    form = SeriesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        series = run_service(form, lambda: services.create_series(by=request.user, **form.series_data()))
        if series is not None:
            first = series.meetings.order_by("starts_at").first()
            messages.success(request, f"The series is arranged. Each meeting is arranged {series.interval_weeks} weeks after the one before "
                             "it closes. This is the first")
            return redirect("meetings:detail", first.pk)
    return render(request, "lantern/form_page.html", {
        "form": form, "heading": "Arrange a series of meetings", "button": "Arrange the series", "back_url": reverse("meetings:list"),
    })


def _render_detail(request, meeting, *, form=None, failed: str = ""):
    page = selectors.meeting_page(request.user, meeting)
    today = local_today()
    mine = agency_ids_for(request.user)
    my_shares = []
    for release in page.releases:
        for share in release.shares.all():
            if share.acknowledged_at is None:
                share.working_days_waiting = working_days_between(share.shared_at.astimezone(LONDON).date(), today)
                share.overdue = share.working_days_waiting > acknowledge_working_days()
            if share.agency_id in mine:
                my_shares.append(share)
    return render(request, "meetings/detail.html", {
        "page": page, "meeting": meeting, "form": form, "failed": failed, "my_shares": my_shares,
        "full_released": any(r.kind == ReleaseKind.FULL for r in page.releases),
    })


@login_required
def detail(request, meeting_id: int):
    return _render_detail(request, _meeting(request, meeting_id))


@login_required
def close_meeting(request, meeting_id: int):
    meeting = _meeting(request, meeting_id)
    if request.method != "POST":
        return redirect("meetings:detail", meeting.pk)
    _runner(request)
    form = ConfirmForm(request.POST)
    form.is_valid()
    if run_service(form, lambda: services.close_meeting(by=request.user, meeting=meeting)) is not None:
        messages.success(request, "The meeting is closed. Its decisions and actions have been sent to each agency involved "
                         "with the children discussed")
        return redirect("meetings:detail", meeting.pk)
    return _render_detail(request, meeting, form=form, failed="close")


@login_required
def publish_minutes(request, meeting_id: int):
    meeting = _meeting(request, meeting_id)
    if request.method != "POST":
        return redirect("meetings:detail", meeting.pk)
    _runner(request)
    form = ConfirmForm(request.POST)
    form.is_valid()
    if run_service(form, lambda: services.publish_minutes(by=request.user, meeting=meeting)) is not None:
        messages.success(request, "The full minutes have been sent to each agency involved with the children discussed")
        return redirect("meetings:detail", meeting.pk)
    return _render_detail(request, meeting, form=form, failed="publish")


@login_required
def cancel_meeting(request, meeting_id: int):
    meeting = _meeting(request, meeting_id, run=True)
    if not meeting.is_open_for_changes:
        return redirect("meetings:detail", meeting.pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if run_service(form, lambda: services.cancel_meeting(by=request.user, meeting=meeting, reason=form.cleaned_data["reason"])):
            messages.success(request, "The meeting is cancelled. The agencies invited to it have been told")
            return redirect("meetings:detail", meeting.pk)
    return render(request, "meetings/form.html", {
        "form": form, "meeting": meeting, "heading": "Cancel the meeting", "button": "Cancel the meeting", "warning": True,
    })


# The agenda ----------------------------------------------------------------------------------


@login_required
def agenda(request, meeting_id: int):
    meeting = _meeting(request, meeting_id, run=True)
    form = ConfirmForm(request.POST or None)
    proposals = selectors.propose_agenda(meeting) if meeting.is_open_for_changes else []
    records = selectors.propose_records(meeting)
    if request.method == "POST":
        form.is_valid()
        if "record" in request.POST:
            wanted_record = next((r for r in records if str(r.node_id) == request.POST["record"]), None)
            if wanted_record is None:
                form.add_error(None, "That person or place is no longer proposed. They may be on the agenda already")
            else:
                node = Node.objects.get(pk=wanted_record.node_id)
                added = run_service(form, lambda: services.add_record_item(by=request.user, meeting=meeting, node=node, detail=wanted_record.detail))
                if added is not None:
                    messages.success(request, f"{wanted_record.name} has been added to the agenda. The police, the hub and the agencies "
                                     "working with the children linked to them are invited")
                    return redirect("meetings:agenda", meeting.pk)
        elif "proposal" in request.POST:
            wanted = next((p for p in proposals if str(p.child.pk) == request.POST["proposal"]), None)
            if wanted is None:
                form.add_error(None, "That child is no longer proposed. They may be on the agenda already")
            else:
                added = run_service(form, lambda: services.add_proposal(by=request.user, meeting=meeting, proposal=wanted))
                if added is not None:
                    messages.success(request, f"{wanted.child.display_name} has been added to the agenda. "
                                     "The agencies working with them are invited")
                    return redirect("meetings:agenda", meeting.pk)
        else:
            added = run_service(form, lambda: services.build_agenda(by=request.user, meeting=meeting))
            if added is not None:
                messages.success(request, f"{_plural(len(added), 'child', 'children')} added to the agenda. "
                                 "The agencies working with them are invited")
                return redirect("meetings:agenda", meeting.pk)
    groups = [(reason, ItemReason(reason).label, [p for p in proposals if p.reason == reason]) for reason in REASON_ORDER]
    return render(request, "meetings/agenda.html", {
        "meeting": meeting, "page": selectors.meeting_page(request.user, meeting), "proposals": proposals,
        "groups": [g for g in groups if g[2]], "form": form, "records": records,
    })


@login_required
def add_child(request, meeting_id: int):
    meeting = _meeting(request, meeting_id, run=True)
    if not meeting.is_open_for_changes:
        return redirect("meetings:detail", meeting.pk)
    child_id = request.POST.get("child") or request.GET.get("child")
    if not child_id:
        query = request.GET.get("q", "")
        result = search_children(request.user, query, page_number=request.GET.get("page", 1)) if query.strip() else None
        return render(request, "meetings/add_child.html", {"meeting": meeting, "query": query, "result": result})
    child = access_child(request.user, child_id, purpose=AccessPurpose.PAGE, path=request.path)
    form = AddChildForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        item = run_service(form, lambda: services.add_child_item(by=request.user, meeting=meeting, child=child, detail=form.cleaned_data["detail"]))
        if item is not None:
            messages.success(request, f"{child.display_name} has been added to the agenda. The agencies working with them are invited")
            return redirect("meetings:agenda", meeting.pk)
    return render(request, "meetings/add_child.html", {"meeting": meeting, "child": child, "form": form})


@login_required
def add_topic(request, meeting_id: int):
    """Put a person of concern, place, vehicle or business on the agenda: find the record by name
    and choose it (F29) or, for someone or somewhere not recorded yet, name them (a topic)."""
    meeting = _meeting(request, meeting_id, run=True)
    if not meeting.is_open_for_changes:
        return redirect("meetings:detail", meeting.pk)
    action = request.POST.get("action", "topic") if request.method == "POST" else None
    query = ((request.POST.get("q") if action == "record" else request.GET.get("q")) or "").strip()
    results = selectors.agenda_records(request.user, query) if query else []
    record_form = RecordItemForm(request.POST if action == "record" else None, results=results, initial={"q": query})
    topic_form = TopicForm(request.POST if action == "topic" else None)
    if action == "record" and record_form.is_valid():
        node = next(n for n in results if str(n.pk) == record_form.cleaned_data["record"])
        if run_service(record_form, lambda: services.add_record_item(by=request.user, meeting=meeting, node=node,
                                                                      detail=record_form.cleaned_data["detail"])) is not None:
            messages.success(request, f"{node.label} has been added to the agenda. The police, the hub and the agencies working with "
                             "the children linked to them are invited")
            return redirect("meetings:agenda", meeting.pk)
    if action == "topic" and topic_form.is_valid():
        if run_service(topic_form, lambda: services.add_topic_item(by=request.user, meeting=meeting, **topic_form.cleaned_data)) is not None:
            messages.success(request, "The item has been added to the agenda")
            return redirect("meetings:agenda", meeting.pk)
    return render(request, "meetings/add_record.html", {
        "meeting": meeting, "query": query, "results": results, "form": record_form, "topic_form": topic_form,
        "error_form": record_form if action == "record" else topic_form if action == "topic" else None,
    })


@login_required
def remove_item(request, item_id: int):
    item = selectors.access_item(request.user, item_id)
    _runner(request)
    if not item.meeting.is_open_for_changes or not item.is_active:
        return redirect("meetings:item", item.pk)
    form = RemoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if run_service(form, lambda: services.remove_item(by=request.user, item=item, reason=form.cleaned_data["reason"])) is not None:
            messages.success(request, f"{_item_name(item)} has been taken off the agenda")
            return redirect("meetings:agenda", item.meeting.pk)
    return render(request, "meetings/form.html", {
        "form": form, "meeting": item.meeting, "heading": f"Take {_item_name(item)} off the agenda", "button": "Take off the agenda",
        "warning": True, "back_url": reverse("meetings:agenda", args=[item.meeting.pk]), "back_text": "Back to the agenda",
        "intro": "Agencies invited only because of this item will no longer be invited.",
    })


def _item_name(item) -> str:
    return item.child.display_name if item.child_id else item.topic


# Invitations and attendance (F27) ------------------------------------------------------------


@login_required
def invitations(request, meeting_id: int):
    meeting = _meeting(request, meeting_id, run=True)
    page = selectors.meeting_page(request.user, meeting)
    action = request.POST.get("action") if request.method == "POST" else None
    send_form = ConfirmForm(request.POST if action == "send" else None)
    invite_form = InviteForm(request.POST if action == "invite" else None, exclude_ids=[i.agency_id for i in page.invitations])
    attendance_forms = {}
    for invitation in page.invitations:
        bound = action == "attendance" and request.POST.get("invitation") == str(invitation.pk)
        attendance_forms[invitation.pk] = AttendanceForm(
            request.POST if bound else None, prefix=f"invitation-{invitation.pk}",
            initial={"attendance": invitation.attendance or None, "attendees": invitation.attendees},
        )
        invitation.attendance_form = attendance_forms[invitation.pk]
    error_form = None
    if action == "send":
        send_form.is_valid()
        told = run_service(send_form, lambda: services.send_invitations(by=request.user, meeting=meeting))
        if told is not None:
            messages.success(request, f"{_plural(told, 'agency', 'agencies')} told of the meeting" if told
                             else "Every invited agency had already been told of the meeting")
            return redirect("meetings:invitations", meeting.pk)
        error_form = send_form
    elif action == "invite":
        if invite_form.is_valid():
            agency = invite_form.cleaned_data["agency"]
            done = run_service(invite_form, lambda: services.invite_agency(
                by=request.user, meeting=meeting, agency=agency, reason=invite_form.cleaned_data["reason"],
            ))
            if done is not None:
                messages.success(request, f"{agency.name} is invited. Send the invitations to tell them")
                return redirect("meetings:invitations", meeting.pk)
        error_form = invite_form
    elif action == "attendance":
        invitation = next((i for i in page.invitations if str(i.pk) == request.POST.get("invitation")), None)
        if invitation is None:
            return redirect("meetings:invitations", meeting.pk)
        form = attendance_forms[invitation.pk]
        if form.is_valid():
            if run_service(form, lambda: services.record_attendance(by=request.user, invitation=invitation, **form.cleaned_data)) is not None:
                messages.success(request, f"The attendance of {invitation.agency.name} has been recorded")
                return redirect("meetings:invitations", meeting.pk)
        error_form = form
    elif action is not None:
        return redirect("meetings:invitations", meeting.pk)
    return render(request, "meetings/invitations.html", {
        "meeting": meeting, "page": page, "send_form": send_form, "invite_form": invite_form, "error_form": error_form,
        "not_told": sum(1 for i in page.invitations if i.notified_at is None),
    })


@login_required
def send_information(request, meeting_id: int):
    meeting = _meeting(request, meeting_id)
    mine = selectors.meeting_page(request.user, meeting).my_invitations
    if not mine:
        raise Http404("Not found")
    if not meeting.is_open_for_changes:
        return redirect("meetings:detail", meeting.pk)
    form = InformationForm(request.POST or None, invitations=mine,
                           initial={"information": mine[0].information_sent if len(mine) == 1 else ""})
    if request.method == "POST" and form.is_valid():
        agency = form.cleaned_data.get("agency")
        invitation = next(i for i in mine if agency is None or i.agency_id == agency.pk)
        saved = run_service(form, lambda: services.send_information(
            by=request.user, invitation=invitation, information=form.cleaned_data["information"],
        ))
        if saved is not None:
            messages.success(request, "Your information has been sent to the chair of the meeting")
            return redirect("meetings:detail", meeting.pk)
    return render(request, "meetings/form.html", {
        "form": form, "meeting": meeting, "heading": "Send information for the meeting", "button": "Send to the chair",
        "intro": "If nobody from your agency can come, send what the meeting should know. It goes into the full minutes. "
        "Sending it again replaces what you sent before.",
    })


# Minutes (F25, F28) --------------------------------------------------------------------------


def _version(request) -> str:
    return ReleaseKind.FULL if request.GET.get("version") == ReleaseKind.FULL else ReleaseKind.DECISIONS


def _chairs_copy(request, meeting_id):
    meeting = _meeting(request, meeting_id, run=True)
    if not meeting.is_closed:
        return meeting, None
    purpose = AccessPurpose.EXPORT if request.path.endswith((".docx", ".pdf")) else AccessPurpose.PAGE
    return meeting, selectors.minutes_for(meeting, kind=_version(request), reader=request.user, path=request.path, purpose=purpose)


def _minutes_context(minutes) -> dict:
    return {
        "minutes": minutes, "full": minutes.version == ReleaseKind.FULL.label,
        "withheld": documents.withheld_sentence(minutes.items_withheld, others=bool(minutes.items)),
    }



@login_required
def minutes(request, meeting_id: int):
    meeting, minutes = _chairs_copy(request, meeting_id)
    if minutes is None:
        return redirect("meetings:detail", meeting.pk)
    return render(request, "meetings/minutes.html", {
        "meeting": meeting, "version": _version(request), **_minutes_context(minutes),
    })


@login_required
def minutes_docx(request, meeting_id: int):
    meeting, minutes = _chairs_copy(request, meeting_id)
    if minutes is None:
        return redirect("meetings:detail", meeting.pk)
    return download(documents.minutes_docx(minutes), filename=documents.docx_filename(minutes), content_type=DOCX)


@login_required
def minutes_pdf(request, meeting_id: int):
    meeting, minutes = _chairs_copy(request, meeting_id)
    if minutes is None:
        return redirect("meetings:detail", meeting.pk)
    return download(documents.minutes_pdf(minutes), filename=documents.pdf_filename(minutes), content_type="application/pdf")


@login_required
def share(request, share_id: int):
    shared = selectors.access_share(request.user, share_id)
    minutes = selectors.share_minutes(shared, reader=request.user, path=request.path)
    return render(request, "meetings/share.html", {
        "share": shared, "meeting": shared.release.meeting, **_minutes_context(minutes),
        "can_acknowledge": shared.acknowledged_at is None and shared.agency_id in agency_ids_for(request.user),
    })


@login_required
def acknowledge(request, share_id: int):
    shared = selectors.access_share(request.user, share_id)
    if request.method != "POST":
        return redirect("meetings:share", shared.pk)
    try:
        services.acknowledge_share(by=request.user, share=shared)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"You have confirmed that {shared.agency.name} has received these minutes")
    return redirect("meetings:share", shared.pk)


def _agency_copy_fordownload(request, share_id):
    shared = selectors.access_share(request.user, share_id)
    return selectors.share_minutes(shared, reader=request.user, path=request.path, purpose=AccessPurpose.EXPORT)


@login_required
def share_docx(request, share_id: int):
    minutes = _agency_copy_fordownload(request, share_id)
    return download(documents.minutes_docx(minutes), filename=documents.docx_filename(minutes), content_type=DOCX)


@login_required
def share_pdf(request, share_id: int):
    minutes = _agency_copy_fordownload(request, share_id)
    return download(documents.minutes_pdf(minutes), filename=documents.pdf_filename(minutes), content_type="application/pdf")


# Each item: summary, discussion, decision, actions (F22, F24) --------------------------------


def _mark_prefix(action) -> str:
    return f"action-{action.pk}"


@login_required
def item(request, item_id: int):
    item = selectors.access_item(request.user, item_id)
    context = selectors.item_page(request.user, item)
    editable = context["can_run"] and _editable(item)
    discussion_form = DiscussionForm(initial={"discussion": item.discussion})
    pathway_form = PathwayForm(initial={"pathway": item.pathway or None})
    error_form = None
    if request.method == "POST":
        if not context["can_run"]:
            raise Http404("Not found")
        which = request.POST.get("form")
        if which == "discussion":
            discussion_form = error_form = DiscussionForm(request.POST)
            if discussion_form.is_valid() and run_service(discussion_form, lambda: services.record_discussion(
                by=request.user, item=item, discussion=discussion_form.cleaned_data["discussion"],
            )):
                messages.success(request, "The discussion notes have been saved")
                return redirect("meetings:item", item.pk)
        elif which == "pathway":
            pathway_form = error_form = PathwayForm(request.POST)
            if pathway_form.is_valid() and run_service(pathway_form, lambda: services.set_pathway(
                by=request.user, item=item, pathway=pathway_form.cleaned_data["pathway"],
            )):
                messages.success(request, "Where the case goes next has been recorded")
                return redirect("meetings:item", item.pk)
        else:
            return redirect("meetings:item", item.pk)
    summary = context["summary"]
    if editable and summary is not None:
        for action in summary.outstanding:
            action.mark_form = MarkActionForm(prefix=_mark_prefix(action), initial={"item": item.pk})
    return render(request, "meetings/item.html", {
        **context, "editable": editable, "discussion_form": discussion_form, "pathway_form": pathway_form,
        "error_form": error_form, "child": item.child,
    })


@login_required
def decide(request, item_id: int):
    item = selectors.access_item(request.user, item_id)
    _runner(request)
    if not _editable(item) or item.child_id is None:
        return redirect("meetings:item", item.pk)
    child = item.child
    current = current_levels(child)
    available = screenings_to_decide_on(child)
    form = MeetingDecisionForm(request.POST or None, screenings=available, current=current, user=request.user)
    if request.method == "POST" and form.is_valid():
        recorded = record_level_decisions(form, lambda kind, level, departure_reason, data: services.decide_at_item(
            by=request.user, item=item, kind=kind, level=level, reason=data["reason"], screenings=data["screenings"],
            next_review_on=data["next_review_on"], departure_reason=departure_reason, expected_current=data[f"current_{kind}"],
        ))
        if recorded:
            messages.success(request, "The meeting's decision is recorded and everyone working with the child has been told")
            return redirect("meetings:item", item.pk)
    return render(request, "meetings/decide.html", {
        "form": form, "item": item, "meeting": item.meeting, "child": child, "current": current, "screenings": available,
    })


@login_required
def add_action(request, item_id: int):
    item = selectors.access_item(request.user, item_id)
    _runner(request)
    if not _editable(item):
        return redirect("meetings:item", item.pk)
    invited = {i.agency_id for i in selectors.meeting_page(request.user, item.meeting).invitations}
    involved = selectors.involved_agency_ids(item.meeting).get(item.pk, set())
    form = ActionForm(request.POST or None, agency_ids=invited | involved)
    if request.method == "POST" and form.is_valid():
        action = run_service(form, lambda: services.add_action(by=request.user, item=item, **form.action_data()))
        if action is not None:
            messages.success(request, f"The action has been added. {action.owner.full_name} has been told")
            return redirect("meetings:item", item.pk)
    return render(request, "meetings/form.html", {
        "form": form, "meeting": item.meeting, "heading": "Add an action", "button": "Add the action",
        "caption": _item_name(item), "back_url": reverse("meetings:item", args=[item.pk]), "back_text": f"Back to {_item_name(item)}",
        "intro": "Every action needs an owner, an agency, a due date and the outcome it should achieve. "
        "It comes back to the next meeting about the child until it is marked.",
    })


@login_required
def close_item(request, item_id: int):
    item = selectors.access_item(request.user, item_id)
    _runner(request)
    if not _editable(item):
        return redirect("meetings:item", item.pk)
    context = selectors.item_page(request.user, item)
    form = CloseItemForm(request.POST or None, has_actions=bool(context["actions"]))
    if request.method == "POST" and form.is_valid():
        closed = run_service(form, lambda: services.close_item(
            by=request.user, item=item, no_actions_reason=form.cleaned_data.get("no_actions_reason", ""),
        ))
        if closed is not None:
            messages.success(request, f"The item about {_item_name(item)} is closed")
            return redirect("meetings:detail", item.meeting.pk)
    return render(request, "meetings/close_item.html", {**context, "form": form, "name": _item_name(item)})


@login_required
def reopen_item(request, item_id: int):
    item = selectors.access_item(request.user, item_id)
    if request.method != "POST":
        return redirect("meetings:item", item.pk)
    _runner(request)
    try:
        services.reopen_item(by=request.user, item=item)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "The item is open again. Close it when the record is complete")
    return redirect("meetings:item", item.pk)


@login_required
def mark_action(request, action_id: int):
    action = selectors.access_action(request.user, action_id)
    runner = bool(can_run_meetings(request.user))
    prefix = _mark_prefix(action)
    item_id = request.POST.get(f"{prefix}-item") or request.GET.get("item")
    at_item = selectors.access_item(request.user, item_id) if runner and item_id else None
    back = reverse("meetings:item", args=[(at_item or action.item).pk]) if runner else reverse("standards:worklist")
    if action.status != ActionStatus.OPEN:
        messages.error(request, "This action has already been marked")
        return redirect(back)
    form = MarkActionForm(request.POST or None, prefix=prefix, owner_only=not runner,
                          initial={"item": at_item.pk if at_item else None})
    if request.method == "POST" and form.is_valid():
        marked = run_service(form, lambda: services.mark_action(
            by=request.user, action=action, status=form.cleaned_data["status"], note=form.cleaned_data["note"], at_item=at_item,
        ))
        if marked is not None:
            messages.success(request, f"The action is marked {marked.get_status_display().lower()}")
            return redirect(back)
    return render(request, "meetings/mark_action.html", {
        "form": form, "action": action, "meeting": action.item.meeting, "at_item": at_item, "back_url": back, "runner": runner,
    })


# Worklist panels (registered in apps.py) -----------------------------------------------------


def minutes_waiting_panel(user) -> dict | None:
    shares = selectors.minutes_waiting_for(user)
    return {"shares": shares} if shares else None


def actions_panel(user) -> dict | None:
    actions = selectors.actions_owned_by(user)
    return {"actions": actions, "today": local_today()} if actions else None


def unacknowledged_panel(user) -> dict | None:
    if not can_run_meetings(user):
        return None
    shares = selectors.unacknowledged_minutes(sent_by=None if user.access.is_hub else user)
    return {"shares": shares} if shares else None
