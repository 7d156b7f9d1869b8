"""Builder of reference-only deposits (doi_resources schema, `doi_citations`) for tests."""
from __future__ import annotations

from lxml import etree

from tests.xmlbuild import _citation_list, _serialised, _sub

RESOURCES_NS = "http://www.crossref.org/doi_resources_schema/4.4.2"


def doi_citations_deposit(
    lists: dict[str, list[dict]],
    *,
    doi_batch_id: str = "refs-batch",
    timestamp: int | None = None,
    namespace: str = RESOURCES_NS,
    extra_body: list[str] = (),
) -> bytes:
    """One doi_citations per DOI, its references given as in `journal_article_deposit`;
    `extra_body` adds empty elements of other names (which such a deposit refuses)."""
    version = namespace.rpartition("/")[2]
    root = etree.Element(etree.QName(namespace, "doi_batch"), nsmap={None: namespace}, version=version)
    head = _sub(root, namespace, "head")
    _sub(head, namespace, "doi_batch_id", doi_batch_id)
    if timestamp is not None:
        _sub(head, namespace, "timestamp", timestamp)
    depositor = _sub(head, namespace, "depositor")
    _sub(depositor, namespace, "depositor_name", "Test Depositor")
    _sub(depositor, namespace, "email_address", "deposits@example.org")
    body = _sub(root, namespace, "body")
    for doi, references in lists.items():
        record = _sub(body, namespace, "doi_citations")
        _sub(record, namespace, "doi", doi)
        if references is not None:
            _citation_list(record, namespace, references)
    for name in extra_body:
        _sub(body, namespace, name)
    return _serialised(root)
