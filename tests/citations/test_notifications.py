"""Push notifications to a real local HTTP server (no mocks), the delivery log, address refusal,
retries, and the email digests."""
import datetime
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from citations.callbacks import signature_valid
from citations.models import CallbackDelivery, CallbackEndpoint, Citation
from citations.notifications import (
    callback_set, claim_due_deliveries, deliver, digest_choose, queue_new_citation_deliveries, send_due_digests,
)
from citations.services import citation_accept_flagged
from citations.tasks import deliver_callback
from members.models import Role
from members.services import membership_remove
from tests.builders import user_in
from tests.citations.cited_by_builders import link, work

pytestmark = pytest.mark.django_db


class Receiver:
    """A member's platform: an HTTP server on 127.0.0.1 answering with the codes it is given."""

    def __init__(self):
        self.requests: list[dict] = []
        self.codes: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append({"headers": dict(self.headers), "body": body, "path": self.path})
                self.send_response(receiver.codes.pop(0) if receiver.codes else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/cited-by"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    running = Receiver()
    yield running
    running.close()


@pytest.fixture
def private_allowed(settings):
    settings.CALLBACK_ALLOW_PRIVATE = True


@pytest.fixture
def target(press):
    return work(press[0], "10.5555/target")


def test_admin_sets_the_callback_on_the_page_and_sees_the_secret(client, press, receiver, private_allowed):
    client.force_login(press[1])
    answer = client.post(reverse("citations:notifications", args=[press[0].pk]), {"url": receiver.url}, follow=True)
    endpoint = CallbackEndpoint.objects.get(member=press[0])
    assert endpoint.url == receiver.url and len(endpoint.secret) == 64
    assert "will be POSTed to" in answer.content.decode() and endpoint.secret in answer.content.decode()


def test_only_admins_reach_the_notifications_page(client, press):
    client.force_login(user_in(press[0], "editor@cited-press.example", Role.EDITOR))
    assert client.get(reverse("citations:notifications", args=[press[0].pk])).status_code == 404


@pytest.mark.parametrize("url", ["http://127.0.0.1:8000/cb", "https://127.0.0.1/cb", "https://localhost/cb",
                                 "https://169.254.169.254/latest", "https://10.0.0.8/cb"])
def test_private_loopback_and_link_local_callbacks_are_refused(client, press, settings, url):
    settings.CALLBACK_ALLOW_PRIVATE = False
    client.force_login(press[1])
    answer = client.post(reverse("citations:notifications", args=[press[0].pk]), {"url": url})
    assert answer.status_code == 400
    assert "private, loopback or link-local" in answer.content.decode() or "must use https" in answer.content.decode()
    assert not CallbackEndpoint.objects.exists()


def test_a_new_citation_is_posted_signed_once_and_logged(client, press, society, target, receiver, private_allowed):
    endpoint = callback_set(member=press[0], url=receiver.url)
    citing = work(society[0], "10.6666/citer", title="A citing article", container_title="J. Cit.")
    link(target, citing)
    assert queue_new_citation_deliveries() == 1
    assert queue_new_citation_deliveries() == 0  # scanning again sends nothing twice
    [pk] = claim_due_deliveries()
    assert claim_due_deliveries() == []  # claimed: the next scan leaves it to its task
    assert deliver_callback.apply(args=(pk,)).get() == "delivered"
    [request] = receiver.requests
    headers, body = request["headers"], request["body"]
    assert signature_valid(secret=endpoint.secret, timestamp=int(headers["X-CitedBy-Timestamp"]), body=body,
                           given=headers["X-CitedBy-Signature"])
    payload = json.loads(body)
    assert (payload["cited_doi"], payload["citing_doi"]) == ("10.5555/target", "10.6666/citer")
    assert payload["citing_work"]["title"] == ["A citing article"] and payload["found"]
    assert payload["delivery_id"] == headers["X-CitedBy-Delivery"]
    delivery = CallbackDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("delivered", 1, 200)
    deliver(delivery_pk=delivery.pk)  # a repeated task
    assert len(receiver.requests) == 1
    client.force_login(press[1])
    page = client.get(reverse("citations:notifications", args=[press[0].pk])).content.decode()
    assert "10.6666/citer cites 10.5555/target" in page and "Delivered" in page


def test_a_failed_post_is_retried_with_backoff_then_delivered(press, society, target, receiver, private_allowed):
    callback_set(member=press[0], url=receiver.url)
    link(target, work(society[0], "10.6666/citer"))
    queue_new_citation_deliveries()
    receiver.codes = [500]
    delivery = deliver(delivery_pk=CallbackDelivery.objects.get().pk)
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("pending", 1, 500)
    assert "HTTP 500" in delivery.last_error
    wait = (delivery.next_try - timezone.now()).total_seconds()
    assert 25 < wait <= 30
    delivery = deliver(delivery_pk=delivery.pk)
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("delivered", 2, 200)
    assert receiver.requests[0]["body"] == receiver.requests[1]["body"]  # the same delivery, signed again


def test_only_new_counted_citations_of_the_members_own_works_are_sent(press, society, target, receiver, private_allowed):
    earlier = link(target, work(society[0], "10.6666/before"))
    Citation.objects.filter(pk=earlier.pk).update(counted_since=timezone.now() - datetime.timedelta(days=1))
    callback_set(member=press[0], url=receiver.url)
    link(target, work(society[0], "10.6666/flagged"), status=Citation.Status.FLAGGED)
    link(work(society[0], "10.6666/theirs"), work(society[0], "10.6666/other"))
    link(target, work(society[0], "10.6666/new"))
    queue_new_citation_deliveries()
    assert [d.payload["citing_doi"] for d in CallbackDelivery.objects.all()] == ["10.6666/new"]


def test_the_address_is_checked_again_before_each_delivery(press, society, target, receiver, settings):
    settings.CALLBACK_ALLOW_PRIVATE = True
    callback_set(member=press[0], url=receiver.url)
    link(target, work(society[0], "10.6666/citer"))
    queue_new_citation_deliveries()
    settings.CALLBACK_ALLOW_PRIVATE = False
    delivery = deliver(delivery_pk=CallbackDelivery.objects.get().pk)
    assert delivery.status == "pending" and "must use https" in delivery.last_error
    assert receiver.requests == []


# --- Email digests -------------------------------------------------------------------------------

def test_a_user_chooses_a_daily_digest_on_the_page(client, press):
    editor = user_in(press[0], "editor@cited-press.example", Role.EDITOR)
    client.force_login(editor)
    answer = client.post(reverse("citations:digest", args=[press[0].pk]), {"frequency": "daily"}, follow=True)
    assert "You will get a daily email" in answer.content.decode()


def test_another_members_user_cannot_subscribe_to_the_digest(client, press, society):
    client.force_login(society[1])
    assert client.post(reverse("citations:digest", args=[press[0].pk]), {"frequency": "daily"}).status_code == 404


def test_daily_and_weekly_digests_list_the_new_citations_when_due(press, society, target):
    daily_user = user_in(press[0], "daily@cited-press.example", Role.EDITOR)
    weekly_user = user_in(press[0], "weekly@cited-press.example", Role.DEPOSITOR)
    digest_choose(user=daily_user, member=press[0], frequency="daily")
    digest_choose(user=weekly_user, member=press[0], frequency="weekly")
    link(target, work(society[0], "10.6666/citer", title="A citing article"))
    now = timezone.now()
    assert send_due_digests(now=now + datetime.timedelta(hours=23)) == 0
    assert send_due_digests(now=now + datetime.timedelta(days=1, minutes=1)) == 1
    [email] = mail.outbox
    assert email.to == ["daily@cited-press.example"] and "1 new citation of Cited Press's works" == email.subject
    assert "10.5555/target is cited by 10.6666/citer: A citing article" in email.body
    assert send_due_digests(now=now + datetime.timedelta(days=2, minutes=2)) == 0  # nothing new: no email
    assert send_due_digests(now=now + datetime.timedelta(days=7, minutes=1)) == 1
    assert mail.outbox[-1].to == ["weekly@cited-press.example"]


def test_a_user_who_left_the_member_gets_no_digest(press, society, target):
    editor = user_in(press[0], "editor@cited-press.example", Role.EDITOR)
    digest_choose(user=editor, member=press[0], frequency="daily")
    link(target, work(society[0], "10.6666/citer"))
    membership_remove(membership=editor.memberships.get())
    assert send_due_digests(now=timezone.now() + datetime.timedelta(days=1, minutes=1)) == 0
    assert mail.outbox == []


def test_an_endpoint_down_for_an_hour_gets_the_citation_exactly_once_after_backing_off(
    press, society, target, private_allowed
):
    """A member's platform answers 503 for an hour (a simulated clock, real HTTP): the delivery is
    tried again and again, further apart each time, and arrives exactly once when it is back."""
    import time

    import time_machine

    start = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.timezone.utc)
    with time_machine.travel(start, tick=False) as clock:
        back_at = time.time() + 3600
        receiver = Receiver()
        statuses: list[int] = []

        def answer_by_clock(handler_self):
            body = handler_self.rfile.read(int(handler_self.headers["Content-Length"]))
            code = 503 if time.time() < back_at else 200
            statuses.append(code)
            receiver.requests.append({"headers": dict(handler_self.headers), "body": body, "at": time.time()})
            handler_self.send_response(code)
            handler_self.send_header("Content-Length", "0")
            handler_self.end_headers()

        receiver.server.RequestHandlerClass.do_POST = answer_by_clock
        try:
            callback_set(member=press[0], url=receiver.url)
            link(target, work(society[0], "10.6666/citer"))
            assert queue_new_citation_deliveries() == 1
            for _minute in range(3 * 60):  # the scan runs every minute for three simulated hours
                for pk in claim_due_deliveries():
                    deliver(delivery_pk=pk)
                clock.shift(datetime.timedelta(minutes=1))
        finally:
            receiver.close()

    delivery = CallbackDelivery.objects.get()
    assert delivery.status == "delivered" and statuses.count(200) == 1
    assert statuses == [503] * (len(statuses) - 1) + [200]
    attempts_at = [request["at"] - start.timestamp() for request in receiver.requests]
    gaps = [later - earlier for earlier, later in zip(attempts_at, attempts_at[1:])]
    # Backing off: never sooner than the time before, and far apart by the end (the scan runs each minute).
    assert all(later >= earlier for earlier, later in zip(gaps, gaps[1:])) and gaps[-1] >= 16 * gaps[0], gaps
    assert attempts_at[-1] >= 3600 and attempts_at[-2] < 3600
    assert len({request["headers"]["X-CitedBy-Delivery"] for request in receiver.requests}) == 1  # one delivery, retried


def test_a_flagged_link_an_editor_accepts_is_posted_and_in_the_next_digest(press, society, target, receiver, private_allowed):
    # Flagged a week ago, before the callback and digest existed; accepted today, it counts today.
    flagged = link(target, work(society[0], "10.6666/contradicting"), status=Citation.Status.FLAGGED,
                   created=timezone.now() - datetime.timedelta(days=7))
    callback_set(member=press[0], url=receiver.url)
    editor = user_in(press[0], "editor@cited-press.example", Role.EDITOR)
    digest_choose(user=editor, member=press[0], frequency="daily")
    assert queue_new_citation_deliveries() == 0  # flagged: nothing to announce

    citation_accept_flagged(citation=flagged, by=editor)

    assert queue_new_citation_deliveries() == 1
    [pk] = claim_due_deliveries()
    assert deliver_callback.apply(args=(pk,)).get() == "delivered"
    assert json.loads(receiver.requests[0]["body"])["citing_doi"] == "10.6666/contradicting"
    assert send_due_digests(now=timezone.now() + datetime.timedelta(days=1, minutes=1)) == 1
    assert "10.5555/target is cited by 10.6666/contradicting" in mail.outbox[0].body
    assert queue_new_citation_deliveries() == 0  # and only once
