"""`GET /works`: Crossref's work list, answering bibliographic queries with the matcher's candidates.

Thin: parameters are read and checked here (Crossref's 400 `validation-failure` body for what
is wrong), the search is `citations.work_search`, the item format `serializers`.
"""
from __future__ import annotations

from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from citations.api.serializers import CrossrefWorkSerializer, envelope, validation_failure
from citations.work_search import BibliographicQuery, newest_works, search_works

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


class WorkList(APIView):
    """Public: metadata and counts of registered works, never who cites them."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]

    def get(self, request):
        params = request.query_params
        problems = [_not_allowed(name) for name in params if name not in FIELD_QUERIES and name not in IGNORED | {"rows", "offset", "select"}]
        rows, problem = _integer(params, "rows", DEFAULT_ROWS, MAX_ROWS)
        problems += problem
        offset, problem = _integer(params, "offset", 0, MAX_OFFSET)
        problems += problem
        if problems:
            return Response(validation_failure(problems), status=400)
        fields: dict[str, list[str]] = {}
        for name, field in FIELD_QUERIES.items():
            fields.setdefault(field, []).extend(v for v in params.getlist(name) if v.strip())
        query = BibliographicQuery(**{field: " ".join(values) for field, values in fields.items()})
        page = search_works(query, rows=rows, offset=offset) if query else newest_works(rows=rows, offset=offset)
        select = [name for value in params.getlist("select") for name in value.split(",") if name]
        items = [_selected(CrossrefWorkSerializer(found.work, context={"score": found.score}).data, select) for found in page.works]
        terms = " ".join(v for name in FIELD_QUERIES for v in params.getlist(name) if v.strip())
        return Response(envelope("work-list", {
            "facets": {},
            "total-results": page.total,
            "items": items,
            "items-per-page": rows,
            "query": {"start-index": offset, "search-terms": terms or None},
        }))


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
