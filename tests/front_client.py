"""A test client that asks portal.front first, as gunicorn does, and Django's test client when the
front leaves the request to Django; each answer says which of the two gave it (`via_front`)."""
from __future__ import annotations

from django.test import Client, RequestFactory

from portal.front import Front


class FrontAnswer:
    """The front's answer, read as a Django test response is (status_code, content, headers)."""

    via_front = True

    def __init__(self, status: str, headers: list[tuple[str, str]], body: bytes) -> None:
        self.status_code = int(status.split()[0])
        self.status_line = status
        self.header_list = headers
        self.content = body

    def items(self):
        return list(self.header_list)

    def __getitem__(self, name: str) -> str:
        return next(value for key, value in self.header_list if key.lower() == name.lower())

    def __contains__(self, name: str) -> bool:
        return any(key.lower() == name.lower() for key, _ in self.header_list)


_DJANGO = object()


class FrontClient:
    def __init__(self, client: Client | None = None) -> None:
        self.client = client or Client()
        self.front = Front(lambda environ, start_response: _DJANGO)

    def get(self, path: str, data: dict | None = None, *, headers: dict | None = None, secure: bool = False, **extra):
        environ = RequestFactory().get(path, data, headers=headers, secure=secure, **extra).environ
        answer: dict = {}
        result = self.front(environ, lambda status, header_list: answer.update(status=status, headers=header_list))
        if result is _DJANGO:
            # What the front left in the environ for Django (e.g. its rate-limit count) goes on too.
            left = {name: value for name, value in environ.items() if name.startswith("portal.")}
            response = self.client.get(path, data, headers=headers, secure=secure, **extra, **left)
            response.via_front = False
            return response
        return FrontAnswer(answer["status"], answer["headers"], b"".join(result))
