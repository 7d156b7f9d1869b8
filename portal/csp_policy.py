"""The Content-Security-Policy header (django-csp), its policy built once per process.

Nearly every answer, all of the APIs' JSON and most pages, sends the policy of the settings as it
is: no view changes it and no template asks for a nonce. django-csp builds that string from the
settings anew for every answer, which cost a machine read more CPU than its Redis round trip.
Here it is built once (and again when a test changes the settings); an answer whose view changes
the policy (csp_update, the widget's frame-ancestors) or that used a nonce is django-csp's own.
The headers are django-csp's, byte for byte (tests/test_csp_policy.py compares them).
"""
from __future__ import annotations

import http.client

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

# What a view sets on its response to change the policy (csp.decorators), report-only's too.
_PER_ANSWER = ("_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro")
_DEBUG_EXEMPT = (http.client.INTERNAL_SERVER_ERROR, http.client.NOT_FOUND)
_policies: dict[bool, tuple[str, tuple[str, ...]]] = {}  # report_only -> (policy, excluded path prefixes)


def settings_policy(*, report_only: bool = False) -> tuple[str, tuple[str, ...]]:
    """The policy of the settings as django-csp writes it, and the path prefixes it excludes."""
    found = _policies.get(report_only)
    if found is None:
        name = "CONTENT_SECURITY_POLICY_REPORT_ONLY" if report_only else "CONTENT_SECURITY_POLICY"
        excluded = tuple((getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES", None) or ())
        found = _policies[report_only] = (build_policy(report_only=report_only), excluded)
    return found


@receiver(setting_changed, dispatch_uid="portal_csp_settings_changed")
def _forget_policies(setting, **kwargs) -> None:
    if setting in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY"):
        _policies.clear()


class CSPMiddleware(DjangoCSPMiddleware):
    def process_response(self, request, response):
        if getattr(request, "_csp_nonce", None) is not None or any(hasattr(response, part) for part in _PER_ANSWER):
            return super().process_response(request, response)
        if response.status_code in _DEBUG_EXEMPT and settings.DEBUG:
            return response
        for header, exempt, report_only in ((HEADER, "_csp_exempt", False), (HEADER_REPORT_ONLY, "_csp_exempt_ro", True)):
            policy, excluded = settings_policy(report_only=report_only)
            if (policy and header not in response and getattr(response, exempt, False) is False
                    and not request.path_info.startswith(excluded)):
                response[header] = policy
        # As django-csp: a nonce asked for after the header is written is an error, not a silent miss.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
