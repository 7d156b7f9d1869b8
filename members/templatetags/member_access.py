"""Templates ask members.access too (e.g. whether to show the member's administration tabs)."""
from django import template

from members.access import can_manage_member

register = template.Library()


@register.filter
def manages(user, member) -> bool:
    return can_manage_member(user, member)
