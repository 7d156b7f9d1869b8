"""Accounts are created by the agency or a member admin, never by open sign-up."""
from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import ValidationError

from members import login_throttle


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return False

    def pre_authenticate(self, request, **credentials) -> None:
        # The portal's own throttle (members.login_throttle) replaces allauth's, which counts
        # per account and so let anyone lock anyone out.
        if wait := login_throttle.wait_seconds(request, login_throttle.account_of(credentials)):
            raise ValidationError(login_throttle.refusal_message(wait), code="throttled")
