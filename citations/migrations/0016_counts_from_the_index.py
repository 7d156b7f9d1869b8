"""The recounts of the works' link counts read the citations' indexes alone, never their rows.

Every matching chunk recounts the works whose links it may have changed (citations.link_counts):
the distinct citing works of each cited work, the counted links of each citing work, both over
counted statuses. With (cited_work, status) and (citing_work) indexes, PostgreSQL visited every
link's row for its citing work or status: at 7.4M citations a chunk's 1,949 cited works meant
156,121 rows, 780 ms, most of a chunk's recount. From (cited_work, status, citing_work) the same
count takes 58 ms, an index-only scan; (citing_work, status) takes the linked counts from 53 ms
to 4 ms. Measured with bench.scale.profile_matching on 1,000 pending works at 49% of bench-scale's
registry (rolled back): the recount 2.71 s -> 0.28 s, matching's CPU 13.5 -> 10.4 ms a work.

The two new indexes replace (cited_work, status) and citing_work's own, which they lead with.
"""
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('citations', '0015_search_indexes_without_pending_list'),
        ('deposits', '0010_drop_indexes_covered_by_composites'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='citation',
            index=models.Index(fields=['cited_work', 'status', 'citing_work'], name='citation_cited_status_citing'),
        ),
        migrations.AddIndex(
            model_name='citation',
            index=models.Index(fields=['citing_work', 'status'], name='citation_citing_status'),
        ),
        migrations.RemoveIndex(
            model_name='citation',
            name='citation_cited_status',
        ),
        migrations.AlterField(
            model_name='citation',
            name='citing_work',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='citations_made', to='deposits.work'),
        ),
    ]
