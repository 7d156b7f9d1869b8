"""Callback secrets are encrypted at rest (portal.encrypted): a copy of the database does not give
them away, the portal still reads them, and rotating SECRET_KEY as Django documents keeps them."""
import importlib

import pytest
from django.db import connection

from citations.models import CallbackEndpoint
from citations.notifications import callback_rotate_secret, callback_set
from portal.encrypted import UnreadableValue

URL = "https://hooks.example/cited-by"


def _stored(endpoint) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT secret FROM "{CallbackEndpoint._meta.db_table}" WHERE id = %s', [endpoint.pk])
        return cursor.fetchone()[0]


@pytest.fixture(autouse=True)
def _public_urls(settings):
    settings.CALLBACK_ALLOW_PRIVATE = True  # no DNS lookup of the made-up host


def test_the_database_holds_no_callback_secret_in_clear_and_the_portal_reads_it(press):
    endpoint = callback_set(member=press[0], url=URL)
    secret = endpoint.secret

    assert len(secret) == 64
    assert secret not in _stored(endpoint)
    assert CallbackEndpoint.objects.get(pk=endpoint.pk).secret == secret
    rotated = callback_rotate_secret(endpoint=endpoint).secret
    assert rotated != secret and rotated not in _stored(endpoint)
    assert CallbackEndpoint.objects.get(pk=endpoint.pk).secret == rotated


def test_a_rotated_secret_key_still_reads_secrets_kept_under_the_old_one(press, settings):
    endpoint = callback_set(member=press[0], url=URL)
    secret = endpoint.secret
    old_key = settings.SECRET_KEY

    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "a-new-key-" + "n" * 50, [old_key]
    assert CallbackEndpoint.objects.get(pk=endpoint.pk).secret == secret

    settings.SECRET_KEY_FALLBACKS = []
    with pytest.raises(UnreadableValue, match="SECRET_KEY_FALLBACKS"):
        CallbackEndpoint.objects.get(pk=endpoint.pk)


def test_the_migration_encrypts_the_secrets_stored_in_clear_before_it(press):
    endpoint = callback_set(member=press[0], url=URL)
    with connection.cursor() as cursor:  # as it was stored before the migration
        cursor.execute(f'UPDATE "{CallbackEndpoint._meta.db_table}" SET secret = %s WHERE id = %s', ["0" * 64, endpoint.pk])
    migration = importlib.import_module("citations.migrations.0010_callback_secret_encrypted")

    class Editor:
        connection = connection

    from django.apps import apps
    migration.encrypt_secrets(apps, Editor())

    assert "0" * 64 not in _stored(endpoint)
    assert CallbackEndpoint.objects.get(pk=endpoint.pk).secret == "0" * 64
