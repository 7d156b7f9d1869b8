"""The widget's endpoints (its script, its JSON, its iframe) and the member's widget pages.

Who may use a key where is decided in members.access; these views read the request's Origin,
Referer and Sec-Fetch-Site headers, ask there, and answer with the headers browsers enforce
(CORS for exactly the allowed site, frame-ancestors naming the allowed sites).
"""
from __future__ import annotations

import gzip
import hashlib
import json
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import orjson
from csp.constants import SELF
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_POST

from citations.widget.data import widget_entry
from citations.widget.rich import face_tags, mathml_tags
from deposits.doi import doi_url_path
from deposits.models import Work
from members import services as member_services
from members.access import can_manage_member, widget_origin_allowed
from members.origins import InvalidOrigin, parse_origin
from members.selectors import widget_key_by_value, widget_keys_of
from members.shortcuts import NOT_FOUND, member_or_404

ASSETS = Path(__file__).resolve().parent.parent / "static" / "citations" / "widget"
# Readers' browsers revalidate every time (cheap: 304), so a new citation or a revoked key
# shows on the next page view; the server's cache keeps revalidation fast.
DATA_CACHE_CONTROL = "no-cache"
SCRIPT_CACHE_CONTROL = "public, max-age=3600"
OPTIONS = {
    "max": ("5", "How many citing works to show before “Show more” (1–100)."),
    "layout": ("full", "full: title, authors, venue and year; compact: title and year on one line."),
    "theme": ("auto", "light, dark, or auto (follows the reader's system setting)."),
    "empty": ("none", "What a work with no citations shows: none (nothing at all) or text (“No citations yet”)."),
}


# --- The script -----------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _script() -> tuple[bytes, bytes, str]:
    """cited-by.js with the widget's stylesheet and tag allow-lists put in (one source for the
    script and the iframe), plain and gzipped, and its ETag. Built once per process."""
    source = (ASSETS / "cited-by.js").read_text()
    css = " ".join((ASSETS / "widget.css").read_text().split())
    source = (
        source.replace('"__WIDGET_CSS__"', json.dumps(css))
        .replace('"__FACE_TAGS__"', json.dumps(" ".join(face_tags())))
        .replace('"__MATHML_TAGS__"', json.dumps(" ".join(mathml_tags())))
    )
    plain = source.encode()
    return plain, gzip.compress(plain, 9, mtime=0), '"' + hashlib.blake2b(plain, digest_size=12).hexdigest() + '"'


@require_GET
def script(request):
    plain, zipped, etag = _script()
    if _etag_matches(request, etag):
        response = HttpResponse(status=304)
    else:
        use_gzip = "gzip" in request.headers.get("Accept-Encoding", "")
        response = HttpResponse(zipped if use_gzip else plain, content_type="text/javascript; charset=utf-8")
        if use_gzip:
            response["Content-Encoding"] = "gzip"
    response["ETag"] = etag
    response["Cache-Control"] = SCRIPT_CACHE_CONTROL
    # Pages that isolate themselves (Cross-Origin-Embedder-Policy) may still load it.
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    patch_vary_headers(response, ["Accept-Encoding"])
    return response


# --- The data ---------------------------------------------------------------------------------------


@require_GET
def data(request, doi: str):
    """The JSON the script reads: answered only for the key's member's DOIs, and readable by the
    browser only on the key's allowed sites (CORS naming exactly the asking site)."""
    key = widget_key_by_value(request.GET.get("key", ""))
    origin = _origin(request.headers.get("Origin"))
    same_origin = _same_origin(request, origin)
    if key is None or key.revoked is not None:
        return _refused(403, "This widget key is unknown or revoked.")
    if not widget_origin_allowed(key, origin=origin, same_origin=same_origin):
        # No Access-Control-Allow-Origin: the asking page reads nothing, not even the reason.
        return _refused(403, "This site is not one of the widget key's allowed sites.")
    allow = None if same_origin else origin
    entry = widget_entry(doi, key=key)
    if entry is None:
        return _refused(404, "No work with this DOI is shown by this widget key.", allow=allow)
    if _etag_matches(request, entry.etag):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(entry.body, content_type="application/json")
    response["ETag"] = entry.etag
    response["Cache-Control"] = DATA_CACHE_CONTROL
    return _cors(response, allow)


def _refused(status: int, message: str, *, allow: str | None = None) -> HttpResponse:
    response = HttpResponse(orjson.dumps({"error": message}), content_type="application/json", status=status)
    response["Cache-Control"] = "no-store"
    return _cors(response, allow)


def _cors(response: HttpResponse, allow: str | None) -> HttpResponse:
    if allow:
        response["Access-Control-Allow-Origin"] = allow
        response["Access-Control-Expose-Headers"] = "ETag"
    # The answer depends on the asking site: shared caches keep one per site.
    patch_vary_headers(response, ["Origin"])
    return response


# --- The iframe -------------------------------------------------------------------------------------


@require_GET
def embed(request, doi: str):
    """The same content rendered by the server, for `<iframe src=…>` (no JavaScript needed).

    Framing is left to the browser's CSP `frame-ancestors`, which names the key's sites; a
    `Referer` from another site, or a page opened directly, is refused here as well.
    """
    key = widget_key_by_value(request.GET.get("key", ""))
    referer = _origin(request.headers.get("Referer"))
    fetch_site = request.headers.get("Sec-Fetch-Site", "")
    same_origin = fetch_site == "same-origin" or _same_origin(request, referer)
    if key is None or key.revoked is not None:
        return _embed_refused(request, "This widget key is unknown or revoked.")
    if not same_origin:
        if referer is not None and not widget_origin_allowed(key, origin=referer, same_origin=False):
            return _embed_refused(request, "This site is not one of the widget key's allowed sites.")
        if fetch_site == "none":
            return _embed_refused(request, "This page is made to be shown inside the widget key's allowed sites.")
    entry = widget_entry(doi, key=key)
    if entry is None:
        return _embed_refused(request, "No work with this DOI is shown by this widget key.", status=404)
    options = _options(request.GET)
    etag = '"' + hashlib.blake2b(f"{entry.etag}{sorted(options.items())}{key.allowed_origins}".encode(), digest_size=12).hexdigest() + '"'
    if _etag_matches(request, etag):
        response = HttpResponse(status=304)
    else:
        payload = orjson.loads(entry.body)
        works = payload["works"]
        response = render(request, "citations/widget/embed.html", {
            "payload": payload, "shown": works[: options["max"]], "hidden": works[options["max"] :],
            "unlisted": max(payload["count"] - len(works), 0), "options": options,
        })
    response["ETag"] = etag
    response["Cache-Control"] = DATA_CACHE_CONTROL
    patch_vary_headers(response, ["Referer"])
    # Framing only by the key's sites (and the portal itself, for its documentation's preview).
    response._csp_replace = {"frame-ancestors": [SELF, *key.allowed_origins]}
    response.xframe_options_exempt = True  # X-Frame-Options cannot name sites; frame-ancestors does
    return response


def _embed_refused(request, message: str, *, status: int = 403) -> HttpResponse:
    # Keeps X-Frame-Options DENY and frame-ancestors 'none': the frame shows nothing of ours.
    response = render(request, "citations/widget/refused.html", {"message": message}, status=status)
    response["Cache-Control"] = "no-store"
    return response


def _options(query) -> dict:
    try:
        shown = min(max(int(query.get("max", 5)), 1), 100)
    except ValueError:
        shown = 5
    return {
        "max": shown,
        "layout": "compact" if query.get("layout") == "compact" else "full",
        "theme": query.get("theme") if query.get("theme") in ("light", "dark") else "auto",
        "empty": "text" if query.get("empty") == "text" else "none",
    }


# --- Helpers ------------------------------------------------------------------------------------------


def _origin(value: str | None) -> str | None:
    """The normalised origin of an Origin or Referer header, or None."""
    if not value or value == "null":
        return None
    parts = urlsplit(value)
    try:
        return parse_origin(f"{parts.scheme}://{parts.netloc}")
    except InvalidOrigin:
        return None


def _same_origin(request, origin: str | None) -> bool:
    if origin is None:
        # Browsers send no Origin on a same-origin GET; they say where it came from instead.
        return request.headers.get("Sec-Fetch-Site") == "same-origin"
    return origin == _origin(request.build_absolute_uri("/"))


def _etag_matches(request, etag: str) -> bool:
    sent = request.headers.get("If-None-Match", "")
    return bool(sent) and (sent.strip() == "*" or etag in [tag.strip().removeprefix("W/") for tag in sent.split(",")])


# --- The member's pages -----------------------------------------------------------------------------


def _managed_member(request, pk: int):
    member = member_or_404(request, pk)
    if not can_manage_member(request.user, member):
        raise Http404(NOT_FOUND)
    return member


@login_required
def keys(request, pk: int):
    """A member admin's widget keys: create one with its allowed sites, see them, revoke them."""
    member = _managed_member(request, pk)
    form = {"name": "", "origins": ""}
    error = ""
    if request.method == "POST":
        form = {"name": request.POST.get("name", "").strip(), "origins": request.POST.get("origins", "")}
        try:
            key = member_services.widget_key_create(member=member, name=form["name"], origins=form["origins"], created_by=request.user)
        except InvalidOrigin as problem:
            error = f"No key was made: allowed sites, {problem}."
        else:
            messages.success(request, f"Widget key “{key.name}” made: {key.key}. It works on {', '.join(key.allowed_origins)}.")
            return redirect("widget:keys", pk=member.pk)
    return render(request, "citations/widget/keys.html", {
        "member": member, "widget_keys": widget_keys_of(member), "form": form, "error": error,
        "tab": "widget", "focus_messages": True,
    }, status=400 if error else 200)


@login_required
@require_POST
def key_revoke(request, pk: int, key_pk: int):
    member = _managed_member(request, pk)
    key = widget_keys_of(member).filter(pk=key_pk).first()
    if key is None:
        raise Http404(NOT_FOUND)
    member_services.widget_key_revoke(key=key, by=request.user)
    messages.success(request, f"Widget key “{key.name}” is revoked: pages using it show nothing from now on.")
    return redirect("widget:keys", pk=member.pk)


@login_required
def docs(request, pk: int):
    """For publishers: the snippet for one of the member's own DOIs, a live preview, every option."""
    member = _managed_member(request, pk)
    active = widget_keys_of(member).filter(revoked__isnull=True)
    key = active.filter(pk=request.GET.get("key") or 0).first() if request.GET.get("key", "").isdigit() else None
    key = key or active.first()
    work = Work.objects.filter(owner=member).order_by("-cited_by_count", "doi").only("doi", "title", "cited_by_count").first()
    base = request.build_absolute_uri("/").rstrip("/")
    embed_path = reverse("widget:embed", args=[_PLACEHOLDER]).replace(_PLACEHOLDER, doi_url_path(work.doi)) if work else ""
    return render(request, "citations/widget/docs.html", {
        "member": member, "key": key, "keys": active, "work": work, "options": OPTIONS, "base": base,
        "script_url": base + reverse("widget:script"), "embed_path": embed_path, "tab": "widget",
    })


_PLACEHOLDER = "10.0000/placeholder"


def demo(request):
    """An article page embedding the widget as a publisher would (the portal's own origin may use
    any key): the most cited work among members that have an active widget key."""
    from members.models import WidgetKey

    key = WidgetKey.objects.filter(revoked__isnull=True).order_by("created", "pk").first()
    work = None
    if key is not None:
        work = Work.objects.filter(owner_id=key.member_id).order_by("-cited_by_count", "doi").first()
    return render(request, "citations/widget/demo.html", {"key": key, "work": work})
