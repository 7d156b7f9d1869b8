"""Work.book_title: a chapter's book, for matching references that cite the chapter "in <book>".

Added with a plain ALTER TABLE, not AddField: on SQLite, AddField with a default rebuilds the
table, which drops the indexes other apps created on it in SQL (citations' (volume, first_page)
index, which matching needs). ADD COLUMN with a constant default is the same on both databases.
"""
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('deposits', '0008_deposit_sent_by_agent'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    "ALTER TABLE deposits_work ADD COLUMN book_title text NOT NULL DEFAULT ''",
                    reverse_sql="ALTER TABLE deposits_work DROP COLUMN book_title",
                ),
            ],
            state_operations=[
                migrations.AddField(
                    model_name='work',
                    name='book_title',
                    field=models.TextField(blank=True, db_default='', default=''),
                ),
            ],
        ),
    ]
