"""Crossref's works routes: `GET /works` (list, search, filters, cursor paging) and `GET /works/{doi}`.

Thin: parameters are read and checked here and in `params` (Crossref's 400 `validation-failure`
body for what is wrong), the reading is `citations.work_search` and `citations.selectors`, the
item format `serializers`.
"""
from __future__ import annotations

import re

from django.http import HttpResponse
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from citations.api import params as list_params
from citations.api.serializers import CrossrefWorkSerializer, envelope, validation_failure
from citations.selectors import public_references
from citations.views import work_old_url
from citations.work_search import BibliographicQuery, list_works, search_works
from deposits.selectors import work_by_doi

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


class WorkList(APIView):
    """Public: metadata and counts of registered works, never who cites them."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]

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


class WorkDetail(APIView):
    """`GET /works/{doi}`: one work's metadata, counts and its own reference list. Public."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]

    def get(self, request, doi: str):
        work = _work_at(doi)
        if work is None:
            return HttpResponse(NOT_FOUND, status=404, content_type="text/plain")
        data = CrossrefWorkSerializer(work, context={"references": public_references(work)}).data
        return Response(envelope("work", data))


work_detail = WorkDetail.as_view()


def work_or_old_page(request, doi: str):
    """`/works/<doi>` is Crossref's JSON. The portal's pages once lived at `/works/<doi>/` and
    `/works/<doi>/cited-by/`: a browser following such an old link (it prefers HTML and the path
    ends in "/") is still redirected to the page; any other client gets the JSON."""
    if doi.endswith("/") and request.get_preferred_type(["application/json", "text/html"]) == "text/html":
        return work_old_url(request, doi.removesuffix("/"))
    return work_detail(request, doi=doi)


def _work_at(path: str):
    """The work a `/works/` path names: a bare, URL-encoded or resolver-URL DOI, any case; a
    trailing "/" is ignored unless a DOI really ends in one."""
    # Some servers and proxies merge the "//" of "https://doi.org/…" in a path.
    path = re.sub(r"^(https?:)/(?=[^/])", r"\1//", path, flags=re.IGNORECASE)
    work = work_by_doi(path)
    if work is None and path.endswith("/"):
        work = work_by_doi(path.rstrip("/"))
    return work


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
