"""The (volume, first page) index again, where a rebuild of deposits_work dropped it.

On SQLite, deposits' AddField migrations with a default (0007_work_publication_dates) rebuild
the table, and the rebuilt table lacks the index 0002 created in SQL; every volume-and-page
lookup of the matcher then scanned the whole registry (about 40% of matching's CPU time on the
benchmark's 100,000 works). IF NOT EXISTS: a no-op where the index survived (PostgreSQL).
"""
from django.db import migrations

VOLUME_PAGE_INDEX = "CREATE INDEX IF NOT EXISTS work_volume_first_page ON deposits_work (volume, first_page)"


class Migration(migrations.Migration):
    dependencies = [
        ("citations", "0010_callback_secret_encrypted"),
        ("deposits", "0007_work_publication_dates"),
        ("deposits", "0009_work_book_title"),
    ]

    operations = [migrations.RunSQL(VOLUME_PAGE_INDEX, reverse_sql=migrations.RunSQL.noop)]
