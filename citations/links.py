"""Links to work pages that survive any valid DOI (see citations.urls)."""
from functools import lru_cache

from django.urls import get_script_prefix, reverse

from deposits.doi import doi_url_path

_PLACEHOLDER = "10.0000/placeholder"
_PK_PLACEHOLDER = 918273645


def work_url(doi: str, *, page: str = "work") -> str:
    """The URL of a work's page ("work": public, "cited_by": the owner's list) for any valid DOI."""
    before, after = _url_around_doi(page, get_script_prefix())
    return before + doi_url_path(doi) + after


@lru_cache(maxsize=16)
def _url_around_doi(page: str, script_prefix: str) -> tuple[str, str]:
    """The page's URL split where the DOI goes: reversed once, not once per link on a page."""
    before, _, after = reverse(f"citations:{page}", args=[_PLACEHOLDER]).partition(_PLACEHOLDER)
    return before, after


def decision_url(pk: int) -> str:
    """Where the confirm/reject form of link `pk` posts (a page may hold fifty such forms)."""
    before, after = _url_around_pk("citations:decide", get_script_prefix())
    return f"{before}{pk}{after}"


@lru_cache(maxsize=16)
def _url_around_pk(name: str, script_prefix: str) -> tuple[str, str]:
    before, _, after = reverse(name, args=[_PK_PLACEHOLDER]).partition(str(_PK_PLACEHOLDER))
    return before, after
