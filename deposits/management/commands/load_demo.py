"""python manage.py load_demo: an agency admin, two members citing each other (idempotent).

The demo deposits are queued exactly like uploads, so the worker processes them when it starts.
"""
from pathlib import Path

from django.core.management.base import BaseCommand

from deposits.models import Deposit
from deposits.services import deposit_create_from_bytes
from members.models import User
from members.services import member_create

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"
DEMO_PASSWORD = "demo-password"
AGENCY_ADMIN = ("admin@agency.example", "demo-admin-password")
DEMO_MEMBERS = [
    # name, prefix, admin email, deposit file
    ("Journal of Open Demos", "10.5555", "editor@open-demos.example", "open-demos.xml"),
    ("Society of Example Letters", "10.5556", "letters@example-letters.example", "example-letters.xml"),
]


class Command(BaseCommand):
    help = "Load the demo data: an agency admin and two members whose works cite each other."

    def handle(self, *args, **options):
        email, password = AGENCY_ADMIN
        if not User.objects.filter(email=email).exists():
            User.objects.create_superuser(email=email, password=password)
        for name, prefix, admin_email, filename in DEMO_MEMBERS:
            setup = member_create(name=name, prefixes=[prefix], admin_email=admin_email, admin_password=DEMO_PASSWORD)
            if Deposit.objects.filter(member=setup.member).exists():
                continue
            deposit = deposit_create_from_bytes(
                member=setup.member, content=(DEMO_DIR / filename).read_bytes(), filename=filename, uploaded_by=setup.admin
            )
            self.stdout.write(f"Queued demo deposit {deposit.pk} for {name}.")
        self.stdout.write("Demo data ready.")
