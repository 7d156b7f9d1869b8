"""`/api/v1/works/{doi}/cited-by` and `/api/v1/prefixes/{prefix}/cited-by`: the works citing a
member's works, for the member's users (session), its API keys with the `retrieve` scope, and
its agents (members.access.may_act_for decides; citations.selectors.cited_by_links reads).

One item per link: the citing work in Crossref's work format, which reference of it was linked,
how (method, score, status) and when the link was found. Newest first, cursor-paginated; the
queries per page do not grow with its size (one query joins what a page shows). Errors are the portal's one JSON
shape (deposits.api.views.json_errors).

The first page asked by one of the owner's own keys (no parameters) is kept in the shared cache
for portal.front to send again (citations.api.front, citations.work_json says when it goes).
"""
from __future__ import annotations

import base64
import contextlib
import datetime
from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.functional import cached_property
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import BrowsableAPIRenderer

from citations.api.front import cache_once_sent
from citations.api.renderers import FastJSONRenderer
from citations.api.serializers import WORK_FIELDS, WorkValues, crossref_work
from citations.models import Citation
from citations.selectors import CITED_BY_ORDER, cited_by_link_rows, cited_by_links, newest_links_to
from citations.work_json import cited_by_page_key, remember_cited_by_page
from deposits.api.views import json_errors
from deposits.doi import InvalidDOI, parse_doi
from deposits.selectors import work_by_doi
from members.access import acts_for_itself
from members.api_auth import APIKeyAuthentication, KeyRequestsAnswerJSON, api_login
from members.machine_auth import MachineLogin
from members.models import PREFIX_RE, APIKey
from members.selectors import prefix_owner
from portal import front


class NotOwner(exceptions.APIException):
    status_code = status.HTTP_403_FORBIDDEN
    default_code = "not_owner"


class CitedByPagination(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 1000
    ordering = CITED_BY_ORDER

    def decode_cursor(self, request):
        """DRF's cursor, refused with a 400 naming `cursor` when it is not one DRF could have made:
        DRF reads any base64 leniently (garbage is page one), answers 404 for some bad ones, and
        passes an unreadable position on to the query (a ValidationError there: a 500)."""
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded is None:
            return None
        try:
            base64.b64decode(encoded, validate=True)
            cursor = super().decode_cursor(request)
            if cursor.position is not None:
                Citation._meta.get_field(self.ordering[0].lstrip("-")).to_python(cursor.position)
        except (exceptions.NotFound, ValueError, DjangoValidationError):  # (binascii.Error is a ValueError)
            raise exceptions.ValidationError({self.cursor_query_param: [
                f"“{encoded[:80]}” is not a cursor of this list: follow the `next` or `previous` link as given."]}) from None
        return cursor

    def paginate_first(self, read: Callable[[int], list[dict]], request) -> list[dict]:
        """paginate_queryset for a first page (no cursor) read by `read(count)`, the list's first
        `count` rows in `ordering`, instead of sliced from a queryset: the same page and links."""
        self.request = request
        self.page_size = self.get_page_size(request)
        self.base_url = request.build_absolute_uri()
        self.cursor = None
        results = read(self.page_size + 1)  # one more: is there a next page?
        self.page = results[: self.page_size]
        self.has_next, self.has_previous = len(results) > self.page_size, False
        if self.has_next:
            self.next_position = self._get_position_from_instance(results[-1], self.ordering)
        self.display_page_controls = self.has_next and self.template is not None
        return self.page


class CitedByLinkSerializer(serializers.BaseSerializer):
    """A link read as values (citations.selectors.cited_by_link_rows): one dict per row, no model instances."""

    def to_representation(self, link: dict) -> dict:
        return {
            "cited_doi": link["cited_doi"],
            "citing_doi": link["citing_work__doi"],
            "citing_work": crossref_work(WorkValues(link, prefix="citing_work__")),
            "reference_key": link["reference_key"],
            "match": {"method": link["method"], "score": link["score"], "status": link["status"]},
            "found": link["created"].isoformat(),
        }


EXAMPLE_PAGE = {
    "next": "https://portal.example/api/v1/works/10.5555/target/cited-by?cursor=cD0yMDI2LTExLTI2",
    "previous": None,
    "results": [{
        "cited_doi": "10.5555/target",
        "citing_doi": "10.6666/citer",
        "citing_work": {
            "DOI": "10.6666/citer", "title": ["An article that cites the press"], "subtitle": [],
            "container-title": ["Journal of Citing"], "issued": {"date-parts": [[2026]]}, "type": "journal-article",
            "publisher": "Citing Society", "member": "2", "prefix": "10.6666", "URL": "https://doi.org/10.6666/citer",
            "is-referenced-by-count": 0, "references-count": 12, "reference-count": 12,
            "author": [{"family": "Silva", "given": "Ana", "sequence": "first", "affiliation": []}],
            "volume": "4", "issue": "2", "page": "10-19", "ISSN": ["1234-5678"], "published": {"date-parts": [[2026]]},
        },
        "reference_key": "ref7",
        "match": {"method": "publisher-doi", "score": None, "status": "linked"},
        "found": "2026-11-26T05:00:00+00:00",
    }],
}
ERROR_EXAMPLES = {
    401: OpenApiResponse(OpenApiTypes.OBJECT, description="No or unknown credentials, or a revoked key.", examples=[
        OpenApiExample("revoked key", {"status": 401, "reason": "revoked_key", "message": "API key cbp_ab12 (“OJS”) was revoked on 2026-11-20; ask an administrator of Cited Press for a new one."})]),
    403: OpenApiResponse(OpenApiTypes.OBJECT, description="A key without `retrieve`, or another member's works.", examples=[
        OpenApiExample("not the owner", {"status": 403, "reason": "not_owner", "message": "Citing Society may not read the works citing 10.5555/target: only its owner and the agents it allowed to retrieve may."}),
        OpenApiExample("wrong scope", {"status": 403, "reason": "missing_scope", "message": "API key cbp_ab12 (“OJS”) may not retrieve cited-by lists: its scopes are deposit; it needs “retrieve”."})]),
    400: OpenApiResponse(OpenApiTypes.OBJECT, description="A bad date, DOI or cursor.", examples=[
        OpenApiExample("bad date", {"status": 400, "reason": "invalid", "message": "The request has invalid or missing fields.", "fields": {"from": ["“yesterday” is not a date (YYYY-MM-DD) or an ISO 8601 date-time."]}})]),
    404: OpenApiResponse(OpenApiTypes.OBJECT, description="No such work or prefix.", examples=[
        OpenApiExample("unknown DOI", {"status": 404, "reason": "not_found", "message": "No registered work has the DOI 10.5555/nothing."})]),
}
PARAMETERS = [
    OpenApiParameter("from", OpenApiTypes.DATETIME, description="Links found at or after (YYYY-MM-DD or ISO 8601)."),
    OpenApiParameter("until", OpenApiTypes.DATETIME, description="Links found at or before (a date includes its whole day)."),
    OpenApiParameter("cursor", str, description="The `next` or `previous` link's cursor."),
    OpenApiParameter("page_size", int, description="Links per page, 1–1000 (default 50)."),
    OpenApiParameter("member", int, description="Session users of several members: which member acts."),
]


class CitedByBase(KeyRequestsAnswerJSON, generics.ListAPIView):
    authentication_classes = [APIKeyAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]
    required_scope = APIKey.Scope.RETRIEVE  # read by APIKeyAuthentication
    serializer_class = CitedByLinkSerializer
    pagination_class = CitedByPagination
    renderer_classes = [FastJSONRenderer, BrowsableAPIRenderer]

    def get_exception_handler(self):
        return json_errors

    def target(self) -> dict:
        """cited_by_links' `work` or `prefix`, and `owner`; sets `cached_as`, the first page's cache key."""
        raise NotImplementedError

    @cached_property
    def asked(self) -> tuple:
        """(login, since, until, target) of this request, read once."""
        login = api_login(self.request, scope=self.required_scope)
        since, until = _period(self.request.query_params)
        target = self.target()
        self.owner = target["owner"]
        return login, since, until, target

    def get_queryset(self):
        login, since, until, target = self.asked
        with self.owner_only(login):
            links = cited_by_links(acting=login.member, since=since, until=until, **target)
        return cited_by_link_rows(links, work_fields=WORK_FIELDS)

    def first_page(self) -> list[dict] | None:
        """A work's first page with no period, the commonest read, by the selector that reads it
        with a statement compiled once; None for any other page (get_queryset's)."""
        login, since, until, target = self.asked
        if "work" not in target or since is not None or until is not None or self.paginator.cursor_query_param in self.request.query_params:
            return None
        with self.owner_only(login):
            return self.paginator.paginate_first(
                lambda count: newest_links_to(acting=login.member, count=count, work_fields=WORK_FIELDS, **target), self.request)

    @contextlib.contextmanager
    def owner_only(self, login):
        try:
            yield
        except PermissionDenied:
            raise NotOwner(f"{login.member.name} may not read the works citing {self.kwargs.get('doi') or self.kwargs.get('prefix')}: "
                           "only its owner and the agents it allowed to retrieve may.") from None

    def list(self, request, *args, **kwargs):
        page = self.first_page()
        if page is None:
            response = super().list(request, *args, **kwargs)
        else:
            response = self.get_paginated_response(self.get_serializer(page, many=True).data)
        login = request.auth
        # Only what portal.front can tell apart without Django: the owner's own key (no agent,
        # whose grant it would have to read), the first page, no parameters.
        if (front.enabled() and response.status_code == 200 and isinstance(login, MachineLogin) and login.key is not None
                and not request.META.get("QUERY_STRING") and acts_for_itself(login.member, self.owner)):
            address, owner_id, cached_as = request.build_absolute_uri(), getattr(self.owner, "pk", self.owner), self.cached_as

            cache_once_sent(response, lambda headers, body: remember_cited_by_page(
                cached_as, address=address, owner_id=owner_id, headers=headers, body=body))
        return response


class WorkCitedBy(CitedByBase):
    def target(self) -> dict:
        try:
            work = work_by_doi(parse_doi(self.kwargs["doi"]), with_owner=False)
        except InvalidDOI as error:
            raise exceptions.ValidationError({"doi": [f"“{self.kwargs['doi']}”: {error}."]}) from None
        if work is None:
            raise exceptions.NotFound(f"No registered work has the DOI {self.kwargs['doi']}.")
        self.cached_as = cited_by_page_key(doi=work.doi)
        return {"work": work, "owner": work.owner_id}

    @extend_schema(summary="The works citing one of the member's works (owner and its agents only)", parameters=PARAMETERS,
                   responses={200: OpenApiResponse(OpenApiTypes.OBJECT, examples=[OpenApiExample("a page", EXAMPLE_PAGE)]), **ERROR_EXAMPLES})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class PrefixCitedBy(CitedByBase):
    def target(self) -> dict:
        prefix = self.kwargs["prefix"]
        if not PREFIX_RE.match(prefix):
            raise exceptions.ValidationError({"prefix": [f"“{prefix}” is not a DOI prefix: it looks like 10.1234."]})
        owner = prefix_owner(prefix)
        if owner is None:
            raise exceptions.NotFound(f"Prefix {prefix} is not assigned to any member.")
        self.cached_as = cited_by_page_key(prefix=prefix)
        return {"prefix": prefix, "owner": owner}

    @extend_schema(summary="The works citing any work under one of the member's prefixes (owner and its agents only)",
                   parameters=PARAMETERS,
                   responses={200: OpenApiResponse(OpenApiTypes.OBJECT, examples=[OpenApiExample("a page", EXAMPLE_PAGE)]), **ERROR_EXAMPLES})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


def _period(params) -> tuple[datetime.datetime | None, datetime.datetime | None]:
    """[from, until) of the query: a date for `until` includes its whole day."""
    found: dict[str, datetime.datetime | None] = {"from": None, "until": None}
    problems = {}
    for name in found:
        value = params.get(name, "").strip()
        if not value:
            continue
        moment = _moment(value, next_day=name == "until")
        if moment is None:
            problems[name] = [f"“{value}” is not a date (YYYY-MM-DD) or an ISO 8601 date-time."]
        found[name] = moment
    if problems:
        raise exceptions.ValidationError(problems)
    return found["from"], found["until"]


def _moment(value: str, *, next_day: bool) -> datetime.datetime | None:
    try:
        day = parse_date(value)
        if day:
            moment = datetime.datetime.combine(day + datetime.timedelta(days=1 if next_day else 0), datetime.time.min)
        else:
            moment = parse_datetime(value)
            # An exact until is inclusive: [from, until + 1 µs).
            moment = moment + datetime.timedelta(microseconds=1) if moment and next_day else moment
    except ValueError:
        return None
    if moment is None:
        return None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, datetime.timezone.utc)
