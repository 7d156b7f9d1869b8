"""The widget's data answered before Django (portal.front) when both the key's record and the
work's entry are cached: one round trip reads both, members.access decides on the key's record
exactly as views.data does, and the answer is views.data's, header for header.

Anything else (a missing record or entry, a refused key or site, a 404) is left to views.data,
which also says why; so a revoked key or a removed site is refused at once, cached or not.
"""
from __future__ import annotations

import re
from urllib.parse import parse_qsl

from django.conf import settings

from citations.widget import data
from citations.widget.views import DATA_CACHE_CONTROL, _etag_matches, _origin, _same_origin
from deposits.doi import DoiConverter, normalize_doi
from members.access import widget_key_serves, widget_origin_allowed
from members.selectors import widget_key_cache_key, widget_key_from_record
from portal.front import Answer, cached_many

PREFIX = "/widget/v1/data/"
# The URL pattern's own DOI converter (citations/widget/urls.py).
DOI_PATH = re.compile(DoiConverter.regex)


def data_answer(request) -> Answer | None:
    doi = request.path_info[len(PREFIX):]
    if not DOI_PATH.fullmatch(doi):
        return None
    # As request.GET.get("key"): the last value (QueryDict parses with the same function).
    value = ""
    for name, found in parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True):
        if name == "key":
            value = found
    normal = normalize_doi(doi)
    if not normal or not value or len(value) > 64:
        return None
    (record, entry), _ = cached_many([widget_key_cache_key(value), data.cache_key(normal)])
    if record is None or entry is None:
        return None
    key = widget_key_from_record(value, record)
    owner_id, etag, body = entry
    if not widget_key_serves(key, owner_id=owner_id):
        return None
    origin = _origin(request.headers.get("Origin"))
    same_origin = _same_origin(request, origin)
    if not widget_origin_allowed(key, origin=origin, same_origin=same_origin):
        return None
    allow = None if same_origin else origin
    if _etag_matches(request, etag):
        status, content_type, body = 304, f"text/html; charset={settings.DEFAULT_CHARSET}", b""  # HttpResponse's own
    else:
        status, content_type = 200, "application/json"
    headers = [("Content-Type", content_type), ("ETag", etag), ("Cache-Control", DATA_CACHE_CONTROL)]
    if allow:
        headers += [("Access-Control-Allow-Origin", allow), ("Access-Control-Expose-Headers", "ETag")]
    headers.append(("Vary", "Origin"))
    return Answer(status=status, headers=headers, body=body)
