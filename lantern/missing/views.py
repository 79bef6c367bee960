from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from lantern.core.views import apply_validation_error

from . import selectors, services
from .forms import EpisodeForm, InterviewForm, NotHeldForm, OfferForm, ReturnForm
from .selectors import Status


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page", 1)))
    except ValueError:
        return 1


def _save(form, call):
    """Run a service for a valid form; show its refusal or validation errors on the form."""
    try:
        return call()
    except PermissionDenied as exc:
        form.add_error(None, str(exc) or "You cannot record this")
    except ValidationError as exc:
        apply_validation_error(form, exc)
    return None


@login_required
def episode_list(request):
    if not request.user.access.can_work_with_children:
        raise PermissionDenied("Your role does not include children's records.")
    status = request.GET.get("status", "")
    if status not in selectors.FILTERS:
        status = ""
    page = selectors.episode_list(request.user, status=status, page_number=_page_number(request))
    return render(request, "missing/list.html", {"page": page, "status": status, "filters": selectors.FILTERS})


@login_required
def record_episode(request, child_id: int):
    child = selectors.missing_child_for(request.user, child_id, path=request.path)
    form = EpisodeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        episode = _save(form, lambda: services.record_missing_episode(by=request.user, child=child, **form.episode_data()))
        if episode is not None:
            messages.success(request, f"{child.display_name} has been recorded as missing. Everyone who works with them has been told")
            return redirect("missing:detail", episode.pk)
    return render(request, "missing/record_episode.html", {"form": form, "child": child})


@login_required
def record_return(request, episode_id: int):
    episode = selectors.access_episode(request.user, episode_id, path=request.path)
    if episode.returned_at is not None:
        return redirect("missing:detail", episode.pk)
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = _save(form, lambda: services.record_return(
            by=request.user, episode=episode, returned_at=form.cleaned_data["returned_at"], **form.return_data()
        ))
        if saved is not None:
            messages.success(request, "The child's return has been recorded. Offer a return interview within 72 hours")
            return redirect("missing:detail", episode.pk)
    return render(request, "missing/form.html", {
        "form": form, "episode": episode, "child": episode.child, "heading": "Record the child's return", "button": "Record the return",
    })


@login_required
def detail(request, episode_id: int):
    episode = selectors.access_episode(request.user, episode_id, path=request.path)
    page = selectors.episode_page(request.user, episode)
    return render(request, "missing/detail.html", {"page": page, "episode": episode, "child": episode.child, "Status": Status})


def _interview_page(request, episode_id, *, allowed: set, form_class, heading: str, button: str, call, done: str, **form_kwargs):
    episode = selectors.access_episode(request.user, episode_id, path=request.path)
    if selectors.interview_status(episode) not in allowed:
        return redirect("missing:detail", episode.pk)
    form = form_class(request.POST or None, **form_kwargs)
    if request.method == "POST" and form.is_valid():
        if _save(form, lambda: call(episode, form)) is not None:
            messages.success(request, done)
            return redirect("missing:detail", episode.pk)
    return render(request, "missing/form.html", {
        "form": form, "episode": episode, "child": episode.child, "heading": heading, "button": button,
    })


@login_required
def offer_interview(request, episode_id: int):
    return _interview_page(
        request, episode_id, allowed={Status.DUE, Status.OVERDUE}, form_class=OfferForm, user=request.user,
        heading="Record the offer of a return interview", button="Record the offer", done="The offer of a return interview has been recorded",
        call=lambda episode, form: services.offer_return_interview(
            by=request.user, episode=episode, offered_at=form.cleaned_data["offered_at"],
            independent=form.cleaned_data.get("independent"), agency=form.cleaned_data.get("agency"),
        ),
    )


@login_required
def record_interview(request, episode_id: int):
    return _interview_page(
        request, episode_id, allowed={Status.OFFERED}, form_class=InterviewForm,
        heading="Record the return interview", button="Record the interview", done="The return interview has been recorded",
        call=lambda episode, form: services.record_return_interview(by=request.user, episode=episode, **form.interview_data()),
    )


@login_required
def interview_not_held(request, episode_id: int):
    return _interview_page(
        request, episode_id, allowed={Status.DUE, Status.OVERDUE, Status.OFFERED}, form_class=NotHeldForm,
        heading="Record that the return interview will not be held", button="Record the reason",
        done="The reason the return interview will not be held has been recorded",
        call=lambda episode, form: services.record_interview_not_held(by=request.user, episode=episode, reason=form.cleaned_data["reason"]),
    )
