"""Telling members about new citations of their works: signed POSTs to a callback URL (with a
delivery log and retries) and email digests. State changes only; the pure parts (signing, URL
checks, backoff) are citations.callbacks, the Celery tasks are thin wrappers in citations.tasks.

The database is the truth: a periodic scan turns new counted citations into delivery rows (one
per endpoint and citation, unique, so scanning twice sends nothing twice) and queues the ones
due; a lost task is found again by the next scan.
"""
from __future__ import annotations

import datetime
import json
import secrets
import time
import uuid

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from citations.api.serializers import CrossrefWorkSerializer
from citations.callbacks import (
    DELIVERY_HEADER, MAX_ATTEMPTS, SIGNATURE_HEADER, TIMESTAMP_HEADER, callback_url_problem, retry_delay, signature,
)
from citations.models import CallbackDelivery, CallbackEndpoint, Citation, DigestSubscription
from members.access import can_view_citing_list
from members.models import Member

# Citations are committed a little out of order (long matching transactions): each scan looks
# back this far behind the last one; the unique delivery per citation keeps that harmless.
SCAN_LOOKBACK = datetime.timedelta(minutes=10)
# A delivery handed to a task is not handed out again for this long (the task sets the real next try).
CLAIM = datetime.timedelta(minutes=5)
TIMEOUT_SECONDS = 10
DIGEST_PERIODS = {DigestSubscription.Frequency.DAILY: datetime.timedelta(days=1),
                  DigestSubscription.Frequency.WEEKLY: datetime.timedelta(days=7)}
DIGEST_MAX_LINES = 200


def _allow_private() -> bool:
    return bool(getattr(settings, "CALLBACK_ALLOW_PRIVATE", False))


# --- The callback endpoint -------------------------------------------------------------------

def callback_set(*, member: Member, url: str) -> CallbackEndpoint:
    """Set (or change) the member's callback URL. ValidationError saying why a URL is refused."""
    url = url.strip()
    if problem := callback_url_problem(url, allow_private=_allow_private()):
        raise ValidationError(problem)
    now = timezone.now()
    endpoint = CallbackEndpoint.objects.filter(member=member).first()
    if endpoint is None:
        return CallbackEndpoint.objects.create(member=member, url=url, secret=secrets.token_hex(32), since=now, scanned_until=now)
    endpoint.url = url
    endpoint.save(update_fields=["url", "updated"])
    return endpoint


def callback_rotate_secret(*, endpoint: CallbackEndpoint) -> CallbackEndpoint:
    endpoint.secret = secrets.token_hex(32)
    endpoint.save(update_fields=["secret", "updated"])
    return endpoint


def callback_remove(*, endpoint: CallbackEndpoint) -> None:
    """No more POSTs; the log goes with it."""
    endpoint.delete()


def citation_payload(citation: Citation, *, delivery_id: uuid.UUID) -> dict:
    return {
        "delivery_id": str(delivery_id),
        "event": "citation.new",
        "cited_doi": citation.cited_work.doi,
        "citing_doi": citation.citing_work.doi,
        "citing_work": CrossrefWorkSerializer().to_representation(citation.citing_work),
        "match": {"method": citation.method, "score": citation.score, "status": citation.status},
        "found": citation.created.isoformat(),
    }


def queue_new_citation_deliveries(*, now: datetime.datetime | None = None) -> int:
    """Delivery rows for the citations that began to count since each endpoint's last scan (found, or
    accepted by an editor after being flagged); how many new."""
    now = now or timezone.now()
    made = 0
    for endpoint in CallbackEndpoint.objects.all():
        start = max(endpoint.since, endpoint.scanned_until - SCAN_LOOKBACK)
        links = (
            Citation.objects.filter(status__in=Citation.COUNTED, cited_work__owner_id=endpoint.member_id,
                                    counted_since__gte=start, counted_since__lte=now)
            .exclude(pk__in=CallbackDelivery.objects.filter(endpoint=endpoint, citation__isnull=False).values("citation_id"))
            .select_related("citing_work", "cited_work")
        )
        rows = []
        for link in links.iterator(chunk_size=500):
            delivery_id = uuid.uuid4()
            rows.append(CallbackDelivery(delivery_id=delivery_id, endpoint=endpoint, citation=link, next_try=now,
                                         payload=citation_payload(link, delivery_id=delivery_id)))
        with transaction.atomic():
            made += len(CallbackDelivery.objects.bulk_create(rows, ignore_conflicts=True))
            CallbackEndpoint.objects.filter(pk=endpoint.pk).update(scanned_until=now)
    return made


def claim_due_deliveries(*, now: datetime.datetime | None = None, limit: int = 500) -> list[int]:
    """Pending deliveries whose next try has come, claimed for a while so the next scan leaves them."""
    now = now or timezone.now()
    due = list(CallbackDelivery.objects.filter(status=CallbackDelivery.Status.PENDING, next_try__lte=now)
               .order_by("next_try").values_list("pk", flat=True)[:limit])
    CallbackDelivery.objects.filter(pk__in=due).update(next_try=now + CLAIM)
    return due


def deliver(*, delivery_pk: int) -> CallbackDelivery | None:
    """One attempt at POSTing a delivery. Delivered or given-up deliveries are left alone (a
    repeated task does nothing). Returns the delivery as it is after the attempt."""
    delivery = CallbackDelivery.objects.select_related("endpoint").filter(pk=delivery_pk).first()
    if delivery is None or delivery.status != CallbackDelivery.Status.PENDING:
        return delivery
    endpoint = delivery.endpoint
    body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()
    code, error = None, ""
    if problem := callback_url_problem(endpoint.url, allow_private=_allow_private()):
        error = problem
    else:
        stamp = int(time.time())
        headers = {"Content-Type": "application/json", "User-Agent": "CitedByPortal-Callback/1.0",
                   DELIVERY_HEADER: str(delivery.delivery_id), TIMESTAMP_HEADER: str(stamp),
                   SIGNATURE_HEADER: signature(secret=endpoint.secret, timestamp=stamp, body=body)}
        try:
            # No redirects: a redirect could lead anywhere, the address checks included.
            answer = requests.post(endpoint.url, data=body, headers=headers, timeout=TIMEOUT_SECONDS, allow_redirects=False)
            code = answer.status_code
            if not 200 <= code < 300:
                error = f"answered HTTP {code}"
        except requests.RequestException as failure:
            error = f"{type(failure).__name__}: {failure}"[:500]
    now = timezone.now()
    attempts = delivery.attempts + 1
    if not error:
        changes = {"status": CallbackDelivery.Status.DELIVERED, "delivered": now, "next_try": None, "last_error": ""}
    elif attempts >= MAX_ATTEMPTS:
        changes = {"status": CallbackDelivery.Status.FAILED, "next_try": None, "last_error": error}
    else:
        changes = {"next_try": now + datetime.timedelta(seconds=retry_delay(attempts)), "last_error": error}
    CallbackDelivery.objects.filter(pk=delivery.pk, status=CallbackDelivery.Status.PENDING).update(
        attempts=attempts, response_code=code, **changes)
    delivery.refresh_from_db()
    return delivery


# --- Email digests ---------------------------------------------------------------------------

def digest_choose(*, user, member: Member, frequency: str | None) -> DigestSubscription | None:
    """Subscribe `user` to `member`'s digest (daily or weekly), or unsubscribe (None)."""
    if not frequency:
        DigestSubscription.objects.filter(user=user, member=member).delete()
        return None
    if frequency not in DigestSubscription.Frequency.values:
        raise ValidationError(f"“{frequency}” is not daily or weekly.")
    subscription, _ = DigestSubscription.objects.get_or_create(
        user=user, member=member, defaults={"frequency": frequency, "covered_until": timezone.now()})
    if subscription.frequency != frequency:
        subscription.frequency = frequency
        subscription.save(update_fields=["frequency"])
    return subscription


def send_due_digests(*, now: datetime.datetime | None = None) -> int:
    """Email each subscriber whose period has passed the citations found since their last
    email (none: no email). Users who no longer belong to the member are skipped. How many sent."""
    now = now or timezone.now()
    sent = 0
    due = Q()
    for frequency, period in DIGEST_PERIODS.items():
        due |= Q(frequency=frequency, covered_until__lte=now - period)
    for subscription in DigestSubscription.objects.filter(due).select_related("user", "member"):
        if can_view_citing_list(subscription.user, subscription.member):
            links = list(
                Citation.objects.filter(status__in=Citation.COUNTED, cited_work__owner=subscription.member,
                                        counted_since__gt=subscription.covered_until, counted_since__lte=now)
                .select_related("citing_work", "cited_work").order_by("counted_since", "pk")[: DIGEST_MAX_LINES + 1]
            )
            if links:
                send_mail(_digest_subject(subscription, len(links)), _digest_text(subscription, links),
                          settings.DEFAULT_FROM_EMAIL, [subscription.user.email])
                sent += 1
        DigestSubscription.objects.filter(pk=subscription.pk).update(covered_until=now)
    return sent


def _digest_subject(subscription: DigestSubscription, count: int) -> str:
    many = f"{DIGEST_MAX_LINES}+" if count > DIGEST_MAX_LINES else str(count)
    return f"{many} new citation{'s' if count != 1 else ''} of {subscription.member.name}'s works"


def _digest_text(subscription: DigestSubscription, links: list[Citation]) -> str:
    lines = [f"New citations of {subscription.member.name}'s works since {subscription.covered_until:%Y-%m-%d %H:%M} UTC:", ""]
    for link in links[:DIGEST_MAX_LINES]:
        citing = link.citing_work
        where = ", ".join(str(part) for part in (citing.container_title, citing.publication_year) if part)
        lines.append(f"- {link.cited_work.doi} is cited by {citing.doi}: {citing.title or '(untitled)'}"
                     + (f" ({where})" if where else "") + f" — found {link.created:%Y-%m-%d}")
    if len(links) > DIGEST_MAX_LINES:
        lines += ["", "… and more: see the cited-by pages or the cited-by API for the full list."]
    lines += ["", f"You get this {subscription.frequency} email as a user of {subscription.member.name}; "
              "change it on the portal's Citation emails page."]
    return "\n".join(lines)
