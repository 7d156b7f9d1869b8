"""The index of unmatched references (citations/reference_index.py), in each database's own engine."""
from django.db import migrations


def create(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "postgresql":
            cursor.execute(
                "CREATE TABLE IF NOT EXISTS citations_reference_search (reference_id bigint PRIMARY KEY, document tsvector NOT NULL)"
            )
            cursor.execute(
                "CREATE INDEX IF NOT EXISTS citations_reference_search_document ON citations_reference_search USING GIN (document)"
            )
        else:
            cursor.execute(
                "CREATE VIRTUAL TABLE IF NOT EXISTS citations_reference_fts USING fts5(text, tokenize = 'unicode61 remove_diacritics 2')"
            )


def drop(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        table = "citations_reference_search" if schema_editor.connection.vendor == "postgresql" else "citations_reference_fts"
        cursor.execute(f"DROP TABLE IF EXISTS {table}")


class Migration(migrations.Migration):
    dependencies = [("citations", "0003_explained_reversible_matches")]
    operations = [migrations.RunPython(create, drop)]
