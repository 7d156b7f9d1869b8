"""`/api/v1/deposits/`: deposits in JSON for a member's platform, by API key or session.

Thin: authentication is members.api_auth (Bearer key, or the session), queueing is
deposits.receiving, reading is deposits.selectors. Errors are one JSON shape everywhere:
{"status": 401, "reason": "revoked_key", "message": "...", "fields": {...}}.
"""
from __future__ import annotations

from datetime import datetime, time

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import exception_handler

from deposits.api.serializers import DepositCreateSerializer, DepositDetailSerializer, DepositSerializer
from deposits.models import Deposit
from deposits.receiving import deposit_receive
from deposits.selectors import deposits_sent_by
from deposits.uploads import use_machine_upload_handlers
from deposits.validation import check_structure
from deposits.xml.reference_deposits import deposit_operation
from members.api_auth import APIKeyAuthentication, KeyRequestsAnswerJSON, RefusedCredentials, api_login
from members.models import APIKey


def json_errors(exc, context):
    """DRF's errors in the portal's one JSON shape, with the reason a refusal was made."""
    response = exception_handler(exc, context)
    if response is None:
        return None
    body = {"status": response.status_code, "reason": "error", "message": ""}
    if isinstance(exc, RefusedCredentials):
        body |= {"reason": exc.refusal.reason, "message": exc.refusal.message}
        if exc.refusal.retry_after:
            response["Retry-After"] = str(exc.refusal.retry_after)
    elif isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        body |= {"reason": "invalid", "message": "The request has invalid or missing fields.", "fields": detail}
    elif isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        body |= {"reason": codes if isinstance(codes, str) else "error", "message": str(exc.detail)}
    response.data = body
    return response


class TooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"


class DepositPagination(PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 200


class MemberDepositsMixin(KeyRequestsAnswerJSON):
    """Shared by the list and the detail: who is asking, and only their member's deposits."""

    authentication_classes = [APIKeyAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]
    required_scope = APIKey.Scope.DEPOSIT  # read by APIKeyAuthentication

    def get_exception_handler(self):
        return json_errors

    def initial(self, request, *args, **kwargs):
        # Before anything reads the body: the 10 MB cut, and files accepted without a session.
        use_machine_upload_handlers(request._request)
        super().initial(request, *args, **kwargs)

    def login(self):
        if not hasattr(self, "_login"):
            self._login = api_login(self.request, scope=self.required_scope)
        return self._login


EXAMPLE_DEPOSIT = {
    "id": 42, "url": "https://portal.example/api/v1/deposits/42/", "filename": "issue-7.xml", "size": 18342,
    "operation": "doMDUpload", "doi_batch_id": "ojs-2026-11-26-1", "status": "completed", "outcome": "completed-with-warnings",
    "outcome_label": "Completed with warnings", "message": "", "created": "2026-11-26T05:00:00Z",
    "started": "2026-11-26T05:00:01Z", "finished": "2026-11-26T05:00:03Z", "record_count": 12, "success_count": 11,
    "warning_count": 1, "failure_count": 0, "log_url": "https://portal.example/deposits/42/log",
}
EXAMPLE_RESULT = {"position": 3, "doi": "10.5555/issue7.3", "status": "warning", "line": 211,
                  "message": "line 211: reference r4 has no key-able fields; kept as unstructured text."}
ERROR_EXAMPLES = [
    OpenApiExample("revoked key", {"status": 401, "reason": "revoked_key", "message": "API key cbp_0123456789ab (“OJS”) was revoked on 2026-11-20; ask an administrator of Cited Press for a new one."}, response_only=True, status_codes=["401"]),
    OpenApiExample("missing scope", {"status": 403, "reason": "missing_scope", "message": "API key cbp_0123456789ab (“OJS”) may not deposit or read deposit logs: its scopes are retrieve; it needs “deposit”."}, response_only=True, status_codes=["403"]),
]

ERROR_RESPONSES = {
    401: OpenApiResponse(OpenApiTypes.OBJECT, description="No, unknown or revoked credentials."),
    403: OpenApiResponse(OpenApiTypes.OBJECT, description="A key without `deposit`, or a role that may not deposit."),
    429: OpenApiResponse(OpenApiTypes.OBJECT, description="Too many failed sign-ins; see Retry-After."),
}

DATE_PARAMETERS = [
    OpenApiParameter("status", str, enum=Deposit.Status.values, description="Only deposits with this status."),
    OpenApiParameter("created_from", OpenApiTypes.DATETIME, description="Received at or after (YYYY-MM-DD or ISO 8601)."),
    OpenApiParameter("created_until", OpenApiTypes.DATETIME, description="Received at or before (a date includes its whole day)."),
    OpenApiParameter("member", int, description="Session users of several members: which member."),
]


class DepositListCreate(MemberDepositsMixin, generics.ListCreateAPIView):
    serializer_class = DepositSerializer
    pagination_class = DepositPagination
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        deposits = deposits_sent_by(self.login().member)
        params = self.request.query_params
        problems = {}
        if value := params.get("status"):
            if value in Deposit.Status.values:
                deposits = deposits.filter(status=value)
            else:
                problems["status"] = [f"“{value}” is not a status; use one of {', '.join(Deposit.Status.values)}."]
        for name, lookup, end_of_day in (("created_from", "created__gte", False), ("created_until", "created__lte", True)):
            if value := params.get(name):
                moment = _moment(value, end_of_day=end_of_day)
                if moment is None:
                    problems[name] = [f"“{value}” is not a date (YYYY-MM-DD) or an ISO 8601 date-time."]
                else:
                    deposits = deposits.filter(**{lookup: moment})
        if problems:
            raise exceptions.ValidationError(problems)
        return deposits

    @extend_schema(parameters=DATE_PARAMETERS, summary="The member's deposits, newest first",
                   responses={200: DepositSerializer(many=True), **ERROR_RESPONSES},
                   examples=[OpenApiExample("a deposit", EXAMPLE_DEPOSIT, response_only=True, status_codes=["200"]), *ERROR_EXAMPLES])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request={"multipart/form-data": DepositCreateSerializer},
                   responses={201: DepositSerializer, 400: OpenApiResponse(OpenApiTypes.OBJECT, description="Invalid fields."),
                              413: OpenApiResponse(OpenApiTypes.OBJECT, description="Over 10 MB."), **ERROR_RESPONSES},
                   summary="Queue a deposit file (as Crossref's /servlet/deposit does)",
                   examples=[OpenApiExample("queued", {**EXAMPLE_DEPOSIT, "status": "queued", "outcome": "queued", "outcome_label": "Queued",
                                                       "started": None, "finished": None, "record_count": 0, "success_count": 0,
                                                       "warning_count": 0}, response_only=True, status_codes=["201"]),
                             OpenApiExample("invalid", {"status": 400, "reason": "invalid", "message": "The request has invalid or missing fields.",
                                                        "fields": {"file": ["The file is empty."]}}, response_only=True, status_codes=["400"]),
                             *ERROR_EXAMPLES])
    def post(self, request, *args, **kwargs):
        if refused := getattr(request._request, "upload_refused", None) or _refused_after_parse(request):
            raise TooLarge(refused)
        incoming = DepositCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        upload = incoming.validated_data["file"]
        # A file that cannot be processed at all is refused now, with its lines, as the upload
        # form does, instead of being queued to fail (the servlet keeps Crossref's accept-then-log).
        if problems := check_structure(upload, operation=deposit_operation(upload) or Deposit.Operation.METADATA):
            raise exceptions.ValidationError({"file": [str(problem) for problem in problems]})
        try:
            deposit = deposit_receive(
                login=self.login(), file=upload, filename=upload.name, operation=incoming.validated_data["operation"]
            )
        except DjangoValidationError as error:
            raise exceptions.ValidationError({"file": error.messages}) from None
        body = DepositSerializer(deposit, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": body["url"]})


def _refused_after_parse(request) -> str | None:
    request.data  # parsing may be cut by the upload limit  # noqa: B018
    return getattr(request._request, "upload_refused", None)


class DepositDetail(MemberDepositsMixin, generics.RetrieveAPIView):
    serializer_class = DepositDetailSerializer

    def get_queryset(self):
        # Another member's deposit is "not found": its existence is not told.
        return deposits_sent_by(self.login().member).prefetch_related("results")

    @extend_schema(parameters=[DATE_PARAMETERS[-1]], summary="One deposit: status, outcome, counts and a result per record",
                   responses={200: DepositDetailSerializer, 404: OpenApiResponse(OpenApiTypes.OBJECT, description="Not this member's deposit."),
                              **ERROR_RESPONSES},
                   examples=[OpenApiExample("a deposit", {**EXAMPLE_DEPOSIT, "results": [EXAMPLE_RESULT]}, response_only=True, status_codes=["200"]),
                             *ERROR_EXAMPLES])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


def _moment(value: str, *, end_of_day: bool) -> datetime | None:
    try:
        day = parse_date(value)
        moment = datetime.combine(day, time.max if end_of_day else time.min) if day else parse_datetime(value)
    except ValueError:  # well formed, but no such day or time
        return None
    if moment is None:
        return None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, timezone.get_default_timezone())
