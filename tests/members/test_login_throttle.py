"""One rate limit for every sign-in form, counted in the shared cache, keyed on address and account."""
import pytest
from django.conf import settings
from django.urls import reverse

from members import login_throttle
from tests.builders import PASSWORD

pytestmark = pytest.mark.django_db

ATTACKER = {"REMOTE_ADDR": "203.0.113.9"}
OWNER = {"REMOTE_ADDR": "198.51.100.7"}


@pytest.fixture
def clock(monkeypatch):
    """The throttle's clock, moved by hand."""
    moment = [1_000_000.0]
    monkeypatch.setattr(login_throttle, "now", lambda: moment[0])
    return moment


@pytest.fixture
def staff(press):
    _, admin = press
    admin.is_staff = True
    admin.save()
    return admin


def admin_login(client, email, password, address):
    return client.post(reverse("admin:login"), {"username": email, "password": password}, **address)


def portal_login(client, email, password, address):
    return client.post(reverse("account_login"), {"login": email, "password": password}, **address)


def test_admin_login_is_rate_limited_then_recovers_after_the_backoff(client, staff, clock):
    for _ in range(30):
        assert admin_login(client, staff.email, "wrong", ATTACKER).status_code == 200
    refused = admin_login(client, staff.email, PASSWORD, ATTACKER)
    assert refused.status_code == 200 and "Too many failed sign-in attempts" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    clock[0] += login_throttle.MAX_BACKOFF_SECONDS + 1
    assert admin_login(client, staff.email, PASSWORD, ATTACKER).status_code == 302


def test_failures_at_the_admin_and_the_portal_count_together(client, press, staff, clock):
    for _ in range(3):
        admin_login(client, staff.email, "wrong", ATTACKER)
        portal_login(client, staff.email, "wrong", ATTACKER)
    body = portal_login(client, staff.email, PASSWORD, ATTACKER).content.decode()
    assert "Too many failed sign-in attempts" in body
    assert "_auth_user_id" not in client.session


def test_someone_elses_failures_never_lock_the_owner_out(client, press, clock):
    _, owner = press
    for _ in range(40):
        portal_login(client, owner.email, "wrong", ATTACKER)
    assert "Too many failed" in portal_login(client, owner.email, PASSWORD, ATTACKER).content.decode()
    response = portal_login(client, owner.email, PASSWORD, OWNER)
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(owner.pk)


def test_backoff_grows_with_each_failure_and_a_refused_attempt_does_not_lengthen_it(client, press, clock):
    _, owner = press
    request = type("R", (), {"META": ATTACKER})()
    for _ in range(login_throttle.FREE_FAILURES["pair"]):
        portal_login(client, owner.email, "wrong", ATTACKER)
    first = login_throttle.wait_seconds(request, owner.email)
    assert first == login_throttle.FIRST_BACKOFF_SECONDS["pair"]
    portal_login(client, owner.email, "wrong", ATTACKER)  # refused while waiting: not counted
    assert login_throttle.wait_seconds(request, owner.email) == first
    clock[0] += first
    portal_login(client, owner.email, "wrong", ATTACKER)
    assert login_throttle.wait_seconds(request, owner.email) == 2 * first


def test_counts_live_in_a_cache_every_process_shares():
    backend = settings.CACHES["default"]["BACKEND"]
    assert backend in {"django.core.cache.backends.db.DatabaseCache", "portal.cache.RedisCache"}


def test_a_keys_success_forgets_its_failures_at_that_address_and_no_others(client, press, clock):
    from members.machine_auth import split_key
    from members.models import APIKey
    from members.services import api_key_create

    token = api_key_create(member=press[0], name="p", scopes=[APIKey.Scope.RETRIEVE], created_by=None).token
    key_id, secret = split_key(token)
    wrong = {"HTTP_AUTHORIZATION": f"Bearer {key_id}_{'x' * len(secret)}"}
    for _ in range(2):
        assert client.get("/api/v1/prefixes/10.5555/cited-by", **wrong, **ATTACKER).status_code == 401
        assert client.get("/api/v1/prefixes/10.5555/cited-by", **wrong, **OWNER).status_code == 401
    as_attacker = type("R", (), {"META": ATTACKER})()
    pair, _ = login_throttle.failure_keys(as_attacker, key_id)
    assert login_throttle.failure_counts(as_attacker, key_id)[pair][0] == 2
    assert client.get("/api/v1/prefixes/10.5555/cited-by", HTTP_AUTHORIZATION=f"Bearer {token}", **ATTACKER).status_code == 200
    assert pair not in login_throttle.failure_counts(as_attacker, key_id)
    as_owner = type("R", (), {"META": OWNER})()
    assert login_throttle.failure_counts(as_owner, key_id)[login_throttle.failure_keys(as_owner, key_id)[0]][0] == 2


class _CountingCache:
    """The throttle's cache, its get_many calls written down."""

    def __init__(self, cache):
        self.cache, self.asked = cache, []

    def get_many(self, keys):
        self.asked.append(list(keys))
        return self.cache.get_many(keys)

    def __getattr__(self, name):
        return getattr(self.cache, name)


def test_the_counts_the_front_read_are_taken_once_instead_of_asking_again(monkeypatch):
    from django.core.cache import cache
    from django.test import RequestFactory

    counting = _CountingCache(cache)
    monkeypatch.setattr(login_throttle, "cache", counting)
    request = RequestFactory().get("/api/v1/works/10.5555/x/cited-by")
    keys = login_throttle.failure_keys(request, "cbp_k")
    request.META[login_throttle.READ_BY_FRONT] = (keys, [(3, 5.0), None])
    assert login_throttle.failure_counts(request, "cbp_k") == {keys[0]: (3, 5.0)}
    assert counting.asked == []
    assert login_throttle.failure_counts(request, "cbp_k") == {}  # taken once: then the cache is asked
    assert counting.asked == [keys]
    request.META[login_throttle.READ_BY_FRONT] = (keys, [(3, 5.0), None])
    assert login_throttle.failure_counts(request, "cbp_another") == {}  # another account's are never taken
    assert counting.asked == [keys, login_throttle.failure_keys(request, "cbp_another")]


def test_an_address_over_the_limit_is_refused_when_the_front_leaves_a_key_to_django(client, press, settings, monkeypatch):
    from django.core.cache import caches
    from django.test import RequestFactory

    from members.machine_auth import split_key
    from members.models import APIKey
    from members.services import api_key_create
    from tests.front_client import FrontClient

    # A cache outside the database, as production's (the front stands aside over the database's table).
    settings.CACHES = {name: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": f"throttle-front-{name}"}
                       for name in ("default", "ratelimit")}
    caches["default"].clear()
    token = api_key_create(member=press[0], name="p", scopes=[APIKey.Scope.RETRIEVE], created_by=None).token
    key_id, _ = split_key(token)
    for _ in range(login_throttle.FREE_FAILURES["pair"]):
        login_throttle.record_failure(RequestFactory().get("/"), key_id)  # from the FrontClient's address
    counting = _CountingCache(caches["default"])
    monkeypatch.setattr(login_throttle, "cache", counting)
    answer = FrontClient(client).get("/api/v1/works/10.5555/x/cited-by", headers={"authorization": f"Bearer {token}"})
    assert not answer.via_front and answer.status_code == 429
    assert answer.json()["reason"] == "throttled"
    assert counting.asked == []  # Django decided on the front's read
    caches["default"].clear()
