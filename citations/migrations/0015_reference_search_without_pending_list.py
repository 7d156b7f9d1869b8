"""The unmatched references' GIN index writes each entry into its tree at once (fastupdate off).

With PostgreSQL's default, entries wait in a pending list until a vacuum or 4 MB of them, and every
lookup reads the whole list. Matching churns this index (each chunk adds the references it left
unmatched and looks up references for each of its 200 works), so the list was never short: at
1,000,000 works, 170 pending pages took a chunk's lookups from 15 ms to 512 ms, a fifth of its
CPU (bench.scale.profile_matching). Writes are few (a chunk's unmatched references) and pay a
little more instead.
"""
from django.db import migrations

INDEX = "citations_reference_search_document"


def without_pending_list(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(f"ALTER INDEX {INDEX} SET (fastupdate = off)")
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [INDEX])  # (the setting does not flush it)


def with_pending_list(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(f"ALTER INDEX {INDEX} RESET (fastupdate)")


class Migration(migrations.Migration):
    dependencies = [("citations", "0014_link_cited_version")]
    operations = [migrations.RunPython(without_pending_list, with_pending_list)]
