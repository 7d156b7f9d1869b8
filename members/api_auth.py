"""Django REST framework's side of machine authentication: `Authorization: Bearer <API key>`,
or the signed-in session, both resolved to the member acting (members.machine_auth decides)."""
from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from members.machine_auth import MachineLogin, MachineRefusal, key_authenticate, user_login


class APIKeyUser:
    """Stands for an API key in `request.user`: authenticated, but nobody in particular."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    pk = id = None

    def __init__(self, login: MachineLogin):
        self.login = login

    def __str__(self) -> str:
        return f"API key {self.login.key.key_id}"


class RefusedCredentials(exceptions.APIException):
    """A refusal carrying its reason (and Retry-After when throttled) into the JSON error."""

    def __init__(self, refusal: MachineRefusal):
        self.status_code = refusal.status
        self.refusal = refusal
        super().__init__(detail=refusal.message, code=refusal.reason)

    def retry_after(self) -> int:
        return self.refusal.retry_after


def bears_key(request) -> bool:
    """Whether a request gives `Authorization: Bearer …` (a key, good or bad)."""
    parts = get_authorization_header(request).split()
    return bool(parts) and parts[0].lower() == APIKeyAuthentication.keyword


class KeyRequestsAnswerJSON:
    """For DRF views taking keys: a key is a program's credential, so its requests are answered in
    JSON whatever their Accept or `?format=`. The browsable API is a page for signed-in people, in
    the portal's layout, which has nothing to show for a key (it once failed with a 500 on
    APIKeyUser); a 406 would only puzzle a script that sends a browser's Accept."""

    def perform_content_negotiation(self, request, force=False):
        if bears_key(request):
            json = next((renderer for renderer in self.get_renderers() if renderer.format == "json"), None)
            if json is not None:
                return json, json.media_type
        return super().perform_content_negotiation(request, force=force)


class APIKeyAuthentication(BaseAuthentication):
    """`Authorization: Bearer cbp_…`. The scope a view needs is its `required_scope`."""

    keyword = b"bearer"

    def authenticate(self, request):
        if not bears_key(request):
            return None  # not ours: the session may still authenticate
        parts = get_authorization_header(request).split()
        if len(parts) != 2:
            raise RefusedCredentials(MachineRefusal("unknown_credentials", "Give the key as “Authorization: Bearer <key>”.", 401))
        view = request.parser_context.get("view") if request.parser_context else None
        scope = getattr(view, "required_scope", "deposit")
        result = key_authenticate(request=request._request, token=parts[1].decode("latin-1"), scope=scope)
        if isinstance(result, MachineRefusal):
            raise RefusedCredentials(result)
        return APIKeyUser(result), result

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


def api_login(request, *, scope: str) -> MachineLogin:
    """The member an API request acts for: the key's, or (session) the user's named member."""
    if isinstance(request.auth, MachineLogin):
        return request.auth
    member_id = request.query_params.get("member") or request.data.get("member")
    result = user_login(user=request.user, member_id=member_id, scope=scope)
    if isinstance(result, MachineRefusal):
        raise RefusedCredentials(result)
    return result


class APIKeyScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema (drf-spectacular) describes the key."""

    target_class = "members.api_auth.APIKeyAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "bearerFormat": "cbp_<key id>_<secret>",
                "description": "An API key made on the member's API keys page: the `deposit` scope for deposits, `retrieve` for cited-by lists."}
