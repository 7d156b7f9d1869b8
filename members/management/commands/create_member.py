"""python manage.py create_member "Name" --prefix 10.NNNN [--prefix ...] --admin-email EMAIL [--password ...]"""
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from members.services import member_create


class Command(BaseCommand):
    help = "Create a member with its DOI prefixes and an admin user (idempotent). Prints the member's id."

    def add_arguments(self, parser):
        parser.add_argument("name", help="the organisation's name")
        parser.add_argument("--prefix", action="append", default=[], dest="prefixes", help="a DOI prefix, e.g. 10.5555 (repeatable)")
        parser.add_argument("--admin-email", help="email of the member's administrator (created if new)")
        parser.add_argument("--password", help="password for the admin user (default: none; they use 'forgot password')")

    def handle(self, *args, name, prefixes, admin_email, password, **options):
        try:
            setup = member_create(name=name, prefixes=prefixes, admin_email=admin_email, admin_password=password)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        verb = "Created" if setup.created else "Already existed:"
        self.stderr.write(f"{verb} member {setup.member.name} (prefixes: {', '.join(p.value for p in setup.member.prefixes.all())})")
        self.stdout.write(str(setup.member.pk))
