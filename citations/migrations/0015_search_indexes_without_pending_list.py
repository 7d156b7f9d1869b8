"""The GIN indexes matching looks words up in write each entry into their tree at once
(fastupdate off): the works' words (citations_work_search) and the unmatched references' words
(citations_reference_search).

With PostgreSQL's default, new entries wait in a pending list until a vacuum or 4 MB of them, and
every lookup reads the whole list. Measured at 1,000,000 works (bench.scale.profile_matching, the
same chunks rolled back):
- the unmatched references: matching adds to them in every chunk and looks up references for
  each of its 200 works, so the list was never short; 170 pending pages took a chunk's lookups
  from 15 ms to 512 ms, and its CPU a work from 12.5 to 15.9 ms;
- the works: 12,000 works deposited since the last vacuum (514 pending pages) took the text
  search of references without a DOI from 114 ms to 752 ms a batch, matching's CPU a work from
  12.7 to 29.8 ms.
Writing at once costs a deposit about 50 µs a work more (5,000 works: 350 -> 588 ms). Bulk
imports build these indexes after the load, as before (pg_get_indexdef keeps the setting).
The trigram index keeps its pending list: its lookups are rare and bounded by a timeout.
"""
from django.db import migrations

INDEXES = ("citations_work_search_document", "citations_reference_search_document")


def without_pending_list(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            for index in INDEXES:
                cursor.execute(f"ALTER INDEX {index} SET (fastupdate = off)")
                cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])  # (the setting does not flush it)


def with_pending_list(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            for index in INDEXES:
                cursor.execute(f"ALTER INDEX {index} RESET (fastupdate)")


class Migration(migrations.Migration):
    dependencies = [("citations", "0014_link_cited_version")]
    operations = [migrations.RunPython(without_pending_list, with_pending_list)]
