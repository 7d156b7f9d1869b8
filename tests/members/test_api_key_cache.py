"""An API key's cached record (members.selectors.api_key_record), which portal.front decides on:
written with the key, rewritten by every change and by each recorded use (once a minute at most),
gone with the key."""
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.utils import timezone

from members.access import acts_for_itself, key_allows, may_act_for
from members.machine_auth import key_authenticate
from members.models import APIKey
from members.selectors import api_key_cache_key, api_key_from_record
from members.services import api_key_create, api_key_revoke, api_key_use_recorded

pytestmark = pytest.mark.django_db


@pytest.fixture
def made(press, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return api_key_create(member=press[0], name="platform", scopes=[APIKey.Scope.RETRIEVE], created_by=press[1])


def _cached(key: APIKey) -> APIKey | None:
    record = cache.get(api_key_cache_key(key.secret_hash))
    return api_key_from_record(record) if record else None


def _use(token: str):
    return key_authenticate(request=RequestFactory().get("/"), token=token, scope=APIKey.Scope.RETRIEVE)


def test_a_new_key_is_cached_under_its_secrets_hash_unused(made, press):
    cached = _cached(made.key)
    assert (cached.key_id, cached.member_id, cached.scopes, cached.revoked, cached.last_used) == (
        made.key.key_id, press[0].pk, ["retrieve"], None, None)
    assert key_allows(cached, APIKey.Scope.RETRIEVE) and not key_allows(cached, APIKey.Scope.DEPOSIT)


def test_a_recorded_use_rewrites_the_record_and_a_use_within_the_minute_writes_nothing(made, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _use(made.token)
    recorded = APIKey.objects.get(pk=made.key.pk).last_used
    assert recorded is not None and _cached(made.key).last_used == recorded
    assert api_key_use_recorded(recorded, now=timezone.now())
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _use(made.token)
    assert callbacks == [] and _cached(made.key).last_used == recorded == APIKey.objects.get(pk=made.key.pk).last_used


def test_a_use_older_than_a_minute_is_recorded_again(made, django_capture_on_commit_callbacks):
    long_ago = timezone.now() - timedelta(minutes=2)
    APIKey.objects.filter(pk=made.key.pk).update(last_used=long_ago)
    assert not api_key_use_recorded(long_ago, now=timezone.now()) and not api_key_use_recorded(None, now=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        _use(made.token)
    assert _cached(made.key).last_used > long_ago


def test_revoking_forgets_the_record_at_once_and_writes_the_revoked_key_once_committed(made, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        api_key_revoke(key=made.key)
        assert _cached(made.key) is None  # this transaction's next request reads the row
    cached = _cached(made.key)
    assert cached.revoked is not None and not key_allows(cached, APIKey.Scope.RETRIEVE)


def test_a_scope_changed_in_the_admin_is_rewritten(made, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        made.key.scopes = [APIKey.Scope.DEPOSIT]
        made.key.save()
    assert not key_allows(_cached(made.key), APIKey.Scope.RETRIEVE)


def test_a_deleted_key_leaves_no_record(made, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        APIKey.objects.filter(pk=made.key.pk).delete()
    assert cache.get(api_key_cache_key(made.key.secret_hash)) is None


def test_acting_for_itself_is_the_owners_part_of_may_act_for(press, society):
    assert acts_for_itself(press[0], press[0].pk) and acts_for_itself(press[0].pk, press[0])
    assert not acts_for_itself(press[0], society[0]) and not acts_for_itself(press[0], None)
    assert may_act_for(press[0], press[0], APIKey.Scope.RETRIEVE)
    assert not may_act_for(society[0], press[0], APIKey.Scope.RETRIEVE)  # no grant
