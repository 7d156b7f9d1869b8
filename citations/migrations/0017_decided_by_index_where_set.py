"""The index on citations' decided_by keeps the links an editor decided on, not every link.

The column is set by an editor's decision alone: at 7.3M links (bench-scale) nearly all were the
matcher's, empty, and the full index held every one of them (56 MB) and took an entry for each
new link. What reads it is a user's deletion (SET NULL finds that user's decisions by it), and
`decided_by_id = %s` implies IS NOT NULL, so the partial index serves it.

Django sees the field's db_index change as nothing to do on PostgreSQL (and would remake the
table on SQLite), so the field changes in the migration state alone and the old index, named as
Django named it on both databases, is dropped by name once the new one stands.
"""
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

OLD_INDEX = "citations_citation_decided_by_id_26eb9b8a"


class Migration(migrations.Migration):

    dependencies = [
        ('citations', '0016_counts_from_the_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='citation',
            index=models.Index(condition=models.Q(('decided_by__isnull', False)), fields=['decided_by'], name='citation_decided_by'),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='citation',
                    name='decided_by',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{OLD_INDEX}"',
                    reverse_sql=f'CREATE INDEX "{OLD_INDEX}" ON "citations_citation" ("decided_by_id")',
                ),
            ],
        ),
    ]
