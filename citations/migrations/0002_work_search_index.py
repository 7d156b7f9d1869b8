"""The registry's search index, in each database's own engine, and a lookup by (volume, first page).

SQLite: an FTS5 virtual table (work id = rowid) holding each work's index text.
PostgreSQL: a table of (work id, text, tsvector) with a GIN index on the tsvector (no foreign
key: like the FTS5 table it is kept by citations.receivers, and Django's flush, which truncates
only its models' tables, must not be refused); with the
pg_trgm extension (contrib) also a trigram index on the text, skipped with a notice where
the extension is not installed or may not be created.
Both: a B-tree index on deposits_work (volume, first_page).

Existing works are indexed by `manage.py rebuild_work_index`, not here: the index text comes
from the matcher, which may change between deployments.
"""
import sys

from django.db import DatabaseError, migrations, transaction

VOLUME_PAGE_INDEX = "CREATE INDEX IF NOT EXISTS work_volume_first_page ON deposits_work (volume, first_page)"

SQLITE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS citations_work_fts USING fts5(text, tokenize = 'unicode61 remove_diacritics 2')",
    VOLUME_PAGE_INDEX,
]
POSTGRESQL = [
    """CREATE TABLE IF NOT EXISTS citations_work_search (
        work_id bigint PRIMARY KEY,
        text text NOT NULL,
        document tsvector NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS citations_work_search_document ON citations_work_search USING gin (document)",
    VOLUME_PAGE_INDEX,
]
POSTGRESQL_TRIGRAMS = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS citations_work_search_trgm ON citations_work_search USING gin (text gin_trgm_ops)",
]


def create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        for sql in SQLITE:
            schema_editor.execute(sql)
    elif connection.vendor == "postgresql":
        for sql in POSTGRESQL:
            schema_editor.execute(sql)
        _create_trigram_index(schema_editor)
    else:
        schema_editor.execute(VOLUME_PAGE_INDEX)


def _create_trigram_index(schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
        available = cursor.fetchone() is not None
    if not available:
        sys.stderr.write("  pg_trgm is not installed (PostgreSQL contrib): search works without the trigram fallback.\n")
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            for sql in POSTGRESQL_TRIGRAMS:
                schema_editor.execute(sql)
    except DatabaseError as error:  # e.g. not allowed to create extensions
        sys.stderr.write(f"  pg_trgm could not be enabled ({error}): search works without the trigram fallback.\n")


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS citations_work_fts")
    elif vendor == "postgresql":
        schema_editor.execute("DROP TABLE IF EXISTS citations_work_search")
    schema_editor.execute("DROP INDEX IF EXISTS work_volume_first_page")


class Migration(migrations.Migration):
    dependencies = [
        ("citations", "0001_initial"),
        ("deposits", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop)]
