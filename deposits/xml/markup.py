"""Inline markup of titles (Crossref face markup and MathML), kept as a safe subset of HTML.

`x·e<sup>2</sup>` must not read "xe2". Titles are stored as HTML restricted to the tags below,
cleaned by nh3 (ammonia) when read from the deposit and again when shown.
"""
from __future__ import annotations

import html
import re
from functools import lru_cache

import nh3
from lxml import etree

from deposits.xml.elements import collapse, local_name

MATHML_NS = "http://www.w3.org/1998/Math/MathML"
MATHML_TAGS = frozenset({
    "math", "mi", "mn", "mo", "ms", "mspace", "mtext", "mrow", "mfrac", "msqrt", "mroot", "mstyle",
    "merror", "mpadded", "mphantom", "mfenced", "menclose", "msub", "msup", "msubsup", "munder",
    "mover", "munderover", "mmultiscripts", "mprescripts", "none", "mtable", "mtr", "mtd", "semantics",
})
# Crossref face markup -> HTML.
FACE_TAGS = {"i": "i", "b": "b", "u": "u", "sup": "sup", "sub": "sub", "tt": "code", "em": "em", "strong": "strong"}
ALLOWED_TAGS = frozenset(FACE_TAGS.values()) | MATHML_TAGS


# One sanitiser built once: nh3.clean() builds a new one, allow-list included, on every call
# (some 20 us, five times the cleaning of a title: a tenth of reading a deposit).
_CLEANER = nh3.Cleaner(tags=set(ALLOWED_TAGS), attributes={}, strip_comments=True)


@lru_cache(maxsize=8192)
def clean_html(value: str) -> str:
    """`value` with every tag outside ALLOWED_TAGS and every attribute removed.

    Remembered per title: pages show the same works' titles request after request (the most
    cited, the newest links), and a list of 50 would otherwise clean 50 titles each time.
    """
    return _CLEANER.clean(value)


def rich_text(element: etree._Element | None) -> str:
    """The content of `element` as safe HTML, keeping face markup and MathML."""
    if element is None:
        return ""
    return clean_html(collapse(_inner(element)))


def _inner(element: etree._Element) -> str:
    parts = [html.escape(element.text or "", quote=False)]
    for node in element:
        parts.append(_outer(node))
        parts.append(html.escape(node.tail or "", quote=False))
    return "".join(parts)


def _outer(node: etree._Element) -> str:
    name = local_name(node)
    if not name:
        return ""
    namespace = etree.QName(node).namespace
    tag = name if namespace == MATHML_NS and name in MATHML_TAGS else FACE_TAGS.get(name)
    inner = _inner(node)
    return f"<{tag}>{inner}</{tag}>" if tag else inner  # unknown markup (scp, ovl, font...): its text


_TAG = re.compile(r"<[^>]*>")


def plain_text(value: str) -> str:
    """The text of stored rich HTML (MathML's text included), for searching, matching and
    plain-text places. Stored titles are already clean, so dropping the tags is enough."""
    return collapse(html.unescape(_TAG.sub("", value)))
