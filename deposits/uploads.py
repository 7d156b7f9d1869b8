"""Uploads are cut early: a body over the deposit limit is refused before it is read whole, and
anonymous requests never get a file written.

First in FILE_UPLOAD_HANDLERS, so it runs before Django's memory and temporary-file handlers.
A refusal is left on the request (`upload_refused`) for the view (or, when the CSRF field was
never read, portal.views.csrf_failure) to explain. Endpoints that authenticate from the body
itself (Crossref's servlet API) set their own handlers.
"""
from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import (
    FileUploadHandler,
    MemoryFileUploadHandler,
    StopUpload,
    TemporaryFileUploadHandler,
)
from django.http import QueryDict
from django.template.defaultfilters import filesizeformat
from django.utils.datastructures import MultiValueDict

# Multipart framing around the file: boundaries, headers, the CSRF field.
_FRAMING_ALLOWANCE = 64 * 1024


def _refused_unread(request, message: str) -> tuple[QueryDict, MultiValueDict]:
    """Answer the parser with an empty form: not one byte of the body is read."""
    request.upload_refused = message
    return QueryDict(), MultiValueDict()


def _refuse(request, message: str) -> None:
    request.upload_refused = message
    raise StopUpload(connection_reset=True)  # stop reading the body here; do not drain it


class BoundedUploadHandler(FileUploadHandler):
    # Browser forms sign in first; only machine endpoints read credentials from the body itself.
    files_need_signed_in_user = True

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.limit = settings.DEPOSIT_MAX_BYTES
        self.received = 0
        if content_length and content_length > self.limit + _FRAMING_ALLOWANCE:
            return _refused_unread(
                self.request,
                f"The upload is {filesizeformat(content_length)}; a deposit file may be at most "
                f"{filesizeformat(self.limit)}. Split it into several files.",
            )
        return None  # parse as usual, counting (receive_data_chunk)

    def new_file(self, *args, **kwargs):
        # Form fields of anonymous requests are read (a sign-in form may be multipart); files not.
        user = getattr(self.request, "user", None)
        if self.files_need_signed_in_user and (user is None or not user.is_authenticated):
            _refuse(self.request, "Sign in to upload files.")
        super().new_file(*args, **kwargs)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:  # a body without (or with a false) Content-Length
            _refuse(self.request, f"The file is more than {filesizeformat(self.limit)}; split it into several files.")
        return raw_data  # the next handler stores it

    def file_complete(self, file_size):
        return None


class MachineUploadHandler(BoundedUploadHandler):
    """For endpoints whose credentials travel in the body (Crossref's servlet) or a header (the
    JSON API): the same limit, cut unread, but no session needed to receive the file."""

    files_need_signed_in_user = False


def use_machine_upload_handlers(request) -> None:
    """Call before request.POST or request.FILES is touched."""
    request.upload_handlers = [
        MachineUploadHandler(request),
        MemoryFileUploadHandler(request),
        TemporaryFileUploadHandler(request),
    ]
