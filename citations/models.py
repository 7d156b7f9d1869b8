"""Citation links: a reference of a citing work matched to the registered work it cites."""
from django.db import models

from deposits.models import Reference, Work


class Citation(models.Model):
    class Method(models.TextChoices):
        PUBLISHER_DOI = "publisher-doi", "DOI given by the publisher"

    reference = models.OneToOneField(Reference, on_delete=models.CASCADE, related_name="citation")
    citing_work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="citations_made")
    cited_work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="citations_received")
    method = models.CharField(max_length=20, choices=Method.choices)
    score = models.FloatField(null=True, blank=True, help_text="Matcher's confidence, when it scored one.")
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created", "-pk"]
        indexes = [
            models.Index(fields=["cited_work", "citing_work"], name="citation_cited_citing"),
            models.Index(fields=["cited_work", "-created"], name="citation_cited_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.citing_work_id} → {self.cited_work_id}"
