"""members.selectors.api_key_with_member, the lookup behind every request with an API key: the
key's row and its member's, as the ORM loads them, in one query compiled once."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.models import APIKey, Member
from members.selectors import api_key_with_member
from members.services import api_key_create, api_key_revoke

pytestmark = pytest.mark.django_db


def _fields(instance) -> dict:
    return {field.attname: getattr(instance, field.attname) for field in type(instance)._meta.concrete_fields}


def test_the_key_and_its_member_are_the_rows_as_the_orm_loads_them(press, society):
    api_key_create(member=society[0], name="other", scopes=[APIKey.Scope.DEPOSIT], created_by=None)
    made = api_key_revoke(key=api_key_create(member=press[0], name="OJS “live”", scopes=["retrieve", "deposit"], created_by=press[1]).key)
    with CaptureQueriesContext(connection) as queries:
        found = api_key_with_member(made.key_id)
        assert found.member.name == "Cited Press"
    assert len(queries) == 1
    assert _fields(found) == _fields(APIKey.objects.get(pk=made.pk))
    assert _fields(found.member) == _fields(Member.objects.get(pk=press[0].pk))
    assert found.revoked is not None and found.is_revoked  # refusing it is machine_auth's to do
    assert not found._state.adding and found.member._state.db == "default"


def test_an_unknown_key_id_is_none(press):
    api_key_create(member=press[0], name="p", scopes=["retrieve"], created_by=None)
    assert api_key_with_member("cbp_nothing") is None
