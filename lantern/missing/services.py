"""Every write to missing episodes and return interviews. Keyword-only; each checks permission,
validates (all problems at once, nothing saved on error), writes in a transaction, keeps
history, adds to the child's timeline and tells the people who need to know."""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from lantern.children import timeline
from lantern.children.models import Child, Involvement
from lantern.core.dates import LONDON, local_today, when
from lantern.notifications.services import notify
from lantern.partnership.models import AGENCY_CASE_ROLES, Agency, Membership

from .conf import return_interview_hours
from .models import EpisodeKind, MissingEpisode, MissingFrom, ReturnInterview
from .rules import acting_agency_ids, can_record_for_child

MISSING_STARTED = timeline.register_kind("missing_started", "Missing episode")
MISSING_RETURNED = timeline.register_kind("missing_returned", "Returned from missing")
RETURN_INTERVIEW_OFFERED = timeline.register_kind("return_interview_offered", "Return interview offered")
RETURN_INTERVIEW_RECORDED = timeline.register_kind("return_interview_recorded", "Return interview")

NOTIFICATION_CATEGORY = "missing"


def _acting_agency(user, agency: Agency | None) -> Agency:
    allowed = acting_agency_ids(user)
    if agency is not None:
        if agency.pk not in allowed:
            raise PermissionDenied("You can only record for an agency you work for.")
        return agency
    if not allowed:
        raise PermissionDenied("You must belong to an agency to record this.")
    if len(allowed) > 1:
        raise ValidationError({"agency": "Select which of your agencies you are recording for"})
    return Agency.objects.get(pk=next(iter(allowed)))


def _aware(value: dt.datetime | None, name: str) -> None:
    if value is not None and timezone.is_naive(value):
        raise ValueError(f"{name} must be an aware datetime")


def _text(value: str | None) -> str:
    return (value or "").strip()


def involved_recipients(child: Child) -> list:
    """Every practitioner and manager of every agency actively involved with the child."""
    agency_ids = Involvement.objects.filter(child=child, ended_on__isnull=True).values("agency_id")
    return [
        m.user
        for m in Membership.objects.filter(
            agency_id__in=agency_ids, role__in=sorted(AGENCY_CASE_ROLES), ended_at__isnull=True
        ).select_related("user").order_by("user_id")
    ]


def periods_overlap(start, end, other_start, other_end) -> bool:
    """Whether two episodes clash. Works on datetimes (Lantern's episodes) and on dates (the
    SSDA903 Missing table) alike; an end of None means still open. Episodes are half-open
    intervals: one may start the moment another ends, and an episode that starts and ends at the
    same moment clashes only with one it falls strictly inside. Two open episodes always clash,
    and nothing may start while another is open."""
    if end is None and other_end is None:
        return True
    if other_end is None:
        return end > other_start
    if end is None:
        return other_end > start
    return start < other_end and other_start < end


def overlap_error(
    child: Child, *, start: dt.datetime, end: dt.datetime | None, exclude_pk: int | None = None, others=None,
) -> str | None:
    """Why an episode from `start` to `end` (None: still missing) cannot be recorded for the
    child, or None. Episodes are half-open intervals: a child may go missing again the moment they
    return, but two episodes never overlap and only one is open at a time. `others`, when given,
    are the child's episodes already read (an importer reads them all at once); otherwise they
    are read here."""
    if others is None:
        others = MissingEpisode.objects.filter(child=child).exclude(pk=exclude_pk).order_by("started_at")
    for other in others:
        if not periods_overlap(start, end, other.started_at, other.returned_at):
            continue
        if other.returned_at is None:
            return (
                f"{child.display_name} has been missing since {when(other.started_at)} and has not been recorded as "
                "returned. Record that return first, or correct the dates"
            )
        return (
            f"This overlaps the episode from {when(other.started_at)} to {when(other.returned_at)}. "
            "Episodes cannot overlap: check the dates and times"
        )
    return None


def _check_return(errors: dict, *, started_at: dt.datetime, returned_at: dt.datetime, now: dt.datetime) -> None:
    if returned_at > now:
        errors["returned_at"] = "The time the child returned must be now or in the past"
    elif returned_at < started_at:
        errors["returned_at"] = "The time the child returned must be after the time they went missing"


def _return_fields(*, found_where, returned_to, found_with, condition_on_return, exposed_to) -> dict:
    return {
        "found_where": _text(found_where)[:300],
        "returned_to": _text(returned_to)[:300],
        "found_with": _text(found_with)[:300],
        "condition_on_return": _text(condition_on_return),
        "exposed_to": _text(exposed_to),
    }


def _episode_url(episode: MissingEpisode) -> str:
    return reverse("missing:detail", args=[episode.pk])


def _returned(*, by, episode: MissingEpisode, notify_involved: bool = True) -> None:
    url = _episode_url(episode)
    due = episode.interview_due_at
    timeline.record_event(
        child=episode.child, kind=MISSING_RETURNED.code, actor=by, occurred_at=episode.returned_at, url=url,
        summary=f"Returned{' to ' + episode.returned_to if episode.returned_to else ''} after going missing "
        f"{when(episode.started_at)}",
        detail=episode.condition_on_return,
    )
    if not notify_involved:
        return
    notify(
        recipients=involved_recipients(episode.child), category=NOTIFICATION_CATEGORY, child=episode.child, url=url, exclude=by,
        subject="A child you work with has returned from a missing episode",
        body=f"Returned {when(episode.returned_at)}. A return interview must be offered by {when(due)}.",
    )


def _flag_after_change_of_worker(*, by, episode: MissingEpisode, agency: Agency, url: str) -> None:
    """If the episode began within LANTERN_AFTER_CHANGE_OF_WORKER_DAYS of a change of worker (an
    involvement ended, or a new lead professional), say so on the timeline, beside the episode
    (F19). The same test as the child page's Missing section and the episode page."""
    from .selectors import flag_after_change_of_worker, worker_changes

    flag_after_change_of_worker([episode], worker_changes(episode.child))
    change = episode.after_change
    if change is None:
        return
    days = (episode.started_at - change.at).days
    since = "the same day as" if days == 0 else f"{days} day{'s' if days != 1 else ''} after"
    timeline.record_event(
        child=episode.child, kind=timeline.MISSING_AFTER_CHANGE_OF_WORKER.code, actor=by, agency=agency, occurred_at=episode.started_at,
        url=url, summary=f"Went missing {since} a change of worker",
        detail=f"{change.description.rstrip('.')}. Check that the child still has someone they trust, and that the plan names who sees them.",
    )


@transaction.atomic
def record_missing_episode(
    *,
    by,
    child: Child,
    kind: str,
    missing_from: str,
    started_at: dt.datetime,
    police_reference: str = "",
    circumstances: str = "",
    agency: Agency | None = None,
    returned_at: dt.datetime | None = None,
    found_where: str = "",
    returned_to: str = "",
    found_with: str = "",
    condition_on_return: str = "",
    exposed_to: str = "",
    notify_involved: bool = True,
) -> MissingEpisode:
    """Record that a child went missing (or was away without authorisation). Anyone who may see
    the child may record it. While the episode is open, every practitioner and manager of every
    involved agency is told. A return already known may be recorded at the same time.
    `notify_involved=False` records it without telling anyone (the SSDA903 import, for episodes
    long over: decision 0013); the timeline still shows it."""
    if not can_record_for_child(by, child):
        raise PermissionDenied("You can only record a missing episode for a child whose record you can see.")
    _aware(started_at, "started_at")
    _aware(returned_at, "returned_at")
    acting_for = _acting_agency(by, agency)
    # One writer at a time per child, so two reports of the same episode cannot both pass the checks.
    Child.objects.select_for_update().filter(pk=child.pk).values_list("pk").first()
    errors: dict[str, str] = {}
    if kind not in EpisodeKind.values:
        errors["kind"] = "Select whether the child was missing or away without authorisation"
    if missing_from not in MissingFrom.values:
        errors["missing_from"] = "Select where the child went missing from"
    now = timezone.now()
    if started_at is None:
        errors["started_at"] = "Enter when the child went missing"
    elif started_at > now:
        errors["started_at"] = "The time the child went missing must be now or in the past"
    elif started_at.astimezone(LONDON).date() < child.date_of_birth:
        errors["started_at"] = "The time the child went missing must be after their date of birth"
    if returned_at is not None and "started_at" not in errors:
        _check_return(errors, started_at=started_at, returned_at=returned_at, now=now)
    if "started_at" not in errors and "returned_at" not in errors:
        problem = overlap_error(child, start=started_at, end=returned_at)
        if problem:
            errors["started_at"] = problem
    if len(_text(police_reference)) > 40:
        errors["police_reference"] = "The police reference must be 40 characters or fewer"
    if errors:
        raise ValidationError(errors)
    episode = MissingEpisode(
        child=child, kind=kind, missing_from=missing_from, started_at=started_at, reported_by=by,
        reporting_agency=acting_for, police_reference=_text(police_reference), circumstances=_text(circumstances),
    )
    if returned_at is not None:
        episode.returned_at = returned_at
        episode.return_recorded_by = by
        for name, value in _return_fields(
            found_where=found_where, returned_to=returned_to, found_with=found_with,
            condition_on_return=condition_on_return, exposed_to=exposed_to,
        ).items():
            setattr(episode, name, value)
    episode._history_user = by
    episode.save()
    url = _episode_url(episode)
    label = "Away without authorisation" if kind == EpisodeKind.AWAY else "Missing"
    timeline.record_event(
        child=child, kind=MISSING_STARTED.code, actor=by, agency=acting_for, occurred_at=started_at, url=url,
        summary=f"{label} from {episode.get_missing_from_display().lower()}, reported by {by.full_name} ({acting_for.name})"
        f"{', police reference ' + episode.police_reference if episode.police_reference else ''}",
        detail=episode.circumstances,
    )
    _flag_after_change_of_worker(by=by, episode=episode, agency=acting_for, url=url)
    if returned_at is not None:
        _returned(by=by, episode=episode, notify_involved=notify_involved)
    elif notify_involved:
        notify(
            recipients=involved_recipients(child), category=NOTIFICATION_CATEGORY, child=child, url=url, exclude=by,
            subject=f"A child you work with is {'missing' if kind == EpisodeKind.MISSING else 'away without authorisation'}",
            body=f"{by.full_name} of {acting_for.name} reported the child {label.lower()} since {when(started_at)}.",
        )
    return episode


@transaction.atomic
def record_return(
    *,
    by,
    episode: MissingEpisode,
    returned_at: dt.datetime,
    found_where: str = "",
    returned_to: str = "",
    found_with: str = "",
    condition_on_return: str = "",
    exposed_to: str = "",
) -> MissingEpisode:
    """Record the child's return. The return interview falls due LANTERN_RETURN_INTERVIEW_HOURS
    (72) elapsed hours later."""
    if not can_record_for_child(by, episode.child):
        raise PermissionDenied("You can only record a return for a child whose record you can see.")
    _aware(returned_at, "returned_at")
    locked = MissingEpisode.objects.select_for_update().select_related("child").get(pk=episode.pk)
    if locked.returned_at is not None:
        raise ValidationError(
            f"The child's return from this episode was already recorded: {when(locked.returned_at)}.", code="already_returned"
        )
    errors: dict[str, str] = {}
    if returned_at is None:
        errors["returned_at"] = "Enter when the child returned"
    else:
        _check_return(errors, started_at=locked.started_at, returned_at=returned_at, now=timezone.now())
    if not errors:
        problem = overlap_error(locked.child, start=locked.started_at, end=returned_at, exclude_pk=locked.pk)
        if problem:
            errors["returned_at"] = problem
    if errors:
        raise ValidationError(errors)
    locked.returned_at = returned_at
    locked.return_recorded_by = by
    for name, value in _return_fields(
        found_where=found_where, returned_to=returned_to, found_with=found_with,
        condition_on_return=condition_on_return, exposed_to=exposed_to,
    ).items():
        setattr(locked, name, value)
    locked.version += 1
    locked._history_user = by
    locked.save()
    _returned(by=by, episode=locked)
    for name in ("returned_at", "return_recorded_by", "version", "found_where", "returned_to", "found_with",
                 "condition_on_return", "exposed_to"):
        setattr(episode, name, getattr(locked, name))
    return locked


def _lock_returned_episode(by, episode: MissingEpisode) -> tuple[MissingEpisode, ReturnInterview | None]:
    if not can_record_for_child(by, episode.child):
        raise PermissionDenied("You can only record a return interview for a child whose record you can see.")
    locked = MissingEpisode.objects.select_for_update().select_related("child").get(pk=episode.pk)
    if locked.returned_at is None:
        raise ValidationError("The child has not been recorded as returned yet. Record their return first.", code="still_missing")
    interview = ReturnInterview.objects.select_for_update().filter(episode=locked).first()
    if interview is not None and (interview.outcome_recorded_at or interview.not_held_at):
        raise ValidationError("The return interview for this episode has already been recorded.", code="interview_recorded")
    return locked, interview


@transaction.atomic
def offer_return_interview(
    *, by, episode: MissingEpisode, offered_at: dt.datetime, independent: bool | None, agency: Agency | None = None
) -> ReturnInterview:
    """Record that an independent return interview was offered to the child (F06). The person
    offering confirms they are independent of the child's home or placement."""
    _aware(offered_at, "offered_at")
    locked, interview = _lock_returned_episode(by, episode)
    if interview is not None and interview.offered_at is not None:
        raise ValidationError(f"A return interview was already offered {when(interview.offered_at)}.", code="already_offered")
    acting_for = _acting_agency(by, agency)
    errors: dict[str, str] = {}
    if offered_at is None:
        errors["offered_at"] = "Enter when the interview was offered"
    elif offered_at > timezone.now():
        errors["offered_at"] = "The time the interview was offered must be now or in the past"
    elif offered_at < locked.returned_at:
        errors["offered_at"] = "The interview must be offered after the child returned"
    if not independent:
        errors["independent"] = (
            "Confirm the interview is offered by someone independent of the child's home or placement. "
            "If not, ask the missing team to offer it"
        )
    if errors:
        raise ValidationError(errors)
    interview = interview or ReturnInterview(episode=locked)
    interview.offered_at = offered_at
    interview.offered_by = by
    interview.offered_by_agency = acting_for
    interview.independent = True
    if interview.pk:
        interview.version += 1
    interview._history_user = by
    interview.save()
    late = offered_at > locked.interview_due_at
    timeline.record_event(
        child=locked.child, kind=RETURN_INTERVIEW_OFFERED.code, actor=by, agency=acting_for, occurred_at=offered_at,
        url=_episode_url(locked),
        summary=f"Return interview offered by {by.full_name} ({acting_for.name})"
        f"{f' – later than {return_interview_hours()} hours after return' if late else ''}",
    )
    return interview


@transaction.atomic
def record_return_interview(
    *,
    by,
    episode: MissingEpisode,
    accepted: bool | None,
    declined_reason: str = "",
    held_at: dt.datetime | None = None,
    childs_account: str = "",
    push_factors: str = "",
    pull_factors: str = "",
    disclosures: str = "",
    people_and_places: str = "",
    shared_with: Iterable[Agency] = (),
    actions: str = "",
) -> ReturnInterview:
    """Record what happened to the interview offered: the child declined it (with the reason),
    or it was held and what was learned. Involved agencies are told when it is recorded."""
    _aware(held_at, "held_at")
    locked, interview = _lock_returned_episode(by, episode)
    if interview is None or interview.offered_at is None:
        raise ValidationError("Record that the interview was offered first.", code="not_offered")
    errors: dict[str, str] = {}
    shared = list(shared_with or ())
    if accepted is None:
        errors["accepted"] = "Select whether the child accepted the interview"
    elif not accepted:
        if not _text(declined_reason):
            errors["declined_reason"] = "Enter why the child declined, as far as is known"
    else:
        if held_at is None:
            errors["held_at"] = "Enter when the interview was held"
        elif held_at > timezone.now():
            errors["held_at"] = "The time of the interview must be now or in the past"
        elif held_at < interview.offered_at:
            errors["held_at"] = "The interview must be held after it was offered"
        if not _text(childs_account):
            errors["childs_account"] = "Enter the child's account of the episode, in their own words where possible"
        if any(not a.is_active for a in shared):
            errors["shared_with"] = "Select only agencies that are active in the partnership"
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    interview.accepted = bool(accepted)
    if accepted:
        interview.held_at = held_at
        interview.childs_account = _text(childs_account)
        interview.push_factors = _text(push_factors)
        interview.pull_factors = _text(pull_factors)
        interview.disclosures = _text(disclosures)
        interview.people_and_places = _text(people_and_places)
        interview.actions = _text(actions)
    else:
        interview.declined_reason = _text(declined_reason)
    interview.outcome_recorded_at = now
    interview.outcome_recorded_by = by
    interview.version += 1
    interview._history_user = by
    interview.save()
    if accepted and shared:
        interview.shared_with.set(shared)
    url = _episode_url(locked)
    summary = (
        f"Return interview held {when(held_at)}" if accepted else "Return interview declined by the child"
    )
    timeline.record_event(
        child=locked.child, kind=RETURN_INTERVIEW_RECORDED.code, actor=by, agency=interview.offered_by_agency,
        occurred_at=held_at if accepted else now, url=url, summary=summary,
        detail=interview.actions if accepted else interview.declined_reason,
    )
    notify(
        recipients=involved_recipients(locked.child), category=NOTIFICATION_CATEGORY, child=locked.child, url=url, exclude=by,
        subject="A return interview has been recorded for a child you work with",
        body=f"{summary}. Read what was learned and any actions for your agency.",
    )
    return interview


@transaction.atomic
def record_interview_not_held(*, by, episode: MissingEpisode, reason: str) -> ReturnInterview:
    """Record that no return interview will be held, and why (for example the child moved out of
    the area). This clears the overdue alert; the reason is kept for audit."""
    locked, interview = _lock_returned_episode(by, episode)
    reason = _text(reason)
    if not reason:
        raise ValidationError({"reason": "Enter why the return interview will not be held"})
    interview = interview or ReturnInterview(episode=locked)
    interview.not_held_reason = reason
    interview.not_held_at = timezone.now()
    interview.outcome_recorded_by = by
    if interview.pk:
        interview.version += 1
    interview._history_user = by
    interview.save()
    timeline.record_event(
        child=locked.child, kind=RETURN_INTERVIEW_RECORDED.code, actor=by, url=_episode_url(locked),
        summary="Return interview not held", detail=reason,
    )
    return interview


def _importing_agency(by) -> Agency:
    """The agency an import is recorded for: the one the hub member holds the hub role in."""
    ids = sorted(by.access.hub_agency_ids) or sorted(acting_agency_ids(by))
    if len(ids) != 1:
        raise PermissionDenied("You hold the hub role in more than one agency, so Lantern cannot tell which to record the import for.")
    return Agency.objects.get(pk=ids[0])


def import_ssda903_missing(*, by, data: bytes):
    """Import an SSDA903 Missing table (decision 0013): all of it or, if anything in it is
    wrong, none of it. Only the hub may. Rows already recorded are skipped, so importing the same
    file twice changes nothing. Each new episode is recorded through `record_missing_episode`,
    for the hub member's agency, from a care placement, at 00:00 London time on its dates; the
    child's timeline shows it, but only an episode still open tells the people working with the
    child. Returns an `ssda903.ImportResult`; raises `ssda903.Rejected` with every problem."""
    from . import ssda903  # ssda903 reads through this module's overlap check

    if not (by.is_authenticated and by.access.is_hub):
        raise PermissionDenied("Only the exploitation hub can import SSDA903 data.")
    agency = _importing_agency(by)
    with transaction.atomic():
        plan = ssda903.plan_import(data, today=local_today())
        if plan.problems:
            raise ssda903.Rejected(plan.problems)
        for row, child in plan.new:
            try:
                record_missing_episode(
                    by=by, child=child, kind=row.kind, missing_from=MissingFrom.PLACEMENT, agency=agency,
                    started_at=ssda903.start_of(row.start), returned_at=ssda903.start_of(row.end) if row.end else None,
                    circumstances=ssda903.IMPORT_NOTE, notify_involved=row.end is None,
                )
            except ValidationError as exc:  # someone recorded a clashing episode since the file was checked
                raise ssda903.Rejected([ssda903.Problem(row.row, "MIS_START", ssda903.format_date(row.start), " ".join(exc.messages))]) from None
    return ssda903.ImportResult(imported=len(plan.new), skipped_rows=tuple(r.row for r in plan.skipped))


# --- Telling people that a return interview is overdue (F06) ---------------------------------

OVERDUE_CATCH_UP_DAYS = 7


def overdue_interview_recipients(child_ids: Iterable[int]) -> dict[int, list]:
    """For each child, who is told directly that a return interview is overdue: the lead
    professional, and the practitioners and managers in a missing team (`Team.handles_missing`)
    of any agency working with the child. Three queries, whatever the number of children."""
    from lantern.partnership.models import User

    child_ids = sorted(set(child_ids))
    wanted: dict[int, set[int]] = {child_id: set() for child_id in child_ids}
    agencies_of: dict[int, set[int]] = {}
    for child_id, agency_id, is_lead, professional_id in Involvement.objects.filter(child_id__in=child_ids, ended_on__isnull=True).values_list(
        "child_id", "agency_id", "is_lead", "professional_id"
    ):
        agencies_of.setdefault(agency_id, set()).add(child_id)
        if is_lead and professional_id:
            wanted[child_id].add(professional_id)
    for agency_id, user_id in Membership.objects.filter(
        agency_id__in=sorted(agencies_of), team__handles_missing=True, team__is_active=True, role__in=sorted(AGENCY_CASE_ROLES),
        ended_at__isnull=True, agency__is_active=True,
    ).values_list("agency_id", "user_id"):
        for child_id in agencies_of[agency_id]:
            wanted[child_id].add(user_id)
    users = {u.pk: u for u in User.objects.filter(pk__in=sorted(set().union(*wanted.values())), is_active=True)} if child_ids else {}
    return {child_id: [users[pk] for pk in sorted(ids) if pk in users] for child_id, ids in wanted.items()}


def notify_overdue_interviews(*, today: dt.date | None = None) -> int:
    """The daily job (registered in MissingConfig.ready): tell the lead professional and the
    missing team, once per episode, that no return interview was offered within
    LANTERN_RETURN_INTERVIEW_HOURS of the return (F06). Episodes that fell overdue more than
    OVERDUE_CATCH_UP_DAYS days ago are left to the worklists (a first run after an import of old
    episodes tells no one about those). Children whose record is closed are left out, as by the
    rule. The message names no child: the inbox links to the episode, and the email, as every
    email, carries none of it (decision 0007). Safe to run twice. Returns how many episodes were
    notified."""
    from .models import OverdueInterviewNotice
    from .selectors import overdue_interviews, scan_moment

    at = scan_moment(today or local_today())
    hours = return_interview_hours()
    episodes = list(
        overdue_interviews(at=at).filter(
            child__closed_at__isnull=True, overdue_notice__isnull=True,
            returned_at__gte=at - dt.timedelta(hours=hours, days=OVERDUE_CATCH_UP_DAYS),
        ).select_related("child").order_by("returned_at", "pk")
    )
    if not episodes:
        return 0
    recipients = overdue_interview_recipients(e.child_id for e in episodes)
    now = timezone.now()
    notified = 0
    for episode in episodes:
        with transaction.atomic():
            _, created = OverdueInterviewNotice.objects.get_or_create(
                episode=episode, defaults={"notified_at": now, "recipients": len(recipients[episode.child_id])},
            )
            if not created:
                continue  # another run got there first
            notify(
                recipients=recipients[episode.child_id], category=NOTIFICATION_CATEGORY, child=episode.child, url=_episode_url(episode),
                subject="A return interview is overdue",
                body=f"A child you work with returned from a missing episode more than {hours} hours ago and has not been offered "
                "a return interview. Arrange one with someone independent of their home or placement, and record it.",
            )
            notified += 1
    return notified
