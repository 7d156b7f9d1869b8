"""DOI syntax per the DOI Handbook, one normal form, and URL paths every client keeps intact."""
from urllib.parse import urljoin

import pytest

from deposits.doi import MAX_DOI_LENGTH, InvalidDOI, doi_url_path, normalize_doi, parse_doi


@pytest.mark.parametrize(
    ("given", "normal"),
    [
        ("10.1234/AbC", "10.1234/abc"),
        ("https://doi.org/10.1234/A%20B", None),
        ("https://doi.org/10.1234/A%23B", "10.1234/a#b"),
        ("doi:10.1234/x", "10.1234/x"),
        ("http://dx.doi.org/10.1234/X", "10.1234/x"),
        ("10.1000.10/ABC", "10.1000.10/abc"),
        ("10.7001/x/cited-by", "10.7001/x/cited-by"),
        ("10.7001/../../etc/passwd", "10.7001/../../etc/passwd"),
        ("10.1234/été", "10.1234/été"),
    ],
)
def test_valid_dois_have_one_normal_form(given, normal):
    if normal is None:  # a resolver URL is percent-decoded; the space makes it invalid
        with pytest.raises(InvalidDOI, match="space"):
            parse_doi(given)
    else:
        assert parse_doi(given) == normal


@pytest.mark.parametrize(
    ("given", "problem"),
    [
        ("", "empty"),
        ("10.12/x", "not a DOI"),
        ("11.1234/x", "not a DOI"),
        ("10.1234/", "not a DOI"),
        ("10.1234/a\tb", "control character"),
        ("10.1234/a b", "space"),
        ("10.1234/a\u00a0b", "space"),  # a no-break space, as pasted from a web page
        ("10.1234/a\u200bb", "control character"),  # a zero-width space (a format character)
        ("10.1234/" + "x" * 5000, "5,008 characters"),
    ],
)
def test_invalid_dois_are_refused_with_the_reason(given, problem):
    with pytest.raises(InvalidDOI, match=problem):
        parse_doi(given)
    assert normalize_doi(given) == ""


def test_longest_registrable_doi_is_accepted():
    doi = "10.1234/" + "x" * (MAX_DOI_LENGTH - len("10.1234/"))
    assert parse_doi(doi) == doi


@pytest.mark.parametrize("doi", ["10.7001/../../etc/passwd", "10.7001/./x", "10.7001/x/..", "10.7001/a..b", "10.7001/a?b#c%d"])
def test_url_paths_survive_dot_segment_removal(doi):
    path = "/doi/" + doi_url_path(doi)
    assert urljoin("https://portal.example/", path) == "https://portal.example" + path  # RFC 3986 removes none
