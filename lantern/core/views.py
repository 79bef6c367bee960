from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render


def download(content: bytes | str = b"", *, filename: str, content_type: str, response=None) -> HttpResponse:
    """A file to save: `content`, or what the caller writes into the response afterwards (a CSV
    writer). Never kept by the browser's cache."""
    response = response if response is not None else HttpResponse(content, content_type=content_type)
    response["Content-Type"] = content_type
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def apply_validation_error(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: field errors by the field, others on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                message = error.message % error.params if error.params else error.message
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


@login_required
def home(request):
    from lantern.children.selectors import my_children
    from lantern.standards.selectors import worklist_for

    worklist = worklist_for(request.user) if request.user.access.can_work_with_children else None
    return render(
        request,
        "lantern/home.html",
        {"worklist": worklist, "my_children": my_children(request.user)[:10] if request.user.access.can_work_with_children else []},
    )


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def not_found(request, exception=None):
    return render(request, "404.html", status=404)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def server_error(request):
    return render(request, "500.html", status=500)


def run_service(form, call):
    """Run a service for a valid form and return what it returns; on refusal or invalid input,
    put its message or errors on the form (shown in the error summary) and return None."""
    try:
        return call()
    except PermissionDenied as exc:
        form.add_error(None, str(exc) or "You cannot record this")
    except ValidationError as exc:
        apply_validation_error(form, exc)
    return None
