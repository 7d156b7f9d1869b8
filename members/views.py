"""A member's own administration, for its admins: its users and roles, and its API keys.

Every page first asks members.access; anyone else gets the same 404 as for a missing page.
"""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from members import services
from members.access import can_manage_member
from members.forms import AgentGrantForm, APIKeyForm, InviteForm, RoleForm
from members.models import AgentGrant, APIKey, Member, Membership
from members.shortcuts import NOT_FOUND, member_or_404


def _managed_member(request, pk: int) -> Member:
    member = member_or_404(request, pk)
    if not can_manage_member(request.user, member):
        raise Http404(NOT_FOUND)
    return member


def _membership(member: Member, membership_id: int) -> Membership:
    # Looked up inside the member: another member's users are "not found".
    found = Membership.objects.select_related("user", "member").filter(pk=membership_id, member=member).first()
    if found is None:
        raise Http404(NOT_FOUND)
    return found


@login_required
def member_users(request, pk: int):
    member = _managed_member(request, pk)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.member_invite(
                member=member, email=form.cleaned_data["email"], role=form.cleaned_data["role"],
                invited_by=request.user, base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as error:
            form.add_error("email", error)
        else:
            messages.success(request, f"{invitation.user.email} was added as {form.cleaned_data['role']}"
                             + (" and emailed a link to choose a password." if invitation.link else
                                "; they sign in with their existing password."))
            return redirect("members:users", pk=member.pk)
    memberships = Membership.objects.filter(member=member).select_related("user").order_by("user__email")
    rows = [(m, RoleForm(initial={"role": m.role}, prefix=f"m{m.pk}")) for m in memberships]
    return render(request, "members/users.html", {"member": member, "form": form, "rows": rows},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def membership_role(request, pk: int, membership_id: int):
    member = _managed_member(request, pk)
    membership = _membership(member, membership_id)
    form = RoleForm(request.POST, prefix=f"m{membership.pk}")
    if not form.is_valid():
        messages.error(request, "Choose one of the roles.")
    else:
        try:
            services.membership_change_role(membership=membership, role=form.cleaned_data["role"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{membership.user.email} is now {membership.get_role_display().lower()}.")
    return _back_to_users(request, member)


@login_required
@require_POST
def membership_delete(request, pk: int, membership_id: int):
    member = _managed_member(request, pk)
    membership = _membership(member, membership_id)
    try:
        services.membership_remove(membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{membership.user.email} was removed from {member.name}.")
    return _back_to_users(request, member)


def _back_to_users(request, member: Member):
    # An admin who just gave up their own admin role (or left) can no longer see that page.
    if can_manage_member(request.user, member):
        return redirect("members:users", pk=member.pk)
    return redirect("home")


# The new key waits in the session for the one page that shows it (POST, redirect, GET), so a
# reload neither shows it again nor makes a second key.
NEW_KEY_SESSION = "members:new_api_key"


@login_required
def api_keys(request, pk: int):
    member = _managed_member(request, pk)
    form = APIKeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.api_key_create(
                member=member, name=form.cleaned_data["name"], scopes=form.cleaned_data["scopes"], created_by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            request.session[NEW_KEY_SESSION] = {"pk": created.key.pk, "token": created.token}
            return redirect("members:keys", pk=member.pk)
    keys = APIKey.objects.filter(member=member).select_related("created_by")
    shown = request.session.pop(NEW_KEY_SESSION, None) if request.method == "GET" else None
    created = None
    if shown:
        key = next((key for key in keys if key.pk == shown["pk"]), None)
        created = {"key": key, "token": shown["token"]} if key else None
    return render(request, "members/keys.html", {"member": member, "form": form, "keys": keys, "created": created},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def api_key_revoke(request, pk: int, key_pk: int):
    member = _managed_member(request, pk)
    key = APIKey.objects.filter(pk=key_pk, member=member).first()
    if key is None:
        raise Http404(NOT_FOUND)
    services.api_key_revoke(key=key)
    messages.success(request, f"API key “{key.name}” ({key.key_id}) is revoked; requests with it are refused from now on.")
    return redirect("members:keys", pk=member.pk)


@login_required
def agents(request, pk: int):
    """The members acting for this one (its agents), what each may do, and the members it acts for."""
    member = _managed_member(request, pk)
    form = AgentGrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            grant = services.agent_grant(principal=member, agent=form.cleaned_data["agent"],
                                         scopes=form.cleaned_data["scopes"], granted_by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{grant.agent.name} may now {_agent_doing(grant.scopes)} for {member.name}.")
            return redirect("members:agents", pk=member.pk)
    grants = AgentGrant.objects.filter(principal=member).select_related("agent", "granted_by")
    acting_for = AgentGrant.objects.filter(agent=member).select_related("principal")
    return render(request, "members/agents.html", {"member": member, "form": form, "grants": grants, "acting_for": acting_for},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def agent_revoke(request, pk: int, grant_pk: int):
    member = _managed_member(request, pk)
    grant = AgentGrant.objects.select_related("agent").filter(pk=grant_pk, principal=member).first()
    if grant is None:
        raise Http404(NOT_FOUND)
    services.agent_revoke(grant=grant)
    messages.success(request, f"{grant.agent.name} is no longer an agent of {member.name}; its requests are refused from now on.")
    return redirect("members:agents", pk=member.pk)


def _agent_doing(scopes: list[str]) -> str:
    return " and ".join({"deposit": "deposit", "retrieve": "retrieve cited-by lists"}[s] for s in scopes)
