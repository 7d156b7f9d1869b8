"""SetAsideIndex: the indexes a bulk import_works dropped, kept until it builds them again (citations.bulk_load)."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('citations', '0012_drop_cited_work_index'),
    ]

    operations = [
        migrations.CreateModel(
            name='SetAsideIndex',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=63, unique=True)),
                ('table', models.CharField(max_length=63)),
                ('definition', models.TextField(help_text='Its CREATE INDEX statement, as pg_indexes gives it.')),
                ('set_aside_at', models.DateTimeField(default=django.utils.timezone.now)),
            ],
        ),
    ]
