"""Fill Work.linked_references_count (added by deposits 0004) from the links already made."""
from django.db import migrations
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

COUNTED = ["linked", "confirmed"]


def backfill(apps, schema_editor):
    Citation = apps.get_model("citations", "Citation")
    Work = apps.get_model("deposits", "Work")
    linked = (
        Citation.objects.filter(citing_work=OuterRef("pk"), status__in=COUNTED)
        .values("citing_work").annotate(n=Count("pk")).values("n")
    )
    Work.objects.filter(pk__in=Citation.objects.values("citing_work")).update(
        linked_references_count=Coalesce(Subquery(linked), Value(0))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("citations", "0005_match_decisions"),
        ("deposits", "0006_work_references_deposit_and_linked_count"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
