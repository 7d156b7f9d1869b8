"""Callback secrets encrypted at rest (portal.encrypted): the column widens to text, then every
stored secret is encrypted in place (and decrypted again if the migration is reversed)."""
from django.db import migrations

import portal.encrypted


def _rewrite(apps, schema_editor, change) -> None:
    # Raw SQL: the model's field would try to decrypt the plain secrets on the way in.
    table = apps.get_model("citations", "CallbackEndpoint")._meta.db_table
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f'SELECT id, secret FROM "{table}"')
        for pk, secret in cursor.fetchall():
            if secret:
                cursor.execute(f'UPDATE "{table}" SET secret = %s WHERE id = %s', [change(secret), pk])


def encrypt_secrets(apps, schema_editor) -> None:
    _rewrite(apps, schema_editor, portal.encrypted.encrypt)


def decrypt_secrets(apps, schema_editor) -> None:
    _rewrite(apps, schema_editor, portal.encrypted.decrypt)


class Migration(migrations.Migration):

    dependencies = [
        ('citations', '0009_member_figures'),
    ]

    operations = [
        migrations.AlterField(
            model_name='callbackendpoint',
            name='secret',
            field=portal.encrypted.EncryptedTextField(help_text='Key of the HMAC-SHA256 signature of every POST.'),
        ),
        migrations.RunPython(encrypt_secrets, decrypt_secrets, elidable=False),
    ]
