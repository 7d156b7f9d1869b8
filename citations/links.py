"""Links to work pages that survive any valid DOI (see citations.urls)."""
from django.urls import reverse

from deposits.doi import doi_url_path

_PLACEHOLDER = "10.0000/placeholder"


def work_url(doi: str, *, page: str = "work") -> str:
    """The URL of a work's page ("work": public, "cited_by": the owner's list) for any valid DOI."""
    return reverse(f"citations:{page}", args=[_PLACEHOLDER]).replace(_PLACEHOLDER, doi_url_path(doi))
