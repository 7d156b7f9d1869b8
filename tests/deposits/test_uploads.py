"""Uploads are cut early: oversized bodies are refused before they are read whole, and anonymous
requests never have a file written."""
import pytest
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.urls import reverse

from deposits.models import Deposit

pytestmark = pytest.mark.django_db

BOUNDARY = "----portal-test-boundary"
TWO_HUNDRED_MB = 200 * 1024 * 1024


class HugeMultipartBody:
    """A multipart body of `size` bytes made on the fly, counting what the server read of it."""

    def __init__(self, size: int, *, csrf: str = ""):
        head = ""
        if csrf:
            head += f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{csrf}\r\n'
        head += (f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="huge.xml"\r\n'
                 "Content-Type: text/xml\r\n\r\n")
        self.head = head.encode()
        self.size = size
        self.read_bytes = 0

    def read(self, n: int = -1) -> bytes:
        left = self.size - self.read_bytes
        n = left if n is None or n < 0 else min(n, left)
        start = self.read_bytes
        self.read_bytes += n
        piece = self.head[start : start + n]
        return piece + b"x" * (n - len(piece))

    def readline(self, *args) -> bytes:
        return self.read(*args)


@pytest.fixture
def temp_files(monkeypatch):
    """Records every temporary upload file Django starts writing."""
    started: list[str] = []
    original = TemporaryFileUploadHandler.new_file

    def recording(self, *args, **kwargs):
        started.append(args[1] if len(args) > 1 else kwargs.get("file_name"))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(TemporaryFileUploadHandler, "new_file", recording)
    return started


def post_body(client, url, body: HugeMultipartBody, *, content_length: int | None):
    extra = {"wsgi.input": body}
    if content_length is not None:
        extra["CONTENT_LENGTH"] = str(content_length)
    return client.generic("POST", url, data=b"-", content_type=f"multipart/form-data; boundary={BOUNDARY}", **extra)


def test_oversized_upload_is_refused_before_its_body_is_read(client, press, temp_files):
    member, admin = press
    client.force_login(admin)
    body = HugeMultipartBody(TWO_HUNDRED_MB)
    response = post_body(client, reverse("deposits:list", args=[member.pk]), body, content_length=TWO_HUNDRED_MB)
    assert response.status_code == 413
    assert "at most 10.0" in response.content.decode()
    assert body.read_bytes < 1024 * 1024 and temp_files == [] and not Deposit.objects.exists()


def test_upload_with_a_false_length_is_cut_at_the_limit(client, press, settings, temp_files):
    member, admin = press
    client.force_login(admin)
    client.get(reverse("deposits:list", args=[member.pk]))
    body = HugeMultipartBody(TWO_HUNDRED_MB, csrf=client.cookies["csrftoken"].value)
    response = post_body(client, reverse("deposits:list", args=[member.pk]), body, content_length=5 * 1024 * 1024)
    assert response.status_code in {400, 413}
    assert body.read_bytes <= 6 * 1024 * 1024 and not Deposit.objects.exists()


def test_anonymous_upload_never_writes_a_file(client, press, temp_files):
    member, _ = press
    client.get(reverse("account_login"))
    body = HugeMultipartBody(5 * 1024 * 1024, csrf=client.cookies["csrftoken"].value)
    response = post_body(client, reverse("deposits:list", args=[member.pk]), body, content_length=5 * 1024 * 1024)
    assert response.status_code in {302, 403, 413}
    assert temp_files == [] and not Deposit.objects.exists()


def test_browser_style_request_gets_the_reason_not_a_csrf_error(press, temp_files):
    from django.test import Client

    member, admin = press
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin)
    client.get(reverse("deposits:list", args=[member.pk]))  # the form page sets the CSRF cookie
    body = HugeMultipartBody(TWO_HUNDRED_MB)
    response = post_body(client, reverse("deposits:list", args=[member.pk]), body, content_length=TWO_HUNDRED_MB)
    assert response.status_code == 413
    assert "a deposit file may be at most" in response.content.decode()
    assert body.read_bytes == 0 and temp_files == []
