"""Drop citations_citation's single-column cited_work_id index: citation_cited_citing
(cited_work_id, citing_work_id) leads with that column and serves every lookup by it.

RunSQL with a state-only AlterField: on SQLite AlterField would rebuild the table (see
deposits 0009). tests/deposits/test_indexes.py proves the composite is there.
"""
import django.db.models.deletion
from django.db import migrations, models

INDEX = "citations_citation_cited_work_id_f12683cf"


class Migration(migrations.Migration):

    dependencies = [
        ('citations', '0011_volume_page_index_again'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{INDEX}"',
                    reverse_sql=f'CREATE INDEX IF NOT EXISTS "{INDEX}" ON "citations_citation" ("cited_work_id")',
                ),
            ],
            state_operations=[
                migrations.AlterField(
                    model_name='citation',
                    name='cited_work',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE,
                                            related_name='citations_received', to='deposits.work'),
                ),
            ],
        ),
    ]
