"""manage.py rebuild_work_index: index every registered work afresh (after the matcher's index text changed)."""
from django.core.management.base import BaseCommand
from tqdm import tqdm

from citations.search import work_index
from deposits.models import Work


class Command(BaseCommand):
    help = "Rebuild the registry's search index from the works' rows."

    def handle(self, **options):
        with tqdm(total=Work.objects.count(), unit="works", desc="rebuild_work_index", file=self.stderr._out) as bar:
            count = work_index().rebuild(progress=bar.update)
        self.stdout.write(f"{count} works indexed")
