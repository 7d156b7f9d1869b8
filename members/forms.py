"""Forms of members: the admin's sign-in form, throttled like the portal's own, and the forms
of a member's own administration (inviting users, roles, API keys)."""
from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError

from members import login_throttle
from members.models import AgentGrant, APIKey, Member, Role


class ThrottledAdminAuthenticationForm(AdminAuthenticationForm):
    def clean(self):
        account = self.cleaned_data.get("username") or ""
        if wait := login_throttle.wait_seconds(self.request, account):
            raise ValidationError(login_throttle.refusal_message(wait), code="throttled")
        return super().clean()


# --- A member's own administration ---------------------------------------------------------------


class InviteForm(forms.Form):
    email = forms.EmailField(label="Email address", help_text="They get an email with a link to choose their password.")
    role = forms.ChoiceField(label="Role", choices=Role.choices, initial=Role.DEPOSITOR)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="Role", choices=Role.choices)


class APIKeyForm(forms.Form):
    name = forms.CharField(label="Name", max_length=100, help_text="What uses the key, e.g. “OJS production”.")
    scopes = forms.MultipleChoiceField(
        label="Scopes", choices=APIKey.Scope.choices, widget=forms.CheckboxSelectMultiple, initial=[APIKey.Scope.DEPOSIT]
    )


class AgentGrantForm(forms.Form):
    agent = forms.CharField(
        label="Agent", max_length=255,
        help_text="The agent member's number, or one of its DOI prefixes (e.g. 10.7777).",
    )
    scopes = forms.MultipleChoiceField(
        label="It may", choices=AgentGrant.Scope.choices, widget=forms.CheckboxSelectMultiple, initial=[AgentGrant.Scope.RETRIEVE]
    )

    def clean_agent(self) -> Member:
        value = self.cleaned_data["agent"].strip()
        found = None
        if value.isdigit():
            found = Member.objects.filter(pk=int(value)).first()
        elif value.startswith("10."):
            found = Member.objects.filter(prefixes__value=value).first()
        if found is None:
            raise ValidationError(f"No member has the number or prefix “{value}”.")
        return found
