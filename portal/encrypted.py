"""Values a copy of the database must not give away, encrypted at rest.

A member's callback secret must stay readable (the portal signs every POST with it), so it cannot
be hashed like a password or an API key; it is encrypted instead, with Fernet (`cryptography`:
AES-128-CBC and an HMAC). The keys are derived from SECRET_KEY and SECRET_KEY_FALLBACKS, so a
database dump without the settings reveals nothing, and rotating SECRET_KEY the way Django
documents it (the old key moved to SECRET_KEY_FALLBACKS) keeps every value readable.
"""
from __future__ import annotations

import base64
import hashlib
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models

_PURPOSE = b"citedby-portal encrypted field\x00"


class UnreadableValue(ValueError):
    """A stored value none of the configured keys opens."""


def encrypt(text: str) -> str:
    return _fernet(_keys()).encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet(_keys()).decrypt(token.encode()).decode()
    except InvalidToken:
        raise UnreadableValue(
            "An encrypted value in the database cannot be read with SECRET_KEY or any of SECRET_KEY_FALLBACKS: "
            "if SECRET_KEY was changed, put the previous one in SECRET_KEY_FALLBACKS."
        ) from None


def _keys() -> tuple[str, ...]:
    return (settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", []))


@lru_cache(maxsize=4)
def _fernet(secret_keys: tuple[str, ...]) -> MultiFernet:
    # The first key encrypts; every key is tried to decrypt.
    return MultiFernet([
        Fernet(base64.urlsafe_b64encode(hashlib.sha256(_PURPOSE + key.encode()).digest())) for key in secret_keys
    ])


class EncryptedTextField(models.TextField):
    """Text stored encrypted (see above); read back as plain text. Not usable in lookups: each
    encryption of the same text differs."""

    def from_db_value(self, value, expression, connection):
        return value if value in (None, "") else decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return value if value in (None, "") else encrypt(value)
