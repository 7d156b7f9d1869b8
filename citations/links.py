"""Links to work pages that survive any valid DOI (see citations.urls), and to a link's decision."""
from functools import lru_cache

from django.urls import get_script_prefix, reverse

from deposits.doi import doi_url_path

_DOI_PLACEHOLDER = "10.0000/placeholder"
_PK_PLACEHOLDER = 918273645


def work_url(doi: str, *, page: str = "work") -> str:
    """The URL of a work's page ("work": public, "cited_by": the owner's list) for any valid DOI."""
    before, after = _url_around(f"citations:{page}", _DOI_PLACEHOLDER, get_script_prefix())
    return before + doi_url_path(doi) + after


def decision_url(pk: int) -> str:
    """Where the confirm/reject form of link `pk` posts (a page may hold fifty such forms)."""
    before, after = _url_around("citations:decide", _PK_PLACEHOLDER, get_script_prefix())
    return f"{before}{pk}{after}"


@lru_cache(maxsize=16)
def _url_around(name: str, placeholder: str | int, script_prefix: str) -> tuple[str, str]:
    """The URL named `name` split where its one argument goes: reversed once, not once per link
    on a page (`script_prefix` is part of the key because reverse() depends on it)."""
    before, _, after = reverse(name, args=[placeholder]).partition(str(placeholder))
    return before, after
