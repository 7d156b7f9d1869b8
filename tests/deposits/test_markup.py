"""Titles keep their inline markup (face markup, MathML) as a safe subset of HTML, shown rendered."""
import io

import pytest
from django.urls import reverse

from deposits.models import Work
from deposits.services import deposit_create_from_bytes, deposit_process
from deposits.xml import DepositFileError, open_deposit
from deposits.xml.markup import plain_text
from tests.xmlbuild import journal_article_deposit

MATH = '<mml:math xmlns:mml="http://www.w3.org/1998/Math/MathML"><mml:msup><mml:mi>e</mml:mi><mml:mn>2</mml:mn></mml:msup></mml:math>'
TITLE = f'Growth of <i>E. coli</i> at x·{MATH} &amp; NO<sub>2</sub><script>alert(1)</script> <scp>dna</scp>'


def _deposit_with_title(title_xml: str) -> bytes:
    placeholder = "TITLE-PLACEHOLDER"
    xml = journal_article_deposit([{"doi": "10.5555/rich", "title": placeholder}]).decode()
    return xml.replace(placeholder, title_xml).encode()


def test_title_markup_is_kept_as_safe_html():
    with open_deposit(io.BytesIO(_deposit_with_title(TITLE))) as stream:
        (work,) = list(stream)
    # Unknown elements (a script, small caps) keep only their text, escaped.
    assert work.title == "Growth of <i>E. coli</i> at x·<math><msup><mi>e</mi><mn>2</mn></msup></math> &amp; NO<sub>2</sub>alert(1) dna"
    assert plain_text(work.title) == "Growth of E. coli at x·e2 & NO2alert(1) dna"


@pytest.mark.django_db
def test_public_page_shows_the_title_rendered(client, press):
    deposit = deposit_create_from_bytes(member=press[0], content=_deposit_with_title(TITLE), filename="r.xml")
    deposit_process(deposit_id=deposit.pk)
    work = Work.objects.get(doi="10.5555/rich")
    body = client.get(reverse("citations:work", args=[work.doi])).content.decode()
    assert "<i>E. coli</i>" in body and "<sub>2</sub>" in body and "<msup><mi>e</mi><mn>2</mn></msup>" in body
    assert "<script>alert" not in body
    assert "<title>Growth of E. coli at x·e2 &amp; NO2" in body  # plain text where markup cannot go


def test_text_beyond_the_parsers_limit_is_explained_in_the_depositors_terms():
    huge = _deposit_with_title("x" * 10_000_001)
    with pytest.raises(DepositFileError, match="too large to read") as caught:
        list(open_deposit(io.BytesIO(huge), max_bytes=20_000_000))
    assert "XML_PARSE_HUGE" not in caught.value.message
