"""Stored title markup (already a safe subset of HTML, deposits.xml.markup) as a tree of plain
JSON, so the widget's script builds DOM nodes from an allow-list and never parses HTML.

`x<sup>2</sup>` -> ["x", ["sup", "2"]]: a string is text, a list is [tag, *children]. No Django here.
"""
from __future__ import annotations

import html
from html.parser import HTMLParser

from deposits.names import authors_line  # noqa: F401 - the widget's data and exports import it from here
from deposits.xml.markup import ALLOWED_TAGS, FACE_TAGS, clean_html

RichNode = str | list


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root: list = ["#root"]
        self.stack: list[list] = [self.root]

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag not in ALLOWED_TAGS:
            return  # clean_html removed these already; a second guard costs nothing
        node = [tag]
        self.stack[-1].append(node)
        self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs) -> None:
        if tag in ALLOWED_TAGS:
            self.stack[-1].append([tag])

    def handle_endtag(self, tag: str) -> None:
        # Close up to the matching open tag; a stray end tag is ignored.
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        parent = self.stack[-1]
        if len(parent) > 1 and isinstance(parent[-1], str):
            parent[-1] += data
        else:
            parent.append(data)


def rich_nodes(value: str, *, cleaned: bool = False) -> list[RichNode]:
    """The children of `value` (stored rich HTML) as JSON-ready nodes, cleaned again first
    unless the caller has just done it (`cleaned`)."""
    if not value:
        return []
    if "<" not in value and "&" not in value:
        return [value]
    builder = _TreeBuilder()
    builder.feed(value if cleaned else clean_html(value))
    builder.close()
    return builder.root[1:]


def face_tags() -> list[str]:
    return sorted(set(FACE_TAGS.values()))


def mathml_tags() -> list[str]:
    return sorted(ALLOWED_TAGS - set(FACE_TAGS.values()))


def nodes_html(nodes: list[RichNode]) -> str:
    """The nodes back as HTML (text escaped, allow-listed tags only), for the server-rendered iframe."""
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, str):
            parts.append(html.escape(node, quote=False))
        elif node and isinstance(node[0], str):
            inner = nodes_html(node[1:])
            parts.append(f"<{node[0]}>{inner}</{node[0]}>" if node[0] in ALLOWED_TAGS else inner)
    return "".join(parts)
