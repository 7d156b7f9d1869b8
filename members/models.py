"""Members of the registration agency, their DOI prefixes, and their users' roles."""
from __future__ import annotations

import re

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models

PREFIX_RE = re.compile(r"^10\.\d{4,9}$")


def validate_prefix(value: str) -> None:
    if not PREFIX_RE.match(value):
        raise ValidationError(f"“{value}” is not a DOI prefix: it must look like 10.1234 (10. then 4–9 digits).")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("A user needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who signs in with an email address. `is_staff`: registration agency staff."""

    username = None
    email = models.EmailField("email address", unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    def __str__(self) -> str:
        return self.email


class Member(models.Model):
    """An organisation that registers DOIs with the agency (a publisher, a society...)."""

    name = models.CharField(max_length=255, unique=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Prefix(models.Model):
    """A DOI prefix (10.NNNN). Each belongs to exactly one member."""

    value = models.CharField(max_length=20, unique=True, validators=[validate_prefix])
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="prefixes")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["value"]
        verbose_name_plural = "prefixes"

    def __str__(self) -> str:
        return self.value


class Role(models.TextChoices):
    ADMIN = "admin", "Administrator"
    DEPOSITOR = "depositor", "Depositor"
    EDITOR = "editor", "Editor"


class Membership(models.Model):
    """A user's place in a member organisation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.EDITOR)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "member"], name="one_membership_per_user_and_member")]
        ordering = ["member__name"]

    def __str__(self) -> str:
        return f"{self.user} — {self.member} ({self.get_role_display()})"


class APIKey(models.Model):
    """A member's key for the machine endpoints (Crossref's servlet, the JSON API).

    The key itself is shown once, at creation: `cbp_<key_id>_<secret>`. Only the key id (to find
    the row) and a SHA-256 of the secret are stored; the secret has 256 bits of entropy, so a
    fast hash is as safe as a slow one and keeps every API call cheap.
    """

    class Scope(models.TextChoices):
        DEPOSIT = "deposit", "Deposit (post deposits, read their logs)"
        RETRIEVE = "retrieve", "Retrieve (read cited-by lists)"

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=100, help_text="What the key is for, e.g. “OJS production”.")
    key_id = models.CharField(max_length=32, unique=True)
    secret_hash = models.CharField(max_length=64)
    scopes = models.JSONField(default=list)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)
    revoked = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = "API key"

    def __str__(self) -> str:
        return f"{self.name} ({self.key_id}) — {self.member}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked is not None

    def scope_labels(self) -> list[str]:
        return [self.Scope(scope).label for scope in self.scopes if scope in self.Scope.values]


class WidgetKey(models.Model):
    """A publishable key for the "Cited by" widget: it names the member whose works it shows and
    the sites (origins) allowed to show them. Publishable, so no secret: the origins are the policy.
    """

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="widget_keys")
    name = models.CharField(max_length=100, help_text="What the key is for, e.g. the journal's site.")
    key = models.CharField(max_length=64, unique=True)
    # Normalised origins ("https://journal.example", "http://localhost:8080"): scheme, host, port.
    allowed_origins = models.JSONField(default=list)
    created = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    revoked = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.member})"

    @property
    def is_active(self) -> bool:
        return self.revoked is None


class AgentGrant(models.Model):
    """A member (the principal) lets another member (its agent, e.g. a hosting platform) deposit
    and/or retrieve cited-by lists for the principal's DOIs. The agent's users and keys act
    within their own roles and scopes *and* this grant. Revoking deletes the row: every request
    asks members.access afresh, so it takes effect at once."""

    class Scope(models.TextChoices):
        DEPOSIT = "deposit", "Deposit for us (under our prefixes)"
        RETRIEVE = "retrieve", "Retrieve our cited-by lists"

    principal = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="agent_grants")
    agent = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="principal_grants")
    scopes = models.JSONField(default=list)
    granted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["principal", "agent"], name="one_agent_grant_per_pair"),
            models.CheckConstraint(condition=~models.Q(principal=models.F("agent")), name="agent_is_another_member"),
        ]
        ordering = ["agent__name"]

    def __str__(self) -> str:
        return f"{self.agent} acts for {self.principal} ({', '.join(self.scopes)})"
