"""Forms of members: the admin's sign-in form, throttled like the portal's own."""
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError

from members import login_throttle


class ThrottledAdminAuthenticationForm(AdminAuthenticationForm):
    def clean(self):
        account = self.cleaned_data.get("username") or ""
        if wait := login_throttle.wait_seconds(self.request, account):
            raise ValidationError(login_throttle.refusal_message(wait), code="throttled")
        return super().clean()
