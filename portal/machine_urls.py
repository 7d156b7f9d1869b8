"""The URLs of the machine read paths alone (portal.machine_paths resolves them here): the root
URLconf tries some forty routes of people's pages before them on every request.

The same includes as portal.urls, so a path resolves to the same view, arguments, names and
namespaces; no route before them in portal.urls starts with `widget/`, `works/` or `api/v1/`
(tests/test_machine_paths.py compares the two resolvers on such paths), and a path not found here
is looked up in portal.urls after all.
"""
from django.urls import include, path

from portal import urls as root  # noqa: F401  (registers the `doi` path converter these routes use)

urlpatterns = [
    path("", include("citations.widget.urls")),
    path("", include("citations.api.urls")),
]
