"""python manage.py create_member: scripting members, prefixes and their admins."""
import pytest
from django.core.management import CommandError, call_command

from members.models import Member, Membership, Prefix, User

pytestmark = pytest.mark.django_db


def create(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("create_member", *args, stdout=out, stderr=StringIO())
    return out.getvalue().strip()


def test_creates_member_prefixes_and_admin_and_prints_the_id():
    printed = create("Acme Press", "--prefix", "10.1234", "--prefix", "10.98765", "--admin-email", "Boss@Acme.example", "--password", "s3cret-pass!")
    member = Member.objects.get(name="Acme Press")
    assert printed == str(member.pk)
    assert sorted(member.prefixes.values_list("value", flat=True)) == ["10.1234", "10.98765"]
    admin = User.objects.get(email="boss@acme.example")
    assert admin.check_password("s3cret-pass!")
    assert Membership.objects.get(user=admin, member=member).role == "admin"


def test_running_it_again_changes_nothing_and_prints_the_same_id():
    first = create("Acme Press", "--prefix", "10.1234", "--admin-email", "boss@acme.example")
    second = create("Acme Press", "--prefix", "10.1234", "--admin-email", "boss@acme.example")
    assert first == second
    assert (Member.objects.count(), Prefix.objects.count(), Membership.objects.count()) == (1, 1, 1)


def test_prefix_of_another_member_is_refused():
    create("Acme Press", "--prefix", "10.1234")
    with pytest.raises(CommandError, match="10.1234 already belongs to Acme Press"):
        create("Other Press", "--prefix", "10.1234")
    assert Prefix.objects.get().member.name == "Acme Press"


def test_malformed_prefix_is_refused_with_the_reason():
    with pytest.raises(CommandError, match="must look like 10.1234"):
        create("Acme Press", "--prefix", "11.1234")
    assert Member.objects.count() == 0
