"""Crossref's works routes: `GET /works` (list, search, filters, cursor paging) and `GET /works/{doi}`.

Thin: parameters are read and checked here and in `params` (Crossref's 400 `validation-failure`
body for what is wrong), the reading is `citations.work_search` and `citations.selectors`, the
item format `serializers`.
"""
from __future__ import annotations

import re

from django.http import HttpResponse
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema

from citations.api import params as list_params
from citations.api.front import cache_once_sent
from citations.api.renderers import FastJSONRenderer
from citations.api.throttling import PublicRateThrottle
from citations.api.serializers import (
    WORK_FIELDS,
    CrossrefWorkSerializer,
    ReferenceValues,
    WorkValues,
    crossref_work,
    envelope,
    validation_failure,
)
from citations.selectors import public_work_with_references
from citations.work_json import remember_work_json
from citations.views import work_old_url
from citations.work_search import BibliographicQuery, list_works, search_works
from portal import front

DEFAULT_ROWS = 20
MAX_ROWS = 1000  # Crossref's own cap
MAX_OFFSET = 10_000  # Crossref's too: deeper than that wants a cursor
# Crossref query parameter -> BibliographicQuery field. `query` (all fields) is searched as a reference.
FIELD_QUERIES = {
    "query": "bibliographic",
    "query.bibliographic": "bibliographic",
    "query.title": "title",
    "query.author": "author",
    "query.container-title": "container_title",
}
# Accepted and without effect here: `mailto` is Crossref's "polite pool" etiquette.
IGNORED = {"mailto"}
LIST_PARAMETERS = {"rows", "offset", "select", "filter", "cursor", "sort", "order"}
# A bibliographic query under a cursor pages through this many of its best candidates.
QUERY_CURSOR_DEPTH = 200
# Crossref's answer for a DOI it does not have, word for word (its clients only look at the 404).
NOT_FOUND = "Resource not found."


THROTTLED = OpenApiResponse(OpenApiTypes.OBJECT, description="Past the rate limit; retry after the Retry-After header's seconds.",
                            examples=[OpenApiExample("throttled", {"status": 429, "reason": "throttled",
                                                                   "message": "Request was throttled. Expected available in 12 seconds."})])
EXAMPLE_WORK = {
    "DOI": "10.5555/graphene.1", "title": ["Phonon dispersion in graphene"], "subtitle": [], "container-title": ["Journal of Examples"],
    "issued": {"date-parts": [[2004]]}, "published": {"date-parts": [[2004]]}, "type": "journal-article", "publisher": "Cited Press",
    "member": "1", "prefix": "10.5555", "URL": "https://doi.org/10.5555/graphene.1", "is-referenced-by-count": 3,
    "references-count": 1, "reference-count": 1, "volume": "93", "issue": "18", "page": "185503-185507", "ISSN": ["0031-9007"],
    "author": [{"given": "Ada", "family": "Lovelace", "sequence": "first", "affiliation": [], "ORCID": "https://orcid.org/0000-0002-1825-0097"}],
    "reference": [{"key": "ref1", "DOI": "10.6666/earlier", "doi-asserted-by": "crossref", "unstructured": "B. Babbage, 1999."}],
}


def _crossref_example(kind: str, message) -> dict:
    return {"status": "ok", "message-type": kind, "message-version": "1.0.0", "message": message}


class PublicWorksView(APIView):
    """Crossref's public works API: anyone may call it, within the public rate limit, and its
    errors have the same JSON shape as the portal's other APIs."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    renderer_classes = [FastJSONRenderer]
    throttle_classes = [PublicRateThrottle]

    def get_exception_handler(self):
        from deposits.api.views import json_errors

        return json_errors


class WorkList(PublicWorksView):
    """Public: metadata and counts of registered works, never who cites them."""

    @extend_schema(
        operation_id="works_list",
        summary="Works, as Crossref's GET /works (search, filters, sort, offset or cursor paging)",
        parameters=[
            OpenApiParameter("query.bibliographic", str, description="A reference or title to search for."),
            OpenApiParameter("filter", str, description="prefix, member, type, from-pub-date, until-pub-date, has-references, from-update-date; comma-separated name:value."),
            OpenApiParameter("rows", int, description="Items per page, ≤ 1000 (default 20)."),
            OpenApiParameter("offset", int, description="Skip this many (≤ 10000); deeper: cursor."),
            OpenApiParameter("cursor", str, description="`*` to start deep paging; then each answer's next-cursor."),
            OpenApiParameter("sort", str, enum=["is-referenced-by-count", "published", "updated", "created", "score"]),
            OpenApiParameter("order", str, enum=["asc", "desc"]),
        ],
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, examples=[OpenApiExample("a page", _crossref_example("work-list", {
                "facets": {}, "total-results": 1, "items": [EXAMPLE_WORK], "items-per-page": 20,
                "query": {"start-index": 0, "search-terms": None}, "next-cursor": "DnF1ZXJ5VGhlbkZldGNo"}))]),
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="Crossref's validation failure.", examples=[OpenApiExample("bad rows", {
                "status": "failed", "message-type": "validation-failure", "message": [{"type": "integer-not-valid", "value": "5000",
                "message": "Integer specified as 5000 but must be a positive integer less than or equal to 1000."}]})]),
            429: THROTTLED,
        },
    )
    def get(self, request):
        params = request.query_params
        problems = [_not_allowed(name) for name in params if name not in FIELD_QUERIES and name not in IGNORED | LIST_PARAMETERS]
        rows, problem = _integer(params, "rows", DEFAULT_ROWS, MAX_ROWS)
        problems += problem
        offset, problem = _integer(params, "offset", 0, MAX_OFFSET)
        problems += problem
        filters, problem = list_params.parse_filters(",".join(params.getlist("filter")))
        problems += problem
        fields: dict[str, list[str]] = {}
        for name, field in FIELD_QUERIES.items():
            fields.setdefault(field, []).extend(v for v in params.getlist(name) if v.strip())
        query = BibliographicQuery(**{field: " ".join(values) for field, values in fields.items()})
        sort, descending, problem = list_params.parse_sort(params.get("sort"), params.get("order"), has_query=bool(query))
        problems += problem
        field = sort if sort == "score" else list_params.SORTS.get(sort, "created")
        cursor = None
        if "cursor" in params:
            if offset:
                problems.append({"type": "parameter-not-allowed", "value": "offset", "message": "offset cannot be combined with cursor: page on with each answer's next-cursor"})
            cursor, problem = list_params.decode_cursor(params["cursor"], sort=field, descending=descending)
            problems += problem
        if problems:
            return Response(validation_failure(problems), status=400)
        after = cursor.key if cursor else None
        if query:
            depth = QUERY_CURSOR_DEPTH if cursor else None
            page = search_works(query, rows=rows, offset=offset, filters=filters, sort=field, descending=descending, after=after, depth=depth)
        else:
            page = list_works(rows=rows, offset=offset, filters=filters, sort=field, descending=descending, after=after)
        select = [name for value in params.getlist("select") for name in value.split(",") if name]
        items = [_selected(CrossrefWorkSerializer(found.work, context={"score": found.score}).data, select) for found in page.works]
        terms = " ".join(v for name in FIELD_QUERIES for v in params.getlist(name) if v.strip())
        message = {
            "facets": {},
            "total-results": page.total,
            "items": items,
            "items-per-page": rows,
            "query": {"start-index": offset, "search-terms": terms or None},
        }
        if cursor:
            # An exhausted cursor answers no items and the same cursor: clients stop on an empty page.
            last = page.works[-1].key if page.works else cursor.key
            message["next-cursor"] = list_params.encode_cursor(list_params.Cursor(sort=field, descending=descending, key=last))
        return Response(envelope("work-list", message))


class WorkDetail(PublicWorksView):
    """`GET /works/{doi}`: one work's metadata, counts and its own reference list. Public."""

    @extend_schema(
        operation_id="works_detail",
        summary="One work, as Crossref's GET /works/{doi} (bare, URL-encoded or https://doi.org/ DOI, any case)",
        parameters=[OpenApiParameter("doi", str, OpenApiParameter.PATH, description="The DOI, e.g. 10.5555/graphene.1")],
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, examples=[OpenApiExample("a work", _crossref_example("work", EXAMPLE_WORK))]),
            404: OpenApiResponse(OpenApiTypes.STR, description="Crossref's plain-text answer: “Resource not found.”"),
            429: THROTTLED,
        },
    )
    def get(self, request, doi: str):
        found = _work_at(doi)
        if found is None:
            return HttpResponse(NOT_FOUND, status=404, content_type="text/plain")
        work, references = WorkValues(found[0]), [ReferenceValues(values) for values in found[1]]
        response = Response(envelope("work", crossref_work(work, references=references)))
        if front.enabled():  # the exact bytes sent, for portal.front to send until the work's JSON changes
            doi = work.doi
            cache_once_sent(response, lambda headers, body: remember_work_json(doi, body))
        return response


work_detail = WorkDetail.as_view()


def work_or_old_page(request, doi: str):
    """`/works/<doi>` is Crossref's JSON. The portal's pages once lived at `/works/<doi>/` and
    `/works/<doi>/cited-by/`: a browser following such an old link (it prefers HTML and the path
    ends in "/") is still redirected to the page; any other client gets the JSON."""
    if doi.endswith("/") and request.get_preferred_type(["application/json", "text/html"]) == "text/html":
        return work_old_url(request, doi.removesuffix("/"))
    return work_detail(request, doi=doi)


def _work_at(path: str) -> tuple[dict, list[dict]] | None:
    """The work a `/works/` path names, with its public reference list (one query): a bare,
    URL-encoded or resolver-URL DOI, any case; a trailing "/" is ignored unless a DOI really ends
    in one."""
    # Some servers and proxies merge the "//" of "https://doi.org/…" in a path.
    path = re.sub(r"^(https?:)/(?=[^/])", r"\1//", path, flags=re.IGNORECASE)
    found = public_work_with_references(path, fields=WORK_FIELDS)
    if found is None and path.endswith("/"):
        found = public_work_with_references(path.rstrip("/"), fields=WORK_FIELDS)
    return found


def _integer(params, name: str, default: int, maximum: int) -> tuple[int, list[dict]]:
    value = params.get(name)
    if value is None or value == "":
        return default, []
    try:
        number = int(value)
    except ValueError:
        number = -1
    if 0 <= number <= maximum:
        return number, []
    return default, [{
        "type": "integer-not-valid",
        "value": value,
        "message": f"Integer specified as {value} but must be a positive integer less than or equal to {maximum}.",
    }]


def _not_allowed(name: str) -> dict:
    if name.startswith("query."):
        supported = ", ".join(n for n in FIELD_QUERIES if n != "query")
        return {"type": "parameter-not-allowed", "value": name,
                "message": f"This portal does not support the field query {name}; it supports {supported}."}
    return {"type": "parameter-not-allowed", "value": name, "message": f"This route does not support {name}"}


def _selected(item: dict, select: list[str]) -> dict:
    return {key: value for key, value in item.items() if key in select} if select else item
