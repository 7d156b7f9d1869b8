"""{{ work.title_rich|widget_rich }}: a title's allow-listed node tree (citations.widget.rich) as HTML."""
from django import template
from django.utils.safestring import mark_safe

from citations.widget.rich import nodes_html

register = template.Library()


@register.filter
def widget_rich(nodes) -> str:
    return mark_safe(nodes_html(nodes or []))  # noqa: S308 - text escaped, tags from the allow-list only
