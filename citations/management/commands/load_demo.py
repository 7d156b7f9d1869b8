"""python manage.py load_demo: the demo `make run` starts with (idempotent).

Four members citing each other, about three hundred works over the last three years, deposited
through the real pipeline and matched by the real matcher, so every page has something to show:
the dashboard's totals, chart and lists, the participation report, a flagged citation for the
editors, deposits with their submission logs and linking progress, keys, an agent, and the
widget demo page (/widget/demo/).

It lives in citations, not deposits, because it calls the matching (deposits never imports
citations); the deposit files come from deposits.demo_deposits.
"""
from __future__ import annotations

import datetime
import hashlib
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from citations.models import Citation
from citations.services import match_works
from deposits.demo_deposits import DEMO_MEMBERS, EXAMPLE_LETTERS, OPEN_DEMOS, DEMO_PRESS, DemoDeposit, demo_deposits
from deposits.models import Deposit, Work
from deposits.services import deposit_create_from_bytes, deposit_process
from members.models import AgentGrant, APIKey, Member, User, WidgetKey
from members.services import agent_grant, api_key_create, member_create, widget_key_create

DEMO_PASSWORD = "demo-password"
AGENCY_ADMIN = ("admin@agency.example", "demo-admin-password")
WIDGET_KEY_NAME = "Demo article pages"
WIDGET_ORIGINS = "http://127.0.0.1:8000\nhttp://localhost:8000"
API_KEY_NAME = "Demo platform (deposits and cited-by lists)"


class Command(BaseCommand):
    help = "Load the demo data: four members whose few hundred works cite each other, matched and ready to browse."

    def handle(self, *args, **options):
        started = time.monotonic()
        email, password = AGENCY_ADMIN
        if not User.objects.filter(email=email).exists():
            User.objects.create_superuser(email=email, password=password)
        members = {
            demo.prefix: member_create(name=demo.name, prefixes=[demo.prefix], admin_email=demo.admin_email,
                                       admin_password=DEMO_PASSWORD)
            for demo in DEMO_MEMBERS
        }
        files = demo_deposits(today=_demo_day(members[OPEN_DEMOS.prefix].member))
        # The demo's depositors are made up: their submission-log emails would only bury `make run`'s
        # banner in the terminal (the console backend), so they go nowhere; the logs stay on the pages.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            deposited = [self._deposit(demo, members[demo.member.prefix]) for demo in files]
        demo_works = Work.objects.filter(doi__in=[work.doi for demo in files for work in demo.works])
        # Works whose matching has not finished (all of them on the first run, none on the next).
        work_ids = list(demo_works.filter(match_pending=True).order_by("pk").values_list("pk", flat=True))
        matching_from = timezone.now()
        # The same service the worker's match_works_task calls, in its chunks, here and now: `make
        # run` opens on a full dashboard instead of one that fills while the worker catches up.
        # (The deposits' signals queue the same matching for the worker too; it finds it done.)
        size = settings.MATCHING_CHUNK_SIZE
        made = sum(match_works(work_ids=work_ids[start : start + size]) for start in range(0, len(work_ids), size))
        dated = _date_new_links(since=matching_from, publication={work.doi: work.date for demo in files for work in demo.works})
        self._keys_and_agents(members)
        self.stdout.write(
            f"Demo data ready: {len(DEMO_MEMBERS)} members, {demo_works.count()} works, {sum(deposited)} new deposits, "
            f"{made} new links ({dated} dated) in {time.monotonic() - started:.1f} s."
        )
        most_cited = demo_works.order_by("-cited_by_count", "doi").first()
        if most_cited is not None:  # the README's examples use it too
            self.stdout.write(f"Most cited demo work: {most_cited.doi} (cited by {most_cited.cited_by_count}).")

    def _deposit(self, demo: DemoDeposit, setup) -> int:
        """Deposit one demo file unless this member already has it; finish it if a run was cut short."""
        deposit = Deposit.objects.filter(member=setup.member, filename=demo.filename).order_by("pk").first()
        new = deposit is None
        if new:
            deposit = deposit_create_from_bytes(member=setup.member, content=demo.content, filename=demo.filename,
                                                uploaded_by=setup.admin)
        # What the worker's process_deposit does; run here so matching can follow at once. The
        # queued task, when the worker takes it, finds the deposit completed and stops.
        done = deposit_process(deposit_id=deposit.pk)
        if new:
            self.stdout.write(f"Deposited {demo.filename} for {demo.member.name}: {done.success_count} records registered.")
        return int(new)

    def _keys_and_agents(self, members) -> None:
        open_demos, letters, press = (members[demo.prefix] for demo in (OPEN_DEMOS, EXAMPLE_LETTERS, DEMO_PRESS))
        # Open Demos' key is made first: /widget/demo/ shows the oldest active key's member.
        for setup in (open_demos, letters):
            if not WidgetKey.objects.filter(member=setup.member, name=WIDGET_KEY_NAME).exists():
                key = widget_key_create(member=setup.member, name=WIDGET_KEY_NAME, origins=WIDGET_ORIGINS, created_by=setup.admin)
                self.stdout.write(f"Widget key for {setup.member.name}: {key.key}")
        if not APIKey.objects.filter(member=open_demos.member, name=API_KEY_NAME).exists():
            new = api_key_create(member=open_demos.member, name=API_KEY_NAME, scopes=list(APIKey.Scope.values),
                                 created_by=open_demos.admin)
            self.stdout.write(f"API key for {open_demos.member.name} (shown once): {new.token}")
        # The press lets the society (its agent) retrieve its cited-by lists; no callback URL is set
        # for anyone, so the notification settings show their empty state.
        agent_grant(principal=press.member, agent=letters.member, scopes=[AgentGrant.Scope.RETRIEVE], granted_by=press.admin)


def _demo_day(member: Member) -> datetime.date:
    """The day the demo is generated for: the day it was first loaded. The files depend on the day
    (three years back from it), so a later run makes the very same files and finds them deposited
    instead of depositing a shifted set (a new year's file, renumbered DOIs)."""
    first = Deposit.objects.filter(member=member, filename__startswith="demo-").order_by("pk").values_list("created", flat=True).first()
    return timezone.localdate(first) if first else timezone.localdate()


def _date_new_links(*, since: datetime.datetime, publication: dict[str, datetime.date]) -> int:
    """Give the links this run made "found" dates spread over time, deterministically.

    Demo only: in the portal a link's `created` is when matching found it, which here would be
    this minute for every link, and the per-month chart a single bar. A demo link is dated as if
    found a few days after the citing work appeared (its publication date plus 0-9 days, from a
    hash of the reference, so every run dates the same link alike), never in the future. Only
    links made by this run are touched: running the loader again changes nothing.
    """
    now = timezone.now()
    links = list(Citation.objects.filter(created__gte=since, citing_work__doi__in=list(publication))
                 .select_related("citing_work", "reference").only("pk", "status", "citing_work__doi", "reference__key"))
    for link in links:
        digest = int(hashlib.sha256(f"{link.citing_work.doi} {link.reference.key}".encode()).hexdigest()[:8], 16)
        day = publication[link.citing_work.doi] + datetime.timedelta(days=digest % 10)
        found = datetime.datetime.combine(day, datetime.time(8), tzinfo=datetime.timezone.utc)
        link.created = min(found + datetime.timedelta(minutes=digest % 600), now - datetime.timedelta(minutes=5))
        # A counted link counts from when it was found; the flagged one waits for an editor.
        link.counted_since = None if link.status == Citation.Status.FLAGGED else link.created
    with transaction.atomic():
        Citation.objects.bulk_update(links, ["created", "counted_since"], batch_size=500)
    return len(links)
