from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render

from lantern.core.dates import local_today
from lantern.core.views import download, run_service

from . import selectors, services, ssda903
from .conf import return_interview_hours
from .forms import AnnexAForm, EpisodeForm, ExportYearForm, ImportForm, InterviewForm, NotHeldForm, OfferForm, ReturnForm
from .selectors import Status


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page", 1)))
    except ValueError:
        return 1


@login_required
def episode_list(request):
    if not request.user.access.can_work_with_children:
        raise PermissionDenied("Your role does not include children's records.")
    status = request.GET.get("status", "")
    if status not in selectors.FILTERS:
        status = ""
    page = selectors.episode_list(request.user, status=status, page_number=_page_number(request))
    return render(request, "missing/list.html", {
        "page": page, "status": status, "filters": selectors.FILTERS, "can_exchange": request.user.access.is_hub,
    })


@login_required
def record_episode(request, child_id: int):
    child = selectors.missing_child_for(request.user, child_id, path=request.path)
    form = EpisodeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        episode = run_service(form, lambda: services.record_missing_episode(by=request.user, child=child, **form.episode_data()))
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
        saved = run_service(form, lambda: services.record_return(
            by=request.user, episode=episode, returned_at=form.cleaned_data["returned_at"], **form.return_data()
        ))
        if saved is not None:
            messages.success(
                request, f"The child's return has been recorded. Offer a return interview within {return_interview_hours()} hours"
            )
            return redirect("missing:detail", episode.pk)
    return render(request, "missing/form.html", {
        "form": form, "episode": episode, "child": episode.child, "heading": "Record the child's return", "button": "Record the return",
    })


@login_required
def detail(request, episode_id: int):
    episode = selectors.access_episode(request.user, episode_id, path=request.path)
    page = selectors.episode_page(request.user, episode)
    return render(request, "missing/detail.html", {
        "page": page, "episode": episode, "child": episode.child, "Status": Status, "interview_hours": return_interview_hours(),
    })


def _interview_page(request, episode_id, *, allowed: set, form_class, heading: str, button: str, call, done: str, **form_kwargs):
    episode = selectors.access_episode(request.user, episode_id, path=request.path)
    if selectors.interview_status(episode) not in allowed:
        return redirect("missing:detail", episode.pk)
    form = form_class(request.POST or None, **form_kwargs)
    if request.method == "POST" and form.is_valid():
        if run_service(form, lambda: call(episode, form)) is not None:
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


# --- Exchange with national data: the hub only (decision 0013) --------------------------------


def _hub_only(request) -> None:
    if not request.user.access.is_hub:
        raise Http404("Not found")


def _problem_summary(count: int, what: str) -> str:
    if count == 1:
        return f"{what}: 1 problem was found. It is listed below"
    return f"{what}: {count} problems were found. They are listed below"


def _show_problems(form, field: str, problems, *, what: str) -> list:
    """Put a Rejected's problems on the form: a problem with the whole file as the field's own
    error; problems with rows as one error pointing at the table, which the page lists."""
    whole = [p for p in problems if p.row is None and not p.column]
    rows = [p for p in problems if p not in whole]
    for problem in whole:
        form.add_error(field, problem.message)
    if rows:
        form.add_error(field, _problem_summary(len(rows), what))
    return rows


def _exchange_page(request, *, import_form=None, year_form=None, annex_form=None, problems=(), problems_for="", error_form=None):
    today = local_today()
    return render(request, "missing/exchange.html", {
        "import_form": import_form or ImportForm(),
        "year_form": year_form or ExportYearForm(today=today),
        "annex_form": annex_form or AnnexAForm(today=today),
        "error_form": error_form,
        "problems": problems,
        "problems_for": problems_for,
        "interview_hours": return_interview_hours(),
    })


def _csv_download(export: ssda903.Export) -> HttpResponse:
    return download(export.content, filename=export.filename, content_type="text/csv; charset=utf-8")


@login_required
def exchange(request):
    _hub_only(request)
    return _exchange_page(request)


@login_required
def import_ssda903(request):
    _hub_only(request)  # before the method, so no one else learns the page exists
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = ImportForm(request.POST, request.FILES)
    problems = []
    if form.is_valid():
        try:
            result = services.import_ssda903_missing(by=request.user, data=form.data_bytes())
        except ssda903.Rejected as exc:
            problems = _show_problems(form, "file", exc.problems, what="Nothing was imported")
        except PermissionDenied as exc:
            form.add_error("file", str(exc))
        else:
            skipped = (f" {result.skipped} row{'s were' if result.skipped != 1 else ' was'} already recorded and "
                       f"{'were' if result.skipped != 1 else 'was'} skipped.") if result.skipped else ""
            messages.success(request, f"{result.imported} episode{'s' if result.imported != 1 else ''} imported.{skipped}")
            return redirect("missing:exchange")
    return _exchange_page(request, import_form=form, problems=problems, problems_for="import", error_form=form)


@login_required
def export_ssda903(request):
    _hub_only(request)
    form = ExportYearForm(request.GET or None, today=local_today())
    problems = []
    if form.is_valid():
        try:
            export = ssda903.export_missing_table(year=form.cleaned_data["year"], by=request.user, path=request.get_full_path())
        except ssda903.Rejected as exc:
            problems = _show_problems(form, "year", exc.problems, what="The Missing table was not exported")
        else:
            return _csv_download(export)
    return _exchange_page(request, year_form=form, problems=problems, problems_for="ssda903", error_form=form if form.is_bound else None)


@login_required
def export_annex_a(request):
    _hub_only(request)
    form = AnnexAForm(request.GET or None, today=local_today())
    problems = []
    if form.is_valid():
        try:
            export = ssda903.export_annex_a_list_8(on=form.cleaned_data["on"], by=request.user, path=request.get_full_path())
        except ssda903.Rejected as exc:
            problems = _show_problems(form, "on", exc.problems, what="Annex A List 8 was not exported")
        else:
            return _csv_download(export)
    return _exchange_page(request, annex_form=form, problems=problems, problems_for="annex_a", error_form=form if form.is_bound else None)
