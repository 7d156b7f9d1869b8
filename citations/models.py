"""Citation links (a reference of a citing work matched to the registered work it cites), how
each was found, and the editors' decisions about them."""
from django.conf import settings
from django.db import models
from django.utils import timezone

from deposits.models import Reference, Work
from portal.encrypted import EncryptedTextField


class Citation(models.Model):
    class Method(models.TextChoices):
        PUBLISHER_DOI = "publisher-doi", "DOI given by the publisher"
        STRUCTURED = "structured", "Matched on the reference's fields"
        UNSTRUCTURED = "unstructured", "Matched on the reference's text"

    class Status(models.TextChoices):
        LINKED = "linked", "Linked by the matcher"
        CONFIRMED = "confirmed", "Confirmed by an editor"
        FLAGGED = "flagged", "Waiting for an editor: the reference contradicts the DOI it gives"

    # Links that count and are listed; flagged ones wait for the cited work's editors.
    COUNTED = (Status.LINKED, Status.CONFIRMED)

    reference = models.OneToOneField(Reference, on_delete=models.CASCADE, related_name="citation")
    # No index of its own: citation_citing_status (citing_work, status) leads with it.
    citing_work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="citations_made", db_index=False)
    # No index of its own: citation_cited_citing (cited_work, citing_work) leads with it.
    cited_work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="citations_received", db_index=False)
    method = models.CharField(max_length=20, choices=Method.choices)
    score = models.FloatField(null=True, blank=True, help_text="Matcher's confidence, 0 to 1.")
    agreed = models.JSONField(default=list, blank=True, help_text="Fields of the reference that agreed with the work.")
    note = models.CharField(max_length=255, blank=True, help_text="Why the match was flagged, or the rule that accepted it.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.LINKED)
    # Indexed where set only (citation_decided_by): a user's deletion finds the links it decided
    # by it, and the matcher's links, nearly all of them, leave it empty.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    # When the link began to count: when it was found, or, for a DOI reference flagged as
    # contradicting its work, when an editor accepted it (empty while it waits). Notifications
    # and digests tell members about links from this moment on, so an accepted one is not missed.
    counted_since = models.DateTimeField(null=True, blank=True, default=timezone.now, db_index=True)
    # The cited work's version (its `updated`) the matcher read when it made this link, so that a
    # change of the work re-checks the links made before it, and only those (empty: unknown, as
    # for links made before the version was kept: re-checked). The row it was read with, not a
    # clock: a link decided on a version read just before a change is re-checked too.
    cited_version = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        indexes = [
            models.Index(fields=["cited_work", "citing_work"], name="citation_cited_citing"),
            models.Index(fields=["cited_work", "-created"], name="citation_cited_newest"),
            # The recounts of a work's counts read these two alone, from the index (no row visited):
            # distinct citing works by cited work and status, counted links by citing work and status.
            models.Index(fields=["cited_work", "status", "citing_work"], name="citation_cited_status_citing"),
            models.Index(fields=["citing_work", "status"], name="citation_citing_status"),
            models.Index(fields=["decided_by"], condition=models.Q(decided_by__isnull=False), name="citation_decided_by"),
        ]

    def __str__(self) -> str:
        return f"{self.citing_work_id} → {self.cited_work_id} ({self.method}, {self.status})"


class RejectedMatch(models.Model):
    """An editor said this reference does not cite this work: re-matching never links it again.

    Keyed on the citing work and the reference's key (not the reference row), so it survives a
    re-deposit of the citing work, which replaces its reference rows.
    """

    citing_work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="+")
    reference_key = models.CharField(max_length=255)
    cited_work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="rejected_matches")
    method = models.CharField(max_length=20, choices=Citation.Method.choices, blank=True)
    score = models.FloatField(null=True, blank=True)
    rejected_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    rejected_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-rejected_at"]
        constraints = [
            models.UniqueConstraint(fields=["citing_work", "reference_key", "cited_work"], name="one_rejection_per_link"),
        ]

    def __str__(self) -> str:
        return f"{self.citing_work_id}[{self.reference_key}] ↛ {self.cited_work_id}"


class UnmatchedReference(models.Model):
    """A reference the matcher tried and left unlinked, and why (for members' participation
    reports, and to find candidates again when new works arrive)."""

    reference = models.OneToOneField(Reference, on_delete=models.CASCADE, primary_key=True, related_name="unmatched")
    reason = models.CharField(max_length=30, db_index=True)
    tried = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.reference_id}: {self.reason}"


class MatchDecision(models.Model):
    """What an editor of the cited work decided about one link, by whom and when (kept for good).

    Keyed like RejectedMatch on the citing work and reference key, not the citation row: a
    rejection deletes that row, and a re-deposit replaces the reference rows.
    """

    class Action(models.TextChoices):
        CONFIRM = "confirm", "Confirmed"
        REJECT = "reject", "Rejected"
        ACCEPT = "accept", "Accepted despite the contradiction"

    citing_work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="+")
    reference_key = models.CharField(max_length=255)
    cited_work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="match_decisions")
    action = models.CharField(max_length=10, choices=Action.choices)
    method = models.CharField(max_length=20, choices=Citation.Method.choices, blank=True)
    score = models.FloatField(null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # The user row may go one day; who decided must not.
    by_email = models.CharField(max_length=254, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["cited_work", "-at"], name="decision_cited_newest")]

    def __str__(self) -> str:
        return f"{self.action} {self.citing_work_id}[{self.reference_key}] → {self.cited_work_id} by {self.by_email}"


class CallbackEndpoint(models.Model):
    """Where a member wants each new citation of its works POSTed (citations.callbacks says how)."""

    member = models.OneToOneField("members.Member", on_delete=models.CASCADE, related_name="callback_endpoint")
    url = models.URLField(max_length=2000)
    # Encrypted at rest: it must stay readable to sign, so it cannot be hashed like an API key.
    secret = EncryptedTextField(help_text="Key of the HMAC-SHA256 signature of every POST.")
    # Citations found after this are sent; set when the URL is first given, so past ones are not.
    since = models.DateTimeField()
    # How far the scan for new citations has got (it looks back a little from here: see
    # citations.notifications.queue_new_citation_deliveries).
    scanned_until = models.DateTimeField()
    updated = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.member}: {self.url}"


class CallbackDelivery(models.Model):
    """One citation to POST to one member's callback, its attempts and outcome (the delivery log)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for its next try"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Given up"

    delivery_id = models.UUIDField(unique=True)
    endpoint = models.ForeignKey(CallbackEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    citation = models.ForeignKey(Citation, null=True, on_delete=models.SET_NULL, related_name="+")
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    next_try = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    delivered = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        constraints = [models.UniqueConstraint(fields=["endpoint", "citation"], name="one_delivery_per_citation")]
        indexes = [models.Index(fields=["status", "next_try"], name="delivery_due")]

    def __str__(self) -> str:
        return f"{self.delivery_id} ({self.status}, {self.attempts} attempts)"


class DigestSubscription(models.Model):
    """A member user's email of the new citations of the member's works, daily or weekly."""

    class Frequency(models.TextChoices):
        DAILY = "daily", "Daily"
        WEEKLY = "weekly", "Weekly"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="citation_digests")
    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="citation_digests")
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    # Citations found after this go in the next email.
    covered_until = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "member"], name="one_digest_per_user_and_member")]

    def __str__(self) -> str:
        return f"{self.user} · {self.member} ({self.frequency})"


class MemberFigures(models.Model):
    """A member's dashboard figures, counted by a worker (citations.figures) and read by pages in
    one query: counting distinct citing works and members over a million links per request is
    what made the dashboard slow. Kept current after deposits and matching (debounced), with a
    periodic sweep as the safety net; pages say when they were counted (`computed_at`)."""

    member = models.OneToOneField("members.Member", on_delete=models.CASCADE, primary_key=True, related_name="figures")
    works = models.PositiveIntegerField(default=0)
    works_with_references = models.PositiveIntegerField(default=0)
    references = models.PositiveBigIntegerField(default=0)
    references_matched = models.PositiveBigIntegerField(default=0)
    citations_received = models.PositiveBigIntegerField(default=0)
    citing_works = models.PositiveBigIntegerField(default=0)
    citing_members = models.PositiveIntegerField(default=0)
    # {reason: references} of the member's unmatched references (the participation report).
    unmatched_by_reason = models.JSONField(default=dict, blank=True)
    # {"YYYY-MM": counted links found that month} over the last two years (the chart).
    citations_per_month = models.JSONField(default=dict, blank=True)
    # The types and publication years the member's works have (the works list's filters): two
    # DISTINCT scans of a hundred thousand works per request otherwise.
    work_types = models.JSONField(default=list, blank=True)
    work_years = models.JSONField(default=list, blank=True)
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "member figures"
        indexes = [models.Index(fields=["computed_at"], name="member_figures_oldest")]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.works} works, {self.citations_received} citations ({self.computed_at:%Y-%m-%d %H:%M})"


class SetAsideIndex(models.Model):
    """A secondary index of the registry's tables that a bulk `import_works` dropped while it
    loads (citations.bulk_load), recorded in the same transaction as the drop. The load builds
    it again and deletes the record; a load that died leaves it here for the next run to build."""

    name = models.CharField(max_length=63, unique=True)  # PostgreSQL's identifier length
    table = models.CharField(max_length=63)
    definition = models.TextField(help_text="Its CREATE INDEX statement, as pg_indexes gives it.")
    set_aside_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.name} on {self.table} (set aside {self.set_aside_at:%Y-%m-%d %H:%M})"
