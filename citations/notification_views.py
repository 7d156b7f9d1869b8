"""A member's notification pages: its callback URL, secret and delivery log (admins), and each
user's own email digest choice. Thin: members.access decides, citations.notifications acts."""
from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from citations import notifications
from citations.callbacks import DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER
from citations.models import CallbackDelivery, CallbackEndpoint, DigestSubscription
from members.access import can_manage_member, can_view_citing_list
from members.shortcuts import NOT_FOUND, member_or_404


class CallbackForm(forms.Form):
    url = forms.URLField(label="Callback URL", max_length=2000, assume_scheme="https",
                         help_text="An https address of yours that takes a JSON POST for each new citation.")


class DigestForm(forms.Form):
    frequency = forms.ChoiceField(label="Email me new citations", required=False,
                                  choices=[("", "Never")] + list(DigestSubscription.Frequency.choices))


def _managed(request, pk: int):
    member = member_or_404(request, pk)
    if not can_manage_member(request.user, member):
        raise Http404(NOT_FOUND)
    return member


@login_required
def notifications_page(request, pk: int):
    member = _managed(request, pk)
    endpoint = CallbackEndpoint.objects.filter(member=member).first()
    form = CallbackForm(request.POST or None, initial={"url": endpoint.url if endpoint else ""})
    if request.method == "POST" and form.is_valid():
        try:
            notifications.callback_set(member=member, url=form.cleaned_data["url"])
        except ValidationError as error:
            form.add_error("url", error)
        else:
            messages.success(request, f"New citations of {member.name}'s works will be POSTed to {form.cleaned_data['url']}.")
            return redirect("citations:notifications", pk=member.pk)
    deliveries = Paginator(CallbackDelivery.objects.filter(endpoint=endpoint) if endpoint else CallbackDelivery.objects.none(), 50)
    return render(request, "citations/notifications.html", {
        "member": member, "form": form, "endpoint": endpoint, "page": deliveries.get_page(request.GET.get("page")),
        "headers": {"signature": SIGNATURE_HEADER, "timestamp": TIMESTAMP_HEADER, "delivery": DELIVERY_HEADER},
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def callback_change(request, pk: int, action: str):
    member = _managed(request, pk)
    endpoint = CallbackEndpoint.objects.filter(member=member).first()
    if endpoint is None or action not in ("rotate", "remove"):
        raise Http404(NOT_FOUND)
    if action == "rotate":
        notifications.callback_rotate_secret(endpoint=endpoint)
        messages.success(request, "A new secret signs every POST from now on; update your receiver.")
    else:
        notifications.callback_remove(endpoint=endpoint)
        messages.success(request, "The callback is removed: no more POSTs are sent.")
    return redirect("citations:notifications", pk=member.pk)


@login_required
def digest_page(request, pk: int):
    member = member_or_404(request, pk)
    if not can_view_citing_list(request.user, member):
        raise Http404(NOT_FOUND)
    current = DigestSubscription.objects.filter(user=request.user, member=member).first()
    form = DigestForm(request.POST or None, initial={"frequency": current.frequency if current else ""})
    if request.method == "POST" and form.is_valid():
        chosen = notifications.digest_choose(user=request.user, member=member, frequency=form.cleaned_data["frequency"] or None)
        messages.success(request, f"You will get a {chosen.frequency} email of new citations of {member.name}'s works."
                         if chosen else f"You will get no citation emails for {member.name}.")
        return redirect("citations:digest", pk=member.pk)
    return render(request, "citations/digest.html", {"member": member, "form": form}, status=400 if form.errors else 200)
