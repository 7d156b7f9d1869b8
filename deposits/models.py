"""Deposits (uploaded files and their outcome) and what they register: works and references."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from deposits.doi import doi_url_path
from deposits.names import authors_line
from members.models import Member


class Deposit(models.Model):
    """One uploaded deposit file and what became of it."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        PROCESSING = "processing", "Processing"
        COMPLETED = "completed", "Completed"
        FAILED = "failed", "Failed"

    FINAL_STATUSES = (Status.COMPLETED, Status.FAILED)

    class Operation(models.TextChoices):
        # Crossref's names for the two kinds of deposit its servlet takes.
        METADATA = "doMDUpload", "Metadata (works and their references)"
        REFERENCES = "doDOICitUpload", "References only (doi_citations)"

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="deposits")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="deposits"
    )
    # Set when a machine endpoint received it with an API key (then uploaded_by is empty).
    api_key = models.ForeignKey("members.APIKey", null=True, blank=True, on_delete=models.SET_NULL, related_name="deposits")
    # Set when another member sent it for `member` as its agent (members.AgentGrant); the agent
    # reads the logs of what it sent, as the member does.
    agent = models.ForeignKey(Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="deposits_as_agent")
    file = models.FileField(upload_to="deposits/%Y/%m/")
    filename = models.CharField(max_length=255)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, db_index=True)
    operation = models.CharField(max_length=20, choices=Operation.choices, default=Operation.METADATA)
    doi_batch_id = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED, db_index=True)
    message = models.TextField(blank=True, help_text="Why the whole file failed, when it did.")
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)
    record_count = models.PositiveIntegerField(default=0)
    success_count = models.PositiveIntegerField(default=0)
    warning_count = models.PositiveIntegerField(default=0)
    failure_count = models.PositiveIntegerField(default=0)
    # One task at a time applies a deposit: it holds the lease (its token) and renews it with
    # every chunk it commits. A lease that runs out means its task died; the reconciler
    # re-queues the deposit and the next task resumes where the dead one stopped.
    lease_token = models.CharField(max_length=32, blank=True)
    lease_expires = models.DateTimeField(null=True, blank=True)
    requeued = models.DateTimeField(null=True, blank=True, help_text="When the reconciler last re-queued it.")
    attempts = models.PositiveIntegerField(default=0, help_text="Tasks that took this deposit up.")

    class Meta:
        ordering = ["-created", "-pk"]
        indexes = [
            models.Index(fields=["lease_expires"], condition=Q(status__in=["queued", "processing"]), name="deposit_unfinished"),
        ]

    def __str__(self) -> str:
        return f"Deposit {self.pk} ({self.filename})"

    @property
    def is_final(self) -> bool:
        return self.status in self.FINAL_STATUSES

    # What happened, in one word the pages, logs and APIs share: never "completed" (green) when
    # any record failed, and "failed" whenever nothing was registered.
    OUTCOMES = {
        "queued": ("Queued", "…"),
        "processing": ("Processing", "…"),
        "completed": ("Completed", "✓"),
        "completed-with-warnings": ("Completed with warnings", "⚠"),
        "completed-with-failures": ("Completed with failures", "✗"),
        "failed": ("Failed — nothing registered", "✗"),
    }

    @property
    def outcome(self) -> str:
        if not self.is_final:
            return self.status
        registered = self.success_count + self.warning_count
        if self.status == self.Status.FAILED or (self.record_count and not registered) or (not self.record_count and self.message):
            return "failed"
        if self.failure_count:
            return "completed-with-failures"
        if self.warning_count:
            return "completed-with-warnings"
        return "completed"

    @property
    def outcome_label(self) -> str:
        return self.OUTCOMES[self.outcome][0]

    @property
    def outcome_icon(self) -> str:
        return self.OUTCOMES[self.outcome][1]


class RecordResult(models.Model):
    """The outcome for one record (one DOI) of a deposit: Crossref's record_diagnostic."""

    class Status(models.TextChoices):
        SUCCESS = "success", "Success"
        WARNING = "warning", "Warning"
        FAILURE = "failure", "Failure"

    deposit = models.ForeignKey(Deposit, on_delete=models.CASCADE, related_name="results")
    position = models.PositiveIntegerField()
    doi = models.CharField(max_length=255, blank=True)
    line = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices)
    message = models.TextField(blank=True)

    class Meta:
        ordering = ["deposit", "position"]
        constraints = [models.UniqueConstraint(fields=["deposit", "position"], name="one_result_per_record")]

    def __str__(self) -> str:
        return f"Record {self.position} of deposit {self.deposit_id}: {self.doi or '(no DOI)'} — {self.get_status_display()}"


class Work(models.Model):
    """A registered work: one DOI, its metadata, owned by the member whose prefix it is under."""

    doi = models.CharField(max_length=255, unique=True, help_text="Bare, lower case.")
    type = models.CharField(max_length=40, default="journal-article")
    title = models.TextField(blank=True)
    subtitle = models.TextField(blank=True)
    contributors = models.JSONField(default=list, blank=True)
    container_title = models.TextField(blank=True)
    # A chapter's book, when container_title names its series instead (Crossref lists both for a
    # chapter in a series): references cite chapters by the book's title. db_default: bulk loaders
    # that write works in SQL need not name it.
    book_title = models.TextField(blank=True, default="", db_default="")
    issn = models.CharField(max_length=9, blank=True)
    isbn = models.CharField(max_length=17, blank=True)
    volume = models.CharField(max_length=100, blank=True)
    issue = models.CharField(max_length=100, blank=True)
    first_page = models.CharField(max_length=100, blank=True)
    last_page = models.CharField(max_length=100, blank=True)
    publication_year = models.PositiveSmallIntegerField(null=True, blank=True)
    # Crossref's partial dates as deposited ("2024", "2024-03", "2024-03-05"): published-print
    # and published-online of the REST API. publication_year stays the one year pages sort by.
    # db_default: bulk loaders that write works in SQL (citations.work_import) need not name them.
    published_print = models.CharField(max_length=10, blank=True, default="", db_default="")
    published_online = models.CharField(max_length=10, blank=True, default="", db_default="")
    publisher = models.CharField(max_length=255, blank=True)
    resource_url = models.URLField(max_length=2000, blank=True)
    # No index of its own: work_owner_count (owner, -cited_by_count) leads with it.
    owner = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="works", db_index=False)
    deposit_timestamp = models.BigIntegerField(null=True, blank=True)
    last_deposit = models.ForeignKey(Deposit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    references_count = models.PositiveIntegerField(default=0)
    # Kept by the citations app (distinct citing works), so pages never count rows on the fly.
    cited_by_count = models.PositiveIntegerField(default=0)
    # The deposit that last gave the work its reference list (metadata or references only): its
    # page shows the linking of these works while match_pending says it still runs.
    references_deposit = models.ForeignKey(
        Deposit, null=True, blank=True, on_delete=models.SET_NULL, related_name="works_linking"
    )
    # Kept by the citations app like cited_by_count: this work's references linked to a registered
    # work (counted links), so deposit and work pages tell linking's outcome without counting rows.
    linked_references_count = models.PositiveIntegerField(default=0, db_default=0)  # raw bulk imports omit it
    # Set in the transaction that registers or changes the work; cleared by matching once the
    # work's references and the references waiting for it have been matched. The database says
    # what is still to do, so a lost task is found again (see citations.tasks.match_pending_works).
    match_pending = models.BooleanField(default=True)

    class Meta:
        ordering = ["doi"]
        indexes = [
            models.Index(fields=["owner", "-cited_by_count"], name="work_owner_count"),
            models.Index(fields=["updated"], condition=Q(match_pending=True), name="work_match_pending"),
            # The public works list (GET /works) sorts by these, id breaking ties; its cursors
            # resume after a (value, id) pair, so each page is a range scan of one of them.
            models.Index(fields=["created", "id"], name="work_list_created"),
            models.Index(fields=["updated", "id"], name="work_list_updated"),
            models.Index(fields=["cited_by_count", "id"], name="work_list_cited_by_count"),
            models.Index(fields=["publication_year", "id"], name="work_list_publication_year"),
        ]

    def __str__(self) -> str:
        return self.doi

    @property
    def authors(self) -> list[dict]:
        return [c for c in self.contributors if c.get("role", "author") == "author"]

    @property
    def authors_line(self) -> str:
        """The first six authors, as pages show them (one call, not a sub-template per work)."""
        return authors_line(self.contributors)

    @property
    def doi_url(self) -> str:
        return f"https://doi.org/{doi_url_path(self.doi)}"


class Reference(models.Model):
    """One entry of a work's reference list, as deposited."""

    # No index of its own: the unique (citing_work, key) constraint's index leads with it.
    citing_work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="references", db_index=False)
    key = models.CharField(max_length=255)
    position = models.PositiveIntegerField()
    doi = models.CharField(max_length=255, blank=True, help_text="Bare, lower case; blank when none given.")
    unstructured = models.TextField(blank=True)
    journal_title = models.TextField(blank=True)
    author = models.TextField(blank=True)
    volume = models.CharField(max_length=100, blank=True)
    issue = models.CharField(max_length=100, blank=True)
    first_page = models.CharField(max_length=100, blank=True)
    year = models.CharField(max_length=20, blank=True)
    article_title = models.TextField(blank=True)
    issn = models.CharField(max_length=20, blank=True)
    isbn = models.CharField(max_length=20, blank=True)
    series_title = models.TextField(blank=True)
    volume_title = models.TextField(blank=True)
    edition_number = models.CharField(max_length=50, blank=True)
    component_number = models.CharField(max_length=50, blank=True)
    type = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["citing_work", "position"]
        constraints = [
            models.UniqueConstraint(fields=["citing_work", "key"], name="reference_key_unique_in_work"),
        ]
        indexes = [
            # References waiting for a DOI are found by it when that DOI is registered.
            models.Index(fields=["doi"], condition=~Q(doi=""), name="reference_doi"),
        ]

    def __str__(self) -> str:
        return f"{self.citing_work.doi} [{self.key}]"
