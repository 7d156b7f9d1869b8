"""A shorter middleware stack for the machine read paths: the widget's data, `/works/{doi}` and a
work's cited-by list by API key.

These are asked thousands of times a minute by pages and platforms that send no cookie, so the
middleware that serves signed-in people (sessions, CSRF, the signed-in user, messages, allauth,
htmx) and static files (WhiteNoise) has nothing to do for them, yet cost as much CPU as a cached
answer itself. Such a request goes through the rest of settings.MIDDLEWARE, in its order
(security headers, Content-Length, X-Frame-Options, the Content-Security-Policy), so its headers
are those of the full stack (tests/test_machine_paths.py compares them). A request with a cookie
may be a signed-in user's, so it takes the full stack.
"""
from __future__ import annotations

import re

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.core.handlers.exception import convert_exception_to_response
from django.urls import Resolver404, resolve
from django.utils.module_loading import import_string

# Their routes alone, resolved without trying people's pages' first.
URLCONF, ROOT_URLCONF = "portal.machine_urls", "portal.urls"
MACHINE_PATHS = re.compile(r"^/(?:widget/v1/data/|works/)")
# Cited-by by key only: without credentials the answer depends on the session (Vary: Cookie).
KEYED_PATHS = re.compile(r"^/api/v1/(?:works/.+|prefixes/[^/]+)/cited-by$")
# What a request without a cookie, for JSON, never needs.
SKIPPED = frozenset({
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
})


def takes_short_stack(request) -> bool:
    path = request.path_info
    if request.method not in ("GET", "HEAD") or request.META.get("HTTP_COOKIE") or path.endswith("/"):
        return False  # (`/works/<doi>/` may be an old page address that browsers are redirected from)
    return MACHINE_PATHS.match(path) is not None or (
        "HTTP_AUTHORIZATION" in request.META and KEYED_PATHS.match(path) is not None)


class MachinePathsMiddleware:
    """First in settings.MIDDLEWARE: machine read paths go through the short stack, the rest on."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.short_stack = self._short_stack()

    def __call__(self, request):
        if takes_short_stack(request):
            # Nobody is signed in without a cookie; error pages may still ask who is.
            request.user = AnonymousUser()
            return self.short_stack(request)
        return self.get_response(request)

    def _short_stack(self):
        """The kept middleware around the view, built as Django's handler builds its own."""
        own = f"{type(self).__module__}.{type(self).__qualname__}"
        self.view_hooks = []
        handler = convert_exception_to_response(self._view)
        for path in reversed(settings.MIDDLEWARE):
            if path in SKIPPED or path == own:
                continue
            middleware = import_string(path)(handler)
            if hasattr(middleware, "process_exception") or hasattr(middleware, "process_template_response"):
                raise ImproperlyConfigured(f"{path} handles exceptions or templates: add it to portal.machine_paths.SKIPPED "
                                           "or teach the short stack to call it.")
            if hasattr(middleware, "process_view"):
                self.view_hooks.insert(0, middleware.process_view)
            handler = convert_exception_to_response(middleware)
        return handler

    def _view(self, request):
        match = request.resolver_match = _resolve(request)
        for hook in self.view_hooks:
            response = hook(request, match.func, match.args, match.kwargs)
            if response is not None:
                return response
        response = match.func(request, *match.args, **match.kwargs)
        # DRF's Response is rendered late, as Django's handler does it.
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        return response


def _resolve(request):
    """The route of the machine URLconf, else of the root's (its 404, or a route of its own).
    Only under the portal's own root URLconf: one set for a test or a request is used whole."""
    if settings.ROOT_URLCONF == ROOT_URLCONF and not hasattr(request, "urlconf"):
        try:
            return resolve(request.path_info, urlconf=URLCONF)
        except Resolver404:
            pass
    return resolve(request.path_info)
