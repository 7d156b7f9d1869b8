"""Changing members, prefixes and memberships."""
from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from members.models import Member, Membership, Prefix, Role, User, validate_prefix


@dataclass(frozen=True)
class MemberSetup:
    member: Member
    created: bool
    admin: User | None


@transaction.atomic
def member_create(
    *,
    name: str,
    prefixes: list[str],
    admin_email: str | None = None,
    admin_password: str | None = None,
) -> MemberSetup:
    """Create (or complete) a member with its prefixes and an admin user. Idempotent.

    A prefix already owned by another member is refused: prefixes are never moved silently.
    """
    for value in prefixes:
        validate_prefix(value)
    member, created = Member.objects.get_or_create(name=name)
    for value in prefixes:
        prefix, _ = Prefix.objects.get_or_create(value=value, defaults={"member": member})
        if prefix.member_id != member.pk:
            raise ValidationError(f"Prefix {value} already belongs to {prefix.member.name}.")
    admin = None
    if admin_email:
        admin = user_add_to_member(email=admin_email, member=member, role=Role.ADMIN, password=admin_password)
    return MemberSetup(member=member, created=created, admin=admin)


def user_add_to_member(*, email: str, member: Member, role: str, password: str | None = None) -> User:
    """Give a user (created when new) a role in a member. A given password replaces the old one."""
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=password)
    elif password:
        user.set_password(password)
        user.save(update_fields=["password"])
    Membership.objects.update_or_create(user=user, member=member, defaults={"role": role})
    return user
