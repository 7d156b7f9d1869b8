"""Small builders for members and users used across the tests."""
from __future__ import annotations

from members.models import Member, Role, User
from members.services import member_create, user_add_to_member

PASSWORD = "correct-horse-battery-staple"


def member_with_admin(name: str, prefix: str, email: str) -> tuple[Member, User]:
    setup = member_create(name=name, prefixes=[prefix], admin_email=email, admin_password=PASSWORD)
    return setup.member, setup.admin


def user_in(member: Member, email: str, role: str = Role.EDITOR) -> User:
    return user_add_to_member(email=email, member=member, role=role, password=PASSWORD)
