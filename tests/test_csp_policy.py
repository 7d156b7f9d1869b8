"""portal.csp_policy: the Content-Security-Policy headers are django-csp's own, byte for byte, both
for answers that send the settings' policy (built once per process) and for those whose view
changes it or that use a nonce; a change of the settings is followed."""
from __future__ import annotations

import re

import pytest
from csp.constants import NONCE, SELF, UNSAFE_INLINE
from csp.decorators import csp_exempt, csp_replace, csp_update
from csp.exceptions import CSPNonceError
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from django.http import HttpResponse, JsonResponse
from django.test import RequestFactory

from portal.csp_policy import CSPMiddleware


def _json(request):
    return JsonResponse({"status": "ok"})


def _nonced(request):
    return HttpResponse(f"<script nonce='{request.csp_nonce}'></script>")


def _already_set(request):
    response = HttpResponse("")
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


def _missing(request):
    return HttpResponse("gone", status=404)


VIEWS = {
    "json": _json,
    "nonce": _nonced,
    "updated": csp_update({"style-src": [UNSAFE_INLINE]})(_json),
    "replaced": csp_replace({"frame-ancestors": [SELF, "https://journal.example"]})(_json),
    "exempt": csp_exempt()(_json),
    "exempt report-only": csp_exempt(REPORT_ONLY=True)(_json),
    "already set": _already_set,
    "404": _missing,
}


def _csp_headers(middleware_class, view, path: str = "/works/10.5555/x") -> list[tuple[str, str]]:
    """The answer's CSP headers, and what asking for a nonce afterwards gives (django-csp: an
    error once the header is written without one)."""
    request = RequestFactory().get(path)
    response = middleware_class(view)(request)
    try:
        late = "nonce" if str(request.csp_nonce) else ""
    except CSPNonceError:
        late = "error"
    # (Each request's nonce is its own random value.)
    return [(name, re.sub(r"'nonce-[^']+'", "'nonce-N'", value)) for name, value in response.items()
            if name.startswith("Content-Security-Policy")] + [("late", late)]


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("report_only", [False, True])
def test_the_headers_are_django_csps(settings, view, report_only):
    if report_only:
        settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"default-src": [SELF], "script-src": [SELF, NONCE]}}
    for _ in range(2):  # the second from the policy built by the first
        ours = _csp_headers(CSPMiddleware, VIEWS[view])
        assert ours == _csp_headers(DjangoCSPMiddleware, VIEWS[view])
    if view in ("json", "404"):
        assert [name for name, _ in ours] == ["Content-Security-Policy", *(["Content-Security-Policy-Report-Only"] if report_only else []), "late"]
        assert ours[-1] == ("late", "error")


def test_debug_error_pages_and_excluded_paths_are_left_alone_as_django_csp_leaves_them(settings):
    settings.DEBUG = True
    assert _csp_headers(CSPMiddleware, _missing) == _csp_headers(DjangoCSPMiddleware, _missing) == [("late", "nonce")]
    settings.DEBUG = False
    settings.CONTENT_SECURITY_POLICY = {**settings.CONTENT_SECURITY_POLICY, "EXCLUDE_URL_PREFIXES": ["/works/"]}
    assert _csp_headers(CSPMiddleware, _json) == _csp_headers(DjangoCSPMiddleware, _json) == [("late", "error")]
    elsewhere = _csp_headers(CSPMiddleware, _json, "/doi/10.5555/x")
    assert elsewhere == _csp_headers(DjangoCSPMiddleware, _json, "/doi/10.5555/x") and len(elsewhere) == 2


def test_a_changed_policy_is_followed(settings):
    before = _csp_headers(CSPMiddleware, _json)
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"], "frame-ancestors": ["'none'"]}}
    after = _csp_headers(CSPMiddleware, _json)
    assert after != before
    assert after == _csp_headers(DjangoCSPMiddleware, _json)
