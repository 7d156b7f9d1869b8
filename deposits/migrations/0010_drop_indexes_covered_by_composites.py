"""Drop two single-column foreign-key indexes that a composite index already serves.

deposits_reference.citing_work_id leads the unique (citing_work_id, key) constraint's index, and
deposits_work.owner_id leads work_owner_count (owner_id, cited_by_count DESC): a lookup by either
column alone is a range scan of the composite. Each extra index was written on every row of a
bulk import (10 references a work) and took disk for nothing. tests/deposits/test_indexes.py
proves the composites are there and lead with these columns.

RunSQL with a state-only AlterField, not AlterField itself: on SQLite AlterField rebuilds the
table, which drops the indexes other apps created on it in SQL (see 0009).
"""
from django.db import migrations, models
import django.db.models.deletion

COVERED = {
    "deposits_reference_citing_work_id_5d58bf25": ('deposits_reference', 'citing_work_id'),
    "deposits_work_owner_id_69e4e7ae": ('deposits_work', 'owner_id'),
}


class Migration(migrations.Migration):

    dependencies = [
        ('deposits', '0009_work_book_title'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{name}"',
                    reverse_sql=f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" ("{column}")',
                )
                for name, (table, column) in COVERED.items()
            ],
            state_operations=[
                migrations.AlterField(
                    model_name='reference',
                    name='citing_work',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE,
                                            related_name='references', to='deposits.work'),
                ),
                migrations.AlterField(
                    model_name='work',
                    name='owner',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT,
                                            related_name='works', to='members.member'),
                ),
            ],
        ),
    ]
