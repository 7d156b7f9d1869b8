"""Crossref's deposit servlet, spoken as Crossref speaks it, so a platform's existing deposit code
works unchanged: `POST /servlet/deposit` and `GET|POST /servlet/submissionDownload`.

Credentials come in the body (members.machine_auth says which forms), so these views are exempt
from CSRF and read uploads with the machine handlers: the 10 MB limit still cuts the body unread.
"""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.utils.html import escape
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from deposits.models import Deposit
from deposits.receiving import deposit_receive
from deposits.selectors import submission_of
from deposits.submission_log import submission_log_filename, submission_log_xml
from deposits.uploads import use_machine_upload_handlers
from members.machine_auth import MachineRefusal, machine_authenticate
from members.models import APIKey


def _answer(status: int, title: str, text: str, *, retry_after: int = 0) -> HttpResponse:
    """Crossref's short HTML acknowledgement; the reason is in the <p>, for people and scripts."""
    body = f"<html><head><title>{escape(title)}</title></head><body><h2>{escape(title)}</h2><p>{escape(text)}</p></body></html>\n"
    response = HttpResponse(body, status=status, content_type="text/html; charset=utf-8")
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def _refused(refusal: MachineRefusal) -> HttpResponse:
    response = _answer(refusal.status, "FAILURE", refusal.message, retry_after=refusal.retry_after)
    response["X-Refusal-Reason"] = refusal.reason
    return response


@csrf_exempt
@require_http_methods(["POST"])
def deposit(request):
    use_machine_upload_handlers(request)
    if refused := _upload_refused(request):
        return _answer(413, "FAILURE", refused)
    fields = _fields(request)
    operation = fields.get("operation", "")
    missing = [name for name in ("operation", "login_id", "login_passwd") if not fields.get(name)]
    if "fname" not in request.FILES:
        missing.append("fname (the deposit file)")
    if missing:
        return _answer(400, "FAILURE", f"Missing field(s): {', '.join(missing)}.")
    if operation not in Deposit.Operation.values:
        return _answer(400, "FAILURE", f"Unknown operation “{operation}”; use {' or '.join(Deposit.Operation.values)}.")
    login = machine_authenticate(
        request=request, login_id=fields["login_id"], password=fields["login_passwd"], scope=APIKey.Scope.DEPOSIT
    )
    if isinstance(login, MachineRefusal):
        return _refused(login)
    upload = request.FILES["fname"]
    try:
        received = deposit_receive(login=login, file=upload, filename=upload.name, operation=operation)
    except ValidationError as error:
        return _answer(400, "FAILURE", " ".join(error.messages))
    return _answer(
        200, "SUCCESS",
        f"Your batch submission was successfully received. submission_id={received.pk}"
        + (f" doi_batch_id={received.doi_batch_id}" if received.doi_batch_id else ""),
    )


def _fields(request) -> dict[str, str]:
    """The form's fields; some clients put operation and credentials in the URL's query instead."""
    return {name: request.POST.get(name) or request.GET.get(name, "") for name in ("operation", "login_id", "login_passwd")}


def _upload_refused(request) -> str | None:
    request.POST  # parses the body (the handlers may refuse it)  # noqa: B018
    return getattr(request, "upload_refused", None)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def submission_download(request):
    """The member's own submission: its log (type=result) or the file (type=contents)."""
    if request.method == "POST":
        use_machine_upload_handlers(request)
    params = request.POST.copy() if request.method == "POST" else request.GET.copy()
    if request.method == "POST":
        for name, value in request.GET.items():
            params.setdefault(name, value)
    kind = params.get("type", "result")
    if kind not in ("result", "contents"):
        return _answer(400, "FAILURE", f"Unknown type “{kind}”; use result or contents.")
    if not params.get("usr") or not params.get("pwd"):
        return _answer(401, "FAILURE", "Give usr and pwd (your login_id and login_passwd).")
    batch_id, file_name = params.get("doi_batch_id", ""), params.get("file_name", "")
    if not batch_id and not file_name:
        return _answer(400, "FAILURE", "Missing field: doi_batch_id or file_name.")
    login = machine_authenticate(request=request, login_id=params["usr"], password=params["pwd"], scope=APIKey.Scope.DEPOSIT)
    if isinstance(login, MachineRefusal):
        return _refused(login)
    found = submission_of(login.member, doi_batch_id=batch_id, filename=file_name)
    if found is None:
        # Another member's submission is "not found" too: its existence is not told.
        what = f"doi_batch_id {batch_id}" if batch_id else f"file_name {file_name}"
        return _answer(404, "FAILURE", f"No submission of {login.member.name} with {what}.")
    if kind == "contents":
        if not found.file:
            return _answer(404, "FAILURE", f"The file of submission {found.pk} was removed after the retention period.")
        return FileResponse(found.file.open("rb"), filename=found.filename, content_type="application/xml")
    response = HttpResponse(submission_log_xml(found), content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{submission_log_filename(found)}"'
    return response
