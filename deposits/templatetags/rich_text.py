"""{{ work.title|rich }}: stored title markup (a safe subset of HTML), cleaned again and shown."""
from django import template
from django.utils.safestring import mark_safe

from deposits.xml.markup import clean_html, plain_text

register = template.Library()


@register.filter
def rich(value: str) -> str:
    return mark_safe(clean_html(value or ""))  # noqa: S308 - nh3 has just removed all but the safe subset


@register.filter
def plain(value: str) -> str:
    return plain_text(value or "")
