"""DOI forms: one normal form (bare, lower case) used for storage and comparison."""
from __future__ import annotations

import idutils


def normalize_doi(value: str) -> str:
    """The bare lower-case DOI of `value` ("https://doi.org/10.1/AbC" -> "10.1/abc"), or "" if not a DOI.

    DOIs are case-insensitive, so lower case is the one stored and compared form.
    """
    value = (value or "").strip()
    if not value or not idutils.is_doi(value):
        return ""
    return idutils.normalize_doi(value).strip().lower()


def doi_prefix(doi: str) -> str:
    """"10.1234" for "10.1234/abc"."""
    return doi.split("/", 1)[0]
