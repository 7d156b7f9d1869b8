"""A member's pages about what it registered (its home, the dashboard, is citations'):
its deposit history with the upload form, and one deposit's log."""
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat

from deposits.forms import DepositAgainForm, DepositUploadForm
from deposits.models import Deposit, RecordResult
from deposits.selectors import (
    deposit_linking, deposits_of, deposits_still_linking, newest_results, results_of,
)
from deposits.services import deposit_create
from deposits.submission_log import submission_log_filename, submission_log_xml
from deposits.validation import check_structure, file_sha256, same_file_deposit
from deposits.xml.reference_deposits import deposit_operation
from members.access import can_deposit_for, can_view_member, why_not_deposit
from members.selectors import admin_emails_of
from members.shortcuts import NOT_FOUND, member_or_404

RESULTS_PER_PAGE = 100


@login_required
def deposit_list(request, pk: int):
    member = member_or_404(request, pk)
    can_deposit = can_deposit_for(request.user, member)
    form = DepositUploadForm()
    if request.method == "POST":
        if not can_deposit:
            raise Http404(NOT_FOUND)
        if "again_of" in request.POST:
            return _deposit_again(request, member, can_deposit)
        form = DepositUploadForm(request.POST, request.FILES)
        if refused := getattr(request, "upload_refused", None):
            form.errors.clear()
            form.add_error("file", refused)
            return _deposit_page(request, member, form, can_deposit, status=413)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            # Works with references, or references only: told apart by the file's namespace.
            operation = deposit_operation(upload) or Deposit.Operation.METADATA
            # Checked before anything is stored or queued: a broken file is told at once, here.
            if problems := check_structure(upload, operation=operation):
                return _deposit_page(request, member, form, can_deposit, status=400,
                                     problems=problems, rejected_name=upload.name)
            earlier = same_file_deposit(member=member, sha256=file_sha256(upload))
            if earlier is not None and not form.cleaned_data["deposit_again"]:
                return _deposit_page(request, member, form, can_deposit, status=409, earlier=earlier,
                                     rejected_name=upload.name)
            return _queue(request, member, form, can_deposit, file=upload, filename=upload.name)
    return _deposit_page(request, member, form, can_deposit, status=400 if form.errors else 200)


def _deposit_again(request, member, can_deposit: bool):
    """The depositor chose to deposit again a file the page said was deposited before."""
    again = DepositAgainForm(request.POST)
    earlier = None
    if again.is_valid():
        earlier = Deposit.objects.filter(pk=again.cleaned_data["again_of"], member=member).exclude(file="").first()
    form = DepositUploadForm()
    if earlier is None:
        form = _form_with_file_error("The earlier copy of that file is no longer kept; choose the file again "
                                     "and tick “Deposit this file again anyway”.")
        return _deposit_page(request, member, form, can_deposit, status=400, offer_again=True)
    with earlier.file.open("rb") as handle:
        content = ContentFile(handle.read(), name=again.cleaned_data["filename"])
    return _queue(request, member, form, can_deposit, file=content, filename=again.cleaned_data["filename"])


def _queue(request, member, form, can_deposit: bool, *, file, filename: str):
    try:
        deposit = deposit_create(member=member, file=file, filename=filename, uploaded_by=request.user, operation=None)
    except ValidationError as error:
        form = _form_with_file_error(*error.messages)
        return _deposit_page(request, member, form, can_deposit, status=400)
    # Stays true whatever happens next; the progress line below it tells the state.
    messages.success(request, f"{deposit.filename} was received ({filesizeformat(deposit.size)}).")
    return redirect("deposits:detail", pk=deposit.pk)


def _form_with_file_error(*messages_: str) -> DepositUploadForm:
    """An upload form showing `messages_` on its file field (bound, so the page renders them)."""
    form = DepositUploadForm(data={}, files={})
    form.errors["file"] = form.error_class(list(messages_))
    return form


def _deposit_page(request, member, form, can_deposit: bool, *, status: int, problems=(), earlier=None,
                  rejected_name: str = "", offer_again: bool = False):
    if not (offer_again or earlier is not None):
        # "Deposit this file again anyway" means something only after the page said it was deposited.
        form.fields["deposit_again"].widget = forms.HiddenInput()
    if problems:
        # The file field is described by the problems found in the file, not only by its help.
        form.fields["file"].widget.attrs.update({"aria-describedby": "id_file_helptext upload-problems", "aria-invalid": "true"})
    page = Paginator(deposits_of(member), 25).get_page(request.GET.get("page"))
    linking = deposits_still_linking([deposit.pk for deposit in page])
    return render(
        request,
        "deposits/list.html",
        {
            "member": member,
            "page": page,
            "form": form,
            "can_deposit": can_deposit,
            "linking": linking,
            **_why_not_deposit(request.user, member, can_deposit),
            "has_unfinished": bool(linking) or any(not deposit.is_final for deposit in page),
            "problems": problems,
            "earlier": earlier,
            "rejected_name": rejected_name,
            "offer_again": offer_again or earlier is not None,
        },
        status=status,
    )


def _why_not_deposit(user, member, can_deposit: bool) -> dict:
    """What the page says in place of the upload form: why not, and who to ask."""
    if can_deposit:
        return {}
    return {"why_not_deposit": why_not_deposit(user, member), "member_admins": admin_emails_of(member)}


@login_required
def deposit_detail(request, pk: int):
    deposit = Deposit.objects.select_related("member", "uploaded_by").filter(pk=pk).first()
    if deposit is None or not can_view_member(request.user, deposit.member_id):
        raise Http404(NOT_FOUND)
    status = request.GET.get("status", "")
    if status not in RecordResult.Status.values:
        status = ""
    # Matching runs after (and while) records are applied: the page keeps refreshing until it is done.
    linking = deposit_linking(deposit.pk)
    context = {"deposit": deposit, "member": deposit.member, "status": status, "linking": linking,
               "live": not deposit.is_final or (linking is not None and linking.running)}
    if not deposit.is_final:
        context["newest"] = newest_results(deposit)
    else:
        page = Paginator(results_of(deposit, status=status), RESULTS_PER_PAGE).get_page(request.GET.get("page"))
        context |= {
            "page": page,
            "statuses": [("", "All", deposit.record_count), ("failure", "Failures", deposit.failure_count),
                         ("warning", "Warnings", deposit.warning_count), ("success", "Successes", deposit.success_count)],
            "extra": f"&status={status}" if status else "",
        }
    if request.htmx:
        # The live fragment: counts and the newest results while it runs; on the first poll that
        # finds it final, the first page of results too, swapped in out of band (no reload: focus
        # and place stay). Polls after that (linking still runs) leave the results alone.
        out_of_band = deposit.is_final and request.GET.get("since") != "final"
        return render(request, "deposits/_progress.html", context | {"results_out_of_band": out_of_band})
    return render(request, "deposits/detail.html", context)


@login_required
def deposit_file(request, pk: int):
    """The file as deposited, for the member's users and the agency's staff."""
    deposit = Deposit.objects.filter(pk=pk).first()
    if deposit is None or not can_view_member(request.user, deposit.member_id) or not deposit.file:
        raise Http404(NOT_FOUND)
    try:
        handle = deposit.file.open("rb")
    except FileNotFoundError:
        raise Http404(NOT_FOUND) from None
    return FileResponse(handle, as_attachment=True, filename=deposit.filename, content_type="application/xml")


@login_required
def deposit_log(request, pk: int):
    """The submission log as Crossref's doi_batch_diagnostic XML, as the servlet and email give it."""
    deposit = Deposit.objects.filter(pk=pk).first()
    if deposit is None or not can_view_member(request.user, deposit.member_id):
        raise Http404(NOT_FOUND)
    response = HttpResponse(submission_log_xml(deposit), content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{submission_log_filename(deposit)}"'
    return response
